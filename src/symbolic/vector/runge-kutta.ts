/**
 * Residual blocks with Runge–Kutta structure: one step of an explicit RK method (Heun, explicit
 * midpoint, classical RK4; the tableaus of src/numeric/schemes) applied to a field f(x, t),
 *   Y_i = x + ε Σ_{j<i} a_ij k_j,  k_i = f(Y_i, t + c_i ε),  x⁺ = x + ε Σ b_i k_i,
 * as a layer map (componentwise engine), and its expansion through elementary differentials of
 * f: the stages are ε-series of trees, k_i = Σ_{m,s} (c_i ε)^s/(m! s!) ∂_t^s f^{(m)}(δ_i, …, δ_i),
 * δ_i = Y_i − x, so F_j = Σ_i b_i [ε^{j−1}] k_i and f_k follows by the modified-equation
 * recursion. For a method of order p the first correction is the local error,
 * f_{p+1} = Σ_{|τ| = p+1} (Φ(τ) − 1/γ(τ))/σ(τ) F(τ) (Hairer–Lubich–Wanner, Geometric Numerical
 * Integration, IX.1 and III.1), which the tests check for Heun, midpoint and RK4.
 */
import { ConstantNode, OperatorNode, ParenthesisNode, SymbolNode, type MathNode } from '../mathjs.ts';
import { UserError } from '../../util/errors.ts';
import { HEUN } from '../../numeric/schemes/heun.ts';
import { MIDPOINT } from '../../numeric/schemes/midpoint.ts';
import { RK4 } from '../../numeric/schemes/rk4.ts';
import type { Tableau } from '../../numeric/schemes/rk.ts';
import { classifySymbols, parametersOf, type Role } from '../names.ts';
import { exprText, parseExpression, substitute } from '../parse.ts';
import { isZeroR, mulR, powIntR, rat, ratText, type Rat } from '../rational.ts';
import { texOf, texVector } from '../render.ts';
import { polyOf } from '../series.ts';
import { modifiedTerms } from './recursion.ts';
import { nodeOf, treeAlgebra, type TreeSum } from './trees.ts';

/** A Runge–Kutta block as a layer: one step of that method applied to a field f(x, t). */
export type RungeKuttaKind = 'heun' | 'midpoint' | 'rk4';
export const RK_LAYERS: readonly RungeKuttaKind[] = ['heun', 'midpoint', 'rk4'];
const TABLEAUS: Record<RungeKuttaKind, Tableau> = { heun: HEUN, midpoint: MIDPOINT, rk4: RK4 };

export interface ExactTableau { name: string; order: number; a: Rat[][]; b: Rat[]; c: Rat[] }

/** The rational a double holds when its denominator is at most 1000 (1/6, 1/3, 0.5): refused otherwise. */
function exactOf(v: number): Rat {
  for (let q = 1; q <= 1000; q++) {
    const p = Math.round(v * q);
    if (p / q === v) return rat(p, q);
  }
  throw new Error(`tableau entry ${v} is not a small rational`);
}

export function exactTableau(kind: RungeKuttaKind): ExactTableau {
  const t = TABLEAUS[kind];
  return {
    name: t.name, order: t.order, b: t.b.map(exactOf), c: t.c.map(exactOf),
    a: t.b.map((_, i) => t.b.map((__, j) => (j < i ? exactOf(t.a[i]?.[j] ?? 0) : rat(0)))),
  };
}

/**
 * F_1…F_K and f_1…f_K of the block as trees in the field 'f' (timeDependent: f depends on t).
 */
export function rungeKuttaTrees(kind: RungeKuttaKind, K: number, timeDependent: boolean): { F: TreeSum[]; f: TreeSum[] } {
  const tab = exactTableau(kind);
  const alg = treeAlgebra(() => timeDependent);
  const s = tab.b.length;
  const zeroSeries = (): TreeSum[] => Array.from({ length: K }, () => alg.zero());
  const k: TreeSum[][] = []; // k[i][r] = [ε^r] k_i, r < K
  for (let i = 0; i < s; i++) {
    // δ_i[r] = Σ_j a_ij k_j[r−1]
    const delta = zeroSeries();
    for (let r = 1; r < K; r++) for (let j = 0; j < i; j++) if (!isZeroR(tab.a[i]![j]!)) delta[r] = alg.add(delta[r]!, alg.scale(k[j]![r - 1]!, tab.a[i]![j]!));
    const ki = zeroSeries();
    let mFact = 1;
    for (let m = 0; m < K; m++) {
      if (m > 0) mFact *= m;
      // f^{(m)}(δ, …, δ) at ε^r: all compositions r = r_1 + … + r_m, r_l ≥ 1.
      const compositions = (left: number, parts: number): number[][] => (parts === 0 ? (left === 0 ? [[]] : [])
        : Array.from({ length: Math.max(0, left - parts + 1) }, (_, q) => q + 1).flatMap((r1) => compositions(left - r1, parts - 1).map((rest) => [r1, ...rest])));
      let sFact = 1;
      for (let sd = 0; sd < K; sd++) {
        if (sd > 0) sFact *= sd;
        if (sd > 0 && (!timeDependent || isZeroR(tab.c[i]!))) break;
        const coef = mulR(powIntR(tab.c[i]!, sd), rat(1, mFact * sFact));
        for (let r = m; r + sd < K; r++) {
          for (const comp of compositions(r, m)) {
            const term = nodeOf('f', sd, comp.map((rl) => delta[rl]!));
            ki[r + sd] = alg.add(ki[r + sd]!, alg.scale(term, coef));
          }
        }
      }
    }
    k.push(ki);
  }
  const F = Array.from({ length: K }, (_, j) => tab.b.reduce((acc, bi, i) => alg.add(acc, alg.scale(k[i]![j]!, bi)), alg.zero()));
  return { F, f: modifiedTerms(F, alg) };
}

export interface RungeKuttaMap {
  d: number; stateVars: string[]; nodes: MathNode[]; params: string[]; timeDependent: boolean;
  description: string; tex: string; field: string[];
}

const num = (q: Rat): MathNode => {
  const [p, d] = q as readonly [number, number];
  return d === 1 ? new ConstantNode(p) : new ParenthesisNode(new OperatorNode('/', 'divide', [new ConstantNode(p), new ConstantNode(d)]));
};
const bin = (o: string, fn: string, a: MathNode, b: MathNode): MathNode => new OperatorNode(o as '+', fn as 'add', [a, b]);

/** The block's map Φ_ε componentwise, built by substituting parsed trees (never text). */
export function buildRungeKuttaMap(kind: RungeKuttaKind, fText: string | undefined, dim: number | undefined, stateVarsOf: (d: number) => string[], reserved: (s: string) => string | undefined): RungeKuttaMap {
  if (fText === undefined || fText.trim() === '') throw new UserError(`--layer ${kind} needs --f "f1; f2; ...": the field f(x, t) the block steps`);
  const comps = fText.split(';').map((c) => c.trim()).filter((c) => c !== '');
  const d = comps.length;
  if (dim !== undefined && dim !== d) throw new UserError(`--f has ${d} component(s) but --dim is ${dim}`);
  const xs = stateVarsOf(d);
  const roles = new Map<string, Role>();
  const f = comps.map((c, i) => {
    const what = `--f component ${i + 1}`;
    const node = parseExpression(c, { what });
    for (const [s, r] of classifySymbols(node, c, { what, allows: `the field is written in ${xs.join(', ')}, t and parameters`, state: xs, t: true, reserved })) roles.set(s, r);
    return node;
  });
  const tab = exactTableau(kind);
  const eps = new SymbolNode('eps'), t = new SymbolNode('t');
  const k: MathNode[][] = [];
  for (let i = 0; i < tab.b.length; i++) {
    const values = new Map<string, MathNode>();
    xs.forEach((x, m) => {
      const incr = k.map((kj, j) => (isZeroR(tab.a[i]![j]!) ? undefined : bin('*', 'multiply', num(tab.a[i]![j]!), new ParenthesisNode(kj[m]!)))).filter((n): n is MathNode => n !== undefined);
      values.set(x, incr.length === 0 ? new SymbolNode(x) : bin('+', 'add', new SymbolNode(x), bin('*', 'multiply', eps, new ParenthesisNode(incr.reduce((a, b) => bin('+', 'add', a, b))))));
    });
    if (!isZeroR(tab.c[i]!)) values.set('t', bin('+', 'add', t, bin('*', 'multiply', num(tab.c[i]!), eps)));
    k.push(f.map((fm) => substitute(fm, values)));
  }
  const nodes = xs.map((x, m) => bin('+', 'add', new SymbolNode(x), bin('*', 'multiply', eps, new ParenthesisNode(
    k.map((ki, i) => (isZeroR(tab.b[i]!) ? undefined : bin('*', 'multiply', num(tab.b[i]!), new ParenthesisNode(ki[m]!)))).filter((n): n is MathNode => n !== undefined)
      .reduce((a, b) => bin('+', 'add', a, b))))));
  const X = d === 1 ? 'x' : '\\mathbf{x}';
  const stage = (i: number): string => `k_{${i + 1}} = f\\left(${X}${k.slice(0, i).map((_, j) => (isZeroR(tab.a[i]![j]!) ? '' : ` + ${ratTeX(tab.a[i]![j]!)}\\varepsilon k_{${j + 1}}`)).join('')}${isZeroR(tab.c[i]!) ? ', t' : `, t + ${ratTeX(tab.c[i]!)}\\varepsilon`}\\right)`;
  const tex = `${X}^{+} = ${X} + \\varepsilon \\left(${tab.b.map((b, i) => (isZeroR(b) ? '' : `${ratTeX(b)} k_{${i + 1}}`)).filter(Boolean).join(' + ')}\\right),\\quad ${tab.b.map((_, i) => stage(i)).join(',\\ ')},\\quad f = ${texVector(f.map((n) => texOf(polyOf(n))))}`;
  return {
    d, stateVars: xs, nodes, params: parametersOf(roles), timeDependent: roles.has('t'), field: f.map(exprText),
    description: `${kind} block of the field f = (${comps.join('; ')}): x+ = x + eps (${tab.b.map((b, i) => (isZeroR(b) ? '' : `${ratText(b)} k${i + 1}`)).filter(Boolean).join(' + ')}), order ${tab.order}, d = ${d}`,
    tex,
  };
}

const ratTeX = (q: Rat): string => (q[1] === 1 ? (q[0] === 1 ? '' : `${q[0]}`) : `\\tfrac{${q[0]}}{${q[1]}}`);
