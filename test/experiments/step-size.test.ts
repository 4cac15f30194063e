import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeClassifier, stepSizeStudy, QUICK_STEP_SIZE } from '../../src/experiments/step-size.ts';
import { makeDataset } from '../../src/experiments/datasets.ts';
import { getActivation } from '../../src/numeric/activations.ts';
import { makeRng } from '../../src/util/prng.ts';
import { UserError } from '../../src/util/errors.ts';

/** Taylor test of the hand-written gradient (opening layer → Zhang net → softmax CE → regularisers). */
function taylorRatios(method: 'euler' | 'rk4', dataset: string): number[] {
  const data = makeDataset(dataset, { n: 12, seed: 3 });
  const c = makeClassifier(data, { width: 3, T: 2, nTh: 2, method, alpha: 0.05, beta: 0.01 }, 5, getActivation('tanh'));
  const rng = makeRng(4), x = new Float64Array(c.layout.total), v = new Float64Array(x.length), g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) { x[i] = 0.5 * rng.normal(); v[i] = rng.normal(); }
  const f0 = c.fg(x, g);
  let dir = 0;
  for (let i = 0; i < x.length; i++) dir += g[i]! * v[i]!;
  const scratch = new Float64Array(x.length);
  const r = [1e-2, 5e-3, 2.5e-3].map((e) => Math.abs(c.fg(x.map((xi, i) => xi + e * v[i]!), scratch) - f0 - e * dir));
  return [r[0]! / r[1]!, r[1]! / r[2]!];
}

test('step-size: classifier gradient passes the Taylor test (Euler and RK4, 2 and 5 classes)', () => {
  for (const [m, ds] of [['euler', 'ellipses'], ['rk4', 'peaks']] as const) {
    for (const ratio of taylorRatios(m, ds)) assert.ok(ratio > 3.5 && ratio < 4.5, `${m}/${ds}: ${ratio}`); // O(ε²) remainder
  }
});

test('step-size: the value-only loss is fg\'s loss bit for bit, before and after gradient calls, and moves with x', () => {
  // value() runs the forward pass alone (no trajectory, no tape); the slices of C34 use it
  for (const [m, ds] of [['euler', 'ellipses'], ['rk4', 'peaks']] as const) {
    const c = makeClassifier(makeDataset(ds, { n: 15, seed: 2 }), { width: 3, T: 2, nTh: 2, method: m, alpha: 0.05, beta: 0.01 }, 4, getActivation('tanh'));
    const rng = makeRng(8), g = new Float64Array(c.layout.total);
    const xs = [0, 1, 2].map(() => new Float64Array(c.layout.total).map(() => 0.5 * rng.normal()));
    const before = xs.map((x) => c.value(x));
    const withGrad = xs.map((x) => c.fg(x, g));
    const after = xs.map((x) => c.value(x));
    assert.equal(before, withGrad, `${m}/${ds}`);
    assert.equal(after, withGrad, `${m}/${ds}: after fg recorded a tape`);
    assert.ok(before[0] !== before[1] && before[1] !== before[2], `${m}/${ds}: control, different points give different losses`);
  }
});

test('step-size: a tiny study is deterministic and reports every level', () => {
  const cfg = { ...QUICK_STEP_SIZE, nTrain: 20, nValid: 20, nYs: [2, 4], iterations: 5 };
  const a = stepSizeStudy(cfg), b = stepSizeStudy(cfg);
  assert.is(a.levels.length, 2);
  assert.ok(Number.isNaN(a.levels[0]!.weightChange) && a.levels[1]!.weightChange >= 0);
  for (const l of a.levels) assert.ok(l.validAccuracy >= 0 && l.validAccuracy <= 1 && l.transferAccuracy >= 0);
  assert.equal(a.levels.map((l) => [l.loss, l.validAccuracy]), b.levels.map((l) => [l.loss, l.validAccuracy]));
  assert.is(a.weights[0]!.length, (cfg.nTh + 1) * (cfg.width * cfg.width + cfg.width));
});

test('step-size: bad configurations are UserErrors', () => {
  const bad = (o: object, re: RegExp) => assert.throws(() => stepSizeStudy({ ...QUICK_STEP_SIZE, ...o }), (e: unknown) => e instanceof UserError && re.test((e as Error).message));
  bad({ nYs: [] }, /empty/);
  bad({ nYs: [4, 2] }, /increasing/);
  bad({ nYs: [0, 2] }, /positive/);
  bad({ width: 1 }, /width/);
  bad({ dataset: 'moons' }, /unknown dataset/);
});

test.run();
