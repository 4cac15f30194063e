/**
 * Vector fields in matrix notation, valid for every dimension d: sums, with rational
 * coefficients, of elementwise (⊙) products of factors
 *   x                 the state,
 *   β^{(s)}(t)        a named vector (s-th time derivative when it depends on t),
 *   φ^{(j)}(w)        the j-th derivative of a scalar function applied elementwise to a field w
 *                     (g^{(j)}(x) of the FF layer, σ^{(j)}(Ax + b) of the residual layer),
 *   M^{(s)} m         a named matrix applied to a product m (linear: M(m₁ + m₂) is expanded).
 * ⊙ is commutative and associative, so sorted factor lists are a canonical form; the identities
 * used are exactly those that hold for every d (for d = 1 more coincide, e.g. A x ⊙ β = a b x).
 * Derivatives: D(φ^{(j)}(w))·v = φ^{(j+1)}(w) ⊙ (Dw·v), D(M m)·v = M (Dm·v), D x·v = v;
 * ∂_t β^{(s)} = β^{(s+1)}, ∂_t (M^{(s)} m) = M^{(s+1)} m + M^{(s)} ∂_t m, functions are autonomous.
 */
import * as P from '../poly.ts';
import { absR, addR, invR, isIntegerR, isZeroR, mulR, negR, ONE, signR, toNumber, type Rat } from '../rational.ts';

const divR = (a: Rat, b: Rat): Rat => mulR(a, invR(b));
import type { FieldAlgebra } from './recursion.ts';
import { sumText } from './trees.ts';

export type Factor =
  | { readonly kind: 'x'; readonly key: string }
  | { readonly kind: 'vec'; readonly name: string; readonly s: number; readonly key: string }
  | { readonly kind: 'fn'; readonly name: string; readonly j: number; readonly arg: VField; readonly key: string }
  | { readonly kind: 'mat'; readonly name: string; readonly s: number; readonly arg: Mono; readonly key: string };
export interface Mono { readonly fs: readonly Factor[]; readonly key: string }
/** A vector field: monomial key → coefficient and monomial. Treat as immutable. */
export type VField = Map<string, { c: Rat; m: Mono }>;

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function mono(fs: readonly Factor[]): Mono {
  const sorted = [...fs].sort(byKey);
  return { fs: sorted, key: sorted.map((f) => f.key).join('⊙') };
}
export const fieldKey = (v: VField): string => [...v.values()].map((e) => `${e.c[0]}/${e.c[1]}*${e.m.key}`).sort().join('+');

export const X: Factor = { kind: 'x', key: 'x' };
export const vec = (name: string, s = 0): Factor => ({ kind: 'vec', name, s, key: `${name}${"'".repeat(s)}` });
export const fn = (name: string, j: number, arg: VField): Factor => ({ kind: 'fn', name, j, arg, key: `${name}${'\''.repeat(j)}{${fieldKey(arg)}}` });
export const mat = (name: string, s: number, arg: Mono): Factor => ({ kind: 'mat', name, s, arg, key: `${name}${"'".repeat(s)}[${arg.key}]` });

export function fieldOf(...terms: [Rat, readonly Factor[]][]): VField {
  const out: VField = new Map();
  for (const [c, fs] of terms) addInto(out, c, mono(fs));
  return out;
}
export const factorField = (f: Factor): VField => fieldOf([ONE, [f]]);

function addInto(out: VField, c: Rat, m: Mono): void {
  const e = out.get(m.key);
  const s = e ? addR(e.c, c) : c;
  if (isZeroR(s)) out.delete(m.key); else out.set(m.key, { c: s, m });
}

export function add(...vs: VField[]): VField {
  const out: VField = new Map();
  for (const v of vs) for (const { c, m } of v.values()) addInto(out, c, m);
  return out;
}
export function scale(v: VField, c: Rat): VField {
  const out: VField = new Map();
  if (!isZeroR(c)) for (const e of v.values()) out.set(e.m.key, { c: mulR(e.c, c), m: e.m });
  return out;
}
/** Elementwise product. */
export function hadamard(a: VField, b: VField): VField {
  const out: VField = new Map();
  for (const p of a.values()) for (const q of b.values()) addInto(out, mulR(p.c, q.c), mono([...p.m.fs, ...q.m.fs]));
  return out;
}
/** M^{(s)} v, expanded linearly. */
export function apply(name: string, s: number, v: VField): VField {
  const out: VField = new Map();
  for (const { c, m } of v.values()) addInto(out, c, mono([mat(name, s, m)]));
  return out;
}

/** Which named vectors and matrices depend on t. */
export interface VectorContext { timeDependent(name: string): boolean }

const monoField = (m: Mono): VField => new Map([[m.key, { c: ONE, m }]]);

/** Derivative of one factor: along v (Df·v) or in time (∂_t f) when v is undefined. */
function dFactor(f: Factor, v: VField | undefined, ctx: VectorContext): VField {
  switch (f.kind) {
    case 'x': return v ?? new Map();
    case 'vec': return v || !ctx.timeDependent(f.name) ? new Map() : factorField(vec(f.name, f.s + 1));
    case 'fn': {
      const dw = dField(f.arg, v, ctx);
      return dw.size === 0 ? dw : hadamard(factorField(fn(f.name, f.j + 1, f.arg)), dw);
    }
    case 'mat': {
      const inner = apply(f.name, f.s, dField(monoField(f.arg), v, ctx));
      return v || !ctx.timeDependent(f.name) ? inner : add(inner, factorField(mat(f.name, f.s + 1, f.arg)));
    }
  }
}

const memo = new WeakMap<VField, Map<string, VField>>();

/** Dφ·v (v given) or ∂_t φ (v undefined), by Leibniz over the ⊙ factors. */
export function dField(phi: VField, v: VField | undefined, ctx: VectorContext): VField {
  const vk = v ? fieldKey(v) : '∂t';
  let m = memo.get(phi);
  if (!m) { m = new Map(); memo.set(phi, m); }
  const hit = m.get(vk);
  if (hit) return hit;
  const out: VField = new Map();
  for (const { c, m: mo } of phi.values()) {
    mo.fs.forEach((f, i) => {
      const df = dFactor(f, v, ctx);
      if (df.size === 0) return;
      const rest = fieldOf([c, mo.fs.filter((_, j) => j !== i)]);
      for (const e of hadamard(rest, df).values()) addInto(out, e.c, e.m);
    });
  }
  m.set(vk, out);
  return out;
}

export function vectorAlgebra(ctx: VectorContext): FieldAlgebra<VField> {
  return {
    zero: () => new Map(),
    add: (a, b) => add(a, b),
    scale,
    lie: (phi, v, withTime) => (withTime ? add(dField(phi, v, ctx), dField(phi, undefined, ctx)) : dField(phi, v, ctx)),
  };
}

// ---------------------------------------------------------------------------------------------
// Printing: terms sharing the same derivative factors φ^{(j)}, j ≥ 1 (the diagonal parts of
// Jacobians) are collected, g'(x) ⊙ (A x + β); a sum of one matrix applied is A(…).

export interface Notation {
  /** β ↦ β, b; and whether it is printed with (t). */
  vecText(name: string): string;
  vecTeX(name: string): string;
  fnTeX(name: string): string;
  matTeX(name: string): string;
  timeDependent(name: string): boolean;
}

const primes = (k: number, tex: boolean): string => (k <= 3 ? "'".repeat(k) : tex ? `^{(${k})}` : `^(${k})`);

function factorOut(f: Factor, n: Notation, tex: boolean): string {
  switch (f.kind) {
    case 'x': return tex ? 'x' : 'x';
    case 'vec': {
      const base = tex ? n.vecTeX(f.name) : n.vecText(f.name);
      return n.timeDependent(f.name) ? `${base}${primes(f.s, tex)}(t)` : base;
    }
    case 'fn': {
      const arg = fieldOut(f.arg, n, tex);
      return `${tex ? n.fnTeX(f.name) : f.name}${primes(f.j, tex)}(${arg})`;
    }
    case 'mat': {
      // A chain A(A(…)) of one constant matrix prints as a power A^2.
      let power = 1, arg = f.arg;
      while (f.s === 0 && !n.timeDependent(f.name) && arg.fs.length === 1 && arg.fs[0]!.kind === 'mat' && arg.fs[0]!.name === f.name && arg.fs[0]!.s === 0) {
        power++; arg = (arg.fs[0] as Extract<Factor, { kind: 'mat' }>).arg;
      }
      const name = power === 1 ? matName(f, n, tex) : tex ? `${n.matTeX(f.name)}^{${power}}` : `${f.name}^${power}`;
      const inner = monoOut(arg, n, tex);
      return arg.fs.length === 1 ? `${name}${tex ? '\\,' : ' '}${inner}` : tex ? `${name}\\left(${inner}\\right)` : `${name}(${inner})`;
    }
  }
}

function matName(f: Extract<Factor, { kind: 'mat' }>, n: Notation, tex: boolean): string {
  return `${tex ? n.matTeX(f.name) : f.name}${n.timeDependent(f.name) ? `${primes(f.s, tex)}(t)` : ''}`;
}

function monoOut(m: Mono, n: Notation, tex: boolean): string {
  if (m.fs.length === 0) return tex ? '\\mathbf{1}' : '1';
  const groups: { f: Factor; e: number }[] = [];
  const ordered = [...m.fs].sort((a, b) => byKey({ key: readingKey(mono([a])) }, { key: readingKey(mono([b])) }));
  for (const f of ordered) {
    const g = groups[groups.length - 1];
    if (g && g.f.key === f.key) g.e++; else groups.push({ f, e: 1 });
  }
  return groups.map(({ f, e }) => {
    const s = factorOut(f, n, tex);
    if (e === 1) return s;
    const base = f.kind === 'mat' && /[ ,]|\\,/.test(s) ? (tex ? `\\left(${s}\\right)` : `(${s})`) : s;
    return tex ? `${base}^{\\odot ${e}}` : `${base}^⊙${e}`;
  }).join(tex ? ' \\odot ' : ' ⊙ ');
}

/** A field as readable text or TeX, with common diagonal factors collected. */
export function fieldOut(v: VField, n: Notation, tex: boolean): string {
  const isDiag = (f: Factor): boolean => f.kind === 'fn' && f.j >= 1;
  const groups = new Map<string, { head: Factor[]; rest: { c: Rat; m: Mono }[] }>();
  for (const { c, m } of sortedField(v)) {
    const head = m.fs.filter(isDiag);
    let key = mono(head).key;
    const rest = mono(m.fs.filter((f) => !isDiag(f)));
    // A lone matrix application M(m) groups with the other M(…) terms.
    if (head.length === 0 && rest.fs.length === 1 && rest.fs[0]!.kind === 'mat') {
      const f = rest.fs[0] as Extract<Factor, { kind: 'mat' }>;
      key = `#${f.name}${f.s}`;
      const g = groups.get(key) ?? { head: [f], rest: [] };
      g.rest.push({ c, m: f.arg });
      groups.set(key, g);
      continue;
    }
    const g = groups.get(key) ?? { head, rest: [] };
    g.rest.push({ c, m: rest });
    groups.set(key, g);
  }
  const parts: { c: Rat; x: string }[] = [];
  for (const [key, g] of groups) {
    const inner = g.rest.length === 1 ? g.rest[0]!.m : undefined;
    // The first term's coefficient goes in front: -(1/2) A(A x + β + g(x)).
    g.rest.sort((a, b) => a.m.fs.length - b.m.fs.length || byKey({ key: readingKey(a.m) }, { key: readingKey(b.m) }));
    const c = g.rest.length === 1 ? g.rest[0]!.c : commonFactor(g.rest.map((r) => r.c));
    const innerText = inner ? monoOut(inner, n, tex) : sumText(g.rest.map((r) => ({ c: divR(r.c, c), x: r.m })), (m) => monoOut(m, n, tex), tex);
    if (key.startsWith('#')) {
      const f = g.head[0] as Extract<Factor, { kind: 'mat' }>;
      if (inner) parts.push({ c, x: factorOut(mat(f.name, f.s, inner), n, tex) });
      else {
        const name = matName(f, n, tex);
        parts.push({ c, x: tex ? `${name}\\left(${innerText}\\right)` : `${name}(${innerText})` });
      }
      continue;
    }
    if (g.head.length === 0) { for (const r of g.rest) parts.push({ c: r.c, x: monoOut(r.m, n, tex) }); continue; }
    const head = monoOut(mono(g.head), n, tex);
    const emptyRest = inner && inner.fs.length === 0;
    const joined = emptyRest ? head : inner ? `${head}${tex ? ' \\odot ' : ' ⊙ '}${innerText}`
      : `${head}${tex ? ' \\odot \\left(' : ' ⊙ ('}${innerText}${tex ? '\\right)' : ')'}`;
    parts.push({ c, x: joined });
  }
  return sumText(parts, (s) => s, tex);
}

/**
 * The factor printed in front of a collected sum: the first coefficient, or the smallest one in
 * absolute value (with the first one's sign), when every coefficient is an integer multiple of it.
 */
function commonFactor(cs: readonly Rat[]): Rat {
  const integral = (c: Rat): boolean => cs.every((x) => isIntegerR(divR(x, c)));
  const first = cs[0]!;
  if (integral(first)) return first;
  const min = cs.reduce((m, x) => (toNumber(absR(x)) < toNumber(absR(m)) ? x : m));
  const signed = signR(first) > 0 ? absR(min) : negR(absR(min));
  return integral(signed) ? signed : ONE;
}

/** Terms in reading order: fewer factors first, then x, matrices, vectors, functions (A x + β + g(x)). */
export function sortedField(v: VField): { c: Rat; m: Mono }[] {
  return [...v.values()].sort((a, b) => a.m.fs.length - b.m.fs.length || byKey({ key: readingKey(a.m) }, { key: readingKey(b.m) }));
}
const RANK = { x: 0, mat: 1, vec: 2, fn: 3 } as const;
function readingKey(m: Mono): string {
  return m.fs.map((f) => `${RANK[f.kind]}${f.kind === 'mat' ? readingKey(f.arg) : f.key}`).sort().join('|');
}

// ---------------------------------------------------------------------------------------------
// Componentwise value at a dimension d

export interface Instance {
  /** State symbols x1…xd. */
  xs: readonly string[];
  /** Named vectors, componentwise (functions of t allowed). */
  vecs: ReadonlyMap<string, P.Poly[]>;
  /** Named matrices, row-major entries. */
  mats: ReadonlyMap<string, P.Poly[][]>;
  /** φ^{(j)} applied to the i-th component w_i. */
  fnValue(name: string, j: number, i: number, w: P.Poly): P.Poly;
  t: string;
}

/** The components of a field for concrete d, A, β, functions. */
export function fieldValue(v: VField, I: Instance): P.Poly[] {
  const d = I.xs.length;
  const memoF = new Map<string, P.Poly[]>();
  const dt = (p: P.Poly, s: number): P.Poly => { for (let k = 0; k < s; k++) p = P.d(p, I.t); return p; };
  const factor = (f: Factor): P.Poly[] => {
    let out = memoF.get(f.key);
    if (out) return out;
    switch (f.kind) {
      case 'x': out = I.xs.map((x) => P.symbol(x)); break;
      case 'vec': out = I.vecs.get(f.name)!.map((p) => dt(p, f.s)); break;
      case 'fn': { const w = fieldValue(f.arg, I); out = w.map((wi, i) => I.fnValue(f.name, f.j, i, wi)); break; }
      case 'mat': {
        const M = I.mats.get(f.name)!, u = monoValue(f.arg);
        out = M.map((row) => P.add(...row.map((mij, j) => P.mul(dt(mij, f.s), u[j]!))));
        break;
      }
    }
    memoF.set(f.key, out);
    return out;
  };
  const monoValue = (m: Mono): P.Poly[] => m.fs.reduce((acc, f) => { const u = factor(f); return acc.map((a, i) => P.mul(a, u[i]!)); },
    Array.from({ length: d }, () => P.one()));
  let out = Array.from({ length: d }, () => P.zero());
  for (const { c, m } of v.values()) {
    const u = monoValue(m);
    out = out.map((o, i) => P.add(o, P.scale(u[i]!, c)));
  }
  return out;
}

