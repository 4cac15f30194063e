import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'gamma-cmd-'));

test('gamma on the built-in toy: a table, certified rates, CSV and JSON', async () => {
  const csv = join(dir, 'g.csv');
  const r = await cli(['gamma', '--depths', '4..32', '--csv', csv]);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /built-in toy/);
  assert.match(r.out, /energyCauchy: order 1/);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.is(lines.length, 5);
  assert.match(lines[0]!, /^n,iterations,evaluations,converged/);
  assert.match(lines[4]!, /^32,\d+,\d+,true,gradient tolerance,/);
  const j = await cli(['gamma', '--depths', '4,8,16', '--json']);
  const parsed = JSON.parse(j.out);
  assert.is(parsed.partial, false);
  assert.equal(parsed.levels.map((l: { n: number }) => l.n), [4, 8, 16]);
  assert.is(parsed.energyCauchy.length, 2);
});

test('gamma with --data (the GAMMA file, subsampled depths) and the plain optimiser', async () => {
  const r = await cli(['gamma', '--data', 'data/gamma-data.csv', '--depths', '4..8', '--optimizer', 'plain', '--json']);
  assert.is(r.code, 0, r.error);
  const parsed = JSON.parse(r.out);
  assert.match(parsed.data, /gamma-data\.csv/);
  assert.ok(parsed.levels.every((l: { converged: boolean }) => l.converged));
});

test('bad input: one clear line, exit 2', async () => {
  const missing = join(dir, 'missing.csv');
  writeFileSync(missing, 'x1,x2\n0.1,0.2\n');
  const nan = join(dir, 'nan.csv');
  writeFileSync(nan, 'x1,x2,y\n0.1,0.2,1\n0.3,NaN,2\n');
  const cases: [string[], RegExp][] = [
    [['gamma', '--data', missing, '--depths', '4'], /missing\.csv:1: missing column 'y'/],
    [['gamma', '--data', nan, '--depths', '4'], /nan\.csv:3: column 'x2': 'NaN'/],
    [['gamma', '--depths', '8,4'], /depths must increase/],
    [['gamma', '--depths', '4', '--alpha', '0'], /--alpha must be > 0/],
    [['gamma', '--depths', '4', '--lambda=-1'], /--lambda must be > 0/],
    [['gamma', '--depths', '4', '--alpha', '1e-3', '--mu', '1e-3'], /either --alpha or --lambda/],
    [['gamma', '--depths', '4', '--optimizer', 'adam'], /--optimizer must be h1 or plain/],
    [['gamma', '--depths', '4', '--readout', 'fixed', '--w', '1,2'], /--w has 2 entries/],
    // accepted and ignored before: the toy's learned readout never read --w; 4,6,8 was certified as if it doubled
    [['gamma', '--depths', '4', '--w', '2'], /--w and --c set a fixed readout/],
    [['gamma', '--depths', '4,6,8'], /depths must double .*got 4 then 6$/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, `${args.join(' ')} → ${r.code}`);
    assert.match(r.error ?? '', re);
    assert.not.match(r.error ?? '', /\n/);
  }
});

test('an optimiser that fails to converge: partial results kept and marked, exit 2', async () => {
  const r = await cli(['gamma', '--depths', '4..8', '--max-iterations', '2']);
  assert.is(r.code, 2);
  assert.match(r.error ?? '', /did not reach the stopping rule .*partial/);
  assert.match(r.out, /iteration cap \(PARTIAL\)/);
  // found by the fuzz harness: --csv was written on this exit 2 (--out never was)
  const csv = join(mkdtempSync(join(tmpdir(), 'dl-gamma-partial-')), 'g.csv');
  const c = await cli(['gamma', '--depths', '4..8', '--max-iterations', '2', '--csv', csv]);
  assert.is(c.code, 2);
  assert.match(c.error ?? '', /partial \(nothing written to ".*g\.csv"\)$/);
  assert.not.ok(existsSync(csv), 'no CSV of a partial run');
});

// Found by the fuzz harness: --lambda 5e-324 passed "> 0", 2λ/n underflowed to 0 and h1Metric threw a raw Error.
test('a ridge or smoothness weight whose preconditioner entry underflows or overflows is one line, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--lambda', '5e-324'], /^the ridge weight 5e-324 of K makes the H¹ preconditioner's 2λ\/n at depth 4 underflow to 0$/],
    [['--lambda', '1e308'], /^the ridge weight 1e\+308 of K makes .* overflow$/],
    [['--mu', '1e308'], /^the smoothness weight 1e\+308 of K makes the H¹ preconditioner's 2μ·n\^κ at depth 4 overflow$/],
  ];
  for (const [args, msg] of cases) {
    const r = await cli(['gamma', '--depths', '4..8', '--max-iterations', '30', ...args]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', msg);
  }
  // a ridge weight that does not underflow passes the check (the optimiser may still stop short)
  assert.not.match((await cli(['gamma', '--depths', '4..8', '--max-iterations', '30', '--lambda', '1e-300'])).error ?? '', /preconditioner/);
});

test.run();
