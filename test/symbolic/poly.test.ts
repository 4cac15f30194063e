import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseExpression, KNOWN_FUNCTIONS } from '../../src/symbolic/parse.ts';
import { polyOf, seriesOf } from '../../src/symbolic/series.ts';
import * as P from '../../src/symbolic/poly.ts';
import { compilePolys } from '../../src/symbolic/poly-compile.ts';
import { compileScalar } from '../../src/symbolic/compile.ts';
import { modifiedEquation, flowSeries } from '../../src/symbolic/modified.ts';
import { addR, fromNumber, rat } from '../../src/symbolic/rational.ts';
import { UserError } from '../../src/util/errors.ts';

const poly = (s: string) => polyOf(parseExpression(s));
const ev = (p: P.Poly, vars: string[], vals: number[]) => { const o = new Float64Array(1); compilePolys([p], vars)(vals, o); return o[0]!; };

test('expansion is exact and canonical', () => {
  assert.ok(P.equal(poly('(a+b)^3'), poly('a^3 + 3*a^2*b + 3*a*b^2 + b^3')));
  assert.ok(P.isZero(poly('(x+1)*(x-1) - x^2 + 1')));
  assert.ok(P.equal(poly('sech(x)^2*cosh(x)^2'), poly('1')));
  assert.ok(P.equal(poly('0.1 + 0.2'), poly('3/10')), 'decimals are exact rationals');
  assert.equal(fromNumber(1e-3), [1, 1000]);
  assert.not.ok(P.equal(poly('(a+b)^2'), poly('a^2 + b^2')));
});

test('rational addition never returns a silently rounded result', () => {
  // (3m+1)/3 − (5m+2)/5 = −1/15, but 15m+5 and −15m−6 are past 2^53: rounded, they cancelled to 0.
  const m = 2 ** 50 + 1;
  try {
    assert.equal(addR(rat(3 * m + 1, 3), rat(-(5 * m + 2), 5)), [-1, 15]);
  } catch (e) {
    assert.ok(e instanceof UserError && /overflowed/.test(e.message), String(e));
  }
  assert.equal(addR(rat(1, 3), rat(1, 6)), [1, 2]);
});

// The derivative rule of every function, twice, against a central difference of the compiled
// function (h = 1e-5: truncation ~1e-10, round-off ~1e-11 → tolerance 1e-7 relative).
test('derivatives of every known function match central differences', () => {
  for (const f of KNOWN_FUNCTIONS) {
    const p = poly(`${f}(0.5*x + 0.1)`);
    const d1 = P.d(p, 'x'), d2 = P.d(d1, 'x');
    const F = compileScalar(`${f}(0.5*x + 0.1)`, ['x']);
    for (const x of [0.3, 0.7]) {
      const h = 1e-5;
      const fd1 = (F([x + h]) - F([x - h])) / (2 * h);
      const fd2 = (ev(d1, ['x'], [x + h]) - ev(d1, ['x'], [x - h])) / (2 * h);
      assert.ok(Math.abs(ev(d1, ['x'], [x]) - fd1) < 1e-7 * (1 + Math.abs(fd1)), `${f}'`);
      assert.ok(Math.abs(ev(d2, ['x'], [x]) - fd2) < 1e-7 * (1 + Math.abs(fd2)), `${f}''`);
    }
  }
});

test('ε-series: exp(ε x) coefficients are x^k/k!; 1/(1 − ε x) is geometric; sqrt(1 + ε)', () => {
  const s = seriesOf(parseExpression('exp(eps*x)'), { order: 4, eps: 'eps' });
  [1, 'x', 'x^2/2', 'x^3/6', 'x^4/24'].forEach((c, k) => assert.ok(P.equal(s[k]!, poly(String(c)))));
  const g = seriesOf(parseExpression('1/(1 - eps*x)'), { order: 3, eps: 'eps' });
  [1, 'x', 'x^2', 'x^3'].forEach((c, k) => assert.ok(P.equal(g[k]!, poly(String(c)))));
  const r = seriesOf(parseExpression('sqrt(1 + eps)'), { order: 3, eps: 'eps' });
  ['1', '1/2', '-1/8', '1/16'].forEach((c, k) => assert.ok(P.equal(r[k]!, poly(c))));
});

test('modified equation of the linear map x + εax: f = log(1 + εa)/ε = a − εa²/2 + ε²a³/3 − ε³a⁴/4', () => {
  const F = [[poly('a*x')], [poly('0')], [poly('0')], [poly('0')]];
  const f = modifiedEquation(F, ['x']);
  ['a*x', '-a^2*x/2', 'a^3*x/3', '-a^4*x/4'].forEach((c, j) => assert.ok(P.equal(f[j]![0]!, poly(c)), `f${j + 1}`));
  const back = flowSeries(f, ['x'], undefined, 4);
  back.forEach((v, j) => assert.ok(P.equal(v[0]!, F[j]![0]!)));
});

test.run();
