/**
 * Notebooks as a library: define one, run it, write its page and figures (src/report/notebook.ts
 * runs and records it, src/report/outputs.ts writes it: the code `depthlimit notebook` runs).
 */
import type { Format } from '../figures/formats.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { defineNotebook as define, runNotebook as run, type Block, type Notebook, type NotebookContext, type NotebookRecord } from '../report/notebook.ts';
import { UserError } from '../util/errors.ts';
import { seedOption } from '../commands/args.ts';
import { checkOutputDir } from '../util/io.ts';
import type { ExportResult } from './figures.ts';
import { checkKeys } from './spec.ts';

export type { Block, Notebook, NotebookContext, NotebookRecord };

/**
 * Declare a notebook: a short script that wires derivations, sweeps and figures to prose and
 * display math, and records what they return. It implements no mathematics itself.
 *
 * Arguments: `{ name, title, summary, run(nb) }`; `name` is kebab-case (the file stem of its
 * page and the prefix of its figure files); `run` receives a {@link NotebookContext}:
 * `nb.section`, `nb.text` (Markdown, inline `$…$`), `nb.tex` (display math, checked by KaTeX at
 * once), `nb.table`, `nb.figure(name, data, caption)` (a registered figure, built at once),
 * `nb.result(key, value)`, `nb.log`, and `nb.mode` ('quick' | 'full'), `nb.seed`.
 *
 * Returns: the notebook, checked.
 *
 * Throws: UserError on a name that is not kebab-case or a missing title, summary or run.
 *
 * @example
 * ```ts
 * import { defineNotebook, derive } from 'depthlimit';
 * const nb = defineNotebook({
 *   name: 'my-layer', title: 'My layer', summary: 'The continuum limit of a cubic layer.',
 *   run(nb) {
 *     const dv = derive({ layer: 'ff', g: '-gamma*z^3' }, { order: 2 });
 *     nb.section('Continuum limit');
 *     nb.tex(dv.tex.ode);
 *     nb.result('verdict', dv.verification.verdict);
 *   },
 * });
 * console.log(nb.name);
 * //> my-layer
 * ```
 */
export function defineNotebook(notebook: Notebook): Notebook {
  return define(notebook);
}

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** 'quick' (test-sized; the notebook reads nb.mode) or 'full' (default). */
  mode?: 'quick' | 'full';
  /** Seed of the notebook's random numbers: an integer 0 … 2^32 − 1 (default 20191029). */
  seed?: number;
  /** Write OUT/notebooks/NAME.{md,html,json} and the figures OUT/figures/* here (default: write nothing). */
  outDir?: string;
  /** Figure formats when writing (default all; SVG/PNG/PDF need Chromium). */
  formats?: readonly Format[] | string;
  /** The notebook's progress lines (nb.log); default: dropped. */
  log?: (line: string) => void;
  /** Called after each recorded block or result (live printing). */
  onBlock?: (block: Block | { kind: 'result'; key: string; value: unknown }, record: NotebookRecord) => void;
}

/** What runNotebook returns: the record, and what was written when `outDir` was given. */
export interface NotebookRun {
  /** Blocks, results and figure entries, in order; `error` when the notebook threw (its first line). */
  record: NotebookRecord;
  /** Paths of the page written (with outDir). */
  page?: { md: string; html: string; json: string };
  /** The figure export (with outDir). */
  figures?: ExportResult;
}

/**
 * Run a notebook and record what it shows; with `outDir`, write its Markdown and HTML pages
 * (KaTeX rendered), its JSON (results and figure data: a `depthlimit figures --from` file)
 * and its figures, as `depthlimit notebook` does. An exception inside the notebook does not
 * escape: it is `record.error`, and the blocks recorded before it are kept. The record holds
 * no wall-clock time, so the same seed and mode give the same files.
 *
 * Arguments: a notebook from {@link defineNotebook}, or the path of a .js/.ts file whose
 * default export is one (as `depthlimit notebook PATH` takes it); and {@link RunNotebookOptions}.
 *
 * Returns: a promise of the {@link NotebookRun}.
 *
 * Throws: UserError on bad options or a file that cannot be loaded (a
 * notebook's own failure is `record.error`).
 *
 * @example
 * ```ts
 * import { defineNotebook, runNotebook } from 'depthlimit';
 * const nb = defineNotebook({
 *   name: 'two-steps', title: 'Two steps', summary: 'A notebook that stops half way.',
 *   run(nb) {
 *     nb.text('First step.');
 *     nb.result('answer', 42);
 *     throw new Error('the second step failed');
 *   },
 * });
 * const { record } = await runNotebook(nb, { mode: 'quick', seed: 1 });
 * console.log(record.blocks.length, record.results.answer, record.error);
 * //> 1 42 the second step failed
 * ```
 */
export async function runNotebook(notebook: Notebook | string, options: RunNotebookOptions = {}): Promise<NotebookRun> {
  if (options === null || typeof options !== 'object') throw new UserError('runNotebook options must be an object such as { mode: "quick" }');
  checkKeys(options, ['mode', 'seed', 'outDir', 'formats', 'log', 'onBlock'], 'runNotebook options');
  // a file is loaded as `depthlimit notebook PATH` loads it (the built-in notebooks live outside the package's library)
  const nb = typeof notebook === 'string' ? await (await import('../report/notebook-file.ts')).loadNotebookFile(notebook) : define(notebook);
  const mode = options.mode ?? 'full';
  if (mode !== 'quick' && mode !== 'full') throw new UserError(`mode must be quick or full, got '${String(mode)}'`);
  const seed = seedOption(options.seed);
  const formats = options.formats === undefined ? [...FORMATS] : parseFormats(typeof options.formats === 'string' ? options.formats : options.formats.join(','));
  // the folder is checked before the notebook runs, not after (a run may take minutes)
  if (options.outDir !== undefined) checkOutputDir(options.outDir, 'outDir');
  const record = await run(nb, { mode, seed, ...(options.onBlock ? { onBlock: options.onBlock } : {}), log: options.log ?? (() => {}) });
  if (options.outDir === undefined) return { record };
  const { writeNotebookOutputs } = await import('../report/outputs.ts');
  const out = await writeNotebookOutputs([record], { outDir: options.outDir, formats });
  const p = out.pages[0]!;
  return { record, page: { md: p.md, html: p.html, json: p.json }, figures: out.figures };
}
