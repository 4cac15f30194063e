/**
 * Order certification: is err(h) ≈ C·h^p over a refinement ladder, with a confidence interval?
 *
 * The slope of log err on log h is fitted by ordinary least squares over the points that
 * survive a stated drop rule, and its 100·level % confidence interval is
 * slope ± t_{(1+level)/2, n−2} · SE (Student t, n fitted points). Two kinds of points carry no
 * information about the asymptotic order and are dropped first:
 *
 *  1. round-off floor (fine end): err ≤ floor (default 1e3·ε·scale), or, while the error is
 *     already in the round-off band err ≤ √ε·scale, the local slope to the next coarser point
 *     has collapsed below p − τ (round-off only ever lowers a slope; accumulated round-off
 *     grows like ε·N, which stays below √ε·scale for every depth this project uses). The band
 *     rule applies only when the finest pair has stagnated (local slope < min(1, p − τ)): a
 *     fine end that still falls like a power law is a lower order, not round-off, and stays
 *     in the fit (otherwise a claimed p could hide an order reduction that sets in below √ε);
 *  2. pre-asymptotic (coarse end): while more than 3 points remain, the coarsest point is
 *     dropped if its local slope to the next point differs from the fine-end reference slope
 *     (median of the three finest local slopes) by more than τ. The reference comes from the
 *     data, not from p, so this step cannot manufacture agreement with p.
 *
 * τ = 0.1·max(1, p). Verdicts: "order" when at least 3 points remain, the half-width is
 * ≤ maxHalfWidth (default 0.25) and the interval widened by the bias allowance
 * β = 0.05·max(1, p) contains p (β absorbs the systematic O(h) drift of the local slope
 * caused by the next term C₂h^{p+1} across the fitted range, which the i.i.d. CI ignores);
 * "at least" when the whole interval lies above p + margin (default 0.25·max(1, p)):
 * superconvergence; otherwise "inconclusive".
 */
import { EPS } from '../util/approx.ts';
import { UserError } from '../util/errors.ts';

export type DropReason = 'round-off floor' | 'pre-asymptotic' | 'non-finite or zero';

export interface OrderCertificate {
  verdict: 'order' | 'at least' | 'inconclusive';
  /** Declared order p. */
  expected: number;
  /** Least-squares slope of log(err) on log(h), used points only (NaN with < 2 points). */
  slope: number;
  /** 95 % (or `level`) confidence interval of the slope (Student t); ±∞ with < 3 points. */
  ci: [number, number];
  /** Indices of ladder points in the fit, finest last. */
  used: number[];
  dropped: { index: number; reason: DropReason }[];
  /** The stated drop/accept rule, one sentence. */
  rule: string;
  /** The ladder as given (h = step, e.g. T/N; err ≈ C h^p). */
  h: number[];
  err: number[];
  /** Confidence level of `ci` (default 0.95). */
  level: number;
  /** (ci[1] − ci[0]) / 2. */
  halfWidth: number;
  /** Why this verdict, one line. */
  reason: string;
}

export interface CertifyOptions {
  /** Absolute round-off floor: errors at or below it are dropped (default 1e3·ε·scale). */
  floor?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Largest CI half-width accepted for an "order" verdict (default 0.25). */
  maxHalfWidth?: number;
  /** Magnitude of the solution the errors are measured against (default 1). */
  scale?: number;
  /** Slope tolerance τ of the drop rules (default 0.1·max(1, p)). */
  slopeTol?: number;
  /** Bias allowance β added to the CI when testing p ∈ CI (default 0.05·max(1, p)). */
  bias?: number;
  /** "at least" needs CI > p + margin (default 0.25·max(1, p)). */
  margin?: number;
}

export const MIN_POINTS = 3;

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
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new UserError(`certifyOrder: level must lie in (0, 1), got ${level}`);
  const scale = opts.scale ?? 1;
  const floor = opts.floor ?? 1e3 * EPS * scale;
  const band = Math.max(floor, Math.sqrt(EPS) * scale);
  const unit = Math.max(1, Math.abs(expected));
  const tau = opts.slopeTol ?? 0.1 * unit;
  const bias = opts.bias ?? 0.05 * unit;
  const margin = opts.margin ?? 0.25 * unit;
  const maxHalfWidth = opts.maxHalfWidth ?? 0.25;

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
    while (keep.length > MIN_POINTS && Math.abs(local(keep[0]!, keep[1]!) - ref) > tau) {
      dropped.push({ index: keep[0]!, reason: 'pre-asymptotic' });
      keep = keep.slice(1);
    }
  }

  const fit = fitLogLog(keep.map((i) => hs[i]!), keep.map((i) => es[i]!), level);
  const [lo, hi] = fit.ci;
  const halfWidth = (hi - lo) / 2;
  let verdict: OrderCertificate['verdict'] = 'inconclusive';
  let reason: string;
  if (keep.length < MIN_POINTS) {
    reason = `only ${keep.length} usable point(s); at least ${MIN_POINTS} are needed`;
  } else if (lo > expected + margin) {
    verdict = 'at least';
    reason = `the whole CI lies above p + ${fmtNum(margin)}: superconvergent`;
  } else if (halfWidth > maxHalfWidth) {
    reason = `CI half-width ${fmtNum(halfWidth)} exceeds ${fmtNum(maxHalfWidth)}`;
  } else if (expected >= lo - bias && expected <= hi + bias) {
    verdict = 'order';
    reason = `p lies in the CI widened by the bias allowance ${fmtNum(bias)}`;
  } else {
    reason = `p = ${expected} lies outside the CI widened by ${fmtNum(bias)}`;
  }
  dropped.sort((a, b) => a.index - b.index);
  return {
    verdict, expected, slope: fit.slope, ci: [lo, hi], used: keep, dropped,
    rule: certificationRule({ floor, band, tau, bias, margin, maxHalfWidth, level }),
    h: hs, err: es, level, halfWidth, reason,
  };
}

function certificationRule(o: { floor: number; band: number; tau: number; bias: number; margin: number; maxHalfWidth: number; level: number }): string {
  return `drop errors ≤ ${fmtNum(o.floor)} and fine-end points below ${fmtNum(o.band)} whose local slope is < p − ${fmtNum(o.tau)} (round-off floor; only if the finest local slope is < min(1, p − ${fmtNum(o.tau)})), ` +
    `then coarse points whose local slope differs from the median of the three finest local slopes by > ${fmtNum(o.tau)} (pre-asymptotic, keeping ≥ ${MIN_POINTS}); ` +
    `fit log err on log h by least squares with a ${Math.round(o.level * 100)}% Student-t CI: "order p" if half-width ≤ ${fmtNum(o.maxHalfWidth)} and p ∈ CI ± ${fmtNum(o.bias)}, ` +
    `"at least p" if CI > p + ${fmtNum(o.margin)}, else inconclusive`;
}

/** "order 1: slope 1.002 ± 0.004 (95% CI, 7 of 9 points)" */
export function describeCertificate(c: OrderCertificate): string {
  const head = c.verdict === 'order' ? `order ${c.expected}` : c.verdict === 'at least' ? `at least ${c.expected}` : `inconclusive (expected ${c.expected})`;
  const pct = `${Math.round(c.level * 100)}% CI`;
  if (!Number.isFinite(c.slope)) return `${head}: too few points (${c.used.length} of ${c.h.length} usable)`;
  const pm = Number.isFinite(c.halfWidth) ? `± ${c.halfWidth.toFixed(3)}` : '(no CI)';
  return `${head}: slope ${c.slope.toFixed(3)} ${pm} (${pct}, ${c.used.length} of ${c.h.length} points)`;
}

/** Least squares log e = a + b log h with the Student-t CI of b. */
export function fitLogLog(h: number[], e: number[], level = 0.95): { slope: number; intercept: number; ci: [number, number]; se: number } {
  const n = h.length;
  if (n < 2) return { slope: NaN, intercept: NaN, ci: [-Infinity, Infinity], se: Infinity };
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += Math.log(h[i]!); my += Math.log(e[i]!); }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = Math.log(h[i]!) - mx;
    sxx += dx * dx;
    sxy += dx * (Math.log(e[i]!) - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (n < 3) return { slope, intercept, ci: [-Infinity, Infinity], se: Infinity };
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.log(e[i]!) - intercept - slope * Math.log(h[i]!);
    ssr += r * r;
  }
  const se = Math.sqrt(ssr / (n - 2) / sxx);
  const t = studentTQuantile((1 + level) / 2, n - 2);
  return { slope, intercept, ci: [slope - t * se, slope + t * se], se };
}

/** The q-quantile of Student's t with ν degrees of freedom (bisection on the exact CDF). */
export function studentTQuantile(q: number, nu: number): number {
  if (!(q > 0 && q < 1) || !(nu > 0)) throw new RangeError(`studentTQuantile(${q}, ${nu})`);
  if (q === 0.5) return 0;
  if (q < 0.5) return -studentTQuantile(1 - q, nu);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, nu) < q) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-14 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, nu) < q) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with ν degrees of freedom: 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, nu: number): number {
  const x = nu / (nu + t * t);
  const tail = 0.5 * regularizedBeta(x, nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    f *= d * c;
    num = -((a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (Math.exp(lnFront) * f) / a;
}

/** ln Γ(z), z > 0 (Lanczos, g = 7, n = 9: ~1e-15 relative). */
function logGamma(z: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  z -= 1;
  let s = c[0]!;
  for (let i = 1; i < g + 2; i++) s += c[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmtNum(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
