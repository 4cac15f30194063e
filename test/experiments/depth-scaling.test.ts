import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { depthObjective } from '../../src/experiments/gamma/objective.ts';
import { layerStatistics, SCALING_MODEL, scalingDataset } from '../../src/experiments/depth-scaling.ts';
import { getActivation } from '../../src/numeric/activations.ts';
import { resnetField } from '../../src/numeric/schemes/fields.ts';
import { backward, forward, makeScheme } from '../../src/numeric/schemes/net.ts';
import { makeRng } from '../../src/util/prng.ts';

test('depthObjective with step δ is the Euler scheme with T = nδ (value and gradient; the diffusive scaling δ = 1/√n)', () => {
  const data = scalingDataset(11, 3), n = 16, delta = 1 / Math.sqrt(n), S = data.S, d = 2;
  const ob = depthObjective(SCALING_MODEL, data, n, { step: delta });
  const th = makeRng(4).fillUniform(new Float64Array(ob.size), -1, 1), g = new Float64Array(ob.size);
  const E = ob.fg(th, g);
  const euler = makeScheme('euler', resnetField(d, getActivation('tanh'), { samples: S }));
  const depth = { N: n, T: n * delta };
  const xs = forward(euler, data.x, th, depth);
  const pN = new Float64Array(S * d);
  let loss = 0;
  for (let s = 0; s < S; s++) {
    const r = xs[n * S * d + s * d]! - xs[n * S * d + s * d + 1]! - data.y[s]!;
    loss += 0.5 * r * r / S;
    pN[s * d] = r / S; pN[s * d + 1] = -r / S;
  }
  const { gTheta } = backward(euler, xs, th, depth, pN);
  // same sums in another order, fastTanh vs Math.tanh (≤ 3 ulps): rounding level
  assert.ok(Math.abs(E - loss) <= 1e-13 * loss, `E ${E} vs ${loss}`);
  let gm = 0, ge = 0;
  for (let i = 0; i < g.length; i++) { gm = Math.max(gm, Math.abs(gTheta[i]!)); ge = Math.max(ge, Math.abs(g[i]! - gTheta[i]!)); }
  assert.ok(ge <= 1e-13 * gm, `gradient differs by ${ge} (scale ${gm})`);
});

test('layerStatistics: K_k = c·k·𝟙 (2×2) has ‖ΔK‖_F = 2|c|, QV = 4c²(L − 1), max‖K‖ = 2|c|(L − 1), and the scale enters as A = δK', () => {
  const L = 10, c = -0.3, P = 6, th = new Float64Array(L * P);
  for (let k = 0; k < L; k++) { for (let j = 0; j < 4; j++) th[k * P + j] = c * k; th[k * P + 4] = 100 * k; } // b must not count
  const s = layerStatistics(th, L, 0.5);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-14 * Math.abs(b);
  assert.ok(close(s.maxIncrement, 0.5 * 2 * 0.3), `${s.maxIncrement}`);
  assert.ok(close(s.rmsIncrement, 0.5 * 2 * 0.3), `${s.rmsIncrement}`);
  assert.ok(close(s.quadraticVariation, 0.25 * 4 * 0.09 * (L - 1)), `${s.quadraticVariation}`);
  assert.ok(close(s.maxNorm, 0.5 * 2 * 0.3 * (L - 1)), `${s.maxNorm}`);
});

test('a step of zero size is refused with a reason', () => {
  assert.throws(() => depthObjective(SCALING_MODEL, scalingDataset(3, 1), 4, { step: 0 }), /step must be > 0/);
});

test.run();
