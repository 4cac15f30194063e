/**
 * claimTests turns a claim file into tests of the user's own runner. Real uvu and real
 * node:test runs (child processes) over a fixture claim file with one good claim, one whose
 * control passes and one whose check crashes must report exactly those two failures, each
 * with the claim's problem line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { claimTests } from '../../src/claims/user-tests.ts';
import { defineClaim } from '../../src/claims/user.ts';
import { UserError } from '../../src/util/errors.ts';

const FIXTURES = 'test/fixtures/claims';
const WEAK = 'claim euler-order-weak-control: negative control holds: measured 1.002, expected 1, tolerance 0.05 (must fail as a measurement)';
const CRASH = "claim euler-ladder: check crashed: TypeError: Cannot read properties of undefined (reading '0')";
const NAMES = {
  good: 'euler-order: forward Euler is first order',
  weak: 'euler-order-weak-control: forward Euler is first order (a control that cannot fail)',
  crash: 'euler-ladder: forward Euler is first order on a ladder (check not finished)',
};

const node = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], {
  encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NODE_DISABLE_COLORS: '1', NODE_TEST_CONTEXT: '' },
});

test('uvu: one pass, and exactly the weak-control and crashed-check claims fail with their lines', () => {
  const r = node([`${FIXTURES}/uvu-suite.ts`]);
  assert.is(r.status, 1, r.stdout + r.stderr);
  const failed = [...r.stdout.matchAll(/FAIL\s+"([^"]+)"\n\s+(.*)/g)].map((m) => [m[1], m[2]]);
  assert.equal(failed, [[NAMES.weak, WEAK], [NAMES.crash, CRASH]]);
  assert.match(r.stdout, /Total:\s+3\n\s+Passed:\s+1\n/);
  assert.match(r.stdout, /at check \(.*three-claims\.ts:\d+:\d+\)/, 'the crash points into the user\'s check');
});

test('node:test: the same three outcomes (TAP), the errors are the same lines', () => {
  const r = node(['--test-reporter=tap', `${FIXTURES}/node-test-suite.ts`]);
  assert.is(r.status, 1, r.stdout + r.stderr);
  const outcomes = [...r.stdout.matchAll(/^(ok|not ok) \d+ - (.*)$/gm)].map((m) => [m[1], m[2]]);
  assert.equal(outcomes, [['ok', NAMES.good], ['not ok', NAMES.weak], ['not ok', NAMES.crash]]);
  const errors = [...r.stdout.matchAll(/^\s+error: (['"])(.*)\1$/gm)].map((m) => m[2]);
  assert.equal(errors, [WEAK, CRASH]);
  assert.match(r.stdout, /^# pass 1\n# fail 2$/m);
});

test('claimTests registers one test per claim at once, in order; bad arguments are UserErrors at once', async () => {
  const ev = (verdict: 'holds' | 'fails') => ({ verdict, measured: 1, expected: 1, toleranceReason: 'exact' });
  const mk = (id: string, control: 'holds' | 'fails') => defineClaim({ id, statement: `${id} holds`, check: () => ev('holds'), negativeControl: { description: 'x', check: () => ev(control) } });
  const tests: { name: string; fn: () => Promise<void> }[] = [];
  claimTests([mk('b', 'fails'), mk('a', 'holds')], { test: (name, fn) => tests.push({ name, fn }) });
  assert.equal(tests.map((t) => t.name), ['b: b holds', 'a: a holds']);
  await tests[0]!.fn();
  try {
    await tests[1]!.fn();
    assert.unreachable('a claim whose control holds passed its test');
  } catch (e) {
    assert.is((e as Error).message, 'claim a: negative control holds: measured 1, expected 1 (must fail as a measurement)');
  }
  const only: string[] = [];
  claimTests([mk('b', 'fails'), mk('a', 'holds')], { test: (name) => only.push(name), only: 'A' });
  assert.equal(only, ['a: a holds']);
  const throwsUser = (f: () => void, why: RegExp) => assert.throws(f, (e: Error) => e instanceof UserError && why.test(e.message));
  throwsUser(() => claimTests([mk('a', 'fails')], {} as never), /pass your test runner's test function/);
  throwsUser(() => claimTests([mk('a', 'fails'), mk('a', 'fails')], { test: () => {} }), /duplicate claim id a/);
});

test.run();
