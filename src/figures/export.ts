/**
 * Export of figures: for each (figure, data) entry, beside one another in `outDir`:
 *   <id>.html             interactive (plotly; shared plotly.min.js / tex-svg.js, see html.ts)
 *   <id>.svg .png .pdf    static, through ONE headless Chromium session for all figures:
 *                         SVG from Plotly.toImage, PNG a screenshot at 300 dpi (pHYs set),
 *                         PDF from Chromium's printer (vector, embedded font subsets)
 *   <id>.data.json        { figure, id, caption, data } (a valid `depthlimit figures --from` file)
 *   <id>.csv              the spec's `csv(data)`, or every trace's x/y
 *   <id>.provenance.json  command, seed, package version, git commit
 * All files are written atomically. Every spec is BUILT before anything is written, so bad
 * data fails with one line and leaves no files. Without Chromium the HTML (and data) is still
 * written and one line says how to install it.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { quote, UserError } from '../util/errors.ts';
import { ensureDir, writeFileAtomic, writeJsonAtomic } from '../util/io.ts';
import { provenance, type Provenance } from '../util/provenance.ts';
import type { FigureEntry } from '../report/notebook.ts';
import { getFigure, type Data, type FigureSpec, type PlotSpec } from './registry.ts';
import { PNG_DPI, PNG_SCALE, PX_PER_INCH, SIZES, legendExtraHeight } from './style.ts';
import { chromiumHint, chromiumAvailable, chromiumPath, withExportContext } from './browser.ts';
import { contentRoute, serve, type Route } from './serve.ts';
import { DRAW_ALIGNED, MATHJAX_CONFIG, MATHJAX_FILE, PLOTLY_FILE, escapeHtml, figurePage, mathjaxPath, plotlyPath, usesTeX } from './html.ts';
import { tracesCsv } from './csv.ts';
import { sampleShape, shapeMismatch } from './shape.ts';
import { setPngDpi } from './png.ts';
import { FORMATS, parseFormats, type Format } from './formats.ts';
import type { ResultCache } from '../util/cache.ts';

export { FORMATS, parseFormats, type Format };

const STATIC: readonly Format[] = ['svg', 'png', 'pdf'];

/** A figure ready to write: its spec built from its data and sized to its column. */
export interface PreparedFigure {
  id: string;
  spec: FigureSpec;
  entry: FigureEntry;
  plot: PlotSpec;
  width: number;
  height: number;
  tex: boolean;
  /** The figure's table (its own csv() or its traces), made here so bad data fails before any file is written. */
  csv: string;
}

/**
 * Set the printed size: column width from `size`; the spec's own height if it gives one (both
 * for a one-row legend), plus one legend row for every row the legend wraps to, so the plot
 * area keeps its size however many entries the legend has.
 */
export function sizedPlot(spec: FigureSpec, plot: PlotSpec): { plot: PlotSpec; width: number; height: number } {
  const size = SIZES[spec.size];
  const width = size.width;
  const h = (plot.layout as { height?: unknown }).height;
  const height = (typeof h === 'number' && h > 0 ? Math.round(h) : size.height) + legendExtraHeight(plot, width);
  // explicit trace uids: plotly would draw random ones into the SVG (class="trace…")
  const data = plot.data.map((t, i) => ({ uid: `t${i}`, ...(t as object) }) as Data);
  return { plot: { data, layout: { ...plot.layout, width, height, autosize: false } }, width, height };
}

/** Build every entry (pure); UserError naming the entry on an unknown figure or bad data. */
export function prepareFigures(entries: FigureEntry[]): PreparedFigure[] {
  const ids = new Set<string>();
  return entries.map((entry, i) => {
    const id = entry.id ?? entry.figure;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new UserError(`figure entry ${i}: bad id ${quote(id)}`);
    if (ids.has(id)) throw new UserError(`figure id '${id}' appears twice (give entries distinct ids)`);
    ids.add(id);
    const spec = getFigure(entry.figure);
    try {
      const built = spec.build(entry.data);
      if (!built || !Array.isArray(built.data) || typeof built.layout !== 'object') throw new Error('build() did not return { data[], layout }');
      const { plot, width, height } = sizedPlot(spec, built);
      const csv = spec.csv ? spec.csv(entry.data) : tracesCsv(plot);
      return { id, spec, entry, plot, width, height, tex: usesTeX(plot), csv };
    } catch (e) {
      if (e instanceof UserError) throw e;
      // name the field that differs from the figure's sample data rather than the builder's TypeError
      const why = shapeMismatch(entry.data, sampleShape(spec)) ?? (e as Error).message.split('\n')[0];
      throw new UserError(`figure '${id}' (${entry.figure}): cannot draw its data: ${why}`);
    }
  });
}

export interface ExportOptions {
  outDir: string;
  formats?: Format[];
  /** Provenance: the command that made the data (default: this process's command line). */
  command?: string;
  seed?: number | null;
  /** Embed plotly (and MathJax) in every HTML file instead of sharing one copy. */
  inline?: boolean;
  onProgress?: (done: number, total: number, id: string) => void;
  /** One-line notices (the Chromium hint). Default: stderr. */
  log?: (line: string) => void;
  /** Filled with the static export's phases in seconds (benchmarks). */
  timings?: Partial<Record<'launch' | 'load' | 'draw', number>>;
  /** Static files drawn before for the same plot, formats, code and Chromium are taken from here (src/util/cache.ts). */
  cache?: ResultCache;
}

export interface ExportResult {
  outDir: string;
  figures: { id: string; figure: string; files: string[] }[];
  /** 'done', 'chromium missing' (HTML only) or 'not requested'. */
  staticExport: 'done' | 'chromium missing' | 'failed' | 'not requested';
  /** Why the static export failed (one line), when it did. */
  staticError?: string;
  seconds: number;
}

/** Copy a shared script beside the pages, unless an identical copy is already there. */
export function copyShared(src: string, dest: string): void {
  const body = readFileSync(src);
  if (existsSync(dest) && statSync(dest).size === body.length && readFileSync(dest).equals(body)) return;
  writeFileAtomic(dest, body);
}

/** plotly.min.js (and tex-svg.js when a figure has TeX labels) into `dir`, for pages that draw `figs`. */
export function copySharedScripts(dir: string, figs: PreparedFigure[]): void {
  if (!figs.length) return;
  copyShared(plotlyPath(), join(dir, PLOTLY_FILE));
  if (figs.some((f) => f.tex)) copyShared(mathjaxPath(), join(dir, MATHJAX_FILE));
}

/** Replace plotly's random per-plot uid in an SVG with one derived from the figure id (byte-stable output). */
function stableSvg(svg: string, id: string): string {
  const uid = /id="defs-([0-9a-z]+)"/.exec(svg)?.[1];
  const safe = id.replace(/[^A-Za-z0-9]/g, '');
  const named = uid ? svg.split(uid).join(`dl${safe}`) : svg;
  // MathJax numbers its glyph ids by how many typesets the page has done (MJX-5-TEX-…), which
  // depends on the figures drawn before this one: number them by first appearance instead
  const seen = new Map<string, number>();
  return named.replace(/MJX-(\d+)-/g, (_m, n: string) => {
    if (!seen.has(n)) seen.set(n, seen.size + 1);
    return `MJX-${seen.get(n)}-`;
  });
}

/** Chromium stamps the PDF with the clock; a fixed date of the same length keeps xref offsets valid. */
function stablePdf(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1').replace(/\/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)/g,
    (_m, k: string, tz: string) => `/${k} (D:20000101000000${tz})`);
  return Buffer.from(s, 'latin1');
}

/** The page every figure is drawn in: plotly (and MathJax) loaded once, from the loopback server. */
function hostPage(plotlyUrl: string, mathjaxUrl?: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<style>html,body{margin:0;padding:0;background:#fff}@page{margin:0}#fig{position:absolute;left:0;top:0}</style>
${mathjaxUrl ? `<script>${MATHJAX_CONFIG}</script><script src="${mathjaxUrl}"></script>` : ''}
<script src="${plotlyUrl}"></script><script>${DRAW_ALIGNED}</script></head><body><div id="fig"></div></body></html>`;
}

/**
 * The export server's routes: the host page at `/` and plotly (MathJax when `tex`) at URLs
 * named by their content (see serve.ts). `paths` replaces the installed scripts (tests).
 */
export function exportRoutes(tex: boolean, paths: { plotly?: string; mathjax?: string } = {}): Record<string, Route> {
  const plotly = contentRoute(paths.plotly ?? plotlyPath(), PLOTLY_FILE);
  const mathjax = tex ? contentRoute(paths.mathjax ?? mathjaxPath(), MATHJAX_FILE) : undefined;
  return {
    '/': { body: hostPage(plotly.url, mathjax?.url), type: 'text/html; charset=utf-8' },
    [plotly.url]: plotly.route,
    ...(mathjax ? { [mathjax.url]: mathjax.route } : {}),
  };
}

interface StaticFiles { svg?: string; png?: Uint8Array; pdf?: Uint8Array }

/** Longest wait for one figure's drawing (or MathJax's start-up) before the export gives up. */
const BROWSER_STEP_MS = 60_000;

/** `p`, or a rejection after `ms`: page.evaluate has no timeout, and a stuck draw must not hang the run. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer from Chromium in ${ms / 1000} s`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A step of drawStatic, reported to `drawProbe`. */
export type DrawStep = 'start' | 'draw' | 'png' | 'pdf' | 'svg';

/**
 * Set by bench/export.ts only: called as each step of a figure's static drawing ends ('start'
 * as it begins, 'draw' with the number of extra plotly redraws), so the bench can read the
 * CPU that Chromium spent between two steps. Unset, it costs nothing.
 */
export const drawProbe: { step?: (id: string, step: DrawStep, redraws?: number) => void } = {};

/**
 * Each tab's own DevTools session, for PNG and PDF straight from Chromium: one round trip each,
 * where playwright's screenshot adds a layout-metrics query and two scripts in the page (caret
 * hiding and its undoing) and its PDF a stream read (measured: 0.35 s and 0.25 s less Chromium
 * CPU for 34 figures). Device metrics are per session, so the session repeats the ones
 * playwright set for the tab (its current size, the 300-dpi scale), again whenever the tab grows:
 * without them the capture is at 96 dpi. Same parameters as playwright's own calls, so the same bytes.
 */
const sessions = new WeakMap<Page, { cdp: Promise<CDPSession>; size?: string }>();
async function devtools(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) sessions.set(page, s = { cdp: page.context().newCDPSession(page) });
  const cdp = await s.cdp;
  const { width, height } = page.viewportSize()!;
  if (s.size !== `${width}x${height}`) {
    await cdp.send('Emulation.setDeviceMetricsOverride', {
      mobile: false, width, height, screenWidth: width, screenHeight: height, deviceScaleFactor: PNG_SCALE,
      screenOrientation: { angle: 0, type: 'landscapePrimary' },
    });
    s.size = `${width}x${height}`;
  }
  return cdp;
}

/** Screenshots a PNG may take to settle before the figure fails (two in a row must agree). */
export const PNG_SETTLE_TRIES = 5;

/**
 * The figure's screenshot once the page's painting has settled: two animation frames, then
 * screenshots until two in a row are byte-identical. Why: a screenshot is the compositor's
 * latest frame, and under CPU load that frame can still be one rastered before the draw's last
 * changes. Measured (bench/export-determinism.ts, 34 quick-mode figures, 2 busy processes on
 * the 2 cores, load average ~25): 1 PNG in ~3 exports differed from the idle export, by a few
 * antialiasing levels on the TeX legend glyphs, or as a mosaic of stale tiles, while SVG and
 * PDF (taken later) were identical. An animation frame's callback runs after the compositor
 * took the previous commit, but under load that is not always the frame that is drawn, so the
 * comparison of two screenshots is what guarantees the bytes; it costs one screenshot per figure.
 */
export async function settledPng(capture: () => Promise<Uint8Array>, frames: () => Promise<unknown>, id: string, tries = PNG_SETTLE_TRIES): Promise<Uint8Array> {
  await frames();
  let last = await capture();
  for (let i = 1; i < tries; i++) {
    await frames();
    const png = await capture();
    if (Buffer.compare(png, last) === 0) return png;
    last = png;
  }
  throw new Error(`figure ${id}: the PNG did not settle (${tries} screenshots, no two in a row equal)`);
}

async function drawStatic(page: Page, f: PreparedFigure, formats: readonly Format[]): Promise<StaticFiles> {
  drawProbe.step?.(f.id, 'start');
  const cdp = formats.includes('png') || formats.includes('pdf') ? await devtools(page) : undefined; // before drawing: the tab may have grown
  // drawAligned (html.ts) re-places trace layers that MathJax's late margins left behind; the
  // title is the PDF's /Title, which would otherwise be the server's address
  const redraws = await page.evaluate(async ([data, layout, title]) => {
    const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number> };
    const div = document.getElementById('fig')!;
    document.title = title;
    w.Plotly.purge(div);
    return w.drawAligned(w.Plotly, div, data, layout, { staticPlot: true });
  }, [f.plot.data, f.plot.layout, f.spec.title] as const);
  drawProbe.step?.(f.id, 'draw', redraws);
  const out: StaticFiles = {};
  if (cdp && formats.includes('png')) {
    const capture = async () => Buffer.from((await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: f.width, height: f.height, scale: 1 }, captureBeyondViewport: false })).data, 'base64');
    const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    out.png = setPngDpi(await settledPng(capture, frames, f.id), PNG_DPI);
    drawProbe.step?.(f.id, 'png');
  }
  if (cdp && formats.includes('pdf')) {
    const inches = (px: number) => px / PX_PER_INCH;
    const { data } = await cdp.send('Page.printToPDF', {
      paperWidth: inches(f.width), paperHeight: inches(f.height), printBackground: true, pageRanges: '1',
      marginTop: 0, marginBottom: 0, marginLeft: 0, marginRight: 0,
      landscape: false, displayHeaderFooter: false, headerTemplate: '', footerTemplate: '', scale: 1,
      preferCSSPageSize: false, generateTaggedPDF: false, generateDocumentOutline: false,
    });
    out.pdf = stablePdf(Buffer.from(data, 'base64'));
    drawProbe.step?.(f.id, 'pdf');
  }
  if (formats.includes('svg')) {
    // plotly's SVG of the drawn (aligned) figure itself, last: toImage would draw a fresh clone,
    // which has the misplaced layers again; toSVG rewrites the live DOM, so after PNG and PDF
    const svg = await page.evaluate(() => {
      const w = window as unknown as { Plotly: any };
      return w.Plotly.Snapshot.toSVG(document.getElementById('fig'), 'svg', 1) as string;
    });
    out.svg = stableSvg(svg, f.id);
    drawProbe.step?.(f.id, 'svg');
  }
  return out;
}

/** Browser tabs drawing at once: one per core, at most 2 (DEPTHLIMIT_EXPORT_TABS=N to choose). */
function exportTabs(): number {
  const n = Number(process.env['DEPTHLIMIT_EXPORT_TABS']);
  return Number.isInteger(n) && n >= 1 ? n : Math.min(2, availableParallelism());
}

/** Static drawing that figures may join while it runs (see `openExport`). */
interface StaticRenderer {
  /** Queue figures; the browser starts with the first. */
  push(figures: PreparedFigure[]): void;
  /** No more figures: resolves once every queued figure is drawn, rejects with the first failure. */
  close(): Promise<void>;
  /** Draw nothing more and close the browser (the run failed elsewhere). */
  abandon(): Promise<void>;
}

/**
 * Draw queued figures as SVG/PNG/PDF in one browser session, handing each figure's files to
 * `write` as soon as it is drawn. `tex`: the host page loads MathJax (a figure with TeX labels
 * may come). Several tabs (each its own renderer process) take the next queued figure when free.
 * Neither the tab nor the viewport (grown to the largest figure so far) nor whether MathJax is
 * loaded changes a figure's bytes: every draw starts from a purged plot, MathJax keeps its glyphs
 * per SVG (fontCache 'local', html.ts), and the images are clipped to the figure.
 */
function staticRenderer(
  tex: boolean, formats: readonly Format[], tabCount: number,
  write: (f: PreparedFigure, files: StaticFiles) => void,
  onDrawn?: (f: PreparedFigure) => void,
  /** Filled with seconds spent: launch (browser up), load (plotly/MathJax ready), draw (until closed). */
  timings?: Partial<Record<'launch' | 'load' | 'draw', number>>,
): StaticRenderer {
  const queue: PreparedFigure[] = [];
  let closed = false, running: Promise<void> | undefined;
  let waiting: (() => void)[] = [];
  const wake = () => { const w = waiting; waiting = []; w.forEach((f) => f()); };
  /** The next figure to draw, waiting for one while the renderer is open; undefined once closed and drained. */
  const next = async (): Promise<PreparedFigure | undefined> => {
    while (!queue.length && !closed) await new Promise<void>((r) => waiting.push(r));
    return queue.shift();
  };
  const run = async (): Promise<void> => {
    const clock = () => performance.now() / 1000;
    let t = clock();
    const lap = (k: 'launch' | 'load' | 'draw') => { const n = clock(); if (timings) timings[k] = n - t; t = n; };
    const server = await serve(exportRoutes(tex));
    try {
      const fit = (v: { width: number; height: number }, f: PreparedFigure) => ({ width: Math.max(v.width, f.width), height: Math.max(v.height, f.height) });
      const viewport = queue.reduce(fit, { width: 800, height: 600 });
      await withExportContext({ deviceScaleFactor: PNG_SCALE, viewport }, async (context) => {
        lap('launch');
        const tabs = await Promise.all(Array.from({ length: tabCount }, async () => {
          const page = await context.newPage();
          await page.goto(`${server.origin}/`);
          await page.waitForFunction(() => {
            const w = window as unknown as { Plotly?: unknown; MathJax?: { tex2svgPromise?: unknown } };
            return !!w.Plotly && (!w.MathJax || !!w.MathJax.tex2svgPromise);
          });
          if (tex) await withTimeout(page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<void> } } }).MathJax.startup.promise), BROWSER_STEP_MS, 'MathJax start-up');
          return page;
        }));
        lap('load');
        await Promise.all(tabs.map(async (page) => {
          let size = viewport;
          for (let f = await next(); f; f = await next()) {
            if (f.width > size.width || f.height > size.height) await page.setViewportSize(size = fit(size, f));
            write(f, await withTimeout(drawStatic(page, f, formats), BROWSER_STEP_MS, `figure ${f.id}`));
            onDrawn?.(f);
          }
          await page.close();
        }));
        lap('draw');
      });
    } finally {
      await server.close();
    }
  };
  const close = async (): Promise<void> => {
    closed = true;
    wake();
    await running;
  };
  return {
    push(figures) {
      if (!figures.length) return;
      queue.push(...figures);
      if (!running) {
        running = run();
        running.catch(() => { closed = true; queue.length = 0; wake(); }); // close() reports it
      }
      wake();
    },
    close,
    async abandon() {
      queue.length = 0;
      await close().catch(() => {});
    },
  };
}

/** The files of one figure other than the static images. */
function writeDataFiles(f: PreparedFigure, outDir: string, prov: Provenance, formats: readonly Format[], inline: boolean): string[] {
  const files: string[] = [];
  const put = (name: string, content: string) => { writeFileAtomic(join(outDir, name), content); files.push(name); };
  const { figure, caption, source } = f.entry;
  put(`${f.id}.data.json`, JSON.stringify({ figure, id: f.id, ...(caption ? { caption } : {}), ...(source ? { source } : {}), data: f.entry.data }, null, 1) + '\n');
  put(`${f.id}.csv`, f.csv);
  const formatsFiles = formats.map((x) => `${f.id}.${x}`);
  put(`${f.id}.provenance.json`, JSON.stringify({ ...prov, figure, id: f.id, source: source ?? null, files: [...formatsFiles, `${f.id}.data.json`, `${f.id}.csv`] }, null, 2) + '\n');
  if (formats.includes('html')) {
    const links = [...formats.filter((x) => x !== 'html').map((x) => `${f.id}.${x}`), `${f.id}.csv`, `${f.id}.data.json`, `${f.id}.provenance.json`];
    put(`${f.id}.html`, figurePage(f.id, f.spec.title, f.plot, { inline, ...(caption ? { caption } : {}), links }));
  }
  return files;
}

/** An index page of every exported figure, with links to each format. */
function indexPage(figs: PreparedFigure[], formats: readonly Format[], thumbnails: boolean): string {
  const rows = figs.map((f) => `<li><b>${escapeHtml(f.id)}</b>: ${escapeHtml(f.spec.title)} · ${[...formats, 'csv', 'data.json', 'provenance.json']
    .map((x) => `<a href="${escapeHtml(f.id)}.${x}">${x}</a>`).join(' ')}${thumbnails ? `<br><a href="${escapeHtml(f.id)}.html"><img src="${escapeHtml(f.id)}.png" width="${f.width}" alt="${escapeHtml(f.id)}"></a>` : ''}</li>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>depthlimit figures</title>
<style>body{font-family:'Liberation Sans',Arial,sans-serif;margin:1.5em}li{margin:.3em 0}</style></head>
<body><h1>Figures</h1><ul>\n${rows}\n</ul></body></html>\n`;
}

/**
 * Static files by figure: the key is the sized plot, the formats, whether the page loads
 * MathJax, the export code (this module and its imports, plotly/MathJax/playwright versions)
 * and the Chromium binary (path, size, mtime), so any change that could move a pixel redraws.
 */
function staticCache(cache: ResultCache | undefined, tex: boolean, formats: readonly Format[]) {
  let browser = '';
  try { const st = statSync(chromiumPath()); browser = `${chromiumPath()} ${st.size} ${st.mtimeMs}`; } catch { /* no key: drawn */ }
  const key = (f: PreparedFigure) => (cache && browser ? cache.key('figure-static', { id: f.id, title: f.spec.title, plot: f.plot, width: f.width, height: f.height, formats, tex, browser }, [import.meta.url]) : null);
  type Stored = { svg?: string; png?: string; pdf?: string };
  return {
    get(f: PreparedFigure): StaticFiles | undefined {
      const k = key(f), v = k ? cache!.get<Stored>(k) : undefined;
      if (!v) return undefined;
      return { ...(v.svg !== undefined ? { svg: v.svg } : {}), ...(v.png ? { png: Buffer.from(v.png, 'base64') } : {}), ...(v.pdf ? { pdf: Buffer.from(v.pdf, 'base64') } : {}) };
    },
    put(f: PreparedFigure, files: StaticFiles): void {
      const k = key(f);
      if (!k) return;
      const b64 = (x: Uint8Array) => Buffer.from(x).toString('base64');
      cache!.put(k, { ...(files.svg !== undefined ? { svg: files.svg } : {}), ...(files.png ? { png: b64(files.png) } : {}), ...(files.pdf ? { pdf: b64(files.pdf) } : {}) });
    },
  };
}

/** Export every entry in `formats` to `opts.outDir` (see the module comment). */
export async function exportFigures(entries: FigureEntry[], opts: ExportOptions): Promise<ExportResult> {
  return exportPrepared(prepareFigures(entries), opts); // all-or-nothing: nothing is written if one cannot be drawn
}

/** `exportFigures` for figures already built by `prepareFigures`. */
export async function exportPrepared(figs: PreparedFigure[], opts: ExportOptions): Promise<ExportResult> {
  const session = openExport(opts, figs.some((f) => f.tex), figs.length);
  session.add(figs);
  return session.finish();
}

/** An export that figures join as they are made (`openExport`). */
export interface ExportSession {
  /**
   * Write the figures' HTML and data files now and queue their static files (drawn while the
   * caller goes on). Ids must be new to the session. A failure (a repeated id, an unwritable
   * file) is thrown by `finish`.
   */
  add(figs: PreparedFigure[]): void;
  /** Wait for every static file; write the index page, listing the figures in `order` (ids; default: as added). */
  finish(order?: readonly string[]): Promise<ExportResult>;
  /** Draw nothing more and close the browser, instead of `finish` (the caller failed). */
  abandon(): Promise<void>;
}

/**
 * Open an export into `opts.outDir` (see the module comment) that figures join while the caller
 * still makes others: `npm start` adds each notebook's figures as the notebook ends, so the
 * browser draws while the last notebooks and claims run. `tex`: a figure with TeX labels may
 * come (the drawing page then loads MathJax; the bytes of figures without TeX are the same).
 * `expected`: how many figures may come, at most (no more browser tabs than that).
 */
export function openExport(opts: ExportOptions, tex: boolean, expected = Infinity): ExportSession {
  const t0 = performance.now();
  const formats = opts.formats ?? [...FORMATS];
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  ensureDir(opts.outDir);
  const prov = provenance({ ...(opts.command ? { command: opts.command } : {}), seed: opts.seed ?? null });
  const result = new Map<string, { id: string; figure: string; files: string[] }>();
  const added: PreparedFigure[] = [];
  const inline = opts.inline ?? false;
  const wanted = formats.filter((x) => STATIC.includes(x));
  const browser = wanted.length > 0 && chromiumAvailable();
  let failure: unknown, done = 0;
  const progress = (f: PreparedFigure) => opts.onProgress?.(++done, added.length, f.id);
  const write = (f: PreparedFigure, files: StaticFiles) => {
    const r = result.get(f.id)!;
    if (files.svg !== undefined) { writeFileAtomic(join(opts.outDir, `${f.id}.svg`), files.svg); r.files.push(`${f.id}.svg`); }
    if (files.png) { writeFileAtomic(join(opts.outDir, `${f.id}.png`), files.png); r.files.push(`${f.id}.png`); }
    if (files.pdf) { writeFileAtomic(join(opts.outDir, `${f.id}.pdf`), files.pdf); r.files.push(`${f.id}.pdf`); }
  };
  const cached = staticCache(opts.cache, tex, wanted);
  const renderer = browser ? staticRenderer(tex, wanted, Math.max(1, Math.min(exportTabs(), expected)), (f, files) => { write(f, files); cached.put(f, files); }, progress, opts.timings) : undefined;
  return {
    add(figs) {
      if (failure) return;
      try {
        for (const f of figs) if (result.has(f.id)) throw new UserError(`figure id '${f.id}' appears twice (give entries distinct ids)`);
        if (formats.includes('html') && !inline) copySharedScripts(opts.outDir, figs);
        for (const f of figs) {
          result.set(f.id, { id: f.id, figure: f.entry.figure, files: writeDataFiles(f, opts.outDir, prov, formats, inline) });
          added.push(f);
        }
        if (!renderer) { figs.forEach(progress); return; }
        renderer.push(figs.filter((f) => {
          const hit = cached.get(f);
          if (hit) { write(f, hit); progress(f); }
          return !hit;
        }));
      } catch (e) {
        failure = e;
      }
    },
    async finish(order) {
      let staticExport: ExportResult['staticExport'] = !added.length || !wanted.length ? 'not requested' : browser ? 'done' : 'chromium missing';
      let staticError: string | undefined;
      try {
        await renderer?.close();
      } catch (e) {
        if (e instanceof UserError) failure ??= e; // e.g. an unwritable file
        else {
          // a browser that will not start or crashes: keep the HTML and data, say so in one line
          staticError = `static export (SVG/PNG/PDF) failed in Chromium (${chromiumPath()}): ${(e as Error).message.split('\n')[0]}`;
          log(staticError);
          staticExport = 'failed';
        }
      }
      if (failure) throw failure;
      if (staticExport === 'chromium missing') log(chromiumHint());
      const byId = new Map(added.map((f) => [f.id, f]));
      const figs = order ? order.map((id) => {
        const f = byId.get(id);
        if (!f) throw new Error(`export: figure '${id}' was never added`);
        return f;
      }) : added;
      if (figs.length) writeFileAtomic(join(opts.outDir, 'index.html'), indexPage(figs, formats, staticExport === 'done' && formats.includes('png')));
      return { outDir: opts.outDir, figures: figs.map((f) => result.get(f.id)!), staticExport, ...(staticError ? { staticError } : {}), seconds: (performance.now() - t0) / 1000 };
    },
    abandon: async () => { await renderer?.abandon(); },
  };
}
