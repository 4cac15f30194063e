/**
 * Ruseckas' proposed ODE is bounded, and its layer is invertible for small steps (CLAIMS C15).
 *
 * The ODE ẋ = w x + b − γ x³ (elementwise cube, γ > 0; the field `ruseckasField` with g = −γz³).
 * With μ = λ_max((w + wᵀ)/2) (so x·wx ≤ μ|x|²), μ₊ = max(μ, 0) and Σ x_i⁴ ≥ |x|⁴/d:
 *     d/dt |x|²/2 ≤ μ₊|x|² + |b||x| − (γ/d)|x|⁴,  i.e.  ṙ ≤ μ₊ r + |b| − (γ/d) r³  (r = |x|).
 *  - The ball of radius R* (the positive root of (γ/d) r³ = μ₊ r + |b|) is forward invariant:
 *    outside it r decreases. R* ≤ max(√(2dμ₊/γ), (2d|b|/γ)^{1/3}), the stated order
 *    √(d‖w‖/γ) + (d‖b‖/γ)^{1/3}.
 *  - Coming down from infinity: for r ≥ ρ = max(√(4dμ₊/γ), (4d|b|/γ)^{1/3}) each of μ₊r and |b|
 *    is at most (γ/4d) r³, so ṙ ≤ −(γ/2d) r³ and d(r⁻²)/dt ≥ γ/d. Hence, for every x(0),
 *        |x(t)| ≤ B(t) = max(ρ, (|x(0)|⁻² + γt/d)^{−1/2}) ≤ max(ρ, √(d/(γt))):
 *    after t = d/(γρ²) every solution is in the ball of radius ρ, however large |x(0)| was.
 *
 * The FF layer x ↦ σ_Δt((I + ΔtA)x + Δtβ), σ_Δt(z) = z + Δt g(z) = z − γΔt z³, has
 * σ′_Δt = 1 − 3γΔt z² > 0 exactly for |z| < z* = 1/√(3γΔt): it is invertible on states whose
 * pre-activations stay in that range, and z* grows like Δt^{−1/2}, so it exceeds R* once
 * Δt < 1/(3γR*²).
 */
import { eigenvalues } from '../numeric/eig.ts';
import { customActivation, type Activation } from '../numeric/activations.ts';
import { ruseckasField } from '../numeric/schemes/fields.ts';
import { makeFF } from '../numeric/schemes/ff.ts';
import { dopri5 } from '../numeric/ode/dopri5.ts';
import { luFactor, luSolve, norm2 } from '../numeric/linalg.ts';
import { EPS } from '../util/approx.ts';
import { makeRng } from '../util/prng.ts';
import { UserError } from '../util/errors.ts';

/** ẋ = w x + b − γ x³ in dimension d (w row-major d×d). */
export interface BallProblem { d: number; gamma: number; w: Float64Array; b: Float64Array }

/** g(z) = −γz³, Ruseckas' nonlinearity (the 'cubic' activation is γ = 1/3). */
export function cubicActivation(gamma: number): Activation {
  return customActivation(`cubic γ=${gamma}`, (z) => -gamma * z * z * z, (z) => -3 * gamma * z * z, `-${gamma} z^3`);
}

/**
 * C15's problem: d = 3, γ = 0.5, w = (random antisymmetric) + diag(1, 0.3, −0.5) (so μ = 1: the
 * origin is unstable and the linear part alone would grow like e^t), b ~ N(0, I).
 */
export function c15Problem(seed: number, gamma = 0.5): BallProblem {
  const d = 3, rng = makeRng(seed), w = new Float64Array(d * d), b = new Float64Array(d);
  const diag = [1, 0.3, -0.5];
  for (let i = 0; i < d; i++) {
    w[i * d + i] = diag[i]!;
    for (let j = i + 1; j < d; j++) { const a = rng.normal(); w[i * d + j] = a; w[j * d + i] = -a; }
  }
  for (let i = 0; i < d; i++) b[i] = rng.normal();
  return { d, gamma, w, b };
}

export interface BallRadii {
  /** λ_max of the symmetric part of w. */
  mu: number;
  bNorm: number;
  /** R*: the invariant radius (positive root of (γ/d) r³ = μ₊ r + |b|). */
  invariant: number;
  /** ρ: below it after t = d/(γρ²) from any x(0). */
  entry: number;
  /** The order the claim states: √(d μ₊/γ) + (d|b|/γ)^{1/3}. */
  stated: number;
}

export function ballRadii(p: BallProblem): BallRadii {
  const { d, gamma } = p;
  if (!(gamma > 0)) throw new UserError(`the invariant ball needs γ > 0, got ${gamma}`);
  const sym = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sym[i * d + j] = (p.w[i * d + j]! + p.w[j * d + i]!) / 2;
  const mu = Math.max(...eigenvalues(sym, d).re), mp = Math.max(mu, 0), bNorm = norm2(p.b);
  // (γ/d) r³ − μ₊ r − |b| is increasing beyond √(dμ₊/(3γ)) and negative there: bisect above it
  const q = (r: number) => (gamma / d) * r ** 3 - mp * r - bNorm;
  let lo = Math.sqrt((d * mp) / (3 * gamma)), hi = Math.max(Math.sqrt((2 * d * mp) / gamma), Math.cbrt((2 * d * bNorm) / gamma), 1e-300);
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) { const m = (lo + hi) / 2; if (q(m) > 0) hi = m; else lo = m; }
  return {
    mu, bNorm, invariant: hi,
    entry: Math.max(Math.sqrt((4 * d * mp) / gamma), Math.cbrt((4 * d * bNorm) / gamma)),
    stated: Math.sqrt((d * mp) / gamma) + Math.cbrt((d * bNorm) / gamma),
  };
}

/** The bound B(t) = max(ρ, (r0⁻² + γt/d)^{−1/2}) on |x(t)| (see the module comment). */
export function radiusBound(radii: BallRadii, p: BallProblem, r0: number, t: number): number {
  return Math.max(radii.entry, 1 / Math.sqrt(1 / (r0 * r0) + (p.gamma * t) / p.d));
}

export interface BallRun {
  r0: number;
  t: number[];
  r: number[];
  /** B(t) at the same times. */
  bound: number[];
  /** max_t |x(t)|/B(t). */
  ratio: number;
  /** First sampled time inside the invariant ball (NaN: never). */
  entered: number;
  /** max |x(t)|/R* from entry on (NaN: never entered). */
  afterEntry: number;
}

export interface BallOptions {
  /** |x(0)| values (default 0.1 … 10⁴ by decades). */
  magnitudes?: number[];
  /** Random directions per magnitude (default 3). */
  directions?: number;
  /** Final time (default 20). */
  T?: number;
  /** Sample times per run, log-spaced from 10⁻⁸ to T (default 80). */
  samples?: number;
  seed: number;
  /** Negative control: the cubic damping −γx³ replaced by a linear −γx (ẋ = (w − γI)x + b). */
  linearDamping?: boolean;
}

export const BALL_RTOL = 1e-10;

/** Solutions from growing initial data: |x(t)| against B(t), and entry into the invariant ball. */
export function ballRuns(p: BallProblem, opts: BallOptions): { radii: BallRadii; runs: BallRun[] } {
  const { d, gamma } = p, radii = ballRadii(p);
  const mags = opts.magnitudes ?? [0.1, 1, 10, 100, 1e3, 1e4], dirs = opts.directions ?? 3, T = opts.T ?? 20, S = opts.samples ?? 80;
  const g = opts.linearDamping ? customActivation('linear damping', (z) => -gamma * z, () => -gamma, `-${gamma} z`) : cubicActivation(gamma);
  const field = ruseckasField(d, g), theta = new Float64Array(d * d + d);
  theta.set(p.w, 0); theta.set(p.b, d * d);
  const f = (t: number, x: Float64Array, out: Float64Array) => field.eval(t, x, theta, 0, out);
  const times = Array.from({ length: S }, (_, k) => 1e-8 * (T / 1e-8) ** (k / (S - 1)));
  const rng = makeRng(opts.seed), buf = new Float64Array(d), runs: BallRun[] = [];
  for (const r0 of mags) for (let k = 0; k < dirs; k++) {
    const x0 = new Float64Array(d).map(() => rng.normal());
    const s = r0 / norm2(x0);
    for (let i = 0; i < d; i++) x0[i] = x0[i]! * s;
    // maxSteps: the transient from |x0| = 1e4 starts with steps ~1e-9 that grow geometrically
    const sol = dopri5(f, 0, T, x0, { rtol: BALL_RTOL, atol: 1e-12, dense: true, maxSteps: 1e6 }).dense!;
    const r = times.map((t) => norm2(sol.eval(t, buf)));
    const bound = times.map((t) => radiusBound(radii, p, r0, t));
    const inside = r.findIndex((v) => v <= radii.invariant);
    runs.push({
      r0, t: times, r, bound,
      ratio: Math.max(...r.map((v, i) => v / bound[i]!)),
      entered: inside < 0 ? NaN : times[inside]!,
      afterEntry: inside < 0 ? NaN : Math.max(...r.slice(inside)) / radii.invariant,
    });
  }
  return { radii, runs };
}

// ---------------------------------------------------------------- the layer's invertibility

/**
 * The first z > 0 where the FF layer x ↦ x + Δt g(x) (d = 1, A = 0, β = 0) stops increasing,
 * located by bisection on the sign of its tangent (the scheme's stepTangent, i.e. 1 + Δt g′(z)).
 * `unscaled` (negative control) applies g without the factor Δt: the layer x + g(x).
 */
export function monotonicityThreshold(gamma: number, dt: number, unscaled = false): number {
  const g = cubicActivation(unscaled ? gamma / dt : gamma);
  const ff = makeFF(1, g), theta = new Float64Array(2), x = new Float64Array(1), dx = Float64Array.of(1), out = new Float64Array(1);
  const slope = (z: number) => { x[0] = z; ff.stepTangent(0, dt, x, theta, 0, dx, null, 0, out); return out[0]!; };
  let lo = 0, hi = 1;
  while (slope(hi) > 0) { lo = hi; hi *= 2; if (hi > 1e154) throw new UserError('monotonicity threshold: the layer never stops increasing'); }
  for (let k = 0; k < 2000 && hi - lo > 2e-16 * hi; k++) { const m = (lo + hi) / 2; if (slope(m) > 0) lo = m; else hi = m; }
  return (lo + hi) / 2;
}

/** Solve z − c z³ = y for z in (−z*, z*), z* = 1/√(3c) (one scalar): safeguarded Newton; NaN when y has no preimage there. */
function invertActivation(y: number, c: number, zStar: number): number {
  // σ maps (−z*, z*) onto (−σ(z*), σ(z*)) increasingly: outside that range there is no preimage in it
  const top = zStar - c * zStar ** 3;
  if (!(Math.abs(y) < top)) return NaN;
  let lo = -zStar, hi = zStar, z = Math.max(lo, Math.min(hi, y));
  for (let k = 0; k < 200; k++) {
    const fz = z - c * z * z * z - y;
    if (fz > 0) hi = z; else lo = z;
    let next = z - fz / (1 - 3 * c * z * z);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - z) <= 4e-16 * Math.max(1, Math.abs(z))) return next;
    z = next;
  }
  return z;
}

export interface FfRoundTrip {
  N: number;
  dt: number;
  /** The layer's threshold 1/√(3γc), c = Δt (c = 1 for the unscaled control). */
  zStar: number;
  /** max |z| over all pre-activations z = (I + ΔtA)x + Δtβ of the forward pass. */
  maxPre: number;
  /** max over layers of |x̂_l − x_l|_∞ / (ε·scale_l): the round-off units of each inverted layer. */
  ulps: number;
  /** max over layers of |x̂_l − x_l|_∞. */
  error: number;
}

/**
 * Run the FF net of the problem (A = w, β = b at every layer) N layers from x0 and invert every
 * layer from its output: z = σ_Δt⁻¹(x_{l+1}) on (−z*, z*), x̂_l = (I + ΔtA)⁻¹(z − Δtβ). Each
 * error is measured in units of ε·scale_l, scale_l = max(1, |x_l|_∞)·‖(I + ΔtA)⁻¹‖_∞ / min σ′_Δt(z)
 * (the conditions of the two inverses). With `unscaled` the net uses σ(z) = z − γz³ (Δt dropped
 * from the activation) and its own threshold 1/√(3γ).
 */
export function ffLayerRoundTrip(p: BallProblem, x0: ArrayLike<number>, N: number, T: number, unscaled = false): FfRoundTrip {
  const { d, gamma } = p, dt = T / N, c = gamma * (unscaled ? 1 : dt);
  const ff = makeFF(d, cubicActivation(unscaled ? gamma / dt : gamma)), theta = new Float64Array(d * d + d);
  theta.set(p.w, 0); theta.set(p.b, d * d);
  const zStar = 1 / Math.sqrt(3 * c);
  const W = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) W[i * d + j] = (i === j ? 1 : 0) + dt * p.w[i * d + j]!;
  const lu = luFactor(W, d);
  let wInv = 0; // ‖W⁻¹‖_∞ = max row sum of |W⁻¹|, from its columns
  const cols = Array.from({ length: d }, (_, j) => luSolve(lu, Float64Array.from({ length: d }, (_, i) => (i === j ? 1 : 0))));
  for (let i = 0; i < d; i++) wInv = Math.max(wInv, cols.reduce((a, col) => a + Math.abs(col[i]!), 0));
  let x = Float64Array.from(x0), maxPre = 0, ulps = 0, error = 0;
  const next = new Float64Array(d), z = new Float64Array(d), back = new Float64Array(d);
  for (let l = 0; l < N; l++) {
    let minSlope = Infinity;
    for (let i = 0; i < d; i++) {
      let zi = x[i]! + dt * p.b[i]!;
      for (let j = 0; j < d; j++) zi += dt * p.w[i * d + j]! * x[j]!;
      maxPre = Math.max(maxPre, Math.abs(zi));
      minSlope = Math.min(minSlope, 1 - 3 * c * zi * zi);
    }
    ff.step(0, dt, x, theta, 0, next);
    for (let i = 0; i < d; i++) z[i] = invertActivation(next[i]!, c, zStar) - dt * p.b[i]!;
    luSolve(lu, z, back);
    let e = 0, xm = 1;
    for (let i = 0; i < d; i++) { e = Math.max(e, Math.abs(back[i]! - x[i]!)); xm = Math.max(xm, Math.abs(x[i]!)); }
    if (!Number.isFinite(e)) e = Infinity;
    error = Math.max(error, e);
    ulps = Math.max(ulps, minSlope > 0 ? e / (EPS * xm * wInv / minSlope) : Infinity);
    x = Float64Array.from(next);
  }
  return { N, dt, zStar, maxPre, ulps, error };
}
