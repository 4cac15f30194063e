import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getActivation } from '../../../src/numeric/activations.ts';
import { resnetField } from '../../../src/numeric/schemes/fields.ts';
import { backward, forward, makeScheme, nodesToStages, sampleParams, stagesToNodesGrad } from '../../../src/numeric/schemes/net.ts';
import { makeRng } from '../../../src/util/prng.ts';
import { userError } from '../ode/helpers.ts';

const tanh = getActivation('tanh');

test('bad input: unknown scheme, non-positive depth, dimension mismatch, wrong parameter count', () => {
  const field = resnetField(2, tanh);
  assert.throws(() => makeScheme('leapfrog', field), userError(/unknown scheme "leapfrog"/));
  assert.throws(() => makeScheme('ff', field), userError(/needs the nonlinearity/));
  const s = makeScheme('euler', field);
  assert.throws(() => forward(s, new Float64Array(2), new Float64Array(0), { N: 0, T: 1 }), userError(/positive integer/));
  assert.throws(() => forward(s, new Float64Array(3), new Float64Array(6 * 4), { N: 4, T: 1 }), userError(/dimension 3, expected 2/));
  assert.throws(() => forward(s, new Float64Array(2), new Float64Array(5), { N: 4, T: 1 }), userError(/need N·S·P/));
  assert.throws(() => resnetField(0, tanh), userError());
});

test('a diverging net names the layer where the state became non-finite', () => {
  // x⁺ = x + h·x·1e300-ish: the identity activation with a huge K overflows after a few layers
  const s = makeScheme('euler', resnetField(1, getActivation('identity')));
  const th = new Float64Array(2 * 10).fill(0);
  for (let l = 0; l < 10; l++) th[2 * l] = 1e120;
  assert.throws(() => forward(s, new Float64Array([1]), th, { N: 10, T: 1 }), userError(/non-finite state at layer 3 \(t = 0\.3/));
});

test('linear Euler net equals (1 + hk)^N exactly; backprop gives the same product', () => {
  const s = makeScheme('euler', resnetField(1, getActivation('identity')));
  const N = 10, T = 2, k = -0.7, th = new Float64Array(2 * N);
  for (let l = 0; l < N; l++) th[2 * l] = k;
  const xs = forward(s, new Float64Array([1]), th, { N, T });
  const exact = (1 + (T / N) * k) ** N;
  assert.ok(Math.abs(xs[N]! - exact) < 1e-15);
  const { ps } = backward(s, xs, th, { N, T }, new Float64Array([1]));
  assert.ok(Math.abs(ps[0]! - exact) < 1e-15);
});

test('nodesToStages and stagesToNodesGrad are transposes; sampleParams hits the stage times', () => {
  const s = makeScheme('rk4', resnetField(2, tanh));
  const N = 5, P = 6, rng = makeRng(3);
  const nodes = new Float64Array((N + 1) * P).map(() => rng.normal());
  const g = new Float64Array(N * 3 * P).map(() => rng.normal());
  const a = nodesToStages(s, nodes, N), b = stagesToNodesGrad(s, g, N);
  let lhs = 0, rhs = 0;
  for (let i = 0; i < a.length; i++) lhs += a[i]! * g[i]!;
  for (let i = 0; i < b.length; i++) rhs += b[i]! * nodes[i]!;
  assert.ok(Math.abs(lhs - rhs) < 1e-12 * (Math.abs(lhs) + 1));
  const th = sampleParams(s, { N, T: 1 }, (t, out) => out.fill(t));
  // layer 2, stage c = 1/2: t = (2 + 0.5)/5
  assert.ok(Math.abs(th[(2 * 3 + 1) * P]! - 0.5) < 1e-15);
});

test.run();
