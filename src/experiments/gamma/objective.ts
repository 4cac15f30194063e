/**
 * The Thorpe–van Gennip training objective of a depth-n residual network, value and gradient.
 *
 *   X_s⁽⁰⁾ = x_s,   X_s⁽ᵏ⁺¹⁾ = X_s⁽ᵏ⁾ + (1/n) σ(K⁽ᵏ⁾X_s⁽ᵏ⁾ + b⁽ᵏ⁾),   k = 0 … n−1,
 *   E_n = (1/S) Σ_s ½ (w·X_s⁽ⁿ⁾ + c − y_s)²
 *       + R_K + R_b [+ γ₀(|w|² + c²) when the readout is learned],
 *   R_θ = ridge_θ · (1/n) Σ_k |θ⁽ᵏ⁾|² + smooth_θ · n^κ Σ_{k=0}^{n−2} |θ⁽ᵏ⁺¹⁾ − θ⁽ᵏ⁾|².
 *
 * Thorpe–van Gennip's α[n Σ|ΔK|² + (1/n) Σ|K|²] is ridge = smooth = α, κ = 1; GAMMA.md's
 * (λ/N)Σ|A|² + μN Σ|ΔA|² is ridge = λ, smooth = μ, κ = 1. Parameters sit at the cell centres
 * t_k = (k + ½)/n (the convention of every interpolation, prolongation and continuum
 * comparison in this folder). The output is scalar (one target column).
 *
 * Parameter vector θ (length nP [+ d + 1]), layer-major with P = d² + d:
 * θ[kP + i·d + j] = K⁽ᵏ⁾_ij, θ[kP + d² + i] = b⁽ᵏ⁾_i, then w (d numbers) and c if learned.
 *
 * The residual's step is 1/n by default; `opts.step` sets another δ (the kernel is the same
 * with h = δ): Cohen et al.'s h + δσ(Ah + b) with δ = 1/√n is the diffusive scaling of C38.
 *
 * Why a batched kernel beside the per-sample scheme adjoints of src/numeric/schemes: training
 * evaluates E and ∇E thousands of times over S samples × n layers. Running a block of samples
 * through one layer at a time keeps K⁽ᵏ⁾, b⁽ᵏ⁾ and the gradient accumulators in locals; the
 * block's states and σ′ (≈ 32·n·S_b bytes) are capped at about 1 MB, so memory stays O(n)
 * whatever S (time was measured equal to the unblocked sweep); nothing is allocated after
 * setup. The mathematics is the same discrete adjoint (backprop) of forward Euler:
 *   p_s⁽ⁿ⁾ = (r_s/S) w,  δ = (1/n) σ′(z) ⊙ p⁽ᵏ⁺¹⁾,  ∂E/∂K⁽ᵏ⁾ += δ X⁽ᵏ⁾ᵀ,  ∂E/∂b⁽ᵏ⁾ += δ,
 *   p⁽ᵏ⁾ = p⁽ᵏ⁺¹⁾ + K⁽ᵏ⁾ᵀ δ,
 * and the activation (σ, σ′) comes from src/numeric/activations.ts. The test suite checks the
 * kernel against the Euler scheme's adjoint (src/numeric/schemes: resnetField + backward).
 */
import type { Activation } from '../../numeric/activations.ts';
import type { ValueAndGradient } from '../../numeric/lbfgs.ts';
import { h1Metric, type H1Metric } from '../../numeric/h1.ts';
import { UserError } from '../../util/errors.ts';
import { fastTanh } from './fasttanh.ts';
import type { Dataset } from './data.ts';

/** Coefficients of (1/n)Σ|θ|² (ridge) and n^κ Σ|Δθ|² (smooth). */
export interface Regulariser { ridge: number; smooth: number }

export type Readout =
  | { kind: 'fixed'; w: Float64Array; c: number }
  | { kind: 'learned'; ridge: number; w0: Float64Array; c0: number };

export interface GammaModel {
  activation: Activation;
  /** Exponent κ of the difference term n^κ Σ|Δθ|² (1: Thorpe–van Gennip). */
  kappa: number;
  regK: Regulariser;
  regB: Regulariser;
  readout: Readout;
}

export interface ObjectiveParts { loss: number; regK: number; regB: number; readoutRidge: number; total: number }

export interface DepthObjective {
  n: number; d: number; P: number;
  /** Length of θ. */
  size: number;
  /** E_n(θ), ∇E_n into g. No allocation per call. */
  fg: ValueAndGradient;
  /** The terms of E_n separately (runs a forward pass); `outputs`, when given, receives that pass's network outputs (what `predict` returns). */
  parts(theta: Float64Array, outputs?: Float64Array): ObjectiveParts;
  /** Network outputs w·X_s⁽ⁿ⁾ + c for every sample (runs a forward pass). */
  predict(theta: Float64Array, out?: Float64Array): Float64Array;
  /** The Hessian of the regulariser as an SPD metric (needs every ridge > 0). */
  metric(): H1Metric;
  /** θ with zero layers and the readout's initial value. */
  initial(): Float64Array;
  /** Samples per cache block of the kernel. */
  block: number;
}

/** GAMMA.md's model: λ/μ regulariser, fixed readout. */
export function gammaBenchModel(activation: Activation, lambda = 1e-3, mu = 1e-3, w: number[] = [1, -1], c = 0): GammaModel {
  return {
    activation, kappa: 1,
    regK: { ridge: lambda, smooth: mu }, regB: { ridge: lambda, smooth: mu },
    readout: { kind: 'fixed', w: Float64Array.from(w), c },
  };
}

/** Bytes of per-block state (states and σ′) kept between the forward and backward sweep. */
const BLOCK_BYTES = 1 << 20;

/** Build E_n for a data set and depth n (allocates the state and work arrays once); `step` is the residual's δ (default 1/n). */
export function depthObjective(model: GammaModel, data: Dataset, n: number, opts: { step?: number } = {}): DepthObjective {
  const { d, S } = data;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`depth must be a positive integer, got ${n}`);
  const ro = model.readout;
  if (ro.kind === 'fixed' && ro.w.length !== d) throw new UserError(`readout w has ${ro.w.length} entries, the data have d = ${d} inputs`);
  if (ro.kind === 'learned' && ro.w0.length !== d) throw new UserError(`initial readout w has ${ro.w0.length} entries, the data have d = ${d} inputs`);
  const P = d * d + d;
  const learned = ro.kind === 'learned';
  const size = n * P + (learned ? d + 1 : 0);
  const B = Math.max(1, Math.min(S, Math.floor(BLOCK_BYTES / (16 * (2 * n + 1) * d))));
  const X = new Float64Array((n + 1) * B * d);   // block states X⁽ᵏ⁾: X[(k·B + s)·d + i]
  const Dz = new Float64Array(n * B * d);        // σ′(z⁽ᵏ⁾), same layout
  const p = new Float64Array(B * d);             // costate of the block, overwritten layer by layer
  const resid = new Float64Array(S);
  const h = opts.step ?? 1 / n;
  if (!(Number.isFinite(h) && h > 0)) throw new UserError(`the residual step must be > 0, got ${h}`);
  const sigma = model.activation.sigma, dsigma = model.activation.dsigma;
  // σ = tanh (the benchmark's activation): σ′ = 1 − σ² saves a second transcendental per unit,
  // and fastTanh (≤ 3 ulps) replaces Math.tanh, which alone cost 80 % of an evaluation
  const isTanh = model.activation.sigma === Math.tanh;
  const act = isTanh ? fastTanh : sigma;
  const nk = Math.pow(n, model.kappa);
  const aK = model.regK.ridge / n, cK = model.regK.smooth * nk;
  const aB = model.regB.ridge / n, cB = model.regB.smooth * nk;
  const wFixed = ro.kind === 'fixed' ? ro.w : new Float64Array(d);
  const cFixed = ro.kind === 'fixed' ? ro.c : 0;
  const zbuf = new Float64Array(d), dbuf = new Float64Array(d);

  /**
   * Sweep every block forward (and backward when g is given). Returns the loss; leaves the
   * residuals r_s = w·X_s⁽ⁿ⁾ + c − y_s in `resid` and, when g is given, adds ∂loss/∂θ into g
   * (including the readout's loss gradient when learned).
   */
  const sweep = (th: Float64Array, g: Float64Array | null): number => {
    const wOff = learned ? n * P : -1;
    const c = learned ? th[n * P + d]! : cFixed;
    const xo = n * B * d;
    let loss = 0, gc = 0;
    for (let s0 = 0; s0 < S; s0 += B) {
      const m = Math.min(B, S - s0);
      for (let i = 0; i < m * d; i++) X[i] = data.x[s0 * d + i]!;
      if (d === 2) {
        if (isTanh) forward2tanh(X, Dz, th, n, B, m, h);
        else forward2(X, Dz, th, n, B, m, h, sigma, dsigma);
      } else forwardGeneral(X, Dz, th, n, B, m, h, d, act, dsigma, isTanh, zbuf);
      for (let s = 0; s < m; s++) {
        let out = c;
        for (let i = 0; i < d; i++) out += (wOff >= 0 ? th[wOff + i]! : wFixed[i]!) * X[xo + s * d + i]!;
        const r = out - data.y[s0 + s]!;
        resid[s0 + s] = r;
        loss += 0.5 * r * r;
        if (!g) continue;
        // p⁽ⁿ⁾ = ∂loss/∂X⁽ⁿ⁾ = (r_s/S) w; the readout's own gradient (r_s/S)(X⁽ⁿ⁾, 1)
        const rs = r / S;
        for (let i = 0; i < d; i++) {
          p[s * d + i] = rs * (wOff >= 0 ? th[wOff + i]! : wFixed[i]!);
          if (wOff >= 0) g[wOff + i] = g[wOff + i]! + rs * X[xo + s * d + i]!;
        }
        gc += rs;
      }
      if (g) {
        if (d === 2) backward2(X, Dz, p, th, g, n, B, m, h);
        else backwardGeneral(X, Dz, p, th, g, n, B, m, h, d, dbuf);
      }
    }
    if (g && learned) g[wOff + d] = g[wOff + d]! + gc;
    return loss / S;
  };

  /** R_θ for one parameter family (slots j0 … j1−1 of every layer), gradient added into g. */
  const regularise = (th: Float64Array, g: Float64Array | null, j0: number, j1: number, a: number, c: number): number => {
    let r = 0;
    for (let k = 0; k < n; k++) {
      const o = k * P;
      for (let j = j0; j < j1; j++) {
        const v = th[o + j]!;
        r += a * v * v;
        let gj = 2 * a * v;
        if (k + 1 < n) { const dv = th[o + P + j]! - v; r += c * dv * dv; gj -= 2 * c * dv; }
        if (k > 0) gj += 2 * c * (v - th[o - P + j]!);
        if (g) g[o + j] = g[o + j]! + gj;
      }
    }
    return r;
  };

  /** γ₀(|w|² + c²) of a learned readout, gradient added into g. */
  const readoutRidge = (th: Float64Array, g: Float64Array | null): number => {
    if (!learned) return 0;
    let r = 0;
    for (let i = n * P; i < size; i++) {
      const v = th[i]!;
      r += ro.ridge * v * v;
      if (g) g[i] = g[i]! + 2 * ro.ridge * v;
    }
    return r;
  };

  /** The outputs w·X_s⁽ⁿ⁾ + c of the last sweep, from its residuals. */
  const outputsOfSweep = (out: Float64Array): Float64Array => {
    for (let s = 0; s < S; s++) out[s] = resid[s]! + data.y[s]!;
    return out;
  };

  const fg: ValueAndGradient = (th, g) => {
    g.fill(0);
    let E = sweep(th, g);
    E += regularise(th, g, 0, d * d, aK, cK);
    E += regularise(th, g, d * d, P, aB, cB);
    E += readoutRidge(th, g);
    return E;
  };

  return {
    n, d, P, size, fg, block: B,
    parts(th, outputs) {
      const loss = sweep(th, null);
      if (outputs) outputsOfSweep(outputs);
      const regK = regularise(th, null, 0, d * d, aK, cK);
      const regB = regularise(th, null, d * d, P, aB, cB);
      const rr = readoutRidge(th, null);
      return { loss, regK, regB, readoutRidge: rr, total: loss + regK + regB + rr };
    },
    predict(th, out = new Float64Array(S)) {
      sweep(th, null);
      return outputsOfSweep(out);
    },
    metric() {
      const a = new Float64Array(P), c = new Float64Array(P);
      for (let j = 0; j < P; j++) {
        const reg = j < d * d ? model.regK : model.regB;
        if (!(reg.ridge > 0)) throw new UserError(`the H¹ preconditioner needs a ridge weight > 0 (got ${reg.ridge} for ${j < d * d ? 'K' : 'b'})`);
        a[j] = 2 * reg.ridge / n; c[j] = 2 * reg.smooth * nk;
        // a ridge weight of 5e-324 passes the test above, and 2λ/n underflows to 0 (1e308 overflows)
        if (!(a[j]! > 0 && Number.isFinite(a[j]!))) {
          throw new UserError(`the ridge weight ${reg.ridge} of ${j < d * d ? 'K' : 'b'} makes the H¹ preconditioner's 2λ/n at depth ${n} ${a[j] === 0 ? 'underflow to 0' : 'overflow'}`);
        }
        if (!Number.isFinite(c[j]!)) throw new UserError(`the smoothness weight ${reg.smooth} of ${j < d * d ? 'K' : 'b'} makes the H¹ preconditioner's 2μ·n^κ at depth ${n} overflow`);
      }
      // readout: its ridge Hessian 2γ₀ plus 1, the scale of the loss curvature |X⁽ⁿ⁾|² for
      // data in [−1, 1]^d (a pure 2γ₀ metric would make the first readout steps huge)
      const extra = learned ? new Array<number>(d + 1).fill(2 * ro.ridge + 1) : [];
      return h1Metric(n, a, c, extra);
    },
    initial() {
      const th = new Float64Array(size);
      if (learned) { th.set(ro.w0, n * P); th[n * P + d] = ro.c0; }
      return th;
    },
  };
}

// ---- kernels -------------------------------------------------------------------------------
// Module-level functions with every array and size as an argument: V8 compiles one optimised
// version shared by all objectives. As closures inside depthObjective they were specialised to
// the first objective's context, and every later objective (the next depth) ran ~2× slower.
// Layout: X[(k·B + s)·d + i] for k = 0…n (block states), Dz the same for σ′(z⁽ᵏ⁾), k < n.

/** Forward sweep of a block of m ≤ B samples (inputs already in X[0 … m·d)), any d. */
function forwardGeneral(X: Float64Array, Dz: Float64Array, th: Float64Array, n: number, B: number, m: number, h: number, d: number,
  act: (z: number) => number, dsigma: (z: number) => number, isTanh: boolean, z: Float64Array): void {
  const P = d * d + d;
  for (let k = 0; k < n; k++) {
    const o = k * P, xin = k * B * d, xout = (k + 1) * B * d;
    for (let s = 0; s < m; s++) {
      const xs = xin + s * d;
      for (let i = 0; i < d; i++) {
        let acc = th[o + d * d + i]!;
        for (let j = 0; j < d; j++) acc += th[o + i * d + j]! * X[xs + j]!;
        z[i] = acc;
      }
      for (let i = 0; i < d; i++) {
        const zi = z[i]!, a = act(zi);
        Dz[xs + i] = isTanh ? 1 - a * a : dsigma(zi);
        X[xout + s * d + i] = X[xs + i]! + h * a;
      }
    }
  }
}

/** d = 2: K⁽ᵏ⁾ and b⁽ᵏ⁾ in locals. */
function forward2(X: Float64Array, Dz: Float64Array, th: Float64Array, n: number, B: number, m: number, h: number,
  sigma: (z: number) => number, dsigma: (z: number) => number): void {
  for (let k = 0; k < n; k++) {
    const o = k * 6;
    const k00 = th[o]!, k01 = th[o + 1]!, k10 = th[o + 2]!, k11 = th[o + 3]!, b0 = th[o + 4]!, b1 = th[o + 5]!;
    let xi = 2 * k * B, xo = xi + 2 * B;
    for (let s = 0; s < m; s++, xi += 2, xo += 2) {
      const x0 = X[xi]!, x1 = X[xi + 1]!;
      const z0 = k00 * x0 + k01 * x1 + b0, z1 = k10 * x0 + k11 * x1 + b1;
      Dz[xi] = dsigma(z0);
      Dz[xi + 1] = dsigma(z1);
      X[xo] = x0 + h * sigma(z0);
      X[xo + 1] = x1 + h * sigma(z1);
    }
  }
}

/** d = 2 and σ = tanh: the benchmark's hot loop, σ′ = 1 − σ². */
function forward2tanh(X: Float64Array, Dz: Float64Array, th: Float64Array, n: number, B: number, m: number, h: number): void {
  for (let k = 0; k < n; k++) {
    const o = k * 6;
    const k00 = th[o]!, k01 = th[o + 1]!, k10 = th[o + 2]!, k11 = th[o + 3]!, b0 = th[o + 4]!, b1 = th[o + 5]!;
    let xi = 2 * k * B, xo = xi + 2 * B;
    for (let s = 0; s < m; s++, xi += 2, xo += 2) {
      const x0 = X[xi]!, x1 = X[xi + 1]!;
      const a0 = fastTanh(k00 * x0 + k01 * x1 + b0), a1 = fastTanh(k10 * x0 + k11 * x1 + b1);
      Dz[xi] = 1 - a0 * a0;
      Dz[xi + 1] = 1 - a1 * a1;
      X[xo] = x0 + h * a0;
      X[xo + 1] = x1 + h * a1;
    }
  }
}

/** Backward sweep of a block: p⁽ⁿ⁾ given in p; adds the loss gradient into g[0 … nP). */
function backwardGeneral(X: Float64Array, Dz: Float64Array, p: Float64Array, th: Float64Array, g: Float64Array,
  n: number, B: number, m: number, h: number, d: number, dl: Float64Array): void {
  const P = d * d + d;
  for (let k = n - 1; k >= 0; k--) {
    const o = k * P, xin = k * B * d;
    for (let s = 0; s < m; s++) {
      const xs = xin + s * d, ps = s * d;
      for (let i = 0; i < d; i++) dl[i] = h * Dz[xs + i]! * p[ps + i]!;
      for (let i = 0; i < d; i++) {
        const di = dl[i]!;
        for (let j = 0; j < d; j++) g[o + i * d + j] = g[o + i * d + j]! + di * X[xs + j]!;
        g[o + d * d + i] = g[o + d * d + i]! + di;
      }
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += th[o + i * d + j]! * dl[i]!;
        p[ps + j] = p[ps + j]! + acc;
      }
    }
  }
}

function backward2(X: Float64Array, Dz: Float64Array, p: Float64Array, th: Float64Array, g: Float64Array,
  n: number, B: number, m: number, h: number): void {
  for (let k = n - 1; k >= 0; k--) {
    const o = k * 6;
    const k00 = th[o]!, k01 = th[o + 1]!, k10 = th[o + 2]!, k11 = th[o + 3]!;
    let g00 = 0, g01 = 0, g10 = 0, g11 = 0, gb0 = 0, gb1 = 0;
    let xi = 2 * k * B;
    for (let s = 0, ps = 0; s < m; s++, xi += 2, ps += 2) {
      const x0 = X[xi]!, x1 = X[xi + 1]!;
      const d0 = h * Dz[xi]! * p[ps]!, d1 = h * Dz[xi + 1]! * p[ps + 1]!;
      g00 += d0 * x0; g01 += d0 * x1; g10 += d1 * x0; g11 += d1 * x1; gb0 += d0; gb1 += d1;
      p[ps] = p[ps]! + k00 * d0 + k10 * d1;
      p[ps + 1] = p[ps + 1]! + k01 * d0 + k11 * d1;
    }
    g[o] = g[o]! + g00; g[o + 1] = g[o + 1]! + g01; g[o + 2] = g[o + 2]! + g10;
    g[o + 3] = g[o + 3]! + g11; g[o + 4] = g[o + 4]! + gb0; g[o + 5] = g[o + 5]! + gb1;
  }
}
