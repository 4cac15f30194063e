/**
 * Gradients of a researcher's field through the public API: backprop against central finite
 * differences of the net's loss (per-layer and shared parameters), the Pontryagin integral
 * against finite differences of the ODE's loss, and the costate against backprop at growing
 * depth (Euler: gaps of order 1), with the rough-weights control whose gap does not close.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adjointGap, backprop, certifyOrder, costate, UserError } from '../../src/index.ts';

const field = 'w*x1 + b*tanh(x2) - gamma*x1^3; -x1 + sin(w*x2) + b';
const base = { field, constants: { gamma: 0.4 }, x0: [0.6, -0.3], T: 1, target: [0.2, 0.5] };
const b0 = (t: number) => 0.3 + 0.2 * Math.cos(2 * t);

test('backprop: per-layer and shared gradients equal central differences of the net\'s loss', () => {
  for (const scheme of ['euler', 'rk4'] as const) {
    const N = 8, w = Array.from({ length: N }, (_, l) => 0.7 - 0.05 * l);
    const r = backprop({ ...base, scheme, N, theta: { w, b: b0 } });
    const lossAt = (wl: number[], bShift: number) => backprop({ ...base, scheme, N, theta: { w: wl, b: (t: number) => b0(t) + bShift } }).loss;
    // central differences: truncation ~δ²·|L'''| ≈ 1e-12, round-off ~1e-16/δ ≈ 1e-10
    const dl = 1e-6;
    for (const l of [0, 3, N - 1]) {
      const p = [...w], m = [...w];
      p[l] = p[l]! + dl; m[l] = m[l]! - dl;
      const fd = (lossAt(p, 0) - lossAt(m, 0)) / (2 * dl);
      assert.ok(Math.abs(fd - r.perLayer.w![l]!) < 1e-8, `${scheme} ∂L/∂w_${l}: ${r.perLayer.w![l]} vs fd ${fd}`);
    }
    const fdShared = (lossAt(w.map((v) => v + dl), 0) - lossAt(w.map((v) => v - dl), 0)) / (2 * dl);
    assert.ok(Math.abs(fdShared - r.shared.w!) < 1e-8, `${scheme} shared w: ${r.shared.w} vs fd ${fdShared}`);
    const fdB = (lossAt(w, dl) - lossAt(w, -dl)) / (2 * dl);
    assert.ok(Math.abs(fdB - r.shared.b!) < 1e-8, `${scheme} shared b: ${r.shared.b} vs fd ${fdB}`);
    // p_0 = ∂L/∂x_0
    const fdX = (backprop({ ...base, x0: [0.6 + dl, -0.3], scheme, N, theta: { w, b: b0 } }).loss - backprop({ ...base, x0: [0.6 - dl, -0.3], scheme, N, theta: { w, b: b0 } }).loss) / (2 * dl);
    assert.ok(Math.abs(fdX - r.p0[0]!) < 1e-8, `${scheme} p0: ${r.p0[0]} vs fd ${fdX}`);
  }
});

test('costate: the Pontryagin integral ∫ a ∂F/∂θ dt equals central differences of the ODE\'s loss', () => {
  const c = costate({ ...base, theta: { w: 0.7, b: b0 } });
  const lossAt = (dw: number, db: number) => costate({ ...base, theta: { w: 0.7 + dw, b: (t: number) => b0(t) + db } }).loss;
  // DOPRI5 at 1e-12: the loss is accurate to ~1e-12, so with δ = 1e-5 the difference quotient carries ~1e-7
  const e = 1e-5;
  const fdW = (lossAt(e, 0) - lossAt(-e, 0)) / (2 * e), fdB = (lossAt(0, e) - lossAt(0, -e)) / (2 * e);
  assert.ok(Math.abs(fdW - c.shared.w!) < 1e-6, `w: ${c.shared.w} vs fd ${fdW}`);
  assert.ok(Math.abs(fdB - c.shared.b!) < 1e-6, `b: ${c.shared.b} vs fd ${fdB}`);
  assert.equal(c.a(1), c.aT);
  assert.throws(() => c.a(1.5), (x: unknown) => x instanceof UserError && /outside \[0, 1\]/.test(x.message));
});

test('costate vs backprop as depth grows: p_0 → a(0), Σ_l ∂L/∂θ_l → ∫ a ∂F/∂θ, ∂L/∂θ_l / h → δL/δθ(t_l), all order 1 for Euler', () => {
  const theta = { w: 0.7, b: b0 };
  const gap = adjointGap({ ...base, theta, scheme: 'euler', depths: '8..256' });
  assert.equal([gap.expectedOrder, gap.certificate.verdict, gap.gradientCertificate!.verdict], [1, 'order', 'order'], `${gap.summary}; ${gap.gradientCertificate!.reason}`);
  // the per-layer gradient is h times the gradient density at the layer's time, to O(h)
  const c = costate({ ...base, theta });
  const depths = [8, 16, 32, 64, 128], h = depths.map((N) => 1 / N);
  const err = depths.map((N) => {
    const r = backprop({ ...base, theta, scheme: 'euler', N });
    return Math.max(...r.perLayer.b!.map((g, l) => Math.abs(g * N - c.gradient(l / N).b!)));
  });
  const cert = certifyOrder(h, err, 1);
  assert.is(cert.verdict, 'order', cert.reason);
  // Heun closes both gaps at order 2
  const heun = adjointGap({ ...base, theta, scheme: 'heun', depths: '8..256' });
  assert.equal([heun.certificate.verdict, heun.gradientCertificate!.verdict], ['order', 'order']);
});

test('control: rough (alternating-sign) weights leave both gaps open', () => {
  const rough = adjointGap({ ...base, theta: { w: 0.7, b: b0 }, scheme: 'euler', depths: '8..256', rough: true });
  assert.equal([rough.certificate.verdict, rough.gradientCertificate!.verdict], ['inconclusive', 'inconclusive']);
  assert.ok(rough.gap[rough.gap.length - 1]! > 0.5 * rough.gap[0]!, `the gap stays: ${rough.gap.join(', ')}`);
});

test('bad gradient problems are UserErrors', () => {
  const isUE = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message);
  assert.throws(() => backprop({ ...base, theta: { w: [1, 2], b: 0 }, N: 4 }), isUE(/lists 2 values for N = 4/));
  assert.throws(() => costate({ ...base, theta: { w: [1, 2], b: 0 } }), isUE(/per-layer values need a net/));
  assert.throws(() => backprop({ ...base, theta: { w: 1 }, N: 4 }), isUE(/unknown symbol "b"/));
  assert.throws(() => backprop({ ...base, theta: { w: 1, b: 0 }, N: 4, scheme: 'ff' as never }), isUE(/scheme must be euler/));
  assert.throws(() => backprop({ ...base, theta: { w: 1, b: 0 }, N: 0 }), isUE(/positive integer/));
  // a NaN loss gradient was reported as the adjoint's "non-finite state at layer 1"
  assert.throws(() => backprop({ ...base, target: undefined, loss: { value: () => 0, grad: (_x, out) => { out.fill(NaN); } }, theta: { w: 1, b: 0 }, N: 4 }), isUE(/∂L\/∂x_N from loss.grad is non-finite/));
  // the budget, before any allocation: N = 1e12 was a RangeError from new Float64Array
  assert.throws(() => backprop({ ...base, theta: { w: 1, b: 0 }, N: 1e12 }), isUE(/^N 1e12 needs ≈ .*; at most \d+$/));
  assert.throws(() => costate({ ...base, theta: { w: 1, b: 0 }, loss: { value: () => 0, grad: () => {} } }), isUE(/exactly one of target/));
  assert.throws(() => costate({ ...base, x0: [1], theta: { w: 1, b: 0 } }), isUE(/x0 must list 2/));
  assert.throws(() => adjointGap({ ...base, theta: { w: 1, b: 0 }, depths: [8, 16, 2 ** 40] }), isUE(/--depths up to .* needs/));
  assert.throws(() => adjointGap({ ...base, theta: { w: 1, b: 0 }, depths: [NaN, 8, 16] }), isUE(/depths: NaN is not a positive integer/));
  assert.throws(() => adjointGap({ scheme: 'euler', depths: 64 as never }), isUE(/depths: give a list/));
});

test.run();
