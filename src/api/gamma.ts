/**
 * `trainGamma`: Γ-convergence of training on a researcher's data (or the built-in toy), run by
 * experiments/gamma (model.ts, sweep.ts); this module only turns data and options into theirs.
 */
import { depthList } from '../commands/args.ts';
import { capDepths, depthsQuantity, gammaCost, withinBudget } from '../commands/budget.ts';
import { loadDataset, parseDataset, toyDataset, type Dataset } from '../experiments/gamma/data.ts';
import { gammaModel, type GammaModelOptions } from '../experiments/gamma/model.ts';
import { gammaSweep, type LevelSummary, type SweepEvidence } from '../experiments/gamma/sweep.ts';
import type { LevelResult, Optimizer } from '../experiments/gamma/train.ts';
import type { OrderCertificate } from '../numeric/certify.ts';
import { UserError, positiveInt } from '../util/errors.ts';
import { checkKeys } from './spec.ts';

export type { GammaModelOptions, LevelSummary };

/** Training data: the built-in toy, a CSV file's path, CSV text, or arrays. */
export type GammaData =
  | 'toy'
  | string
  | { csv: string; name?: string }
  | { x: readonly (readonly number[])[]; y: readonly number[]; inputs?: readonly string[] };

/** Options of {@link trainGamma}: the model ({@link GammaModelOptions}) and the sweep. */
export interface GammaOptions extends GammaModelOptions {
  /** Depths n, doubling (default '4..1024'); each level starts from the previous minimiser, prolonged. */
  depths?: readonly number[] | string;
  /** 'h1' (L-BFGS in the regulariser's H¹ metric, default) or 'plain'. */
  optimizer?: Optimizer;
  /** Iteration cap per level (default 5000). */
  maxIterations?: number;
  /** Stop when n·‖∇E_n‖∞ ≤ tol (default 1e-7). */
  tol?: number;
  /** Called after each level is trained, with its wall-clock seconds (for progress). */
  onLevel?: (level: Readonly<LevelResult>, seconds: number) => void;
}

/** What trainGamma returns: per-level summaries, the Cauchy ladders and their certified rates. */
export interface GammaResult {
  /** Where the data came from. */
  data: string;
  d: number;
  S: number;
  depths: number[];
  optimizer: Optimizer;
  kappa: number;
  lambda: number;
  mu: number;
  levels: LevelSummary[];
  /** |E_n* − E_2n*|, L² and sup distances of consecutive minimisers (index i: depths[i] vs depths[i+1]). */
  energyCauchy: number[];
  minimiserL2: number[];
  minimiserSup: number[];
  readoutCauchy: number[];
  /** max boundary difference quotient n|θ_1 − θ_0| per depth. */
  neumann: number[];
  /** Certified rates (order 1 in h = 1/n expected). */
  certificates: SweepEvidence['certificates'];
  /** The minimiser at each depth: layer-major, P = d² + d per layer, then the readout if learned. */
  minimisers: { n: number; theta: number[] }[];
  /** Some level stopped at the iteration cap (its values are not minimal energies). */
  partial: boolean;
}

const MODEL_KEYS = ['alpha', 'lambda', 'mu', 'kappa', 'activation', 'readout', 'w', 'c', 'readoutRidge'];

function datasetOf(data: GammaData): { dataset: Dataset; withData: boolean } {
  if (data === 'toy') return { dataset: toyDataset(), withData: false };
  if (typeof data === 'string') return { dataset: loadDataset(data), withData: true };
  if (data === null || typeof data !== 'object') throw new UserError('data: give \'toy\', a CSV path, { csv: text } or { x: [[...], ...], y: [...] }');
  if ('csv' in data) {
    checkKeys(data, ['csv', 'name'], 'data');
    return { dataset: parseDataset(data.csv, data.name ?? 'CSV text'), withData: true };
  }
  checkKeys(data, ['x', 'y', 'inputs'], 'data');
  const { x, y } = data;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
    throw new UserError(`data: x and y must be non-empty lists of the same length (got ${Array.isArray(x) ? x.length : typeof x} and ${Array.isArray(y) ? y.length : typeof y})`);
  }
  const d = Array.isArray(x[0]) ? x[0].length : 0;
  if (d === 0) throw new UserError('data: each x must be a non-empty list of inputs');
  const flat = new Float64Array(x.length * d);
  x.forEach((row, s) => {
    if (!Array.isArray(row) || row.length !== d) throw new UserError(`data: sample ${s + 1} has ${Array.isArray(row) ? row.length : 'no'} inputs, the first has ${d}`);
    row.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new UserError(`data: x[${s}][${i}] is not a finite number`);
      flat[s * d + i] = v;
    });
  });
  y.forEach((v, s) => { if (!Number.isFinite(v)) throw new UserError(`data: y[${s}] is not a finite number`); });
  const inputs = data.inputs ? [...data.inputs] : Array.from({ length: d }, (_, i) => `x${i + 1}`);
  if (inputs.length !== d) throw new UserError(`data: ${inputs.length} input names for d = ${d}`);
  return { dataset: { d, S: y.length, x: flat, y: Float64Array.from(y), source: `data (${y.length} samples, d = ${d})`, inputs, target: 'y' }, withData: true };
}

/**
 * Train the residual net at growing depth and certify that training Γ-converges.
 *
 * The net X⁽ᵏ⁺¹⁾ = X⁽ᵏ⁾ + (1/n) σ(K⁽ᵏ⁾X⁽ᵏ⁾ + b⁽ᵏ⁾), k = 0 … n−1, with loss
 * (1/S) Σ_s ½(w·X_s⁽ⁿ⁾ + c − y_s)² and regulariser λ(1/n)Σ|θ|² + μ n^κ Σ|Δθ|² (θ = K, b), is
 * trained at every depth n of the ladder by L-BFGS (in the regulariser's H¹ metric by default,
 * so iteration counts do not grow with n), each level warm-started from the previous minimiser
 * prolonged. As n → ∞ the objectives Γ-converge (Thorpe–van Gennip): minimal energies and
 * minimisers converge, at rate 1 in 1/n for smooth data; the Cauchy ladders
 * |E_n* − E_2n*| and ‖θ_n − θ_2n‖ are certified against order 1.
 *
 * Arguments:
 * - `data`: 'toy' (CLAIMS §2.7: d = 1, y = tanh 3x, learned readout), a CSV path (a header;
 *   inputs = every column but y), `{ csv: text }`, or `{ x: [[…], …], y: […] }`.
 * - `options`: {@link GammaOptions}.
 *
 * Returns: a {@link GammaResult}. A level that hits the iteration cap is reported
 * (`partial: true`, `levels[i].converged === false`), not thrown.
 *
 * Throws: UserError on bad data (naming the line or sample), bad weights, depths or options.
 *
 * @example
 * ```ts
 * import { trainGamma } from 'depthlimit';
 * const g = trainGamma('toy', { depths: '4..128' });
 * console.log(g.levels.map((l) => l.converged).every(Boolean), g.certificates.energyCauchy.verdict);
 * //> true order
 * ```
 */
export function trainGamma(data: GammaData = 'toy', options: GammaOptions = {}): GammaResult {
  if (options === null || typeof options !== 'object') throw new UserError('trainGamma options must be an object such as { depths: "4..256" }');
  checkKeys(options, [...MODEL_KEYS, 'depths', 'optimizer', 'maxIterations', 'tol', 'onLevel'], 'trainGamma options');
  const depths = depthList(options.depths, '4..1024');
  const optimizer = options.optimizer ?? 'h1';
  if (optimizer !== 'h1' && optimizer !== 'plain') throw new UserError(`optimizer must be h1 or plain, got '${String(optimizer)}'`);
  const maxIterations = positiveInt(options.maxIterations ?? 5000, 'maxIterations');
  if (options.onLevel !== undefined && typeof options.onLevel !== 'function') throw new UserError(`onLevel must be a function (level, seconds) => void, got ${typeof options.onLevel}`);
  const tol = options.tol ?? 1e-7;
  if (!(Number.isFinite(tol) && tol > 0)) throw new UserError(`tol must be > 0, got ${tol}`);
  const { dataset, withData } = datasetOf(data);
  const model = gammaModel(options, dataset.d, withData);
  // the CLI's memory and time budget, checked before any work
  withinBudget([
    depthsQuantity(depths), { option: 'maxIterations', value: maxIterations },
    { option: 'data', value: dataset.S, shown: `with ${dataset.S} rows`, unit: 'rows' }, { option: 'data', value: dataset.d, shown: `with ${dataset.d} inputs`, unit: 'inputs' },
  ], ([n, m, S, d]) => gammaCost(capDepths(depths, n!), S!, d!, m!));
  const { levels, evidence: e } = gammaSweep(model, dataset, depths, {
    optimizer, maxIterations, tol,
    ...(options.onLevel ? { onLevel: options.onLevel } : {}),
  });
  return {
    data: dataset.source, d: dataset.d, S: dataset.S, depths: e.depths, optimizer,
    kappa: model.kappa, lambda: model.regK.ridge, mu: model.regK.smooth,
    levels: e.levels, energyCauchy: e.energyCauchy, minimiserL2: e.minimiserL2, minimiserSup: e.minimiserSup,
    readoutCauchy: e.readoutCauchy, neumann: e.neumann, certificates: e.certificates,
    minimisers: levels.map((l) => ({ n: l.n, theta: Array.from(l.theta) })),
    partial: levels.some((l) => !l.converged),
  };
}

export type { OrderCertificate };
