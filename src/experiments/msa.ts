/**
 * The method of successive approximations (MSA) and its extended version (E-MSA) of Li, Chen,
 * Tai & E 2018 (CLAIMS C39a): training an N-layer net x_{n+1} = g_n(x_n, θ_n) by Pontryagin's
 * maximum principle. With the costate in their sign, p_n = −∂Φ/∂x_n (backprop negated, C39a),
 * and the layer Hamiltonian H_n(x, p, θ) = p·g_n(x, θ) − R(θ), one iteration
 *   1. runs the net forward (x_n^s per sample s) and backward (p_n^s = ∇_x H_n, from p_N^s = −∇Φ);
 *   2. sets every θ_n, in parallel, to the maximiser of the sample mean of the augmented Hamiltonian
 *        H̃_n(θ) = H_n(x_n, p_{n+1}, θ) − (ρ/2)|x_{n+1} − g_n(x_n, θ)|² − (ρ/2)|p_n − ∇_x H_n(x_n, p_{n+1}, θ)|².
 * ρ = 0 is the basic MSA. Their error estimate: J(θ^{k+1}) ≤ J(θ^k) − Σ_n ΔH̃_n + (C − ρ/2)·(the two
 * penalties), so for ρ ≥ 2C the loss J = mean_s Φ(x_N^s) + Σ_n R(θ_n) cannot increase, while
 * the basic MSA (which maximises H alone) can overshoot.
 *
 * The net here is the Euler ResNet of Ruseckas' field F(x; A, β) = Ax + β + tanh(x) (g = x + hF),
 * which is affine in θ = (A, β), with R(θ) = (λh/2)|θ|² (the Riemann sum of ∫ λ/2 |θ|² dt). Then
 * H̃_n is a concave quadratic in θ and its maximiser is exact: with J_s = ∂F/∂θ (x_n^s) and
 * G_s = ∂(w ∂F/∂x)/∂θ at w = p_{n+1}^s (both constant in θ), M = mean_s h²(J_sᵀJ_s + G_sᵀG_s)
 * and c = mean_s h (∂F/∂θ)ᵀ p_{n+1}^s = −mean_s ∂Φ_s/∂θ_n (the backprop gradient),
 *   (λh I + ρ M) θ_n^{k+1} = c + ρ M θ_n^k,
 * one P×P solve per layer: no inner optimiser, so no inner tolerance. The forward and backward
 * passes are numeric/schemes/net.ts (the same backprop as C2/C39a).
 */
import { getActivation } from '../numeric/activations.ts';
import { luFactor, luSolve } from '../numeric/linalg.ts';
import { ruseckasField } from '../numeric/schemes/fields.ts';
import { backward, forward, makeScheme } from '../numeric/schemes/net.ts';
import type { ParamField, Scheme } from '../numeric/schemes/types.ts';
import { makeRng } from '../util/prng.ts';
import { UserError } from '../util/errors.ts';

export interface MsaProblem {
  scheme: Scheme;
  field: ParamField;
  d: number;
  /** Samples S. */
  S: number;
  N: number;
  T: number;
  /** λ of R(θ) = (λh/2)|θ|². */
  lambda: number;
  /** Inputs x_0^s and targets y^s, S·d each. */
  x0: Float64Array;
  y: Float64Array;
  /** θ⁰, N·P. */
  theta0: Float64Array;
}

export interface MsaSizes { d: number; S: number; N: number; T: number; lambda: number }

/**
 * The seeded task: S inputs x⁰ ~ N(0, I) in ℝ^d, targets y = Qx⁰ + 0.5 sin(2x⁰) with Q the
 * rotation by π/2 in each coordinate pair (a map no single layer makes), θ⁰ ~ N(0, 0.01).
 */
export function msaProblem(sizes: MsaSizes, seed: number): MsaProblem {
  const { d, S, N, T, lambda } = sizes;
  const field = ruseckasField(d, getActivation('tanh'));
  const scheme = makeScheme('euler', field);
  const rng = makeRng(seed);
  const x0 = new Float64Array(S * d).map(() => rng.normal());
  const y = new Float64Array(S * d);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < d; i++) {
      const o = s * d, j = i ^ 1; // partner coordinate of the rotation (i itself when d is odd and i = d − 1)
      const q = j < d ? (i % 2 === 0 ? -x0[o + j]! : x0[o + j]!) : x0[o + i]!;
      y[o + i] = q + 0.5 * Math.sin(2 * x0[o + i]!);
    }
  }
  const theta0 = new Float64Array(N * field.paramDim).map(() => 0.1 * rng.normal());
  return { scheme, field, d, S, N, T, lambda, x0, y, theta0 };
}

/**
 * The state of one iteration: every sample's states and costates (Li's sign), flat per sample,
 * the backprop ∂Φ_s/∂θ, and the sign that turns the latter into c (−1; +1 for the control).
 */
interface Pass { xs: Float64Array[]; ps: Float64Array[]; gTheta: Float64Array[]; costateSign: number }

function newPass(pb: MsaProblem): Pass {
  const { S, N, d } = pb, P = pb.field.paramDim;
  return {
    xs: Array.from({ length: S }, () => new Float64Array((N + 1) * d)),
    ps: Array.from({ length: S }, () => new Float64Array((N + 1) * d)),
    gTheta: Array.from({ length: S }, () => new Float64Array(N * P)),
    costateSign: -1,
  };
}

/**
 * Forward and backward over all samples at θ; returns J(θ). After it, pass.ps[s] holds Li's
 * costate p_n^s = −∂Φ_s/∂x_n (Φ_s = ½|x_N^s − y^s|²) and pass.gTheta[s] the backprop ∂Φ_s/∂θ.
 * `flipCostate` (the control) starts from p_N = +∇Φ instead of −∇Φ.
 */
function sweep(pb: MsaProblem, theta: Float64Array, pass: Pass, flipCostate = false): number {
  const { S, N, d, T, lambda } = pb, depth = { N, T }, h = T / N;
  const x0 = new Float64Array(d), pN = new Float64Array(d);
  let phi = 0;
  for (let s = 0; s < S; s++) {
    x0.set(pb.x0.subarray(s * d, (s + 1) * d));
    const xs = forward(pb.scheme, x0, theta, depth, pass.xs[s]);
    for (let i = 0; i < d; i++) {
      const e = xs[N * d + i]! - pb.y[s * d + i]!;
      phi += 0.5 * e * e;
      pN[i] = e;
    }
    const { ps } = backward(pb.scheme, xs, theta, depth, pN, { ps: pass.ps[s], gTheta: pass.gTheta[s] });
    // Li's costate is the negated loss gradient; the control keeps the loss gradient's sign
    if (!flipCostate) for (let k = 0; k < ps.length; k++) ps[k] = -ps[k]!;
  }
  pass.costateSign = flipCostate ? 1 : -1;
  let reg = 0;
  for (let k = 0; k < theta.length; k++) reg += theta[k]! * theta[k]!;
  return phi / S + 0.5 * lambda * h * reg;
}

/** J(θ) = mean_s ½|x_N^s − y^s|² + Σ_n (λh/2)|θ_n|². */
export function msaLoss(pb: MsaProblem, theta: Float64Array): number {
  return sweep(pb, theta, newPass(pb));
}

/**
 * H̃_n(θ) evaluated directly from the field (g = x + hF, ∇_x H = p + h p ∂F/∂x), sample mean,
 * at the states and costates of `theta` (the current iterate): what `layerMaximiser` maximises.
 */
export function augmentedHamiltonian(pb: MsaProblem, theta: Float64Array, n: number, rho: number, cand: Float64Array): number {
  const pass = newPass(pb);
  sweep(pb, theta, pass);
  const { S, d, T, N, lambda, field } = pb, h = T / N, P = field.paramDim;
  const x = new Float64Array(d), p1 = new Float64Array(d), f = new Float64Array(d), wJ = new Float64Array(d);
  let sum = 0;
  for (let s = 0; s < S; s++) {
    const xs = pass.xs[s]!, ps = pass.ps[s]!;
    for (let i = 0; i < d; i++) { x[i] = xs[n * d + i]!; p1[i] = ps[(n + 1) * d + i]!; }
    field.eval(n * h, x, cand, 0, f);
    field.vjp(n * h, x, cand, 0, p1, wJ, null, 0, 0);
    let H = 0, e1 = 0, e2 = 0;
    for (let i = 0; i < d; i++) {
      const g = x[i]! + h * f[i]!;
      H += p1[i]! * g;
      e1 += (xs[(n + 1) * d + i]! - g) ** 2;
      e2 += (ps[n * d + i]! - (p1[i]! + h * wJ[i]!)) ** 2;
    }
    sum += H - 0.5 * rho * (e1 + e2);
  }
  let r = 0;
  for (let k = 0; k < P; k++) r += cand[k]! * cand[k]!;
  return sum / S - 0.5 * lambda * h * r;
}

/** Scratch of the layer-wise maximisation (allocated once per run). */
interface Scratch { M: Float64Array; rhs: Float64Array; Jc: Float64Array; Gc: Float64Array; e: Float64Array; zero: Float64Array; x: Float64Array; p1: Float64Array; v0: Float64Array; base: Float64Array; out: Float64Array; sol: Float64Array }

function newScratch(d: number, P: number): Scratch {
  return {
    M: new Float64Array(P * P), rhs: new Float64Array(P), Jc: new Float64Array(P * d), Gc: new Float64Array(P * d),
    e: new Float64Array(P), zero: new Float64Array(P), x: new Float64Array(d), p1: new Float64Array(d), v0: new Float64Array(d),
    base: new Float64Array(d), out: new Float64Array(d), sol: new Float64Array(P),
  };
}

/**
 * The maximiser of H̃_n over θ_n (written into `out` at n·P), from a pass at `theta`:
 * (λh I + ρM) θ = c + ρ M θ_n^k with M, c as in the module comment. λh I + ρM is symmetric
 * positive definite whenever M is finite, so `false` (nothing written) means the iterate has
 * overflowed (M, c or the solution non-finite, or a pivot flushed to zero): a divergence.
 */
function layerMaximiser(pb: MsaProblem, theta: Float64Array, pass: Pass, n: number, rho: number, sc: Scratch, out: Float64Array): boolean {
  const { S, d, T, N, lambda, field } = pb, h = T / N, P = field.paramDim, t = n * h;
  const { M, rhs, Jc, Gc, e, zero, x, p1, v0, base } = sc;
  M.fill(0); rhs.fill(0);
  for (let s = 0; s < S; s++) {
    const xs = pass.xs[s]!, ps = pass.ps[s]!, g = pass.gTheta[s]!;
    for (let i = 0; i < d; i++) { x[i] = xs[n * d + i]!; p1[i] = ps[(n + 1) * d + i]!; }
    // c = h (∂F/∂θ)ᵀ p_{n+1} = −∂Φ_s/∂θ_n (Li's p is the negated backprop costate; the control flips p and so c)
    for (let k = 0; k < P; k++) rhs[k] = rhs[k]! + pass.costateSign * g[n * P + k]! / S;
    // columns k of J = ∂F/∂θ (jvp with δx = 0, δθ = e_k) and G = ∂(p ∂F/∂x)/∂θ (affine in θ: difference at e_k and 0)
    field.vjp(t, x, zero, 0, p1, base, null, 0, 0);
    for (let k = 0; k < P; k++) {
      e.fill(0); e[k] = 1;
      field.jvp(t, x, zero, 0, v0, e, 0, sc.out);
      for (let i = 0; i < d; i++) Jc[k * d + i] = sc.out[i]!;
      field.vjp(t, x, e, 0, p1, sc.out, null, 0, 0);
      for (let i = 0; i < d; i++) Gc[k * d + i] = sc.out[i]! - base[i]!;
    }
    for (let a = 0; a < P; a++) {
      for (let b = 0; b <= a; b++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += Jc[a * d + i]! * Jc[b * d + i]! + Gc[a * d + i]! * Gc[b * d + i]!;
        M[a * P + b] = M[a * P + b]! + (h * h * acc) / S;
      }
    }
  }
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) M[b * P + a] = M[a * P + b]!;
  // rhs = c + ρ M θ_n^k; matrix λh I + ρ M
  for (let a = 0; a < P; a++) {
    let acc = 0;
    for (let b = 0; b < P; b++) acc += M[a * P + b]! * theta[n * P + b]!;
    rhs[a] = rhs[a]! + rho * acc;
  }
  for (let k = 0; k < P * P; k++) M[k] = rho * M[k]!;
  for (let a = 0; a < P; a++) M[a * P + a] = M[a * P + a]! + lambda * h;
  if (!M.every(Number.isFinite) || !rhs.every(Number.isFinite)) return false;
  const lu = luFactor(M, P);
  if (lu.singular) return false;
  luSolve(lu, rhs, sc.sol);
  if (!sc.sol.every(Number.isFinite)) return false;
  out.set(sc.sol, n * P);
  return true;
}

/** One E-MSA iteration from θ: every layer's maximiser of H̃_n (N·P, a new array). */
export function emsaStep(pb: MsaProblem, theta: Float64Array, rho: number): Float64Array {
  const pass = newPass(pb), sc = newScratch(pb.d, pb.field.paramDim), next = new Float64Array(theta.length);
  sweep(pb, theta, pass);
  for (let n = 0; n < pb.N; n++) if (!layerMaximiser(pb, theta, pass, n, rho, sc, next)) throw new UserError(`E-MSA: the maximisation of H̃ overflowed at layer ${n}`);
  return next;
}

export interface MsaRun {
  rho: number;
  /** J(θ^k), k = 0 … iterations. */
  loss: number[];
  /** max_k (J_{k+1} − J_k): ≤ 0 for a monotone run. */
  maxIncrease: number;
}

/**
 * `iterations` E-MSA iterations at penalty ρ (ρ = 0: basic MSA) from θ⁰; the loss sequence.
 * `flipCostate`: the control's broken costate p_N = +∇Φ. A divergence (non-finite loss or
 * state, or an overflowing maximisation) ends the run: the sequence stops at the last finite
 * value and `maxIncrease` is +∞.
 */
export function emsa(pb: MsaProblem, rho: number, iterations: number, flipCostate = false): MsaRun {
  const P = pb.field.paramDim;
  let theta = Float64Array.from(pb.theta0), next = new Float64Array(theta.length);
  const pass = newPass(pb), sc = newScratch(pb.d, P);
  const loss = [sweep(pb, theta, pass, flipCostate)];
  let maxIncrease = -Infinity;
  for (let k = 0; k < iterations; k++) {
    let J = NaN; // an overflow in the maximisation or a non-finite state is a divergence: measured, not a crash
    let finite = true;
    for (let n = 0; n < pb.N && finite; n++) finite = layerMaximiser(pb, theta, pass, n, rho, sc, next);
    if (finite) {
      [theta, next] = [next, theta];
      try { J = sweep(pb, theta, pass, flipCostate); } catch (e) {
        if (!(e instanceof UserError)) throw e; // forward/backward name a non-finite state by UserError
      }
    }
    if (!Number.isFinite(J)) { maxIncrease = Infinity; break; }
    maxIncrease = Math.max(maxIncrease, J - loss[loss.length - 1]!);
    loss.push(J);
  }
  return { rho, loss, maxIncrease };
}
