/**
 * Every count has an upper bound from a memory and time estimate, checked before any work
 * (issue 11: `stability --ny 1000000000` ate 6 GB). The message states the estimate and the
 * largest value that fits.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { BUDGET, fmtCount, jacobianCost, largestWithin, withinBudget, type Cost } from '../../src/commands/budget.ts';
import { UserError } from '../../src/util/errors.ts';
import { cli } from '../helpers.ts';

test('fmtCount: as typed (1e9), exact when shorter (16777216)', () => {
  assert.is(fmtCount(1e9), '1e9');
  assert.is(fmtCount(2e6), '2e6');
  assert.is(fmtCount(16777216), '16777216');
  assert.is(fmtCount(4096), '4096');
  assert.is(fmtCount(1.5e7), '1.5e7');
});

test('largestWithin: the exact largest n of a linear cost, 0 when even 1 does not fit', () => {
  const perByte = (b: number) => (n: number): Cost => ({ bytes: n * b, seconds: 0 });
  assert.is(largestWithin(perByte(1000)), Math.floor(BUDGET.bytes / 1000));
  assert.is(largestWithin(perByte(3), BUDGET, 10), 10, 'capped at hi');
  assert.is(largestWithin(() => ({ bytes: Infinity, seconds: 0 })), 0);
  const t = largestWithin((n) => ({ bytes: 0, seconds: n * 0.01 }));
  assert.is(t, Math.floor(BUDGET.seconds / 0.01));
});

test('withinBudget: blames the count that is too big by itself, states the estimate and the largest value', () => {
  const cost = ([a, b]: number[]): Cost => ({ bytes: a! * 1000 + b! * 10, seconds: 0 });
  withinBudget([{ option: '--a', value: 1000 }, { option: '--b', value: 1000 }], cost); // fits
  const err = (f: () => void): string => { try { f(); } catch (e) { assert.instance(e, UserError); return (e as Error).message; } throw new Error('no error'); };
  const msg = err(() => withinBudget([{ option: '--a', value: 10 }, { option: '--b', value: 1e9 }], cost));
  assert.match(msg, /^--b 1e9 needs ≈ 10 GB of memory \(the budget is 2\.1 GB\); at most \d+$/);
  const max = Number(/at most (\d+)/.exec(msg)![1]);
  assert.ok(cost([10, max]).bytes <= BUDGET.bytes && cost([10, max + 1]).bytes > BUDGET.bytes, 'the stated maximum is the largest that fits');
  assert.match(err(() => withinBudget([{ option: '--data f.csv', value: 1e7, shown: 'with 10000000 rows', unit: 'rows' }], ([S]) => ({ bytes: S! * 1e3, seconds: 0 }))),
    /^--data f\.csv with 10000000 rows needs ≈ 10 GB .*; at most 2147483 rows$/);
});

test('jacobianCost: the estimate covers the measured peaks (d = 4, nY = 10⁶: 444 MB; d = 12, nY = 10⁵: 117 MB)', () => {
  assert.ok(jacobianCost(4, 4, 1e6).bytes >= 444e6);
  assert.ok(jacobianCost(12, 4, 1e5).bytes >= 117e6);
});

test('commands refuse counts over the budget before any work, naming the count', async () => {
  const cases: [string[], RegExp][] = [
    // values whose unbounded run fails at once (typed arrays longer than 2³²), never eating memory
    [['stability', '--ny', '1e10'], /^--ny 1e10 needs ≈ [\d.]+ TB of memory \(the budget is 2\.1 GB\) and ≈ [\d.]+ days \(the budget is 4\.0 h\); at most \d+$/],
    [['stability', '--nth', '1000000000'], /^--nth 1e9 needs ≈ 160 GB of memory .*; at most \d+$/],
    [['converge', '--depths', '4294967296,8589934592,17179869184'], /^--depths up to 17179869184 needs ≈ .* of memory .*; at most \d+$/],
    [['adjoint-gap', '--depths', '4294967296,8589934592,17179869184'], /^--depths up to 17179869184 needs ≈ .* of memory .*; at most \d+$/],
    [['gamma', '--depths', '4294967296,8589934592,17179869184'], /^--depths up to 17179869184 needs ≈ .*; at most \d+$/],
    [['gamma', '--max-iterations', '1e12'], /^--max-iterations 1e12 needs ≈ [\d.]+ years \(the budget is 4\.0 h\); at most \d+$/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', re, args.join(' '));
    assert.is(r.out, '', args.join(' '));
  }
});

test('--depths with a 400-digit end is refused (it used to double forever; a real process with a small heap)', () => {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', 'src/cli.ts', 'converge', '--depths', `4..${'9'.repeat(400)}`], {
    encoding: 'utf8', timeout: 60_000,
  });
  assert.is(r.signal, null, 'killed by the time cap: the command hung');
  assert.is(r.stderr, 'depthlimit: error: --depths: Infinity is too large (not an exact integer)\n');
  assert.is(r.status, 2);
});

test('an estimate that overflows reads ∞, not "Infinity EB" and "Infinity years"', () => {
  const q = [{ option: '--order', value: 1e11 }];
  assert.throws(() => withinBudget(q, ([n]) => ({ bytes: n! > 19 ? Infinity : 1, seconds: n! > 19 ? Infinity : 1 })),
    (e: Error) => e instanceof UserError && e.message === `--order 1e11 needs ≈ ∞ B of memory (the budget is 2.1 GB) and ≈ ∞ s (the budget is 4.0 h); at most 19`);
});

test.run();
