/**
 * `npm run jupyter [-- --out DIR] [--quick] [--seed N] [NAME …]`: write every built-in notebook
 * (or the named ones) as a Jupyter notebook, DIR/NAME.ipynb (default out/jupyter/), cut from its
 * notebooks/NAME.ts (src/report/jupyter.ts). Open them with `jupyter notebook out/jupyter/`
 * after `npx tslab install` (README, "Notebooks in Jupyter").
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { notebooks } from '../../notebooks/index.ts';
import { rejectEmptyValues, rejectRepeatedOptions, seedOf } from '../commands/args.ts';
import { packageRoot } from '../util/package-root.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { UserError } from '../util/errors.ts';
import { writeJupyterNotebooks } from './jupyter.ts';

/** The built-in notebooks with their source files (notebooks/NAME.ts, as notebooks/index.ts says). */
export function builtinNotebookFiles(root = packageRoot()) {
  return notebooks.map((notebook) => ({ notebook, file: join(root, 'notebooks', `${notebook.name}.ts`) }));
}

export const JUPYTER_USAGE = [
  'npm run jupyter: every built-in notebook (or the ones named) as a Jupyter notebook, DIR/NAME.ipynb', '',
  '  Usage: npm run jupyter [-- [--out DIR] [--quick] [--seed N] [NAME …]]', '',
  '  Options:',
  `    --out DIR      output folder (default ${join('out', 'jupyter')})`,
  '    --quick        test-sized runs (the notebooks read nb.mode)',
  `    --seed N       PRNG seed, an integer 0 … 4294967295 (default ${DEFAULT_SEED})`,
  '    -h, --help     show this help', '',
].join('\n');

/** Write the notebooks `argv` asks for and return their paths; with --help, print the usage and write nothing. */
export async function writeJupyter(argv: string[]): Promise<string[]> {
  const { values, positionals, tokens } = parseArgs({
    args: argv, allowPositionals: true, tokens: true,
    options: {
      out: { type: 'string', default: join('out', 'jupyter') }, quick: { type: 'boolean' }, seed: { type: 'string', default: String(DEFAULT_SEED) },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(JUPYTER_USAGE);
    return [];
  }
  rejectRepeatedOptions(tokens);
  rejectEmptyValues(values);
  const all = builtinNotebookFiles();
  for (const n of positionals) if (!all.some((e) => e.notebook.name === n)) throw new UserError(`no built-in notebook named '${n}' (have: ${all.map((e) => e.notebook.name).join(', ')})`);
  const chosen = positionals.length ? all.filter((e) => positionals.includes(e.notebook.name)) : all;
  return writeJupyterNotebooks(chosen, values.out!, { mode: values.quick ? 'quick' : 'full', seed: seedOf(values.seed!), root: packageRoot() });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const p of await writeJupyter(process.argv.slice(2))) console.log(`wrote ${p}`);
  } catch (e) {
    console.error(`depthlimit jupyter: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
}
