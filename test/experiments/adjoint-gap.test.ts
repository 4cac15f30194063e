import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adjointGap, EXPECTED_GAP_ORDER } from '../../src/experiments/adjoint-gap.ts';
import { cli } from '../helpers.ts';
import { userError } from '../numeric/ode/helpers.ts';

const depths = [8, 16, 32, 64, 128, 256];

for (const scheme of ['ff', 'euler', 'heun', 'midpoint', 'rk4', 'verlet']) {
  test(`${scheme}: the adjoint gap closes at certified order ${EXPECTED_GAP_ORDER[scheme]}; rough weights keep it open`, () => {
    const r = adjointGap({ scheme, depths });
    assert.is(r.certificate.verdict, 'order', r.summary);
    assert.is(r.certificate.expected, EXPECTED_GAP_ORDER[scheme]);
    const c = adjointGap({ scheme, depths, rough: true });
    assert.is.not(c.certificate.verdict, 'order', c.summary);
    // the gap to the weak-limit costate stays O(1): its finest value is ≥ half its coarsest
    assert.ok(c.gap[c.gap.length - 1]! > 0.5 * c.gap[0]!, `rough gaps ${c.gap}`);
  });
}

test('rk4 with weights tied to the nodes (linear interpolation at t + h/2) drops to order 2', () => {
  const r = adjointGap({ scheme: 'rk4', depths, params: 'tied' });
  assert.is(r.certificate.expected, 2);
  assert.is(r.certificate.verdict, 'order', r.summary);
});

test('verlet with weights tied to the nodes stays order 2', () => {
  const r = adjointGap({ scheme: 'verlet', depths, params: 'tied' });
  assert.is(r.certificate.verdict, 'order', r.summary);
  assert.is(r.certificate.expected, 2);
});

test('bad input: unknown scheme, too few or non-increasing depths', () => {
  assert.throws(() => adjointGap({ scheme: 'leapfrog', depths }), userError(/unknown scheme "leapfrog"/));
  assert.throws(() => adjointGap({ scheme: 'euler', depths: [8, 16] }), userError(/at least 3/));
  assert.throws(() => adjointGap({ scheme: 'euler', depths: [8, 32, 16] }), userError(/increase strictly/));
  assert.throws(() => adjointGap({ scheme: 'euler', depths: [0, 8, 16] }), userError(/positive integer/));
});

test('CLI: adjoint-gap prints the table and certificates; bad input exits 2 with one line', async () => {
  const ok = await cli(['adjoint-gap', '--scheme', 'euler,heun', '--depths', '8,16,32,64']);
  assert.is(ok.code, 0);
  assert.match(ok.out, /euler\s+order 1: slope/);
  assert.match(ok.out, /heun\s+order 2: slope/);
  const v = await cli(['adjoint-gap', '--scheme', 'verlet', '--depths', '8..128']);
  assert.is(v.code, 0, v.error);
  assert.match(v.out, /verlet\s+order 2: slope/);
  const vr = await cli(['adjoint-gap', '--scheme', 'verlet', '--depths', '8..128', '--rough']);
  assert.is(vr.code, 0, 'rough weights: the gap must stay open, as it does');
  assert.match(vr.out, /verlet\s+inconclusive \(expected 2\)/);
  const js = await cli(['adjoint-gap', '--scheme', 'rk4', '--depths', '8,16,32,64', '--json']);
  const parsed = JSON.parse(js.out) as { scheme: string; gap: number[] }[];
  assert.is(parsed[0]!.scheme, 'rk4');
  assert.is(parsed[0]!.gap.length, 4);
  for (const args of [['--scheme', 'nope'], ['--depths', '8,-16,32'], ['--depths', '8,x,32'], ['--depths', '8,16'], ['--activation', 'relu']]) {
    const bad = await cli(['adjoint-gap', ...args]);
    assert.is(bad.code, 2, args.join(' '));
    assert.ok(bad.error && !bad.error.includes('\n'));
  }
});

test.run();

test('loss gap (C39b): x\' = w x with tied w, |L(x_N) − L(x(T))| against the closed forms (1 + wT/N)^N x0 and e^{wT} x0', async () => {
  const { adjointGap: apiGap } = await import('../../src/api/adjoint.ts');
  const w = -0.7, x0 = 1.3, y = 0.2, T = 1.5, depths = [8, 16, 32, 64, 128];
  const r = apiGap({ field: 'w*x', theta: { w }, x0: [x0], target: [y], T, depths });
  const L = (x: number) => 0.5 * (x - y) ** 2, LT = L(x0 * Math.exp(w * T));
  assert.ok(Math.abs(r.odeLoss! - LT) <= 1e-11, `L(x(T)) = ${r.odeLoss} vs ${LT}`);
  depths.forEach((N, i) => {
    const exact = Math.abs(L(x0 * (1 + (w * T) / N) ** N) - LT);
    // DOPRI5 at rtol 1e-13 puts x(T), hence L(x(T)), within ~1e-13; ×100 margin
    assert.ok(Math.abs(r.lossGap![i]! - exact) <= 1e-11, `N = ${N}: ${r.lossGap![i]} vs ${exact}`);
  });
  assert.is(r.lossCertificate!.verdict, 'order', r.lossCertificate!.reason);
  assert.is(r.lossCertificate!.expected, 1);
});
