/**
 * sweep as a library: the four shapes (built-in scheme, user map, user field + scheme, derived
 * layer), the expected order from the scheme or inferred from the layer, certifyOrder on a
 * result, and controls: a wrong expected order does not certify.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { certifyOrder, derive, sweep, UserError } from '../../src/index.ts';

const isUserError = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message);

test('a user map: the order is inferred (Euler 1, Heun 2) and certified; certifyOrder(s) = s.certificate', () => {
  const euler = sweep({ map: 'x + eps*(-x + sin(t))', x0: [1], depths: '8..512' });
  assert.equal([euler.expected, euler.expectedFrom, euler.certificate.verdict], [1, 'inferred', 'order']);
  // Heun on x' = −x + sin t: x + ε/2 (f(x, t) + f(x + ε f(x, t), t + ε))
  const heunMap = 'x + eps/2*((-x + sin(t)) + (-(x + eps*(-x + sin(t))) + sin(t + eps)))';
  const heun = sweep({ map: heunMap, x0: [1], depths: '8..512' });
  assert.equal([heun.expected, heun.certificate.verdict], [2, 'order'], heun.certificate.reason);
  assert.equal(certifyOrder(heun), heun.certificate);
  assert.equal(heun.h, heun.depths.map((N) => 1 / N));
  assert.ok(heun.reference.floor > 0 && heun.reference.scale >= 1);
  // controls: the Euler map certified against order 2 fails, the Heun map against 1 is superconvergent
  assert.is(sweep({ map: 'x + eps*(-x + sin(t))', x0: [1], depths: '8..512', expect: 2 }).certificate.verdict, 'inconclusive');
  const over = sweep({ map: heunMap, x0: [1], depths: '8..512', expect: 1 });
  assert.equal([over.expectedFrom, over.certificate.verdict], ['given', 'at least']);
  assert.is(certifyOrder(heun.h, heun.err, 1).verdict, 'at least');
});

test('a derived layer runs as a net: the same errors as the built-in FF scheme on the same problem', () => {
  const problem = { g: '-gamma*z^3', A: '-0.3, 1; -1, -0.2', beta: '0.5; 0.3' };
  const dv = derive({ layer: 'ff', ...problem, dim: 2 }, { order: 2 });
  const x0 = [1, -0.5], constants = { gamma: 0.5 }, depths = [8, 16, 32, 64, 128];
  const viaLayer = sweep({ layer: dv, x0, constants, depths });
  const viaScheme = sweep({ scheme: 'ff', ...problem, x0, constants, depths });
  assert.equal([viaLayer.expected, viaLayer.expectedFrom, viaLayer.certificate.verdict], [1, 'inferred', 'order']);
  // two implementations of the same net (compiled map text vs the FF scheme's loop): round-off apart
  viaLayer.err.forEach((e, i) => assert.ok(Math.abs(e - viaScheme.err[i]!) <= 1e-11, `N = ${depths[i]}: ${e} vs ${viaScheme.err[i]}`));
});

test('a user field under each Runge–Kutta scheme (text or an expression object) certifies the scheme\'s order', () => {
  const dv = derive({ layer: 'ff', g: '-z^3/3', A: '0, 1; -1, 0', beta: 'w; 0', dim: 2 }, { order: 1 });
  for (const [scheme, p] of [['euler', 1], ['heun', 2], ['rk4', 4]] as const) {
    const s = sweep({ field: dv.ode, scheme, x0: [0.5, 0.2], constants: { w: 0.3 }, depths: '8..256' });
    assert.equal([s.expected, s.expectedFrom, s.certificate.verdict], [p, 'scheme', 'order'], `${scheme}: ${s.certificate.reason}`);
  }
  const text = sweep({ field: 'x2; -sin(x1)', scheme: 'midpoint', x0: [1, 0], depths: [8, 16, 32, 64] });
  assert.is(text.certificate.verdict, 'order');
});

test('the built-in default is CLAIMS C12 (ff, order 1)', () => {
  const s = sweep({ depths: '4..256' });
  assert.equal([s.scheme, s.expected, s.certificate.verdict, s.x0], ['ff', 1, 'order', [1, -0.5]]);
});

test('each part of the built-in problem left out is C12\'s, as in `converge`: giving C12\'s A explicitly changes nothing (β was 0 then)', () => {
  const whole = sweep({ depths: '4..16' });
  for (const part of [{ A: ['-0.3', '1 + 0.5*sin(2*t)', '-1', '-0.2 + 0.3*cos(3*t)'] }, { beta: '0.5*cos(t); 0.3*sin(2*t)' }, { g: '-gamma*z^3' }]) {
    const s = sweep({ ...part, depths: '4..16' });
    assert.equal([s.reference.x, s.err], [whole.reference.x, whole.err], JSON.stringify(part));
  }
  // C12's A and β are 2×2 and 2: another dimension must give them
  assert.throws(() => sweep({ g: 'tanh(z)', x0: [1, 2, 3], depths: '4..16' }), isUserError(/default A \(the C12 problem\) has dimension 2; give A and beta of dimension 3/));
});

test('bad sweeps are UserErrors', () => {
  assert.throws(() => sweep({ map: 'x + eps*x', field: 'x' } as never), isUserError(/one of map, field or layer, not map and field/));
  assert.throws(() => sweep({ map: 'x + eps*x' } as never), isUserError(/x0/));
  assert.throws(() => sweep({ field: 'x', x0: [1] } as never), isUserError(/needs a scheme/));
  assert.throws(() => sweep({ map: 'x + eps*x', x0: [1], depth: [4] } as never), isUserError(/unknown field 'depth'/));
  assert.throws(() => sweep({ map: 'x + c*eps*x', x0: [1], depths: '4..64' }), isUserError(/unknown symbol "c"/));
  assert.throws(() => sweep({ layer: derive({ g: 'generic' }), x0: [1] }), isUserError(/generic g/));
  assert.throws(() => sweep({ map: 'x + eps*x', x0: [1], depths: '64..4' }), isUserError(/empty range/));
  assert.throws(() => certifyOrder({ h: [1, 2] } as never), isUserError(/needs h, err and expected/));
  // the CLI's budget, before any work: a ladder to 2^40 layers is refused at once
  assert.throws(() => sweep({ map: 'x + eps*x', x0: [1], depths: [4, 2 ** 40] }), isUserError(/--depths up to .* needs ≈ .*; at most \d+/));
  // a list is checked before the budget: NaN used to reach it ("--depths up to NaN needs ; at most 0"), a bare number was a TypeError
  assert.throws(() => sweep({ map: 'x + eps*x', x0: [1], depths: [NaN, 8, 16] }), isUserError(/depths: NaN is not a positive integer/));
  assert.throws(() => sweep({ map: 'x + eps*x', x0: [1], depths: 64 as never }), isUserError(/depths: give a list/));
});

test.run();
