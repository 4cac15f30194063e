/**
 * The depth regulariser's discrete consistency (C17, C24) and the Hölder-½ bound behind
 * compactness (C18).
 *
 * Two grid conventions for a smooth K on [0, 1]:
 *  - nodes t_i = i/n, i = 0…n (n differences):        n Σ |K(t_{i+1}) − K(t_i)|² = ∫|K'|² + O(n⁻²)
 *    (each difference quotient is the midpoint value of K' up to O(n⁻²): the midpoint rule);
 *  - cell centres t_k = (k+½)/n, k = 0…n−1 (n − 1 differences, the objective's convention):
 *    the sum misses the two end half-cells, so the error is O(n⁻¹).
 * With the exponent κ, n^κ Σ|ΔK|² = n^{κ−1} (∫|K'|² + o(1)).
 */
import { getActivation } from '../../numeric/activations.ts';
import { makeRng } from '../../util/prng.ts';
import type { Dataset } from './data.ts';
import { depthObjective, type GammaModel } from './objective.ts';

export type GridConvention = 'nodes' | 'cells';

/** n^κ Σ_i |K(s_{i+1}) − K(s_i)|² on the given convention's grid. */
export function differencePenalty(K: (t: number) => number, n: number, convention: GridConvention, kappa = 1): number {
  if (convention === 'nodes') {
    let s = 0;
    for (let i = 0; i < n; i++) { const d = K((i + 1) / n) - K(i / n); s += d * d; }
    return Math.pow(n, kappa) * s;
  }
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = K((k + 0.5) / n);
  return cellPenalty(n, kappa)(values);
}

/**
 * The objective's own regulariser on n cell-centred values (d = 1, ridge 0, smooth 1):
 * values ↦ R_K = n^κ Σ_k |K_{k+1} − K_k|², through depthObjective's code path (one objective,
 * reused by every call of the returned function).
 */
export function cellPenalty(n: number, kappa = 1): (values: ArrayLike<number>) => number {
  const model: GammaModel = {
    activation: getActivation('identity'), kappa,
    regK: { ridge: 0, smooth: 1 }, regB: { ridge: 0, smooth: 0 },
    readout: { kind: 'fixed', w: Float64Array.from([0]), c: 0 },
  };
  const data: Dataset = { d: 1, S: 1, x: Float64Array.from([0]), y: Float64Array.from([0]), source: 'none', inputs: ['x'], target: 'y' };
  const ob = depthObjective(model, data, n);
  const th = new Float64Array(ob.size);
  return (values) => {
    for (let k = 0; k < n; k++) th[2 * k] = values[k]!;
    return ob.parts(th).regK;
  };
}

/** C17's test function K = sin 2πt and its exact ∫₀¹|K'|² = 2π². */
export const SINE = { K: (t: number): number => Math.sin(2 * Math.PI * t), exact: 2 * Math.PI * Math.PI };

export interface ConsistencyLadder { n: number[]; value: number[]; error: number[] }

/** |n^κ Σ|ΔK|² − ∫|K'|²| along depths, for K = sin 2πt (κ = 1: consistent; other κ: mis-scaled). */
export function regulariserConsistency(depths: number[], convention: GridConvention, kappa = 1): ConsistencyLadder {
  const value = depths.map((n) => differencePenalty(SINE.K, n, convention, kappa));
  return { n: depths, value, error: value.map((v) => Math.abs(v - SINE.exact)) };
}

/**
 * C18: the largest ratio |θ_j − θ_i| / ( √((j−i)/n) · √(n Σ_k |θ_{k+1} − θ_k|²) ) over all
 * pairs i < j and slots (values layer-major, P per layer). Cauchy–Schwarz makes it ≤ 1.
 * With `exponent` = 1 instead of ½ (a Lipschitz bound, false for rough θ) the same ratio is
 * the negative control.
 */
export function holderRatio(theta: Float64Array, n: number, P: number, exponent = 0.5): number {
  let worst = 0;
  for (let j = 0; j < P; j++) {
    let semi = 0;
    for (let k = 0; k + 1 < n; k++) { const d = theta[(k + 1) * P + j]! - theta[k * P + j]!; semi += d * d; }
    const seminorm = Math.sqrt(n * semi);
    if (seminorm === 0) continue;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const r = Math.abs(theta[b * P + j]! - theta[a * P + j]!) / (Math.pow((b - a) / n, exponent) * seminorm);
        if (r > worst) worst = r;
      }
    }
  }
  return worst;
}

/** Random layer parameters: i.i.d. uniform (rough) and a random walk (Brownian-like). */
export function randomParameters(n: number, P: number, seed: number, kind: 'iid' | 'walk'): Float64Array {
  const rng = makeRng(seed);
  const th = new Float64Array(n * P);
  for (let j = 0; j < P; j++) {
    let v = 0;
    for (let k = 0; k < n; k++) {
      v = kind === 'iid' ? rng.uniform(-1, 1) : v + rng.normal() / Math.sqrt(n);
      th[k * P + j] = v;
    }
  }
  return th;
}
