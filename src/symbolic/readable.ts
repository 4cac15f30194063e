/**
 * Results as a person writes them, for printing only (exact comparisons stay on the canonical
 * polynomials of poly.ts):
 * - powers of one base combined: (1 + x²)^(−1)·(1 + x²)^(−1/2) → (1 + x²)^(−3/2), √x·√x → x;
 * - odd and even functions of a negated argument: tanh(−x) → −tanh(x), cosh(−2x) → cosh(2x);
 * - sinh^m·sech^n (n ≥ m) → tanh^m·sech^(n−m), and sin^m·sec^n → tan^m·sec^(n−m);
 * - terms collected by their function part, the common rational and monomial in front:
 *   −½ab − ½a²x → −(1/2)*a*(b + a*x);
 * - long TeX sums broken across lines (aligned).
 * Every rewrite is an identity, so the printed text read back is the same function (tested at
 * random points).
 */
import * as P from './poly.ts';
import { absR, addR, invR, mulR, negR, rat, signR, type Rat } from './rational.ts';
import { prettyText, texOf } from './render.ts';

const ODD = new Set(['sinh', 'tanh', 'sin', 'tan', 'atan', 'asin', 'asinh', 'atanh', 'erf']);
const EVEN = new Set(['cosh', 'cos']);
const TAN: ReadonlyMap<string, [string, string]> = new Map([['tanh', ['sinh', 'cosh']], ['tan', ['sin', 'cos']]]);

/** The first term (in print order) has a negative coefficient: print f(−w) as ±f(w). */
function negativeLead(w: P.Poly): boolean {
  const t = P.sortedTerms(w)[0];
  return t !== undefined && signR(t.c) < 0;
}

const memo = new WeakMap<P.Poly, P.Poly>();

/** The printing normal form of p (an equal function; see the module comment). */
export function readable(p: P.Poly): P.Poly {
  const hit = memo.get(p);
  if (hit) return hit;
  const out = P.zero();
  for (const t of P.sortedTerms(p)) {
    let sign = 1;
    // base text → [base, total rational exponent] for inv/pow atoms; function atoms by (fn, arg)
    const powers = new Map<string, { base: P.Poly; r: Rat }>();
    const fns = new Map<string, { fn: string; arg: P.Poly; e: number }>();
    let rest = P.constant(t.c);
    for (const [a, e] of P.sortedFactors(t.m)) {
      if (a.fn === 'sym') { rest = P.mul(rest, P.powInt(P.symbol(a.name), e)); continue; }
      const arg = readable(a.arg!);
      if (a.fn === 'inv' || a.fn === 'pow') {
        const key = P.polyText(arg);
        const r: Rat = a.fn === 'inv' ? rat(-e) : mulR(a.p!, rat(e));
        const g = powers.get(key);
        if (g) g.r = addR(g.r, r); else powers.set(key, { base: arg, r });
        continue;
      }
      let w = arg;
      if ((ODD.has(a.fn) || EVEN.has(a.fn)) && negativeLead(w)) {
        w = P.neg(w);
        if (ODD.has(a.fn) && e % 2 !== 0) sign = -sign;
      }
      const key = `${a.fn}(${P.polyText(w)})`;
      const g = fns.get(key);
      if (g) g.e += e; else fns.set(key, { fn: a.fn, arg: w, e });
    }
    // sinh^m cosh^(−n), n ≥ m > 0 → tanh^m cosh^(−(n−m)) (and sin/cos → tan)
    for (const [tanFn, [num, den]] of TAN) {
      for (const g of fns.values()) {
        if (g.fn !== num || g.e <= 0) continue;
        const argText = P.polyText(g.arg);
        const c = fns.get(`${den}(${argText})`);
        if (!c || c.e > -g.e) continue;
        const key = `${tanFn}(${argText})`;
        const t0 = fns.get(key);
        if (t0) t0.e += g.e; else fns.set(key, { fn: tanFn, arg: g.arg, e: g.e });
        c.e += g.e;
        g.e = 0;
      }
    }
    for (const g of fns.values()) if (g.e !== 0) rest = P.mul(rest, P.powInt(P.fnAtom(g.fn, g.arg), g.e));
    for (const g of powers.values()) if (signR(g.r) !== 0) rest = P.mul(rest, P.powRat(g.base, g.r));
    P.addInto(out, rest, rat(sign));
  }
  memo.set(p, out);
  return out;
}

/** A collected group: coef·mono·(inner)·key, or (one term) just `term`; negative: printed with a minus. */
interface Group { negative: boolean; term?: P.Poly; coef: Rat; mono: P.Poly; inner: P.Poly; key: P.Poly }

/**
 * Terms collected by their function part (the product of their non-symbol factors): each group
 * is content·(inner)·key, content the common rational (sign of the group's first term) and
 * common symbol monomial, inner the rest (1 when the group has one term).
 */
const grouped = new WeakMap<P.Poly, Group[]>();

function groups(p: P.Poly): Group[] {
  // p is readable()'s memoised result, printed as text and as TeX: grouped once (the groups are only read)
  let out = grouped.get(p);
  if (!out) grouped.set(p, out = groupsOf(p));
  return out;
}

function groupsOf(p: P.Poly): Group[] {
  const byKey = new Map<string, { key: P.Poly; terms: { c: Rat; sym: [string, number][] }[] }>();
  for (const t of P.sortedTerms(p)) {
    const sym: [string, number][] = [];
    let key = P.one();
    for (const [a, e] of P.sortedFactors(t.m)) {
      if (a.fn === 'sym') sym.push([a.name, e]);
      else key = P.mul(key, monomialOf(t.m, a.id, e));
    }
    const k = P.polyText(key);
    let g = byKey.get(k);
    if (!g) { g = { key, terms: [] }; byKey.set(k, g); }
    g.terms.push({ c: t.c, sym });
  }
  const out: Group[] = [];
  for (const { key, terms } of byKey.values()) {
    const lead = terms[0]!.c;
    if (terms.length === 1) {
      let term = P.mul(P.constant(absR(lead)), key);
      for (const [s, e] of terms[0]!.sym) term = P.mul(term, P.powInt(P.symbol(s), e));
      out.push({ negative: signR(lead) < 0, term, coef: absR(lead), mono: P.one(), inner: P.one(), key });
      continue;
    }
    // common monomial: each symbol's least exponent, when it is in every term
    const common = new Map<string, number>();
    for (const [s] of terms[0]!.sym) if (terms.every((t) => t.sym.some(([u]) => u === s))) common.set(s, Math.min(...terms.map((t) => t.sym.find(([u]) => u === s)![1])));
    let c = commonRational(terms.map((t) => t.c), signR(lead) < 0);
    // a plain sum (no factor in front, no function part) keeps its own signs: −ab + x, not −(ab − x)
    if (P.isZero(P.sub(key, P.one())) && [...common.values()].every((e) => e === 0) && Number(c[0]) === -1 && Number(c[1]) === 1) c = rat(1);
    let mono = P.one();
    for (const [s, e] of common) if (e !== 0) mono = P.mul(mono, P.powInt(P.symbol(s), e));
    const inner = P.zero();
    for (const t of terms) {
      let m = P.constant(t.c);
      for (const [s, e] of t.sym) m = P.mul(m, P.powInt(P.symbol(s), e - (common.get(s) ?? 0)));
      P.addInto(inner, m, invR(c));
    }
    out.push({ negative: signR(c) < 0, coef: absR(c), mono, inner, key });
  }
  return out;
}

/** The single-factor polynomial a^e (a from monomial m). */
function monomialOf(m: Parameters<typeof P.sortedFactors>[0], id: number, e: number): P.Poly {
  const [a] = P.sortedFactors(m).find(([x]) => x.id === id)!;
  if (a.fn === 'inv') return P.powInt(P.inv(a.arg!), e);
  if (a.fn === 'pow') return P.powInt(P.powRat(a.arg!, a.p!), e);
  return P.powInt(P.fnAtom(a.fn, a.arg!), e);
}


/** gcd of the numerators over lcm of the denominators, negative when the first term is. */
function commonRational(cs: Rat[], negative: boolean): Rat {
  const gcd = (a: number, b: number): number => { a = Math.abs(a); b = Math.abs(b); while (b) [a, b] = [b, a % b]; return a; };
  // exact integers only (a BigInt coefficient keeps its own: content 1)
  if (cs.some((c) => typeof c[0] !== 'number' || Math.abs(Number(c[1])) > 1e6 || Math.abs(Number(c[0])) > 1e9)) return negative ? rat(-1) : rat(1);
  let num = 0, den = 1;
  for (const c of cs) { num = gcd(num, Number(c[0])); den = (den / gcd(den, Number(c[1]))) * Number(c[1]); }
  // a fraction goes in front only when it is most terms' own denominator (more than half):
  // b + (1/2)*x + a*x stays so, not (1/2)*(2*b + x + 2*a*x); 1/10 + (1/2)*x stays so, not
  // (1/10)*(1 + 5*x) (one of two is not most)
  if (den > 1 && 2 * cs.filter((c) => Number(c[1]) === den).length <= cs.length) den = 1;
  const r = rat(num || 1, den);
  return negative ? negR(r) : r;
}

/** Needless parentheses and square roots in text: (x)^ → x^, w^(1/2) → sqrt(w). */
function tidy(text: string): string {
  return text
    // (x)^2 → x^2, never a call's argument: g(x)^2, h(x)^2 and g'(x)^2 keep theirs
    .replace(/(?<![A-Za-z0-9_)'])\(([A-Za-z][A-Za-z0-9_]*|\d+)\)\^/g, '$1^')
    .replace(/\b([A-Za-z][A-Za-z0-9_]*|\d+)\^\(1\/2\)/g, 'sqrt($1)')
    .replace(/\(([^()]*)\)\^\(1\/2\)/g, 'sqrt($1)');
}


const isOne = (p: P.Poly): boolean => P.equal(p, P.one());
const coefText = (c: Rat, tex: boolean): string =>
  Number(c[1]) === 1 ? `${c[0]}` : tex ? `\\frac{${c[0]}}{${c[1]}}` : `(${c[0]}/${c[1]})`;

/** One group, signs apart, in text or TeX. */
function groupText(g: Group, tex: boolean): string {
  const show = tex ? texOf : prettyText;
  if (g.term) return show(g.term);
  const parts: string[] = [];
  if (!(Number(g.coef[0]) === 1 && Number(g.coef[1]) === 1)) parts.push(coefText(g.coef, tex));
  if (!isOne(g.mono)) parts.push(show(g.mono));
  const alone = parts.length === 0 && isOne(g.key) && !g.negative;
  parts.push(alone ? show(g.inner) : tex ? `\\left(${show(g.inner)}\\right)` : `(${show(g.inner)})`);
  if (!isOne(g.key)) parts.push(show(g.key));
  return parts.join(tex ? ' ' : '*');
}

/** Readable plain text of p (reads back as the same function). */
export function readableText(p: P.Poly): string {
  const r = readable(p);
  if (P.isZero(r)) return '0';
  let s = '';
  for (const g of groups(r)) {
    const body = groupText(g, false);
    s += s === '' ? (g.negative ? `-${body}` : body) : g.negative ? ` - ${body}` : ` + ${body}`;
  }
  return tidy(s);
}

/** The TeX summands of p, signs apart: [negative, tex]. */
function texTerms(p: P.Poly): [boolean, string][] {
  return groups(readable(p)).map((g) => [g.negative, groupText(g, true)]);
}

/** Summands of a TeX line before it breaks (aligned): a display line holds about this much. */
export const TEX_LINE_CHARS = 160;

/** Readable TeX of p; past TEX_LINE_CHARS of TeX, an aligned block with one line per ~TEX_LINE_CHARS. */
export function readableTeX(p: P.Poly): string {
  if (P.isZero(readable(p))) return '0';
  const terms = texTerms(p);
  const lines: string[] = [''];
  for (const [neg, tex] of terms) {
    let cur = lines[lines.length - 1]!;
    if (cur !== '' && cur.length + tex.length > TEX_LINE_CHARS) { lines.push(''); cur = ''; }
    const first = lines.length === 1 && cur === '';
    cur += first ? (neg ? `-${tex}` : tex) : cur === '' ? `${neg ? '-' : '+'} ${tex}` : ` ${neg ? '-' : '+'} ${tex}`;
    lines[lines.length - 1] = cur;
  }
  if (lines.length === 1) return lines[0]!;
  return `\\begin{aligned}&${lines.join(' \\\\ &\\quad ')}\\end{aligned}`;
}
