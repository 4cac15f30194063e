/**
 * Writing what notebooks recorded: every figure of the run exported in ONE browser session
 * (out/figures/), then each notebook's NAME.md, NAME.html and NAME.json (out/notebooks/).
 * And `--out DIR` of the experiment commands (converge, gamma, adjoint-gap): DIR/NAME.json
 * (the result and its figure entries, itself a `figures --from` file) and those figures.
 */
import { join } from 'node:path';
import { copySharedScripts, exportPrepared, openExport, prepareFigures, type ExportResult, type ExportSession, type Format, type PreparedFigure } from '../figures/export.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/io.ts';
import { provenance } from '../util/provenance.ts';
import { table } from '../util/format.ts';
import type { ResultCache } from '../util/cache.ts';
import { assignFigureIds, type Block, type FigureEntry, type NotebookRecord } from './notebook.ts';
import { notebookHtml, notebookMarkdown, shortValue } from './pages.ts';

export interface NotebookOutputs {
  figures: ExportResult;
  prepared: Map<string, PreparedFigure>;
  /** Paths written per notebook: md, html, json. */
  pages: { name: string; md: string; html: string; json: string }[];
}

export interface WriteOptions {
  /** The run's root: figures go to <outDir>/figures, pages to <outDir>/notebooks. */
  outDir: string;
  formats?: Format[];
  command?: string;
  onFigure?: (done: number, total: number, id: string) => void;
  log?: (line: string) => void;
  /** Static figure files already drawn for the same figure and code are taken from here. */
  cache?: ResultCache | null;
}

const exportOptions = (opts: WriteOptions, seed: number | null) => ({
  outDir: join(opts.outDir, 'figures'), ...(opts.formats ? { formats: opts.formats } : {}), ...(opts.command ? { command: opts.command } : {}), seed,
  ...(opts.onFigure ? { onProgress: opts.onFigure } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.cache ? { cache: opts.cache } : {}),
});

/**
 * A run's figure export started before its notebooks end (`npm start`): `add` each record as its
 * notebook ends and the browser draws its figures while the rest of the run goes on; then
 * `writeNotebookOutputs(records, { ...opts, started })` waits for them and writes the pages.
 * Each notebook's figures are built (and bad data refused) when it is added; their ids are
 * NOTEBOOK--ID already, unique across notebooks.
 */
export interface StartedExport {
  add(rec: NotebookRecord): void;
  /** Add what is not yet added, wait for every figure; the figures in `records` order. */
  finish(records: NotebookRecord[]): Promise<{ built: PreparedFigure[]; figures: ExportResult }>;
  /** Draw nothing more and close the browser (the run failed before `finish`). */
  abandon(): Promise<void>;
}

export function startNotebookExport(opts: WriteOptions & { seed: number }): StartedExport {
  const session = openExport(exportOptions(opts, opts.seed), true); // a notebook figure with TeX labels may come
  const prepared = new Map<string, PreparedFigure[]>();
  let failure: unknown;
  const add = (rec: NotebookRecord) => {
    if (prepared.has(rec.name) || failure) return;
    try {
      const figs = prepareFigures(assignFigureIds(rec.figures));
      prepared.set(rec.name, figs);
      session.add(figs);
    } catch (e) {
      failure = e; // a bad figure: thrown by finish
    }
  };
  return {
    add,
    async finish(records) {
      records.forEach(add);
      if (failure) throw failure;
      const built = records.flatMap((r) => prepared.get(r.name)!);
      return { built, figures: await session.finish(built.map((f) => f.id)) };
    },
    abandon: () => session.abandon(),
  };
}

/**
 * Export all figures of `records` (ids made unique across them; nothing is written when one
 * cannot be built), then write their pages. With `started`, the figures go to that export, whose
 * own options (formats, command, progress, cache) were given when it was started.
 */
export async function writeNotebookOutputs(records: NotebookRecord[], opts: WriteOptions & { started?: StartedExport }): Promise<NotebookOutputs> {
  const figDir = join(opts.outDir, 'figures');
  const { built, figures } = opts.started ? await opts.started.finish(records) : await exportAll(records, opts);
  copySharedScripts(figDir, built); // the pages draw figures with it, whatever the export formats
  const prepared = new Map(built.map((f) => [f.id, f]));
  const staticFiles = figures.staticExport === 'done';
  const pages: NotebookOutputs['pages'] = [];
  const prov = provenance({ ...(opts.command ? { command: opts.command } : {}), seed: records[0]?.seed ?? null });
  for (const rec of records) {
    const dir = join(opts.outDir, 'notebooks');
    const p = { name: rec.name, md: join(dir, `${rec.name}.md`), html: join(dir, `${rec.name}.html`), json: join(dir, `${rec.name}.json`) };
    writeFileAtomic(p.md, notebookMarkdown(rec, { href: '../figures/', staticFiles }));
    writeFileAtomic(p.html, notebookHtml(rec, { href: '../figures/', prepared, staticFiles }));
    // NAME.json: the record (results, TeX, figure data): also a `depthlimit figures --from` file
    writeJsonAtomic(p.json, { ...rec, provenance: prov });
    pages.push(p);
  }
  return { figures, prepared, pages };
}

async function exportAll(records: NotebookRecord[], opts: WriteOptions): Promise<{ built: PreparedFigure[]; figures: ExportResult }> {
  const built = prepareFigures(assignFigureIds(records.flatMap((r) => r.figures)));
  return { built, figures: await exportPrepared(built, exportOptions(opts, records[0]?.seed ?? null)) }; // every record of a run shares its seed
}

/** A recorded block as plain text for the terminal (the notebook "prints its steps"). */
export function blockText(b: Block | { kind: 'result'; key: string; value: unknown }, rec: NotebookRecord): string {
  switch (b.kind) {
    case 'section': return `\n## ${b.title}\n`;
    case 'text': return b.markdown + '\n\n';
    case 'tex': return `    $$ ${b.tex} $$\n\n`;
    case 'table': return table(b.header, b.rows.map((r) => r.map((c) => (typeof c === 'number' ? shortValue(c) : c)))) + (b.caption ? `\n  (${b.caption})` : '') + '\n';
    case 'figure': return `[figure ${b.index + 1}: ${rec.figures[b.index]?.id ?? b.figure}]${b.caption ? ' ' + b.caption : ''}\n\n`;
    case 'result': return `= ${b.key}: ${shortValue(b.value)}\n`;
  }
}

/**
 * `--out DIR` of an experiment command: every figure is built first (bad data fails before a
 * file is written), then DIR/<name>.json = { ...result, figures, provenance } (`depthlimit
 * figures --from` reads it as it is) and the figures in `formats` through one browser session.
 */
export async function writeCommandOutputs(dir: string, name: string, result: Record<string, unknown>, figures: FigureEntry[],
  opts: { formats?: Format[]; log?: (line: string) => void } = {}): Promise<{ json: string; figures: ExportResult }> {
  const entries = assignFigureIds(figures.map((f) => ({ source: name, ...f })));
  const built = prepareFigures(entries);
  const json = join(dir, `${name}.json`);
  writeJsonAtomic(json, { ...result, figures: entries, provenance: provenance({ seed: null }) });
  const exported = await exportPrepared(built, { outDir: dir, seed: null, ...(opts.formats ? { formats: opts.formats } : {}), ...(opts.log ? { log: opts.log } : {}) });
  return { json, figures: exported };
}

/** One line for the terminal after `writeCommandOutputs`. */
export function commandOutputsLine(w: { json: string; figures: ExportResult }): string {
  const f = w.figures;
  const note = f.staticExport === 'chromium missing' ? ' (HTML only: Chromium missing)' : f.staticExport === 'failed' ? ` (HTML only: ${f.staticError})` : '';
  return `wrote ${w.json} and ${f.figures.length} figure(s) in ${f.outDir}: ${f.figures.map((x) => x.id).join(', ')}${note}`;
}
