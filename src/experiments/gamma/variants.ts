/**
 * Variants of the regulariser (C24, C23 'training'): the exponent κ of the difference term,
 * and no difference term at all.
 *
 * κ > 1: n^κ Σ|ΔK|² ≈ n^{κ−1}∫|K'|² penalises every variation more as n grows, so minimisers
 * flatten: the total variation TV(K_n) = Σ_k |K_{k+1} − K_k| → 0 (the penalty's weight grows
 * like n^{κ−1}, so |K'| shrinks like n^{1−κ}: TV ∝ n^{−1/2} for κ = 1.5). κ = 1 keeps TV at a
 * positive limit.
 * No difference term (smooth = 0): E_n bounds only the L² norm, no compactness; minimisers may
 * jump (on the toy problem they switch branch at t ≈ 1/3), so the discrete H¹ seminorm
 * n Σ|ΔK|² of minimisers grows like n and consecutive minimisers stay O(1) apart in sup.
 */
import { toyDataset, type Dataset } from './data.ts';
import { interpolantDistance, toyModel } from './sweep.ts';
import { cached } from '../../util/cache.ts';
import type { GammaModel } from './objective.ts';
import { multilevel, type LevelResult } from './train.ts';

export interface VariantEvidence {
  depths: number[];
  energy: number[];
  /** Σ_j Σ_k |θ_{k+1,j} − θ_{k,j}| of each minimiser (layer slots only). */
  totalVariation: number[];
  /** n Σ_j Σ_k |θ_{k+1,j} − θ_{k,j}|² of each minimiser. */
  h1Seminorm: number[];
  /** sup distance of consecutive interpolated minimisers (index i: depths[i] vs depths[i+1]). */
  supCauchy: number[];
  converged: boolean[];
  iterations: number[];
}

/** Train the multilevel sweep for a model variant and measure the minimisers' roughness. */
export function variantSweep(model: GammaModel, data: Dataset, depths: number[], maxIterations = 5000): VariantEvidence {
  return variantEvidence(multilevel(model, data, depths, { optimizer: 'h1', maxIterations }), data.d * data.d + data.d);
}

/**
 * The toy problem's sweep with difference-term exponent κ and weight `smooth` (0: no
 * difference term), α = 1e−3 otherwise. Cached: C23, C24 and the notebook train the same ones.
 */
export function toyVariant(kappa: number, smooth: number, depths: number[]): VariantEvidence {
  return cached('gamma-toy-variant', { kappa, smooth, depths }, import.meta.url, () => variantSweep(toyModel(1e-3, kappa, smooth), toyDataset(), depths));
}

/** The roughness measures of already trained levels (P numbers per layer). */
export function variantEvidence(levels: LevelResult[], P: number): VariantEvidence {
  const depths = levels.map((l) => l.n);
  const tv: number[] = [], semi: number[] = [], sup: number[] = [];
  for (const l of levels) {
    let a = 0, b = 0;
    for (let k = 0; k + 1 < l.n; k++) for (let j = 0; j < P; j++) {
      const d = l.theta[(k + 1) * P + j]! - l.theta[k * P + j]!;
      a += Math.abs(d); b += d * d;
    }
    tv.push(a); semi.push(l.n * b);
  }
  for (let i = 0; i + 1 < levels.length; i++) {
    const x = levels[i]!, y = levels[i + 1]!;
    sup.push(interpolantDistance(x.theta, x.n, y.theta, y.n, P).sup);
  }
  return {
    depths, energy: levels.map((l) => l.energy), totalVariation: tv, h1Seminorm: semi, supCauchy: sup,
    converged: levels.map((l) => l.converged), iterations: levels.map((l) => l.iterations),
  };
}
