import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { compileModified, derive } from '../../src/symbolic/derive.ts';
import { compilePolys } from '../../src/symbolic/poly-compile.ts';
import { compileScalar, HELPERS } from '../../src/symbolic/compile.ts';
import { ACTIVATION_FUNCTIONS, parseExpression } from '../../src/symbolic/parse.ts';
import * as P from '../../src/symbolic/poly.ts';
import { derivationTeX } from '../../src/symbolic/report.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import { mathjsDerivatives } from '../../src/symbolic/taylor-mathjs.ts';
import { UserError } from '../../src/util/errors.ts';

const poly = (s: string) => polyOf(parseExpression(s));
const ev = (p: P.Poly, vars: string[], vals: number[]): number => { const o = new Float64Array(1); compilePolys([p], vars)(vals, o); return o[0]!; };
const userError = (f: () => unknown): string => {
  try { f(); } catch (e) { assert.ok(e instanceof UserError, String(e)); assert.not.match((e as Error).message, /\n/); return (e as Error).message; }
  assert.unreachable('expected a UserError');
  return '';
};

// Python's math.erf (libm), an implementation independent of mathjs's.
const ERF: [number, number][] = [
  [-3.5, -0.9999992569016276], [-1.2, -0.9103139782296353], [-0.3, -0.3286267594591274], [0, 0], [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465], [1, 0.8427007929497149], [1.7, 0.9837904585907745], [2.5, 0.999593047982555], [4, 0.9999999845827421], [6, 1],
];

test('erf, sigmoid, softplus, silu compile to their values (erf against libm; the others against their definitions)', () => {
  for (const [x, v] of ERF) assert.ok(Math.abs(HELPERS.erf(x) - v) <= 2e-16 * Math.max(1, Math.abs(v)), `erf(${x})`);
  for (const x of [-40, -3, -0.2, 0, 0.7, 5, 40]) {
    const s = 1 / (1 + Math.exp(-x));
    assert.ok(Math.abs(HELPERS.sigmoid(x) - s) <= 1e-16, `sigmoid(${x})`);
    assert.ok(Math.abs(HELPERS.softplus(x) - Math.log(1 + Math.exp(x))) <= 1e-15 * Math.max(1, Math.abs(x)), `softplus(${x})`);
    assert.ok(Math.abs(HELPERS.silu(x) - x * s) <= 1e-15 * Math.max(1, Math.abs(x)), `silu(${x})`);
  }
  assert.is(compileScalar('softplus(800)', []) ([]), 800, 'no overflow');
});

// The derivative rules of the new atoms, twice, against central differences of the compiled
// function (h = 1e-5: truncation ~1e-10, round-off ~1e-11 → 1e-7 relative).
test('derivative rules of sigmoid, softplus, erf, silu, swish match central differences', () => {
  for (const f of ACTIVATION_FUNCTIONS) {
    const p = poly(`${f}(0.5*x + 0.1)`);
    const d1 = P.d(p, 'x'), d2 = P.d(d1, 'x');
    const F = compileScalar(`${f}(0.5*x + 0.1)`, ['x']);
    for (const x of [-1.3, 0.3, 0.7]) {
      const h = 1e-5;
      const fd1 = (F([x + h]) - F([x - h])) / (2 * h);
      const fd2 = (ev(d1, ['x'], [x + h]) - ev(d1, ['x'], [x - h])) / (2 * h);
      assert.ok(Math.abs(ev(d1, ['x'], [x]) - fd1) < 1e-7 * (1 + Math.abs(fd1)), `${f}' at ${x}`);
      assert.ok(Math.abs(ev(d2, ['x'], [x]) - fd2) < 1e-7 * (1 + Math.abs(fd2)), `${f}'' at ${x}`);
    }
  }
  // erf′ = (2/√π) e^{−w²}, exactly
  assert.ok(P.equal(P.d(poly('erf(x)'), 'x'), poly('2/sqrt(pi)*exp(-x^2)')));
});

// Exact GELU's F2 printed (2)^(-1/2) squared and pi^(-1/2) beside 1/sqrt(pi): powers of
// positive constants are one canonical form, so equal numbers are equal polynomials.
test('powers of constants fold: sqrt(2)^2 = 2, 1/sqrt(2) = 2^(-1/2) = sqrt(2)/2, 8^(1/3) = 2, (x/sqrt(2))^2 = x^2/2', () => {
  for (const [a, b] of [['sqrt(2)*sqrt(2)', '2'], ['1/sqrt(2)', '2^(-1/2)'], ['1/sqrt(2)', 'sqrt(2)/2'], ['8^(1/3)', '2'], ['(x/sqrt(2))^2', 'x^2/2'],
    ['2^(1/3)*2^(2/3)', '2'], ['2^(3/2)', '2*sqrt(2)'], ['1/sqrt(pi)', 'pi^(-1/2)']] as const) {
    assert.ok(P.equal(poly(a), poly(b)), `${a} = ${b}`);
  }
  assert.not.ok(P.equal(poly('sqrt(2)'), poly('sqrt(3)')));
  const r = derive({ layer: 'ff', dim: 1, g: 'z*(1 + erf(z/sqrt(2)))/2' }, 2);
  assert.match(r.coefficients[2]![0]!, /exp\(-\(1\/2\)\*x\^2\)/);
});

test('the mathjs route knows the activations: its derivatives of erf(erf(x)), softplus(sigmoid(x)) match ours', () => {
  for (const text of ['erf(erf(x) + x^2)', 'softplus(sigmoid(x)*x)', 'silu(swish(x))']) {
    const ds = mathjsDerivatives(parseExpression(text), 'x', 3, ['x'], false);
    let p = poly(text);
    for (let k = 0; k <= 3; k++) {
      for (const x of [-0.6, 0.4]) {
        const a = ev(p, ['x'], [x]), b = ds[k]!([x]);
        assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)), `${text}: derivative ${k} at ${x}: ${a} vs ${b}`);
      }
      p = P.d(p, 'x');
    }
  }
});

// F2 of the FF layer is g′(x)(ax + b) (C13's generic form); g′ written out by hand here.
const GPRIME: Record<string, (x: number) => number> = {
  'z*(1 + erf(z/sqrt(2)))/2': (x) => (1 + HELPERS.erf(x / Math.SQRT2)) / 2 + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI),
  'sigmoid(z)': (x) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); },
  'softplus(z)': (x) => 1 / (1 + Math.exp(-x)),
  'silu(z)': (x) => { const s = 1 / (1 + Math.exp(-x)); return s + x * s * (1 - s); },
  'swish(z)': (x) => { const s = 1 / (1 + Math.exp(-x)); return s + x * s * (1 - s); },
  'e^z': Math.exp,
  'pi*sin(z)': (x) => Math.PI * Math.cos(x),
};

test('exact GELU, sigmoid, softplus, SiLU/swish, e^z, pi: proved at order 3, both routes available, F2 = g′(x)(ax+b)', () => {
  for (const [g, gp] of Object.entries(GPRIME)) {
    const r = derive({ layer: 'ff', dim: 1, g }, 3);
    assert.is(r.verification.verdict, 'proved', g);
    assert.is(r.verification.routes[1]!.agree, true, `${g}: the mathjs route ran and agreed`);
    const F2 = poly(r.coefficients[2]![0]!);
    for (const [x, a, b] of [[0.3, 0.7, -0.2], [-0.8, -0.4, 0.5]] as const) {
      const v = ev(F2, ['x', 'a', 'b'], [x, a, b]);
      assert.ok(Math.abs(v - gp(x) * (a * x + b)) < 1e-13, `${g}: F2 at x = ${x}`);
    }
    for (const tex of derivationTeX(r)) katex.renderToString(tex, { throwOnError: true, displayMode: true });
  }
});

test('constants: e^z is exp(z), the numeric field uses Math.PI and Math.E, TeX prints \\pi and e', () => {
  assert.ok(P.equal(poly('e^z'), poly('exp(z)')));
  assert.ok(P.equal(poly('log(e)'), poly('1')));
  const r = derive({ layer: 'ff', dim: 1, g: 'pi*z + e', A: '0', beta: '0' }, 2);
  const F = compileModified(r, 0, 1);
  const out = new Float64Array(1);
  F(0, Float64Array.of(0.5), out);
  assert.is(out[0], Math.PI * 0.5 + Math.E);
  assert.match(r.tex.ode, /\\pi x/);
  assert.match(r.tex.ode, /e(?![a-z\\])/);
  assert.equal(r.params, []);
});

// Regression: "unknown or non-differentiable function" for abs; the reason is the kink.
test('non-smooth functions are refused with where the Taylor expansion fails, not as unknown', () => {
  for (const [g, re] of [
    ['abs(z)', /abs is not smooth \(abs\(w\) = \|w\| has a kink at w = 0\): no Taylor expansion/],
    ['relu(z)', /relu is not smooth .*kink at w = 0/],
    ['max(z, 0)', /max is not smooth .*where its arguments are equal/],
    ['sign(z)*z', /sign is not smooth/],
    ['softsign(z)', /softsign is not smooth/],
    ['z/(1 + |z|)', /absolute value, which is not smooth/],
  ] as const) {
    const msg = userError(() => derive({ layer: 'ff', dim: 1, g }, 2));
    assert.match(msg, re);
    assert.not.match(msg, /unknown/);
  }
});

test('time-dependent g(z, t): proved at order 3 with the explicit-t terms of the modified equation', () => {
  const r = derive({ layer: 'ff', dim: 1, g: 'z*sin(t) + cos(2*t)' }, 3);
  assert.ok(r.timeDependent);
  assert.is(r.verification.verdict, 'proved');
  // f2 = F2 − ½(F1′F1 + ∂_t F1), written out here by hand.
  const F1 = poly(r.coefficients[1]![0]!), F2 = poly(r.coefficients[2]![0]!);
  const lie = P.add(P.mul(P.d(F1, 'x'), F1), P.d(F1, 't'));
  assert.ok(P.equal(poly(r.modified[1]![0]!), P.sub(F2, P.scale(lie, [1, 2]))));
  assert.ok(P.dependsOn(poly(r.modified[1]![0]!), 't'));
});

// Regression: derive --map "x + sqrt(eps)*x" said "division by zero".
test('maps with no expansion in integer powers of eps are refused with that reason', () => {
  for (const map of ['x + sqrt(eps)*x', 'x + eps^(1/3)*x', 'x + eps*log(eps)', 'x + eps*x + 1/eps', 'x + eps^(3/2)', 'x + eps*csc(eps)']) {
    assert.match(userError(() => derive({ layer: 'map', map }, 2)), /has no expansion in integer powers of eps at eps = 0/, map);
  }
  // smooth in eps: fine
  assert.is(derive({ layer: 'map', map: 'x + eps*sqrt(1 + eps)*x + eps^2' }, 2).verification.verdict, 'proved');
});

test('--dim is inferred from --A or --beta; sizes that disagree are a one-line error', () => {
  assert.is(derive({ layer: 'ff', A: '1, 2; 3, 4', g: 'tanh(z)' }, 1).d, 2);
  assert.is(derive({ layer: 'ff', beta: '1; 2; 3', g: 'tanh(z)' }, 1).d, 3);
  assert.is(derive({ layer: 'residual', A: '0,1;-1,0', beta: '0;0' }, 1).d, 2);
  assert.match(userError(() => derive({ layer: 'ff', A: '1,2;3,4', beta: '1,2,3' }, 1)), /dimensions disagree: --A has 2 row\(s\) but --beta has 3 entries/);
  assert.match(userError(() => derive({ layer: 'ff', dim: 3, A: '1,2;3,4' }, 1)), /--A: expected a 3×3 matrix/);
});

test.run();
