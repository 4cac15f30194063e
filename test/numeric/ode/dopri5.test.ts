import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dopri5 } from '../../../src/numeric/ode/dopri5.ts';
import { certifyOrder, describeCertificate, fitLogLog } from '../../../src/numeric/certify.ts';

import { ARENSTORF_T, arenstorf, exponential, kinkedProblem, maxErr, oscillator, timeDependent , userError } from './helpers.ts';
import { makeRng } from '../../../src/util/prng.ts';

for (const p of [exponential, oscillator, timeDependent]) {
  test(`dopri5 meets its tolerance on the ${p.name} problem, forward and backward`, () => {
    const T = 3;
    for (const tol of [1e-6, 1e-9, 1e-12]) {
      const r = dopri5(p.f, p.t0, p.t0 + T, p.x0, { rtol: tol, atol: tol });
      const e = maxErr(r.x, p.exact(p.t0 + T));
      // Local error control gives a global error of a small multiple of tol on these
      // non-stiff problems; 50·tol leaves room for error accumulation over ~10² steps.
      assert.ok(e < 50 * tol, `tol ${tol}: error ${e}`);
      // Backward over [0, 1] only: backward over [0, 3] amplifies errors by e⁹ for x' = −2t x.
      const b = dopri5(p.f, p.t0 + 1, p.t0, Float64Array.from(p.exact(p.t0 + 1)), { rtol: tol, atol: tol });
      assert.ok(maxErr(b.x, Array.from(p.x0)) < 50 * tol, `backward tol ${tol}: ${maxErr(b.x, Array.from(p.x0))}`);
    }
  });
}

test('dopri5 dense output is accurate between steps (4th-order interpolant, error ~ tolerance)', () => {
  for (const tol of [1e-6, 1e-10]) {
    const r = dopri5(oscillator.f, 0, 10, oscillator.x0, { rtol: tol, atol: tol, dense: true });
    assert.ok(r.dense);
    const o = new Float64Array(2);
    let m = 0;
    for (let k = 0; k <= 1000; k++) { const t = k / 100; r.dense.eval(t, o); m = Math.max(m, maxErr(o, oscillator.exact(t))); }
    // the interpolant is 4th order with error of the same size as the step's local error
    assert.ok(m < 50 * tol, `tol ${tol}: dense error ${m}`);
    r.dense.eval(10, o);
    assert.ok(maxErr(o, Array.from(r.x)) < 1e-15, 'dense output ends at the final state');
  }
  // backward dense output
  const b = dopri5(oscillator.f, 10, 0, Float64Array.from(oscillator.exact(10)), { rtol: 1e-10, atol: 1e-10, dense: true });
  const o = new Float64Array(2);
  b.dense!.eval(4.3, o);
  assert.ok(maxErr(o, oscillator.exact(4.3)) < 5e-9);
  assert.throws(() => b.dense!.eval(10.5, o), RangeError);
});

test('dense output of a degree-4 polynomial solution is exact to round-off', () => {
  // x' = 4t³ + 1 has x = t⁴ + t: the 4th-order continuous extension reproduces it exactly.
  const f = (t: number, _x: Float64Array, o: Float64Array) => { o[0] = 4 * t * t * t + 1; };
  const r = dopri5(f, 0, 2, new Float64Array([0]), { rtol: 1e-3, atol: 1e-3, dense: true });
  const o = new Float64Array(1);
  for (const t of [0.1, 0.77, 1.3, 1.99]) { r.dense!.eval(t, o); assert.ok(Math.abs(o[0]! - (t ** 4 + t)) < 1e-13, `t=${t}: ${o[0]! - (t ** 4 + t)}`); }
});

test('fixed steps (h0 = hmax, tolerance never binding): the tableau has order 5, the dense output error O(h⁵)', () => {
  // With the controller out of the way a wrong Butcher coefficient cannot be hidden by smaller
  // steps: it lowers the certified slope. The continuous extension is of order 4, so its
  // error inside a step is O(h⁵) as well (local), on the same ladder.
  const T = 2, hs: number[] = [], grid: number[] = [], mid: number[] = [], o = new Float64Array(2);
  for (let N = 4; N <= 256; N *= 2) {
    const h = T / N;
    const r = dopri5(oscillator.f, 0, T, oscillator.x0, { h0: h, hmax: h, rtol: 1e10, atol: 1e10, dense: true });
    assert.is(r.steps, N);
    hs.push(h); grid.push(maxErr(r.x, oscillator.exact(T)));
    let m = 0;
    for (let k = 0; k < N; k++) { const t = (k + 0.5) * h; r.dense!.eval(t, o); m = Math.max(m, maxErr(o, oscillator.exact(t))); }
    mid.push(m);
  }
  const cg = certifyOrder(hs, grid, 5), cm = certifyOrder(hs, mid, 5);
  assert.is(cg.verdict, 'order', describeCertificate(cg));
  assert.is(cm.verdict, 'order', describeCertificate(cm));
});

test('Arenstorf orbit: closing error |y(T) − y(0)| is roughly proportional to the tolerance', () => {
  const tols = [1e-6, 1e-8, 1e-10, 1e-12], errs: number[] = [];
  for (const tol of tols) {
    const r = dopri5(arenstorf.f, 0, ARENSTORF_T, arenstorf.x0, { rtol: tol, atol: tol });
    errs.push(Math.hypot(r.x[0]! - arenstorf.x0[0]!, r.x[1]! - arenstorf.x0[1]!));
  }
  const fit = fitLogLog(tols, errs);
  // "Tolerance proportionality": slope 1 of log(err) on log(tol); ±0.15 allows the
  // controller's non-smooth step sequence (Hairer–Nørsett–Wanner I, II.4 fig. 4.2).
  assert.ok(Math.abs(fit.slope - 1) < 0.15, `slope ${fit.slope}, errors ${errs}`);
  for (let i = 0; i < tols.length; i++) assert.ok(errs[i]! < 1e3 * tols[i]!, `error ${errs[i]} at tol ${tols[i]}`);
});

test('dopri5 counts work and propagates FSAL (evaluations ≈ 6 per step + 2)', () => {
  const r = dopri5(oscillator.f, 0, 10, oscillator.x0, { rtol: 1e-8, atol: 1e-8 });
  assert.is(r.evaluations, 6 * (r.steps + r.rejected) + 2);
});

test('tstops: across kinks of w(t) the error scales with the tolerance again (< 2·tol); without them it wanders up to > 1000·tol', () => {
  const rng = makeRng(2);
  const p = kinkedProblem(Array.from({ length: 6 }, () => rng.uniform(-1.5, 1.5)));
  const ratios = (stops: boolean) => [1e-8, 1e-9, 1e-10, 1e-11, 1e-12].map((tol) =>
    maxErr(dopri5(p.f, 0, p.T, p.x0, { rtol: tol, atol: tol, ...(stops ? { tstops: p.knots } : {}) }).x, p.exact(p.T)) / tol);
  const withStops = ratios(true), plain = ratios(false);
  // DOPRI5 with local extrapolation on a smooth field: global error ≈ C·tol with C = O(1)
  assert.ok(Math.max(...withStops) < 2 && Math.max(...withStops) / Math.min(...withStops) < 3, `with tstops err/tol = ${withStops.map((r) => r.toFixed(2))}`);
  assert.ok(Math.min(...plain) > 2 * Math.max(...withStops) && Math.max(...plain) > 1000, `without tstops err/tol = ${plain.map((r) => r.toFixed(1))}`);
  // the dense output is continuous through the breakpoints and matches the closed form
  const r = dopri5(p.f, 0, p.T, p.x0, { rtol: 1e-10, atol: 1e-10, tstops: p.knots, dense: true });
  const o = new Float64Array(1);
  for (const t of [...p.knots, 0.37, 1.21, 1.99]) { r.dense!.eval(t, o); assert.ok(Math.abs(o[0]! - p.exact(t)[0]!) < 1e-9, `t = ${t}`); }
});

test('tstops: f with a jump is evaluated afresh after the breakpoint (no FSAL from the left), backward too', () => {
  // x' = 1 for t < 0.7, x' = −2 t after: piecewise polynomial, so each piece is exact to round-off.
  const f = (t: number, _x: Float64Array, o: Float64Array) => { o[0] = t < 0.7 ? 1 : -2 * t; };
  const exact = (t: number) => (t < 0.7 ? t : 0.7 - (t * t - 0.49));
  const fwd = dopri5(f, 0, 2, new Float64Array([0]), { rtol: 1e-6, atol: 1e-6, tstops: [0.7, 5, -1, 0.7] });
  assert.ok(Math.abs(fwd.x[0]! - exact(2)) < 1e-13, `forward ${fwd.x[0]! - exact(2)}`);
  const plain = dopri5(f, 0, 2, new Float64Array([0]), { rtol: 1e-6, atol: 1e-6 });
  assert.ok(Math.abs(plain.x[0]! - exact(2)) > 1e-9, 'without the breakpoint the jump costs accuracy');
  const bwd = dopri5(f, 2, 0, new Float64Array([exact(2)]), { rtol: 1e-6, atol: 1e-6, tstops: [0.7] });
  assert.ok(Math.abs(bwd.x[0]!) < 1e-13, `backward ${bwd.x[0]}`);
  assert.throws(() => dopri5(f, 0, 1, new Float64Array([0]), { tstops: [NaN] }), (e: unknown) => e instanceof Error && /breakpoint/.test((e as Error).message));
});

test('dopri5 reports where the solution becomes non-finite, and bad tolerances', () => {
  const blow = (_t: number, x: Float64Array, o: Float64Array) => { o[0] = x[0]! * x[0]!; };
  assert.throws(() => dopri5(blow, 0, 2, new Float64Array([1])), userError(/t = 0\.99|t = 1\b|near t = (0\.9|1)/));
  const nanField = (t: number, x: Float64Array, o: Float64Array) => { o[0] = t < 0.5 ? x[0]! : Math.sqrt(-1); };
  assert.throws(() => dopri5(nanField, 0, 1, new Float64Array([1])), userError(/non-finite.*t = 0\.(49|5)/));
  assert.throws(() => dopri5(oscillator.f, 0, 1, new Float64Array([NaN, 0])), userError(/t = 0/));
  assert.throws(() => dopri5(oscillator.f, 0, 1, oscillator.x0, { rtol: -1 }), userError());
});

test.run();
