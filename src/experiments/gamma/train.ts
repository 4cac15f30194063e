/**
 * Multilevel training of the Thorpe–van Gennip objective: minimise E_n by L-BFGS, prolong the
 * minimiser to 2n layers as the next level's warm start.
 *
 * Prolongation (cell centres t_k = (k + ½)/n): the fine value at t = (j + ½)/(2n) is the
 * piecewise-linear interpolant of the coarse values, i.e. ¾θ_k + ¼θ_{k∓1}; before the first and
 * after the last coarse centre the interpolant is constant (θ_0, θ_{n−1}), which is also what
 * the Neumann condition of the continuum minimiser suggests. A learned readout is copied.
 *
 * Optimisers: 'plain' L-BFGS, or 'h1': L-BFGS in the metric of the regulariser's Hessian
 * (2·ridge/n) I + 2·smooth·n^κ (−Δ) (Neumann), applied by an O(n) tridiagonal solve. The
 * objective's ill-conditioning (∝ n² from the difference term) lives in that operator, so the
 * preconditioned iteration count is depth-independent.
 *
 * Stopping rule (GAMMA.md): n·‖∇E_n‖_∞ ≤ tol (default 1e−7; the scaled gradient is the L²-type
 * gradient of the continuum functional) or the iteration cap (default 5000).
 */
import { lbfgs, type LbfgsResult } from '../../numeric/lbfgs.ts';
import { normInf } from '../../numeric/linalg.ts';
import { validateDepths } from '../depth-sweep.ts';
import type { Dataset } from './data.ts';
import { depthObjective, type GammaModel, type ObjectiveParts } from './objective.ts';

export type Optimizer = 'h1' | 'plain';

export interface TrainOptions {
  optimizer?: Optimizer;
  /** Tolerance on n·‖∇E_n‖_∞ (default 1e−7). */
  tol?: number;
  maxIterations?: number;
  history?: number;
}

export interface LevelResult {
  n: number;
  optimizer: Optimizer;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
  /** E_n at the returned parameters, and its parts. */
  energy: number;
  parts: ObjectiveParts;
  /** n·‖∇E_n‖_∞ at the returned parameters. */
  scaledGradient: number;
  /** The minimiser (layer-major, P per layer, then the readout if learned). */
  theta: Float64Array;
  /** n·‖∇E_n‖_∞ after each iteration (index 0: the start). */
  gradientHistory: number[];
}

/** Prolong layer parameters from n to 2n cell centres (see the module comment). */
export function prolong(theta: Float64Array, n: number, P: number): Float64Array {
  const extra = theta.length - n * P;
  if (extra < 0) throw new Error(`prolong: θ has ${theta.length} numbers, fewer than n·P = ${n * P}`);
  const out = new Float64Array(2 * n * P + extra);
  for (let k = 0; k < n; k++) {
    const left = k > 0 ? k - 1 : k, right = k < n - 1 ? k + 1 : k;
    for (let j = 0; j < P; j++) {
      const v = theta[k * P + j]!;
      out[2 * k * P + j] = 0.75 * v + 0.25 * theta[left * P + j]!;
      out[(2 * k + 1) * P + j] = 0.75 * v + 0.25 * theta[right * P + j]!;
    }
  }
  for (let i = 0; i < extra; i++) out[2 * n * P + i] = theta[n * P + i]!;
  return out;
}

/**
 * Value at t ∈ [0, 1] of the piecewise-linear interpolant of slot j (values at t_k = (k+½)/n,
 * constant beyond the first and last centre).
 */
export function interpolant(theta: Float64Array, n: number, P: number, j: number, t: number): number {
  const u = t * n - 0.5;
  if (u <= 0) return theta[j]!;
  if (u >= n - 1) return theta[(n - 1) * P + j]!;
  const k = Math.floor(u), f = u - k;
  return (1 - f) * theta[k * P + j]! + f * theta[(k + 1) * P + j]!;
}

/** Minimise E_n from θ₀ (default: the objective's initial point). */
export function trainLevel(model: GammaModel, data: Dataset, n: number, theta0?: Float64Array, opts: TrainOptions = {}): LevelResult {
  const optimizer = opts.optimizer ?? 'h1';
  const tol = opts.tol ?? 1e-7;
  const ob = depthObjective(model, data, n);
  const x0 = theta0 ?? ob.initial();
  if (x0.length !== ob.size) throw new Error(`trainLevel: θ₀ has ${x0.length} numbers, E_${n} needs ${ob.size}`);
  const metric = optimizer === 'h1' ? ob.metric() : undefined;
  const res: LbfgsResult = lbfgs(ob.fg, x0, {
    history: opts.history ?? 20,
    maxIterations: opts.maxIterations ?? 5000,
    gradTol: tol,
    stopNorm: (g) => n * normInf(g),
    precondition: metric ? (g, out) => metric.apply(g, out) : undefined,
  });
  return {
    n, optimizer, iterations: res.iterations, evaluations: res.evaluations,
    converged: res.converged, reason: res.reason,
    energy: res.f, parts: ob.parts(res.x), scaledGradient: res.gnorm,
    theta: res.x, gradientHistory: res.history.map((h) => h.gnorm),
  };
}

export interface SweepOptions extends TrainOptions {
  /** Called after each level (progress), with its wall-clock seconds: kept out of the
   *  result, which feeds saved files that must be the same on every run. */
  onLevel?: (r: LevelResult, seconds: number) => void;
  /** Keep going after a level fails to converge (default true: results are marked). */
  continueOnFailure?: boolean;
}

/**
 * The multilevel sweep: level depths[0] from the initial point, every later level from the
 * previous minimiser transferred by `resample`: `prolong` when the depth doubles, otherwise
 * the piecewise-linear interpolant sampled at the new centres in one step.
 */
export function multilevel(model: GammaModel, data: Dataset, depths: readonly number[], opts: SweepOptions = {}): LevelResult[] {
  validateDepths(depths);
  const out: LevelResult[] = [];
  let prev: LevelResult | undefined;
  const P = data.d * data.d + data.d;
  for (const n of depths) {
    const start = prev ? resample(prev.theta, prev.n, n, P) : undefined;
    const t0 = performance.now();
    const r = trainLevel(model, data, n, start, opts);
    out.push(r);
    opts.onLevel?.(r, (performance.now() - t0) / 1000);
    if (!r.converged && opts.continueOnFailure === false) break;
    prev = r;
  }
  return out;
}

/** Transfer layer parameters from m to n > m cell centres: prolong when n = 2m, else interpolate. */
export function resample(theta: Float64Array, m: number, n: number, P: number): Float64Array {
  if (n === 2 * m) return prolong(theta, m, P);
  const extra = theta.length - m * P;
  const out = new Float64Array(n * P + extra);
  for (let k = 0; k < n; k++) for (let j = 0; j < P; j++) out[k * P + j] = interpolant(theta, m, P, j, (k + 0.5) / n);
  for (let i = 0; i < extra; i++) out[n * P + i] = theta[m * P + i]!;
  return out;
}
