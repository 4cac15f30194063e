/**
 * The one headless Chromium session used for static export (SVG, PNG, PDF) and the browser
 * test: Debian's `chromium`, driven by playwright-core (never `npx playwright install`).
 *
 * Export sessions use a persistent profile in the temp directory so V8's code cache for
 * plotly survives between runs (see serve.ts); a lock file keeps concurrent runs apart (a
 * second concurrent run gets a fresh temporary profile instead).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { lazyRequire } from '../util/lazy.ts';
import { chromiumPath } from '../util/chromium.ts';

/**
 * playwright-core, required on first use (≈0.4 s CPU: one 3.6 MB bundle that initialises all of
 * itself; its exports name no narrower entry). Required, not imported: its ESM entry only
 * re-exports the CommonJS one, and under tsx an `import()` of it costs ≈0.8 s.
 */
const playwright = lazyRequire<typeof import('playwright-core')>('playwright-core');

export { chromiumAvailable, chromiumPath } from '../util/chromium.ts';

// No --user-data-dir here: launch() already uses a fresh temporary profile and rejects it;
// the persistent profile is passed as launchPersistentContext's own parameter.
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The one line printed when Chromium is missing. */
export const chromiumHint = (): string =>
  `Chromium not found at ${chromiumPath()}: wrote HTML only; for SVG/PNG/PDF install it with \`apt-get install -y chromium\``;

/** Launch Chromium (fresh temporary profile), run `fn`, and always close the browser. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const { chromium } = playwright();
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

/** Take the profile lock (O_EXCL file with our pid); a lock of a dead process is stale. */
function lockProfile(dir: string): (() => void) | undefined {
  const lock = join(dir, 'depthlimit.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      const pid = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) return undefined;
      rmSync(lock, { force: true });
    }
  }
  return undefined;
}

export interface ContextOptions { deviceScaleFactor: number; viewport: { width: number; height: number } }

/**
 * A browser context for export: the persistent profile when it is free (warm code cache),
 * else a fresh browser. Always closed afterwards.
 */
export async function withExportContext<T>(opts: ContextOptions, fn: (context: BrowserContext) => Promise<T>): Promise<T> {
  const dir = process.env['DEPTHLIMIT_CHROMIUM_PROFILE'] ?? join(tmpdir(), `depthlimit-chromium-profile-${userInfo().uid}`);
  const unlock = lockProfile(dir);
  if (unlock) {
    const { chromium } = playwright();
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS, ...opts });
    } catch {
      unlock(); // a damaged profile must not stop the export: fall through to a fresh browser
    }
    if (context) {
      try {
        return await fn(context);
      } finally {
        await context.close();
        unlock();
      }
    }
  }
  return withBrowser(async (browser) => {
    const context = await browser.newContext(opts);
    return fn(context);
  });
}
