import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { regionGrid } from '../../src/experiments/disk-annulus.ts';
import { diskAnnulusLabel } from '../../src/experiments/datasets.ts';
import { UserError } from '../../src/util/errors.ts';

test('disk-annulus: the region grid covers disk ∪ annulus with the right labels and area', () => {
  const m = 200, g = regionGrid(m);
  for (let i = 0; i < g.n; i++) assert.is(diskAnnulusLabel(g.x[2 * i]!, g.x[2 * i + 1]!), g.labels[i]);
  // area fraction π(r₁² + r₃² − r₂²)/(2r₃)² = 1.5π/9; cell-centre counting errs by O(perimeter/m)
  const frac = g.n / (m * m), exact = (1.5 * Math.PI) / 9;
  assert.ok(Math.abs(frac - exact) < 4 * (2 * Math.PI * 3) / (m * 9), `${frac} vs ${exact}`);
  let disk = 0;
  for (let i = 0; i < g.n; i++) disk += g.labels[i] === 0 ? 1 : 0;
  assert.ok(Math.abs(disk / g.n - 0.25 / 1.5) < 0.01);
});

test('disk-annulus: bad grid size is a UserError', () => {
  assert.throws(() => regionGrid(1), (e: unknown) => e instanceof UserError);
  assert.throws(() => regionGrid(2.5), (e: unknown) => e instanceof UserError);
});

test.run();
