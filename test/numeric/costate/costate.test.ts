import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costate, quadraticLoss } from '../../../src/numeric/costate.ts';
import { getActivation } from '../../../src/numeric/activations.ts';
import { resnetField, ruseckasField } from '../../../src/numeric/schemes/fields.ts';
import { backward, forward, makeScheme, sampleParams } from '../../../src/numeric/schemes/net.ts';
import { userError } from '../ode/helpers.ts';

test('scalar linear x\' = k x, L = x(T): a(t) = e^{k(T − t)} and δL/δk(t) = a(t)·x(t)', () => {
  const k = -0.8, T = 1.5;
  const sol = costate({
    field: resnetField(1, getActivation('identity')), thetaOf: (_t, o) => { o[0] = k; o[1] = 0; },
    x0: new Float64Array([2]), T, lossGrad: (_x, o) => { o[0] = 1; },
  });
  assert.ok(Math.abs(sol.a0[0]! - Math.exp(k * T)) < 1e-11, `${sol.a0[0]} vs ${Math.exp(k * T)}`);
  const a = new Float64Array(1);
  sol.costate.eval(0.6, a);
  assert.ok(Math.abs(a[0]! - Math.exp(k * (T - 0.6))) < 1e-10);
  // x(t) = 2e^{kt}: δL/δK(t) = a x = 2e^{kT} for all t; δL/δb = a(t)
  const g = sol.paramGradient(0.6);
  assert.ok(Math.abs(g[0]! - 2 * Math.exp(k * T)) < 1e-10 && Math.abs(g[1]! - Math.exp(k * (T - 0.6))) < 1e-10);
  assert.ok(Math.abs(sol.hamiltonian(0.2) - sol.hamiltonian(1.3)) < 1e-10, 'H = a·F constant');
});

test('a(0) agrees with the backprop of a deep RK4 net (its discrete adjoint converges at order 4)', () => {
  const d = 3, T = 1, act = getActivation('tanh');
  const field = resnetField(d, act);
  const thetaOf = (t: number, o: Float64Array) => {
    for (let i = 0; i < d; i++) { for (let j = 0; j < d; j++) o[i * d + j] = Math.sin(i - j + t); o[d * d + i] = 0.2 * Math.cos(t + i); }
  };
  const x0 = new Float64Array([0.3, -0.5, 0.9]), loss = quadraticLoss(new Float64Array([1, 0, -1]));
  const sol = costate({ field, thetaOf, x0, T, lossGrad: loss.grad });
  const s = makeScheme('rk4', field), N = 200;
  const th = sampleParams(s, { N, T }, thetaOf), xs = forward(s, x0, th, { N, T });
  const pN = new Float64Array(d);
  loss.grad(xs.subarray(N * d), pN);
  const { ps } = backward(s, xs, th, { N, T }, pN);
  // RK4 gap ≈ C h⁴ with h = 5e-3: ≈ 1e-9·C
  for (let i = 0; i < d; i++) assert.ok(Math.abs(ps[i]! - sol.a0[i]!) < 1e-9, `component ${i}: ${ps[i]} vs ${sol.a0[i]}`);
});

test('the gradient for a constant parameter is ∫ δL/δq dt (finite-difference check)', () => {
  const d = 2, g = getActivation('cubic'), field = ruseckasField(d, g);
  const base = new Float64Array([0.1, -0.4, 0.5, -0.2, 0.3, 0.1]);
  const x0 = new Float64Array([0.7, -0.2]), T = 1.2, loss = quadraticLoss(new Float64Array([0, 1]));
  const run = (th: Float64Array) => costate({ field, thetaOf: (_t, o) => o.set(th), x0, T, lossGrad: loss.grad }, { paramIntegral: true });
  const sol = run(base);
  // composite Simpson over 200 intervals of the smooth δL/δq(t): error ≈ 1e-11
  const n = 200, acc = new Float64Array(6), buf = new Float64Array(6);
  for (let k = 0; k <= n; k++) {
    const w = k === 0 || k === n ? 1 : k % 2 ? 4 : 2;
    sol.paramGradient((k * T) / n, buf);
    for (let i = 0; i < 6; i++) acc[i] = acc[i]! + (w * (T / n) * buf[i]!) / 3;
  }
  for (const i of [0, 3, 5]) {
    const e = 1e-5, p = Float64Array.from(base), m = Float64Array.from(base);
    p[i] = p[i]! + e; m[i] = m[i]! - e;
    const fd = (loss.value(run(p).xT) - loss.value(run(m).xT)) / (2 * e);
    // FD truncation ~e² and solver noise 1e-12/e ≈ 1e-7
    assert.ok(Math.abs(fd - acc[i]!) < 1e-6, `param ${i}: fd ${fd} vs ∫ ${acc[i]}`);
  }
  // the integral carried along the backward solve (dG/dt = −a ∂F/∂q) is the same number:
  // both are accurate to ~1e-11 (Simpson) and ~tol = 1e-12 (DOPRI5)
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(sol.paramIntegral![i]! - acc[i]!) < 1e-9, `param ${i}: ${sol.paramIntegral![i]} vs Simpson ${acc[i]}`);
  const plain = costate({ field, thetaOf: (_t, o) => o.set(base), x0, T, lossGrad: loss.grad });
  assert.is(plain.paramIntegral, undefined);
  for (let i = 0; i < d; i++) assert.ok(Math.abs(plain.a0[i]! - sol.a0[i]!) < 1e-10, 'a(0) does not depend on carrying G');
});

test('bad input: dimension mismatch and a non-finite state are one-line UserErrors naming t', () => {
  const field = resnetField(2, getActivation('tanh'));
  assert.throws(() => costate({ field, thetaOf: (_t, o) => o.fill(0), x0: new Float64Array(3), T: 1, lossGrad: () => {} }), userError(/dimension 3/));
  const blow = resnetField(1, getActivation('cubic'));
  // x' = −(Kx + b)³/3 with K = −3: x' = 9x³... blows up in finite time from x0 = 2
  assert.throws(() => costate({ field: blow, thetaOf: (_t, o) => { o[0] = -3; o[1] = 0; }, x0: new Float64Array([2]), T: 1, lossGrad: (x, o) => o.set(x) }), userError(/t = /));
});

test.run();
