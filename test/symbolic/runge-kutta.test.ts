/**
 * Runge–Kutta blocks as layers. Expected values are the literature's: for a method of order p
 * the modified field is f + ε^p f_{p+1} + …, f_{p+1} = Σ_{|τ|=p+1} (Φ(τ) − 1/γ(τ))/σ(τ) F(τ)
 * (Hairer–Lubich–Wanner, Geometric Numerical Integration, IX.1 with the B-series of III.1);
 * the elementary weights Φ(τ) of each tableau were worked out by hand (RK4: c = (0, ½, ½, 1),
 * b = (1/6, 1/3, 1/3, 1/6)) and are written below as numbers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { componentwise, deriveVector } from '../../src/symbolic/vector/derive-vector.ts';
import { rungeKuttaTrees } from '../../src/symbolic/vector/runge-kutta.ts';
import { tree, treeSumText, type Tree, type TreeSum } from '../../src/symbolic/vector/trees.ts';
import { derive } from '../../src/symbolic/derive.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import * as P from '../../src/symbolic/poly.ts';
import { rat, type Rat } from '../../src/symbolic/rational.ts';

const f = tree('f', 0);
const n = (...kids: Tree[]): Tree => tree('f', 0, kids);
const sum = (...terms: [Rat, Tree][]): TreeSum => new Map(terms.map(([c, t]) => [t.key, { c, t }]));
const fpf = n(f); // f′f

test('Heun and explicit midpoint (order 2): f₂ = 0, f₃ = (Φ − 1/γ)/σ over the two trees of order 3', () => {
  // [•,•]: σ = 2, γ = 3, Φ = Σ b c² (Heun ½, midpoint ¼); [[•]]: σ = 1, γ = 6, Φ = Σ b a c = 0 for both.
  const heun = rungeKuttaTrees('heun', 3, false).f, mid = rungeKuttaTrees('midpoint', 3, false).f;
  assert.is(heun[1]!.size, 0);
  assert.is(mid[1]!.size, 0);
  assert.is(treeSumText(heun[2]!), treeSumText(sum([rat(1, 12), n(f, f)], [rat(-1, 6), n(fpf)])));
  assert.is(treeSumText(mid[2]!), treeSumText(sum([rat(-1, 24), n(f, f)], [rat(-1, 6), n(fpf)])));
});

test('RK4 (order 4): f₂ = f₃ = f₄ = 0 and f₅ is the local-error B-series over the nine trees of order 5', () => {
  const rk = rungeKuttaTrees('rk4', 5, false).f;
  for (const j of [1, 2, 3]) assert.is(rk[j]!.size, 0, `f${j + 1}`);
  const expected = sum(
    [rat(1, 2880), n(f, f, f, f)], // [•,•,•,•]: Φ = 5/24, γ = 5, σ = 24
    [rat(1, 480), n(fpf, f, f)], // [[•],•,•]: Φ = 5/48, γ = 10, σ = 2
    [rat(-1, 480), n(n(f, f), f)], // [[•,•],•]: Φ = 1/16, γ = 15, σ = 2
    [rat(1, 120), n(n(fpf), f)], // [[[•]],•]: Φ = 1/24, γ = 30, σ = 1
    [rat(1, 160), n(fpf, fpf)], // [[•],[•]]: Φ = 1/16, γ = 20, σ = 2
    [rat(-1, 720), n(n(f, f, f))], // [[•,•,•]]: Φ = 1/24, γ = 20, σ = 6
    [rat(-1, 240), n(n(fpf, f))], // [[[•],•]]: Φ = 1/48, γ = 40, σ = 1
    [rat(1, 480), n(n(n(f, f)))], // [[[•,•]]]: Φ = 1/48, γ = 60, σ = 2
    [rat(-1, 120), n(n(n(fpf)))], // [[[[•]]]]: Φ = 0, γ = 120, σ = 1
  );
  assert.is(treeSumText(rk[4]!), treeSumText(expected));
});

test('RK4 block of a scalar f, componentwise engine: f₅ = f⁗f⁴/2880 + f‴f′f³/1440 − f″²f³/480 + f″f′²f²/80 − f′⁴f/120; control with −1/100 fails', () => {
  const fText = 'sin(x) + x^2/5';
  const c = componentwise({ layer: 'rk4', f: fText }, 5);
  const d0 = polyOf(parseExpression(fText));
  const d = [d0];
  for (let j = 1; j <= 4; j++) d.push(P.d(d[j - 1]!, 'x'));
  const [F, F1, F2, F3, F4] = d as [P.Poly, P.Poly, P.Poly, P.Poly, P.Poly];
  const pw = (p: P.Poly, k: number) => P.powInt(p, k);
  const f5 = (tall: Rat) => P.add(
    P.scale(P.mul(F4, pw(F, 4)), rat(1, 2880)), P.scale(P.mul(F3, P.mul(F1, pw(F, 3))), rat(1, 1440)),
    P.scale(P.mul(pw(F2, 2), pw(F, 3)), rat(-1, 480)), P.scale(P.mul(F2, P.mul(pw(F1, 2), pw(F, 2))), rat(1, 80)),
    P.scale(P.mul(pw(F1, 4), F), tall));
  for (const j of [1, 2, 3]) assert.ok(P.isZero(c.f[j]![0]!), `f${j + 1} = 0`);
  assert.ok(P.equal(c.f[0]![0]!, F));
  assert.ok(P.equal(c.f[4]![0]!, f5(rat(-1, 120))));
  assert.not.ok(P.equal(c.f[4]![0]!, f5(rat(-1, 100))), 'control: a wrong coefficient must be detected');
});

test('Heun block of a time-dependent field in d = 2: the tree forms equal the componentwise engine exactly; derive proves the block (ladders slope k + 1)', () => {
  const v = deriveVector({ layer: 'heun', f: 'x2*cos(t); -sin(x1) + c*x2' }, 3);
  assert.ok(v.check.agree, v.check.detail);
  assert.match(v.modified!.text[2]!, /∂t/);
  const dv = derive({ layer: 'rk4', f: 'sin(x)' }, 4);
  assert.is(dv.verification.verdict, 'proved');
  assert.equal(dv.modified.slice(1).map((m) => m[0]), ['0', '0', '0']);
});

test.run();
