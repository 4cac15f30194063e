/**
 * Bench (on demand): what one PNG screenshot of a drawn figure costs, and in which process.
 * settledPng (src/figures/export.ts) takes two screenshots per figure and keeps the second when
 * both are byte-identical; this says whether a cheaper first (check) screenshot could pay. For
 * every `every`-th figure of a run's notebook records, drawn once in one tab, CPU per screenshot
 * (median over figures of the mean of `reps`), by Chromium process and node:
 *   png         the export's screenshot (Chromium's default zlib level: the kept file)
 *   png fast    optimizeForSpeed (fast zlib): other bytes; the same pixels is checked here
 *   frames      the two animation frames settledPng waits before each screenshot
 *   decode      node: inflate and unfilter both PNGs to pixels, what comparing a fast check
 *               screenshot with the kept one would need
 *   node --import tsx bench/export-screenshot.ts [records=out/notebooks] [reps=3] [every=3]
 * The records are a run's notebooks/*.json (`npm start -- --quick` writes out/notebooks/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { exportRoutes, prepareFigures } from '../src/figures/export.ts';
import type { FigureEntry } from '../src/report/notebook.ts';
import { chromiumAvailable, chromiumHint, withExportContext } from '../src/figures/browser.ts';
import { serve } from '../src/figures/serve.ts';
import { PNG_SCALE } from '../src/figures/style.ts';
import { ChromiumCpu, cpuSeconds } from './export-cpu.ts';

const records = process.argv[2] ?? 'out/notebooks';
const reps = Number(process.argv[3] ?? 3);
const every = Number(process.argv[4] ?? 3);
if (!chromiumAvailable()) { console.log(chromiumHint()); process.exit(1); }
if (!existsSync(records)) { console.log(`no notebook records in ${records} (run \`npm start -- --quick\` first)`); process.exit(2); }
const figures = prepareFigures(readdirSync(records).filter((f) => f.endsWith('.json')).sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(records, f), 'utf8')) as { figures?: FigureEntry[] }).figures ?? []))
  .filter((_, i) => i % every === 0);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

/** The pixels of an 8-bit non-interlaced PNG (Chromium's screenshots): IDAT inflated, rows unfiltered. */
function pngPixels(png: Buffer): Uint8Array {
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20), bpp = ({ 2: 3, 6: 4 } as Record<number, number>)[png[25]!];
  if (png[24] !== 8 || !bpp || png[28] !== 0) throw new Error('not an 8-bit RGB(A) non-interlaced PNG');
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; off += 12 + png.readUInt32BE(off)) if (png.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + png.readUInt32BE(off)));
  const raw = inflateSync(Buffer.concat(idat)), stride = width * bpp;
  for (let y = 0; y < height; y++) {
    const s = y * (stride + 1) + 1, q = s - stride - 1, type = raw[s - 1]!;
    // one loop per filter type, as a decoder would (a per-byte choice costs several times more)
    if (type === 1) for (let i = bpp; i < stride; i++) raw[s + i] = raw[s + i]! + raw[s + i - bpp]!;
    else if (type === 2 && y) for (let i = 0; i < stride; i++) raw[s + i] = raw[s + i]! + raw[q + i]!;
    else if (type === 3) for (let i = 0; i < stride; i++) raw[s + i] = raw[s + i]! + (((i >= bpp ? raw[s + i - bpp]! : 0) + (y ? raw[q + i]! : 0)) >> 1);
    else if (type === 4) for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? raw[s + i - bpp]! : 0, b = y ? raw[q + i]! : 0, c = y && i >= bpp ? raw[q + i - bpp]! : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      raw[s + i] = raw[s + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    } else if (type > 4) throw new Error(`bad PNG filter type ${type}`);
    raw[s - 1] = 0; // rows compare by pixels, whichever filter each encoder chose
  }
  return raw;
}

type Step = 'png' | 'png fast' | 'frames' | 'decode';
const cost: Record<Step, Record<string, number>[]> = { png: [], 'png fast': [], frames: [], decode: [] };
let samePixels = 0, sameBytes = 0;
const server = await serve(exportRoutes(figures.some((f) => f.tex)));
try {
  const viewport = { width: Math.max(800, ...figures.map((f) => f.width)), height: Math.max(600, ...figures.map((f) => f.height)) };
  await withExportContext({ deviceScaleFactor: PNG_SCALE, viewport }, async (context) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
    await page.evaluate(() => (window as unknown as { MathJax?: { startup: { promise: Promise<void> } } }).MathJax?.startup.promise);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { mobile: false, ...viewport, screenWidth: viewport.width, screenHeight: viewport.height, deviceScaleFactor: PNG_SCALE, screenOrientation: { angle: 0, type: 'landscapePrimary' } });
    const chromium = new ChromiumCpu();
    chromium.rescan(); // the tab's renderer is up: no process comes after this
    /** CPU (ms) by process of `reps` calls of `fn`, per call. */
    const measure = async (step: Step, fn: () => Promise<unknown>) => {
      const c0 = chromium.sampleByType(), n0 = cpuSeconds(process.cpuUsage());
      for (let i = 0; i < reps; i++) await fn();
      const row: Record<string, number> = { node: cpuSeconds(process.cpuUsage()) - n0 }; // read before sampling /proc, which is node's CPU too
      const c1 = chromium.sampleByType();
      for (const k of Object.keys(c1)) if (k !== 'exited') row[k] = c1[k]! - (c0[k] ?? 0);
      for (const k of Object.keys(row)) row[k] = row[k]! / reps * 1000;
      cost[step].push(row);
    };
    for (const f of figures) {
      await page.evaluate(async ([data, layout]) => {
        const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number> };
        const div = document.getElementById('fig')!;
        w.Plotly.purge(div);
        return w.drawAligned(w.Plotly, div, data, layout, { staticPlot: true });
      }, [f.plot.data, f.plot.layout] as const);
      const shot = async (fast: boolean) => Buffer.from((await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: f.width, height: f.height, scale: 1 }, captureBeyondViewport: false, ...(fast ? { optimizeForSpeed: true } : {}) })).data, 'base64');
      let png = Buffer.alloc(0), fast = Buffer.alloc(0);
      await measure('frames', () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
      await measure('png', async () => { png = await shot(false); });
      await measure('png fast', async () => { fast = await shot(true); });
      let same = false;
      await measure('decode', async () => { same = Buffer.compare(pngPixels(png), pngPixels(fast)) === 0; });
      samePixels += same ? 1 : 0;
      sameBytes += png.equals(fast) ? 1 : 0;
    }
  });
} finally {
  await server.close();
}
const procs = ['node', ...new Set(Object.values(cost).flat().flatMap((r) => Object.keys(r)).filter((k) => k !== 'node'))]; // browser, gpu-process, renderer, zygote, …
console.log(`${figures.length} figures (1 in ${every} of ${records}), each step ${reps} times per figure, load average ${loadavg()[0]!.toFixed(1)}; CPU per call, medians over the figures:`);
console.log(`  ${'step'.padEnd(9)} ${procs.map((p) => p.padStart(11)).join(' ')} ${'total'.padStart(9)}`);
for (const [step, rows] of Object.entries(cost)) {
  const m = (k: string) => median(rows.map((r) => r[k] ?? 0));
  const total = median(rows.map((r) => Object.values(r).reduce((a, b) => a + b, 0)));
  console.log(`  ${step.padEnd(9)} ${procs.map((p) => `${m(p).toFixed(1)} ms`.padStart(11)).join(' ')} ${`${total.toFixed(1)} ms`.padStart(9)}`);
}
console.log(`fast and normal PNG: the same pixels for ${samePixels} of ${figures.length} figures, the same bytes for ${sameBytes}`);
