/**
 * inferOrder: the global order of a user's layer map, read off its ε-series, against textbook
 * orders (Euler 1, Heun and midpoint 2, RK4 4, a wrong ε² term 1), each confirmed by a
 * certified depth sweep of the same map; and the control: a wrong expected order is
 * inconclusive on the same data that certify the inferred one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inferOrder } from '../../src/symbolic/order.ts';
import { schemeSweep } from '../../src/experiments/depth-sweep.ts';
import { certifyOrder } from '../../src/numeric/certify.ts';

type Field = (t: string, x: string) => string;
/**
 * dx/dt = −sin x + t from x0 = 0.5 on T = 1: smooth and non-autonomous. Chosen because no
 * method's leading error constant nearly cancels there (with sin x − cos t from −0.5, Euler's
 * does, and depths 4…64 are pre-asymptotic for it).
 */
const F: Field = (t, x) => `-sin(${x}) + ${t}`;

// One step of each textbook method for dx/dt = f(t, x), written out as a layer map Φ(x, t, eps).
const euler = (f: Field) => `x + eps*(${f('t', 'x')})`;
const heun = (f: Field) => `x + eps/2*((${f('t', 'x')}) + (${f('(t + eps)', `(x + eps*(${f('t', 'x')}))`)}))`;
const midpoint = (f: Field) => `x + eps*(${f('(t + eps/2)', `(x + eps/2*(${f('t', 'x')}))`)})`;
function rk4(f: Field): string {
  const k1 = f('t', 'x');
  const k2 = f('(t + eps/2)', `(x + eps/2*(${k1}))`);
  const k3 = f('(t + eps/2)', `(x + eps/2*(${k2}))`);
  const k4 = f('(t + eps)', `(x + eps*(${k3}))`);
  return `x + eps/6*((${k1}) + 2*(${k2}) + 2*(${k3}) + (${k4}))`;
}
/** The Taylor-2 step would add eps²/2·(f_x f + f_t) = eps²/2·(1 − cos x·f); this one adds eps²·cos x·f instead. */
const wrongSecond = (f: Field) => `x + eps*(${f('t', 'x')}) + eps^2*cos(x)*(${f('t', 'x')})`;

const sweep = (map: string, depths: number[], extra: { expect?: number; against?: 'ode' | 'modified' } = {}) =>
  schemeSweep({ map: [map], x0: [0.5], T: 1, scheme: 'map', against: extra.against ?? 'ode', depths, constants: {}, ...(extra.expect ? { expected: extra.expect } : {}) });

const cases: [string, string, number][] = [
  ['Euler', euler(F), 1],
  ['Heun', heun(F), 2],
  ['explicit midpoint', midpoint(F), 2],
  ['RK4', rk4(F), 4],
  ['a wrong eps^2 term', wrongSecond(F), 1],
];

for (const [name, map, order] of cases) {
  test(`${name} written as a map: inferred order ${order}, and the sweep certifies it`, () => {
    const inf = inferOrder({ layer: 'map', map });
    assert.is(inf.order, order);
    assert.is(inf.atLeast, false);
    assert.is(inf.firstDifference, order + 1);
    // depths 4…64: RK4's error at N = 64 is ~1e-9, well above the reference floor
    const r = sweep(map, [4, 8, 16, 32, 64]);
    assert.is(r.expectation.source, 'inferred');
    assert.is(r.expected, order);
    assert.is(r.certificate.verdict, 'order', `${name}: ${r.certificate.reason} (slope ${r.certificate.slope})`);
  });
}

test('against the modified equation: Euler map order 2 (certified); Heun order 2 (its f₂ = 0)', () => {
  assert.is(inferOrder({ layer: 'map', map: euler(F) }, { against: 'modified' }).order, 2);
  assert.is(inferOrder({ layer: 'map', map: heun(F) }, { against: 'modified' }).order, 2);
  const r = sweep(euler(F), [8, 16, 32, 64, 128], { against: 'modified' });
  assert.is(r.expected, 2);
  assert.is(r.certificate.verdict, 'order', r.certificate.reason);
});

test('control: a wrong expected order is inconclusive on the data that certify the inferred one', () => {
  const depths = [4, 8, 16, 32, 64];
  const wrong = sweep(euler(F), depths, { expect: 2 });
  assert.is(wrong.expectation.source, 'given');
  assert.is(wrong.expected, 2);
  assert.is((wrong.expectation.inferred as { order: number }).order, 1);
  assert.match(wrong.expectation.text, /own order is 1 \(DIFFERENT\)/);
  assert.is(wrong.certificate.verdict, 'inconclusive');
  // the same errors at the inferred order: the control failed as a measurement, not a crash
  assert.is(certifyOrder(wrong.h, wrong.err, 1, { floor: wrong.reference.floor }).verdict, 'order');
  const right = sweep(heun(F), depths, { expect: 2 });
  assert.match(right.expectation.text, /^2 \(given; the layer's own order is 2, inferred/);
  assert.is(right.certificate.verdict, 'order');
});

test('a 2-d map (Heun step of the pendulum x1\' = x2, x2\' = −sin x1): order 2', () => {
  const k1 = ['x2', '-sin(x1)'];
  const y = ['(x1 + eps*x2)', '(x2 - eps*sin(x1))'];
  const map = `x1 + eps/2*(${k1[0]} + ${y[1]}); x2 + eps/2*(${k1[1]} - sin(${y[0]}))`;
  assert.is(inferOrder({ layer: 'map', map }).order, 2);
  const r = schemeSweep({ map: map.split(';'), x0: [1, 0], T: 1, scheme: 'map', against: 'ode', depths: [8, 16, 32, 64, 128], constants: {} });
  assert.is(r.expected, 2);
  assert.is(r.certificate.verdict, 'order', r.certificate.reason);
});

test('coefficients that vanish only at the given constants, or only up to a trig identity, count as zero', () => {
  // x(1 + eps + c eps²) against e^eps: f₂ = (c − 1/2)x, so order 2 exactly at c = 1/2
  const map = 'x + eps*x + eps^2*c*x';
  const half = inferOrder({ layer: 'map', map }, { constants: { c: 0.5 } });
  assert.is(half.order, 2);
  assert.equal(half.numericZeros, [2]);
  assert.match(half.reason, /f₂ vanishes only numerically/);
  assert.is(inferOrder({ layer: 'map', map }, { constants: { c: 0.4 } }).order, 1);
  assert.is(inferOrder({ layer: 'map', map }).order, 1); // c sampled: generic c
  const trig = inferOrder({ layer: 'map', map: 'x + eps*x + eps^2*(sin(t)^2 + cos(t)^2)*x/2' });
  assert.is(trig.order, 2);
  assert.equal(trig.numericZeros, [2]);
});

test('the exact flow matches through every examined power: a lower bound, said so', () => {
  const r = inferOrder({ layer: 'map', map: 'x*exp(eps)' }, { maxPower: 5 });
  assert.is(r.atLeast, true);
  assert.is(r.order, 4);
  assert.is(r.firstDifference, null);
  assert.match(r.reason, /order ≥ 4/);
});

test('closed-form maps: polynomial steps of dx/dt = −x, a 2-d Euler rotation', () => {
  const order = (map: string) => inferOrder({ layer: 'map', map });
  assert.is(order('x + eps*sin(x)').order, 1);
  assert.is(order('x - eps*x + eps^2*x/2').order, 2); // Heun on x' = −x
  assert.is(order('x1 + eps*x2; x2 - eps*x1').order, 1);
  // RK4's stability polynomial: e^{−ε} to ε⁴, first different at ε⁵
  const rk4 = order('x*(1 - eps + eps^2/2 - eps^3/6 + eps^4/24)');
  assert.equal([rk4.order, rk4.atLeast, rk4.firstDifference], [4, false, 5]);
  // the same polynomial with a wrong ε³ coefficient: order 2
  assert.is(order('x*(1 - eps + eps^2/2 - eps^3/5 + eps^4/24)').order, 2);
});

test('bad input is a UserError', () => {
  assert.throws(() => inferOrder({ layer: 'map', map: 'tanh(x + eps)' }), /not near-identity/);
  assert.throws(() => inferOrder({ layer: 'map', map: 'x + eps*x' }, { maxPower: 1 }), /maxPower/);
});

test.run();
