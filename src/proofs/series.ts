/**
 * Series steps `= e + O(v^k)`: the symbolic layer's checkSeriesIdentity (Taylor coefficients
 * 0…k−1 of the difference by two routes, and a ladder of v), strengthened here by
 *   - re-deciding coefficients that kept exact constants such as tanh(0) (folded exactly),
 *   - a tail-slope test at the small end of the ladder, and
 *   - a counterexample built from the step's own expressions at a point of the ladder.
 */
import { taylorCoefficients } from '../symbolic/cas.ts';
import { compileScalar } from '../symbolic/compile.ts';
import { checkIdentity, checkSeriesIdentity, NUMERIC_TOL, type IdentityResult } from '../symbolic/identity.ts';
import { makeRng } from '../util/prng.ts';
import { foldZeroConstants } from './expand.ts';

export type SeriesResult = IdentityResult & { ladder?: { v: number[]; err: number[]; slope: number }; tail?: number };

/** lhs − rhs = O(v^k): proved / refuted (with a ladder counterexample) / unknown. */
export function checkSeriesStep(
  lhs: string, rhs: string, v: string, k: number, symbols: string[], domains: Record<string, [number, number]>, seed: number,
): SeriesResult {
  let r: SeriesResult = checkSeriesIdentity(lhs, rhs, v, k, { domains, seed });
  // Re-deciding cannot rescue a refuted step: skip the (expensive) second expansion then.
  if (r.verdict !== 'refuted' && r.routes.some((x) => x.zero === 'undecided')) r = redecideCoefficients(r, lhs, rhs, v, k, domains, seed);
  const tail = r.ladder ? tailSlope(r.ladder) : undefined;
  if (tail !== undefined) r = { ...r, tail };
  if (tail !== undefined && tail < k - 0.5) r = { ...r, verdict: 'refuted' };
  if (r.verdict === 'refuted') {
    const ce = ladderCounterexample(r, lhs, rhs, v, symbols, domains, seed);
    if (ce) r = { ...r, counterexample: ce };
  }
  return r;
}

/**
 * Local log-log slope of the ladder at its small end: the last pair of rungs whose errors both
 * stand above round-off. The fitted slope of the symbolic layer averages over v = 0.2 … and can
 * be dominated by pre-asymptotic high-order terms (a missing v¹ term hidden under large v⁵
 * terms fits a slope near 5); the tail cannot.
 */
export function tailSlope(ladder: { v: number[]; err: number[] }): number | undefined {
  // Differences of O(1) quantities: round-off is ~1e-15, so above 1e-11 a ratio of two errors
  // is accurate to 1e-4 relative, far inside the 0.5 margin on the slope.
  const ABOVE_ROUNDOFF = 1e-11;
  for (let j = ladder.err.length - 1; j >= 1; j--) {
    const a = ladder.err[j - 1]!, b = ladder.err[j]!;
    if (a > ABOVE_ROUNDOFF && b > ABOVE_ROUNDOFF && Number.isFinite(a) && Number.isFinite(b)) {
      return Math.log(a / b) / Math.log(ladder.v[j - 1]! / ladder.v[j]!);
    }
  }
  return undefined;
}

/**
 * A refuted series step gets a counterexample made of the step's own expressions: among the
 * symbolic layer's point (if any) and a few seeded points from the declared domains, the one
 * with the largest |lhs − rhs| at the smallest rung of the ladder where that difference stands
 * above round-off, with lhs and rhs evaluated there, so a reader can replay it.
 */
function ladderCounterexample(
  r: SeriesResult,
  lhs: string, rhs: string, v: string, symbols: string[], domains: Record<string, [number, number]>, seed: number,
): IdentityResult['counterexample'] {
  if (r.counterexample && r.counterexample.point[v] !== undefined) return r.counterexample;
  const fl = compileScalar(lhs, symbols), fr = compileScalar(rhs, symbols);
  const vi = symbols.indexOf(v);
  const mid = (s: string) => (domains[s]![0] + domains[s]![1]) / 2;
  const points: Float64Array[] = [];
  if (r.counterexample) points.push(new Float64Array(symbols.map((s) => r.counterexample!.point[s] ?? mid(s))));
  const rng = makeRng(seed);
  for (let k = 0; k < 12; k++) points.push(new Float64Array(symbols.map((s) => rng.uniform(domains[s]![0], domains[s]![1]))));
  const rungs = r.ladder?.v ?? [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625];
  let best: { p: Float64Array; h: number; l: number; r: number } | undefined;
  for (const h of rungs) {
    let rungBest: typeof best;
    for (const p of points) {
      p[vi] = h;
      const L = fl(p), R = fr(p);
      const d = Math.abs(L - R);
      if (d > NUMERIC_TOL * Math.max(1, Math.abs(L), Math.abs(R)) && (!rungBest || d > Math.abs(rungBest.l - rungBest.r))) {
        rungBest = { p: p.slice(), h, l: L, r: R };
      }
    }
    if (rungBest) best = rungBest;
  }
  if (!best) return r.counterexample;
  return { point: Object.fromEntries(symbols.map((s, i) => [s, best!.p[i]!])), lhs: best.l, rhs: best.r };
}

/**
 * Re-decide the Taylor coefficients of a series step whose CAS route was undecided only because
 * a coefficient kept constants such as tanh(0): fold them (exactly) and decide each coefficient
 * with checkIdentity. The numeric ladder of the first check is kept.
 */
function redecideCoefficients(
  r: SeriesResult,
  lhs: string, rhs: string, v: string, k: number, domains: Record<string, [number, number]>, seed: number,
): typeof r {
  const coeffs = taylorCoefficients(`(${lhs})-(${rhs})`, v, k - 1).map(foldZeroConstants);
  const per = coeffs.map((c) => (c === '0' ? undefined : checkIdentity(c, '0', { domains, seed, samples: 8 })));
  const routes = r.routes.map((route) => {
    if (route.zero !== 'undecided') return route;
    // The same engine's verdict on each coefficient (routes are named after their engine).
    const engine = route.name.split(/[\s,(]/)[0]!;
    let zero: boolean | 'undecided' = true;
    const res: string[] = [];
    per.forEach((c, j) => {
      if (!c) return; // a coefficient that is literally 0
      const same = c.routes.find((x) => x.name.startsWith(engine));
      const z = same ? same.zero : 'undecided';
      if (z === false) zero = false;
      else if (z === 'undecided' && zero === true) zero = 'undecided';
      if (z !== true) res.push(`[${v}^${j}] ${same?.residual ?? `no ${engine} route`}`);
    });
    return { ...route, name: `${route.name}, constants folded`, zero, residual: res.join('; ') || '0' };
  });
  const verdict: IdentityResult['verdict'] = r.verdict === 'refuted' || routes.some((x) => x.zero === false)
    ? 'refuted' : routes.some((x) => x.zero === true) ? 'proved' : 'unknown';
  return { ...r, routes, verdict };
}
