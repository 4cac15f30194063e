/** A field given as text, compiled with exact Jacobians, satisfies the scheme contract. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contract } from '../numeric/schemes/contract.ts';
import { makeScheme } from '../../src/numeric/schemes/net.ts';
import { userField } from '../../src/experiments/user-field.ts';
import { schemeSweep } from '../../src/experiments/depth-sweep.ts';
import { userError } from '../numeric/ode/helpers.ts';

// θ = (w, b) time-dependent through thetaOf; gamma a constant; F explicitly depends on t too.
const F = ['w*x1 + b*sin(x2) - gamma*x1^3 + 0.2*cos(t)', 'tanh(w*x2 - b) + x1*exp(-x2^2/2)'];
const thetaOf = (t: number, out: Float64Array) => { out[0] = 0.5 + 0.3 * Math.sin(2 * t); out[1] = -0.4 + 0.2 * Math.cos(t); };
for (const name of ['euler', 'heun', 'rk4']) {
  contract(test, {
    label: `${name}/user field`, scheme: makeScheme(name, userField(F, { params: ['w', 'b'], constants: { gamma: 0.5 } }).field),
    thetaOf, x0: new Float64Array([0.7, -0.3]), T: 1,
  });
}

test('a user field with a Runge–Kutta scheme converges at the scheme\'s order (and refuses ff/map)', () => {
  for (const [scheme, p] of [['euler', 1], ['midpoint', 2], ['rk4', 4]] as const) {
    const r = schemeSweep({ field: ['x2', '-sin(x1) + c*cos(t)'], constants: { c: 0.1 }, x0: [1, 0], T: 1, scheme, against: 'ode', depths: [8, 16, 32, 64, 128] });
    assert.is(r.certificate.verdict, 'order', `${scheme}: ${r.certificate.reason}`);
    assert.is(r.expected, p);
  }
  assert.throws(() => schemeSweep({ field: ['-x'], x0: [1], T: 1, scheme: 'ff', against: 'ode', depths: [4, 8, 16] }), userError(/ff is the FF layer/));
  assert.throws(() => schemeSweep({ field: ['-x'], x0: [1], T: 1, scheme: 'map', against: 'ode', depths: [4, 8, 16] }), userError(/field takes euler/));
});

test('bad fields are one-line UserErrors', () => {
  assert.throws(() => userField(['x1 + q', 'x2'], {}), userError(/unknown symbol "q"/));
  assert.throws(() => userField(['x', ''], {}), userError(/empty component/));
  assert.throws(() => userField(['w*x'], { params: ['w'], constants: { w: 1 } }), userError(/both as a parameter and as a constant/));
  assert.throws(() => userField(['w*x'], { params: ['x'] }), userError(/state or time/));
  assert.throws(() => userField(['c*x'], { constants: { c: Infinity } }), userError(/not finite/));
});

test.run();
