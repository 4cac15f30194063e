/**
 * Memory-free backprop (Sander, Ablin & Peyré 2022, CLAIMS C36): the activations x_l are not
 * stored by the forward pass but reconstructed backwards from x_N, one layer at a time, by
 * running the layer's own scheme with the step −h from t_{l+1}:
 *
 *     x̂_l = Φ_{−h}(t_{l+1}, x̂_{l+1}; θ_l reversed),
 *
 * e.g. for a ResNet x̂_l = x̂_{l+1} − h f(x̂_{l+1}, θ_l). "θ_l reversed" lists the layer's stage
 * parameters in reverse order: a stage at c_s of the forward step sits at 1 − c_s of the
 * backward one, so the stage times must be symmetric (Heun [0, 1], RK4 [0, ½, 1]); a
 * one-stage layer (Euler, FF) uses its only parameters, as Sander et al. do.
 *
 * The reconstruction is not exact: a forward step followed by the backward one is the
 * identity only up to the local errors of the two steps as methods for the flow. A method of
 * order p has Φ_h = φ_h + C h^{p+1} + O(h^{p+2}), so Φ_{−h}∘Φ_h = id + (1 + (−1)^{p+1}) C h^{p+1}
 * + O(h^{p+2}): for Euler (p = 1) the h² terms add (−h² f′f per layer) and |x̂_0 − x_0| = O(h);
 * for Heun (p = 2) the h³ terms cancel, so with weights smooth in depth the layer error is
 * O(h⁴) and |x̂_0 − x_0| = O(h³), within Sander et al.'s bound O(h²). That expansion needs the
 * weights to vary by O(h) within a layer: for Heun with stage weights (θ_a, θ_b) the
 * composition is id − (h²/4)(f_a′ − f_b′)(f_a − f_b) + O(h³), so weights unrelated from one
 * layer to the next (iid) leave O(h²) per layer and the error is O(h) again, like Euler's.
 *
 * `backwardMemoryFree` runs the scheme's discrete adjoint along the reconstructed states, in
 * O(d + S·P) memory: the gradient inherits the reconstruction error.
 */
import { UserError } from '../../util/errors.ts';
import { layerParamCount, type Scheme } from './types.ts';
import type { Depth } from './net.ts';

/** Why `scheme` has no backward step, or undefined: stage times must be symmetric (c ↔ 1 − c). */
function notReversible(scheme: Scheme): string | undefined {
  const c = scheme.stageTimes, S = c.length;
  if (S === 1) return undefined;
  for (let s = 0; s < S; s++) {
    if (Math.abs(c[S - 1 - s]! - (1 - c[s]!)) > 1e-15) return `scheme ${scheme.name} has stage times [${c.join(', ')}], not symmetric under c ↦ 1 − c: its backward step would need parameters at other times`;
  }
  return undefined;
}

function checkArgs(scheme: Scheme, theta: Float64Array, depth: Depth, xN: Float64Array) {
  const why = notReversible(scheme);
  if (why) throw new UserError(why);
  if (!Number.isInteger(depth.N) || depth.N < 1) throw new UserError(`number of layers N must be a positive integer, got ${depth.N}`);
  if (!(Number.isFinite(depth.T) && depth.T !== 0)) throw new UserError(`time horizon T must be finite and non-zero, got ${depth.T}`);
  const LP = layerParamCount(scheme), d = scheme.field.dim;
  if (theta.length !== depth.N * LP) throw new UserError(`${scheme.name}: parameters have ${theta.length} entries, need N·S·P = ${depth.N * LP}`);
  if (xN.length !== d) throw new UserError(`final state has dimension ${xN.length}, expected ${d}`);
  return { N: depth.N, t0: depth.t0 ?? 0, h: depth.T / depth.N, LP, P: scheme.field.paramDim, S: scheme.stageTimes.length, d };
}

/** The layer-l stage parameters in reverse stage order, into `rev` (S·P). */
function reversedStages(theta: Float64Array, l: number, LP: number, S: number, P: number, rev: Float64Array): void {
  for (let s = 0; s < S; s++) for (let k = 0; k < P; k++) rev[(S - 1 - s) * P + k] = theta[l * LP + s * P + k]!;
}

/**
 * The reconstructed states x̂_0 … x̂_N ((N+1)·d, x̂_N = xN) of an N-layer net, from its final
 * state alone. Throws UserError for a scheme without a backward step (midpoint) or bad sizes.
 */
export function reconstructStates(scheme: Scheme, xN: Float64Array, theta: Float64Array, depth: Depth): Float64Array {
  const { N, t0, h, LP, P, S, d } = checkArgs(scheme, theta, depth, xN);
  const out = new Float64Array((N + 1) * d), rev = new Float64Array(S * P);
  const cur = Float64Array.from(xN), nxt = new Float64Array(d);
  out.set(cur, N * d);
  for (let l = N - 1; l >= 0; l--) {
    reversedStages(theta, l, LP, S, P, rev);
    scheme.step(t0 + (l + 1) * h, -h, cur, rev, 0, nxt);
    cur.set(nxt);
    out.set(cur, l * d);
  }
  return out;
}

/**
 * Backprop from p_N = ∂L/∂x_N with the states reconstructed on the fly (nothing stored):
 * returns x̂_0, p̂_0 and ∂L/∂θ in the stage layout (into `opts.gTheta` when given, overwritten).
 * Each layer's adjoint runs at x̂_l.
 */
export function backwardMemoryFree(scheme: Scheme, xN: Float64Array, theta: Float64Array, depth: Depth, pN: Float64Array,
  opts: { reverseTheta?: Float64Array; gTheta?: Float64Array } = {}): { x0: Float64Array; p0: Float64Array; gTheta: Float64Array } {
  const { N, t0, h, LP, P, S, d } = checkArgs(scheme, theta, depth, xN);
  if (pN.length !== d) throw new UserError(`final costate has dimension ${pN.length}, expected ${d}`);
  // the parameters the backward steps read: theta itself, unless a caller (a negative control) breaks them
  const thetaBack = opts.reverseTheta ?? theta;
  if (thetaBack.length !== theta.length) throw new UserError(`reverseTheta has ${thetaBack.length} entries, theta ${theta.length}`);
  const rev = new Float64Array(S * P), gTheta = opts.gTheta ?? new Float64Array(N * LP);
  if (gTheta.length !== N * LP) throw new UserError(`gradient buffer has ${gTheta.length} entries, need ${N * LP}`);
  gTheta.fill(0);
  let x = Float64Array.from(xN), xPrev = new Float64Array(d);
  let p = Float64Array.from(pN), pPrev = new Float64Array(d);
  for (let l = N - 1; l >= 0; l--) {
    reversedStages(thetaBack, l, LP, S, P, rev);
    scheme.step(t0 + (l + 1) * h, -h, x, rev, 0, xPrev);
    scheme.stepAdjoint(t0 + l * h, h, xPrev, theta, l * LP, p, pPrev, gTheta, l * LP);
    const tx = x; x = xPrev; xPrev = tx;
    const tp = p; p = pPrev; pPrev = tp;
  }
  return { x0: x, p0: p, gTheta };
}
