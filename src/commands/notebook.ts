/**
 * `depthlimit notebook NAME|PATH`: run one notebook, a built-in one by name or your own file
 * (.js/.mjs; .ts/.mts when tsx is installed) from any folder, print its steps as it goes, and
 * write OUT/notebooks/NAME.{md,html,json} and its figures OUT/figures/NAME--FIGURE.* (one
 * browser session). `npm run notebook -- …` is this command.
 */
import { quote, UserError } from '../util/errors.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { seedOf } from './args.ts';
import { checkOutputDir } from '../util/io.ts';
import { flag, str, type CommandSpec } from './spec.ts';
import type { Notebook } from '../report/notebook.ts';

/** An argument with a path separator or a script extension is a file; anything else a built-in name. */
const PATH_LIKE = /[\\/]|\.[mc]?[jt]s$/;

/** The notebook `arg` names: a built-in one, or the default export of the user's file. */
export async function resolveNotebook(arg: string): Promise<Notebook> {
  const [{ notebooks }, { loadNotebookFile }] = await Promise.all([import('../../notebooks/index.ts'), import('../report/notebook-file.ts')]);
  const names = notebooks.map((n) => n.name).join(', ');
  if (!PATH_LIKE.test(arg)) {
    const nb = notebooks.find((n) => n.name === arg);
    if (!nb) throw new UserError(`unknown notebook ${quote(arg)} (built-in: ${names}; or give the path of your own .js/.ts notebook file)`);
    return nb;
  }
  const nb = await loadNotebookFile(arg);
  // a user notebook called like a built-in one would write over the built-in's page and figures
  if (notebooks.some((n) => n.name === nb.name)) {
    throw new UserError(`notebook: ${arg} is named '${nb.name}', as a built-in notebook is; rename it so their files (notebooks/${nb.name}.*, figures/${nb.name}--*) stay apart`);
  }
  return nb;
}

export const command: CommandSpec = {
  name: 'notebook',
  summary: 'run a notebook (a built-in one by name, or your own .js/.ts file) and write its page and figures',
  usage: 'notebook NAME|PATH [--quick] [--seed N] [--out DIR] [--formats html,svg,png,pdf] [--list]',
  positionals: 'any',
  options: {
    quick: { type: 'boolean', description: 'test-sized runs (the notebook reads nb.mode)' },
    seed: { type: 'string', description: 'seed of the notebook\'s random numbers (nb.seed)', default: String(DEFAULT_SEED) },
    out: { type: 'string', description: 'output root: pages in OUT/notebooks, figures in OUT/figures', default: 'out' },
    formats: { type: 'string', description: `figure formats: ${FORMATS.join(',')} (SVG/PNG/PDF need Chromium)`, default: FORMATS.join(',') },
    list: { type: 'boolean', description: 'list the built-in notebooks and exit' },
  },
  examples: [
    'notebook convergence --quick',
    'notebook ./my-notebook.js --out results',
    'notebook --list',
  ],
  async run(opts, positionals) {
    const json = flag(opts, 'json');
    if (flag(opts, 'list')) {
      const { notebooks } = await import('../../notebooks/index.ts');
      if (json) console.log(JSON.stringify(notebooks.map((n) => ({ name: n.name, title: n.title }))));
      else for (const n of notebooks) console.log(`${n.name.padEnd(24)} ${n.title}`);
      return 0;
    }
    if (positionals.length !== 1) throw new UserError(positionals.length ? `one notebook at a time, got ${positionals.join(' ')}` : 'give a notebook: a built-in name (depthlimit notebook --list) or the path of your .js/.ts file');
    const seed = seedOf(str(opts, 'seed'));
    const formats = parseFormats(str(opts, 'formats') ?? FORMATS.join(','));
    const outDir = str(opts, 'out') ?? 'out';
    checkOutputDir(outDir, '--out'); // before the notebook runs
    const mode = flag(opts, 'quick') ? 'quick' : 'full';
    const nb = await resolveNotebook(positionals[0]!);
    const [{ runNotebook }, { blockText, writeNotebookOutputs }] = await Promise.all([import('../report/notebook.ts'), import('../report/outputs.ts')]);
    const say = (s: string) => { if (!json) process.stdout.write(s); };
    say(`# ${nb.title}\n> ${nb.summary}\n(${mode} mode, seed ${seed})\n`);
    const t0 = performance.now();
    const rec = await runNotebook(nb, { mode, seed, onBlock: (b, r) => say(blockText(b, r)) });
    const runSeconds = (performance.now() - t0) / 1000;
    const out = await writeNotebookOutputs([rec], {
      outDir, formats,
      onFigure: (done, total, id) => process.stderr.write(`[figures ${done}/${total}] ${id}\n`),
    });
    const page = out.pages[0]!;
    if (json) console.log(JSON.stringify({ name: rec.name, error: rec.error ?? null, pages: page, figures: out.figures.figures, staticExport: out.figures.staticExport }, null, 2));
    say(`\nwrote ${page.md}, ${page.html}, ${page.json} and ${out.figures.figures.length} figure(s) in ${out.figures.outDir} (${runSeconds.toFixed(1)} s run, ${out.figures.seconds.toFixed(1)} s export)\n`);
    if (rec.error) {
      process.stderr.write(`notebook ${rec.name} failed: ${rec.error}\n`);
      return 1;
    }
    return out.figures.staticExport === 'failed' ? 1 : 0;
  },
};
