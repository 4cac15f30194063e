/**
 * Figures: every paper figure is a registered pure function from data to a plotly spec
 * (src/figures/registry.ts); `figure` builds one, `exportFigures` writes them (src/figures/
 * export.ts: HTML, SVG, PNG, PDF through one headless Chromium, loaded only when called).
 */
import { getFigure, allFigures, type PlotSpec } from '../figures/registry.ts';
import { FORMATS, parseFormats, type Format as EngineFormat } from '../figures/formats.ts';
import type { ExportResult } from '../figures/export.ts';
import { toPlain, type FigureEntry } from '../report/notebook.ts';
import { UserError } from '../util/errors.ts';
import { seedOption } from '../commands/args.ts';
import { checkKeys } from './spec.ts';

export type { ExportResult, PlotSpec };

/** A figure file format. */
export type Format = 'html' | 'svg' | 'png' | 'pdf';
// the same list as the exporter's (a compile error if they ever differ)
const SAME_FORMATS: [Format, EngineFormat] extends [EngineFormat, Format] ? true : never = true;
void SAME_FORMATS;

/** A registered figure: its name (the file stem), title and column width. */
export interface FigureInfo {
  name: string;
  title: string;
  /** 'single' (3.4 in) or 'double' (7 in) column. */
  size: 'single' | 'double';
}

/** A figure built from data: what `exportFigures` writes. */
export interface Figure {
  /** The registered figure's name. */
  figure: string;
  /** Output file stem (default: the figure name; `-2`, `-3`, … for repeats in one export). */
  id?: string;
  title: string;
  size: 'single' | 'double';
  /** The data it was drawn from (plain JSON: typed arrays become lists); written beside it. */
  data: unknown;
  caption?: string;
  /** The plotly spec, traces and layout (house style; width and height are set at export). */
  plot: PlotSpec;
}

/**
 * Every registered figure, in registry order.
 *
 * Returns: a list of {@link FigureInfo}.
 *
 * @example
 * ```ts
 * import { listFigures } from 'depthlimit';
 * const names = listFigures().map((f) => f.name);
 * console.log(names.includes('error-vs-depth'), names.includes('adjoint-gap'));
 * //> true true
 * ```
 */
export function listFigures(): FigureInfo[] {
  return allFigures().map((f) => ({ name: f.name, title: f.title, size: f.size }));
}

/**
 * Build a registered figure from its data: a pure function, so the same data give the same
 * spec. The data have the shape the figure's experiment produces: e.g. 'error-vs-depth' takes
 * `{ title, series: [sweepResult, …] }` (any object with label, depths, h, err, certificate).
 *
 * Arguments: `name` (see {@link listFigures}), `data`, and optionally `{ caption, id }`.
 *
 * Returns: a {@link Figure} (its `plot` is plotly's data and layout).
 *
 * Throws: UserError on an unknown figure, data it cannot draw, or a bad id.
 *
 * @example
 * ```ts
 * import { figure, sweep } from 'depthlimit';
 * const s = sweep({ map: 'x + eps*sin(x)', x0: [0.5], depths: '8..128' });
 * const f = figure('error-vs-depth', { title: 'my map', series: [{ ...s, label: 'Euler map' }] });
 * console.log(f.figure, f.size, f.plot.data.length > 0, f.plot.layout.xaxis.type);
 * //> error-vs-depth single true log
 * ```
 */
export function figure(name: string, data: unknown, opts: { caption?: string; id?: string } = {}): Figure {
  checkKeys(opts, ['caption', 'id'], 'figure options');
  if (typeof name !== 'string') throw new UserError('figure: the name must be text (see listFigures())');
  const spec = getFigure(name);
  if (opts.id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(opts.id)) throw new UserError(`figure id '${opts.id}' is not a file stem (letters, digits, . _ -)`);
  const plain = toPlain(data);
  let plot: PlotSpec;
  try {
    plot = spec.build(plain);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`figure '${name}': cannot draw its data: ${(e as Error).message.split('\n')[0]}`);
  }
  return {
    figure: name, ...(opts.id ? { id: opts.id } : {}), title: spec.title, size: spec.size, data: plain,
    ...(opts.caption ? { caption: opts.caption } : {}), plot,
  };
}

/** Options of {@link exportFigures}. */
export interface ExportFiguresOptions {
  /** Folder to write into (created). */
  outDir: string;
  /** Any of html, svg, png, pdf (default all; SVG/PNG/PDF need Chromium, else only HTML is written and one line says why). */
  formats?: readonly Format[] | string;
  /** Embed plotly (and MathJax) in every HTML file instead of one shared copy beside them. */
  inline?: boolean;
  /** Provenance written beside every figure: the command that made the data, and its seed. */
  command?: string;
  seed?: number;
  /** Progress: figure `done` of `total` written. */
  onProgress?: (done: number, total: number, id: string) => void;
}

/**
 * Write figures to files: per figure ID.html (interactive), ID.svg, ID.png (300 dpi), ID.pdf
 * (vector) through one headless Chromium session, and ID.data.json (a `depthlimit figures
 * --from` file), ID.csv and ID.provenance.json (command, seed, version, commit). Every figure
 * is built before anything is written, so bad data leaves no files; each file is written
 * atomically. Playwright loads only here.
 *
 * Arguments: `figures` (from {@link figure}, or `{ figure: name, data }` entries) and
 * {@link ExportFiguresOptions}.
 *
 * Returns: a promise of the {@link ExportResult}.
 *
 * Throws: UserError on an unknown figure or format, data a figure cannot draw, or repeated ids.
 *
 * @example
 * ```ts
 * import { exportFigures, figure, sweep } from 'depthlimit';
 * import { mkdtempSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const s = sweep({ map: 'x + eps*sin(x)', x0: [0.5], depths: '8..128' });
 * const dir = mkdtempSync(join(tmpdir(), 'figs-'));
 * const r = await exportFigures([figure('error-vs-depth', { title: 'map', series: [{ ...s, label: 'map' }] })], { outDir: dir, formats: 'html' });
 * console.log(r.figures[0].files.sort().join(' '));
 * rmSync(dir, { recursive: true });
 * //> error-vs-depth.csv error-vs-depth.data.json error-vs-depth.html error-vs-depth.provenance.json
 * ```
 */
export async function exportFigures(figures: readonly (Figure | FigureEntry)[], opts: ExportFiguresOptions): Promise<ExportResult> {
  if (!Array.isArray(figures)) throw new UserError('exportFigures: give a list of figures');
  if (!opts || typeof opts.outDir !== 'string' || opts.outDir.trim() === '') throw new UserError('exportFigures: outDir is required');
  checkKeys(opts, ['outDir', 'formats', 'inline', 'command', 'seed', 'onProgress'], 'exportFigures options');
  const formats = opts.formats === undefined ? [...FORMATS] : typeof opts.formats === 'string' ? parseFormats(opts.formats) : parseFormats(opts.formats.join(','));
  const entries: FigureEntry[] = figures.map((f, i) => {
    if (!f || typeof f !== 'object' || typeof f.figure !== 'string') throw new UserError(`exportFigures: entry ${i} is not a figure (use figure(name, data))`);
    return { figure: f.figure, data: toPlain(f.data), ...(f.caption ? { caption: f.caption } : {}), ...(f.id ? { id: f.id } : {}) };
  });
  const [{ exportFigures: write }, { assignFigureIds }] = await Promise.all([import('../figures/export.ts'), import('../report/notebook.ts')]);
  return write(assignFigureIds(entries), {
    outDir: opts.outDir, formats,
    ...(opts.inline !== undefined ? { inline: opts.inline } : {}),
    ...(opts.command !== undefined ? { command: opts.command } : {}),
    ...(opts.seed !== undefined ? { seed: seedOption(opts.seed) } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}
