/**
 * Numeric verification of a derivation, seeded and run every time a result is produced:
 * - series ladder: at random points, |Φ_ε(x) − Σ_{m≤k} ε^m F_m(x)| over ε = ε0·2^{−j} must fall
 *   like ε^{k+1};
 * - flow ladder: the time-ε flow of the modified field f_ε = Σ ε^{j−1} f_j (RK4 with n substeps,
 *   error O(ε⁵/n⁴), far below ε^{k+1}) must match Φ_ε to O(ε^{k+1}).
 * Both fit a log–log slope on the points above the round-off floor.
 */
import { makeRng } from '../util/prng.ts';
import { compileField, compileScalar } from './compile.ts';
import { logLogSlope } from './slope.ts';
import { compilePolys } from './poly-compile.ts';
import type * as P from './poly.ts';

export interface Ladder {
  eps: number[];
  err: number[];
  slope: number;
  expected: number;
  /** Points used in the fit (above the round-off floor). */
  used: number[];
  ok: boolean;
}

export interface NumericProblem {
  d: number;
  stateVars: string[];
  /** Map components Φ_ε (text in stateVars, eps, t, params; generic g instantiated). */
  map: string[];
  /** F_1…F_k components (may contain jet symbols). */
  F: P.Poly[][];
  /** f_1…f_k components. */
  f: P.Poly[][];
  params: string[];
  jets: string[];
  /** Jet symbol → evaluator of its value from the state (generic g instantiated). */
  jetValue?: (name: string) => (x: Float64Array) => number;
  timeDependent: boolean;
}

/** Slope tolerance: pre-asymptotic curvature at ε0 ≤ 0.1 moves a fitted slope by ≲ 0.3. */
export const SLOPE_TOL = 0.5;

export interface NumericVerification {
  series: Ladder;
  flow: Ladder;
  samples: number;
  counterexample?: { point: Record<string, number>; eps: number; map: number[]; approx: number[] };
}

/** A ladder's verdict: the fitted slope ≥ expected − SLOPE_TOL, or everything at the floor. */
function fit(eps: number[], err: number[], expected: number, scale: number): Ladder {
  const floor = 256 * 2.22e-16 * Math.max(1, scale); // a few hundred ulps of the values compared
  const used = err.map((_, i) => i).filter((i) => Number.isFinite(err[i]!) && err[i]! > floor);
  const slope = used.length >= 2 ? logLogSlope(used.map((i) => eps[i]!), used.map((i) => err[i]!)) : Infinity;
  const allFinite = err.every(Number.isFinite);
  const ok = allFinite && (used.length < 2 ? used.length === 0 || err.every((e) => e <= floor * 1e3) : slope >= expected - SLOPE_TOL);
  return { eps, err, slope, expected, used, ok };
}

/**
 * Run both ladders. Arguments: the problem, truncation order k, seed, number of random points.
 */
export function verifyNumerically(pr: NumericProblem, k: number, seed: number, samples = 6, eps0 = 0.1, rungs = 6): NumericVerification {
  const rng = makeRng(seed);
  const xs = pr.stateVars;
  const vars = [...xs, 't', 'eps', ...pr.params, ...pr.jets];
  const nv = vars.length, d = pr.d;
  const mapF = compileField(pr.map, vars);
  const Fk = pr.F.slice(0, k).map((c) => compilePolys(c, vars));
  const fk = pr.f.slice(0, k).map((c) => compilePolys(c, vars));
  const jetEval = pr.jets.map((j) => pr.jetValue!(j));
  const iT = d, iE = d + 1, iJ = d + 2 + pr.params.length;
  const args = new Float64Array(nv);
  const setState = (x: Float64Array, t: number): void => {
    args.set(x, 0); args[iT] = t;
    for (let j = 0; j < jetEval.length; j++) args[iJ + j] = jetEval[j]!(x);
  };

  // Random points; a point where the map is not finite (log, sqrt domains) is redrawn, and so is
  // one near a singularity (csc, coth at 0), where some |F_m| > COEFF_BOUND: there the ε-series
  // converges only for tiny ε and the ladder at ε0 would measure pre-asymptotic noise.
  const COEFF_BOUND = 10;
  const points: { x: Float64Array; t: number; p: Float64Array }[] = [];
  const others: { x: Float64Array; t: number; p: Float64Array; peak: number; growth: number }[] = [];
  const probe = new Float64Array(d);
  let rate = 1;
  for (let tries = 0; points.length < samples && tries < samples * 20; tries++) {
    const x = new Float64Array(d).map(() => rng.uniform(-0.8, 0.8));
    const t = pr.timeDependent ? rng.uniform(0, 1) : 0;
    const p = new Float64Array(pr.params.length).map(() => rng.uniform(-1, 1));
    args.set(p, d + 2); setState(x, t); args[iE] = eps0;
    const out = new Float64Array(d);
    mapF(args, out);
    if (!out.every(Number.isFinite)) continue;
    let tame = true, growth = 1, peak = 0;
    Fk.forEach((F, m) => {
      F(args, probe);
      if (!probe.every((v) => Number.isFinite(v) && Math.abs(v) <= COEFF_BOUND)) tame = false;
      for (const v of probe) { growth = Math.max(growth, Math.abs(v) ** (1 / (m + 1))); peak = Math.max(peak, Math.abs(v)); }
    });
    // the flow ladder resolves the modified field's series Σ ε^{j−1} f_j, whose terms grow with
    // the derivatives of F (f_2 = −½ F_1′F_1 …): x + ε sin(50x) has F_j = 0 for j ≥ 2 but
    // f_j ~ 50^{j−1}, so its radius is set by the f_j, not by the F_j
    fk.forEach((f, m) => {
      f(args, probe);
      for (const v of probe) if (Number.isFinite(v)) growth = Math.max(growth, Math.abs(v) ** (1 / (m + 1)));
    });
    if (tame) { points.push({ x, t, p }); rate = Math.max(rate, growth); }
    else if (Number.isFinite(peak)) others.push({ x, t, p, peak, growth });
  }
  // Too few points under the absolute bound (g = 1000 z: |F_1| > 10 almost everywhere, so the
  // ladders had no point and the verdict was 'unknown'): the bound becomes relative to the
  // typical size, COEFF_BOUND × the median peak of the points drawn, which still excludes a
  // point near a singularity, where the coefficients are far above the typical size.
  if (points.length < samples && others.length) {
    const median = [...others].sort((u, v) => u.peak - v.peak)[others.length >> 1]!.peak;
    for (const o of others) {
      if (points.length >= samples) break;
      if (o.peak <= COEFF_BOUND * median) { points.push(o); rate = Math.max(rate, o.growth); }
    }
  }
  // |F_m| ~ rate^m estimates the radius of convergence 1/rate: start the ladder well inside it.
  // Beyond k = 4 the ladder starts at 2ε0 (ε^{k+1} is tiny at ε = 0.1: 1e-9 at k = 8, with a
  // small constant, leaving one or two rungs above the floor); 0.2/rate is still well inside.
  eps0 = Math.min(k <= 4 ? eps0 : 2 * eps0, (k <= 4 ? 0.1 : 0.2) / rate);

  const tmp = new Float64Array(d), acc = new Float64Array(d), mapOut = new Float64Array(d);
  const field = (x: Float64Array, t: number, eps: number, out: Float64Array): void => {
    setState(x, t); args[iE] = eps;
    out.fill(0);
    let w = 1;
    for (const f of fk) {
      f(args, tmp);
      for (let i = 0; i < d; i++) out[i]! += w * tmp[i]!;
      w *= eps;
    }
  };
  const k1 = new Float64Array(d), k2 = new Float64Array(d), k3 = new Float64Array(d), k4 = new Float64Array(d), y = new Float64Array(d), ys = new Float64Array(d);
  const rk4 = (x0: Float64Array, t0: number, eps: number, n: number): void => {
    y.set(x0);
    const h = eps / n;
    for (let s = 0; s < n; s++) {
      const t = t0 + s * h;
      field(y, t, eps, k1);
      for (let i = 0; i < d; i++) ys[i] = y[i]! + 0.5 * h * k1[i]!;
      field(ys, t + 0.5 * h, eps, k2);
      for (let i = 0; i < d; i++) ys[i] = y[i]! + 0.5 * h * k2[i]!;
      field(ys, t + 0.5 * h, eps, k3);
      for (let i = 0; i < d; i++) ys[i] = y[i]! + h * k3[i]!;
      field(ys, t + h, eps, k4);
      for (let i = 0; i < d; i++) y[i]! += (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    }
  };
  // RK4 with n = 32 substeps errs by ~ε⁵/n⁴ ≈ 1e-11 at ε = 0.1, far below ε^{k+1} for k ≤ 4;
  // beyond, one Richardson step (n = 32 and 64: y64 + (y64 − y32)/15, error ~ε⁶/n⁵) keeps it
  // below the ε^{k+1} it must resolve on every rung above the round-off floor.
  const y32 = new Float64Array(d);
  const flow = (x0: Float64Array, t0: number, eps: number): Float64Array => {
    rk4(x0, t0, eps, 32);
    if (k <= 4) return y;
    y32.set(y);
    rk4(x0, t0, eps, 64);
    for (let i = 0; i < d; i++) y[i]! += (y[i]! - y32[i]!) / 15;
    return y;
  };

  // A point from which the flow of f_ε leaves the domain within time ε0 (x = 0.005 under
  // x + ε log(x)) is no evidence either way: dropped, like a point where the map is not finite.
  for (let i = points.length - 1; i >= 0; i--) {
    const pt = points[i]!;
    args.set(pt.p, d + 2);
    if (!flow(pt.x, pt.t, eps0).every(Number.isFinite)) points.splice(i, 1);
  }

  const epsList: number[] = [], serErr: number[] = [], flowErr: number[] = [];
  let scale = 0;
  let worst: NumericVerification['counterexample'];
  let worstRatio = -1;
  // Rungs ε0·q^r: q = 1/2 through k = 4; beyond, q = 2^{−4/(k+1)}, so the error still falls by
  // 2⁴ per rung and several rungs stay above the round-off floor (at k = 8, ε^9 falls 10⁹ per halving).
  const q = k <= 4 ? 0.5 : 2 ** (-4 / (k + 1));
  for (let r = 0; r < rungs; r++) {
    const eps = eps0 * q ** r;
    let es = 0, ef = 0;
    for (const pt of points) {
      args.set(pt.p, d + 2);
      setState(pt.x, pt.t); args[iE] = eps;
      mapF(args, mapOut);
      // series Σ ε^m F_m (F_0 = x)
      acc.set(pt.x);
      let w = eps;
      for (const F of Fk) {
        F(args, tmp);
        for (let i = 0; i < d; i++) acc[i]! += w * tmp[i]!;
        w *= eps;
      }
      const fl = flow(pt.x, pt.t, eps);
      for (let i = 0; i < d; i++) {
        scale = Math.max(scale, Math.abs(mapOut[i]!));
        es = Math.max(es, Math.abs(acc[i]! - mapOut[i]!));
        const e = Math.abs(fl[i]! - mapOut[i]!);
        ef = Math.max(ef, e);
        if (r === rungs - 1 && e / eps ** (k + 1) > worstRatio) {
          worstRatio = e / eps ** (k + 1);
          const point: Record<string, number> = {};
          xs.forEach((v, j) => { point[v] = pt.x[j]!; });
          if (pr.timeDependent) point['t'] = pt.t;
          pr.params.forEach((v, j) => { point[v] = pt.p[j]!; });
          worst = { point, eps, map: [...mapOut], approx: [...fl] };
        }
      }
      if (!Number.isFinite(es)) es = Infinity;
    }
    epsList.push(eps); serErr.push(es); flowErr.push(ef);
  }
  const series = fit(epsList, serErr, k + 1, scale);
  const flowL = fit(epsList, flowErr, k + 1, scale);
  const out: NumericVerification = { series, flow: flowL, samples: points.length };
  if ((!series.ok || !flowL.ok) && worst) out.counterexample = worst;
  return out;
}

/** Values of a generic g's jets for the numeric check: g_test(z) and its derivatives. */
export function jetEvaluators(derivs: string[]): (name: string) => (x: Float64Array) => number {
  const compiled = derivs.map((s) => compileScalar(s, ['z']));
  const buf = new Float64Array(1);
  return (name: string) => {
    const m = /^g(\d+)(?:_(\d+))?$/.exec(name)!;
    const k = Number(m[1]), i = m[2] ? Number(m[2]) - 1 : 0;
    const f = compiled[k]!;
    return (x: Float64Array) => { buf[0] = x[i]!; return f(buf); };
  };
}
