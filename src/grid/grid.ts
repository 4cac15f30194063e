/**
 * Grids: a sweep declared as data (depths × seeds × parameters × activations), run the same way
 * on the local worker pool or on a SLURM cluster as a job array.
 *
 *   { "name": "depth-error", "experiment": "depth-error",
 *     "axes": { "scheme": ["euler", "rk4"], "g": ["tanh(z)", "-gamma*z^3"], "seed": [1, 2], "N": [8, 16, 32] } }
 *
 * Point i is the i-th of the Cartesian product of the axes, the LAST axis varying fastest (the
 * order the axes are written in). A point's result depends on the point alone, so it can be
 * computed anywhere: `runGridLocal` computes all of them on threads; on a cluster task i of
 * `sbatch --array=0-(n−1)` runs `depthlimit grid task SPEC --index i` and writes DIR/tasks/i.json
 * atomically (temp + rename), and `depthlimit grid collect SPEC` merges the task files into
 * exactly the bytes `runGridLocal` writes (DIR/NAME.json). Collect refuses a partial grid and
 * names the missing points; a task file that is damaged or belongs to another grid (its spec
 * hash differs) is refused too, never merged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError, quote } from '../util/errors.ts';
import { makeRng } from '../util/prng.ts';
import { maxAbsDiff } from '../util/approx.ts';
import { writeFileAtomic } from '../util/io.ts';
import { fromSource, packageRoot, workerExecArgv } from '../util/package-root.ts';

export type AxisValue = number | string;
export interface GridSpec { name: string; experiment: string; axes: Record<string, AxisValue[]> }
export type Point = Record<string, AxisValue>;

/** An experiment a grid point can run: a pure function of the point. */
interface Experiment {
  /** Its axes, each required (a spec may list them in any order). */
  axes: string[];
  /**
   * Why a value of an axis is refused (undefined: accepted). Every value is checked before
   * anything runs: a typo must not surface as 1,000 failed cluster tasks.
   */
  refuse(axis: string, value: AxisValue): Promise<string | undefined>;
  run(p: Point): Promise<Record<string, number>>;
}

const isInt = (v: AxisValue, lo: number, hi: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const oneOf = (v: AxisValue, names: readonly string[]): string | undefined =>
  (typeof v === 'string' && names.includes(v) ? undefined : `must be one of ${names.join(', ')}, got ${quote(String(v))}`);
const SEED = (v: AxisValue) => (isInt(v, 0, 2 ** 32 - 1) ? undefined : `must be integers 0 … 2^32 − 1, got ${quote(String(v))}`);
/** Largest depth of a point: one point's weights are L·6 doubles, its cost L·S·steps. */
const MAX_DEPTH = 2 ** 20;

/** The layers depth-error runs on C12's problem: verlet's net runs on (x, p), a map needs its own text. */
const DEPTH_ERROR_SCHEMES = ['ff', 'euler', 'heun', 'midpoint', 'rk4'] as const;

const EXPERIMENTS: Record<string, Experiment> = {
  // |x_N − x(T)|_∞ of a discrete net against its ODE (C12's problem, activation g, x0 jittered by seed)
  'depth-error': {
    axes: ['scheme', 'g', 'seed', 'N'],
    async refuse(axis, v) {
      if (axis === 'scheme') return oneOf(v, DEPTH_ERROR_SCHEMES);
      if (axis === 'N') return isInt(v, 1, MAX_DEPTH) ? undefined : `must be positive integers (at most ${MAX_DEPTH}), got ${quote(String(v))}`;
      if (axis === 'seed') return SEED(v);
      // g: what the run compiles, so refused for the run's reason (unknown function, not smooth, …)
      const [{ C12_PROBLEM }, { compileProblem }] = await Promise.all([import('../experiments/depth-sweep.ts'), import('../experiments/sweep-problem.ts')]);
      try { compileProblem({ ...C12_PROBLEM, g: String(v) }); } catch (e) { if (e instanceof UserError) return e.message; throw e; }
      return undefined;
    },
    async run(p) {
      const [{ C12_PROBLEM, makeNet, referenceSolution, DEFAULT_REFERENCE }, { compileProblem }] = await Promise.all([
        import('../experiments/depth-sweep.ts'), import('../experiments/sweep-problem.ts')]);
      const rng = makeRng(Number(p['seed']));
      const x0 = C12_PROBLEM.x0.map((v) => v + 0.1 * rng.normal());
      const scheme = String(p['scheme']) as Parameters<typeof makeNet>[1];
      const problem = compileProblem({ ...C12_PROBLEM, g: String(p['g']), x0 }, { layer: scheme === 'euler' ? 'euler' : 'ff' });
      const net = makeNet(problem, scheme);
      const ref = referenceSolution(problem.ode, problem.T, problem.x0, DEFAULT_REFERENCE);
      const xN = new Float64Array(problem.x0.length);
      net.run(Number(p['N']), xN);
      return { error: maxAbsDiff(xN, ref.x), reference: ref.errorEstimate };
    },
  },
  // One trained ResNet of C37/C38 (experiments/depth-scaling.ts): gradient flow to time tau in
  // `steps` Euler steps on S points of the built-in data (seeded by seed, as the initialisation),
  // and what the claims measure on it: Cohen's statistics of A_k = δ K_k, C37's Lipschitz-in-depth
  // statistic, the energies and how far training moved the weights.
  'depth-scaling': {
    axes: ['init', 'scaling', 'L', 'seed', 'S', 'tau', 'steps'],
    async refuse(axis, v) {
      switch (axis) {
        case 'init': return oneOf(v, ['smooth', 'iid']);
        case 'scaling': return oneOf(v, ['ode', 'diffusive']);
        case 'L': return isInt(v, 2, MAX_DEPTH) ? undefined : `must be integers 2 … ${MAX_DEPTH} (layer increments need two layers), got ${quote(String(v))}`;
        case 'seed': return SEED(v);
        case 'S': return isInt(v, 1, 1_000_000) ? undefined : `must be integers 1 … 1000000 (training points), got ${quote(String(v))}`;
        case 'steps': return isInt(v, 1, 1_000_000) ? undefined : `must be integers 1 … 1000000 (Euler steps in training time), got ${quote(String(v))}`;
        case 'tau': return typeof v === 'number' && v > 0 && v <= 1e6 ? undefined : `must be positive numbers (training time, at most 1e6), got ${quote(String(v))}`;
        default: return 'not an axis of depth-scaling';
      }
    },
    async run(p) {
      const { cohenStatistics, scalingDataset, trainRun } = await import('../experiments/depth-scaling.ts');
      const L = Number(p['L']), S = Number(p['S']), seed = Number(p['seed']);
      const r = trainRun({ L, init: p['init'] as 'smooth' | 'iid', scaling: p['scaling'] as 'ode' | 'diffusive', data: scalingDataset(S, seed), seed, tau: Number(p['tau']), steps: Number(p['steps']) });
      const st = cohenStatistics(r);
      return { maxNorm: st.maxNorm, quadraticVariation: st.quadraticVariation, rmsIncrement: st.rmsIncrement, h1: st.h1, energy0: r.energy0, energy: r.energy, moved: r.moved, lipschitz: r.lipschitz };
    },
  },
};

const MAX_POINTS = 100_000;

/** A spec checked: known experiment, its axes exactly, non-empty value lists. UserError otherwise. */
export function parseGrid(text: string, what = 'grid'): GridSpec {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw new UserError(`${what}: not JSON (${(e as Error).message.split('\n')[0]})`); }
  const o = v as Partial<GridSpec>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new UserError(`${what}: expected an object { name, experiment, axes }`);
  if (typeof o.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(o.name)) throw new UserError(`${what}: name must be kebab-case (a-z, 0-9, -), got ${quote(String(o.name))}`);
  const exp = typeof o.experiment === 'string' ? EXPERIMENTS[o.experiment] : undefined;
  if (!exp) throw new UserError(`${what}: unknown experiment ${quote(String(o.experiment))} (known: ${Object.keys(EXPERIMENTS).join(', ')})`);
  if (!o.axes || typeof o.axes !== 'object' || Array.isArray(o.axes)) throw new UserError(`${what}: axes must be an object of value lists`);
  const names = Object.keys(o.axes);
  const missing = exp.axes.filter((a) => !names.includes(a)), extra = names.filter((a) => !exp.axes.includes(a));
  if (missing.length || extra.length) throw new UserError(`${what}: ${o.experiment} takes axes ${exp.axes.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`);
  let count = 1;
  for (const [k, vals] of Object.entries(o.axes)) {
    if (!Array.isArray(vals) || vals.length === 0) throw new UserError(`${what}: axis ${k} must be a non-empty list`);
    for (const x of vals) if (!(typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))) throw new UserError(`${what}: axis ${k}: values must be finite numbers or strings`);
    if (new Set(vals.map((x) => JSON.stringify(x))).size !== vals.length) throw new UserError(`${what}: axis ${k} lists a value twice`);
    count *= vals.length;
  }
  if (count > MAX_POINTS) throw new UserError(`${what}: ${count} points (at most ${MAX_POINTS})`);
  return { name: o.name, experiment: o.experiment!, axes: o.axes };
}

/** Every value of every axis checked by its experiment (see Experiment.refuse); UserError naming the first refused one. */
export async function checkGridValues(g: GridSpec, what = 'grid'): Promise<GridSpec> {
  const exp = EXPERIMENTS[g.experiment]!;
  for (const [axis, vals] of Object.entries(g.axes)) {
    for (const v of vals) {
      const why = await exp.refuse(axis, v);
      if (why !== undefined) throw new UserError(`${what}: axis ${axis}: ${why}`);
    }
  }
  return g;
}

/** A spec file parsed and every value checked: what every grid command starts from. */
export async function readGrid(path: string): Promise<GridSpec> {
  if (!existsSync(path)) throw new UserError(`grid: no such file ${quote(path)}`);
  return checkGridValues(parseGrid(readFileSync(path, 'utf8'), `grid ${path}`), `grid ${path}`);
}

/** Number of points. */
export const gridSize = (g: GridSpec): number => Object.values(g.axes).reduce((n, v) => n * v.length, 1);

/** Point i (last axis fastest). */
export function gridPoint(g: GridSpec, i: number): Point {
  if (!Number.isInteger(i) || i < 0 || i >= gridSize(g)) throw new UserError(`grid ${g.name}: index ${i} is not 0 … ${gridSize(g) - 1}`);
  const entries = Object.entries(g.axes), p: Point = {};
  for (let k = entries.length - 1; k >= 0; k--) {
    const [name, vals] = entries[k]!;
    p[name] = vals[i % vals.length]!;
    i = Math.floor(i / vals.length);
  }
  return Object.fromEntries(entries.map(([name]) => [name, p[name]!]));
}

/** sha256 of the canonical spec: ties task files to their grid. */
export const gridHash = (g: GridSpec): string => createHash('sha256').update(JSON.stringify(g)).digest('hex');

export interface PointResult { index: number; point: Point; result: Record<string, number> }
/** A point a worker thread refused (a UserError, whose class a thread boundary would lose): runPoint's one line. */
export interface PointRefused { refused: string }

/** Compute point i; a UserError of its run names the grid and the point. */
export async function runPoint(g: GridSpec, index: number): Promise<PointResult> {
  const point = gridPoint(g, index);
  try {
    return { index, point, result: finiteResult(await EXPERIMENTS[g.experiment]!.run(point)) };
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`grid ${g.name}: point ${index}: ${e.message}`);
    throw e;
  }
}

/**
 * A point's numbers, refused when one is not finite: JSON writes NaN and ±Infinity as null, so
 * the local file would hold a silent null where collect refuses the task file. Both routes stop
 * with the point and the value instead.
 */
export function finiteResult(result: Record<string, number>): Record<string, number> {
  const bad = Object.entries(result).find(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad) throw new UserError(`${bad[0]} = ${String(bad[1])} (not a finite number, which the result file cannot hold); take this point out of the axes`);
  return result;
}

/** The merged file's text: the spec, its hash and every point in index order (one line each). */
export function gridFileText(g: GridSpec, results: PointResult[]): string {
  const rows = results.map((r) => JSON.stringify(r));
  return `{"grid":${JSON.stringify(g)},"specSha256":"${gridHash(g)}","points":[\n${rows.join(',\n')}\n]}\n`;
}

export const gridOutput = (dir: string, g: GridSpec): string => join(dir, `${g.name}.json`);
export const taskFile = (dir: string, i: number): string => join(dir, 'tasks', `${i}.json`);

/**
 * The worker threads' entry module: from the sources, the pool's bootstrap (it registers tsx in
 * the thread); bundled, dist/grid-worker.js (scripts/build.mjs), which has no TypeScript to load.
 */
const workerEntry = (): string => (fromSource()
  ? new URL('../report/worker-entry.mjs', import.meta.url).href
  : pathToFileURL(join(packageRoot(), 'dist', 'grid-worker.js')).href);

/** Every point on `workers` threads (piscina); writes DIR/NAME.json. */
export async function runGridLocal(g: GridSpec, dir: string, workers: number): Promise<string> {
  const { Piscina } = await import('piscina');
  const n = gridSize(g);
  const pool = new Piscina({ filename: workerEntry(), maxThreads: workers, minThreads: Math.min(workers, n), execArgv: workerExecArgv() });
  let results: PointResult[];
  try {
    results = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const r = await (pool.run({ grid: g, index: i }, { name: 'gridPoint' }) as Promise<PointResult | PointRefused>);
      if ('refused' in r) throw new UserError(r.refused); // runPoint's line: it names the grid and the point
      return r;
    }));
  } finally {
    await pool.destroy();
  }
  const out = gridOutput(dir, g);
  writeFileAtomic(out, gridFileText(g, results));
  return out;
}

/** One array task: point `index` into DIR/tasks/INDEX.json (atomic), with the spec's hash. */
export async function runGridTask(g: GridSpec, dir: string, index: number): Promise<string> {
  const r = await runPoint(g, index);
  const path = taskFile(dir, index);
  writeFileAtomic(path, JSON.stringify({ specSha256: gridHash(g), ...r }) + '\n');
  return path;
}

/** Merge DIR/tasks/*.json into DIR/NAME.json; UserError naming missing or bad task files. */
export function collectGrid(g: GridSpec, dir: string): string {
  const n = gridSize(g), hash = gridHash(g), results: PointResult[] = [], missing: number[] = [], bad: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = taskFile(dir, i);
    if (!existsSync(f)) { missing.push(i); continue; }
    try {
      const t = JSON.parse(readFileSync(f, 'utf8')) as PointResult & { specSha256: string };
      if (t.specSha256 !== hash) throw new Error('made for another grid spec');
      if (t.index !== i || JSON.stringify(t.point) !== JSON.stringify(gridPoint(g, i))) throw new Error('its point is not point ' + i);
      if (!t.result || typeof t.result !== 'object' || Object.values(t.result).some((x) => typeof x !== 'number')) throw new Error('no numeric result');
      results.push({ index: t.index, point: t.point, result: t.result });
    } catch (e) {
      bad.push(`${i} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const show = (xs: (number | string)[]) => xs.slice(0, 10).join(', ') + (xs.length > 10 ? `, … (${xs.length})` : '');
  if (missing.length || bad.length) {
    throw new UserError(`grid ${g.name}: ${n - missing.length - bad.length}/${n} points done${missing.length ? `; missing ${show(missing)}` : ''}${bad.length ? `; bad task files ${show(bad)}` : ''} (rerun those tasks: sbatch --array=LIST)`);
  }
  const out = gridOutput(dir, g);
  writeFileAtomic(out, gridFileText(g, results));
  return out;
}

/**
 * The command line that runs depthlimit's CLI the way this process runs it, from the package
 * root: the sources through tsx in a checkout (tsx resolves from there), the package's bin
 * when bundled (an installed package has neither src/ nor tsx).
 */
export const cliCommand = (root: string): string[] => (fromSource() ? ['--import', 'tsx', 'src/cli.ts'] : [join(root, 'bin', 'depthlimit.mjs')]);

/** A SLURM batch script: one array task per point, each running `grid task` with this process's CLI. */
export function slurmScript(g: GridSpec, specPath: string, dir: string, opts: { root: string; node?: string; partition?: string; time?: string }): string {
  const n = gridSize(g);
  // a word the shell would split or expand is single-quoted; flags and plain paths stay readable
  const sh = (s: string) => (/^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [
    '#!/bin/sh',
    `#SBATCH --job-name=${g.name}`,
    `#SBATCH --array=0-${n - 1}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --time=${opts.time ?? '00:10:00'}`,
    // sbatch splits a directive at blanks ('--output=/my grids/…' is refused) and honours quotes
    `#SBATCH --output=${sh(join(dir, 'logs', '%a.out'))}`,
    ...(opts.partition ? [`#SBATCH --partition=${opts.partition}`] : []),
    `cd ${sh(opts.root)}`,
    `exec ${[opts.node ?? process.execPath, ...cliCommand(opts.root)].map(sh).join(' ')} grid task ${sh(specPath)} --out ${sh(dir)} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}
