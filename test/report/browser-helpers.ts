/**
 * Open a page in headless Chromium (the export session's launcher) and report whether every
 * figure rendered (plotly's `.main-svg` inside each `.plotly-figure`) and how much the
 * screenshot varies (a blank page has variance 0).
 */
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { withBrowser } from '../../src/figures/browser.ts';

export interface PageCheck {
  figures: number;
  rendered: string[];
  missing: string[];
  errors: string[];
  katex: number;
  /** Variance of the grey level (0–255) over the screenshot's pixels. */
  variance: number;
  screenshot: Uint8Array;
}

export async function checkPage(path: string, timeoutMs = 12_000, shared?: Browser): Promise<PageCheck> {
  const check = async (browser: Browser): Promise<PageCheck> => {
    // newPage opens the page in its own fresh context: no cache or storage shared with other checks
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    try {
      await page.goto(pathToFileURL(path).href);
      await page.waitForFunction(() => (window as unknown as { __figuresDone?: boolean }).__figuresDone === true, undefined, { timeout: timeoutMs });
      const info = await page.evaluate(() => {
        const divs = Array.from(document.querySelectorAll('.plotly-figure')) as HTMLElement[];
        return {
          ids: divs.map((d) => ({ id: d.dataset['figure'] ?? d.id, ok: !!d.querySelector('.main-svg') })),
          errors: (window as unknown as { __figureErrors?: string[] }).__figureErrors ?? [],
          katex: document.querySelectorAll('.katex').length,
        };
      });
      const screenshot = await page.screenshot({ type: 'png', fullPage: false });
      return {
        figures: info.ids.length,
        rendered: info.ids.filter((x) => x.ok).map((x) => x.id),
        missing: info.ids.filter((x) => !x.ok).map((x) => x.id),
        errors: info.errors, katex: info.katex, variance: pngGreyVariance(screenshot), screenshot,
      };
    } finally {
      await page.close();
    }
  };
  return shared ? check(shared) : withBrowser(check);
}

/**
 * One Chromium for several page checks in one test file (a launch costs ≈ 1.2 s CPU): `browser()`
 * launches it on first use, through withBrowser, which closes it once `close()` (the file's
 * test.after) releases it.
 */
export function browserSession(): { browser: () => Promise<Browser>; close: () => Promise<void> } {
  let opened: Promise<Browser> | undefined;
  let release = (): void => {};
  let ended: Promise<unknown> = Promise.resolve();
  return {
    browser: () => (opened ??= new Promise<Browser>((resolve, reject) => {
      ended = withBrowser((b) => { resolve(b); return new Promise<void>((r) => { release = r; }); }).catch(reject);
    })),
    close: async () => { release(); await ended; },
  };
}

/** Grey-level variance of an 8-bit RGB/RGBA non-interlaced PNG (Chromium's screenshots). */
export function pngGreyVariance(png: Uint8Array): number {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8, width = 0, height = 0, colorType = 0;
  const idat: Uint8Array[] = [];
  while (off < png.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { width = view.getUint32(off + 8); height = view.getUint32(off + 12); colorType = body[9]!; }
    if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const prev = new Uint8Array(stride), cur = new Uint8Array(stride);
  let sum = 0, sum2 = 0;
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0, b = prev[i]!, c = i >= bpp ? prev[i - bpp]! : 0;
      let v = line[i]!;
      if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      const g = (cur[x * bpp]! + cur[x * bpp + 1]! + cur[x * bpp + 2]!) / 3;
      sum += g; sum2 += g * g;
    }
    prev.set(cur);
  }
  const n = width * height;
  return sum2 / n - (sum / n) ** 2;
}
