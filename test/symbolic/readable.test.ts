/**
 * Readable printing (printing only: the canonical polynomials stay what is compared). Expected
 * strings are written from the mathematics; the property test reads every printed form back and
 * compares values at random points.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { readableTeX, readableText } from '../../src/symbolic/readable.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import { compilePolys } from '../../src/symbolic/poly-compile.ts';
import * as P from '../../src/symbolic/poly.ts';
import { derive } from '../../src/symbolic/derive.ts';
import { makeRng } from '../../src/util/prng.ts';

const poly = (s: string): P.Poly => polyOf(parseExpression(s));

test('powers combined, odd/even functions of −x, tanh from sinh·sech, collected terms with rationals in front', () => {
  const cases: [string, string][] = [
    ['1/(1 + x^2) * 1/sqrt(1 + x^2)', '(1 + x^2)^(-3/2)'], // −1 − 1/2 = −3/2
    ['sqrt(x)*sqrt(x)', 'x'],
    ['tanh(-x)', '-tanh(x)'], // odd
    ['cosh(-2*x)', 'cosh(2*x)'], // even
    ['sinh(x)/cosh(x)^3', 'sech(x)^2*tanh(x)'], // sinh/cosh³ = tanh·sech²
    ['sin(x)/cos(x)^2', 'sec(x)*tan(x)'],
    ['a*b/2 + a^2*x/2', '(1/2)*a*(b + a*x)'], // common ½ and a in front
    ['-a*b/2 - a^2*x/2 + b*sech(x)^2/2 + a*x*sech(x)^2/2', '-(1/2)*a*(b + a*x) + (1/2)*(b + a*x)*sech(x)^2'],
    ['b + a*x + tanh(x)', 'b + a*x + tanh(x)'], // no doubled or needless parentheses
    ['2*x^(1/2)', '2*sqrt(x)'],
  ];
  for (const [input, expected] of cases) assert.is(readableText(poly(input)), expected, input);
});

test('TeX: the same forms, and a long sum breaks across aligned lines that KaTeX renders', () => {
  assert.is(readableTeX(poly('1/(1 + x^2) * 1/sqrt(1 + x^2)')), '\\frac{1}{\\left(1 + x^{2}\\right)^{3/2}}');
  assert.is(readableTeX(poly('a*b/2 + a^2*x/2')), '\\frac{1}{2} a \\left(b + a x\\right)');
  const long = readableTeX(poly(Array.from({ length: 30 }, (_, j) => `c${j}*tanh(x)^${j + 1}`).join(' + ')));
  assert.match(long, /^\\begin\{aligned\}&.* \\\\ &\\quad \+ .*\\end\{aligned\}$/);
  for (const line of long.split(' \\\\ ')) assert.ok(line.length < 260, `line of ${line.length} characters`);
  katex.renderToString(long, { throwOnError: true, displayMode: true });
});

test('property: printed text read back is the same function (random points), for derive results to order 4', () => {
  const rng = makeRng(20261203);
  const polys: P.Poly[] = [];
  for (const g of ['tanh(z)', 'sin(z) + z^2/5', '1/sqrt(1 + z^2)', 'z*(1 + erf(z/sqrt(2)))/2', 'log(1 + exp(z))']) {
    const dv = derive({ layer: 'ff', g, dim: 1 }, 4, { verify: false });
    for (const v of [...dv.coefficients.slice(1), ...dv.modified]) polys.push(poly(v[0]!));
  }
  polys.push(poly('tanh(-x)*cosh(-x) + sinh(x)^2/cosh(x)^5 - 1/(1 + x^2)/sqrt(1 + x^2)'));
  const vars = ['x', 'a', 'b'];
  let compared = 0;
  for (const p of polys) {
    const back = poly(readableText(p));
    const f = compilePolys([p], vars), g = compilePolys([back], vars);
    const o1 = new Float64Array(1), o2 = new Float64Array(1);
    for (let s = 0; s < 5; s++) {
      const pt = vars.map(() => rng.uniform(-0.9, 0.9));
      f(pt, o1); g(pt, o2);
      // both are sums of O(10²) terms of size O(1) in double: agree to ~1e-13 relative; a wrong printed coefficient is off by O(1)
      assert.ok(Math.abs(o1[0]! - o2[0]!) <= 1e-10 * Math.max(1, Math.abs(o1[0]!)), `${readableText(p)}: ${o1[0]} vs ${o2[0]}`);
      compared++;
    }
  }
  assert.ok(compared >= 100);
});

test('a generic g: jets print as g(x), g\'(x), g\'\'(x), powers included, and read back as the same function', () => {
  // the jets g_k = g^(k)(x_i) are independent symbols; the text names them g(x), g'(x), g''(x), …
  const fromText = (s: string) => poly(s.replace(/g('*)\((x\d?)\)/g, (_m, primes: string, at: string) => `g${primes.length}${at === 'x' ? '' : `_${at.slice(1)}`}`));
  const rng = makeRng(7);
  let squares = 0;
  for (const dim of [1, 2]) {
    const dv = derive({ layer: 'ff', g: 'generic', dim }, 3, { verify: false });
    const jets = Array.from({ length: 4 }, (_, k) => dim === 1 ? [`g${k}`] : [`g${k}_1`, `g${k}_2`]).flat();
    const vars = [...dv.stateVars, ...dv.params, ...jets];
    for (const [i, v] of dv.modified.entries()) for (const [c, text] of v.entries()) {
      const shown = dv.pretty.modified[i]![c]!;
      assert.not.match(shown, /g'+x/, `a jet lost its argument: ${shown}`);
      squares += (shown.match(/g'\(x\d?\)\^2/g) ?? []).length;
      const f = compilePolys([poly(text)], vars), g = compilePolys([fromText(shown)], vars);
      const o1 = new Float64Array(1), o2 = new Float64Array(1);
      const pt = vars.map(() => rng.uniform(-0.9, 0.9));
      f(pt, o1); g(pt, o2);
      // sums of O(10) terms of size O(1): agree to rounding; a misread jet power is off by O(1)
      assert.ok(Math.abs(o1[0]! - o2[0]!) <= 1e-12 * Math.max(1, Math.abs(o1[0]!)), `${shown}: ${o1[0]} vs ${o2[0]}`);
    }
  }
  assert.ok(squares >= 2, 'f3 holds g\'(x)^2 terms (the case that printed as g\'x^2)');
});

test('control: a printer that drops the sign of tanh(−x) is caught by the same read-back comparison', () => {
  const p = poly('x + tanh(-x)');
  const wrong = poly(readableText(p).replace('-tanh', '+tanh'));
  const f = compilePolys([p], ['x']), g = compilePolys([wrong], ['x']);
  const o1 = new Float64Array(1), o2 = new Float64Array(1);
  f([0.5], o1); g([0.5], o2);
  assert.ok(Math.abs(o1[0]! - o2[0]!) > 0.1, 'the comparison measures a difference');
});

test.run();
