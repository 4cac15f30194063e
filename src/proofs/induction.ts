/**
 * Exact steps over sums with a symbolic limit, by induction on that limit.
 *
 * A step `A = B` whose sides contain sums Σ_{k=lo_j}^{m+c_j} t_j (integer lo_j, c_j; the same
 * symbol m in every upper limit; t_j and lo_j free of m) claims A(m) = B(m) for every integer
 * m ≥ m₀ = max_j (lo_j − 1 − c_j), the first m at which every sum is defined (at m₀ at least one
 * is empty). It is proved by
 *   base:  A(m₀) ≡ B(m₀), the sums written out (finitely many terms, most of them none);
 *   step:  A(m+1) − A(m) ≡ B(m+1) − B(m), where m ↦ m + 1 everywhere and each sum S_j becomes
 *          S_j + t_j(k = m + 1 + c_j), with the sums S_j themselves left as free symbols.
 * The step treats each S_j as an arbitrary number, which is stronger than needed (sound), and
 * makes it a plain identity that checkIdentity decides by both CAS routes and seeded points.
 * A third, independent route adds up the sums term by term for m = m₀ … m₀ + 5 at seeded points
 * and compares A with B; a mismatch is a counterexample (m and the point).
 *
 * This is the rule behind telescoping sums and summation by parts: Σ_{k} (G(k+1) − G(k)) =
 * G(m+1) − G(lo) is the case B without sums.
 */
import { compileScalar } from '../symbolic/compile.ts';
import { checkIdentity, NUMERIC_TOL, type IdentityResult } from '../symbolic/identity.ts';
import { parse, ParenthesisNode } from '../symbolic/mathjs.ts';
import { UserError } from '../util/errors.ts';
import { makeRng } from '../util/prng.ts';
import type { SymbolicSum } from './expand.ts';

export interface InductionResult extends IdentityResult {
  /** The induction variable, the base m₀, and the per-part verdicts. */
  induction: { variable: string; base: number; baseCase: IdentityResult; step: IdentityResult; explicit: { ms: number[]; maxRelErr: number } };
}

/** Rounds a limit's numeric value, refusing anything that is not an integer. */
function integerOf(text: string, what: string, loc: string): number {
  if (symbolsOf(text).size) throw new UserError(`${loc}: the ${what} of a sum with a symbolic upper limit must be an integer, got ${text}`);
  const v = compileScalar(text, [])(new Float64Array(0));
  if (!Number.isInteger(v)) throw new UserError(`${loc}: the ${what} of a sum must be an integer, got ${text}`);
  return v;
}

function symbolsOf(text: string): Set<string> {
  return new Set(parse(text).filter((n) => n.type === 'SymbolNode').map((n) => (n as unknown as { name: string }).name));
}

/** Replace symbols by expressions (each wrapped in parentheses), in one pass. */
function substitute(text: string, by: Record<string, string>): string {
  return parse(text).transform((n) => {
    const name = n.type === 'SymbolNode' ? (n as unknown as { name: string }).name : undefined;
    return name !== undefined && name in by ? new ParenthesisNode(parse(by[name]!)) : n;
  }).toString({ implicit: 'show', parenthesis: 'keep' });
}

interface Limits { sum: SymbolicSum; lo: number; c: number }

/**
 * The induction variable m, each sum's integer lower limit and offset c (upper limit m + c), and
 * the base m₀, for the step `lhs = rhs`. Throws UserError (bad input) when the sums do not have
 * the shape the rule needs; the checker calls it while preparing a file, before any checking.
 */
export function inductionShape(lhs: string, rhs: string, sums: SymbolicSum[], symbols: string[], loc: string): { v: string; limits: Limits[]; base: number } {
  // The induction variable: the one declared symbol in every upper limit, with coefficient 1.
  let m: string | undefined;
  const limits: Limits[] = sums.map((s) => {
    const free = [...symbolsOf(s.hi)];
    if (free.length !== 1) throw new UserError(`${loc}: the upper limit of a sum must be m, m + c or m − c for one symbol m and an integer c, got ${s.hi}`);
    const v = free[0]!;
    if (m !== undefined && v !== m) throw new UserError(`${loc}: the sums of one step must share the symbol of their upper limits (${m} and ${v})`);
    m = v;
    const hi = compileScalar(s.hi, [v]);
    const c = hi(new Float64Array([0]));
    // hi(v) = v + c exactly: compare at a few points (a linear function with slope 1 agrees everywhere).
    for (const x of [1, -3, 7.25]) {
      if (Math.abs(hi(new Float64Array([x])) - (x + c)) > 1e-12 * Math.max(1, Math.abs(x))) {
        throw new UserError(`${loc}: the upper limit of a sum must be ${v}, ${v} + c or ${v} − c with an integer c, got ${s.hi}`);
      }
    }
    if (!Number.isInteger(c)) throw new UserError(`${loc}: the upper limit ${s.hi} of a sum must be ${v} plus an integer`);
    const lo = integerOf(s.lo, 'lower limit', loc);
    if (symbolsOf(s.term).has(v)) throw new UserError(`${loc}: the term of a sum over ${s.k} up to ${s.hi} contains ${v}; induction on ${v} needs terms free of it (prove the sum for a new symbol, then set it to ${v})`);
    return { sum: s, lo, c };
  });
  const v = m!;
  for (const s of sums) {
    if (symbolsOf(lhs).has(s.k) || symbolsOf(rhs).has(s.k)) throw new UserError(`${loc}: the index ${s.k} of a sum also occurs outside it; use another symbol`);
  }
  if (!symbols.includes(v)) throw new UserError(`${loc}: the upper limit's symbol ${v} is not declared`);
  return { v, limits, base: Math.max(...limits.map((l) => l.lo - 1 - l.c)) };
}

/** Check `lhs = rhs` (expanded texts whose sums stand as placeholder symbols) by induction. */
export function checkInduction(
  lhs: string, rhs: string, sums: SymbolicSum[], symbols: string[], domains: Record<string, [number, number]>, seed: number, loc: string,
): InductionResult {
  const { v, limits, base } = inductionShape(lhs, rhs, sums, symbols, loc);

  // Base case: every sum written out at m = m₀.
  const written = (mValue: number): Record<string, string> => Object.fromEntries(limits.map(({ sum, lo, c }) => {
    const terms: string[] = [];
    for (let k = lo; k <= mValue + c; k++) terms.push(`(${substitute(sum.term, { [sum.k]: String(k) })})`);
    return [sum.name, terms.length ? terms.join(' + ') : '0'];
  }));
  const at = (text: string, mValue: number) => substitute(substitute(text, written(mValue)), { [v]: String(mValue) });
  const baseCase = checkIdentity(at(lhs, base), at(rhs, base), { domains, seed, samples: 8 });

  // Step: m → m + 1, S_j → S_j + t_j(m + 1 + c_j); the S_j stay free symbols.
  const shift: Record<string, string> = { [v]: `${v} + 1` };
  for (const { sum, c } of limits) shift[sum.name] = `${sum.name} + (${substitute(sum.term, { [sum.k]: `${v} + ${1 + c}` })})`;
  const sumDomains = { ...domains, ...Object.fromEntries(sums.map((s) => [s.name, [-2, 2] as [number, number]])) };
  const step = checkIdentity(`(${substitute(lhs, shift)}) - (${lhs})`, `(${substitute(rhs, shift)}) - (${rhs})`, { domains: sumDomains, seed: seed + 1 });

  // Independent route: the sums added up numerically for m = m₀ … m₀ + 5.
  const others = symbols.filter((s) => s !== v && !sums.some((x) => x.k === s));
  const fl = compileScalar(lhs, [...others, ...sums.map((s) => s.name), v]);
  const fr = compileScalar(rhs, [...others, ...sums.map((s) => s.name), v]);
  const terms = limits.map(({ sum }) => compileScalar(sum.term, [...others, sum.k]));
  const rng = makeRng(seed + 2);
  const ms: number[] = [];
  let maxRelErr = 0;
  let counterexample: IdentityResult['counterexample'];
  for (let j = 0; j < 6; j++) {
    const mValue = base + j;
    ms.push(mValue);
    for (let q = 0; q < 4; q++) {
      const point = others.map((s) => rng.uniform(domains[s]![0], domains[s]![1]));
      const values = limits.map(({ lo, c }, i) => {
        let acc = 0;
        const p = new Float64Array([...point, 0]);
        for (let k = lo; k <= mValue + c; k++) { p[point.length] = k; acc += terms[i]!(p); }
        return acc;
      });
      const p = new Float64Array([...point, ...values, mValue]);
      const l = fl(p), r = fr(p);
      const err = Math.abs(l - r) / Math.max(1, Math.abs(l), Math.abs(r));
      if (!(err <= maxRelErr)) maxRelErr = Number.isNaN(err) ? Infinity : err;
      if (!(err <= NUMERIC_TOL) && !counterexample) counterexample = { point: { ...Object.fromEntries(others.map((s, i) => [s, point[i]!])), [v]: mValue }, lhs: l, rhs: r };
    }
  }

  const routes = baseCase.routes.map((b, i) => {
    const s = step.routes[i]!;
    const zero: boolean | 'undecided' = b.zero === true && s.zero === true ? true : b.zero === false || s.zero === false ? false : 'undecided';
    return { name: b.name, zero, residual: `base: ${b.residual}; step: ${s.residual}` };
  });
  const parts = [baseCase, step];
  const verdict: IdentityResult['verdict'] = counterexample || parts.some((r) => r.verdict === 'refuted')
    ? 'refuted' : parts.every((r) => r.verdict === 'proved') ? 'proved' : 'unknown';
  const ce = counterexample ?? baseCase.counterexample ?? step.counterexample;
  return {
    verdict, routes, numeric: { samples: step.numeric.samples, maxRelErr: Math.max(step.numeric.maxRelErr, baseCase.numeric.maxRelErr, maxRelErr) },
    ...(ce ? { counterexample: ce } : {}),
    induction: { variable: v, base, baseCase, step, explicit: { ms, maxRelErr } },
  };
}

