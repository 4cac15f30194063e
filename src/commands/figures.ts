/**
 * `depthlimit figures`: draw registered figures from a saved result file (or their seeded
 * sample data) and export them as HTML, SVG, PNG (300 dpi) and PDF in one Chromium session.
 */
import { UserError } from '../util/errors.ts';
import { checkOutputDir, readUserFile } from '../util/io.ts';
import { table } from '../util/format.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { sampleShape, shapeMismatch } from '../figures/shape.ts';
import type { FigureEntry } from '../report/notebook.ts';
import { parseList } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

/**
 * Read figure entries from a result file: `{ figures: [{figure, data}] }` (a notebook's
 * NAME.json), a bare array of entries, or one entry (a figure's NAME.data.json).
 */
export function readResultFile(path: string): FigureEntry[] {
  return readResult(path).entries;
}

/** The entries of a result file and the seed that made them (a notebook's NAME.json records it). */
export function readResult(path: string): { entries: FigureEntry[]; seed: number | null } {
  const text = readUserFile(path, 'result file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`result file ${path} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(json) ? json
    : json && typeof json === 'object' && Array.isArray((json as { figures?: unknown }).figures) ? (json as { figures: unknown[] }).figures
      : json && typeof json === 'object' && 'figure' in json ? [json] : undefined;
  if (!list) throw new UserError(`result file ${path} has no figure entries (expected {figures: [{figure, data}]}, an array of them, or one {figure, data})`);
  if (!list.length) throw new UserError(`result file ${path} has an empty figure list`);
  const seed = json && typeof json === 'object' && Number.isInteger((json as { seed?: unknown }).seed) ? (json as { seed: number }).seed : null;
  const entries = list.map((e, i) => {
    if (!e || typeof e !== 'object') throw new UserError(`result file ${path}: entry ${i} is not an object`);
    const o = e as Record<string, unknown>;
    if (typeof o['figure'] !== 'string') throw new UserError(`result file ${path}: entry ${i} has no "figure" name`);
    if (!('data' in o)) throw new UserError(`result file ${path}: entry ${i} (${o['figure']}) has no "data"`);
    return {
      figure: o['figure'], data: o['data'],
      ...(typeof o['caption'] === 'string' ? { caption: o['caption'] } : {}),
      ...(typeof o['id'] === 'string' ? { id: o['id'] } : {}),
      source: typeof o['source'] === 'string' ? o['source'] : path,
    };
  });
  return { entries, seed };
}

export const command: CommandSpec = {
  name: 'figures',
  summary: 'export paper figures (HTML, SVG, PNG 300 dpi, PDF) from a saved result file',
  usage: 'figures (--from RESULT.json | --sample | --list) [--out DIR] [--formats html,svg,png,pdf] [--only NAME] [--inline]',
  options: {
    list: { type: 'boolean', description: 'list registered figures and exit' },
    from: { type: 'string', description: 'saved result file: {figures:[{figure,data}]}, e.g. out/notebooks/NAME.json' },
    sample: { type: 'boolean', description: 'draw every registered figure from its seeded sample data' },
    out: { type: 'string', description: 'output directory', default: 'out/figures' },
    formats: { type: 'string', description: `comma-separated subset of ${FORMATS.join(',')}`, default: FORMATS.join(',') },
    only: { type: 'string', description: 'comma-separated figure names (or ids) to export' },
    inline: { type: 'boolean', description: 'embed plotly in each HTML file (single-file pages) instead of a shared plotly.min.js' },
  },
  examples: ['figures --list', 'figures --from out/notebooks/convergence.json --out figs --formats svg,pdf', 'figures --sample --only certified-convergence'],
  async run(opts) {
    const json = flag(opts, 'json');
    const [{ allFigures, getFigure }, { SIZES }] = await Promise.all([import('../figures/registry.ts'), import('../figures/style.ts')]);
    if (flag(opts, 'list')) {
      const figs = allFigures();
      if (json) console.log(JSON.stringify(figs.map((f) => ({ name: f.name, title: f.title, size: f.size }))));
      else console.log(table(['figure', 'size', 'title'], figs.map((f) => [f.name, `${f.size} (${SIZES[f.size].inches} in)`, f.title])));
      return 0;
    }
    const out = str(opts, 'out') ?? 'out/figures';
    checkOutputDir(out, '--out');
    const from = str(opts, 'from');
    if (from && flag(opts, 'sample')) throw new UserError('give either --from RESULT.json or --sample, not both');
    const formats = parseFormats(str(opts, 'formats') ?? FORMATS.join(','));
    const only = str(opts, 'only');
    const names = only === undefined ? undefined : parseList(only, '--only');
    let entries: FigureEntry[];
    let seed: number | null = null;
    if (from) ({ entries, seed } = readResult(from));
    // samples only of the figures asked for: some samples run a small experiment
    else if (flag(opts, 'sample')) entries = allFigures().filter((f) => !names || names.includes(f.name)).map((f) => ({ figure: f.name, data: f.sample(), source: 'sample' }));
    else throw new UserError('nothing to draw: give --from RESULT.json (or --sample for sample data, --list to list figures)');
    const [{ assignFigureIds }, { exportFigures }, { consoleProgress }] = await Promise.all([
      import('../report/notebook.ts'), import('../figures/export.ts'), import('../report/progress.ts'),
    ]);
    assignFigureIds(entries);
    if (names) {
      for (const n of names) {
        if (!entries.some((e) => e.figure === n || e.id === n)) {
          getFigure(n); // unknown name: UserError listing the registered ones
          throw new UserError(`figure '${n}' has no entry in ${from ?? 'the sample set'}`);
        }
      }
      entries = entries.filter((e) => names.includes(e.figure) || names.includes(e.id!));
    }
    // a saved file's data must have its figure's types where it has a field (missing fields are
    // diagnosed if the figure cannot be drawn): one line naming the field, before any work
    if (from) {
      for (const e of entries) {
        const m = shapeMismatch(e.data, sampleShape(getFigure(e.figure)), 'data', false);
        if (m) throw new UserError(`result file ${from}: figure '${e.id}'${e.id === e.figure ? '' : ` (${e.figure})`}: ${m}`);
      }
    }
    const progress = consoleProgress();
    let result;
    try {
      result = await exportFigures(entries, {
        outDir: out, formats, inline: flag(opts, 'inline'), seed,
        onProgress: (done, total, id) => progress({ stage: 'figures', done, total, label: id }),
      });
    } finally {
      progress.stop();
    }
    if (json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(table(['figure', 'files'], result.figures.map((f) => [f.id, f.files.map((x) => x.slice(f.id.length)).join(' ')])));
      const note = result.staticExport === 'chromium missing' ? ' (HTML only: Chromium missing)'
        : result.staticExport === 'failed' ? ' (HTML only: the Chromium export failed)' : '';
      console.log(`wrote ${result.figures.length} figure(s) to ${out} in ${result.seconds.toFixed(1)} s${note}`);
    }
    return result.staticExport === 'failed' ? 1 : 0;
  },
};
