/**
 * The one headless Chromium session used for static export (SVG, PNG, PDF) and the browser
 * test: Debian's `chromium`, driven by playwright-core (never `npx playwright install`).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; override with DEPTHLIMIT_CHROMIUM=/path/to/chromium (read at each call). */
export const chromiumPath = (): string => process.env['DEPTHLIMIT_CHROMIUM'] ?? '/usr/bin/chromium';

// No --user-data-dir here: launch() already uses a fresh temporary profile and rejects it.
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // file:// host page loads plotly/MathJax from node_modules
  '--allow-file-access-from-files',
];

/** The one line printed when Chromium is missing. */
export const chromiumHint = (): string =>
  `Chromium not found at ${chromiumPath()}: wrote HTML only; for SVG/PNG/PDF install it with \`apt-get install -y chromium\``;

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** Launch Chromium, run `fn`, and always close the browser. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}
