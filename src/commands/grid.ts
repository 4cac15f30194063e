/**
 * `depthlimit grid run|task|collect|sbatch SPEC.json`: a sweep declared as data (src/grid/grid.ts)
 * on the local worker pool, or as a SLURM job array whose tasks are merged by `collect` into
 * the same file `run` writes.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { gridSize, readGrid, runGridLocal, runGridTask, collectGrid, slurmScript, gridOutput } from '../grid/grid.ts';
import { quote, UserError } from '../util/errors.ts';
import { ensureDir, writeFileAtomic } from '../util/io.ts';
import { packageRoot } from '../util/package-root.ts';
import { str, type CommandSpec } from './spec.ts';
import { integerIn } from './args.ts';

const ACTIONS = ['run', 'task', 'collect', 'sbatch'] as const;
/** sbatch --time: minutes, minutes:seconds, hours:minutes:seconds, days-hours[:minutes[:seconds]]. */
const SLURM_TIME = /^(\d+(:\d+){0,2}|\d+-\d+(:\d+){0,2})$/;

export const command: CommandSpec = {
  name: 'grid',
  summary: 'a sweep declared as data: run it on local threads, or as a SLURM job array (task, collect, sbatch)',
  usage: 'grid run|task|collect|sbatch SPEC.json [--out DIR] [--workers N] [--index I] [--partition P] [--time HH:MM:SS]',
  positionals: 'any',
  options: {
    out: { type: 'string', description: 'result folder (NAME.json, tasks/, logs/)', default: 'out/grids' },
    workers: { type: 'string', description: 'threads for run (default: one per core)' },
    index: { type: 'string', description: 'task: the point to compute (SLURM_ARRAY_TASK_ID)' },
    partition: { type: 'string', description: 'sbatch: the SLURM partition' },
    time: { type: 'string', description: 'sbatch: time limit per task', default: '00:10:00' },
  },
  examples: ['grid run examples/grids/depth-error.json', 'grid sbatch examples/grids/depth-error.json --out /shared/grids > job.sh && sbatch job.sh', 'grid collect examples/grids/depth-error.json --out /shared/grids'],
  async run(opts, positionals) {
    const [action, spec, ...rest] = positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UserError(`grid: first argument must be ${ACTIONS.join(', ')}${action ? `, got ${quote(action)}` : ''}`);
    if (!spec || rest.length) throw new UserError('grid: give exactly one SPEC.json');
    // checked before any work, not by sbatch at submission: a blank, quote or newline would end
    // the #SBATCH line (and a newline start a command of the script)
    const time = str(opts, 'time') ?? '00:10:00', partition = str(opts, 'partition');
    if (!SLURM_TIME.test(time)) throw new UserError(`--time: ${quote(time)} is not a SLURM time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)`);
    if (partition !== undefined && !/^[\w.-]+(,[\w.-]+)*$/.test(partition)) throw new UserError(`--partition: ${quote(partition)} is not a SLURM partition name (letters, digits, _ . -; a comma-separated list)`);
    const g = await readGrid(spec), dir = str(opts, 'out') ?? 'out/grids', n = gridSize(g);
    // --workers and --index too are checked before the output folder is made
    const w = str(opts, 'workers');
    const workers = action !== 'run' || w === undefined ? availableParallelism() : integerIn(w, '--workers', 1, 256);
    const given = action === 'task' ? str(opts, 'index') ?? process.env['SLURM_ARRAY_TASK_ID'] : undefined;
    if (action === 'task' && given === undefined) throw new UserError('grid task: give --index I (or run inside a SLURM array task)');
    const index = given === undefined ? 0 : integerIn(given, '--index', 0, n - 1);
    ensureDir(dir, '--out');
    if (action === 'run') {
      console.log(`wrote ${await runGridLocal(g, dir, workers)} (${n} points on ${workers} threads)`);
    } else if (action === 'task') {
      console.log(`wrote ${await runGridTask(g, dir, index)}`);
    } else if (action === 'collect') {
      console.log(`wrote ${collectGrid(g, dir)} (${n} points)`);
    } else {
      const script = slurmScript(g, resolve(spec), resolve(dir), { root: packageRoot(), time, ...(partition ? { partition } : {}) });
      ensureDir(resolve(dir, 'logs'), '--out'); // SLURM does not create the folder of --output: the task would fail
      writeFileAtomic(resolve(dir, `${g.name}.sbatch`), script);
      process.stdout.write(script);
      process.stderr.write(`(also written to ${resolve(dir, `${g.name}.sbatch`)}; after the array: grid collect → ${gridOutput(dir, g)})\n`);
    }
    return 0;
  },
};
