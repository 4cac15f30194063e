import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rk4 } from '../../../src/numeric/ode/rk4.ts';
import { certifyOrder, describeCertificate } from '../../../src/numeric/certify.ts';

import { exponential, maxErr, oscillator, timeDependent , userError } from './helpers.ts';

for (const p of [exponential, oscillator, timeDependent]) {
  test(`rk4 has certified order 4 on the ${p.name} problem`, () => {
    const T = 2, hs: number[] = [], errs: number[] = [];
    for (let N = 4; N <= 256; N *= 2) {
      hs.push(T / N);
      errs.push(maxErr(rk4(p.f, p.t0, p.t0 + T, p.x0, N), p.exact(p.t0 + T)));
    }
    const c = certifyOrder(hs, errs, 4);
    assert.is(c.verdict, 'order', describeCertificate(c));
  });
}

test('rk4 integrates backward (t1 < t0) to the same accuracy', () => {
  const x1 = oscillator.exact(3);
  const back = rk4(oscillator.f, 3, 0, Float64Array.from(x1), 200);
  // global error ≈ T h⁴/120·|x⁽⁵⁾| ≤ 3·0.015⁴/120 ≈ 1.3e-9
  assert.ok(maxErr(back, [1, 0]) < 2e-9, `${maxErr(back, [1, 0])}`);
});

test('rk4 writes into out and leaves x0 untouched', () => {
  const x0 = new Float64Array([1, 0]), out = new Float64Array(2);
  const r = rk4(oscillator.f, 0, 1, x0, 10, out);
  assert.ok(r === out);
  assert.equal(Array.from(x0), [1, 0]);
});

test('rk4 rejects non-positive step counts and reports non-finite states with their step', () => {
  assert.throws(() => rk4(oscillator.f, 0, 1, new Float64Array([1, 0]), 0), userError(/positive integer/));
  assert.throws(() => rk4(oscillator.f, 0, 1, new Float64Array([1, 0]), -3), userError());
  // x' = x², x(0) = 1 blows up at t = 1.
  const blow = (_t: number, x: Float64Array, o: Float64Array) => { o[0] = x[0]! * x[0]!; };
  assert.throws(() => rk4(blow, 0, 2, new Float64Array([1]), 8), userError(/non-finite state at step \d+ of 8 \(t = /));
});

test.run();
