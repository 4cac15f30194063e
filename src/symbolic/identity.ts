/**
 * Deciding lhs ≡ rhs the SymPy way: exactly where a CAS can, numerically where it cannot, and
 * three-valued. Two independent symbolic routes (nerdamer expand, algebrite expand/simplify)
 * plus seeded random evaluation of compiled code:
 *   proved  — a symbolic route reduces the difference to 0 and no sample contradicts it;
 *   refuted — a sample differs beyond round-off (counterexample), or an expanded polynomial
 *             difference is a non-zero polynomial;
 *   unknown — no route decides and the samples agree.
 */
import { algebrite } from './algebrite.ts';
import { makeRng } from '../util/prng.ts';
import { expand, taylorCoefficients } from './cas.ts';
import { compileNode } from './compile.ts';
import { freeSymbols, parseExpression, type MathNode } from './parse.ts';
import { printFor } from './print.ts';
import { logLogSlope } from './slope.ts';
import { TextMemo } from '../util/memo.ts';

export interface IdentityResult {
  verdict: 'proved' | 'refuted' | 'unknown';
  routes: { name: string; zero: boolean | 'undecided'; residual: string }[];
  numeric: { samples: number; maxRelErr: number };
  counterexample?: { point: Record<string, number>; lhs: number; rhs: number };
}

export interface IdentityOptions {
  /** Sampling box per symbol; default [-1, 1]. */
  domains?: Record<string, [number, number]>;
  seed?: number;
  samples?: number;
}

/**
 * Numeric agreement threshold: |l − r| / max(1, |l|, |r|). Expanded expressions of ≲10⁴ O(1)
 * terms lose at most ~1e-12 to round-off in double; 1e-9 leaves three orders of margin.
 */
export const NUMERIC_TOL = 1e-9;

/** Algebrite source larger than this is not sent to it (it is 4–14× slower than nerdamer). */
const ALGEBRITE_MAX_CHARS = 6000;

const HAS_FUNCTION = /[A-Za-z_]\w*\s*\(/;

type Route = { name: string; zero: boolean | 'undecided'; residual: string };

/** The parsed difference both routes read (parsed once), or why it did not parse. */
type Parsed = { node: MathNode } | { error: unknown };

function parseDifference(diffExpr: string): Parsed {
  try {
    return { node: parseExpression(diffExpr) };
  } catch (error) {
    return { error };
  }
}

function nerdamerRoute(diff: Parsed): Route {
  let r: string;
  try {
    if ('error' in diff) throw diff.error;
    r = expand(printFor(diff.node, 'nerdamer-canonical'));
  } catch (e) {
    return { name: 'nerdamer expand', zero: 'undecided', residual: `error: ${(e as Error).message.split('\n')[0]}` };
  }
  if (r === '0') return { name: 'nerdamer expand', zero: true, residual: '0' };
  return { name: 'nerdamer expand', zero: HAS_FUNCTION.test(r) ? 'undecided' : false, residual: r };
}

/** Algebrite's answer by its (renamed) input: clearall before each run makes it a function of the text. */
const algebriteMemo = new TextMemo();

/** Algebrite on renamed symbols (it reserves d, i, e, gamma, … as functions/constants). */
function algebriteRoute(diff: Parsed): Route {
  const name = 'algebrite expand';
  if ('error' in diff) throw diff.error;
  const node = diff.node;
  const syms = freeSymbols(node).filter((s) => s !== 'e');
  let src = printFor(node, 'algebrite');
  const back: [string, string][] = [];
  syms.forEach((s, i) => {
    src = src.replace(new RegExp(`\\b${s}\\b`, 'g'), `qv${i}q`);
    back.push([`qv${i}q`, s]);
  });
  if (src.length > ALGEBRITE_MAX_CHARS) return { name, zero: 'undecided', residual: `skipped: ${src.length} chars` };
  try {
    let r = algebriteMemo.get(src, () => {
      algebrite().clearall();
      const x = algebrite().run(`expand(${src})`);
      return !/^-?0(\.0*)?$/.test(x.trim()) && x.length < 400 && HAS_FUNCTION.test(x) ? algebrite().run(`simplify(${x})`) : x;
    });
    for (const [q, s] of back) r = r.replace(new RegExp(q, 'g'), s);
    r = r.trim();
    if (/^-?0(\.0*)?$/.test(r)) return { name, zero: true, residual: '0' };
    if (/error|Stop/i.test(r)) return { name, zero: 'undecided', residual: r };
    return { name, zero: HAS_FUNCTION.test(r) ? 'undecided' : false, residual: r };
  } catch (e) {
    return { name, zero: 'undecided', residual: `error: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Random points for the free symbols; reused across lhs and rhs. */
function samplePoints(vars: string[], opts: IdentityOptions, count: number, seed: number): Float64Array[] {
  const rng = makeRng(seed);
  const pts: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const p = new Float64Array(vars.length);
    vars.forEach((v, j) => {
      const [a, b] = opts.domains?.[v] ?? [-1, 1];
      p[j] = rng.uniform(a, b);
    });
    pts.push(p);
  }
  return pts;
}

const relErr = (l: number, r: number): number => Math.abs(l - r) / Math.max(1, Math.abs(l), Math.abs(r));

/** lhs ≡ rhs: two symbolic routes (expanded difference is 0) + seeded random numeric evaluation. */
export function checkIdentity(lhs: string, rhs: string, opts: IdentityOptions = {}): IdentityResult {
  const L = parseExpression(lhs, { what: 'lhs' });
  const R = parseExpression(rhs, { what: 'rhs' });
  const vars = [...new Set([...freeSymbols(L), ...freeSymbols(R)])].filter((s) => s !== 'e');
  const diffExpr = `(${printFor(L, 'nerdamer')})-(${printFor(R, 'nerdamer')})`;
  const parsed = parseDifference(diffExpr);
  const routes = [nerdamerRoute(parsed), algebriteRoute(parsed)];

  // L and R are validated and their symbols are vars (or e): compileScalar would parse them again.
  const fl = compileNode(L, vars), fr = compileNode(R, vars);
  const samples = opts.samples ?? 24;
  let maxRelErr = 0, used = 0;
  let counterexample: IdentityResult['counterexample'];
  for (const p of samplePoints(vars, opts, samples * 2, opts.seed ?? 1)) {
    if (used >= samples) break;
    const l = fl(p), r = fr(p);
    if (!Number.isFinite(l) && !Number.isFinite(r)) continue; // outside both domains: draw again
    used++;
    const err = Number.isFinite(l) && Number.isFinite(r) ? relErr(l, r) : Infinity;
    if (err > maxRelErr) {
      maxRelErr = err;
      if (err > NUMERIC_TOL) counterexample = { point: Object.fromEntries(vars.map((v, j) => [v, p[j]!])), lhs: l, rhs: r };
    }
  }
  const numeric = { samples: used, maxRelErr };
  let verdict: IdentityResult['verdict'];
  if (counterexample || routes.some((r) => r.zero === false)) verdict = 'refuted';
  else if (routes.some((r) => r.zero === true) && used > 0) verdict = 'proved';
  else verdict = 'unknown';
  return counterexample ? { verdict, routes, numeric, counterexample } : { verdict, routes, numeric };
}

export { logLogSlope } from './slope.ts';

/**
 * lhs − rhs = O(v^k) as v → 0: Taylor coefficients 0…k−1 of the difference vanish (exact
 * power-series arithmetic, nerdamer differentiation as fallback; each coefficient decided by
 * checkIdentity's two CAS routes), and numerically
 * max over random points of |lhs − rhs| falls like |v|^k over a ladder v = v0·2^{-j}.
 */
export function checkSeriesIdentity(
  lhs: string, rhs: string, v: string, k: number, opts: IdentityOptions & { v0?: number; rungs?: number } = {},
): IdentityResult & { ladder?: { v: number[]; err: number[]; slope: number } } {
  const L = parseExpression(lhs, { what: 'lhs' });
  const R = parseExpression(rhs, { what: 'rhs' });
  const diffExpr = `(${printFor(L, 'nerdamer')})-(${printFor(R, 'nerdamer')})`;
  const coeffs = taylorCoefficients(`(${lhs})-(${rhs})`, v, k - 1, diffExpr);
  const perCoeff = coeffs.map((c) => (c === '0' ? undefined : checkIdentity(c, '0', { ...opts, samples: 8 })));
  const combine = (which: number, name: string) => {
    let zero: boolean | 'undecided' = true;
    const res: string[] = [];
    perCoeff.forEach((r, j) => {
      if (!r) return;
      const z = r.routes[which]!.zero;
      if (z === false) zero = false;
      else if (z === 'undecided' && zero === true) zero = 'undecided';
      if (z !== true) res.push(`[${v}^${j}] ${r.routes[which]!.residual}`);
    });
    return { name: `${name} (Taylor coefficients 0…${k - 1} in ${v})`, zero, residual: res.join('; ') || '0' };
  };
  const routes = [combine(0, 'nerdamer'), combine(1, 'algebrite')];

  // Numeric ladder.
  const vars = [...new Set([...freeSymbols(L), ...freeSymbols(R)])].filter((s) => s !== 'e' && s !== v);
  const all = [...vars, v];
  const fl = compileNode(L, all), fr = compileNode(R, all);
  const samples = opts.samples ?? 12, rungs = opts.rungs ?? 6, v0 = opts.v0 ?? 0.2;
  const pts = samplePoints(vars, opts, samples, opts.seed ?? 1);
  const vs: number[] = [], errs: number[] = [];
  let scale = 0;
  let worst: { p: Float64Array; l: number; r: number; ratio: number } | undefined;
  const arg = new Float64Array(all.length);
  for (let j = 0; j < rungs; j++) {
    const h = v0 / 2 ** j;
    let e = 0;
    for (const p of pts) {
      arg.set(p); arg[vars.length] = h;
      const l = fl(arg), r = fr(arg);
      scale = Math.max(scale, Math.abs(l), Math.abs(r));
      const d = Math.abs(l - r);
      if (!(d <= e)) e = Number.isFinite(d) ? d : Infinity;
      if (j === rungs - 1 && (!worst || d / h ** k > worst.ratio)) worst = { p: p.slice(), l, r, ratio: d / h ** k };
    }
    vs.push(h); errs.push(e);
  }
  // Points at the round-off floor carry no slope information.
  const floor = 64 * 2.22e-16 * Math.max(1, scale);
  const use = errs.map((e, i) => i).filter((i) => errs[i]! > floor && Number.isFinite(errs[i]!));
  const slope = use.length >= 2 ? logLogSlope(use.map((i) => vs[i]!), use.map((i) => errs[i]!)) : Infinity;
  // Pre-asymptotic curvature at v0 ≤ 0.2 shifts a fitted slope by a few tenths at most.
  // A rung that is not finite (NaN/∞ at a sample) is no evidence either way: at best unknown.
  // With < 2 rungs above the floor there is no slope (∞ from logLogSlope): all must be near it.
  const finite = errs.every(Number.isFinite);
  const numericOk = !finite || (use.length >= 2 ? slope >= k - 0.5 : errs.every((e) => e <= 1e3 * floor));
  const maxRelErr = Math.max(0, ...errs.map((e) => e / Math.max(1, scale)));
  const numeric = { samples, maxRelErr };
  let verdict: IdentityResult['verdict'];
  const coeffCounter = perCoeff.find((r) => r?.verdict === 'refuted');
  if (!numericOk || coeffCounter || routes.some((r) => r.zero === false)) verdict = 'refuted';
  else if (routes.some((r) => r.zero === true) && finite) verdict = 'proved';
  else verdict = 'unknown';
  const out: IdentityResult & { ladder: { v: number[]; err: number[]; slope: number } } = {
    verdict, routes, numeric, ladder: { v: vs, err: errs, slope },
  };
  if (verdict === 'refuted') {
    if (coeffCounter?.counterexample) out.counterexample = coeffCounter.counterexample;
    else if (worst) {
      const point = Object.fromEntries(vars.map((s, j) => [s, worst!.p[j]!]));
      point[v] = vs[vs.length - 1]!;
      out.counterexample = { point, lhs: worst.l, rhs: worst.r };
    }
  }
  return out;
}
