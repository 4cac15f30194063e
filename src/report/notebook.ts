/**
 * Notebooks: short TypeScript scripts that wire experiments to prose, display math, tables and
 * figures, and read like a derivation. A notebook implements no mathematics: it calls
 * src/experiments and src/symbolic, and records what they return.
 *
 * ```ts
 * // notebooks/convergence.ts
 * export default defineNotebook({
 *   name: 'convergence', title: 'Depth convergence', summary: 'Nets converge to the ODE at rate 1.',
 *   run(nb) {
 *     nb.section('The ladder');
 *     nb.text('Halve $h = T/N$ and measure $\\|x_N - x(T)\\|$.');
 *     nb.tex('\\|x_N - x(T)\\| \\le C h^p');
 *     nb.figure('error-vs-depth', data, 'Error against step size.');
 *     nb.result('slope', 1.002);
 *   },
 * });
 * ```
 * Run one with `depthlimit notebook NAME` (a built-in one) or `depthlimit notebook PATH` (your
 * own file, .js or .ts, whose default export is such an object), src/commands/notebook.ts.
 *
 * Figure ids are namespaced by notebook: the files of a figure are NOTEBOOK--ID.* (ID = the
 * figure name, `-2`, `-3`, … for later drawings, or the id passed to `nb.figure`), so two
 * notebooks never write the same file; an id used twice within one notebook is an error.
 */
import { getFigure } from '../figures/registry.ts';
import { texLabels } from '../figures/html.ts';
import { checkProseMath, checkTeX } from './tex.ts';
import { firstLineOf, UserError } from '../util/errors.ts';

export interface NotebookContext {
  mode: 'quick' | 'full';
  seed: number;
  section(title: string): void;
  /** Prose (Markdown subset: paragraphs, lists, **bold**, *em*, `code`, links), inline math as $...$. */
  text(markdown: string): void;
  /** Display math; KaTeX-validated at once (a ParseError fails the notebook). */
  tex(tex: string): void;
  table(header: string[], rows: (string | number)[][], caption?: string): void;
  /**
   * A registered figure and its data (built at once, so a bad spec fails here). Its files are
   * NOTEBOOK--ID.*: ID is `opts.id` (kebab-case) or the figure name (`-2`, `-3`, … when drawn
   * again); an id already drawn in this notebook fails it.
   */
  figure(name: string, data: unknown, caption?: string, opts?: { id?: string }): void;
  /** Saved to out/notebooks/<name>.json under `results`. */
  result(key: string, value: unknown): void;
  /** Progress line on stderr. */
  log(line: string): void;
}

export interface Notebook {
  /** kebab-case; the output file stem and the `npm run notebook -- NAME` argument. */
  name: string;
  title: string;
  summary: string;
  run(nb: NotebookContext): Promise<void> | void;
}

/** Notebook names and figure ids: a-z, 0-9, single hyphens (so `--` separates them in file names). */
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function defineNotebook(n: Notebook): Notebook {
  if (!n || typeof n !== 'object') throw new UserError('a notebook is an object { name, title, summary, run }');
  if (typeof n.name !== 'string' || !KEBAB.test(n.name)) throw new UserError(`notebook name '${String(n.name)}' is not kebab-case (a-z, 0-9, single hyphens)`);
  for (const k of ['title', 'summary'] as const) if (typeof n[k] !== 'string') throw new UserError(`notebook ${n.name}: ${k} must be a string`);
  if (typeof n.run !== 'function') throw new UserError(`notebook ${n.name}: run must be a function (nb) => …`);
  return n;
}

/** What a notebook recorded, in order. */
export type Block =
  | { kind: 'section'; title: string }
  | { kind: 'text'; markdown: string }
  | { kind: 'tex'; tex: string }
  | { kind: 'table'; header: string[]; rows: (string | number)[][]; caption?: string }
  | { kind: 'figure'; figure: string; index: number; caption?: string };

/** A figure to draw: a registered spec name and its data (the `--from` result-file entry). */
export interface FigureEntry {
  figure: string;
  data: unknown;
  caption?: string;
  /** Output file stem; assigned by `assignFigureIds` (default: the figure name). */
  id?: string;
  /** Where it came from (a notebook name, 'sample', a result file). */
  source?: string;
}

export interface NotebookRecord {
  name: string;
  title: string;
  summary: string;
  mode: 'quick' | 'full';
  seed: number;
  blocks: Block[];
  results: Record<string, unknown>;
  /** Figures in order; Block 'figure' refers to them by index. Also a valid `--from` file. */
  figures: FigureEntry[];
  /** The first line of the exception, when the notebook failed (blocks so far are kept). */
  error?: string;
}

/** o[k] = value, also for k = '__proto__' (an assignment would set the prototype and the key be lost). */
function ownKey(o: Record<string, unknown>, k: string, value: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
  else o[k] = value;
}

/** Typed arrays and nested objects → plain JSON-ready values (Float64Array would serialise as an object). */
export function toPlain(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function' && x !== undefined) ownKey(o, k, toPlain(x));
    return o;
  }
  return v;
}

/**
 * `v` as plain data (toPlain) that NAME.json can hold, or a UserError naming it: a BigInt or a
 * cycle fails the notebook here, not the writing of its page after it ran.
 */
function savable(v: unknown, what: string): unknown {
  let plain: unknown;
  try {
    plain = toPlain(v);
    JSON.stringify(plain);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!;
    throw new UserError(`${what}: not JSON data (${/call stack/i.test(why) ? 'it contains itself, or is nested too deeply' : why})`);
  }
  return plain;
}

export interface RunOptions {
  mode: 'quick' | 'full';
  seed: number;
  /** Called after each recorded block/result, for live printing. */
  onBlock?: (b: Block | { kind: 'result'; key: string; value: unknown }, rec: NotebookRecord) => void;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/**
 * A fresh record for `nb` and the context that records into it: what `runNotebook` hands to
 * `nb.run`, and what a Jupyter kernel holds while the notebook's cells run one by one
 * (src/report/jupyter-kernel.ts), so both ways of running check and record exactly alike.
 */
export function notebookContext(nb: Notebook, opts: RunOptions): { ctx: NotebookContext; rec: NotebookRecord } {
  const rec: NotebookRecord = {
    name: nb.name, title: nb.title, summary: nb.summary, mode: opts.mode, seed: opts.seed,
    blocks: [], results: {}, figures: [],
  };
  const where = (what: string) => `notebook ${nb.name}, ${what}`;
  const push = (b: Block) => { rec.blocks.push(b); opts.onBlock?.(b, rec); };
  const log = opts.log ?? ((line: string) => { process.stderr.write(`[${nb.name}] ${line}\n`); });
  checkProseMath(nb.title, where('title'));
  checkProseMath(nb.summary, where('summary'));
  const ctx: NotebookContext = {
    mode: opts.mode, seed: opts.seed,
    section: (title) => { checkProseMath(title, where('section')); push({ kind: 'section', title }); },
    text: (markdown) => { checkProseMath(markdown, where('text')); push({ kind: 'text', markdown }); },
    tex: (tex) => { checkTeX(tex, where('tex')); push({ kind: 'tex', tex }); },
    table: (header, rows, caption) => {
      for (const c of [...header, ...rows.flat(), caption ?? '']) if (typeof c === 'string') checkProseMath(c, where('table'));
      push({ kind: 'table', header, rows, ...(caption ? { caption } : {}) });
    },
    figure: (name, data, caption, fopts) => {
      const id = figureId(nb.name, name, fopts?.id, rec.figures);
      const spec = getFigure(name);
      const plain = savable(data, where(`figure ${name}`));
      // fail here, inside the notebook, on data the spec cannot draw or a TeX label (e.g. a
      // yTitle the notebook passed) that KaTeX rejects or that lost a backslash
      for (const t of texLabels(spec.build(plain))) checkTeX(t, where(`figure ${name} label`), false);
      if (caption) checkProseMath(caption, where('figure caption'));
      rec.figures.push({ figure: name, id, data: plain, ...(caption ? { caption } : {}), source: nb.name });
      push({ kind: 'figure', figure: name, index: rec.figures.length - 1, ...(caption ? { caption } : {}) });
    },
    result: (key, value) => {
      ownKey(rec.results, key, savable(value, where(`result ${key}`)));
      opts.onBlock?.({ kind: 'result', key, value: rec.results[key] }, rec);
    },
    log,
  };
  return { ctx, rec };
}

/**
 * Run one notebook and record it. A thrown exception does not escape: it is stored in
 * `record.error` (the report shows it, the runner exits non-zero). The record holds no
 * wall-clock time (it is saved as NAME.json and drawn as pages, which must be byte-identical
 * for the same seed and mode); callers that want timings measure the call.
 */
export async function runNotebook(nb: Notebook, opts: RunOptions): Promise<NotebookRecord> {
  let made: ReturnType<typeof notebookContext> | undefined;
  try {
    made = notebookContext(nb, opts);
    await nb.run(made.ctx);
  } catch (e) {
    const error = errorLine(e);
    if (made) made.rec.error = error;
    else return { name: nb.name, title: nb.title, summary: nb.summary, mode: opts.mode, seed: opts.seed, blocks: [], results: {}, figures: [], error };
  }
  return made.rec;
}

/**
 * The first non-empty line of what a notebook threw, never empty: `record.error` is how every
 * caller tells a failed notebook (an empty one would pass for success), and `throw null` is a
 * failure of the notebook, not of the runner.
 */
function errorLine(e: unknown): string {
  let text = '';
  try {
    const message = (e as { message?: unknown } | null | undefined)?.message;
    text = typeof message === 'string' ? message : String(e);
  } catch { /* no string form (an object without a prototype) */ }
  return firstLineOf(text) ?? (e instanceof Error ? e.name : `${typeof e} thrown`);
}

/**
 * The output stem of a notebook's figure: NOTEBOOK--ID (see the module comment). `--` cannot
 * occur in a kebab-case notebook name or id, so every stem names its notebook. UserError on a
 * bad or repeated explicit id.
 */
export function figureId(notebook: string, figure: string, id: string | undefined, drawn: readonly FigureEntry[]): string {
  const taken = new Set(drawn.map((f) => f.id));
  if (id !== undefined) {
    if (typeof id !== 'string' || !KEBAB.test(id)) throw new UserError(`figure id '${String(id)}' is not kebab-case (a-z, 0-9, single hyphens)`);
    const stem = `${notebook}--${id}`;
    if (taken.has(stem)) throw new UserError(`figure id '${id}' is drawn twice in notebook ${notebook} (its files would overwrite each other)`);
    return stem;
  }
  let n = 1, stem = `${notebook}--${figure}`;
  while (taken.has(stem)) stem = `${notebook}--${figure}-${++n}`;
  return stem;
}

/**
 * Give every figure entry a unique output stem, deterministically: the first drawing of a
 * figure keeps its name, later ones get `-2`, `-3`, … in order.
 */
export function assignFigureIds(entries: FigureEntry[]): FigureEntry[] {
  const count = new Map<string, number>();
  const taken = new Set(entries.filter((e) => e.id).map((e) => e.id!));
  for (const e of entries) {
    if (e.id) continue;
    let n = count.get(e.figure) ?? 0;
    let id: string;
    do { n++; id = n === 1 ? e.figure : `${e.figure}-${n}`; } while (taken.has(id));
    count.set(e.figure, n);
    taken.add(id);
    e.id = id;
  }
  return entries;
}
