/**
 * Order certification: is err(h) ≈ C·hᵖ over a refinement ladder, with an interval that
 * covers the asymptotic order?
 *
 * A smooth ladder is not a power law: err = C hᵖ (1 + D h^q + …), so the log–log slope over
 * any finite range is biased by the next term, and a least-squares interval alone (which
 * treats the misfit as noise) can exclude the true p while its points lie on a smooth curve
 * (RK4: [4.07, 4.24]). The next term is therefore modelled, not allowed for:
 *
 *   two-term model   log err = a + s·log h + b·(h/h_max)^q   (n ≥ 5 used points)
 *
 * i.e. err = C hˢ + D h^{s+q} to first order in D h^q, a linear least-squares fit. q is the
 * order of the next error term relative to the leading one: 1 by default (a one-step method of
 * order p has the global expansion C hᵖ + D h^{p+1} + …); `nextOrder` sets it when the
 * scheme's expansion skips powers (2 for symmetric schemes). The reported interval is
 *
 *   s ± (t_{(1+level)/2, n−3}·SE(s) + |s − s₁|),
 *
 * the Student-t interval of s plus a Richardson-style estimate of the bias the model still
 * carries: |s − s₁|, how far modelling the next term moved the one-term slope s₁ (the term
 * after it moves it less on an asymptotic ladder). With 3 or 4 used points the two-term fit has
 * no residual degree of freedom to spare: the one-term slope s₁ is reported with the interval
 * s₁ ± (t_{n−2}·SE(s₁) + |s₁ − s|), the same bias estimate from the (exactly or barely
 * determined) two-term fit. The residual variance is at least (4ε(1 + max|log err|))², the
 * round-off of log err, so an exact power law gets a tiny, not a zero-width, interval.
 * The certificate says which model was used (`model`, `nextOrder`, `bias`).
 *
 * Points that carry no information about the asymptotic order are dropped first:
 *
 *  1. round-off floor (fine end): err ≤ floor (default 1e3·ε·scale), or, while the error is
 *     already in the round-off band err ≤ √ε·scale, the local slope to the next coarser point
 *     has collapsed below p − τ (round-off only ever lowers a slope; accumulated round-off
 *     grows like ε·N, which stays below √ε·scale for every depth this project uses). The band
 *     rule applies only when the finest pair has stagnated (local slope < min(1, p − τ)): a
 *     fine end that still falls like a power law is a lower order, not round-off, and stays
 *     in the fit (otherwise a claimed p could hide an order reduction that sets in below √ε);
 *  2. pre-asymptotic (coarse end), keeping ≥ 3 points: the coarsest point is dropped while its
 *     local slope to the next point differs from the fine-end reference slope (median of the
 *     three finest local slopes) by more than τ; then, keeping ≥ 5, while its local slope lies
 *     on the other side of the reference than the next local slope, by more than the noise
 *     (the 95 % band of a local slope from the residuals of the two-term fit of the 5 finest
 *     points): one next term D h^q moves every local slope to the same side of the limit, so
 *     such a point is outside the model's range (e.g. a max-norm error whose largest component
 *     has not settled yet). The reference comes from the data, not from p, so neither step
 *     can manufacture agreement with p.
 *
 * τ = 0.1·max(1, p). Verdicts: "order" when at least 3 points remain, the interval's
 * half-width is ≤ maxHalfWidth (default 0.25) and it contains p; "at least" when the whole
 * interval lies above p + margin (default 0.25·max(1, p)): superconvergence; otherwise
 * "inconclusive". Measured on seeded random ladders (test/numeric/certify.test.ts: 5–14
 * points, true order p or p ± δ with δ ∈ [0.25, 0.75]·max(1, p), next terms up to 0.9·C hᵖ at
 * the coarsest point, up to 5 % noise): a wrong order certified 0 times in 1498, a true one
 * missed in 5 % (short noisy ladders whose interval is wider than 0.25); smooth ladders with
 * two further terms: the interval contains p in 400 of 400 (the one-term CI in 119).
 */
import { EPS } from '../util/approx.ts';
import { UserError } from '../util/errors.ts';
import { linearFit, studentTQuantile, type LinearFit } from './regression.ts';

export { studentTCdf, studentTQuantile } from './regression.ts';

export type DropReason = 'round-off floor' | 'pre-asymptotic' | 'non-finite or zero';

export interface OrderCertificate {
  verdict: 'order' | 'at least' | 'inconclusive';
  /** Declared order p. */
  expected: number;
  /** The order estimate of the model used: the two-term s, or the one-term s₁ with ≤ 4 points (NaN with < 2 points). */
  slope: number;
  /** Interval of the order: `level` Student-t interval of `slope` widened by the next-term bias estimate `bias`; ±∞ with < 3 points. */
  ci: [number, number];
  /** The error model fitted: 'two-term' C hˢ + D h^{s+q} (n ≥ 5 used points), else 'one-term' C hˢ with the bias estimated from the two-term fit. */
  model: 'one-term' | 'two-term';
  /** q: the next error term's order relative to the leading one. */
  nextOrder: number;
  /** Richardson-style bias estimate |s − s₁| included in the interval (NaN with < 3 points). */
  bias: number;
  /** Indices of ladder points in the fit, finest last. */
  used: number[];
  dropped: { index: number; reason: DropReason }[];
  /** The stated drop/accept rule, one sentence. */
  rule: string;
  /** The ladder as given (h = step, e.g. T/N; err ≈ C h^p). */
  h: number[];
  err: number[];
  /** Confidence level of the statistical part of `ci` (default 0.95). */
  level: number;
  /** (ci[1] − ci[0]) / 2: statistical half-width plus `bias`. */
  halfWidth: number;
  /** Why this verdict, one line. */
  reason: string;
}

export interface CertifyOptions {
  /** Absolute round-off floor: errors at or below it are dropped (default 1e3·ε·scale). */
  floor?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Largest interval half-width accepted for an "order" verdict (default 0.25). */
  maxHalfWidth?: number;
  /** Magnitude of the solution the errors are measured against (default 1). */
  scale?: number;
  /** Slope tolerance τ of the drop rules (default 0.1·max(1, p)). */
  slopeTol?: number;
  /** "at least" needs the interval > p + margin (default 0.25·max(1, p)). */
  margin?: number;
  /** q, the order of the next error term relative to the leading one (default 1; 2 for symmetric schemes). */
  nextOrder?: number;
}

/** The acceptance rule in one line, for a claim's tolerance reason. */
export const CERTIFY_REASON = 'certifyOrder: "order p" needs ≥ 3 points after the stated round-off/pre-asymptotic drop rule and p inside the interval of the slope (95% Student-t half-width of the two-term fit C·h^s + D·h^(s+q), q = 1, plus the next-term bias |s − s₁|), of half-width ≤ 0.25';

export const MIN_POINTS = 3;
/** Used points from which the two-term model is the reported fit (it then has ≥ 2 residual degrees of freedom). */
export const TWO_TERM_POINTS = 5;

/** Certify err ≈ C h^p over a ladder (see the module comment for the rule). Throws UserError on malformed ladders. */
export function certifyOrder(
  h: ArrayLike<number>, err: ArrayLike<number>, expected: number, opts: CertifyOptions = {},
): OrderCertificate {
  if (h.length !== err.length) throw new UserError(`certifyOrder: ${h.length} steps but ${err.length} errors`);
  if (!Number.isFinite(expected)) throw new UserError(`certifyOrder: expected order must be finite, got ${expected}`);
  const hs = Array.from(h), es = Array.from(err);
  for (let i = 0; i < hs.length; i++) {
    if (!(hs[i]! > 0) || !Number.isFinite(hs[i]!)) throw new UserError(`certifyOrder: step h[${i}] = ${hs[i]} is not a positive number`);
  }
  if (new Set(hs).size !== hs.length) throw new UserError('certifyOrder: steps must be distinct');
  // NaN, ±∞ and 0 are dropped with a reason below; a negative or non-numeric error is a caller's
  // mistake (a signed x_N − x(T), text) that was dropped silently, certifying on the rest
  es.forEach((e, i) => {
    if (typeof e !== 'number') throw new UserError(`certifyOrder: err[${i}] = ${String(e)} is not a number`);
    if (e < 0) throw new UserError(`certifyOrder: err[${i}] = ${e} is negative: an error is a norm (give |x_N − x(T)|)`);
  });
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new UserError(`certifyOrder: level must lie in (0, 1), got ${level}`);
  const q = opts.nextOrder ?? 1;
  if (!(q > 0) || !Number.isFinite(q)) throw new UserError(`certifyOrder: nextOrder must be a positive number, got ${q}`);
  const scale = opts.scale ?? 1;
  const floor = opts.floor ?? 1e3 * EPS * scale;
  const band = Math.max(floor, Math.sqrt(EPS) * scale);
  const unit = Math.max(1, Math.abs(expected));
  const tau = opts.slopeTol ?? 0.1 * unit;
  const margin = opts.margin ?? 0.25 * unit;
  const maxHalfWidth = opts.maxHalfWidth ?? 0.25;
  // Every comparison below is false for NaN: maxHalfWidth NaN certified any interval, a
  // negative margin called an interval containing p "superconvergent".
  for (const [name, v, zero] of [['scale', scale, true], ['floor', floor, true], ['slopeTol', tau, false], ['margin', margin, true], ['maxHalfWidth', maxHalfWidth, false]] as const) {
    if (!(Number.isFinite(v) && (zero ? v >= 0 : v > 0))) throw new UserError(`certifyOrder: ${name} must be a ${zero ? 'non-negative' : 'positive'} number, got ${v}`);
  }

  const dropped: OrderCertificate['dropped'] = [];
  // Coarse first (largest h first).
  const order = hs.map((_, i) => i).sort((a, b) => hs[b]! - hs[a]!);
  let keep: number[] = [];
  for (const i of order) {
    const e = es[i]!;
    if (!Number.isFinite(e) || e <= 0) dropped.push({ index: i, reason: 'non-finite or zero' });
    else if (e <= floor) dropped.push({ index: i, reason: 'round-off floor' });
    else keep.push(i);
  }
  const local = (a: number, b: number): number => Math.log(es[a]! / es[b]!) / Math.log(hs[a]! / hs[b]!);

  // 1. Round-off stagnation at the fine end. Only when the finest pair has stopped converging
  // (local slope < min(1, p − τ)): a run that still falls like a power law is a lower order,
  // not round-off, and must stay in the fit where it refutes p.
  const stagnated = keep.length >= 2 && es[keep[keep.length - 1]!]! <= band
    && local(keep[keep.length - 2]!, keep[keep.length - 1]!) < Math.min(1, expected - tau);
  while (stagnated && keep.length >= 2) {
    const j = keep.length - 1;
    const i = keep[j]!;
    if (es[i]! <= band && local(keep[j - 1]!, i) < expected - tau) {
      dropped.push({ index: i, reason: 'round-off floor' });
      keep.pop();
    } else break;
  }

  // 2. Pre-asymptotic points at the coarse end, against the data's own fine-end slope.
  if (keep.length > MIN_POINTS) {
    const fine: number[] = [];
    for (let j = keep.length - 1; j >= 1 && fine.length < 3; j--) fine.push(local(keep[j - 1]!, keep[j]!));
    const ref = median(fine);
    const drop = () => { dropped.push({ index: keep[0]!, reason: 'pre-asymptotic' }); keep = keep.slice(1); };
    while (keep.length > MIN_POINTS && Math.abs(local(keep[0]!, keep[1]!) - ref) > tau) drop();
    // One next term moves every local slope to the same side of the limit: a coarsest local
    // slope on the other side of the reference than the next one, by more than the noise
    // (95 % band of a local slope, from the two-term fit of the finest points), is outside
    // the model's range.
    while (keep.length > TWO_TERM_POINTS) {
      const d0 = local(keep[0]!, keep[1]!) - ref, d1 = local(keep[1]!, keep[2]!) - ref;
      if (!(d0 * d1 < 0)) break;
      const fine = keep.slice(-TWO_TERM_POINTS);
      const noise = twoTermFit(fine.map((i) => hs[i]!), fine.map((i) => es[i]!), q).sigma;
      const band = studentTQuantile((1 + level) / 2, TWO_TERM_POINTS - 3) * Math.SQRT2 * noise / Math.abs(Math.log(hs[keep[0]!]! / hs[keep[1]!]!));
      if (Math.abs(d0) > band) drop(); else break;
    }
  }

  const fit = fitOrder(keep.map((i) => hs[i]!), keep.map((i) => es[i]!), q, level);
  const [lo, hi] = fit.ci;
  const halfWidth = (hi - lo) / 2;
  let verdict: OrderCertificate['verdict'] = 'inconclusive';
  let reason: string;
  if (keep.length < MIN_POINTS) {
    reason = `only ${keep.length} usable point(s); at least ${MIN_POINTS} are needed`;
  } else if (lo > expected + margin) {
    verdict = 'at least';
    reason = `the whole interval lies above p + ${fmtNum(margin)}: superconvergent`;
  } else if (halfWidth > maxHalfWidth) {
    reason = `interval half-width ${fmtNum(halfWidth)} exceeds ${fmtNum(maxHalfWidth)}`;
  } else if (expected >= lo && expected <= hi) {
    verdict = 'order';
    reason = `p lies in the interval (${fit.model} fit; next-term bias ${fmtNum(fit.bias)} included)`;
  } else {
    reason = `p = ${expected} lies outside the interval [${fmtNum(lo)}, ${fmtNum(hi)}] (${fit.model} fit; next-term bias ${fmtNum(fit.bias)} included)`;
  }
  dropped.sort((a, b) => a.index - b.index);
  return {
    verdict, expected, slope: fit.slope, ci: [lo, hi], model: fit.model, nextOrder: q, bias: fit.bias,
    used: keep, dropped,
    rule: certificationRule({ floor, band, tau, margin, maxHalfWidth, level, q }),
    h: hs, err: es, level, halfWidth, reason,
  };
}

/**
 * The order estimate and its interval over the used points (see the module comment): the
 * two-term fit from TWO_TERM_POINTS points, else the one-term fit; both widened by |s − s₁|.
 */
function fitOrder(h: number[], e: number[], q: number, level: number): { slope: number; ci: [number, number]; model: OrderCertificate['model']; bias: number } {
  const n = h.length;
  if (n < 2) return { slope: NaN, ci: [-Infinity, Infinity], model: 'one-term', bias: NaN };
  const y = e.map(Math.log);
  const one = linearFit([h.map(() => 1), h.map(Math.log)], y, roundoff(y));
  if (n < 3) return { slope: one.coef[1]!, ci: [-Infinity, Infinity], model: 'one-term', bias: NaN };
  const two = twoTermFit(h, e, q).fit;
  const bias = Math.abs(two.coef[1]! - one.coef[1]!);
  const use = n >= TWO_TERM_POINTS ? { fit: two, model: 'two-term' as const } : { fit: one, model: 'one-term' as const };
  const slope = use.fit.coef[1]!;
  const half = studentTQuantile((1 + level) / 2, use.fit.dof) * use.fit.se[1]! + bias;
  return { slope, ci: [slope - half, slope + half], model: use.model, bias };
}

/** Round-off of log err: the smallest residual standard deviation a fit may report. */
const roundoff = (y: number[]): number => 4 * EPS * (1 + Math.max(...y.map(Math.abs)));

/** log err = a + s log h + b (h/h_max)^q by least squares, and its residual standard deviation. */
function twoTermFit(h: number[], e: number[], q: number): { fit: LinearFit; sigma: number } {
  const y = e.map(Math.log), hmax = Math.max(...h);
  const fit = linearFit([h.map(() => 1), h.map(Math.log), h.map((x) => (x / hmax) ** q)], y, roundoff(y));
  return { fit, sigma: fit.dof > 0 ? Math.max(Math.sqrt(fit.ssr / fit.dof), roundoff(y)) : Infinity };
}

function certificationRule(o: { floor: number; band: number; tau: number; margin: number; maxHalfWidth: number; level: number; q: number }): string {
  return `drop errors ≤ ${fmtNum(o.floor)} and fine-end points below ${fmtNum(o.band)} whose local slope is < p − ${fmtNum(o.tau)} (round-off floor; only if the finest local slope is < min(1, p − ${fmtNum(o.tau)})), ` +
    `then coarse points whose local slope differs from the median of the three finest local slopes by > ${fmtNum(o.tau)} (keeping ≥ ${MIN_POINTS}) or lies beyond the noise on its other side than the next local slope (keeping ≥ ${TWO_TERM_POINTS}) (pre-asymptotic); ` +
    `fit log err = a + s log h + b (h/h_max)^${fmtNum(o.q)} by least squares (${TWO_TERM_POINTS}+ points; with fewer, the one-term slope s1 of log err on log h), ` +
    `interval = slope ± (${Math.round(o.level * 100)}% Student-t half-width + |s − s1|, the next-term bias): "order p" if the half-width is ≤ ${fmtNum(o.maxHalfWidth)} and p lies in it, ` +
    `"at least p" if it lies above p + ${fmtNum(o.margin)}, else inconclusive`;
}

/** "order 1: slope 1.001 ± 0.005 (95% CI + next-term bias; fit C·h^s + D·h^(s+1); 10 of 11 points)" */
export function describeCertificate(c: OrderCertificate): string {
  const head = c.verdict === 'order' ? `order ${c.expected}` : c.verdict === 'at least' ? `at least ${c.expected}` : `inconclusive (expected ${c.expected})`;
  if (!Number.isFinite(c.slope)) return `${head}: too few points (${c.used.length} of ${c.h.length} usable)`;
  const points = `${c.used.length} of ${c.h.length} points`;
  if (!Number.isFinite(c.halfWidth)) return `${head}: slope ${c.slope.toFixed(3)} (no interval; ${points})`;
  const d = ciDecimals(c.halfWidth, 3, 6);
  return `${head}: slope ${c.slope.toFixed(d)} ± ${c.halfWidth.toFixed(d)} (${Math.round(c.level * 100)}% CI + next-term bias; fit ${modelFormula(c)}; ${points})`;
}

/** Decimals that show an interval half-width to one significant digit, clamped to [min, max]. */
export function ciDecimals(halfWidth: number, min: number, max: number): number {
  if (!(halfWidth > 0) || !Number.isFinite(halfWidth)) return min;
  const oneDigit = Number(halfWidth.toPrecision(1)); // 0.000999… → 0.001, so 3 decimals, not 4
  return Math.min(max, Math.max(min, -Math.floor(Math.log10(oneDigit))));
}

/** The fitted error model in words: "C·h^s + D·h^(s+1)" or "C·h^s". */
export function modelFormula(c: Pick<OrderCertificate, 'model' | 'nextOrder'>): string {
  return c.model === 'two-term' ? `C·h^s + D·h^(s+${fmtNum(c.nextOrder)})` : 'C·h^s';
}

/** Least squares log e = a + b log h with the Student-t CI of b. */
export function fitLogLog(h: number[], e: number[], level = 0.95): { slope: number; intercept: number; ci: [number, number]; se: number } {
  const n = h.length;
  if (n < 2) return { slope: NaN, intercept: NaN, ci: [-Infinity, Infinity], se: Infinity };
  const f = linearFit([h.map(() => 1), h.map(Math.log)], e.map(Math.log));
  const [intercept, slope] = [f.coef[0]!, f.coef[1]!];
  if (n < 3) return { slope, intercept, ci: [-Infinity, Infinity], se: Infinity };
  const se = f.se[1]!;
  const t = studentTQuantile((1 + level) / 2, n - 2);
  return { slope, intercept, ci: [slope - t * se, slope + t * se], se };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmtNum(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
