import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { derive, compileOde, compileModified } from '../../src/symbolic/derive.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import * as P from '../../src/symbolic/poly.ts';
import { checkIdentity } from '../../src/symbolic/identity.ts';
import { verifyNumerically } from '../../src/symbolic/verify.ts';
import { UserError } from '../../src/util/errors.ts';

const poly = (s: string) => polyOf(parseExpression(s));
const katexOk = (tex: string) => katex.renderToString(tex, { throwOnError: true, displayMode: true });

test('C13: 1-D cubic FF layer, f2 is the stated closed form (exact), verdict proved', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 3);
  assert.is(r.verification.verdict, 'proved');
  const stated = '-a^2*x/2 - a*b/2 - a*gamma*x^3 - (3/2)*b*gamma*x^2 - (3/2)*gamma^2*x^5';
  assert.ok(P.equal(poly(r.modified[1]![0]!), poly(stated)));
  // and by the independent identity checker (two CAS routes + numbers)
  assert.is(checkIdentity(r.modified[1]![0]!, stated).verdict, 'proved');
  assert.ok(P.equal(poly(r.ode[0]!), poly('a*x + b - gamma*x^3')));
  // flow ladder slope ≈ k+1 = 4 (tolerance 0.5: pre-asymptotic curvature)
  assert.ok(r.verification.numeric.flow.slope > 3.5, String(r.verification.numeric.flow.slope));
});

test('generic g, d = 1: F1 = ax + b + g, F2 = g′(ax+b), f2 = g′(ax+b) − ½(a+g′)(ax+b+g)', () => {
  const r = derive({ layer: 'ff', dim: 1, g: 'generic' }, 2);
  assert.is(r.verification.verdict, 'proved');
  assert.ok(P.equal(poly(r.coefficients[1]![0]!), poly('a*x + b + g0')));
  assert.ok(P.equal(poly(r.coefficients[2]![0]!), poly('g1*(a*x+b)')));
  assert.ok(P.equal(poly(r.modified[1]![0]!), poly('g1*(a*x+b) - (a+g1)*(a*x+b+g0)/2')));
  assert.match(r.pretty.modified[1]![0]!, /g'\(x\)/);
});

test('FF d = 2, g = tanh, A and β functions of t: F1 = A(t)x + β(t) + tanh(x), proved with explicit-t terms', () => {
  const r = derive({ layer: 'ff', dim: 2, g: 'tanh(z)', A: 'sin(t), a12; 0, a22', beta: 'cos(t); b2' }, 3);
  assert.ok(r.timeDependent);
  assert.is(r.verification.verdict, 'proved');
  assert.ok(P.equal(poly(r.ode[0]!), poly('sin(t)*x1 + a12*x2 + cos(t) + tanh(x1)')));
  assert.ok(P.equal(poly(r.ode[1]!), poly('a22*x2 + b2 + tanh(x2)')));
  // f2 carries −½ ∂_t F1 (the explicit-t term): cos(t) x1 / 2 appears with a minus sign.
  const f2 = poly(r.modified[1]![0]!);
  assert.ok(P.dependsOn(f2, 't'));
  // f2 = F2 − ½(F1′F1 + ∂_t F1) exactly, written out here by hand (not by the Lie-series recursion).
  const F1 = r.coefficients[1]!.map(poly), F2 = r.coefficients[2]!.map(poly);
  F1.forEach((c, i) => {
    const lie = P.add(P.mul(P.d(c, 'x1'), F1[0]!), P.mul(P.d(c, 'x2'), F1[1]!), P.d(c, 't'));
    assert.ok(P.equal(poly(r.modified[1]![i]!), P.sub(F2[i]!, P.scale(lie, [1, 2]))), `f2[${i + 1}]`);
  });
  for (const tex of [r.tex.map, r.tex.ode, r.tex.modified, ...r.tex.coefficients]) katexOk(tex);
});

test('residual tanh layer and a user map: proved to order 4 (d = 2)', () => {
  const res = derive({ layer: 'residual', dim: 2 }, 4);
  assert.is(res.verification.verdict, 'proved');
  assert.ok(P.equal(poly(res.ode[0]!), poly('tanh(a11*x1 + a12*x2 + b1)')));
  const m = derive({ layer: 'map', map: 'x1 + eps*tanh(x2); x2 - eps*x1' }, 4);
  assert.is(m.verification.verdict, 'proved');
  assert.ok(m.verification.numeric.flow.slope > 4.5);
  for (const tex of [m.tex.map, m.tex.ode, m.tex.modified, res.tex.map, res.tex.modified]) katexOk(tex);
  // regression: mathjs differentiates eps^2 into 0^(-1)·0 = NaN unless powers are unrolled
  assert.is(derive({ layer: 'map', map: 'x + eps*atan(x) + eps^2*t*x' }, 4).verification.verdict, 'proved');
});

// Regression: correct derivations (each checked against SymPy to 1e-11) were 'refuted' by the
// flow ladder: x + ε sin(50x) has F_j = 0 for j ≥ 2, so the ladder started at ε0 = 0.1, outside
// the radius ~1/50 of its modified series (f_j ~ 50^{j−1}); and under x + ε log(x) the flow from
// a sampled x = 0.005 left the domain (NaN at the top rungs).
test('the ladders start inside the modified series\' radius and skip points whose flow leaves the domain', () => {
  assert.is(derive({ layer: 'residual', g: 'sin(50*z)', A: '1', beta: '0' }, 3, { seed: 1 }).verification.verdict, 'proved');
  assert.is(derive({ layer: 'map', map: 'x + eps*log(x)' }, 3, { seed: 1 }).verification.verdict, 'proved');
  assert.is(derive({ layer: 'map', map: 'x + eps/x' }, 3, { seed: 1 }).verification.verdict, 'proved');
});

// Regression: g = 1000 z has |F_1| > 10 at almost every point, so the ladders kept no sample point
// and a plain linear layer was 'unknown' (verification inconclusive); the bound is now relative
// to the typical size when the absolute one leaves too few points, and still refutes a wrong f2.
test('large coefficients: the ladders sample, prove the right f2 and refute a wrong one', () => {
  const r = derive({ layer: 'ff', g: '1000*z' }, 2, { seed: 1 });
  assert.is(r.verification.numeric.samples, 6);
  assert.is(r.verification.verdict, 'proved');
  const F = r.coefficients.slice(1).map((v) => v.map(poly)), f = r.modified.map((v) => v.map(poly));
  const pr = { d: 1, stateVars: ['x'], map: r.map, F, f, params: r.params, jets: [], timeDependent: false };
  const wrong = verifyNumerically({ ...pr, f: [f[0]!, [P.scale(f[1]![0]!, [11, 10])]] }, 2, 1);
  assert.ok(wrong.samples > 0 && !wrong.flow.ok, 'f2 off by 10 % is refuted');
});

test('negative controls: the ladders refute a wrong f2 or F2, and a derivation never sampled is not proved', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 2);
  const F = r.coefficients.slice(1).map((v) => v.map(poly)), f = r.modified.map((v) => v.map(poly));
  const pr = { d: 1, stateVars: ['x'], map: r.map, F, f, params: r.params, jets: [], timeDependent: false };
  const good = verifyNumerically(pr, 2, 7);
  assert.ok(good.series.ok && good.flow.ok);
  // f2 off by 10 %: the flow error is 0.1 ε³ f2 + O(ε³), slope 2 < 2.5.
  const wrongF = verifyNumerically({ ...pr, f: [f[0]!, [P.scale(f[1]![0]!, [11, 10])]] }, 2, 7);
  assert.ok(!wrongF.flow.ok && wrongF.series.ok && wrongF.counterexample);
  const wrongS = verifyNumerically({ ...pr, F: [F[0]!, [P.add(F[1]![0]!, poly('x/10'))]] }, 2, 7);
  assert.ok(!wrongS.series.ok);
  // a map that is not finite anywhere sampled: every check skips every point, so not 'proved'
  const never = derive({ layer: 'map', map: 'x + eps*sqrt(x - 5)' }, 2);
  assert.is(never.verification.numeric.samples, 0);
  assert.is(never.verification.verdict, 'unknown');
});

test('compileOde / compileModified: numeric Fields of the derived ODE and modified field', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 2);
  const vals = { a: 0.5, b: -0.2, gamma: 0.7 };
  const ode = compileOde(r, vals), mod = compileModified(r, 0.1, 2, vals);
  const out = new Float64Array(1), x = new Float64Array([0.4]);
  ode(0, x, out);
  assert.ok(Math.abs(out[0]! - (0.5 * 0.4 - 0.2 - 0.7 * 0.4 ** 3)) < 1e-15);
  mod(0, x, out);
  const [a, b, g, X] = [0.5, -0.2, 0.7, 0.4];
  const f2 = -a * a * X / 2 - a * b / 2 - a * g * X ** 3 - 1.5 * b * g * X * X - 1.5 * g * g * X ** 5;
  assert.ok(Math.abs(out[0]! - (a * X + b - g * X ** 3 + 0.1 * f2)) < 1e-15);
  try { compileOde(r, { a: 1 }); assert.unreachable(); } catch (e) { assert.ok(e instanceof UserError); }
});

test('bad input: one-line UserErrors', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => derive({ layer: 'map', map: 'tanh(x1 + eps*x2); x2 + eps*x1' }, 2), /not near-identity/],
    [() => derive({ layer: 'ff', dim: 1 }, 0), /--order/],
    [() => derive({ layer: 'ff', dim: 1 }, 30), /--order 30 \(d = 1\) needs ≈ .*; at most \d+$/],
    [() => derive({ layer: 'ff', dim: 1 }, 2.5), /--order/],
    [() => derive({ layer: 'ff', dim: 0 }, 1), /--dim/],
    [() => derive({ layer: 'ff', dim: 2, A: '1,2;3' }, 1), /2×2/],
    [() => derive({ layer: 'ff', dim: 1, g: 'abs(z)' }, 1), /abs/],
    [() => derive({ layer: 'ff', dim: 1, g: 'x*z' }, 1), /"x" in "x\*z" is a state variable/],
    [() => derive({ layer: 'map', map: 'x1 + eps*x3; x2' }, 1), /x3/],
    [() => derive({ layer: 'map', map: 'x1 + eps; x2', dim: 3 }, 1), /--dim/],
    [() => derive({ layer: 'map', map: 'x + 1e999*eps' }, 1), /non-finite/],
    [() => derive({ layer: 'map', map: 'x + (eps' }, 1), /cannot parse/],
  ];
  for (const [f, re] of bad) {
    try { f(); assert.unreachable(`expected ${re}`); } catch (e) {
      assert.ok(e instanceof UserError, String(e));
      assert.match((e as Error).message, re);
      assert.not.match((e as Error).message, /\n/);
    }
  }
});

// Found by the fuzz harness (seed 4): g = softplus(1e20) was "refuted": mathjs evaluates softplus
// by log(1 + e^w), Infinity there, against the correct 1e20. An overflow of the definition
// compares nothing (unknown, honestly); a non-finite power series against a finite mathjs value
// is still a disagreement.
test('route 2: a point where only the mathjs definition overflows is not a disagreement', () => {
  const big = derive({ layer: 'ff', dim: 1, g: 'softplus(1e20)' }, 1);
  assert.is(big.verification.verdict, 'unknown');
  assert.match(big.verification.routes[1]!.how, /no sampled point where it is finite/);
  assert.is(derive({ layer: 'ff', dim: 1, g: 'softplus(3*z) + 0.5' }, 2).verification.verdict, 'proved');
});

test.run();
