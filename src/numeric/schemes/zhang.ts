/**
 * Zhang's separately discretised ResNet (Meganet's ResNN/ResNNrk4 with separate grids `tY`,
 * `ttheta`): the weights live on their own coarse grid and the states on a finer one.
 *
 *  - weights θ_j = (K_j, b_j) at t^θ_j = t0 + j T/nTh, j = 0 … nTh, extended to all t by
 *    piecewise-linear interpolation (Meganet inter1D):
 *      θ(t) = (1 − w) θ_j + w θ_{j+1},  j = ⌊(t − t0)/Δθ⌋ (clamped to nTh − 1),  w = (t − t^θ_j)/Δθ;
 *  - states on t^Y_k = t0 + k h, h = T/nY, propagated by a one-step Scheme (forward Euler or
 *    RK4) whose stage parameters are sampled from θ(t): θ_{k,s} = θ(t_k + c_s h).
 *
 * The number of trainable parameters, (nTh + 1)·P, does not depend on nY; refining nY at fixed
 * nTh converges to the ODE with piecewise-linear weights (CLAIMS C26, C27).
 *
 * The adjoint reuses the last forward pass's record of the stages and σ′ (the scheme's tape,
 * types.ts) when it is called with the θ and trajectory of that pass (checked bit for bit), and
 * otherwise recomputes them: the results are the same bits either way. A stored trajectory is
 * stepped in place (layer k reads and writes views of the caller's buffer, made once per
 * buffer), so no state is copied per layer.
 *
 * Discrete adjoint: the scheme's stepAdjoint gives ∂L/∂θ_{k,s} for every stage parameter; the
 * chain rule through the interpolation (its transpose) scatters it to the two neighbouring
 * coarse nodes: ∂L/∂θ_j += (1 − w) ∂L/∂θ_{k,s}, ∂L/∂θ_{j+1} += w ∂L/∂θ_{k,s}.
 */
import { UserError, positiveInt } from '../../util/errors.ts';
import type { Scheme } from './types.ts';

export interface ZhangGrid {
  /** Final time T (the net covers [t0, t0 + T]). */
  T: number;
  /** Number of weight intervals (nTh + 1 weight nodes). */
  nTh: number;
  /** Number of state steps (layers). */
  nY: number;
  t0?: number;
}

export interface ZhangNet {
  readonly scheme: Scheme;
  readonly T: number;
  readonly t0: number;
  readonly nTh: number;
  readonly nY: number;
  /** State step h = T/nY. */
  readonly h: number;
  /** State dimension (the field's dim). */
  readonly dim: number;
  /** Parameters per weight node P (the field's paramDim). */
  readonly paramDim: number;
  /** Total trainable parameters (nTh + 1)·P. */
  readonly paramCount: number;
  /**
   * x_nY from x_0 (written into out). When `trajectory` ((nY + 1)·dim) is given, every state
   * x_k is stored there (needed by the adjoint).
   */
  forward(theta: Float64Array, x0: Float64Array, out: Float64Array, trajectory?: Float64Array): Float64Array;
  /**
   * Backward sweep from pN = ∂L/∂x_nY along a stored trajectory: writes ∂L/∂x_0 into px0 (when
   * given) and ADDS ∂L/∂θ_j for all coarse nodes into gTheta.
   */
  adjoint(theta: Float64Array, trajectory: Float64Array, pN: Float64Array, gTheta: Float64Array, px0?: Float64Array): void;
  /**
   * Tangent (forward-mode) map along a stored trajectory: δx_nY from δx_0 and coarse weight
   * perturbations δθ (interpolated to the stages exactly as θ is). Its transpose is `adjoint`.
   */
  tangent(theta: Float64Array, trajectory: Float64Array, dx0: Float64Array, dtheta: Float64Array | null, out: Float64Array): Float64Array;
  /** θ(t) by linear interpolation of the coarse weights (writes P entries into out at offset oo). */
  weightsAt(theta: Float64Array, t: number, out: Float64Array, oo?: number): Float64Array;
}

/** Locate t on the weight grid: the interval j and the weight w of node j + 1. */
function locate(t: number, t0: number, dTh: number, nTh: number): { j: number; w: number } {
  const s = (t - t0) / dTh;
  const j = Math.min(nTh - 1, Math.max(0, Math.floor(s)));
  return { j, w: s - j };
}

/** a[0 … n) and b[0 … n) hold the same doubles (bit for bit: +0 and −0 differ, NaN never matches). */
function sameBits(a: Float64Array, b: Float64Array, n: number): boolean {
  if (a.length < n) return false;
  for (let i = 0; i < n; i++) {
    const u = a[i]!, v = b[i]!;
    if (u !== v || (u === 0 && 1 / u !== 1 / v)) return false;
  }
  return true;
}

/** Build a separately discretised net from a scheme (makeEuler / makeRK4 of a ParamField). */
export function makeZhangNet(scheme: Scheme, grid: ZhangGrid): ZhangNet {
  const nTh = positiveInt(grid.nTh, 'Zhang net: nTh (weight intervals)');
  const nY = positiveInt(grid.nY, 'Zhang net: nY (state steps)');
  const T = grid.T, t0 = grid.t0 ?? 0;
  if (!Number.isFinite(T) || T <= 0) throw new UserError(`Zhang net: final time T must be positive and finite, got ${T}`);
  if (!Number.isFinite(t0)) throw new UserError(`Zhang net: t0 must be finite, got ${t0}`);
  const dim = scheme.field.dim, P = scheme.field.paramDim, c = scheme.stageTimes, S = c.length;
  const h = T / nY, dTh = T / nTh;
  // Interpolation data for every (layer, stage): node index j and weight w, computed once.
  const J = new Int32Array(nY * S), Wt = new Float64Array(nY * S);
  for (let k = 0; k < nY; k++) {
    for (let s = 0; s < S; s++) {
      const { j, w } = locate(t0 + k * h + c[s]! * h, t0, dTh, nTh);
      J[k * S + s] = j;
      Wt[k * S + s] = w;
    }
  }
  const stage = new Float64Array(S * P), gStage = new Float64Array(S * P), dStage = new Float64Array(S * P);
  const xa = new Float64Array(dim), xb = new Float64Array(dim), pa = new Float64Array(dim), pb = new Float64Array(dim);
  // x_0 … x_nY as views of the last trajectory buffer seen (a caller reuses one buffer per net)
  let views: Float64Array[] = [], viewsOf: Float64Array | null = null;
  const statesOf = (trajectory: Float64Array): Float64Array[] => {
    if (trajectory.length < (nY + 1) * dim) throw new UserError(`Zhang net: trajectory buffer needs ${(nY + 1) * dim} entries`);
    if (trajectory !== viewsOf) {
      views = Array.from({ length: nY + 1 }, (_, k) => trajectory.subarray(k * dim, (k + 1) * dim));
      viewsOf = trajectory;
    }
    return views;
  };

  const fillStage = (theta: Float64Array, k: number): void => {
    for (let s = 0; s < S; s++) {
      const j = J[k * S + s]!, w = Wt[k * S + s]!, a = j * P, b = a + P, o = s * P;
      for (let i = 0; i < P; i++) stage[o + i] = (1 - w) * theta[a + i]! + w * theta[b + i]!;
    }
  };
  // The tape of the last forward pass that stored a trajectory (when the scheme has a taped
  // form): the adjoint reuses it, bit-identically, if called with that θ and that trajectory.
  const taped = scheme.taped, ts = taped?.tapeSize ?? 0;
  let tape: Float64Array | null = null, tapeTheta: Float64Array | null = null, tapeTraj: Float64Array | null = null;
  let tapeValid = false;
  const tapeMatches = (theta: Float64Array, trajectory: Float64Array): boolean =>
    tapeValid && sameBits(theta, tapeTheta!, (nTh + 1) * P) && sameBits(trajectory, tapeTraj!, (nY + 1) * dim);

  const checkTheta = (theta: Float64Array): void => {
    if (theta.length !== (nTh + 1) * P) throw new UserError(`Zhang net: expected ${(nTh + 1) * P} weights ((nTh+1)·P), got ${theta.length}`);
  };

  return {
    scheme, T, t0, nTh, nY, h, dim, paramDim: P, paramCount: (nTh + 1) * P,
    forward(theta, x0, out, trajectory) {
      checkTheta(theta);
      if (x0.length !== dim) throw new UserError(`Zhang net: x0 must have ${dim} entries, got ${x0.length}`);
      if (!trajectory) {
        let cur = xa, nxt = xb;
        cur.set(x0);
        for (let k = 0; k < nY; k++) {
          fillStage(theta, k);
          scheme.step(t0 + k * h, h, cur, stage, 0, nxt);
          const t = cur; cur = nxt; nxt = t;
        }
        out.set(cur);
        return out;
      }
      const x = statesOf(trajectory);
      x[0]!.set(x0);
      if (!taped) {
        for (let k = 0; k < nY; k++) {
          fillStage(theta, k);
          scheme.step(t0 + k * h, h, x[k]!, stage, 0, x[k + 1]!);
        }
      } else {
        tape ??= new Float64Array(nY * ts);
        tapeTraj ??= new Float64Array((nY + 1) * dim);
        tapeTheta ??= new Float64Array((nTh + 1) * P);
        tapeValid = false;
        for (let k = 0; k < nY; k++) {
          fillStage(theta, k);
          taped.stepTaped(t0 + k * h, h, x[k]!, stage, 0, x[k + 1]!, tape, k * ts);
        }
        // what the tape was recorded with (the adjoint compares against it)
        tapeTraj.set(trajectory.subarray(0, (nY + 1) * dim));
        tapeTheta.set(theta);
        tapeValid = true;
      }
      out.set(x[nY]!);
      return out;
    },
    adjoint(theta, trajectory, pN, gTheta, px0) {
      checkTheta(theta);
      if (gTheta.length !== (nTh + 1) * P) throw new UserError(`Zhang net: gradient buffer needs ${(nTh + 1) * P} entries`);
      const x = statesOf(trajectory);
      let p = pa, q = pb;
      p.set(pN);
      const useTape = tapeMatches(theta, trajectory);
      for (let k = nY - 1; k >= 0; k--) {
        fillStage(theta, k);
        gStage.fill(0);
        if (useTape) taped!.stepAdjointTaped(t0 + k * h, h, x[k]!, stage, 0, p, q, gStage, 0, tape!, k * ts);
        else scheme.stepAdjoint(t0 + k * h, h, x[k]!, stage, 0, p, q, gStage, 0);
        for (let s = 0; s < S; s++) {
          const j = J[k * S + s]!, w = Wt[k * S + s]!, a = j * P, b = a + P, o = s * P;
          for (let i = 0; i < P; i++) {
            const gi = gStage[o + i]!;
            gTheta[a + i]! += (1 - w) * gi;
            gTheta[b + i]! += w * gi;
          }
        }
        const t = p; p = q; q = t;
      }
      if (px0) px0.set(p);
    },
    tangent(theta, trajectory, dx0, dtheta, out) {
      checkTheta(theta);
      if (dtheta) checkTheta(dtheta);
      const x = statesOf(trajectory);
      let v = pa, w = pb;
      v.set(dx0);
      for (let k = 0; k < nY; k++) {
        fillStage(theta, k);
        if (dtheta) {
          for (let s = 0; s < S; s++) {
            const j = J[k * S + s]!, wt = Wt[k * S + s]!, a = j * P, b = a + P, o = s * P;
            for (let i = 0; i < P; i++) dStage[o + i] = (1 - wt) * dtheta[a + i]! + wt * dtheta[b + i]!;
          }
        }
        scheme.stepTangent(t0 + k * h, h, x[k]!, stage, 0, v, dtheta ? dStage : null, 0, w);
        const t = v; v = w; w = t;
      }
      out.set(v);
      return out;
    },
    weightsAt(theta, t, out, oo = 0) {
      const { j, w } = locate(t, t0, dTh, nTh);
      for (let i = 0; i < P; i++) out[oo + i] = (1 - w) * theta[j * P + i]! + w * theta[(j + 1) * P + i]!;
      return out;
    },
  };
}
