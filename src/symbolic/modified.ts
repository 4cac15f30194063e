/**
 * The modified equation of a one-step map, and its independent check by elementary
 * differentials.
 *
 * A map Φ_ε(x, t) = x + Σ_{j≥1} ε^j F_j(x, t), applied at t_n = nε, is autonomous after adding
 * t as a state with dt/ds = 1. We seek f_ε = f_1 + ε f_2 + … + ε^{k−1} f_k whose time-ε flow
 * matches Φ_ε to O(ε^{k+1}). The flow is the Lie series
 *   exp(ε L_f) id = Σ_n ε^n/n! L_f^n id,   L_f φ = Σ_i f^i ∂_i φ + ∂_t φ.
 * With c(n, r) = [ε^r] L_f^n id:  c(1, r) = f_{r+1},
 *   c(n, r) = Σ_{a+b=r} D c(n−1, a) · f_{b+1}   (D·v includes ∂_t when b = 0, since f^t = 1),
 * and matching ε^m:  f_m = F_m − Σ_{n=2}^{m} c(n, m−n)/n!.  c(n, m−n) only involves f_1…f_{m−1},
 * so the recursion is explicit.
 *
 * Independent check (flowSeries): the exact flow by elementary differentials over rooted
 * (Butcher) trees, at every order, with f = f_ε expanded in ε, must reproduce F_1…F_k exactly.
 */
import * as P from './poly.ts';
import { mulSeries, type Series } from './series.ts';

export type Vec = P.Poly[];

/** out += Dφ·v over state vars plus ∂_t φ·vt (vt a constant 0 or 1), in place (P.addInto). */
function addDirectional(out: P.Poly, phi: P.Poly, v: Vec, vars: readonly string[], t: string | undefined, vt: number): void {
  vars.forEach((x, i) => {
    if (!P.isZero(v[i]!)) {
      const dx = P.d(phi, x);
      if (!P.isZero(dx)) P.addProductInto(out, dx, v[i]!);
    }
  });
  if (t && vt) P.addInto(out, P.d(phi, t));
}

/**
 * f_1…f_k from F_1…F_k (each a vector over `vars`).
 *
 * Arguments: F[j−1] = F_j; vars the state symbols; t the time symbol when the map depends on t.
 * Returns f[j−1] = f_j.
 */
export function modifiedEquation(F: Vec[], vars: readonly string[], t?: string): Vec[] {
  const k = F.length;
  const f: Vec[] = [];
  const c = new Map<string, Vec>(); // `${n},${r}` → c(n, r)
  const get = (n: number, r: number): Vec => {
    if (n === 1) return f[r]!;
    const key = `${n},${r}`;
    let v = c.get(key);
    if (!v) {
      const acc = vars.map(() => P.zero());
      for (let a = 0; a <= r; a++) {
        const prev = get(n - 1, a);
        const b = r - a;
        acc.forEach((vi, i) => addDirectional(vi, prev[i]!, f[b]!, vars, t, b === 0 ? 1 : 0));
      }
      v = acc;
      c.set(key, v);
    }
    return v;
  };
  for (let m = 1; m <= k; m++) {
    const fm = F[m - 1]!.map((Fi) => { const o = P.zero(); P.addInto(o, Fi); return o; });
    let fact = 1;
    for (let n = 2; n <= m; n++) {
      fact *= n;
      const cn = get(n, m - n);
      fm.forEach((o, i) => P.addInto(o, cn[i]!, [-1, fact]));
    }
    f.push(fm);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Independent check: the flow by elementary differentials, as ε-series.

type SVec = Series[]; // per component, an ε-series

/**
 * Multilinear derivative f^{(q)}(u_1, …, u_q) of a series vector: all partial derivatives are
 * taken before any contraction, so the directions (which depend on x) are never differentiated:
 *   D(g; u_1…u_q) = Σ_i D(∂_i g; u_1…u_{q−1}) · u_q^i  (+ D(∂_t g; …) when u_q^t = 1).
 */
function derivTerm(f: SVec, dirs: { v: SVec; vt: number }[], vars: readonly string[], t: string | undefined, Kt: number): SVec {
  if (dirs.length === 0) return f;
  const rest = dirs.slice(0, -1);
  const { v, vt } = dirs[dirs.length - 1]!;
  const zero = (): Series => Array.from({ length: Kt + 1 }, () => P.zero());
  let acc: SVec = f.map(zero);
  const addInto = (term: SVec): void => { acc = acc.map((a, i) => a.map((c, j) => P.add(c, term[i]![j]!))); };
  vars.forEach((x, i) => {
    const dfi: SVec = f.map((comp) => comp.map((c) => P.d(c, x)));
    if (dfi.every((comp) => comp.every(P.isZero))) return;
    const inner = derivTerm(dfi, rest, vars, t, Kt);
    addInto(inner.map((comp) => mulSeries(comp, v[i]!)));
  });
  if (t && vt) {
    const dft: SVec = f.map((comp) => comp.map((c) => P.d(c, t)));
    if (!dft.every((comp) => comp.every(P.isZero))) addInto(derivTerm(dft, rest, vars, t, Kt));
  }
  return acc;
}

/** A rooted tree (Butcher): its children, canonical key, order |τ|, symmetry σ(τ) and density γ(τ). */
export interface Tree { children: Tree[]; key: string; order: number; sigma: number; gamma: number }

const LEAF: Tree = { children: [], key: '[]', order: 1, sigma: 1, gamma: 1 };
const treeCache: Tree[][] = [[], [LEAF]];

function treeOf(children: Tree[]): Tree {
  const sorted = children.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const order = 1 + sorted.reduce((s, c) => s + c.order, 0);
  // σ([τ1^m1 … τr^mr]) = Π m_i! σ(τ_i)^m_i,  γ([τ1 … τm]) = |τ| Π γ(τ_i)
  let sigma = 1, gamma = order, run = 0;
  sorted.forEach((c, i) => {
    run = i > 0 && sorted[i - 1]!.key === c.key ? run + 1 : 1;
    sigma *= run * c.sigma;
    gamma *= c.gamma;
  });
  return { children: sorted, key: `[${sorted.map((c) => c.key).join('')}]`, order, sigma, gamma };
}

/** All rooted trees with n vertices (1, 1, 2, 4, 9, 20, 48, 115, 286, … of them): every tree of n − 1 with a leaf grafted anywhere. */
export function treesOfOrder(n: number): Tree[] {
  for (let m = treeCache.length; m <= n; m++) {
    const seen = new Map<string, Tree>();
    const graft = (t: Tree): Tree[] => [
      treeOf([...t.children, LEAF]),
      ...t.children.flatMap((c, i) => graft(c).map((g) => treeOf(t.children.map((o, j) => (j === i ? g : o))))),
    ];
    for (const t of treeCache[m - 1]!) for (const g of graft(t)) if (!seen.has(g.key)) seen.set(g.key, g);
    treeCache.push([...seen.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
  }
  return treeCache[n]!;
}

/**
 * [ε^1 … ε^K] coefficients of the exact time-ε flow of f_ε = Σ ε^{j−1} f_j, minus x, by the
 * B-series of the exact flow (Butcher): flow = x + Σ_τ ε^{|τ|} F(τ)/(σ(τ) γ(τ)) over rooted
 * trees τ, F(•) = f, F([τ1 … τm]) = f^{(m)}(F(τ1), …, F(τm)); through ε⁴ this is
 *   x + εf + ε²/2 f′f + ε³/6 (f″(f,f) + f′f′f) + ε⁴/24 (f‴(f,f,f) + 3 f″(f′f,f) + f′f″(f,f) + f′f′f′f).
 * With t as a state (f^t = 1), the t-component of F(τ) is 1 for τ = • and 0 otherwise.
 */
export function flowSeries(f: Vec[], vars: readonly string[], t: string | undefined, K: number): Vec[] {
  const d = vars.length;
  // f as ε-series per component, truncated at K (f_ε = Σ ε^{j−1} f_j).
  const fs: SVec = Array.from({ length: d }, (_, i) =>
    Array.from({ length: K + 1 }, (_, j) => (j < f.length ? f[j]![i]! : P.zero())));
  // A tree of order p only needs its ε-series through ε^{K−p}: truncate before differentiating.
  const cut = (p: number): SVec => fs.map((comp) => comp.slice(0, K - p + 1));
  const memo = new Map<string, SVec>();
  const elementary = (tau: Tree, p: number): SVec => {
    if (tau.children.length === 0) return cut(p);
    const key = `${tau.key}@${p}`;
    let v = memo.get(key);
    if (!v) {
      const dirs = tau.children.map((c) => (c.children.length === 0 ? { v: cut(p), vt: 1 } : { v: elementary(c, p), vt: 0 }));
      v = derivTerm(cut(p), dirs, vars, t, K - p);
      memo.set(key, v);
    }
    return v;
  };
  const out: Vec[] = Array.from({ length: K }, () => vars.map(() => P.zero()));
  for (let p = 1; p <= K; p++) {
    for (const tau of treesOfOrder(p)) {
      const v = elementary(tau, p), coef: [number, number] = [1, tau.sigma * tau.gamma];
      for (let i = 0; i < d; i++) {
        for (let r = 0; p + r <= K; r++) out[p + r - 1]![i] = P.add(out[p + r - 1]![i]!, P.scale(v[i]![r]!, coef));
      }
    }
  }
  return out;
}
