/**
 * C25: in d = 1 a residual network cannot fit a non-monotone target.
 *
 * The Euler layer x ↦ x + (1/n)σ(K x + b) has slope 1 + (1/n)σ'(·)K > 0 whenever
 * (1/n)|K|·Lip σ < 1, so the network map is strictly increasing and w·X⁽ⁿ⁾ + c is monotone
 * (increasing or decreasing with the sign of w). Hence for every such parameter,
 *   loss ≥ min over monotone f of (1/S) Σ ½ (f(x_s) − y_s)²,
 * the isotonic-regression residual (both directions), computed by pool-adjacent-violators.
 * Augmenting the state (d = 2, x ↦ (x, 0)) removes the obstruction: the negative control.
 */
import type { Dataset } from './data.ts';
import type { GammaModel } from './objective.ts';
import { multilevel, type LevelResult } from './train.ts';
import { toyModel } from './sweep.ts';
import { cached } from '../../util/cache.ts';

/**
 * Pool-adjacent-violators: the non-decreasing f minimising Σ (f_i − y_i)² (y in x-order).
 * Returns the fitted values.
 */
export function isotonicFit(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const mean = new Float64Array(n), weight = new Float64Array(n), start = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    mean[blocks] = y[i]!; weight[blocks] = 1; start[blocks] = i; blocks++;
    while (blocks > 1 && mean[blocks - 2]! > mean[blocks - 1]!) {
      const w = weight[blocks - 2]! + weight[blocks - 1]!;
      mean[blocks - 2] = (mean[blocks - 2]! * weight[blocks - 2]! + mean[blocks - 1]! * weight[blocks - 1]!) / w;
      weight[blocks - 2] = w;
      blocks--;
    }
  }
  const f = new Float64Array(n);
  for (let b = 0; b < blocks; b++) {
    const end = b + 1 < blocks ? start[b + 1]! : n;
    for (let i = start[b]!; i < end; i++) f[i] = mean[b]!;
  }
  return f;
}

/** min over monotone (either direction) f of (1/S) Σ ½ (f(x_s) − y_s)², for d = 1 data. */
export function isotonicResidual(data: Dataset): number {
  if (data.d !== 1) throw new Error('isotonicResidual: d = 1 data only');
  const order = Array.from({ length: data.S }, (_, s) => s).sort((a, b) => data.x[a]! - data.x[b]!);
  const ys = order.map((s) => data.y[s]!);
  const res = (f: Float64Array, sign: number): number => {
    let r = 0;
    for (let i = 0; i < ys.length; i++) { const e = sign * f[i]! - ys[i]!; r += 0.5 * e * e; }
    return r / data.S;
  };
  const up = res(isotonicFit(ys), 1);
  const down = res(isotonicFit(ys.map((v) => -v)), -1);
  return Math.min(up, down);
}

/** A non-monotone 1-D target: y = x² on S points of [−1, 1] (symmetric, so far from monotone). */
export function parabolaData(S = 15): Dataset {
  const x = new Float64Array(S), y = new Float64Array(S);
  for (let s = 0; s < S; s++) { x[s] = -1 + 2 * s / (S - 1); y[s] = x[s]! * x[s]!; }
  return { d: 1, S, x, y, source: `parabola y = x² (S = ${S})`, inputs: ['x'], target: 'y' };
}

/** The same inputs embedded in R² as (x, 0): the augmented network of the negative control. */
export function augment(data: Dataset): Dataset {
  const x = new Float64Array(2 * data.S);
  for (let s = 0; s < data.S; s++) x[2 * s] = data.x[s]!;
  return { ...data, d: 2, x, inputs: [...data.inputs, '0'], source: `${data.source}, augmented to d = 2` };
}

export interface MonotoneEvidence {
  depths: number[];
  residual: number;
  /** Training loss (the squared-error part of E_n*) at each depth. */
  loss: number[];
  energy: number[];
  /** max_k (1/n)|K_k|·Lip σ: below 1 the discrete network is provably monotone. */
  maxStepLipschitz: number[];
  converged: boolean[];
}

/** Train on the data over depths and compare the loss with the isotonic residual of the d = 1 data. */
export function monotoneBound(model: GammaModel, data: Dataset, base1d: Dataset, depths: number[], maxIterations = 2000): MonotoneEvidence {
  const levels: LevelResult[] = multilevel(model, data, depths, { optimizer: 'h1', maxIterations });
  const P = data.d * data.d + data.d;
  return {
    depths, residual: isotonicResidual(base1d),
    loss: levels.map((l) => l.parts.loss),
    energy: levels.map((l) => l.energy),
    maxStepLipschitz: levels.map((l) => {
      let m = 0;
      for (let k = 0; k < l.n; k++) {
        // ‖K_k‖_∞ (row sums) bounds the Jacobian of z = Kx + b; Lip tanh = 1
        for (let i = 0; i < data.d; i++) {
          let row = 0;
          for (let j = 0; j < data.d; j++) row += Math.abs(l.theta[k * P + i * data.d + j]!);
          m = Math.max(m, row / l.n);
        }
      }
      return m;
    }),
    converged: levels.map((l) => l.converged),
  };
}

/**
 * C25's bounds on the parabola data over `depths`: the d = 1 toy model, or (augmented) the
 * same data embedded in R² with a d = 2 toy model. Cached: the claim and the gamma-convergence
 * notebook train the same sweeps.
 */
export function parabolaBound(augmented: boolean, depths: number[]): MonotoneEvidence {
  return cached('c25-parabola-bound', { augmented, depths }, import.meta.url, () => {
    const base = parabolaData();
    return augmented ? monotoneBound(toyModel(1e-3, 1, 1e-3, 2), augment(base), base, depths) : monotoneBound(toyModel(), base, base, depths);
  });
}
