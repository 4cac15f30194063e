/**
 * Adaptive Dormand–Prince 5(4) (Hairer, Nørsett & Wanner, Solving ODEs I, §II.4–5; the
 * structure of Hairer's DOPRI5 code): FSAL (the 7th stage is the next step's 1st), local
 * extrapolation (the 5th-order solution is propagated), the error norm
 * ‖e‖ = sqrt(mean_i (e_i / (atol + rtol·max(|x_i|, |x⁺_i|)))²), Hairer's initial-step
 * heuristic, a PI (Lund-stabilised) step-size controller, and the standard 4th-order
 * continuous extension (dense output with five coefficient vectors per step).
 * t1 < t0 integrates backward.
 *
 * Breakpoints (`tstops`, as diffrax's `jump_ts` and DifferentialEquations' `tstops`): where f
 * has a kink or a jump in t (e.g. the nodes of piecewise-linear weights), the embedded error
 * estimate of a step that straddles it is no longer the step's error, and the global error no
 * longer scales with the tolerance. Steps then end exactly on every breakpoint, the step
 * ending there evaluates f one float before it and the next piece starts one float after it
 * (f's one-sided limits at a jump; the FSAL value is not carried across), so the integration
 * runs piece by piece over intervals on which f is smooth.
 */
import type { Field } from '../types.ts';
import { UserError } from '../../util/errors.ts';
import { EPS } from '../../util/approx.ts';

/** The continuous solution x(t) on [min(t0,t1), max(t0,t1)]. */
export interface DenseSolution {
  t0: number;
  t1: number;
  /** x(t) by the 4th-order continuous extension of the step containing t; writes into out. */
  eval(t: number, out: Float64Array): Float64Array;
}

export interface Dopri5Result {
  x: Float64Array<ArrayBuffer>;
  dense?: DenseSolution;
  /** accepted steps */
  steps: number;
  rejected: number;
  evaluations: number;
}

export interface Dopri5Options {
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  dense?: boolean;
  /** initial step magnitude (default: Hairer's heuristic) */
  h0?: number;
  /** maximal step magnitude (default |t1 − t0|) */
  hmax?: number;
  /** Known breakpoints of f in t (kinks or jumps): no step straddles one. Points outside (t0, t1) are ignored. */
  tstops?: readonly number[];
}

// Butcher tableau of Dormand & Prince (1980).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// e = b(5th) − b̂(4th): the embedded error estimate.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense-output coefficients (Shampine's 4th-order interpolant as in Hairer's CONTD5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072,
  D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

// Controller constants from DOPRI5: safety 0.9, step ratio hnew/h in [FAC_MIN, FAC_MAX] = [0.2, 10]
// (so fac = h/hnew is clamped to [1/10, 5]), Lund β = 0.04.
const SAFE = 0.9, FAC_MIN = 0.2, FAC_MAX = 10, BETA = 0.04, EXPO1 = 0.2 - BETA * 0.75;

/** Growable store of the per-step dense coefficients (5·d numbers per step). */
class DenseStore implements DenseSolution {
  tStart: Float64Array = new Float64Array(64);
  hStep: Float64Array = new Float64Array(64);
  coef: Float64Array;
  n = 0;
  constructor(readonly d: number, readonly t0: number, public t1: number) {
    this.coef = new Float64Array(64 * 5 * d);
  }
  /** Reserve the next step's slot; returns the offset of its 5·d coefficients in `coef`. */
  push(t: number, h: number): number {
    if (this.n === this.tStart.length) {
      const grow = (a: Float64Array, m: number) => { const b = new Float64Array(a.length * 2); b.set(a.subarray(0, m)); return b; };
      this.tStart = grow(this.tStart, this.n);
      this.hStep = grow(this.hStep, this.n);
      this.coef = grow(this.coef, this.n * 5 * this.d);
    }
    this.tStart[this.n] = t;
    this.hStep[this.n] = h;
    return this.n * 5 * this.d;
  }
  commit(): void { this.n++; }
  eval(t: number, out: Float64Array): Float64Array {
    const { n, d, tStart, hStep, coef } = this;
    const lo = Math.min(this.t0, this.t1), hi = Math.max(this.t0, this.t1);
    const slack = 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi));
    if (!(t >= lo - slack && t <= hi + slack) || n === 0) {
      throw new RangeError(`dense output: t = ${t} outside [${lo}, ${hi}]`);
    }
    // Binary search for the step whose interval contains t (steps are monotone in the
    // direction of integration).
    const fwd = this.t1 >= this.t0;
    let a = 0, b = n - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (fwd ? tStart[m]! <= t : tStart[m]! >= t) a = m; else b = m - 1;
    }
    const theta = (t - tStart[a]!) / hStep[a]!, theta1 = 1 - theta;
    const o = a * 5 * d;
    for (let i = 0; i < d; i++) {
      out[i] = coef[o + i]! + theta * (coef[o + d + i]! + theta1 * (coef[o + 2 * d + i]!
        + theta * (coef[o + 3 * d + i]! + theta1 * coef[o + 4 * d + i]!)));
    }
    return out;
  }
}

/**
 * Integrate dx/dt = f(t, x) from t0 to t1 (t1 < t0 allowed) with Dormand–Prince 5(4).
 *
 * Arguments: rtol, atol (default 1e-6, 1e-9), maxSteps (default 1e6), dense (store the
 * continuous extension), h0 (initial step), hmax.
 * Returns the state at t1 and counts; `dense` when requested.
 * Throws UserError when the state or f becomes non-finite (naming t), on step-size underflow,
 * or when maxSteps is exceeded.
 */
export function dopri5(f: Field, t0: number, t1: number, x0: Float64Array, opts: Dopri5Options = {}): Dopri5Result {
  const rtol = opts.rtol ?? 1e-6, atol = opts.atol ?? 1e-9, maxSteps = opts.maxSteps ?? 1_000_000;
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw new UserError(`dopri5: non-finite time interval [${t0}, ${t1}]`);
  if (!(rtol > 0) || !(atol >= 0)) throw new UserError(`dopri5: tolerances must be positive (rtol ${rtol}, atol ${atol})`);
  const d = x0.length;
  for (let i = 0; i < d; i++) if (!Number.isFinite(x0[i]!)) throw new UserError(`dopri5: non-finite initial state at t = ${t0} (component ${i})`);
  const x = Float64Array.from(x0);
  const dense = opts.dense ? new DenseStore(d, t0, t1) : undefined;
  const result: Dopri5Result = { x, steps: 0, rejected: 0, evaluations: 0 };
  if (dense) result.dense = dense;
  if (t1 === t0) {
    if (dense) { const o = dense.push(t0, 1); dense.coef.fill(0, o, o + 5 * d); dense.coef.set(x, o); dense.commit(); }
    return result;
  }
  const dir = t1 > t0 ? 1 : -1;
  const hmax = Math.abs(opts.hmax ?? t1 - t0);
  // The ends of the pieces on which f is smooth, in the direction of integration; t1 last.
  const ends = pieceEnds(opts.tstops ?? [], t0, t1, dir);
  let piece = 0;

  const k1 = new Float64Array(d), k2 = new Float64Array(d), k3 = new Float64Array(d), k4 = new Float64Array(d),
    k5 = new Float64Array(d), k6 = new Float64Array(d), k7 = new Float64Array(d);
  const y = new Float64Array(d), y1 = new Float64Array(d);
  let nfev = 0;
  const call = (t: number, xi: Float64Array, out: Float64Array) => { f(t, xi, out); nfev++; };

  let t = t0;
  call(t, x, k1);
  checkFinite(k1, t, 'the vector field');
  let h = opts.h0 !== undefined ? Math.abs(opts.h0) : initialStep(call, t, x, k1, dir, hmax, rtol, atol, y, k2);
  h = dir * Math.min(h, hmax);
  let facold = 1e-4, lastRejected = false, nonFinite = 0;

  for (;;) {
    if (result.steps + result.rejected >= maxSteps) throw new UserError(`dopri5: more than ${maxSteps} steps before t = ${t1} (stuck at t = ${t}; stiff or blowing up?)`);
    // Hairer's test: the step no longer changes t in floating point (scale-free, unlike an absolute floor).
    if (0.1 * Math.abs(h) <= EPS * Math.abs(t) || Math.abs(h) < Number.MIN_VALUE * 1e10) {
      throw new UserError(nonFinite
        ? `dopri5: non-finite values in the vector field or state near t = ${t}`
        : `dopri5: step size underflow at t = ${t}`);
    }
    const tEnd = ends[piece]!;
    let last = false;
    const hFree = h; // the controller's step, before it is cut to land on the piece's end
    if ((t + 1.01 * h - tEnd) * dir >= 0) { h = tEnd - t; last = true; }

    for (let i = 0; i < d; i++) y1[i] = x[i]! + h * A21 * k1[i]!;
    call(t + C2 * h, y1, k2);
    for (let i = 0; i < d; i++) y1[i] = x[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
    call(t + C3 * h, y1, k3);
    for (let i = 0; i < d; i++) y1[i] = x[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
    call(t + C4 * h, y1, k4);
    for (let i = 0; i < d; i++) y1[i] = x[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    call(t + C5 * h, y1, k5);
    for (let i = 0; i < d; i++) y[i] = x[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    const tNew = last ? tEnd : t + h;
    // at a breakpoint f may jump: the step ending there sees f's limit from its own side
    const tLast = last && piece < ends.length - 1 ? nextFloat(tEnd, -dir) : tNew;
    call(tLast, y, k6);
    for (let i = 0; i < d; i++) y1[i] = x[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
    call(tLast, y1, k7);

    let err = 0;
    for (let i = 0; i < d; i++) {
      const sk = atol + rtol * Math.max(Math.abs(x[i]!), Math.abs(y1[i]!));
      const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
      err += (e / sk) * (e / sk);
      if (!Number.isFinite(y1[i]!)) err = NaN;
    }
    err = Math.sqrt(err / d);

    if (!Number.isFinite(err)) {
      // A too-large step can overflow; shrink hard. If it persists, the field itself is
      // non-finite here and the underflow test above reports where.
      nonFinite++;
      result.rejected++;
      h *= 0.1;
      continue;
    }
    nonFinite = 0;
    const fac11 = Math.pow(err, EXPO1);
    if (err <= 1) {
      // Accepted: Lund-stabilised PI control.
      let fac = fac11 / Math.pow(facold, BETA);
      fac = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, fac / SAFE));
      let hnew = h / fac;
      facold = Math.max(err, 1e-4);
      if (dense) {
        const o = dense.push(t, h), c = dense.coef;
        for (let i = 0; i < d; i++) {
          const ydiff = y1[i]! - x[i]!, bspl = h * k1[i]! - ydiff;
          c[o + i] = x[i]!;
          c[o + d + i] = ydiff;
          c[o + 2 * d + i] = bspl;
          c[o + 3 * d + i] = ydiff - h * k7[i]! - bspl;
          c[o + 4 * d + i] = h * (D1 * k1[i]! + D3 * k3[i]! + D4 * k4[i]! + D5 * k5[i]! + D6 * k6[i]! + D7 * k7[i]!);
        }
        dense.commit();
      }
      x.set(y1);
      k1.set(k7); // FSAL
      t = tNew;
      result.steps++;
      if (last) {
        if (piece === ends.length - 1) break;
        // a breakpoint: f from the other side may differ from the FSAL stage
        piece++;
        call(nextFloat(t, dir), x, k1);
        checkFinite(k1, t, 'the vector field');
        hnew = dir * Math.max(Math.abs(hnew), Math.abs(hFree));
      }
      if (Math.abs(hnew) > hmax) hnew = dir * hmax;
      if (lastRejected) hnew = dir * Math.min(Math.abs(hnew), Math.abs(h));
      lastRejected = false;
      h = hnew;
    } else {
      h = h / Math.min(1 / FAC_MIN, fac11 / SAFE);
      lastRejected = true;
      result.rejected++;
    }
  }
  result.evaluations = nfev;
  return result;
}

/** The float next to t in direction dir (±1): where f is evaluated just beside a breakpoint. */
function nextFloat(t: number, dir: number): number {
  if (t === 0) return dir * Number.MIN_VALUE;
  const v = new Float64Array([t]);
  const bits = new BigInt64Array(v.buffer);
  bits[0] = bits[0]! + ((t > 0) === (dir > 0) ? 1n : -1n);
  return v[0]!;
}

/** The breakpoints strictly inside (t0, t1) in the direction of integration, without repeats, then t1. */
function pieceEnds(tstops: readonly number[], t0: number, t1: number, dir: number): number[] {
  const slack = 4 * EPS * Math.max(Math.abs(t0), Math.abs(t1));
  const inside = tstops.filter((s) => {
    if (!Number.isFinite(s)) throw new UserError(`dopri5: breakpoint ${s} is not a finite time`);
    return (s - t0) * dir > slack && (t1 - s) * dir > slack;
  }).sort((a, b) => (a - b) * dir);
  return [...inside.filter((s, i) => i === 0 || s !== inside[i - 1]), t1];
}

/** Hairer's HINIT: a step with ‖h·f‖ ≈ 0.01‖x‖, refined by an estimate of the second derivative. */
function initialStep(
  call: (t: number, x: Float64Array, out: Float64Array) => void,
  t: number, x: Float64Array, f0: Float64Array, dir: number, hmax: number, rtol: number, atol: number,
  y1: Float64Array, f1: Float64Array,
): number {
  const d = x.length;
  let dnf = 0, dny = 0;
  for (let i = 0; i < d; i++) {
    const sk = atol + rtol * Math.abs(x[i]!);
    dnf += (f0[i]! / sk) ** 2;
    dny += (x[i]! / sk) ** 2;
  }
  let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = Math.min(h, hmax);
  for (let i = 0; i < d; i++) y1[i] = x[i]! + dir * h * f0[i]!;
  call(t + dir * h, y1, f1);
  let der2 = 0;
  for (let i = 0; i < d; i++) {
    const sk = atol + rtol * Math.abs(x[i]!);
    der2 += ((f1[i]! - f0[i]!) / sk) ** 2;
  }
  der2 = Math.sqrt(der2) / h;
  const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
  const h1 = der12 <= 1e-15 ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1 / 5);
  const r = Math.min(100 * h, h1, hmax);
  return Number.isFinite(r) && r > 0 ? r : 1e-6;
}

function checkFinite(v: Float64Array, t: number, what: string): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new UserError(`dopri5: ${what} is non-finite at t = ${t} (component ${i}: ${v[i]})`);
  }
}
