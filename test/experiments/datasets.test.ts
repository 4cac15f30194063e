import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATASET_NAMES, diskAnnulusLabel, makeDataset, peaks } from '../../src/experiments/datasets.ts';
import { UserError } from '../../src/util/errors.ts';

test('datasets: deterministic per seed, different across seeds', () => {
  for (const name of DATASET_NAMES) {
    const a = makeDataset(name, { n: 50, seed: 1 }), b = makeDataset(name, { n: 50, seed: 1 }), c = makeDataset(name, { n: 50, seed: 2 });
    assert.equal(Array.from(a.x), Array.from(b.x), name);
    assert.equal(Array.from(a.labels), Array.from(b.labels), name);
    assert.not.equal(Array.from(a.x), Array.from(c.x), name);
    assert.is(a.x.length, 100);
  }
});

test('datasets: labels agree with the geometric definitions', () => {
  const e = makeDataset('ellipses', { n: 400, seed: 3 });
  for (let i = 0; i < e.n; i++) {
    const r = Math.hypot(e.x[2 * i]!, e.x[2 * i + 1]! / 0.4);
    assert.ok(e.labels[i] === 0 ? r <= 1 : r > 1 && r <= 2 + 1e-12);
  }
  const d = makeDataset('disk-annulus', { n: 300, seed: 3 });
  for (let i = 0; i < d.n; i++) assert.is(diskAnnulusLabel(d.x[2 * i]!, d.x[2 * i + 1]!), d.labels[i]);
});

test('datasets: peaks classes are equal-sized level sets (monotone in the peaks value)', () => {
  const p = makeDataset('peaks', { n: 500, seed: 4, classes: 5 });
  const counts = [0, 0, 0, 0, 0], lo = [Infinity, Infinity, Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.n; i++) {
    const c = p.labels[i]!, v = peaks(p.x[2 * i]!, p.x[2 * i + 1]!);
    counts[c]!++; lo[c] = Math.min(lo[c]!, v); hi[c] = Math.max(hi[c]!, v);
  }
  assert.equal(counts, [100, 100, 100, 100, 100]);
  for (let c = 1; c < 5; c++) assert.ok(hi[c - 1]! <= lo[c]!);
  // MATLAB peaks(0,0) = 3e⁻¹ − e⁻¹/3 (the x⁵, y⁵ term vanishes)
  assert.ok(Math.abs(peaks(0, 0) - (3 * Math.exp(-1) - Math.exp(-1) / 3)) < 1e-15);
});

test('datasets: bad input is a UserError', () => {
  assert.throws(() => makeDataset('moons', { n: 10, seed: 1 }), (e: unknown) => e instanceof UserError && /unknown dataset/.test((e as Error).message));
  assert.throws(() => makeDataset('peaks', { n: 1, seed: 1 }), (e: unknown) => e instanceof UserError);
  assert.throws(() => makeDataset('disk-annulus', { n: 10, seed: 1, radii: [1, 0.5, 2] }), (e: unknown) => e instanceof UserError);
});

test.run();
