/**
 * Depth sweeps: each scheme's certified order against the ODE and the modified equation, the
 * symbolic continuum limit and modified-equation correction against independent numerics, and
 * negative controls (mis-scaled residuals, alternating and rough weights, mis-scaled tanh
 * inputs) that must not certify.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dopri5 } from '../../src/numeric/ode/dopri5.ts';
import { certifyOrder, describeCertificate } from '../../src/numeric/certify.ts';
import { DEFAULT_REFERENCE, powersOfTwo, referenceSolution, schemeSweep, validateDepths, type SchemeSweepConfig } from '../../src/experiments/depth-sweep.ts';
import { pwLinearLadder } from '../../src/experiments/stability.ts';
import { kinkedProblem } from '../numeric/ode/helpers.ts';
import { compileProblem } from '../../src/experiments/sweep-problem.ts';
import { compileField } from '../../src/symbolic/compile.ts';
import { alternatingSweep, forwardConsistencySweep, interpolatedLimitField, weightSmoothnessSweep } from '../../src/experiments/sweep-controls.ts';
import { tanhInstanceSweep } from '../../src/experiments/sweep-tanh.ts';
import { UserError } from '../../src/util/errors.ts';
import { makeRng } from '../../src/util/prng.ts';

// CLAIMS C12: d = 2, γ = 0.5, time-dependent w and b, T = 1.
const A = ['-0.3', '1 + 0.5*sin(2*t)', '-1', '-0.2 + 0.3*cos(3*t)'];
const beta = ['0.5*cos(t)', '0.3*sin(2*t)'];
const base = { g: '-gamma*z^3', A, beta, constants: { gamma: 0.5 }, x0: [1, -0.5], T: 1 };
const sweep = (c: Partial<SchemeSweepConfig>) => schemeSweep({ ...base, scheme: 'ff', against: 'ode', depths: powersOfTwo(2, 10), ...c } as SchemeSweepConfig);
const isUserError = (e: unknown) => e instanceof UserError;

test('reference of a kinked problem (closed form): with tstops the error is ≈ rtol and below the estimate; without, the proportional estimate under-estimates it', () => {
  const rng = makeRng(11);
  let worstPlain = 0, worstPlainError = 0;
  for (let k = 0; k < 12; k++) {
    const p = kinkedProblem(Array.from({ length: 6 }, () => rng.uniform(-1, 1)));
    const exact = p.exact(p.T)[0]!;
    const withStops = referenceSolution(p.f, p.T, p.x0, { tstops: p.knots });
    const err = Math.abs(withStops.x[0]! - exact);
    assert.ok(err <= withStops.errorEstimate && err <= withStops.floor, `problem ${k}: error ${err} vs estimate ${withStops.errorEstimate}`);
    assert.ok(err < 1e-12, `problem ${k}: with tstops the error ${err} is of the order of rtol = ${DEFAULT_REFERENCE.rtol}`);
    // without: the tolerance-proportional estimate |x(rtol) − x(100 rtol)|/100 (the estimate before the fix)
    const plain = referenceSolution(p.f, p.T, p.x0);
    const coarse = dopri5(p.f, 0, p.T, p.x0, { rtol: 100 * DEFAULT_REFERENCE.rtol, atol: 100 * DEFAULT_REFERENCE.atol }).x[0]!;
    const plainError = Math.abs(plain.x[0]! - exact);
    worstPlain = Math.max(worstPlain, plainError / (Math.abs(plain.x[0]! - coarse) / 100));
    worstPlainError = Math.max(worstPlainError, plainError);
  }
  assert.ok(worstPlain > 5, `without tstops the proportional estimate under-estimates the error by up to ${worstPlain.toFixed(1)}×`);
  assert.ok(worstPlainError > 1e-11, `without tstops the error reaches ${worstPlainError}`);
});

test('the piecewise-linear (Zhang) ladder solves its reference piece by piece and certifies with its floor', () => {
  const l = pwLinearLadder('rk4', [5, 10, 20, 40, 80, 160], { nTh: 5 });
  assert.ok(l.floor >= 1e3 * 2.22e-16 * l.scale && l.floor < 1e-10, `floor ${l.floor}`);
  assert.is(certifyOrder(l.h, l.err, 4, { scale: l.scale, floor: l.floor }).verdict, 'order');
});

test('FF and Euler converge to the ODE at certified order 1, and to each other at O(Δt) (C12)', () => {
  const ff = sweep({ scheme: 'ff', depths: powersOfTwo(2, 12) });
  const eu = sweep({ scheme: 'euler', depths: powersOfTwo(2, 12) });
  assert.is(ff.certificate.verdict, 'order', describeCertificate(ff.certificate));
  assert.is(eu.certificate.verdict, 'order', describeCertificate(eu.certificate));
  // FF − Euler: the layers differ by Δt² g′(x)(wx + b) each, so O(Δt) after N layers.
  const diff = ff.finals.map((x, i) => Math.max(...x.map((v, k) => Math.abs(v - eu.finals[i]![k]!))));
  assert.is(certifyOrder(ff.h, diff, 1).verdict, 'order');
  // The net and the reference share no code: the ODE comes from the symbolic ε-series.
  assert.ok(ff.reference.errorEstimate < 1e-9);
});

test('FF and Euler follow the modified equation at certified order 2', () => {
  for (const scheme of ['ff', 'euler'] as const) {
    const r = sweep({ scheme, against: 'modified' });
    assert.is(r.certificate.verdict, 'order', `${scheme}: ${describeCertificate(r.certificate)}`);
    assert.is(r.expected, 2);
  }
});

test('Heun and midpoint certify order 2, RK4 order 4 (smooth weights)', () => {
  for (const scheme of ['heun', 'midpoint'] as const) {
    const r = sweep({ scheme });
    assert.is(r.certificate.verdict, 'order', `${scheme}: ${describeCertificate(r.certificate)}`);
    assert.is(r.expected, 2);
  }
  const rk = sweep({ scheme: 'rk4', depths: powersOfTwo(2, 9), reference: { rtol: 1e-13, atol: 1e-15 } });
  assert.is(rk.certificate.verdict, 'order', describeCertificate(rk.certificate));
  assert.is(rk.expected, 4);
});

test('the symbolic continuum limit is A x + β + g(x) and the correction matches finite differences', () => {
  const p = compileProblem(base, { layer: 'ff' });
  const rng = makeRng(5);
  const x = new Float64Array(2), f = new Float64Array(2), c = new Float64Array(2);
  const th = new Float64Array(6);
  const fp = new Float64Array(2), fm = new Float64Array(2), xp = new Float64Array(2);
  for (let k = 0; k < 20; k++) {
    const t = rng.uniform(0, 1);
    rng.fillUniform(x, -1.5, 1.5);
    p.ode(t, x, f);
    p.theta!(t, th);
    for (let i = 0; i < 2; i++) {
      const F = th[2 * i]! * x[0]! + th[2 * i + 1]! * x[1]! + th[4 + i]! - 0.5 * x[i]! ** 3;
      assert.ok(Math.abs(f[i]! - F) < 1e-13, `f1 component ${i}`);
    }
    // correction = g′(x)(Ax + β) − ½(∂ₓF·F + ∂ₜF), derivatives by central differences (error O(δ²) ≈ 1e-10).
    p.correction(t, x, c);
    const dF = (dir: number, delta: number, out: Float64Array) => {
      const dv = new Float64Array(2);
      for (let i = 0; i < 2; i++) {
        xp.set(x);
        if (dir < 2) xp[dir] = x[dir]! + delta; p.ode(dir < 2 ? t : t + delta, xp, fp);
        xp.set(x);
        if (dir < 2) xp[dir] = x[dir]! - delta; p.ode(dir < 2 ? t : t - delta, xp, fm);
        dv[i] = (fp[i]! - fm[i]!) / (2 * delta);
      }
      out.set(dv);
    };
    const J0 = new Float64Array(2), J1 = new Float64Array(2), Ft = new Float64Array(2);
    dF(0, 1e-5, J0); dF(1, 1e-5, J1); dF(2, 1e-5, Ft);
    for (let i = 0; i < 2; i++) {
      const lin = th[2 * i]! * x[0]! + th[2 * i + 1]! * x[1]! + th[4 + i]!;
      const expected = -1.5 * x[i]! ** 2 * lin - 0.5 * (J0[i]! * f[0]! + J1[i]! * f[1]! + Ft[i]!);
      assert.ok(Math.abs(c[i]! - expected) < 1e-7 * (1 + Math.abs(expected)), `correction ${i}: ${c[i]} vs ${expected}`);
    }
  }
});

test('verlet: the g/A/β problem read as a Hamiltonian network certifies order 2; a 2h step does not; its text is its field', () => {
  const r = sweep({ scheme: 'verlet', p0: [0.5, 0] });
  assert.is(r.certificate.verdict, 'order', describeCertificate(r.certificate));
  assert.is(r.expected, 2);
  assert.equal(r.x0, [1, -0.5, 0.5, 0]);
  const bad = sweep({ scheme: 'verlet', p0: [0.5, 0], residual: { scale: 2 } });
  assert.is.not(bad.certificate.verdict, 'order', describeCertificate(bad.certificate));
  // the printed equations, compiled by the symbolic layer, are the field the reference integrates
  const text = compileField(r.text.f1, ['x1', 'x2', 'p1', 'p2', 't', 'gamma']);
  const viaText = new Float64Array(4);
  text(Float64Array.of(0.3, -0.7, 0.4, 1.1, 0.37, 0.5), viaText);
  const p = compileProblem(base, { layer: 'ff' }), P = new Float64Array(6), F = new Float64Array(2);
  p.theta!(0.37, P);
  // ẋ = K g(Kᵀp + b), ṗ = −K g(Kᵀx + b), K = A(t), b = β(t), g(z) = −z³/2
  const force = (u: number[]) => {
    for (let i = 0; i < 2; i++) {
      F[i] = 0;
      for (let j = 0; j < 2; j++) { const z = P[j]! * u[0]! + P[2 + j]! * u[1]! + P[4 + j]!; F[i] = F[i]! + P[i * 2 + j]! * (-0.5 * z ** 3); }
    }
    return [F[0]!, F[1]!];
  };
  const expect = [...force([0.4, 1.1]), ...force([0.3, -0.7]).map((v) => -v)];
  expect.forEach((v, i) => assert.ok(Math.abs(v - viaText[i]!) < 1e-12, `component ${i}: ${v} vs ${viaText[i]}`));
  assert.throws(() => sweep({ scheme: 'verlet', p0: [1] }), (e: unknown) => isUserError(e) && /--p0 has 1/.test((e as Error).message));
  assert.throws(() => sweep({ scheme: 'ff', p0: [1, 0] }), (e: unknown) => isUserError(e) && /--p0 is the initial momentum of --scheme verlet/.test((e as Error).message));
  assert.throws(() => schemeSweep({ field: ['x2', '-x1'], x0: [1, 0], T: 1, scheme: 'verlet', against: 'ode', depths: [4, 8, 16] }), (e: unknown) => isUserError(e) && /Hamiltonian network of --g, --A, --beta/.test((e as Error).message));
});

test('a --map FF layer given as text reproduces the scheme FF net to round-off', () => {
  const p = compileProblem(base, { layer: 'ff' });
  const viaMap = schemeSweep({ map: p.text.map, constants: { gamma: 0.5 }, x0: base.x0, T: 1, scheme: 'map', against: 'ode', depths: [4, 64, 1024] });
  const viaScheme = sweep({ scheme: 'ff', depths: [4, 64, 1024] });
  viaMap.finals.forEach((x, i) => x.forEach((v, k) => assert.ok(Math.abs(v - viaScheme.finals[i]![k]!) < 1e-12 * 1024)));
});

test('negative controls: mis-scaled residuals x + 2h f and x + h^0.5 f do not certify', () => {
  for (const residual of [{ scale: 2 }, { power: 0.5 }]) {
    const r = sweep({ scheme: 'ff', residual });
    assert.is.not(r.certificate.verdict, 'order', `${JSON.stringify(residual)}: ${describeCertificate(r.certificate)}`);
    assert.ok(r.err[r.err.length - 1]! > 0.1, 'the error stays O(1)');
  }
});

test('alternating weights: order 1 to the averaged ODE (limit 1.19248), plateau ≈ 0.27 to the weak limit (C23)', () => {
  const r = alternatingSweep({ depths: powersOfTwo(3, 12) });
  // SciPy solve_ivp(DOP853, rtol 1e-13) of Ẋ = ½[tanh(X+½) + tanh(−X+½)], X(0) = 1: 1.1924779090773256.
  assert.ok(Math.abs(r.limits.averaged - 1.1924779090773256) < 1e-10);
  assert.ok(Math.abs(r.limits.weak - (1 + Math.tanh(0.5))) < 1e-12, 'Ẋ = tanh(½) integrates in closed form');
  assert.is(r.averaged.certificate.verdict, 'order', describeCertificate(r.averaged.certificate));
  assert.is(r.weak.certificate.verdict, 'inconclusive');
  const last = r.weak.err[r.weak.err.length - 1]!;
  assert.ok(Math.abs(last - (r.limits.weak - r.limits.averaged)) < 1e-3, `${last}`);
});

test('smooth weights close the ResNet/ODE gap at order 1; rough weights leave the gap of the two limits (C35)', () => {
  const r = weightSmoothnessSweep({ depths: powersOfTwo(3, 11) });
  assert.is(r.smooth.certificate.verdict, 'order', describeCertificate(r.smooth.certificate));
  assert.is(r.rough.certificate.verdict, 'inconclusive');
  // The plateau is |interpolated limit − averaged limit|: ẋ = ½∫tanh(kx+b)dk vs ½[tanh(x+b)+tanh(−x+b)].
  const interp = dopri5((_t, x, o) => { o[0] = interpolatedLimitField(x[0]!, 0.5); }, 0, 1, Float64Array.of(1), { rtol: 1e-12 }).x[0]!;
  const gap = Math.abs(interp - 1.1924779090773256);
  const last = r.rough.err[r.rough.err.length - 1]!;
  // The rough gap approaches its limit at O(1/N): within a few 1e-3 at N = 2048.
  assert.ok(Math.abs(last - gap) < 5e-3, `${last} vs ${gap}`);
});

test('the tanh instance converges at order 1 with s = √Δt; a mis-scaled s = 2√Δt does not (C14)', () => {
  const cfg = { w: A, b: beta, u0: [1, -0.5], T: 1, depths: powersOfTwo(4, 12) };
  const ok = tanhInstanceSweep(cfg);
  assert.is(ok.certificate.verdict, 'order', describeCertificate(ok.certificate));
  const bad = tanhInstanceSweep({ ...cfg, kappa: 2 });
  assert.is(bad.certificate.verdict, 'inconclusive', describeCertificate(bad.certificate));
});

test('forward consistency max_i |X⁽ⁱ⁾ − X(i/n)| is O(1/n); the mis-scaled residual is not (C16)', () => {
  const p = { K: ['-0.5 + 0.3*sin(2*t)', '1', '-1', '0.2*cos(t)'], b: ['0.3', '-0.2*t'], x0: [1, -0.5], T: 1 };
  const ok = forwardConsistencySweep(p, powersOfTwo(2, 10));
  assert.is(ok.certificate.verdict, 'order', describeCertificate(ok.certificate));
  const bad = forwardConsistencySweep(p, powersOfTwo(2, 10), { residualScale: 2 });
  assert.is(bad.certificate.verdict, 'inconclusive');
});

test('bad input: depth lists, schemes, parameters, divergence → one-line UserErrors', () => {
  assert.throws(() => validateDepths([]), isUserError);
  assert.throws(() => validateDepths([4, 4]), isUserError);
  assert.throws(() => validateDepths([8, 4]), isUserError);
  assert.throws(() => validateDepths([0, 4]), isUserError);
  assert.throws(() => validateDepths([2.5]), isUserError);
  assert.throws(() => sweep({ scheme: 'rk5' as 'rk4' }), isUserError);
  assert.throws(() => sweep({ x0: [1, NaN] }), isUserError);
  assert.throws(() => sweep({ T: Infinity }), isUserError);
  assert.throws(() => sweep({ constants: { gamma: NaN } }), isUserError);
  assert.throws(() => sweep({ scheme: 'heun', against: 'modified' }), isUserError);
  assert.throws(() => sweep({ A: ['1', '2', '3'] }), isUserError);
  assert.throws(() => sweep({ g: 'foo(z)' }), isUserError);
  // Euler on ẋ = −x³ from x0 = 10 overflows within 8 layers; the ODE itself is tame.
  try {
    sweep({ scheme: 'euler', g: '-z^3', A: ['0', '0', '0', '0'], beta: ['0', '0'], x0: [10, 0], depths: [8, 16] });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.ok(isUserError(e), String(e));
    assert.match((e as Error).message, /layer \d+/);
  }
  // A map that is not near-identity has no continuum limit.
  assert.throws(() => schemeSweep({ map: ['tanh(x + eps)'], x0: [1], T: 1, scheme: 'map', against: 'ode', depths: [4, 8] }), (e: unknown) => isUserError(e) && /near-identity/.test((e as Error).message));
});

test('claim evidence data draws as the error-vs-depth figure; net-vs-ode data are consistent', async () => {
  const { claims } = await import('../../src/claims/convergence.ts');
  const { getFigure } = await import('../../src/figures/registry.ts');
  const { netVsOdeVsModified } = await import('../../src/experiments/sweep-trajectory.ts');
  const c23 = claims.find((c) => c.id === 'C23')!;
  const ev = await c23.check({ mode: 'quick', seed: 1 });
  const spec = getFigure('error-vs-depth').build(ev.data);
  assert.ok(spec.data.length >= 2);
  // A coarse FF net is closer to the modified equation than to the ODE (O(ε²) vs O(ε)).
  const d = netVsOdeVsModified(base, { N: 16, samples: 10 });
  assert.ok(d.errModified < d.errOde / 3, `${d.errModified} vs ${d.errOde}`);
  assert.is(d.net.x.length, 17);
});

test.run();
