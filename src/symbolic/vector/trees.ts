/**
 * Elementary differentials (the trees of B-series analysis), labelled: a tree with root label F
 * (a vector field F_j, or the field f of a Runge–Kutta block), ∂_t applied s times and children
 * τ_1…τ_m denotes ∂_t^s F^{(m)}(x, t)[τ_1, …, τ_m], the m-th derivative in x as a symmetric
 * multilinear map applied to the children's values. Children are kept sorted (symmetry), so a
 * tree has one canonical key, and a linear combination of trees (TreeSum) is canonical.
 *
 * Derivatives (Leibniz over the multilinear map, Butcher's grafting):
 *   D(τ)·v = Σ over nodes n of τ: τ with v attached as a new child of n,
 *   ∂_t τ  = Σ over nodes n of τ whose label depends on t: τ with one more ∂_t at n.
 */
import * as P from '../poly.ts';
import { addR, isZeroR, mulR, ONE, rat, ratText, signR, absR, type Rat } from '../rational.ts';
import type { FieldAlgebra } from './recursion.ts';

export interface Tree { readonly label: string; readonly dt: number; readonly children: readonly Tree[]; readonly key: string }
export type TreeSum = Map<string, { c: Rat; t: Tree }>;

export function tree(label: string, dt: number, children: readonly Tree[] = []): Tree {
  const kids = [...children].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const key = `${label}${dt ? `@${dt}` : ''}${kids.length ? `(${kids.map((k) => k.key).join(',')})` : ''}`;
  return { label, dt, children: kids, key };
}

/** Number of nodes; with weights w(label) (F_j ↦ j) and ∂_t counted 1, the ε-order of a tree. */
export function treeOrder(t: Tree, weight: (label: string) => number = () => 1): number {
  return weight(t.label) + t.dt + t.children.reduce((s, c) => s + treeOrder(c, weight), 0);
}

function addInto(out: TreeSum, c: Rat, t: Tree): void {
  const e = out.get(t.key);
  const s = e ? addR(e.c, c) : c;
  if (isZeroR(s)) out.delete(t.key); else out.set(t.key, { c: s, t });
}

export const single = (t: Tree, c: Rat = ONE): TreeSum => new Map([[t.key, { c, t }]]);

/** All trees obtained by attaching u as a new child at one node of t (with multiplicity). */
function graftEverywhere(t: Tree, u: Tree): Tree[] {
  const out = [tree(t.label, t.dt, [...t.children, u])];
  t.children.forEach((ch, i) => {
    for (const g of graftEverywhere(ch, u)) out.push(tree(t.label, t.dt, t.children.map((x, j) => (j === i ? g : x))));
  });
  return out;
}

/** All trees with one more ∂_t at one node whose label depends on t. */
function dtEverywhere(t: Tree, timeDependent: (label: string) => boolean): Tree[] {
  const out = timeDependent(t.label) ? [tree(t.label, t.dt + 1, t.children)] : [];
  t.children.forEach((ch, i) => {
    for (const g of dtEverywhere(ch, timeDependent)) out.push(tree(t.label, t.dt, t.children.map((x, j) => (j === i ? g : x))));
  });
  return out;
}

/** The algebra of TreeSums for the modified-equation recursion. */
export function treeAlgebra(timeDependent: (label: string) => boolean): FieldAlgebra<TreeSum> {
  return {
    zero: () => new Map(),
    add: (a, b) => { const out: TreeSum = new Map(a); for (const { c, t } of b.values()) addInto(out, c, t); return out; },
    scale: (a, c) => { const out: TreeSum = new Map(); if (!isZeroR(c)) for (const e of a.values()) out.set(e.t.key, { c: mulR(e.c, c), t: e.t }); return out; },
    lie: (phi, v, withTime) => {
      const out: TreeSum = new Map();
      for (const p of phi.values()) {
        for (const q of v.values()) for (const g of graftEverywhere(p.t, q.t)) addInto(out, mulR(p.c, q.c), g);
        if (withTime) for (const g of dtEverywhere(p.t, timeDependent)) addInto(out, p.c, g);
      }
      return out;
    },
  };
}

/**
 * ∂_t^s L^{(m)}[v_1, …, v_m] with each v_i a TreeSum: the multilinear expansion into trees,
 * divided by nothing (the caller supplies Taylor factors).
 */
export function nodeOf(label: string, dt: number, args: readonly TreeSum[]): TreeSum {
  let partial: { c: Rat; kids: Tree[] }[] = [{ c: ONE, kids: [] }];
  for (const a of args) {
    const next: { c: Rat; kids: Tree[] }[] = [];
    for (const p of partial) for (const { c, t } of a.values()) next.push({ c: mulR(p.c, c), kids: [...p.kids, t] });
    partial = next;
  }
  const out: TreeSum = new Map();
  for (const p of partial) addInto(out, p.c, tree(label, dt, p.kids));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Printing

const primesText = (m: number): string => (m === 0 ? '' : m <= 3 ? "'".repeat(m) : `^(${m})`);
const primesTeX = (m: number): string => (m === 0 ? '' : m <= 3 ? "'".repeat(m) : `^{(${m})}`);
const dtText = (s: number): string => (s === 0 ? '' : s === 1 ? '∂t ' : `∂t^${s} `);
const dtTeX = (s: number): string => (s === 0 ? '' : s === 1 ? '\\partial_t ' : `\\partial_t^{${s}} `);
/** F1 ↦ F_{1} in TeX. */
const labelTeX = (l: string): string => l.replace(/^([A-Za-z]+)(\d+)$/, '$1_{$2}');

/** F1''(F1, F1), F1'·F2, ∂t F1'·F1: one child reads as a linear map applied (a chain needs no brackets). */
export function treeText(t: Tree): string {
  const head = `${dtText(t.dt)}${t.label}${primesText(t.children.length)}`;
  if (t.children.length === 0) return head;
  if (t.children.length === 1) return `${head}·${treeText(t.children[0]!)}`;
  return `${head}(${t.children.map(treeText).join(', ')})`;
}

export function treeTeX(t: Tree): string {
  const head = `${dtTeX(t.dt)}${labelTeX(t.label)}${primesTeX(t.children.length)}`;
  if (t.children.length === 0) return head;
  if (t.children.length === 1) return `${head}\\,${treeTeX(t.children[0]!)}`;
  return `${head}(${t.children.map(treeTeX).join(', ')})`;
}

/** Terms by number of nodes, then key: deterministic. */
export function sortedTrees(s: TreeSum): { c: Rat; t: Tree }[] {
  return [...s.values()].sort((a, b) => treeOrder(a.t) - treeOrder(b.t) || (a.t.key < b.t.key ? -1 : a.t.key > b.t.key ? 1 : 0));
}

function coefText(c: Rat, tex: boolean): string {
  const a = absR(c);
  if (a[1] === 1 || a[1] === 1n) return a[0] === 1 || a[0] === 1n ? '' : `${a[0]} `;
  return tex ? `\\frac{${a[0]}}{${a[1]}} ` : `(${ratText(a)}) `;
}

/** A linear combination with rational coefficients in front: `F2 - (1/2) F1'·F1 - (1/2) ∂t F1`. */
export function sumText<X>(terms: readonly { c: Rat; x: X }[], text: (x: X) => string, tex = false): string {
  if (terms.length === 0) return '0';
  return terms.map(({ c, x }, i) => {
    const sign = signR(c) < 0 ? (i === 0 ? '-' : ' - ') : i === 0 ? '' : ' + ';
    return `${sign}${coefText(c, tex)}${text(x)}`;
  }).join('');
}

export const treeSumText = (s: TreeSum): string => sumText(sortedTrees(s).map(({ c, t }) => ({ c, x: t })), treeText);
export const treeSumTeX = (s: TreeSum): string => sumText(sortedTrees(s).map(({ c, t }) => ({ c, x: t })), treeTeX, true);

// ---------------------------------------------------------------------------------------------
// Componentwise value

/** Σ_i ∂_{i}(…) — the multilinear derivative of a scalar p applied to directions (all partials first). */
function multilinear(p: P.Poly, dirs: readonly P.Poly[][], vars: readonly string[]): P.Poly {
  if (dirs.length === 0) return p;
  const last = dirs[dirs.length - 1]!, rest = dirs.slice(0, -1);
  return P.add(...vars.map((x, i) => {
    if (P.isZero(last[i]!)) return P.zero();
    const dp = P.d(p, x);
    return P.isZero(dp) ? dp : P.mul(multilinear(dp, rest, vars), last[i]!);
  }));
}

/** The value of a tree sum for concrete fields: label ↦ components over vars (time symbol t). */
export function treeSumValue(s: TreeSum, fields: ReadonlyMap<string, P.Poly[]>, vars: readonly string[], t: string): P.Poly[] {
  const memo = new Map<string, P.Poly[]>();
  const value = (tr: Tree): P.Poly[] => {
    let v = memo.get(tr.key);
    if (v) return v;
    const F = fields.get(tr.label);
    if (!F) throw new Error(`no field for label ${tr.label}`);
    const dirs = tr.children.map(value);
    v = F.map((comp) => {
      let p = comp;
      for (let k = 0; k < tr.dt; k++) p = P.d(p, t);
      return multilinear(p, dirs, vars);
    });
    memo.set(tr.key, v);
    return v;
  };
  let out = vars.map(() => P.zero());
  for (const { c, t: tr } of s.values()) {
    const v = value(tr);
    out = out.map((o, i) => P.add(o, P.scale(v[i]!, c)));
  }
  return out;
}

