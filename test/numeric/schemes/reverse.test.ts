/** The memory-free backward pass (numeric/schemes/reverse.ts): reconstruction and backprop along reconstructed states. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getActivation } from '../../../src/numeric/activations.ts';
import { resnetField } from '../../../src/numeric/schemes/fields.ts';
import { backward, forward, makeScheme, nodesToStages } from '../../../src/numeric/schemes/net.ts';
import { backwardMemoryFree, reconstructStates } from '../../../src/numeric/schemes/reverse.ts';
import { makeRng } from '../../../src/util/prng.ts';
import { UserError } from '../../../src/util/errors.ts';

const d = 2, P = d * d + d, tanh = getActivation('tanh');

function setup(name: string, N: number, seed = 3) {
  const scheme = makeScheme(name, resnetField(d, tanh)), rng = makeRng(seed);
  const nodes = new Float64Array((N + 1) * P).map(() => rng.normal());
  const theta = nodesToStages(scheme, nodes, N), x0 = Float64Array.of(0.4, -0.7), depth = { N, T: 1 };
  return { scheme, theta, x0, depth, xs: forward(scheme, x0, theta, depth) };
}

test('reverse: backprop along the on-the-fly reconstruction equals backward() along the reconstructed trajectory, bit for bit', () => {
  for (const name of ['euler', 'heun', 'rk4']) {
    const { scheme, theta, depth, xs } = setup(name, 12);
    const xN = xs.slice(12 * d), pN = Float64Array.of(1, -2);
    const mf = backwardMemoryFree(scheme, xN, theta, depth, pN);
    const rec = reconstructStates(scheme, xN, theta, depth);
    const ref = backward(scheme, rec, theta, depth, pN);
    assert.equal(Array.from(mf.gTheta), Array.from(ref.gTheta), name);
    assert.equal(Array.from(mf.p0), Array.from(ref.ps.slice(0, d)), name);
    assert.equal(Array.from(mf.x0), Array.from(rec.slice(0, d)), name);
  }
});

test('reverse: a gradient buffer passed in (holding old numbers) is overwritten: the same gradient as a fresh one', () => {
  const { scheme, theta, depth, xs } = setup('heun', 12);
  const xN = xs.slice(12 * d), pN = Float64Array.of(1, -2);
  const fresh = backwardMemoryFree(scheme, xN, theta, depth, pN);
  const buf = new Float64Array(fresh.gTheta.length).fill(7);
  const reused = backwardMemoryFree(scheme, xN, theta, depth, pN, { gTheta: buf });
  assert.ok(reused.gTheta === buf);
  assert.equal(Array.from(buf), Array.from(fresh.gTheta));
  assert.throws(() => backwardMemoryFree(scheme, xN, theta, depth, pN, { gTheta: new Float64Array(3) }), (e: unknown) => e instanceof UserError);
});

test('reverse: for a linear field the Euler reconstruction error is exactly h²‖K‖-sized per layer (x̂ = (I − hK)(I + hK)x)', () => {
  // f = Kx (identity activation, b = 0, constant K): x̂_0 = ((I − hK)(I + hK))^N x_0 = (I − h²K²)^N x_0
  const scheme = makeScheme('euler', resnetField(d, getActivation('identity'))), N = 50, h = 1 / N;
  const K = [0.3, -1, 1, 0.2], node = Float64Array.from([...K, 0, 0]);
  const theta = nodesToStages(scheme, Float64Array.from({ length: (N + 1) * P }, (_, i) => node[i % P]!), N);
  const x0 = Float64Array.of(1, 0.5), xs = forward(scheme, x0, theta, { N, T: 1 });
  const rec = reconstructStates(scheme, xs.slice(N * d), theta, { N, T: 1 });
  const K2 = [K[0]! * K[0]! + K[1]! * K[2]!, K[0]! * K[1]! + K[1]! * K[3]!, K[2]! * K[0]! + K[3]! * K[2]!, K[2]! * K[1]! + K[3]! * K[3]!];
  let x = Array.from(x0);
  for (let l = 0; l < N; l++) x = [x[0]! - h * h * (K2[0]! * x[0]! + K2[1]! * x[1]!), x[1]! - h * h * (K2[2]! * x[0]! + K2[3]! * x[1]!)];
  // both sides round O(1) times per layer on O(1) numbers
  assert.ok(Math.abs(rec[0]! - x[0]!) + Math.abs(rec[1]! - x[1]!) < 1e-13, `${rec[0]}, ${rec[1]} vs ${x}`);
  assert.ok(Math.abs(rec[0]! - x0[0]!) > 1e-3, 'the reconstruction is not exact');
});

test('reverse: a scheme whose stage times are not symmetric (midpoint) and bad sizes are UserErrors', () => {
  const { theta, depth, xs } = setup('midpoint', 4);
  const mid = makeScheme('midpoint', resnetField(d, tanh));
  assert.throws(() => reconstructStates(mid, xs.slice(4 * d), theta, depth), (e: unknown) => e instanceof UserError && /not symmetric/.test((e as Error).message));
  const eu = setup('euler', 4);
  assert.throws(() => reconstructStates(eu.scheme, Float64Array.of(1), eu.theta, eu.depth), (e: unknown) => e instanceof UserError);
  assert.throws(() => backwardMemoryFree(eu.scheme, eu.xs.slice(4 * d), eu.theta, eu.depth, Float64Array.of(1, 2), { reverseTheta: new Float64Array(3) }), (e: unknown) => e instanceof UserError);
});

test.run();
