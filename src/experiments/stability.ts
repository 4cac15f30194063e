/**
 * Stability of forward propagation (Haber–Ruthotto 2017; Zhang 2019 computes "the eigenvalues
 * of the Jacobian at each time point"):
 *
 *   J(t) = ∇_Y σ(K(t)Y + b(t)) = diag(σ′(K(t)Y(t) + b(t))) K(t).
 *
 * Continuous stability: max Re λ(J) ≤ 0; forward Euler: |1 + hλ| ≤ 1; RK4: |R(hλ)| ≤ 1 with
 * R(z) = 1 + z + z²/2 + z³/6 + z⁴/24. On the imaginary axis |1 + iy| = √(1 + y²) > 1 for every
 * y ≠ 0, while |R(iy)|² = 1 − y⁶/72 + y⁸/576 ≤ 1 iff |y| ≤ 2√2.
 *
 * Pure functions from a configuration to data (no pictures): the claims in
 * src/claims/stability.ts and the `stability` command wire them.
 */
import { eigenvalues, spectralAbscissa } from '../numeric/eig.ts';
import type { Activation } from '../numeric/activations.ts';
import { getActivation } from '../numeric/activations.ts';
import { resnetField } from '../numeric/schemes/fields.ts';
import { makeEuler } from '../numeric/schemes/euler.ts';
import { makeRK4 } from '../numeric/schemes/rk4.ts';
import type { Scheme } from '../numeric/schemes/types.ts';
import { makeZhangNet, type ZhangNet } from '../numeric/schemes/zhang.ts';
import { referenceSolution } from './depth-sweep.ts';
import { UserError } from '../util/errors.ts';
import { makeRng, type Rng } from '../util/prng.ts';

/** J = diag(σ′(Kx + b)) K for θ = (K row-major d×d, b) at offset to; writes d×d into out. */
export function layerJacobian(d: number, theta: Float64Array, to: number, x: ArrayLike<number>, act: Activation, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let z = theta[to + d * d + i]!;
    for (let j = 0; j < d; j++) z += theta[to + i * d + j]! * x[j]!;
    const s = act.dsigma(z);
    for (let j = 0; j < d; j++) out[i * d + j] = s * theta[to + i * d + j]!;
  }
  return out;
}

/** |1 + z| for z = re + i·im: forward Euler's amplification factor. */
export function eulerStabilityModulus(re: number, im: number): number {
  return Math.hypot(1 + re, im);
}

/** |R(z)|, R(z) = 1 + z + z²/2 + z³/6 + z⁴/24 (Horner in complex arithmetic). */
export function rk4StabilityModulus(re: number, im: number): number {
  const c = [1 / 24, 1 / 6, 1 / 2, 1, 1];
  let pr = c[0]!, pi = 0;
  for (let k = 1; k < c.length; k++) {
    const nr = pr * re - pi * im + c[k]!, ni = pr * im + pi * re;
    pr = nr; pi = ni;
  }
  return Math.hypot(pr, pi);
}

/**
 * The edge of the stability region on the imaginary axis: the smallest y > 0 where
 * |R(iy)| − 1 changes sign from ≤ 0 to > 0, found by a scan of step `dy` on (0, yMax] and
 * bisection to `tol`. Returns NaN when |R(iy)| > 1 already at the first scan point (no interval).
 */
export function imaginaryAxisBoundary(modulus: (re: number, im: number) => number, opts: { yMax?: number; dy?: number; tol?: number } = {}): { boundary: number; scan: { y: number[]; modulus: number[] } } {
  const yMax = opts.yMax ?? 4, dy = opts.dy ?? 0.01, tol = opts.tol ?? 1e-13;
  const ys: number[] = [], ms: number[] = [];
  let lo = NaN, hi = NaN;
  for (let y = dy; y <= yMax + 1e-12; y += dy) {
    const m = modulus(0, y);
    ys.push(y); ms.push(m);
    if (m > 1) { hi = y; lo = y - dy; break; }
  }
  for (let y = hi + dy; y <= yMax + 1e-12; y += dy) { ys.push(y); ms.push(modulus(0, y)); }
  if (!Number.isFinite(hi) || lo <= 0) return { boundary: NaN, scan: { y: ys, modulus: ms } };
  while (hi - lo > tol) {
    const mid = 0.5 * (lo + hi);
    if (modulus(0, mid) > 1) hi = mid; else lo = mid;
  }
  return { boundary: 0.5 * (lo + hi), scan: { y: ys, modulus: ms } };
}

/** A random d×d antisymmetric matrix with standard normal upper entries. */
export function randomAntisymmetric(d: number, rng: Rng): Float64Array {
  const k = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) { const v = rng.normal(); k[i * d + j] = v; k[j * d + i] = -v; }
  return k;
}

export interface DampedSpectrumResult {
  d: number;
  D: number[];
  gamma: number;
  /** Spectrum of D K (K antisymmetric). */
  antisymmetric: { re: number[]; im: number[] };
  /** Spectrum of D (K − γI). */
  damped: { re: number[]; im: number[] };
  maxAbsRe: number;
  /** max|Re λ| allowed: 10·d·ε‖DK‖₁ · √(max D/min D) (eigenvalue condition of a matrix similar to a normal one by D^{1/2}). */
  roundoffBound: number;
  reRange: [number, number];
  bound: [number, number];
}

/**
 * C28: for K = −Kᵀ and D = diag(d_i) > 0, J = DK is similar to D^{1/2} K D^{1/2} (antisymmetric),
 * so its spectrum is imaginary; for K − γI every eigenvalue has Re λ = −γ v*Dv/v*v with v the
 * eigenvector of D^{1/2}(K − γI)D^{1/2}, hence Re λ ∈ [−γ max D, −γ min D].
 * `perturb` adds a symmetric part (a negative control).
 */
export function dampedSpectrum(d: number, gamma: number, seed: number, perturb = 0): DampedSpectrumResult {
  const rng = makeRng(seed);
  const K = randomAntisymmetric(d, rng);
  if (perturb !== 0) for (let i = 0; i < d; i++) for (let j = i; j < d; j++) { const v = perturb * rng.normal(); K[i * d + j]! += v; if (i !== j) K[j * d + i]! += v; }
  const D = Array.from({ length: d }, () => rng.uniform(0.05, 1)); // σ′ of tanh lies in (0, 1]
  const DK = new Float64Array(d * d), DKg = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    DK[i * d + j] = D[i]! * K[i * d + j]!;
    DKg[i * d + j] = D[i]! * (K[i * d + j]! - (i === j ? gamma : 0));
  }
  const s1 = eigenvalues(DK, d), s2 = eigenvalues(DKg, d);
  let maxAbsRe = 0, norm1 = 0;
  for (let i = 0; i < d; i++) maxAbsRe = Math.max(maxAbsRe, Math.abs(s1.re[i]!));
  for (let j = 0; j < d; j++) { let c = 0; for (let i = 0; i < d; i++) c += Math.abs(DK[i * d + j]!); norm1 = Math.max(norm1, c); }
  const dmax = Math.max(...D), dmin = Math.min(...D);
  return {
    d, D, gamma,
    antisymmetric: { re: Array.from(s1.re), im: Array.from(s1.im) },
    damped: { re: Array.from(s2.re), im: Array.from(s2.im) },
    maxAbsRe,
    roundoffBound: 10 * d * 2.220446049250313e-16 * norm1 * Math.sqrt(dmax / dmin),
    reRange: [Math.min(...s2.re), Math.max(...s2.re)],
    bound: [-gamma * dmax, -gamma * dmin],
  };
}

/** A linear network dY/dt = KY as a Scheme on resnetField(d, identity) with θ = (K, 0). */
function linearScheme(d: number, method: 'euler' | 'rk4'): Scheme {
  const f = resnetField(d, getActivation('identity'));
  return method === 'euler' ? makeEuler(f) : makeRK4(f);
}

export interface GrowthResult {
  method: 'euler' | 'rk4';
  h: number;
  N: number;
  /** |μ| of the eigen-direction the input lies in (largest |Im λ| of K). */
  mu: number;
  /** ‖Y_N‖/‖Y_0‖ measured by stepping the network. */
  growth: number;
  /** Predicted |R(ihμ)|^N (Euler: (1 + h²μ²)^{N/2}). */
  predicted: number;
}

/**
 * ‖Y_N‖/‖Y_0‖ for Ẏ = KY, K = [[0, −μ], [μ, 0]] (normal, eigenvalues ±iμ), stepped N times
 * with step h by Euler or RK4; the exact flow preserves the norm.
 */
export function antisymmetricGrowth(method: 'euler' | 'rk4', mu: number, h: number, N: number): GrowthResult {
  const d = 2, s = linearScheme(d, method);
  const S = s.stageTimes.length, th = new Float64Array(S * 6);
  for (let st = 0; st < S; st++) th.set([0, -mu, mu, 0, 0, 0], st * 6); // θ = (K, b = 0) at every stage time
  let x = Float64Array.of(1, 0), y = new Float64Array(2);
  for (let n = 0; n < N; n++) { s.step(n * h, h, x, th, 0, y); const t = x; x = y; y = t; }
  const growth = Math.hypot(x[0]!, x[1]!);
  const amp = method === 'euler' ? eulerStabilityModulus(0, h * mu) : rk4StabilityModulus(0, h * mu);
  return { method, h, N, mu, growth, predicted: amp ** N };
}

export interface RegimeResult {
  name: 'exploding' | 'vanishing' | 'conservative' | string;
  K: number[];
  spectrum: { re: number[]; im: number[] };
  T: number;
  /** ‖Y(T)‖/‖Y(0)‖ for a unit input, and the distance ratio of two inputs, from a numerical flow. */
  normRatio: number;
  distanceRatio: number;
  /** e^{max Re λ · T}: the prediction for a normal K. */
  predicted: number;
}

/**
 * C30: the three linear regimes of Ẏ = KY in 2-D. The flow is integrated numerically (the
 * caller passes an integrator, e.g. dopri5 at tight tolerance) and compared with e^{Re λ T},
 * with Re λ from the eigenvalue solver: exact for normal K (K = aI + ωJ).
 */
export function linearRegime(name: string, K: readonly number[], T: number, integrate: (K: readonly number[], y0: Float64Array, T: number) => Float64Array): RegimeResult {
  if (K.length !== 4) throw new UserError('linear regime: K must be 2×2');
  const s = eigenvalues(K, 2);
  const y1 = integrate(K, Float64Array.of(Math.SQRT1_2, Math.SQRT1_2), T);
  const a = Float64Array.of(0.3, -0.4), b = Float64Array.of(-0.5, 0.1);
  const ya = integrate(K, a, T), yb = integrate(K, b, T);
  return {
    name, K: [...K], spectrum: { re: Array.from(s.re), im: Array.from(s.im) }, T,
    normRatio: Math.hypot(y1[0]!, y1[1]!),
    distanceRatio: Math.hypot(ya[0]! - yb[0]!, ya[1]! - yb[1]!) / Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!),
    predicted: Math.exp(spectralAbscissa(s) * T),
  };
}

export interface TrajectorySpectrum {
  method: 'euler' | 'rk4';
  T: number;
  nTh: number;
  nY: number;
  h: number;
  /** State times t_k, k = 0 … nY − 1 (the times at which the layer Jacobian acts). */
  t: number[];
  /** Eigenvalues of J(t_k) per time. */
  re: number[][];
  im: number[][];
  maxRe: number[];
  /** max_i |1 + hλ_i| and max_i |R(hλ_i)| per time. */
  euler: number[];
  rk4: number[];
  trajectory: number[][];
}

/** Random weights for a d-dimensional Zhang net: K_j = s·(antisymmetric part + symmetric·mix) − γI, b_j ~ N(0, 0.1²). */
export function randomZhangWeights(d: number, nTh: number, seed: number, opts: { scale?: number; gamma?: number; symmetric?: number } = {}): Float64Array {
  const rng = makeRng(seed), P = d * d + d, th = new Float64Array((nTh + 1) * P);
  const scale = opts.scale ?? 1, gamma = opts.gamma ?? 0, sym = opts.symmetric ?? 0;
  for (let j = 0; j <= nTh; j++) {
    const A = randomAntisymmetric(d, rng);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
      const s = sym * rng.normal();
      th[j * P + i * d + k] = scale * A[i * d + k]! + s - (i === k ? gamma : 0);
    }
    for (let i = 0; i < d; i++) th[j * P + d * d + i] = 0.1 * rng.normal();
  }
  return th;
}

/** Eigenvalues of J(t_k) along the trajectory of one input through a Zhang net on resnetField(d, σ). */
export function jacobianAlongTrajectory(net: ZhangNet, theta: Float64Array, x0: Float64Array, act: Activation): TrajectorySpectrum {
  const d = net.dim, P = net.paramDim;
  if (P !== d * d + d) throw new UserError('Jacobian spectrum: the net must be a single-sample σ(Kx + b) net');
  const traj = new Float64Array((net.nY + 1) * d), xN = new Float64Array(d);
  net.forward(theta, x0, xN, traj);
  for (let k = 0; k <= net.nY; k++) {
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(traj[k * d + i]!)) throw new UserError(`the trajectory diverged at layer ${k} of ${net.nY} (t = ${(net.t0 + k * net.h).toPrecision(4)}): the state is no longer finite; use a smaller step or smaller weights`);
    }
  }
  const th = new Float64Array(P), J = new Float64Array(d * d);
  const out: TrajectorySpectrum = { method: net.scheme.name === 'rk4' ? 'rk4' : 'euler', T: net.T, nTh: net.nTh, nY: net.nY, h: net.h, t: [], re: [], im: [], maxRe: [], euler: [], rk4: [], trajectory: [] };
  for (let k = 0; k <= net.nY; k++) out.trajectory.push(Array.from(traj.subarray(k * d, (k + 1) * d)));
  for (let k = 0; k < net.nY; k++) {
    const t = net.t0 + k * net.h;
    net.weightsAt(theta, t, th);
    layerJacobian(d, th, 0, traj.subarray(k * d, (k + 1) * d), act, J);
    const s = eigenvalues(J, d);
    let e = 0, r = 0;
    for (let i = 0; i < d; i++) {
      e = Math.max(e, eulerStabilityModulus(net.h * s.re[i]!, net.h * s.im[i]!));
      r = Math.max(r, rk4StabilityModulus(net.h * s.re[i]!, net.h * s.im[i]!));
    }
    out.t.push(t); out.re.push(Array.from(s.re)); out.im.push(Array.from(s.im));
    out.maxRe.push(spectralAbscissa(s)); out.euler.push(e); out.rk4.push(r);
  }
  return out;
}

/** Convenience: a Zhang net on σ(Kx + b) in dimension d with the given method. */
export function zhangResnet(d: number, act: Activation, method: 'euler' | 'rk4', grid: { T: number; nTh: number; nY: number }, samples = 1): ZhangNet {
  const f = resnetField(d, act, { samples });
  return makeZhangNet(method === 'euler' ? makeEuler(f) : makeRK4(f), grid);
}

export interface PwLinearLadder {
  method: 'euler' | 'rk4';
  nTh: number;
  T: number;
  nY: number[];
  h: number[];
  err: number[];
  /** |Y_ref(T)|: the scale of the errors. */
  scale: number;
  /** The reference's round-off floor (10× its error estimate, ≥ 1e3·ε·scale): errors below it measure the reference. */
  floor: number;
  /** Whether every weight node t^θ_j is a state node (kinks never inside a step). */
  aligned: boolean;
}

/**
 * C26: |Y_nY(T) − Y_ref(T)| over a ladder of state steps at fixed piecewise-linear weights
 * (nTh intervals). The reference integrates dY/dt = σ(K(t)Y + b(t)) with DOPRI5 at rtol = 1e-13
 * with the weight nodes t^θ_j as breakpoints (tstops: piece by piece, where θ is smooth, so no
 * step straddles a kink and the error estimate, hence the floor, holds).
 *
 * Default nTh = 5 on purpose: RK4 integrates a kink at relative position s of a step with the
 * Simpson-like weights (1/6, 2/3, 1/6), whose O(h²) kink error is ∝ s(3s − 1) (s ≤ ½, mirrored
 * above) and vanishes at s = 1/3, 2/3 — so nTh = 3 with dyadic nY shows a spurious order 3.
 */
export function pwLinearLadder(method: 'euler' | 'rk4', nYs: readonly number[], opts: { d?: number; nTh?: number; T?: number; seed?: number; act?: Activation; x0?: readonly number[] } = {}): PwLinearLadder {
  const d = opts.d ?? 2, nTh = opts.nTh ?? 5, T = opts.T ?? 2, act = opts.act ?? getActivation('tanh');
  const theta = randomZhangWeights(d, nTh, opts.seed ?? 1, { scale: 1, symmetric: 0.5 });
  const x0 = Float64Array.from(opts.x0 ?? Array.from({ length: d }, (_, i) => 0.5 - 0.3 * i));
  const field = resnetField(d, act);
  const probe = zhangResnet(d, act, method, { T, nTh, nY: 1 });
  const P = d * d + d, th = new Float64Array(P);
  const f = (t: number, x: Float64Array, out: Float64Array) => { probe.weightsAt(theta, t, th); field.eval(t, x, th, 0, out); };
  const ref = referenceSolution(f, T, x0, { rtol: 1e-13, atol: 1e-15, tstops: Array.from({ length: nTh + 1 }, (_, j) => (j * T) / nTh) });
  const y = ref.x;
  const out: PwLinearLadder = { method, nTh, T, nY: [], h: [], err: [], scale: Math.hypot(...y), floor: ref.floor, aligned: nYs.every((n) => n % nTh === 0) };
  const xN = new Float64Array(d);
  for (const nY of nYs) {
    zhangResnet(d, act, method, { T, nTh, nY }).forward(theta, x0, xN);
    let e = 0;
    for (let i = 0; i < d; i++) e = Math.max(e, Math.abs(xN[i]! - y[i]!));
    out.nY.push(nY); out.h.push(T / nY); out.err.push(e);
  }
  return out;
}

/**
 * The boundary |R(z)| = 1 of a stability region, traced by radial bisection from an interior
 * centre c (c = −1 lies inside both the Euler disk and the RK4 region): for each angle φ the
 * first radius r with |R(c + r e^{iφ})| > 1 (scan step 0.02, then bisection to 1e-10).
 */
export function stabilityRegionBoundary(modulus: (re: number, im: number) => number, opts: { center?: number; angles?: number; rMax?: number } = {}): { re: number[]; im: number[] } {
  const c = opts.center ?? -1, n = opts.angles ?? 180, rMax = opts.rMax ?? 5;
  const re: number[] = [], im: number[] = [];
  for (let k = 0; k <= n; k++) {
    const phi = (2 * Math.PI * k) / n, cr = Math.cos(phi), ci = Math.sin(phi);
    let lo = 0, hi = NaN;
    for (let r = 0.02; r <= rMax; r += 0.02) {
      if (modulus(c + r * cr, r * ci) > 1) { hi = r; break; }
      lo = r;
    }
    if (!Number.isFinite(hi)) continue;
    while (hi - lo > 1e-10) { const mid = 0.5 * (lo + hi); if (modulus(c + mid * cr, mid * ci) > 1) hi = mid; else lo = mid; }
    re.push(c + lo * cr); im.push(lo * ci);
  }
  return { re, im };
}

export interface JacobianFigureData {
  /** hλ for every eigenvalue at every time (complex plane points). */
  points: { label: string; re: number[]; im: number[] }[];
  euler: { re: number[]; im: number[] };
  rk4: { re: number[]; im: number[] };
}

/** hλ(J(t_k)) of one or more trajectory spectra, with the Euler and RK4 stability boundaries. */
export function jacobianFigureData(spectra: { label: string; s: TrajectorySpectrum }[]): JacobianFigureData {
  return {
    points: spectra.map(({ label, s }) => ({
      label,
      re: s.re.flatMap((row) => row.map((v) => s.h * v)),
      im: s.im.flatMap((row) => row.map((v) => s.h * v)),
    })),
    euler: stabilityRegionBoundary(eulerStabilityModulus, { angles: 120 }),
    rk4: stabilityRegionBoundary(rk4StabilityModulus, { angles: 240 }),
  };
}
