import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { compileModified, derive, taylorCoefficients, verifyDerivation } from '../../src/symbolic/derive.ts';
import { hamiltonianOf } from '../../src/symbolic/hamiltonian.ts';
import { buildLayer } from '../../src/symbolic/layers.ts';
import { modifiedEquation } from '../../src/symbolic/modified.ts';
import { juxtaposition } from '../../src/symbolic/names.ts';
import { compileVectorField } from '../../src/symbolic/compile.ts';
import { compileProblem } from '../../src/experiments/sweep-problem.ts';
import { UserError } from '../../src/util/errors.ts';

const userError = (f: () => unknown): string => {
  try { f(); } catch (e) {
    assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
    assert.not.match((e as Error).message, /\n/);
    return (e as Error).message;
  }
  assert.unreachable('expected a UserError');
  return '';
};

// Regression: derive --g "2z" printed "parameters: a, b, z", F1 = b + 2*z + a*x, and said proved
// (the layer map substituted z by a word-boundary regex, and there is no boundary in 2z).
test('derive --g 2z: z is the activation variable, F1 = ax + b + 2x, parameters a, b', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '2z' }, 2);
  assert.equal(r.params, ['a', 'b']);
  assert.is(r.verification.verdict, 'proved');
  const e = derive({ layer: 'ff', dim: 1, g: '2*z' }, 2);
  assert.equal(r.coefficients, e.coefficients);
  assert.equal(r.modified, e.modified);
  // the same in converge's problem text (its substitution was textual too)
  const p = compileProblem({ g: '0.5z', A: ['0'], beta: ['0'], x0: [1], T: 1 });
  const out = new Float64Array(1);
  p.ode(0, Float64Array.of(0.8), out);
  assert.ok(Math.abs(out[0]! - 0.4) < 1e-15, String(out[0]));
});

/** A random g with explicit products, and the same g with implicit ones (2z, 3(…), (…)(…), a z). */
const gPair = (): fc.Arbitrary<[string, string]> => {
  const sym = fc.constantFrom('z', 'c', 'k', 'w1');
  const num = fc.oneof(fc.integer({ min: 1, max: 9 }).map(String), fc.constantFrom('0.5', '1.25', '3.5'));
  const fn = fc.constantFrom('tanh', 'sin', 'exp', 'sigmoid', 'erf');
  const { e } = fc.letrec<{ e: [string, string] }>((tie) => ({
    e: fc.oneof({ depthSize: 'small' },
      sym.map((s) => [s, s] as [string, string]),
      fc.tuple(num, sym).map(([n, s]) => [`${n}*${s}`, `${n}${s}`] as [string, string]),
      fc.tuple(num, tie('e')).map(([n, [x, y]]) => [`${n}*(${x})`, `${n}(${y})`] as [string, string]),
      fc.tuple(tie('e'), tie('e')).map(([[x1, y1], [x2, y2]]) => [`(${x1})*(${x2})`, `(${y1})(${y2})`] as [string, string]),
      fc.tuple(sym, fn, tie('e')).map(([s, f, [x, y]]) => [`${s}*${f}(${x})`, `${s} ${f}(${y})`] as [string, string]),
      fc.tuple(tie('e'), fc.constantFrom('+', '-'), tie('e')).map(([[x1, y1], op, [x2, y2]]) => [`${x1} ${op} ${x2}`, `${y1} ${op} ${y2}`] as [string, string]),
      fc.tuple(tie('e'), fc.constantFrom(2, 3)).map(([[x, y], k]) => [`(${x})^${k}`, `(${y})^${k}`] as [string, string])),
  }));
  return e;
};

test('property: g with implicit products gives the same derivation as with explicit ones (seeded)', () => {
  let compared = 0;
  fc.assert(fc.property(gPair(), ([explicit, implicit]) => {
    const run = (g: string) => {
      try { return derive({ layer: 'ff', dim: 1, g }, 2, { verify: false }); } catch (e) {
        if (e instanceof UserError) return e.message;
        throw e;
      }
    };
    const a = run(explicit), b = run(implicit);
    if (typeof a === 'string' || typeof b === 'string') return typeof a === typeof b;
    compared++;
    return JSON.stringify([a.params, a.coefficients, a.modified]) === JSON.stringify([b.params, b.coefficients, b.modified]);
  }), { seed: 2024, numRuns: 120 });
  assert.ok(compared > 100, `only ${compared} derivations compared`);
});

// The verification must be able to refute this class: the F that the textual substitution made
// (z a free parameter, here q) is refuted by the routes when checked against the true map.
test('the verification routes refute the F of the textual substitution (z left as a parameter)', () => {
  const wrongMap = derive({ layer: 'map', map: '(x + eps*(a*x + b)) + eps*(2*q)' }, 2, { verify: false });
  const wrongLayer = buildLayer({ layer: 'map', map: '(x + eps*(a*x + b)) + eps*(2*q)' });
  const F = taylorCoefficients(wrongLayer, 2);
  const f = modifiedEquation(F, ['x']);
  assert.equal(wrongMap.params, ['a', 'b', 'q']);
  const truth = buildLayer({ layer: 'ff', dim: 1, g: '2z' });
  const v = verifyDerivation({ ...truth, params: ['a', 'b', 'q'] }, F, f, 2, 7, 6);
  assert.is(v.verdict, 'refuted');
  assert.is(v.routes[1]!.agree, false, 'the mathjs route disagrees');
  assert.not.ok(v.numeric.series.ok, 'the series ladder refutes');
  // and the same check passes the right F (a control that the refutation is not a crash)
  const good = taylorCoefficients(truth, 2);
  assert.is(verifyDerivation(truth, good, modifiedEquation(good, ['x']), 2, 7, 6).verdict, 'proved');
});

test('every symbol is classified; ambiguous or misplaced ones are refused with the reason', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => derive({ layer: 'ff', g: 'zt' }, 1), /"zt" .* reads two ways: as z\*t or as one parameter named zt/],
    [() => derive({ layer: 'ff', g: 'z2*z' }, 1), /"z2" .* reads two ways: as z\*2/],
    [() => derive({ layer: 'ff', g: 'xz' }, 1), /"xz" .* reads two ways/],
    [() => derive({ layer: 'map', map: 'x + epsx' }, 1), /"epsx" .* reads two ways: as eps\*x/],
    [() => derive({ layer: 'map', map: 'x + eps*epsilon*x' }, 1), /looks like the step but is not it/],
    [() => derive({ layer: 'map', map: 'x1 + eps*x3; x2' }, 1), /"x3" .* is not a state variable for d = 2 \(use x1, x2\)/],
    [() => derive({ layer: 'map', map: 'x + eps*x1' }, 1), /"x1" .* is not a state variable for d = 1 \(use x\)/],
    [() => derive({ layer: 'map', map: 'x + eps*z' }, 1), /"z" .* z is the variable of g/],
    [() => derive({ layer: 'ff', g: 'eps*z' }, 1), /eps is the step/],
    [() => derive({ layer: 'ff', A: 'x' }, 1), /"x" .* is a state variable/],
    [() => derive({ layer: 'ff', g: 'b*z' }, 1), /"b" .* reserved \(the default symbolic entry of beta/],
    [() => derive({ layer: 'ff', g: 'g1*z' }, 1), /reserved \(the jets/],
    [() => derive({ layer: 'ff', g: 'sin*z' }, 1), /"sin" is a function; write sin\(…\)/],
    [() => derive({ layer: 'ff', g: 'c(z + 1)' }, 1), /unknown function "c" .*for a product write c\*\(…\)/],
    [() => derive({ layer: 'ff', g: '1/2z' }, 1), /reads two ways \(an implicit product next to \/ or \^\)/],
    [() => derive({ layer: 'ff', g: 'z/2z' }, 1), /reads two ways/],
    [() => derive({ layer: 'ff', g: 'e^2z' }, 1), /reads two ways/],
    [() => derive({ layer: 'ff', g: 'E*z' }, 1), /reserved name "E" .*Euler's number is e/],
    [() => hamiltonianOf(['a*x']), /"a" .* is reserved \(the costate/],
    [() => hamiltonianOf(['x*zt']), /"zt" .* reads two ways/],
  ];
  for (const [f, re] of cases) assert.match(userError(f), re);
  // read one way: t0 and e1 are parameters, underscores name parameters explicitly, (1/2)z is fine
  assert.is(juxtaposition('t0'), undefined);
  assert.equal(juxtaposition('x1x2'), ['x', '1', 'x', '2']);
  assert.equal(derive({ layer: 'ff', g: 'z_t*z + t0*tanh(z) + (1/2)z + 3z/4', A: '1', beta: '0' }, 1).params, ['t0', 'z_t']);
});

// Regression: a default symbolic entry written in another part was silently the same symbol
// (b1 in --A was β_1, a11 in --beta was A_11, bb in g was B's entry), and for d ≥ 11 the default
// names collided (a111 was both A_{1,11} and A_{11,1}; b11 both β_11 and B_{1,1}).
test('default symbolic entries: never shared with a name the user wrote, distinct for every d', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => buildLayer({ layer: 'ff', dim: 2, A: 'b1, 0; 0, 1', g: '0' }), /--A: "b1" .* reserved \(the default symbolic entry of beta; give --beta/],
    [() => buildLayer({ layer: 'ff', dim: 2, beta: 'a11; 0', g: '0' }), /--beta: "a11" .* reserved \(the default symbolic entry of A; give --A/],
    [() => buildLayer({ layer: 'ff', g: 'bb*z', B: 'symbolic' }), /--g: "bb" .* reserved \(the default symbolic entry of B; give --B/],
    [() => buildLayer({ layer: 'ff', dim: 2, beta: 'b11; 0', B: 'symbolic', g: '0' }), /--beta: "b11" .* reserved \(the default symbolic entry of B/],
    [() => buildLayer({ layer: 'residual', dim: 2, A: 'b1, 0; 0, 1' }), /--A: "b1" .* reserved/],
  ];
  for (const [f, re] of cases) assert.match(userError(f), re);
  // a name the user gives in two parts of their own is one parameter, as written
  assert.equal(buildLayer({ layer: 'ff', dim: 2, A: 'a11, 0; 0, 1', beta: 'b1; b2', g: 'a12*z' }).params, ['a11', 'a12', 'b1', 'b2']);
  // d = 11 with symbolic A, β and B: d² + d² + d distinct parameters
  const d = 11;
  assert.is(new Set(buildLayer({ layer: 'ff', dim: d, g: '0', B: 'symbolic' }).params).size, 2 * d * d + d);
});

// Regression: distinct names that print as the same TeX made the TeX read as another formula:
// x1 + ε x_1 x2 (x_1 a parameter) was typeset x_{2} x_{1}, the product of the two states
test('names that print as the same TeX are refused', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => buildLayer({ layer: 'map', map: 'x1 + eps*x_1*x2; x2' }), /--map: "x1" and "x_1" both print as x_\{1\} in TeX/],
    [() => buildLayer({ layer: 'map', map: 'x + eps*alpha1*alpha_1*x' }), /"alpha1" and "alpha_1" both print as \\alpha_\{1\}/],
    [() => buildLayer({ layer: 'ff', dim: 2, g: 'a_11*z' }), /"a11" and "a_11" both print as a_\{11\}/],
    [() => hamiltonianOf(['a_1*x1', 'x2']), /"a1" and "a_1" both print as a_\{1\}/],
  ];
  for (const [f, re] of cases) assert.match(userError(f), re);
  // names that print differently pass: a12 is a_{12}, a1_2 is a_{1,2}
  assert.equal(buildLayer({ layer: 'map', map: 'x + eps*a12*a1_2*x' }).params, ['a12', 'a1_2']);
});

// Regression: constructor, __proto__, toString as a symbol crashed hamiltonian with a TypeError
// (a Record lookup reached Object.prototype); the same names as parameters, constants or values.
test('Object.prototype names: parameters like any other, or one-line refusals; never a TypeError', () => {
  const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'prototype', '__proto__', '__defineGetter__'];
  for (const n of NAMES) {
    const attempt = (f: () => unknown): void => {
      try { f(); } catch (e) { assert.ok(e instanceof UserError, `${n}: ${String(e)}`); }
    };
    attempt(() => {
      const r = derive({ layer: 'ff', dim: 1, g: `${n}*z`, A: '1', beta: '0' }, 2);
      assert.equal(r.params, [n]);
      assert.is(r.verification.verdict, 'proved');
      // a missing value is a UserError, a given one is used
      assert.match(userError(() => compileModified(r, 0.1, 2, {})), /no value for parameter/);
      const F = compileModified(r, 0, 1, { [n]: 2 });
      const out = new Float64Array(1);
      F(0, Float64Array.of(0.5), out);
      assert.ok(Math.abs(out[0]! - 1.5) < 1e-15);
    });
    attempt(() => derive({ layer: 'map', map: `x + eps*${n}*x` }, 2));
    attempt(() => derive({ layer: 'ff', dim: 1, A: n }, 2));
    attempt(() => assert.is(hamiltonianOf([`${n}*x + toString`], { params: [n] }).verification.verdict, 'proved'));
    attempt(() => compileVectorField([`x*${n}`], ['x'], 't', {}));
    attempt(() => compileVectorField([`x*${n}`], ['x'], 't', { [n]: 2 }));
    attempt(() => compileProblem({ g: `${n}*z`, A: ['0'], beta: ['0'], constants: { [n]: 1 }, x0: [1], T: 1 }));
  }
  assert.match(userError(() => hamiltonianOf(['__proto__*x'])), /symbol name "__proto__" .* not allowed/);
});

test.run();
