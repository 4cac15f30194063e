import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hamiltonianEnergy, hamiltonianField, logCosh, randomHamiltonianNet, verletBackward, verletForward, type HamiltonianNet } from '../../src/numeric/verlet.ts';
import { makeRng } from '../../src/util/prng.ts';
import { UserError } from '../../src/util/errors.ts';
import { EPS, maxAbsDiff } from '../helpers.ts';

function tanhNet(d: number, w: number, seed: number): HamiltonianNet {
  return randomHamiltonianNet(d, w, makeRng(seed));
}

test('verlet: log cosh is an antiderivative of tanh and does not overflow', () => {
  for (const z of [-3, -0.5, 0, 0.7, 4]) {
    const e = 1e-5, fd = (logCosh(z + e) - logCosh(z - e)) / (2 * e);
    assert.ok(Math.abs(fd - Math.tanh(z)) < 1e-9); // central difference O(e²) + rounding ε/e
    assert.ok(Math.abs(logCosh(z) - Math.log(Math.cosh(z))) < 1e-15 * Math.max(1, Math.abs(z)) * 4);
  }
  assert.ok(Math.abs(logCosh(1000) - (1000 - Math.LN2)) < 1e-12);
});

/** σ = id, K = 1, b = 0: ẋ = p, ṗ = −x, the harmonic oscillator with H = (x² + p²)/2. */
const oscillator: HamiltonianNet = { d: 1, width: 1, K: Float64Array.of(1), b: Float64Array.of(0), sigma: (z) => z, phi: (z) => z * z / 2 };

test('verlet: the field is (∂H/∂p, −∂H/∂x) (central differences of the energy)', () => {
  const net = tanhNet(3, 5, 1);
  const f = hamiltonianField(net), y = Float64Array.of(0.3, -0.2, 0.5, 0.1, 0.4, -0.6), out = new Float64Array(6);
  f(0, y, out);
  const H = (v: Float64Array) => hamiltonianEnergy(net, v.subarray(0, 3), v.subarray(3));
  const e = 1e-5;
  for (let i = 0; i < 6; i++) {
    const yp = y.slice(), ym = y.slice(); yp[i]! += e; ym[i]! -= e;
    const dH = (H(yp) - H(ym)) / (2 * e);
    const expected = i < 3 ? -out[i + 3]! : out[i - 3]!; // ∂H/∂x_i = −ṗ_i, ∂H/∂p_i = ẋ_i
    // central difference: O(e²)·|H'''| ≈ 1e-10 plus rounding ε|H|/e ≈ 1e-11
    assert.ok(Math.abs(dH - expected) < 1e-8, `component ${i}: ${dH} vs ${expected}`);
  }
});

test('verlet: harmonic oscillator — global error O(h²) against cos/sin (exact solution)', () => {
  const T = 2, errs: number[] = [];
  for (const N of [20, 40, 80, 160]) {
    const r = verletForward(oscillator, [1], [0], T / N, N);
    errs.push(Math.hypot(r.x[0]! - Math.cos(T), r.p[0]! + Math.sin(T)));
  }
  for (let k = 1; k < errs.length; k++) {
    const ratio = errs[k - 1]! / errs[k]!;
    assert.ok(ratio > 3.8 && ratio < 4.2, `ratio ${ratio}`); // 2² with O(h²) relative corrections
  }
});

test('verlet: tanh network — energy error bounded and falling like h²', () => {
  const net = tanhNet(2, 4, 7), T = 5, errs: number[] = [];
  for (const N of [50, 100, 200, 400]) {
    const r = verletForward(net, [0.5, -0.3], [0.2, 0.4], T / N, N, { energy: true });
    const e = r.energy!;
    let m = 0;
    for (let k = 0; k < e.length; k++) m = Math.max(m, Math.abs(e[k]! - e[0]!));
    errs.push(m);
  }
  for (let k = 1; k < errs.length; k++) {
    const ratio = errs[k - 1]! / errs[k]!;
    assert.ok(ratio > 3.5 && ratio < 4.5, `ratio ${ratio}`); // leading term h²·H₂ of the modified Hamiltonian
  }
});

test('verlet: backward reconstructs the input to rounding (T short of the Lyapunov time)', () => {
  // Exact inverse in exact arithmetic for any h; in floating point the per-step rounding is
  // amplified by ‖DΦ⁻ᴺ‖, bounded at fixed T but exponential in T for this chaotic d = 4 system.
  const net = tanhNet(4, 6, 3);
  const x0 = Float64Array.of(0.1, -0.7, 0.4, 1.2), p0 = Float64Array.of(-0.3, 0.2, 0.9, 0.05);
  for (const [h, N] of [[0.05, 100], [1.5, 10], [0.1, 400]] as const) {
    const f = verletForward(net, x0, p0, h, N);
    const b = verletBackward(net, f.x, f.p, h, N);
    const err = Math.max(maxAbsDiff(b.x, x0), maxAbsDiff(b.p, p0));
    // each step adds O(ε·|state|) rounding; grows at most linearly in N
    assert.ok(err <= 50 * N * EPS, `h=${h}, N=${N}: ${err}`);
  }
  // control: reversing with the wrong step size does not reconstruct
  const f = verletForward(net, x0, p0, 0.1, 50);
  const wrong = verletBackward(net, f.x, f.p, 0.11, 50);
  assert.ok(maxAbsDiff(wrong.x, x0) > 1e-4);
});

test('verlet: bad input is a UserError', () => {
  const net = tanhNet(2, 3, 1);
  assert.throws(() => verletForward(net, [0, 0], [0, 0], 0, 10), (e: unknown) => e instanceof UserError);
  assert.throws(() => verletForward(net, [0], [0, 0], 0.1, 10), (e: unknown) => e instanceof UserError);
  assert.throws(() => verletForward({ ...net, b: Float64Array.of(NaN, 0, 0) }, [0, 0], [0, 0], 0.1, 1), (e: unknown) => e instanceof UserError);
});

test.run();
