/**
 * derive beyond the old ceilings (k ≤ 4, d ≤ 4): orders 5…8 checked against results written by
 * hand from the mathematics and against ε-ladders computed here, independently of verify.ts;
 * the Butcher trees of the elementary-differential check; refusal of an oversize job.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derive } from '../../src/symbolic/derive.ts';
import { flowSeries, treesOfOrder } from '../../src/symbolic/modified.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import * as P from '../../src/symbolic/poly.ts';
import { compilePolys } from '../../src/symbolic/poly-compile.ts';
import { logLogSlope } from '../../src/symbolic/slope.ts';
import { UserError } from '../../src/util/errors.ts';

const poly = (s: string): P.Poly => polyOf(parseExpression(s));

test('rooted trees: 1, 1, 2, 4, 9, 20, 48, 115, 286 of orders 1…9 (OEIS A000081), and Σ 1/(σγ) = 1/n', () => {
  const counts = [1, 1, 2, 4, 9, 20, 48, 115, 286];
  counts.forEach((c, i) => assert.is(treesOfOrder(i + 1).length, c, `order ${i + 1}`));
  // n!/(σ(τ)γ(τ)) counts the increasing labellings of τ; all rooted trees on n vertices have (n − 1)! of them.
  for (let n = 1; n <= 9; n++) {
    const sum = treesOfOrder(n).reduce((s, t) => s + 1 / (t.sigma * t.gamma), 0);
    assert.ok(Math.abs(sum - 1 / n) < 1e-14, `order ${n}: ${sum}`);
  }
});

test('flow by elementary differentials at order 8: x′ = x² flows to x/(1 − εx) = x + Σ εʲ x^{j+1}; x′ = x to x·e^ε', () => {
  const flow = flowSeries([[poly('x^2')]], ['x'], undefined, 8);
  flow.forEach((v, j) => assert.ok(P.equal(v[0]!, poly(`x^${j + 2}`)), `ε^${j + 1}: ${P.polyText(v[0]!)}`));
  let fact = 1;
  flowSeries([[poly('x')]], ['x'], undefined, 8).forEach((v, j) => {
    fact *= j + 1;
    assert.ok(P.equal(v[0]!, poly(`x/${fact}`)), `ε^${j + 1}: ${P.polyText(v[0]!)}`);
  });
});

test('order 8, d = 1: Euler on x′ = ax has f_ε = log(1 + εa)x/ε, f_j = (−1)^{j−1} a^j x / j; x/(1 − εx) has f_ε = x² exactly', () => {
  const euler = derive({ layer: 'map', map: 'x + eps*a*x' }, 8);
  euler.modified.forEach((v, j) => assert.is(v[0], `${j % 2 ? '-' : ''}${j === 0 ? '' : `(1/${j + 1})*`}a${j === 0 ? '' : `^${j + 1}`}*x`, `f_${j + 1}`));
  assert.is(euler.verification.verdict, 'proved');
  const exact = derive({ layer: 'map', map: 'x/(1 - eps*x)' }, 8);
  assert.equal(exact.modified.map((v) => v[0]), ['x^2', '0', '0', '0', '0', '0', '0', '0']);
  assert.is(exact.verification.verdict, 'proved');
});

/**
 * Ladders written here (not verify.ts): at x = 0.3, a = 0.7, b = −0.4 the tanh FF layer
 * Φ_ε(x) = z + ε tanh z, z = (1 + εa)x + εb, against the series Σ_{m≤k} ε^m F_m and against the
 * time-ε flow of f_ε = Σ ε^{j−1} f_j (RK4 written here, 400 steps: error ~ε⁵·400⁻⁴ ≈ 4e-16 at ε = 0.1, below
 * the ε^{k+1} measured). Both errors must fall like ε^{k+1}; with f_k dropped, like ε^k only.
 */
test('orders 5…7, tanh FF layer, d = 1: series and flow errors fall like ε^{k+1} (slope measured here); dropping f_k breaks it', () => {
  const x = 0.3, a = 0.7, b = -0.4;
  const phi = (e: number): number => { const z = (1 + e * a) * x + e * b; return z + e * Math.tanh(z); };
  for (const k of [5, 6, 7]) {
    const dv = derive({ layer: 'ff', g: 'tanh(z)', dim: 1 }, k, { verify: false });
    const F = dv.coefficients.slice(1).map((v) => polyOf(parseExpression(v[0]!)));
    const at = (p: P.Poly): number => evalPoly(p, { x, a, b });
    const eps = [0.2, 0.16, 0.128, 0.1024];
    const series = eps.map((e) => Math.abs(phi(e) - F.reduce((s, Fm, m) => s + e ** (m + 1) * at(Fm), x)));
    const f = dv.modified.map((v) => polyOf(parseExpression(v[0]!)));
    const flowErr = (terms: number) => eps.map((e) => {
      const rhs = (y: number): number => f.slice(0, terms).reduce((s, fj, j) => s + e ** j * evalPoly(fj, { x: y, a, b }), 0);
      let y = x; const n = 400, h = e / n;
      for (let i = 0; i < n; i++) {
        const k1 = rhs(y), k2 = rhs(y + 0.5 * h * k1), k3 = rhs(y + 0.5 * h * k2), k4 = rhs(y + h * k3);
        y += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      }
      return Math.abs(y - phi(e));
    });
    const sSlope = logLogSlope(eps, series), fSlope = logLogSlope(eps, flowErr(k)), cut = logLogSlope(eps, flowErr(k - 1));
    // pre-asymptotic curvature at ε ≤ 0.2 moves a fitted slope by well under 0.5
    assert.ok(Math.abs(sSlope - (k + 1)) < 0.5, `k = ${k}: series slope ${sSlope}`);
    assert.ok(Math.abs(fSlope - (k + 1)) < 0.5, `k = ${k}: flow slope ${fSlope}`);
    assert.ok(Math.abs(cut - k) < 0.5, `k = ${k}: control (f_k dropped) slope ${cut}, expected ${k}`);
  }
});

const compiled = new Map<P.Poly, (args: Float64Array, out: Float64Array) => void>();
const args = new Float64Array(3), one = new Float64Array(1);
/** p at (x, a, b), compiled once per polynomial. */
function evalPoly(p: P.Poly, v: { x: number; a: number; b: number }): number {
  let c = compiled.get(p);
  if (!c) { c = compilePolys([p], ['x', 'a', 'b']); compiled.set(p, c); }
  args[0] = v.x; args[1] = v.a; args[2] = v.b;
  c(args, one);
  return one[0]!;
}

test('order 8 with the full verification: three routes, the mathjs route cut short and said so in the verdict', () => {
  const dv = derive({ layer: 'ff', g: 'tanh(z)', dim: 1 }, 8);
  assert.is(dv.verification.verdict, 'proved');
  assert.ok(dv.verification.routes[0]!.agree === true);
  assert.ok(dv.verification.numeric.series.ok && dv.verification.numeric.flow.ok);
  assert.ok(dv.verification.numeric.series.used.length >= 3, 'the series ladder fits at least 3 rungs above the floor');
  for (const s of dv.verification.skipped) assert.match(s, /^mathjs route: F_\d.* skipped \(/);
});

test('an oversize job is refused before any work, in one line naming the budget and the largest order that fits', () => {
  for (const [spec, k, re] of [
    [{ layer: 'ff', dim: 6 }, 8, /^--order 8 \(d = 6\) needs ≈ .* \(the budget is 10 min; raise it with --budget-seconds\); at most \d$/],
    [{ layer: 'ff', dim: 3000 }, 1, /^--dim 3000 needs ≈ .*; at most \d+$/],
  ] as const) {
    try { derive(spec, k); assert.unreachable('expected a refusal'); } catch (e) {
      assert.ok(e instanceof UserError, String(e));
      assert.match((e as Error).message, re);
    }
  }
  // a larger budget admits what the default refuses (the estimate is the only limit)
  assert.throws(() => derive({ layer: 'ff', dim: 4 }, 8), /--budget-seconds/);
  assert.throws(() => derive({ layer: 'ff', dim: 4 }, 8, { budgetSeconds: 1e6 }), /memory/);
});

test.run();
