/**
 * A small exact expression algebra: sparse polynomials with rational coefficients over
 * "atoms" — symbols (x1, a12, gamma, jet symbols g1_2) and elementary functions of
 * polynomials (tanh(w), exp(w), …, inv(w) = 1/w, pow(w, p)). Atoms are interned, so equal
 * subexpressions are one object, and every result is fully expanded and canonical as a
 * polynomial in its atoms: expansion is a hash-map product, not a general CAS rewrite.
 *
 * Why not nerdamer for this: its expand costs ~1 ms even for 4 terms (0.75 s for (5 terms)^4),
 * and it crashes or differentiates wrongly on some inputs (see parse.ts). nerdamer remains the
 * independent second route in verification.
 *
 * Differentiation is exact, by the chain rule through atoms with the rules of FN_RULES.
 * Reciprocal functions are folded: sech w = cosh(w)^(−1), sec w = cos(w)^(−1), coth w =
 * cosh(w)·sinh(w)^(−1), …; atoms may carry negative integer exponents.
 */
import { UserError } from '../util/errors.ts';
import { isConstantName } from './parse.ts';
import { addR, floorR, fromNumber, invR, isIntegerR, isOneR, isZeroR, mulR, negR, ONE, powIntR, rat, ratText, signR, smallIntR, subR, type Rat } from './rational.ts';

export interface Atom {
  id: number;
  /** 'sym' for a symbol; otherwise a function name, 'inv' (1/w) or 'pow' (w^p, p rational). */
  fn: string;
  name: string;
  arg?: Poly;
  p?: Rat;
  /** Canonical text, used for sorting and as the intern key. */
  key: string;
  /** For c^r with c a positive constant (0 < r < 1): c. Products fold such powers (constPowers). */
  cbase?: Poly;
  /** polyText(arg), once: printing a polynomial prints its atoms' arguments again for every term. */
  argText?: string;
}

/** A monomial; `text` is its printed form, kept once made (ids and exps never change after monoOf). */
interface Mono { ids: number[]; exps: number[]; key: string; text?: string }
interface Term { c: Rat; m: Mono }
/** A polynomial: monomial key → term. Treat as immutable. */
export type Poly = Map<string, Term>;

const atoms: Atom[] = [];
const atomByKey = new Map<string, Atom>();

function intern(fn: string, name: string, key: string, arg?: Poly, p?: Rat): Atom {
  let a = atomByKey.get(key);
  if (!a) {
    a = { id: atoms.length, fn, name, key, ...(arg ? { arg } : {}), ...(p ? { p } : {}) };
    atoms.push(a);
    atomByKey.set(key, a);
  }
  return a;
}

const EMPTY_MONO: Mono = { ids: [], exps: [], key: '' };

function monoOf(ids: number[], exps: number[]): Mono {
  // concatenation, not map/join: a key is built for every product of the expansion
  let key = '';
  for (let j = 0; j < ids.length; j++) key += j === 0 ? `${ids[j]}^${exps[j]}` : `.${ids[j]}^${exps[j]}`;
  return { ids, exps, key };
}

/**
 * c^r for a positive constant c (a rational, pi or e), 0 < r < 1, as an atom (c^{1/2} = √c).
 * Powers of constants are kept in this form so that equal numbers are equal polynomials: a
 * product folds (c^r)^e (c^s)^f = c^k · c^{t−k}, t = re + sf, k = ⌊t⌋ (√2·√2 = 2, 1/√2 = √2/2,
 * 1/√π = π^{−1/2}).
 */
function constPowAtom(c: Poly, r: Rat): Atom {
  const a = intern('pow', 'pow', `pow[${ratText(r)}](${polyText(c)})`, c, r);
  a.cbase ??= c;
  return a;
}

/** A positive constant base: a positive rational, or the symbol pi or e. */
function positiveConstant(w: Poly): boolean {
  const c = constantValue(w);
  if (c) return signR(c) > 0;
  if (w.size !== 1) return false;
  const t = [...w.values()][0]!;
  return isOneR(t.c) && t.m.ids.length === 1 && t.m.exps[0] === 1 && atoms[t.m.ids[0]!]!.fn === 'sym' && isConstantName(atoms[t.m.ids[0]!]!.name);
}

/** The term c·m with its constant powers folded (identity when m has none). */
function constPowers(c: Rat, m: Mono): [Rat, Mono] {
  let found = 0, repeated = false;
  for (let j = 0; j < m.ids.length; j++) {
    if (atoms[m.ids[j]!]!.cbase) { found++; if (m.exps[j] !== 1) repeated = true; }
  }
  if (found === 0 || (found === 1 && !repeated)) return [c, m];
  const groups = new Map<string, { base: Poly; t: Rat }>();
  const ids: number[] = [], exps: number[] = [];
  m.ids.forEach((id, j) => {
    const a = atoms[id]!, e = m.exps[j]!;
    if (!a.cbase) { ids.push(id); exps.push(e); return; }
    const key = polyText(a.cbase), t = mulR(a.p!, rat(e));
    const g = groups.get(key);
    if (g) g.t = addR(g.t, t); else groups.set(key, { base: a.cbase, t });
  });
  let coef = c, mono = monoOf(ids, exps);
  for (const g of groups.values()) {
    const k = floorR(g.t), r = subR(g.t, k), kn = smallIntR(k)!;
    const rational = constantValue(g.base);
    if (rational) coef = mulR(coef, powIntR(rational, kn));
    else if (kn !== 0) mono = mulMono(mono, monoOf([[...g.base.values()][0]!.m.ids[0]!], [kn]));
    if (!isZeroR(r)) mono = mulMono(mono, monoOf([constPowAtom(g.base, r).id], [1]));
  }
  return [coef, mono];
}

/** addTerm of a product c·m, constant powers folded. */
function addProduct(out: Poly, c: Rat, m: Mono): void {
  const [cc, mm] = constPowers(c, m);
  addTerm(out, cc, mm);
}

export const zero = (): Poly => new Map();
export function constant(c: Rat): Poly {
  return isZeroR(c) ? new Map() : new Map([['', { c, m: EMPTY_MONO }]]);
}
export const num = (v: number): Poly => constant(fromNumber(v));
export const one = (): Poly => constant(ONE);

function atomPoly(a: Atom, e = 1): Poly {
  const m = monoOf([a.id], [e]);
  return new Map([[m.key, { c: ONE, m }]]);
}

export function symbol(name: string): Poly {
  return atomPoly(intern('sym', name, name));
}

export function isZero(p: Poly): boolean { return p.size === 0; }

/** The constant value if p is a number, else undefined. */
export function constantValue(p: Poly): Rat | undefined {
  if (p.size === 0) return [0, 1];
  if (p.size === 1) {
    const t = p.get('');
    if (t) return t.c;
  }
  return undefined;
}

/** out += c·m. Every map owns its Term objects (each insertion makes a new one), so a sum updates in place. */
function addTerm(out: Poly, c: Rat, m: Mono): void {
  const t = out.get(m.key);
  if (!t) { out.set(m.key, { c, m }); return; }
  const s = addR(t.c, c);
  if (isZeroR(s)) out.delete(m.key);
  else t.c = s;
}

/**
 * out += c·p in place, for an accumulator the caller made (zero()) and has not yet shared:
 * sums of many large terms (the modified-equation recursion) then cost the terms added, not
 * a copy of the running sum per addition.
 */
export function addInto(out: Poly, p: Poly, c: Rat = ONE): void {
  if (isOneR(c)) for (const t of p.values()) addTerm(out, t.c, t.m);
  else if (!isZeroR(c)) for (const t of p.values()) addTerm(out, mulR(t.c, c), t.m);
}

/** out += c·a·b in place (see addInto), without building a·b first. */
export function addProductInto(out: Poly, a: Poly, b: Poly, c: Rat = ONE): void {
  const one = isOneR(c);
  for (const s of a.values()) {
    const sc = one ? s.c : mulR(s.c, c);
    for (const t of b.values()) addProduct(out, mulR(sc, t.c), mulMono(s.m, t.m));
  }
}

export function add(...ps: Poly[]): Poly {
  const out: Poly = new Map();
  for (const p of ps) for (const t of p.values()) addTerm(out, t.c, t.m);
  return out;
}

export function scale(p: Poly, c: Rat): Poly {
  if (isZeroR(c)) return new Map();
  const out: Poly = new Map();
  for (const [k, t] of p) out.set(k, { c: mulR(t.c, c), m: t.m });
  return out;
}

export const neg = (p: Poly): Poly => scale(p, [-1, 1]);
export const sub = (a: Poly, b: Poly): Poly => add(a, neg(b));

function mulMono(a: Mono, b: Mono): Mono {
  if (a.ids.length === 0) return b;
  if (b.ids.length === 0) return a;
  const ids: number[] = [], exps: number[] = [];
  let i = 0, j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    const ai = i < a.ids.length ? a.ids[i]! : Infinity, bj = j < b.ids.length ? b.ids[j]! : Infinity;
    if (ai === bj) {
      const e = a.exps[i]! + b.exps[j]!;
      if (e !== 0) { ids.push(ai); exps.push(e); }
      i++; j++;
    } else if (ai < bj) { ids.push(ai); exps.push(a.exps[i]!); i++; }
    else { ids.push(bj); exps.push(b.exps[j]!); j++; }
  }
  return monoOf(ids, exps);
}

export function mul(a: Poly, b: Poly): Poly {
  const out: Poly = new Map();
  if (a.size === 0 || b.size === 0) return out;
  for (const s of a.values()) for (const t of b.values()) addProduct(out, mulR(s.c, t.c), mulMono(s.m, t.m));
  return out;
}

/** Integer exponents expanded exactly are at most this (a monomial z^k stays one term, but a sum explodes). */
export const MAX_EXPONENT = 1000;
/** Terms an exact expansion may produce (beyond it the work and memory are out of proportion). */
export const MAX_TERMS = 200_000;

/** Refuse p^k when it cannot be expanded in reasonable time: |k| too large, or too many terms (C(n+k−1, k) for n terms). */
function checkPowerSize(p: Poly, k: number): void {
  if (k > MAX_EXPONENT) throw new UserError(`exponent ${k} is too large to expand exactly (at most ${MAX_EXPONENT})`);
  let terms = 1;
  for (let j = 1; j <= k && terms <= MAX_TERMS; j++) terms = (terms * (p.size + j - 1)) / j;
  if (terms > MAX_TERMS) throw new UserError(`expanding a ${p.size}-term expression to the power ${k} gives more than ${MAX_TERMS} terms`);
}

/** p^k for an integer k (negative k through reciprocals). */
export function powInt(p: Poly, k: number): Poly {
  if (k === 0) return one();
  if (k < 0) return powInt(inv(p), -k);
  checkPowerSize(p, k);
  let out = one(), base = p;
  while (k > 0) {
    if (k & 1) out = mul(out, base);
    k >>= 1;
    if (k) base = mul(base, base);
  }
  return out;
}

/** 1/p: a monomial inverts exactly (negative exponents); a sum becomes the atom inv(p). */
export function inv(p: Poly): Poly {
  if (p.size === 0) throw new UserError('division by zero');
  if (p.size === 1) {
    const t = [...p.values()][0]!;
    const out: Poly = new Map();
    addProduct(out, invR(t.c), monoOf(t.m.ids, t.m.exps.map((e) => -e)));
    return out;
  }
  // Normalise: pull out the leading coefficient so inv(2w) and inv(w) share an atom.
  const lead = leadingCoefficient(p);
  const q = scale(p, invR(lead));
  return scale(fnAtom('inv', q), invR(lead));
}

function leadingCoefficient(p: Poly): Rat {
  const keys = [...p.values()].map((t) => [monoText(t.m), t.c] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keys[0]![1];
}

/** An atom f(arg) as a polynomial, with reciprocal functions folded into negative powers. */
export function fnAtom(fn: string, arg: Poly, p?: Rat): Poly {
  switch (fn) {
    case 'sech': return inv(fnAtom('cosh', arg));
    case 'csch': return inv(fnAtom('sinh', arg));
    case 'coth': return mul(fnAtom('cosh', arg), inv(fnAtom('sinh', arg)));
    case 'sec': return inv(fnAtom('cos', arg));
    case 'csc': return inv(fnAtom('sin', arg));
    case 'cot': return mul(fnAtom('cos', arg), inv(fnAtom('sin', arg)));
    case 'sqrt': return powRat(arg, [1, 2]);
    // silu(w) = swish(w) = w·sigmoid(w)
    case 'silu': case 'swish': return mul(arg, fnAtom('sigmoid', arg));
  }
  const c = constantValue(arg);
  if (c && isZeroR(c)) {
    // Exact values at 0 keep series coefficients clean.
    if (['sin', 'tan', 'tanh', 'sinh', 'atan', 'asin', 'erf'].includes(fn)) return zero();
    if (['cos', 'cosh', 'exp'].includes(fn)) return one();
    if (fn === 'sigmoid') return constant([1, 2]);
    if (fn === 'softplus') return fnAtom('log', constant([2, 1]));
  }
  // log e = 1 (e^w is read as exp(w), so e appears alone only as the symbol e).
  if (fn === 'log' && arg.size === 1 && equal(arg, symbol('e'))) return one();
  const argKey = polyText(arg);
  const key = p ? `${fn}[${ratText(p)}](${argKey})` : `${fn}(${argKey})`;
  return atomPoly(intern(fn, fn, key, arg, p));
}

/** w^p for rational p: integer p exactly, otherwise the atom pow(w, p). */
export function powRat(w: Poly, p: Rat): Poly {
  const k = smallIntR(p);
  if (k !== undefined) return powInt(w, k);
  if (isIntegerR(p)) throw new UserError(`exponent ${ratText(p)} is too large to expand exactly (at most ${MAX_EXPONENT})`);
  const c = constantValue(w);
  if (c && isOneR(c)) return one();
  if (positiveConstant(w)) {
    // c^p = c^k · c^r, k = ⌊p⌋, 0 < r < 1; an exact root (4^{1/2} = 2) is a number.
    const k = floorR(p), r = subR(p, k), kn = smallIntR(k);
    if (kn === undefined || Math.abs(kn) > MAX_EXPONENT) throw new UserError(`exponent ${ratText(p)} is too large to expand exactly (at most ${MAX_EXPONENT})`);
    const root = c ? exactRoot(c, r) : undefined;
    if (root) return constant(mulR(powIntR(c!, kn), root));
    return mul(powInt(w, kn), atomPoly(constPowAtom(w, r)));
  }
  return fnAtom('pow', w, p);
}

/** c^r when it is rational (c = n/d with n, d perfect q-th powers, r = m/q small), else undefined. */
function exactRoot(c: Rat, r: Rat): Rat | undefined {
  const [m, q] = r;
  if (typeof c[0] !== 'number' || typeof m !== 'number' || typeof q !== 'number' || q > 64) return undefined;
  const root = (n: number): number | undefined => {
    const x = Math.round(n ** (1 / q));
    for (const y of [x - 1, x, x + 1]) if (y >= 0 && y ** q === n) return y;
    return undefined;
  };
  const a = root(c[0]), b = root(c[1] as number);
  return a !== undefined && b !== undefined ? powIntR(rat(a, b), m) : undefined;
}

export function exp(w: Poly): Poly { return fnAtom('exp', w); }
export function log(w: Poly): Poly { return fnAtom('log', w); }

// ---------------------------------------------------------------------------------------------
// Differentiation

/**
 * d f(w)/dw for each atom function, as a polynomial built from the atom's own argument.
 * Checked against finite differences for every function in test/symbolic/poly.test.ts.
 */
function atomDerivative(a: Atom): Poly {
  const w = a.arg!;
  const self = atomPoly(a);
  switch (a.fn) {
    case 'sin': return fnAtom('cos', w);
    case 'cos': return neg(fnAtom('sin', w));
    case 'tan': return add(one(), mul(self, self));
    case 'sinh': return fnAtom('cosh', w);
    case 'cosh': return fnAtom('sinh', w);
    // sech² w (as cosh(w)^−2), the form nerdamer produces, so the CAS routes can cancel it.
    case 'tanh': return powInt(fnAtom('cosh', w), -2);
    case 'exp': return self;
    case 'log': return inv(w);
    case 'atan': return inv(add(one(), mul(w, w)));
    case 'asin': return powRat(sub(one(), mul(w, w)), [-1, 2]);
    case 'acos': return neg(powRat(sub(one(), mul(w, w)), [-1, 2]));
    case 'inv': return neg(mul(self, self));
    // sigmoid′ = sigmoid (1 − sigmoid), softplus′ = sigmoid, erf′ = (2/√π) e^{−w²}
    case 'sigmoid': return sub(self, mul(self, self));
    case 'softplus': return fnAtom('sigmoid', w);
    case 'erf': return scale(mul(powRat(symbol('pi'), [-1, 2]), fnAtom('exp', neg(mul(w, w)))), [2, 1]);
    case 'pow': return scale(mul(self, inv(w)), a.p!);
  }
  throw new UserError(`no derivative rule for ${a.fn}`);
}

/** Extra symbol derivatives: jet symbols g_k(x_i) with ∂g_k/∂x_i = g_{k+1} (or F_i with ∂F_i/∂x_j = F_i_j). */
const symbolDerivs = new Map<string, Map<string, string>>();
export function declareJet(name: string, wrt: string, next: string): void {
  let m = symbolDerivs.get(name);
  if (!m) { m = new Map(); symbolDerivs.set(name, m); }
  m.set(wrt, next);
}

const atomDerivCache = new Map<string, Poly>();

/** ∂atom/∂s (chain rule through the argument). */
function dAtom(a: Atom, s: string): Poly {
  if (a.fn === 'sym') {
    if (a.name === s) return one();
    const next = symbolDerivs.get(a.name)?.get(s);
    return next ? symbol(next) : zero();
  }
  const key = `${a.id}|${s}`;
  let r = atomDerivCache.get(key);
  if (!r) {
    const dw = d(a.arg!, s);
    r = isZero(dw) ? zero() : mul(atomDerivative(a), dw);
    atomDerivCache.set(key, r);
  }
  return r;
}

const dCache = new WeakMap<Poly, Map<string, Poly>>();

/** ∂p/∂s, exact (memoised per polynomial object: polys are immutable). */
export function d(p: Poly, s: string): Poly {
  let byVar = dCache.get(p);
  if (!byVar) { byVar = new Map(); dCache.set(p, byVar); }
  let r = byVar.get(s);
  if (!r) { r = dRaw(p, s); byVar.set(s, r); }
  return r;
}

function dRaw(p: Poly, s: string): Poly {
  const out: Poly = new Map();
  for (const t of p.values()) {
    const { ids, exps } = t.m;
    for (let j = 0; j < ids.length; j++) {
      const da = dAtom(atoms[ids[j]!]!, s);
      if (isZero(da)) continue;
      const e = exps[j]!;
      const restIds = ids.slice(), restExps = exps.slice();
      restExps[j] = e - 1;
      if (restExps[j] === 0) { restIds.splice(j, 1); restExps.splice(j, 1); }
      const rest = monoOf(restIds, restExps);
      const c = mulR(t.c, rat(e));
      for (const u of da.values()) addProduct(out, mulR(c, u.c), mulMono(rest, u.m));
    }
  }
  return out;
}

/** Does p depend on symbol s (directly, through an atom argument, or through a jet)? */
export function dependsOn(p: Poly, s: string): boolean {
  return !isZero(d(p, s));
}

// ---------------------------------------------------------------------------------------------
// Substitution

/** Replace symbols by polynomials (simultaneously), rebuilding function atoms. */
export function subs(p: Poly, values: ReadonlyMap<string, Poly>): Poly {
  const memo = new Map<number, Poly>();
  const atomValue = (a: Atom): Poly => {
    let v = memo.get(a.id);
    if (v) return v;
    if (a.fn === 'sym') v = values.get(a.name) ?? atomPoly(a);
    else {
      const arg = subs(a.arg!, values);
      v = a.fn === 'inv' ? inv(arg) : a.fn === 'pow' ? powRat(arg, a.p!) : fnAtom(a.fn, arg);
    }
    memo.set(a.id, v);
    return v;
  };
  let out: Poly = new Map();
  for (const t of p.values()) {
    let term = constant(t.c);
    t.m.ids.forEach((id, j) => { term = mul(term, powInt(atomValue(atoms[id]!), t.m.exps[j]!)); });
    out = add(out, term);
  }
  return out;
}

/** All free symbol names in p (including inside atom arguments; not the constants pi and e). */
export function symbolsOf(p: Poly, out = new Set<string>()): Set<string> {
  for (const t of p.values()) {
    for (const id of t.m.ids) {
      const a = atoms[id]!;
      if (a.fn === 'sym') { if (!isConstantName(a.name)) out.add(a.name); }
      else symbolsOf(a.arg!, out);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Printing (text readable by mathjs and nerdamer)

/** polyText of an atom's argument (atoms are interned and never change: printed once). */
const argText = (a: Atom): string => (a.argText ??= polyText(a.arg!));

function atomText(a: Atom): string {
  if (a.fn === 'sym') return a.name;
  const w = argText(a);
  if (a.fn === 'inv') return `(${w})^(-1)`;
  if (a.fn === 'pow') return `(${w})^(${ratText(a.p!)})`;
  return `${a.fn}(${w})`;
}

const RECIPROCAL: Record<string, string> = { cosh: 'sech', sinh: 'csch', cos: 'sec', sin: 'csc' };

function factorText(a: Atom, e: number): string {
  const recip = RECIPROCAL[a.fn];
  if (recip && e < 0) return `${recip}(${argText(a)})${e === -1 ? '' : `^${-e}`}`;
  const base = atomText(a);
  if (e === 1) return base;
  if (a.fn === 'inv') return `(${argText(a)})^(${-e})`;
  if (a.fn === 'pow') return `(${argText(a)})^(${ratText(mulR(a.p!, rat(e)))})`;
  return e > 0 ? `${base}^${e}` : `${base}^(${e})`;
}

/** Factors sorted by canonical atom key (deterministic across runs). */
export function sortedFactors(m: Mono): [Atom, number][] {
  return m.ids.map((id, j) => [atoms[id]!, m.exps[j]!] as [Atom, number])
    .sort((x, y) => rank(x[0]) - rank(y[0]) || (x[0].key < y[0].key ? -1 : x[0].key > y[0].key ? 1 : 0));
}
const rank = (a: Atom): number => (a.fn === 'sym' ? 0 : a.fn === 'inv' || a.fn === 'pow' ? 2 : 1);

function monoText(m: Mono): string {
  return (m.text ??= sortedFactors(m).map(([a, e]) => factorText(a, e)).join('*'));
}

/** Terms in a deterministic order: by total degree, then text. */
export function sortedTerms(p: Poly): { c: Rat; m: Mono; text: string; degree: number }[] {
  return [...p.values()]
    .map((t) => ({ ...t, text: monoText(t.m), degree: t.m.exps.reduce((s, e) => s + Math.abs(e), 0) }))
    .sort((a, b) => a.degree - b.degree || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** Plain text: `-(1/2)*a^2*x - (3/2)*gamma^2*x^5`. */
export function polyText(p: Poly): string {
  if (p.size === 0) return '0';
  let s = '';
  for (const t of sortedTerms(p)) {
    const negative = signR(t.c) < 0;
    const c: Rat = negative ? negR(t.c) : t.c;
    const coef = c[1] === 1 || c[1] === 1n ? `${c[0]}` : `(${c[0]}/${c[1]})`;
    const body = t.text === '' ? coef : coef === '1' ? t.text : `${coef}*${t.text}`;
    s += s === '' ? (negative ? `-${body}` : body) : negative ? ` - ${body}` : ` + ${body}`;
  }
  return s;
}

export function equal(a: Poly, b: Poly): boolean {
  return isZero(sub(a, b));
}
