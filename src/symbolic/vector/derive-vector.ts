/**
 * The continuum limit in vector notation, valid for every d (derive --vector):
 * - FF layer x⁺ = σ_ε(W x + εβ), W = I + εA (+ ε²B), σ_ε = id + εg elementwise. With
 *   δ = z − x = ε(Ax + β) + ε²Bx, g(z) = Σ_j g^{(j)}(x) ⊙ δ^{⊙j}/j!, so
 *     F_1 = Ax + β + g(x),   F_k = [ε^k]δ + Σ_{j<k} g^{(j)}(x) ⊙ [ε^{k−1}]δ^{⊙j}/j!
 *   (without B: F_k = g^{(k−1)}(x) ⊙ (Ax + β)^{⊙(k−1)}/(k−1)!, k ≥ 2);
 * - residual layer x⁺ = x + ε σ(Ax + b): F_1 = σ(Ax + b), F_k = 0 for k ≥ 2;
 * - any map: f_k through elementary differentials of F_1…F_k (trees.ts).
 * f_k follows by the recursion of recursion.ts in the vector algebra (algebra.ts). The result is
 * checked every run: instantiated at the layer's d with its A, β and g, expanded, it must equal
 * the componentwise engine's F_k and f_k exactly (canonical polynomial form), and so must the
 * tree form evaluated on the componentwise F_j.
 */
import { UserError } from '../../util/errors.ts';
import { jetName, taylorCoefficients } from '../derive.ts';
import { buildLayer, layerDimension, parseMatrix, parseMatrixB, parseVector, stateVarsOf, TIME, type LayerSpec } from '../layers.ts';
import { modifiedEquation } from '../modified.ts';
import { parseExpression } from '../parse.ts';
import * as P from '../poly.ts';
import { ONE, rat } from '../rational.ts';
import { polyOf } from '../series.ts';
import * as V from './algebra.ts';
import { modifiedTerms } from './recursion.ts';
import { buildRungeKuttaMap, RK_LAYERS, rungeKuttaTrees, type RungeKuttaKind } from './runge-kutta.ts';
import { single, tree, treeAlgebra, treeSumTeX, treeSumText, treeSumValue, type TreeSum } from './trees.ts';

/**
 * A layer's expansion in vector notation (valid for every d) and through elementary
 * differentials, with its exact check against the componentwise engine.
 */
export interface VectorForm {
  /** What the symbols mean, one line. */
  legend: string;
  /** F_1…F_k and f_1…f_k in vector notation (FF and residual layers). */
  coefficients?: { text: string[]; tex: string[] };
  modified?: { text: string[]; tex: string[] };
  /** f_1…f_k through elementary differentials of F_1…F_k (any map). */
  trees: { text: string[]; tex: string[] };
  /** The exact comparison with the componentwise engine at the layer's own d. */
  check: { d: number; agree: boolean; detail: string };
}

/** f_1…f_k as trees in F_1…F_k for a map that depends on t or not. */
export function modifiedTrees(order: number, timeDependent: boolean): TreeSum[] {
  const F = Array.from({ length: order }, (_, j) => single(tree(`F${j + 1}`, 0)));
  return modifiedTerms(F, treeAlgebra(() => timeDependent));
}

/** Series of vector fields: index r holds the ε^r coefficient. */
type VSeries = V.VField[];
function mulVSeries(a: VSeries, b: VSeries, K: number): VSeries {
  return Array.from({ length: K + 1 }, (_, r) => V.add(...Array.from({ length: r + 1 }, (_, s) => V.hadamard(a[s] ?? new Map(), b[r - s] ?? new Map()))));
}

/** F_1…F_k of the FF layer (B optional) in vector notation. */
export function ffCoefficients(order: number, withB: boolean): V.VField[] {
  const u0 = V.add(V.apply('A', 0, V.factorField(V.X)), V.factorField(V.vec('beta')));
  const delta: VSeries = [new Map(), u0, withB ? V.apply('B', 0, V.factorField(V.X)) : new Map()];
  const F: V.VField[] = [];
  let power: VSeries = [V.fieldOf([ONE, []])]; // δ^{⊙0} = 1
  const powers: VSeries[] = [power];
  for (let j = 1; j < order; j++) { power = mulVSeries(power, delta, order); powers.push(power); }
  let fact = 1;
  const gj = powers.map((_, j) => { if (j > 0) fact *= j; const c = rat(1, fact); return (r: number) => V.scale(V.hadamard(V.factorField(V.fn('g', j, V.factorField(V.X))), powers[j]![r] ?? new Map()), c); });
  for (let k = 1; k <= order; k++) {
    const terms = [delta[k] ?? new Map()];
    for (let j = 0; j < k; j++) terms.push(gj[j]!(k - 1));
    F.push(V.add(...terms));
  }
  return F;
}

/** F_1 = σ(Ax + b), F_k = 0 (k ≥ 2). */
export function residualCoefficients(order: number): V.VField[] {
  const w = V.add(V.apply('A', 0, V.factorField(V.X)), V.factorField(V.vec('b')));
  return Array.from({ length: order }, (_, j) => (j === 0 ? V.factorField(V.fn('σ', 0, w)) : new Map()));
}

const polyText = (s: string, what: string): P.Poly => polyOf(parseExpression(s, { what }));

/** Vector fields equal componentwise ones exactly (canonical polynomial form) at an instance. */
export function sameFields(vs: readonly V.VField[], cs: readonly P.Poly[][], instance: V.Instance): boolean {
  return vs.every((v, j) => V.fieldValue(v, instance).every((c, i) => P.equal(c, cs[j]![i]!)));
}

/**
 * The concrete d, A, β (or b), B and g (or σ) of an FF or residual layer spec, to instantiate a
 * vector form; ctx says which of A, B, β depend on t.
 */
export function vectorInstance(spec: LayerSpec): { instance: V.Instance; ctx: V.VectorContext; withB: boolean } {
  const layer = { kind: spec.layer };
  const xs = stateVarsOf(layerDimension(spec));
  const d = xs.length;
  if (layer.kind === 'ff' && spec.g !== undefined && /\bt\b/.test(spec.g)) throw new UserError('--vector: g must be a function of z alone (the vector form writes g^(j)(x) elementwise)');
  const Aentries = parseMatrix(spec.A, d, '--A').map((r) => r.map((s) => polyText(s, '--A')));
  const bentries = parseVector(spec.beta, d, '--beta').map((s) => polyText(s, '--beta'));
  const mats = new Map<string, P.Poly[][]>([['A', Aentries]]);
  const withB = layer.kind === 'ff' && spec.B !== undefined;
  if (withB) mats.set('B', parseMatrixB(spec.B!, d).map((r) => r.map((s) => polyText(s, '--B'))));
  const vecName = layer.kind === 'ff' ? 'beta' : 'b';
  const depends = (p: P.Poly): boolean => P.dependsOn(p, TIME);
  const timeDep = new Set<string>();
  for (const [name, M] of mats) if (M.flat().some(depends)) timeDep.add(name);
  if (bentries.some(depends)) timeDep.add(vecName);
  const ctx = { timeDependent: (name: string) => timeDep.has(name) };

  const gText = (spec.g ?? (layer.kind === 'ff' ? '-gamma*z^3' : 'tanh(z)')).trim();
  const generic = gText === 'generic';
  const gDerivs: P.Poly[] = generic ? [] : [polyText(gText, '--g')];
  const gDeriv = (j: number): P.Poly => { while (gDerivs.length <= j) gDerivs.push(P.d(gDerivs[gDerivs.length - 1]!, 'z')); return gDerivs[j]!; };
  const instance: V.Instance = {
    xs: stateVarsOf(d), vecs: new Map([[vecName, bentries]]), mats, t: TIME,
    fnValue: (_name, j, i, w) => {
      if (generic) {
        if (!P.equal(w, P.symbol(xs[i]!))) throw new Error('generic g away from x');
        return P.symbol(jetName(j, i, d));
      }
      return P.subs(gDeriv(j), new Map([['z', w]]));
    },
  };
  return { instance, ctx, withB };
}

/** F_1…F_k and f_1…f_k of the componentwise engine (no order cap: no verification here). */
export function componentwise(spec: LayerSpec, order: number): { F: P.Poly[][]; f: P.Poly[][]; xs: string[]; timeDependent: boolean } {
  const layer = buildLayer(spec);
  const F = taylorCoefficients(layer, order);
  return { F, f: modifiedEquation(F, layer.stateVars, layer.timeDependent ? TIME : undefined), xs: layer.stateVars, timeDependent: layer.timeDependent };
}


/** Vector form of a layer's expansion, checked against the componentwise engine (see module comment). */
export function deriveVector(spec: LayerSpec, order: number): VectorForm {
  if (!Number.isInteger(order) || order < 1) throw new UserError(`--order must be a positive integer, got ${order}`);
  const layer = buildLayer(spec);
  const { F: Fc, f: fc, xs } = componentwise(spec, order);
  const fTrees = modifiedTrees(order, layer.timeDependent);
  const fields = new Map(Fc.map((v, j) => [`F${j + 1}`, v]));
  const treeOk = fTrees.every((s, j) => treeSumValue(s, fields, xs, TIME).every((c, i) => P.equal(c, fc[j]![i]!)));
  const out: VectorForm = {
    legend: 'F1, F2, ...: the Taylor coefficients of the map; F\' D-derivative in x (a linear map), F\'\'(u, v) the second derivative (bilinear), ∂t the time derivative',
    trees: { text: fTrees.map(treeSumText), tex: fTrees.map(treeSumTeX) },
    check: { d: layer.d, agree: treeOk, detail: treeOk ? 'tree form = componentwise f_k' : 'tree form DIFFERS from componentwise f_k' },
  };
  if ((RK_LAYERS as readonly string[]).includes(layer.kind)) {
    // F_k and f_k through elementary differentials of the field f itself.
    const rk = rungeKuttaTrees(layer.kind as RungeKuttaKind, order, layer.timeDependent);
    const field = new Map([['f', buildRungeKuttaMap(layer.kind as RungeKuttaKind, spec.f, spec.dim, stateVarsOf, () => undefined).field.map((c) => polyText(c, '--f'))]]);
    const same = (ts: TreeSum[], cs: P.Poly[][]): boolean => ts.every((s, j) => treeSumValue(s, field, xs, TIME).every((c, i) => P.equal(c, cs[j]![i]!)));
    const FOk = same(rk.F, Fc), fOk = same(rk.f, fc);
    out.coefficients = { text: rk.F.map(treeSumText), tex: rk.F.map(treeSumTeX) };
    out.modified = { text: rk.f.map(treeSumText), tex: rk.f.map(treeSumTeX) };
    out.legend = `in elementary differentials of the field f: f' its Jacobian, f''(u, v) its second derivative, ∂t the time derivative. ${out.legend}`;
    const agree = FOk && fOk && treeOk;
    out.check = {
      d: layer.d, agree,
      detail: agree ? `at d = ${layer.d} with this f, the elementary-differential forms equal the componentwise F_1..F_${order} and f_1..f_${order} exactly`
        : `at d = ${layer.d}: ${[!FOk && 'F_k in f', !fOk && 'f_k in f', !treeOk && 'f_k in F'].filter(Boolean).join(', ')} DIFFER from the componentwise engine`,
    };
    return out;
  }
  if (layer.kind !== 'ff' && layer.kind !== 'residual') return out;

  const { instance, ctx, withB } = vectorInstance(spec);
  const d = layer.d;
  const F = layer.kind === 'ff' ? ffCoefficients(order, withB) : residualCoefficients(order);
  const f = modifiedTerms(F, V.vectorAlgebra(ctx));
  const FOk = sameFields(F, Fc, instance), fOk = sameFields(f, fc, instance);
  const notation: V.Notation = {
    vecText: (n) => (n === 'beta' ? 'β' : n), vecTeX: (n) => (n === 'beta' ? '\\beta' : n),
    fnTeX: (n) => (n === 'σ' ? '\\sigma' : n), matTeX: (n) => n, timeDependent: ctx.timeDependent,
  };
  out.coefficients = { text: F.map((v) => V.fieldOut(v, notation, false)), tex: F.map((v) => V.fieldOut(v, notation, true)) };
  out.modified = { text: f.map((v) => V.fieldOut(v, notation, false)), tex: f.map((v) => V.fieldOut(v, notation, true)) };
  out.legend = `${layer.kind === 'ff' ? 'g^(j)(x): the j-th derivative of g applied elementwise' : 'σ^(j)(Ax + b): the j-th derivative of the activation σ applied elementwise'}; ⊙ the elementwise product, u^⊙k its power; A v matrix times vector. ${out.legend}`;
  const agree = FOk && fOk && treeOk;
  out.check = {
    d, agree,
    detail: agree ? `at d = ${d} with this layer's A, ${layer.kind === 'ff' ? 'β' : 'b'} and ${layer.kind === 'ff' ? 'g' : 'σ'}, the vector form and the tree form equal the componentwise F_1..F_${order} and f_1..f_${order} exactly`
      : `at d = ${d}: ${[!FOk && 'vector F_k', !fOk && 'vector f_k', !treeOk && 'tree f_k'].filter(Boolean).join(', ')} DIFFER from the componentwise engine`,
  };
  return out;
}
