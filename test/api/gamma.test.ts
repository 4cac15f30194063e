/**
 * trainGamma as a library: the same sweep as `depthlimit gamma` (one model validation, one
 * experiment), data from arrays equal to the same data as CSV text, partial levels reported.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { trainGamma, UserError } from '../../src/index.ts';
import { cli } from '../helpers.ts';

test('trainGamma on the toy is `depthlimit gamma --json` (levels and certified rates)', async () => {
  const g = trainGamma('toy', { depths: '4..64' });
  const r = await cli(['gamma', '--depths', '4..64', '--json']);
  assert.is(r.code, 0, r.error);
  const j = JSON.parse(r.out) as { levels: unknown[]; energyCauchy: number[]; rates: { quantity: string; verdict: string; slope: number }[] };
  assert.equal(g.levels, j.levels);
  assert.equal(g.energyCauchy, j.energyCauchy);
  for (const rate of j.rates) {
    const c = g.certificates[rate.quantity as keyof typeof g.certificates]!;
    assert.equal([c.verdict, c.slope], [rate.verdict, rate.slope], rate.quantity);
  }
  assert.is(g.certificates.energyCauchy.verdict, 'order');
  assert.equal(g.minimisers.map((m) => m.n), [4, 8, 16, 32, 64]);
  assert.not.ok(g.partial);
});

test('data as arrays and as CSV text train the same model; a capped level is partial, not thrown', () => {
  const x = Array.from({ length: 12 }, (_, s) => [-1 + s / 6, Math.cos(s)]);
  const y = x.map(([a, b]) => Math.tanh(a! - 0.5 * b!));
  const csv = ['x1,x2,y', ...x.map((row, s) => `${row[0]},${row[1]},${y[s]}`)].join('\n');
  const a = trainGamma({ x, y }, { depths: [4, 8, 16] }), b = trainGamma({ csv }, { depths: [4, 8, 16] });
  assert.equal(a.levels, b.levels);
  assert.equal([a.d, a.S], [2, 12]);
  const capped = trainGamma('toy', { depths: [4, 8, 16], maxIterations: 2 });
  assert.ok(capped.partial && capped.levels.some((l) => !l.converged));
});

test('bad data and options are UserErrors', () => {
  const isUE = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message);
  assert.throws(() => trainGamma({ x: [[1], [2, 3]], y: [0, 1] }), isUE(/sample 2 has 2 inputs/));
  assert.throws(() => trainGamma({ x: [[1]], y: [NaN] }), isUE(/y\[0\] is not a finite number/));
  assert.throws(() => trainGamma({ csv: 'a,b\n1,2' }), isUE(/missing column 'y'/));
  assert.throws(() => trainGamma('toy', { alpha: 1e-3, mu: 1 }), isUE(/either alpha or lambda\/mu/));
  assert.throws(() => trainGamma('toy', { optimiser: 'h1' } as never), isUE(/unknown field 'optimiser'/));
  assert.throws(() => trainGamma('no-such-file.csv'), isUE(/no-such-file\.csv/));
  assert.throws(() => trainGamma('toy', { depths: [4, 2 ** 40] }), isUE(/--depths up to .* needs/));
  assert.throws(() => trainGamma('toy', { depths: [NaN, 8] }), isUE(/depths: NaN is not a positive integer/));
  assert.throws(() => trainGamma('toy', { depths: 64 as never }), isUE(/depths: give a list/));
  // accepted before: a learned readout ignored w and c, a fixed one the ridge; 4, 6, 8 turned the toy's order-1 ladders inconclusive
  assert.throws(() => trainGamma('toy', { depths: [4], w: [5] }), isUE(/w and c set a fixed readout/));
  assert.throws(() => trainGamma('toy', { depths: [4], c: 1 }), isUE(/w and c set a fixed readout/));
  assert.throws(() => trainGamma({ x: [[1], [2]], y: [0, 1] }, { depths: [4], readoutRidge: 1 }), isUE(/readoutRidge is the ridge of a learned readout/));
  assert.throws(() => trainGamma('toy', { depths: [4, 6, 8] }), isUE(/depths must double/));
  // a TypeError after the first level was trained, before
  assert.throws(() => trainGamma('toy', { depths: [4, 8], onLevel: 5 as never }), isUE(/onLevel must be a function/));
});

test.run();
