import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import * as V from '../../src/symbolic/vector/algebra.ts';
import { componentwise, deriveVector, ffCoefficients, modifiedTrees, residualCoefficients, sameFields, vectorInstance } from '../../src/symbolic/vector/derive-vector.ts';
import { modifiedTerms } from '../../src/symbolic/vector/recursion.ts';
import { tree, treeSumText, treeSumValue, type TreeSum } from '../../src/symbolic/vector/trees.ts';
import { vectorTeX } from '../../src/symbolic/vector/report.ts';
import type { LayerSpec } from '../../src/symbolic/layers.ts';
import * as P from '../../src/symbolic/poly.ts';
import { rat } from '../../src/symbolic/rational.ts';

const ctxConst = { timeDependent: () => false };
const x = V.factorField(V.X);
const Ax = V.apply('A', 0, x);
const beta = V.factorField(V.vec('beta'));
const g = (j: number) => V.factorField(V.fn('g', j, x));
/** DF₁·v = A v + g′(x) ⊙ v, written from the maths (DF₁ = A + diag g′(x)). */
const DF1 = (v: V.VField) => V.add(V.apply('A', 0, v), V.hadamard(g(1), v));

/** Does the vector form f (and F) equal the componentwise engine at this layer? */
function agrees(spec: LayerSpec, order: number, F: V.VField[], f: V.VField[]): boolean {
  const c = componentwise(spec, order);
  const { instance } = vectorInstance(spec);
  return sameFields(F, c.F, instance) && sameFields(f, c.f, instance);
}

test('FF generic g: F₂ = g′(x) ⊙ (Ax + β) and f₂ = F₂ − ½ DF₁·F₁, DF₁ = A + diag g′(x) (written from the maths), exact at d = 1…4', () => {
  const F1 = V.add(Ax, beta, g(0));
  const F2 = V.hadamard(g(1), V.add(Ax, beta));
  const f2 = V.add(F2, V.scale(DF1(F1), rat(-1, 2)));
  const F = ffCoefficients(2, false);
  assert.is(V.fieldKey(F[0]!), V.fieldKey(F1));
  assert.is(V.fieldKey(F[1]!), V.fieldKey(F2));
  const f = modifiedTerms(F, V.vectorAlgebra(ctxConst));
  assert.is(V.fieldKey(f[1]!), V.fieldKey(f2));
  for (const dim of [1, 2, 3, 4]) assert.ok(agrees({ layer: 'ff', g: 'generic', dim }, 2, [F1, F2], [F1, f2]), `d = ${dim}`);
});

test('FF generic g, orders 3 and 4: the vector form equals the componentwise engine exactly at d = 1…4 (symbolic A, β)', () => {
  const F4 = ffCoefficients(4, false);
  const f4 = modifiedTerms(F4, V.vectorAlgebra(ctxConst));
  for (const dim of [1, 2, 3, 4]) assert.ok(agrees({ layer: 'ff', g: 'generic', dim }, 4, F4, f4), `order 4, d = ${dim}`);
  const F = ffCoefficients(3, false);
  const f = modifiedTerms(F, V.vectorAlgebra(ctxConst));
  // F₃ = ½ g″(x) ⊙ (Ax + β)^⊙2 from the maths
  const u = V.add(Ax, beta);
  assert.is(V.fieldKey(F[2]!), V.fieldKey(V.scale(V.hadamard(g(2), V.hadamard(u, u)), rat(1, 2))));
  for (const dim of [1, 2, 3, 4]) assert.ok(agrees({ layer: 'ff', g: 'generic', dim }, 3, F, f), `d = ${dim}`);
});

test('control: one wrong coefficient in the vector form is detected at every d = 1…4', () => {
  const F = ffCoefficients(3, false);
  const f = modifiedTerms(F, V.vectorAlgebra(ctxConst));
  // f₂ with −1/3 instead of −1/2 on DF₁·F₁
  const bad2 = V.add(F[1]!, V.scale(DF1(F[0]!), rat(-1, 3)));
  // f₃ with the coefficient of its g″(x) ⊙ β^⊙2 term doubled
  const key = [...f[2]!.values()].find((e) => e.m.fs.some((q) => q.kind === 'fn' && q.j === 2) && e.m.fs.filter((q) => q.kind === 'vec').length === 2)!;
  const bad3 = V.add(f[2]!, V.fieldOf([key.c, key.m.fs]));
  for (const dim of [1, 2, 3, 4]) {
    const spec: LayerSpec = { layer: 'ff', g: 'generic', dim };
    assert.not.ok(agrees(spec, 3, F, [f[0]!, bad2, f[2]!]), `f2 control at d = ${dim}`);
    assert.not.ok(agrees(spec, 3, F, [f[0]!, f[1]!, bad3]), `f3 control at d = ${dim}`);
  }
});

test('FF with concrete g (tanh) and β(t): f₂ = F₂ − ½ DF₁·F₁ − ½ β′(t), exact at d = 1, 2, 3', () => {
  const ctx = { timeDependent: (n: string) => n === 'beta' };
  const F = ffCoefficients(3, false);
  const f = modifiedTerms(F, V.vectorAlgebra(ctx));
  const f2 = V.add(F[1]!, V.scale(DF1(F[0]!), rat(-1, 2)), V.scale(V.factorField(V.vec('beta', 1)), rat(-1, 2)));
  assert.is(V.fieldKey(f[1]!), V.fieldKey(f2));
  const betas = ['sin(t)', 'sin(t); t^2', 'sin(t); t^2; b3*cos(2*t)'];
  betas.forEach((b, i) => assert.ok(agrees({ layer: 'ff', g: 'tanh(z)', dim: i + 1, beta: b }, 3, F, f), `d = ${i + 1}`));
});

test('residual layer: f₂ = −½ σ′(Ax + b) ⊙ A σ(Ax + b) (from the maths), vector form exact at d = 1…3 to order 3', () => {
  const F = residualCoefficients(3);
  const f = modifiedTerms(F, V.vectorAlgebra(ctxConst));
  const w = V.add(Ax, V.factorField(V.vec('b')));
  const s = (j: number) => V.factorField(V.fn('σ', j, w));
  assert.is(V.fieldKey(f[1]!), V.fieldKey(V.scale(V.hadamard(s(1), V.apply('A', 0, s(0))), rat(-1, 2))));
  for (const dim of [1, 2, 3]) assert.ok(agrees({ layer: 'residual', dim }, 3, F, f), `d = ${dim}`);
});

test('tree form: explicit Euler (F₂ = F₃ = 0) gives HLW IX.1: f₂ = −½ f′f, f₃ = 1/12 f″(f,f) + 1/3 f′f′f', () => {
  const [, f2, f3] = modifiedTrees(3, false);
  const drop = (s: TreeSum): string => treeSumText(new Map([...s].filter(([, e]) => !/F[23]/.test(e.t.key))));
  assert.is(drop(f2!), "-(1/2) F1'·F1");
  const F1 = tree('F1', 0);
  const expected: TreeSum = new Map();
  for (const [t, c] of [[tree('F1', 0, [F1, F1]), rat(1, 12)], [tree('F1', 0, [tree('F1', 0, [F1])]), rat(1, 3)]] as const) expected.set(t.key, { c, t });
  assert.is(drop(f3!), treeSumText(expected));
  // and with t: f₂ = F₂ − ½ F₁′F₁ − ½ ∂t F₁
  assert.is(treeSumText(modifiedTrees(2, true)[1]!), "F2 - (1/2) F1'·F1 - (1/2) ∂t F1");
});

test('derive --vector API: text, TeX (KaTeX-clean) and its check at the layer\'s d', () => {
  const v = deriveVector({ layer: 'ff', g: 'generic', dim: 2 }, 3);
  assert.ok(v.check.agree);
  assert.is(v.coefficients!.text[1], "g'(x) ⊙ (A x + β)");
  assert.is(v.modified!.text[1], "-(1/2) A(A x + β + g(x)) + (1/2) g'(x) ⊙ (A x + β - g(x))");
  for (const e of vectorTeX(v, 80)) katex.renderToString(e, { throwOnError: true, displayMode: true });
  const m = deriveVector({ layer: 'map', map: 'x1 + eps*tanh(x2) + eps^2*x1^2; x2 - eps*x1' }, 3);
  assert.ok(m.check.agree);
  assert.is(m.coefficients, undefined);
  assert.is(m.trees.text[1], "F2 - (1/2) F1'·F1");
});
test('A(t) and β(t): ∂t A enters as A′(t) x (f₂ = F₂ − ½ DF₁·F₁ − ½ (A′(t) x + β′(t))), exact at d = 2', () => {
  const ctx = { timeDependent: (n: string) => n === 'A' || n === 'beta' };
  const F = ffCoefficients(3, false);
  const f = modifiedTerms(F, V.vectorAlgebra(ctx));
  const dtF1 = V.add(V.apply('A', 1, x), V.factorField(V.vec('beta', 1)));
  assert.is(V.fieldKey(f[1]!), V.fieldKey(V.add(F[1]!, V.scale(DF1(F[0]!), rat(-1, 2)), V.scale(dtF1, rat(-1, 2)))));
  const spec: LayerSpec = { layer: 'ff', g: 'tanh(z)', A: 'sin(t), a12; 0, a22', beta: 'cos(t); b2' };
  assert.ok(agrees(spec, 3, F, f));
  // control: the same fields read with A constant miss the A′(t) x terms
  assert.not.ok(agrees(spec, 3, F, modifiedTerms(F, V.vectorAlgebra({ timeDependent: (n: string) => n === 'beta' }))));
  assert.ok(deriveVector(spec, 3).check.agree);
});

test('control: a wrong coefficient in the tree form (1/12 → 1/6 on F1″(F1, F1)) is detected by the componentwise comparison at d = 1, 2, 3', () => {
  const trees = modifiedTrees(3, false);
  const F1 = tree('F1', 0), bushy = tree('F1', 0, [F1, F1]);
  assert.equal(trees[2]!.get(bushy.key)!.c, rat(1, 12));
  const bad: TreeSum = new Map(trees[2]!);
  bad.set(bushy.key, { c: rat(1, 6), t: bushy });
  for (const dim of [1, 2, 3]) {
    const c = componentwise({ layer: 'ff', g: 'tanh(z)', dim }, 3);
    const fields = new Map(c.F.map((v, j) => [`F${j + 1}`, v]));
    const same = (s: TreeSum): boolean => treeSumValue(s, fields, c.xs, 't').every((p, i) => P.equal(p, c.f[2]![i]!));
    assert.ok(same(trees[2]!), `d = ${dim}`);
    assert.not.ok(same(bad), `control at d = ${dim}`);
  }
});

test.run();
