/**
 * The order of a layer map as a one-step method for its own continuum limit, read off its
 * modified equation (symbolic/modified.ts). The map Φ_ε equals the time-ε flow of
 * f_ε = f_1 + ε f_2 + … + ε^{k−1} f_k to O(ε^{k+1}). If f_2 = … = f_m = 0 and f_{m+1} ≠ 0, the
 * map and the time-ε flow of its ODE dx/dt = f_1 first differ at ε^{m+1}:
 *     Φ_ε − φ_ε^{f_1} = ε^{m+1} f_{m+1} + O(ε^{m+2}),
 * a local error of order m+1, so N = T/ε layers converge to the ODE at global order p = m.
 * When every f_2 … f_k vanishes the order is at least k (exact: false).
 *
 * "Vanishes" is decided exactly in the polynomial algebra; a term that is not zero there is
 * also evaluated at seeded random points, because the algebra does not know every identity
 * (sin² + cos² − 1 is not zero to it). A term that is symbolically non-zero but numerically
 * zero everywhere sampled leaves the order undecided: a UserError asks for the order instead
 * of guessing it (a wrong expected order would make a certificate lie).
 */
import { compileScalar } from '../symbolic/compile.ts';
import { derive, MAX_ORDER, type Derivation } from '../symbolic/derive.ts';
import type { LayerSpec } from '../symbolic/layers.ts';
import { freeSymbols } from '../symbolic/parse.ts';
import { UserError } from '../util/errors.ts';
import { DEFAULT_SEED, makeRng } from '../util/prng.ts';

export interface LayerOrder {
  /** Global order p of the net against dx/dt = f_1 (a lower bound when `exact` is false). */
  order: number;
  /** False when every modified term up to f_{checkedTo} vanishes (order ≥ checkedTo). */
  exact: boolean;
  /** j of the first non-zero f_j (j ≥ 2), when there is one. */
  firstTerm?: number;
  /** The highest modified term examined. */
  checkedTo: number;
  /** One line: why this order. */
  reason: string;
}

/** Random points per term; a non-zero term exceeds the threshold at almost every point. */
const POINTS = 8;
/** |f_j| above this at an O(1) point proves f_j ≠ 0 (evaluation error ~1e-14 for O(1)-sized terms). */
const NONZERO = 1e-9;

/** Is the vector term `v` (text components) identically zero? 'yes' | 'no' | 'undecided'. */
function vanishes(v: readonly string[], seed: number): 'yes' | 'no' | 'undecided' {
  if (v.every((c) => c === '0')) return 'yes';
  const rng = makeRng(seed);
  for (const c of v) {
    if (c === '0') continue;
    const vars = freeSymbols(c);
    const f = compileScalar(c, vars);
    const pt = new Float64Array(vars.length);
    let finite = 0;
    for (let s = 0; s < POINTS; s++) {
      rng.fillUniform(pt, -0.9, 0.9);
      const y = f(pt);
      if (!Number.isFinite(y)) continue;
      finite++;
      if (Math.abs(y) > NONZERO) return 'no';
    }
    if (finite === 0) return 'undecided';
  }
  return 'undecided';
}

/**
 * The order of the derived layer (from dv.modified). Throws UserError when a term is zero
 * numerically but not symbolically (give the order explicitly then).
 */
export function layerOrder(dv: Derivation): LayerOrder {
  const k = dv.modified.length;
  for (let j = 2; j <= k; j++) {
    const z = vanishes(dv.modified[j - 1]!, (dv.verification.seed ?? DEFAULT_SEED) + j);
    if (z === 'no') {
      return { order: j - 1, exact: true, firstTerm: j, checkedTo: j, reason: `f_${j} is the first non-zero modified term: local error O(eps^${j}), order ${j - 1}` };
    }
    if (z === 'undecided') {
      throw new UserError(`cannot infer the layer's order: f_${j} is not zero symbolically but vanishes at every sampled point; give the expected order explicitly`);
    }
  }
  return {
    order: k, exact: false, checkedTo: k,
    reason: k === 1 ? 'derived at order 1 only: order at least 1' : `f_2 … f_${k} vanish: the map is the time-eps flow of its ODE to O(eps^${k + 1}), order at least ${k}`,
  };
}

/**
 * Derive the layer at the highest supported order (MAX_ORDER) and return its order. UserError
 * on bad text (as derive) or an undecided term; Error if the derivation refutes itself.
 */
export function inferLayerOrder(spec: LayerSpec, opts: { seed?: number } = {}): LayerOrder {
  const dv = derive(spec, MAX_ORDER, { seed: opts.seed ?? DEFAULT_SEED });
  if (dv.verification.verdict === 'refuted') throw new Error(`derive refuted its own modified equation for ${dv.map.join('; ')}`);
  return layerOrder(dv);
}

/** The order of `dv`, re-deriving at MAX_ORDER when its own order cannot decide it. */
export function layerOrderOf(dv: Derivation): LayerOrder {
  const o = layerOrder(dv);
  return o.exact || dv.order >= MAX_ORDER ? o : inferLayerOrder(dv.spec, { seed: dv.verification.seed });
}
