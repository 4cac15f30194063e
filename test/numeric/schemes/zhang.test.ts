import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeZhangNet } from '../../../src/numeric/schemes/zhang.ts';
import { makeEuler } from '../../../src/numeric/schemes/euler.ts';
import { makeRK4 } from '../../../src/numeric/schemes/rk4.ts';
import { resnetField } from '../../../src/numeric/schemes/fields.ts';
import { getActivation } from '../../../src/numeric/activations.ts';
import { makeRng } from '../../../src/util/prng.ts';
import { UserError } from '../../../src/util/errors.ts';
import { EPS } from '../../helpers.ts';

const tanh = getActivation('tanh');
const d = 2, P = d * d + d;

function randomTheta(nTh: number, seed: number): Float64Array {
  const rng = makeRng(seed), th = new Float64Array((nTh + 1) * P);
  for (let i = 0; i < th.length; i++) th[i] = rng.normal();
  return th;
}

test('zhang: Euler net equals a hand-written Euler loop with interpolated weights K(t_k)', () => {
  const nTh = 3, nY = 7, T = 2;
  const net = makeZhangNet(makeEuler(resnetField(d, tanh)), { T, nTh, nY });
  const th = randomTheta(nTh, 1), x0 = Float64Array.of(0.4, -0.3);
  const got = net.forward(th, x0, new Float64Array(d));
  const x = Array.from(x0), h = T / nY, dTh = T / nTh;
  for (let k = 0; k < nY; k++) {
    const t = k * h, j = Math.min(nTh - 1, Math.floor(t / dTh)), w = (t - j * dTh) / dTh;
    const q = (i: number) => (1 - w) * th[j * P + i]! + w * th[(j + 1) * P + i]!;
    const z = [q(0) * x[0]! + q(1) * x[1]! + q(4), q(2) * x[0]! + q(3) * x[1]! + q(5)];
    x[0] = x[0]! + h * Math.tanh(z[0]!);
    x[1] = x[1]! + h * Math.tanh(z[1]!);
  }
  // same arithmetic up to reassociation: a few ulps per layer
  assert.ok(Math.abs(got[0]! - x[0]!) + Math.abs(got[1]! - x[1]!) < 100 * nY * EPS);
});

test('zhang: weights are piecewise linear and hit the nodes exactly', () => {
  const net = makeZhangNet(makeEuler(resnetField(d, tanh)), { T: 4, nTh: 4, nY: 8 });
  const th = randomTheta(4, 2), out = new Float64Array(P);
  for (let j = 0; j <= 4; j++) {
    net.weightsAt(th, j, out);
    for (let i = 0; i < P; i++) assert.ok(Math.abs(out[i]! - th[j * P + i]!) < 4 * EPS * Math.abs(th[j * P + i]!) + 1e-300);
  }
  net.weightsAt(th, 1.25, out);
  assert.ok(Math.abs(out[0]! - (0.75 * th[P]! + 0.25 * th[2 * P]!)) < 4 * EPS * 10);
});

/** Taylor test: r(ε) = |L(θ + εv) − L(θ) − ε⟨∇L, v⟩| must fall like ε² (ratio ≈ 4 per halving). */
function taylorRatios(method: 'euler' | 'rk4', nTh: number, nY: number, samples: number): number[] {
  const field = resnetField(d, tanh, { samples });
  const net = makeZhangNet(method === 'euler' ? makeEuler(field) : makeRK4(field), { T: 1.5, nTh, nY });
  const rng = makeRng(9);
  const th = randomTheta(nTh, 3), v = new Float64Array(th.length), x0 = new Float64Array(net.dim), vx = new Float64Array(net.dim);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < x0.length; i++) { x0[i] = rng.normal(); vx[i] = rng.normal(); }
  const target = new Float64Array(net.dim).map(() => rng.normal());
  const traj = new Float64Array((nY + 1) * net.dim), xN = new Float64Array(net.dim);
  // L = ½|x_N − target|², perturbing both θ and x0
  const L = (t: Float64Array, x: Float64Array) => {
    net.forward(t, x, xN);
    let s = 0;
    for (let i = 0; i < xN.length; i++) s += 0.5 * (xN[i]! - target[i]!) ** 2;
    return s;
  };
  const L0 = L(th, x0);
  net.forward(th, x0, xN, traj);
  const pN = xN.map((xi, i) => xi - target[i]!), g = new Float64Array(th.length), px0 = new Float64Array(net.dim);
  net.adjoint(th, traj, pN, g, px0);
  let dir = 0;
  for (let i = 0; i < v.length; i++) dir += g[i]! * v[i]!;
  for (let i = 0; i < vx.length; i++) dir += px0[i]! * vx[i]!;
  const r: number[] = [];
  for (const e of [1e-2, 5e-3, 2.5e-3, 1.25e-3]) {
    const t2 = th.map((ti, i) => ti + e * v[i]!), x2 = x0.map((xi, i) => xi + e * vx[i]!);
    r.push(Math.abs(L(t2, x2) - L0 - e * dir));
  }
  return r.slice(1).map((ri, i) => r[i]! / ri);
}

test('zhang: discrete adjoint passes the Taylor test (Euler and RK4, kinks inside steps, batched)', () => {
  for (const [m, nTh, nY, S] of [['euler', 3, 7, 1], ['rk4', 3, 5, 1], ['rk4', 4, 4, 3], ['euler', 2, 9, 4]] as const) {
    for (const ratio of taylorRatios(m, nTh, nY, S)) {
      // second-order remainder: ratio 4 per halving of ε, up to O(ε) drift of the ε² coefficient
      assert.ok(ratio > 3.5 && ratio < 4.5, `${m} nTh=${nTh} nY=${nY}: ratio ${ratio}`);
    }
  }
});

test('zhang: a gradient 10 % wrong in one node component fails the Taylor test', () => {
  // negative control of the test itself: perturb the gradient and the ratios collapse to ≈ 2
  // (the remainder becomes 0.1·ε·|∂L/∂θ₀|, first order in ε)
  const field = resnetField(d, tanh);
  const net = makeZhangNet(makeEuler(field), { T: 1, nTh: 2, nY: 5 });
  const th = randomTheta(2, 4), x0 = Float64Array.of(0.2, 0.1), xN = new Float64Array(d), traj = new Float64Array(6 * d);
  net.forward(th, x0, xN, traj);
  const g = new Float64Array(th.length);
  net.adjoint(th, traj, xN, g);
  g[0]! *= 1.1; // wrong by 10 %
  const v = new Float64Array(th.length); v[0] = 1;
  const L = (t: Float64Array) => { net.forward(t, x0, xN); return 0.5 * (xN[0]! ** 2 + xN[1]! ** 2); };
  const L0 = L(th);
  const r = [1e-2, 5e-3].map((e) => Math.abs(L(th.map((ti, i) => ti + e * v[i]!)) - L0 - e * g[0]!));
  assert.ok(r[0]! / r[1]! < 2.5);
});

test('zhang: dot-product test — adjoint is the exact transpose of the tangent map (RK4, kinks inside steps)', () => {
  for (const [m, nTh, nY] of [['rk4', 3, 5], ['euler', 4, 7]] as const) {
    const field = resnetField(d, tanh, { samples: 2 });
    const net = makeZhangNet(m === 'rk4' ? makeRK4(field) : makeEuler(field), { T: 2, nTh, nY });
    const rng = makeRng(21), th = randomTheta(nTh, 8);
    const rnd = (n: number) => new Float64Array(n).map(() => rng.normal());
    const x0 = rnd(net.dim), dx0 = rnd(net.dim), dth = rnd(th.length), wN = rnd(net.dim);
    const traj = new Float64Array((nY + 1) * net.dim), xN = new Float64Array(net.dim);
    net.forward(th, x0, xN, traj);
    const Mv = net.tangent(th, traj, dx0, dth, new Float64Array(net.dim));
    const g = new Float64Array(th.length), p0 = new Float64Array(net.dim);
    net.adjoint(th, traj, wN, g, p0);
    let lhs = 0, rhs = 0, scale = 0;
    for (let i = 0; i < net.dim; i++) { lhs += wN[i]! * Mv[i]!; rhs += p0[i]! * dx0[i]!; scale += Math.abs(p0[i]! * dx0[i]!); }
    for (let i = 0; i < th.length; i++) { rhs += g[i]! * dth[i]!; scale += Math.abs(g[i]! * dth[i]!); }
    // both sides sum the same O(nY·P) products in different orders: rounding ≈ ε·Σ|terms|·depth
    assert.ok(Math.abs(lhs - rhs) <= 1e3 * EPS * scale, `${m}: ${lhs} vs ${rhs}`);
  }
});

/**
 * The finite-difference contract (contract.ts item 3, per component): central differences of
 * L = ½|x_nY − y|² in every coarse weight θ_j and every entry of x_0 against the adjoint.
 * Returns the worst |fd − g| / (|g| + |L|); `perturb` (the control) first makes one gradient
 * entry wrong by that relative amount.
 */
function fdGradientCheck(method: 'euler' | 'rk4', nTh: number, nY: number, samples: number, perturb = 0): number {
  const field = resnetField(d, tanh, { samples });
  const net = makeZhangNet(method === 'euler' ? makeEuler(field) : makeRK4(field), { T: 1.5, nTh, nY });
  const rng = makeRng(17);
  const th = randomTheta(nTh, 5), x0 = new Float64Array(net.dim).map(() => rng.normal()), y = new Float64Array(net.dim).map(() => rng.normal());
  const xN = new Float64Array(net.dim), traj = new Float64Array((nY + 1) * net.dim);
  const L = (t: Float64Array, x: Float64Array) => { net.forward(t, x, xN); let s = 0; for (let i = 0; i < xN.length; i++) s += 0.5 * (xN[i]! - y[i]!) ** 2; return s; };
  const L0 = L(th, x0);
  net.forward(th, x0, xN, traj);
  const g = new Float64Array(th.length), px0 = new Float64Array(net.dim);
  net.adjoint(th, traj, xN.map((v, i) => v - y[i]!), g, px0);
  if (perturb) g[3] = g[3]! * (1 + perturb);
  const delta = 1e-5;
  let worst = 0;
  const compare = (fd: number, gi: number) => { worst = Math.max(worst, Math.abs(fd - gi) / (Math.abs(gi) + Math.abs(L0))); };
  for (let i = 0; i < th.length; i++) {
    const tp = th.slice(), tm = th.slice();
    tp[i] = tp[i]! + delta; tm[i] = tm[i]! - delta;
    compare((L(tp, x0) - L(tm, x0)) / (2 * delta), g[i]!);
  }
  for (let i = 0; i < x0.length; i++) {
    const xp = x0.slice(), xm = x0.slice();
    xp[i] = xp[i]! + delta; xm[i] = xm[i]! - delta;
    compare((L(th, xp) - L(th, xm)) / (2 * delta), px0[i]!);
  }
  return worst;
}

test('zhang: central finite differences agree with the adjoint in every weight and input (Euler and RK4, kinks inside steps, batched)', () => {
  for (const [m, nTh, nY, S] of [['euler', 3, 7, 1], ['rk4', 3, 5, 1], ['rk4', 4, 4, 3], ['euler', 2, 9, 4]] as const) {
    // as contract.ts: truncation δ²|L‴|/6 ≈ 1e-10 plus round-off ε|L|/δ ≈ 1e-11·|L|, relative to |g| + |L|
    const worst = fdGradientCheck(m, nTh, nY, S);
    assert.ok(worst <= 1e-7, `${m} nTh=${nTh} nY=${nY} S=${S}: worst relative difference ${worst}`);
  }
});

test('zhang: the finite-difference comparison flags a gradient 1e-4 wrong in one weight', () => {
  // the control of the test above: the same 1e-7 bound must reject a gradient entry wrong by 1e-4
  // (measured 3e-6, against 1e-11 … 5e-11 for the exact adjoints)
  const worst = fdGradientCheck('rk4', 3, 5, 1, 1e-4);
  assert.ok(worst > 1e-7, `a 1e-4 error must show: worst ${worst}`);
});

/** Bits of a Float64Array (so −0 ≠ +0 and NaN = NaN), for exact comparisons. */
const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));

test('zhang: the taped layer adjoint (records of the forward step) gives the recomputing adjoint bit for bit', () => {
  // the new code path against the old one, per layer: Euler and RK4 on a batched ResNet field
  const rng = makeRng(31), S = 3, field = resnetField(d, tanh, { samples: S });
  const rnd = (n: number) => new Float64Array(n).map(() => rng.normal());
  for (const scheme of [makeEuler(field), makeRK4(field)]) {
    const tp = scheme.taped!, LP = scheme.stageTimes.length * P, n = field.dim, h = 0.37, t = 0.2;
    const x = rnd(n), th = rnd(LP), p = rnd(n), tape = new Float64Array(5 + tp.tapeSize);
    const out1 = new Float64Array(n), out2 = new Float64Array(n);
    scheme.step(t, h, x, th, 0, out1);
    tp.stepTaped(t, h, x, th, 0, out2, tape, 5); // at an offset, as ZhangNet stores layer k at k·tapeSize
    assert.equal(bits(out2), bits(out1), `${scheme.name}: taped forward step`);
    const g1 = rnd(LP), g2 = g1.slice(), p1 = new Float64Array(n), p2 = new Float64Array(n);
    scheme.stepAdjoint(t, h, x, th, 0, p, p1, g1, 0);
    tp.stepAdjointTaped(t, h, x, th, 0, p, p2, g2, 0, tape, 5);
    assert.equal(bits(p2), bits(p1), `${scheme.name}: costate`);
    assert.equal(bits(g2), bits(g1), `${scheme.name}: parameter gradient (added to a nonzero g)`);
    // control: a record made at another state is not the same linearisation
    const x2 = x.map((v) => v + 0.1);
    tp.stepTaped(t, h, x2, th, 0, out2, tape, 5);
    tp.stepAdjointTaped(t, h, x, th, 0, p, p2, g2.fill(0), 0, tape, 5);
    assert.ok(bits(p2).some((b, i) => b !== bits(p1)[i]), `${scheme.name}: a stale record must change the costate`);
  }
});

test('zhang: the adjoint uses the forward tape only for the θ and trajectory it was recorded with', () => {
  // ZhangNet keeps the tape of its last forward pass with a trajectory; the gradient along
  // another trajectory (or θ) must be that trajectory's, the same bits a fresh net computes
  for (const m of ['euler', 'rk4'] as const) {
    const mk = () => { const f = resnetField(d, tanh, { samples: 2 }); return makeZhangNet(m === 'euler' ? makeEuler(f) : makeRK4(f), { T: 2, nTh: 3, nY: 5 }); };
    const net = mk(), fresh = mk(), rng = makeRng(5);
    const rnd = (n: number) => new Float64Array(n).map(() => rng.normal());
    const thA = randomTheta(3, 11), thB = randomTheta(3, 12), x0 = rnd(net.dim), pN = rnd(net.dim);
    const trajA = new Float64Array(6 * net.dim), trajB = new Float64Array(6 * net.dim), xN = new Float64Array(net.dim);
    const grad = (n: typeof net, th: Float64Array, traj: Float64Array) => { const g = new Float64Array(th.length), p0 = new Float64Array(n.dim); n.adjoint(th, traj, pN, g, p0); return [...bits(g), ...bits(p0)]; };
    fresh.forward(thA, x0, xN, trajA);
    const refA = grad(fresh, thA, trajA); // taped (fresh's last forward)
    net.forward(thA, x0, xN, trajA);
    net.forward(thB, x0, xN, trajB);   // the tape now holds θ_B's pass
    assert.equal(grad(net, thA, trajA), refA, `${m}: θ_A after a pass at θ_B`);
    const trajEdited = trajB.slice(); trajEdited[net.dim] = trajEdited[net.dim]! + 1e-3;
    const other = mk(); other.forward(thA, x0, xN, trajA); // tape of another trajectory
    const refEdited = grad(other, thB, trajEdited);        // θ_B is not its θ: recomputed
    assert.equal(grad(net, thB, trajEdited), refEdited, `${m}: a trajectory edited after the pass`);
    assert.not.equal(grad(net, thB, trajB), refEdited, `${m}: control, the edit matters`);
  }
});

test('zhang: bad input is a UserError', () => {
  const s = makeEuler(resnetField(d, tanh));
  assert.throws(() => makeZhangNet(s, { T: 1, nTh: 0, nY: 4 }), (e: unknown) => e instanceof UserError);
  assert.throws(() => makeZhangNet(s, { T: -1, nTh: 2, nY: 4 }), (e: unknown) => e instanceof UserError);
  const net = makeZhangNet(s, { T: 1, nTh: 2, nY: 4 });
  assert.throws(() => net.forward(new Float64Array(5), new Float64Array(d), new Float64Array(d)), (e: unknown) => e instanceof UserError);
});

test.run();
