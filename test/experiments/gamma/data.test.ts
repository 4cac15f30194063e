import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDataset, parseDataset, subsample } from '../../../src/experiments/gamma/data.ts';
import { fastTanh } from '../../../src/experiments/gamma/fasttanh.ts';
import { UserError } from '../../../src/util/errors.ts';
import { benchProblem } from '../../../src/experiments/gamma/sweep.ts';
import { tmpdir } from 'node:os';

test('the GAMMA data file: 256 rows, d = 2, columns x1, x2, y', () => {
  const d = loadDataset('data/gamma-data.csv');
  assert.is(d.S, 256); assert.is(d.d, 2);
  assert.equal(d.inputs, ['x1', 'x2']);
  // the stated generating formula y = x1 − x2 + 0.5 tanh(4 x1 x2) holds to the printed digits
  for (let s = 0; s < d.S; s++) {
    const x1 = d.x[2 * s]!, x2 = d.x[2 * s + 1]!;
    assert.ok(Math.abs(d.y[s]! - (x1 - x2 + 0.5 * Math.tanh(4 * x1 * x2))) < 1e-14);
  }
  const q = subsample(d, 64);
  assert.is(q.S, 64); assert.is(q.y[1], d.y[4]);
});

const bad = (text: string, pattern: RegExp) => {
  try { parseDataset(text, 'f.csv'); } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(text)}`);
};

test('bad data: one clear line naming the line and column', () => {
  bad('x1,x2\n1,2\n', /f\.csv:1: missing column 'y'/);
  bad('x1,y\n1,2\n3,abc\n', /f\.csv:3: column 'y': 'abc' is not a finite number/);
  bad('x1,y\n1,2\nNaN,1\n', /f\.csv:3: column 'x1': 'NaN'/);
  bad('x1,y\n1,2\n1,\n', /f\.csv:3: column 'y': ''/);
  bad('x1,y\n1,2,3\n', /f\.csv:2: 3 cells, the header has 2/);
  bad('', /empty file/);
  bad('x1,y\n\n', /no data rows/);
  // accepted before: x,x,y read the first x twice (inputs (1, 1), not (1, 2)); x,y,y dropped one y column
  bad('x,x,y\n1,2,3\n', /f\.csv:1: column 'x' is named twice/);
  bad('x,y,y\n1,2,3\n', /f\.csv:1: column 'y' is named twice/);
  try { loadDataset('/nonexistent/data.csv'); assert.unreachable(); } catch (e) { assert.ok(e instanceof UserError); }
});

test('fastTanh: within 4 ulps of Math.tanh from 1e-12 to 30, odd to rounding, saturates', () => {
  let worst = 0;
  for (let i = 0; i <= 200000; i++) {
    const x = Math.pow(10, -12 + 13.5 * i / 200000);
    const a = fastTanh(x), b = Math.tanh(x);
    worst = Math.max(worst, Math.abs(a - b) / (b * 2.220446049250313e-16));
    // odd up to rounding (the table is evaluated at −2x, not mirrored)
    assert.ok(Math.abs(fastTanh(-x) + a) <= 4 * 2.220446049250313e-16 * a);
  }
  // Math.tanh is itself within ~1 ulp, so ≤ 4 ulps of it means ≤ 5 ulps of the truth
  assert.ok(worst <= 4, `worst ${worst} ulps`);
  assert.is(fastTanh(0), 0);
  assert.is(fastTanh(50), 1);
  assert.is(fastTanh(-Infinity), -1);
});

test('the benchmark data is found from the package, not the working directory (the gamma claim and notebook run from any folder)', () => {
  const cwd = process.cwd();
  process.chdir(tmpdir());
  try {
    assert.is(benchProblem().data.S, loadDataset(`${cwd}/data/gamma-data.csv`).S);
    // control: the same file named relative to the working directory is not there
    assert.throws(() => loadDataset('data/gamma-data.csv'), /no such file/);
  } finally {
    process.chdir(cwd);
  }
});

test.run();
