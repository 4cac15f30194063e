/**
 * `npm run notebook -- NAME [--quick] [--seed N] [--out DIR] [--formats html,svg,png,pdf]`:
 * run one notebook from notebooks/index.ts, print its steps as it goes, and write
 * out/notebooks/NAME.{md,html,json} and its figures under out/figures/ (one browser).
 */
import { parseArgs } from 'node:util';
import { notebooks } from '../../notebooks/index.ts';
import { UserError } from '../util/errors.ts';
import { rejectEmptyValues, seedOf } from '../commands/args.ts';
import { checkOutputDir } from '../util/io.ts';
import { FORMATS, parseFormats } from '../figures/export.ts';
import { runNotebook, type Notebook } from './notebook.ts';
import { blockText, writeNotebookOutputs } from './outputs.ts';

const USAGE = 'usage: npm run notebook -- NAME [--quick] [--seed N] [--out DIR] [--formats html,svg,png,pdf]';

/** Run notebook `argv[0]` from `list`; returns the exit code (0 ok, 1 the notebook failed). */
export async function runNotebookCli(argv: string[], list: Notebook[] = notebooks): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        quick: { type: 'boolean' }, seed: { type: 'string' }, out: { type: 'string' },
        formats: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UserError(`${(e as Error).message.split('\n')[0]} (${USAGE})`);
  }
  const v = parsed.values;
  const names = list.map((n) => n.name);
  if (v.help) {
    process.stdout.write(`${USAGE}\nnotebooks: ${names.join(', ') || '(none registered)'}\n`);
    return 0;
  }
  rejectEmptyValues(v);
  const name = parsed.positionals[0];
  if (!name) throw new UserError(`give a notebook name (${names.join(', ') || 'none registered'}); ${USAGE}`);
  if (parsed.positionals.length > 1) throw new UserError(`one notebook at a time, got ${parsed.positionals.join(' ')}`);
  const nb = list.find((n) => n.name === name);
  if (!nb) throw new UserError(`unknown notebook '${name}' (registered: ${names.join(', ') || 'none'})`);
  const seed = seedOf(v.seed);
  const formats = parseFormats(v.formats ?? FORMATS.join(','));
  const outDir = v.out ?? 'out';
  checkOutputDir(outDir, '--out');
  const mode = v.quick ? 'quick' : 'full';
  process.stdout.write(`# ${nb.title}\n> ${nb.summary}\n(${mode} mode, seed ${seed})\n`);
  const t0 = performance.now();
  const rec = await runNotebook(nb, { mode, seed, onBlock: (b, r) => process.stdout.write(blockText(b, r)) });
  const runSeconds = (performance.now() - t0) / 1000;
  const out = await writeNotebookOutputs([rec], {
    outDir, formats,
    onFigure: (done, total, id) => process.stderr.write(`[figures ${done}/${total}] ${id}\n`),
  });
  const page = out.pages[0]!;
  process.stdout.write(`\nwrote ${page.md}, ${page.html}, ${page.json} and ${out.figures.figures.length} figure(s) in ${out.figures.outDir} (${runSeconds.toFixed(1)} s run, ${out.figures.seconds.toFixed(1)} s export)\n`);
  if (rec.error) {
    process.stderr.write(`notebook ${name} failed: ${rec.error}\n`);
    return 1;
  }
  return 0;
}

const isMain = process.argv[1] && /[\\/]src[\\/]report[\\/]run-notebook\.ts$/.test(process.argv[1]);
if (isMain) {
  try {
    process.exitCode = await runNotebookCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`depthlimit: error: ${e.message.split('\n')[0]}\n`);
      process.exitCode = 2;
    } else throw e;
  }
}
