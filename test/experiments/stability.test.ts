import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  antisymmetricGrowth, imaginaryAxisBoundary, jacobianAlongTrajectory, layerJacobian, randomZhangWeights,
  rk4StabilityModulus, eulerStabilityModulus, zhangResnet,
} from '../../src/experiments/stability.ts';
import { getActivation } from '../../src/numeric/activations.ts';
import { resnetField } from '../../src/numeric/schemes/fields.ts';
import { EPS } from '../helpers.ts';

const tanh = getActivation('tanh');

test('stability: layer Jacobian diag(σ′(Kx+b))K equals central differences of σ(Kx+b)', () => {
  const d = 3, th = Float64Array.of(0.3, -1, 0.2, 0.5, 0.1, -0.7, 1.1, 0.4, -0.2, 0.05, -0.1, 0.2);
  const x = Float64Array.of(0.4, -0.2, 0.9), J = layerJacobian(d, th, 0, x, tanh, new Float64Array(9));
  const f = resnetField(d, tanh), fp = new Float64Array(d), fm = new Float64Array(d), e = 1e-6;
  for (let j = 0; j < d; j++) {
    const xp = x.slice(), xm = x.slice(); xp[j]! += e; xm[j]! -= e;
    f.eval(0, xp, th, 0, fp); f.eval(0, xm, th, 0, fm);
    for (let i = 0; i < d; i++) assert.ok(Math.abs((fp[i]! - fm[i]!) / (2 * e) - J[i * d + j]!) < 1e-9); // O(e²) + ε/e
  }
});

test('stability: |R(iy)|² = 1 − y⁶/72 + y⁸/576 (closed form) and |1 + z| for Euler', () => {
  for (const y of [0.1, 1, 2, 2.8, 2.9, 3.5]) {
    const closed = Math.sqrt(1 - y ** 6 / 72 + y ** 8 / 576);
    assert.ok(Math.abs(rk4StabilityModulus(0, y) - closed) < 20 * EPS * closed);
  }
  assert.ok(Math.abs(rk4StabilityModulus(-1, 0) - (1 - 1 + 0.5 - 1 / 6 + 1 / 24)) < 4 * EPS);
  assert.is(eulerStabilityModulus(-2, 0), 1);
});

test('stability: imaginary-axis edge of RK4 is 2√2; forward Euler has none', () => {
  assert.ok(Math.abs(imaginaryAxisBoundary(rk4StabilityModulus).boundary - 2 * Math.SQRT2) < 1e-12);
  assert.ok(Number.isNaN(imaginaryAxisBoundary(eulerStabilityModulus).boundary));
});

test('stability: antisymmetric growth — Euler (1+h²μ²)^{N/2}, RK4 ≤ 1 inside the edge', () => {
  const e = antisymmetricGrowth('euler', 2, 0.1, 50);
  assert.ok(Math.abs(e.growth - (1 + 0.04) ** 25) < 1e-12 * e.growth);
  assert.ok(antisymmetricGrowth('rk4', 2, 1.4, 30).growth <= 1);   // hμ = 2.8 < 2√2
  assert.ok(antisymmetricGrowth('rk4', 2, 1.45, 30).growth > 1);   // hμ = 2.9 > 2√2
});

test('stability: Jacobian spectra along a trajectory (2×2: eigenvalues from trace and determinant)', () => {
  const net = zhangResnet(2, tanh, 'euler', { T: 4, nTh: 4, nY: 12 });
  const th = randomZhangWeights(2, 4, 5, { scale: 1, symmetric: 0.4, gamma: 0.1 });
  const s = jacobianAlongTrajectory(net, th, Float64Array.of(0.3, -0.6), tanh);
  assert.is(s.t.length, 12);
  const P = 6, w = new Float64Array(P), J = new Float64Array(4);
  for (let k = 0; k < 12; k++) {
    net.weightsAt(th, s.t[k]!, w);
    layerJacobian(2, w, 0, s.trajectory[k]!, tanh, J);
    const tr = J[0]! + J[3]!, det = J[0]! * J[3]! - J[1]! * J[2]!, disc = tr * tr / 4 - det;
    const maxRe = disc >= 0 ? tr / 2 + Math.sqrt(disc) : tr / 2;
    assert.ok(Math.abs(s.maxRe[k]! - maxRe) < 1e-12, `k=${k}`); // well-conditioned 2×2 (no double root here)
    let amp = 0;
    for (let i = 0; i < 2; i++) amp = Math.max(amp, Math.hypot(1 + net.h * s.re[k]![i]!, net.h * s.im[k]![i]!));
    assert.ok(Math.abs(s.euler[k]! - amp) < 1e-15);
  }
});



test('stability command: runs, and bad input is one clear error (exit 2)', async () => {
  const { cli } = await import('../helpers.ts');
  const ok = await cli(['stability', '--d', '2', '--ny', '4', '--json']);
  assert.is(ok.code, 0);
  const parsed = JSON.parse(ok.out);
  assert.is(parsed.t.length, 4);
  assert.ok(Math.abs(parsed.summary.rk4ImaginaryEdge - 2 * Math.SQRT2) < 1e-12);
  for (const [args, re] of [
    [['--study', 'foo'], /unknown study/], [['--method', 'rk5'], /unknown method/], [['--ny', '0'], /positive integer/],
    [['--gamma', 'abc'], /finite number/], [['--d', '40'], /at most 12/], [['--activation', 'relu6'], /unknown activation/],
    [['--activation', 'cubic', '--scale', '3', '--symmetric', '3', '--ny', '3', '--T', '20'], /diverged at layer \d+ of 3/],
  ] as const) {
    const r = await cli(['stability', ...args]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', re);
  }
});
test.run();
