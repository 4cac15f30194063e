import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { parseExpression, freeSymbols, KNOWN_FUNCTIONS } from '../../src/symbolic/parse.ts';
import { diff, expand, substitute, taylorByDifferentiation, taylorCoefficients, toTeX } from '../../src/symbolic/cas.ts';
import { compileScalar, compileField, compileVectorField } from '../../src/symbolic/compile.ts';
import { checkIdentity, checkSeriesIdentity } from '../../src/symbolic/identity.ts';
import { UserError } from '../../src/util/errors.ts';

const throwsUser = (f: () => unknown, re: RegExp) => {
  try { f(); } catch (e) { assert.ok(e instanceof UserError, String(e)); assert.match((e as Error).message, re); return; }
  assert.unreachable('expected a UserError');
};

test('parse: bad input is a one-line UserError', () => {
  throwsUser(() => parseExpression('x + * y'), /cannot parse/);
  throwsUser(() => parseExpression('abs(x)'), /abs is not smooth/);
  throwsUser(() => parseExpression('max(x, 1)'), /max/);
  throwsUser(() => parseExpression('g(x)'), /"g"/);
  throwsUser(() => parseExpression('sin(PI*x)'), /reserved name "PI"/);
  throwsUser(() => parseExpression('x + 1e999'), /non-finite/);
  throwsUser(() => parseExpression('x + y', { symbols: ['x'] }), /unknown symbol "y"/);
  throwsUser(() => parseExpression('x = 2'), /unsupported/);
  throwsUser(() => parseExpression(''), /empty/);
  assert.equal(freeSymbols('a11*x1 + tanh(beta*x2)'), ['a11', 'beta', 'x1', 'x2']);
});

// Every known function's derivative (after our lowering) against a central difference:
// truncation h² f''' ~ 1e-10 and round-off ε/h ~ 1e-11, so 1e-7 relative is safe.
test('cas.diff: derivative of every known function matches a central difference', () => {
  for (const f of KNOWN_FUNCTIONS) {
    const d1 = diff(`${f}(u)`, 'u');
    const d2 = diff(d1, 'u');
    const F = compileScalar(`${f}(u)`, ['u']), D1 = compileScalar(d1, ['u']), D2 = compileScalar(d2, ['u']);
    for (const u of f === 'acosh' ? [1.3, 1.9] : [0.31, 0.57]) {
      const h = 1e-5;
      const fd1 = (F([u + h]) - F([u - h])) / (2 * h);
      const fd2 = (D1([u + h]) - D1([u - h])) / (2 * h);
      assert.ok(Math.abs(D1([u]) - fd1) < 1e-7 * (1 + Math.abs(fd1)), `${f}' at ${u}: ${D1([u])} vs ${fd1}`);
      assert.ok(Math.abs(D2([u]) - fd2) < 1e-7 * (1 + Math.abs(fd2)), `${f}'' at ${u}: ${D2([u])} vs ${fd2}`);
    }
  }
  throwsUser(() => diff('abs(x)', 'x'), /abs/);
});

test('cas: expand, substitute, taylorCoefficients of tanh((1+εa)x+εb)', () => {
  assert.is(expand('(x+y)^2-x^2-2*x*y-y^2'), '0');
  const s = substitute('x^2+y', { x: 'a+b' });
  const f = compileScalar(s, ['a', 'b', 'y']);
  assert.ok(Math.abs(f([0.3, 0.4, 2]) - (0.49 + 2)) < 1e-15);
  const c = taylorCoefficients('tanh((1+eps*a)*x+eps*b)', 'eps', 3);
  // c1 = (a x + b) sech²x, c2 = −(a x + b)² tanh x sech² x (closed forms by hand).
  const [a, b, x] = [0.7, 0.3, 0.4];
  const sech2 = 1 / Math.cosh(x) ** 2;
  const C1 = compileScalar(c[1]!, ['a', 'b', 'x']), C2 = compileScalar(c[2]!, ['a', 'b', 'x']);
  assert.ok(Math.abs(C1([a, b, x]) - (a * x + b) * sech2) < 1e-15);
  assert.ok(Math.abs(C2([a, b, x]) + (a * x + b) ** 2 * Math.tanh(x) * sech2) < 1e-15);
  // The truncated series misses the map by O(ε⁴).
  const series = `${c.map((ck, k) => `(${ck})*eps^${k}`).join('+')}`;
  const S = compileScalar(series, ['a', 'b', 'x', 'eps']);
  const errs = [0.1, 0.05, 0.025].map((h) => Math.abs(S([a, b, x, h]) - Math.tanh((1 + h * a) * x + h * b)));
  assert.ok(errs[0]! / errs[1]! > 14 && errs[1]! / errs[2]! > 14, `ratios ${errs}`);
  // The fallback route (nerdamer differentiation) agrees with the series engine here.
  const d = taylorByDifferentiation('tanh((1+eps*a)*x+eps*b)', 'eps', 3);
  d.forEach((dk, k) => {
    const u = compileScalar(dk, ['a', 'b', 'x'])([a, b, x]), w = compileScalar(c[k]!, ['a', 'b', 'x'])([a, b, x]);
    assert.ok(Math.abs(u - w) <= 1e-14 * Math.max(1, Math.abs(w)), `c${k}: ${u} vs ${w}`); // round-off of ~10 terms
  });
});

test('compile: straight-line code agrees with Math, fields and vector fields', () => {
  const f = compileScalar('x^3 - 2*x^(-2) + e^x*sech(y) + sqrt(y)^3', ['x', 'y']);
  const [x, y] = [0.7, 1.3];
  const ref = x ** 3 - 2 / (x * x) + Math.exp(x) / Math.cosh(y) + Math.sqrt(y) ** 3;
  assert.ok(Math.abs(f([x, y]) - ref) < 4e-16 * Math.abs(ref) * 8);
  const F = compileField(['x*y', 'x-y'], ['x', 'y']);
  const out = new Float64Array(2);
  F(new Float64Array([2, 3]), out);
  assert.equal([...out], [6, -1]);
  const V = compileVectorField(['a*x1 + t', '-x1*x2'], ['x1', 'x2'], 't', { a: 2 });
  V(0.5, new Float64Array([1, 3]), out);
  assert.equal([...out], [2.5, -3]);
  throwsUser(() => compileScalar('x*z', ['x']), /unknown symbol "z"/);
  throwsUser(() => compileVectorField(['x1'], ['x1', 'x2']), /1 components but 2/);
});

test('checkIdentity: proved, refuted with a counterexample, unknown', () => {
  const p = checkIdentity('(a+b)^3', 'a^3+3*a^2*b+3*a*b^2+b^3');
  assert.is(p.verdict, 'proved');
  assert.ok(p.routes.every((r) => r.zero === true));
  const r = checkIdentity('(a+b)^2', 'a^2+b^2');
  assert.is(r.verdict, 'refuted');
  assert.ok(r.counterexample);
  const ce = r.counterexample!;
  assert.ok(Math.abs(ce.lhs - (ce.point['a']! + ce.point['b']!) ** 2) < 1e-12);
  // Wrong by a tiny function term: only numbers can tell.
  const w = checkIdentity('sech(x)^2', '1 - tanh(x)^2 + 1e-3*sin(x)^2');
  assert.is(w.verdict, 'refuted');
  const t = checkIdentity('sech(x)^2 + tanh(x)^2', '1');
  assert.ok(t.verdict === 'proved' || t.verdict === 'unknown', t.verdict);
  assert.ok(t.numeric.maxRelErr < 1e-14);
});

test('checkSeriesIdentity: tanh x = x − x³/3 + O(x⁵), and not O(x⁴) against x', () => {
  const ok = checkSeriesIdentity('tanh(x)', 'x - x^3/3', 'x', 5);
  assert.is(ok.verdict, 'proved');
  assert.ok(ok.ladder!.slope > 4.5, `slope ${ok.ladder!.slope}`);
  const bad = checkSeriesIdentity('tanh(x)', 'x', 'x', 4);
  assert.is(bad.verdict, 'refuted');
  assert.ok(bad.ladder!.slope < 3.5);
  const multi = checkSeriesIdentity('tanh((1+eps*a)*x+eps*b)', 'tanh(x) + eps*(a*x+b)*sech(x)^2', 'eps', 2);
  assert.is(multi.verdict, 'proved');
  // a ladder that is NaN at every rung (sqrt of a negative on the default box) is no evidence:
  // its Taylor coefficients 0, 1 are exactly 0, yet it must not come out proved (it did: slope ∞)
  const never = checkSeriesIdentity('sqrt(x-5)*eps^2', '0', 'eps', 2);
  assert.is(never.verdict, 'unknown');
});

test('toTeX: KaTeX parses it; jets rendered as given', () => {
  for (const s of ['-a11*x1*sech(x2)^2/2 + beta1*gamma*x1^3', 'g1_1*(a11*x1+b1) - eps*g0_1', 'e^x*atan(x1)+log(1+e^z)+acos(y)']) {
    const tex = toTeX(s, { g1_1: "g'(x_{1})", g0_1: 'g(x_{1})' });
    katex.renderToString(tex, { throwOnError: true, displayMode: true });
  }
  assert.match(toTeX('g1_1*a11', { g1_1: "g'(x_{1})" }), /g'\(x_\{1\}\)/);
  assert.match(toTeX('a11*x1'), /a_\{11\}/);
});

test.run();
