import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, cliProcess } from '../helpers.ts';

const FIX = 'test/fixtures/proofs/';

test('a proved file: exit 0, a table row per step', async () => {
  const r = await cli(['proofs', FIX + 'good.md']);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /file\s+block\s+step\s+line\s+relation\s+verdict/);
  assert.match(r.out, /good\.md\s+square\s+2\s+8\s+<=\s+proved/);
  assert.match(r.out, /good\.md\s+square\s+3\s+12\s+= \+O\(h\^2\)\s+proved/);
  assert.match(r.out, /3\/3 steps proved; 1\/1 files pass/);
});

test('a refuted or unknown step: exit 1 and a line naming file, line, block and step', async () => {
  const r = await cli(['proofs', FIX + 'wrong-step.md', FIX + 'no-certificate.md']);
  assert.is(r.code, 1);
  assert.match(r.out, /wrong-step\.md:16: block cubic-correction, step 2: refuted: .*counterexample a=/);
  assert.match(r.out, /no-certificate\.md:\d+: block holder, step 1: unknown/);
  assert.match(r.out, /1\/3 steps proved; 0\/2 files pass/);
});

test('both CAS routes must decide an exact step: one route is "unknown", exit 1, in the table and in --json', async () => {
  // sin² + cos² = 1: algebrite reduces the difference to 0, nerdamer's expansion does not.
  const r = await cli(['proofs', FIX + 'undecided.md']);
  assert.is(r.code, 1, r.out);
  assert.match(r.out, /undecided\.md\s+pythagoras\s+1\s+\d+\s+=\s+unknown/);
  assert.match(r.out, /undecided\.md:\d+: block pythagoras, step 1: unknown: only 1 of 2 symbolic routes decided/);
  assert.match(r.out, /0\/1 steps proved; 0\/1 files pass/);
  const j = JSON.parse((await cli(['proofs', FIX + 'undecided.md', '--json'])).out);
  assert.is(j.ok, false);
  const step = j.files[0].steps[0];
  assert.is(step.verdict, 'unknown');
  assert.equal(step.routes.map((x: { zero: unknown }) => x.zero).sort(), [true, 'undecided'], 'one route decided, the other did not');
  assert.ok(step.numeric.maxRelErr < 1e-12, 'numerically consistent: the identity is true');
});

test('--json carries verdicts and counterexamples', async () => {
  const r = await cli(['proofs', FIX + 'wrong-order.md', '--json']);
  assert.is(r.code, 1);
  const j = JSON.parse(r.out);
  assert.is(j.ok, false);
  const steps = j.files[0].steps;
  assert.equal(steps.map((s: { verdict: string }) => s.verdict), ['refuted', 'proved', 'refuted']);
  assert.ok(steps[0].counterexample.point.eps > 0);
  assert.ok(Array.isArray(steps[0].ladder.v));
});

test('--json is deterministic: the same command prints the same bytes', async () => {
  const a = await cli(['proofs', FIX + 'good.md', FIX + 'false-inequality.md', '--json']);
  const b = await cli(['proofs', FIX + 'good.md', FIX + 'false-inequality.md', '--json']);
  assert.is(a.code, 1);
  assert.is(a.out, b.out);
  const other = await cli(['proofs', FIX + 'false-inequality.md', '--json', '--seed', '7']);
  assert.is.not(JSON.parse(other.out).files[0].steps[0].counterexample.point.d1, JSON.parse(a.out).files[1].steps[0].counterexample.point.d1);
});

test('bad input: exit 2 with one line naming file, block and step', async () => {
  const cases: [string, RegExp][] = [
    ['bad-undeclared.md', /bad-undeclared\.md:7: block b1, step 2: undeclared symbol 'y'/],
    ['bad-function.md', /bad-function\.md:6: block b2, step 1: unknown function 'heaviside'/],
    ['bad-syntax.md', /bad-syntax\.md:7: block b3, step 2: cannot parse "x \* \* x"/],
  ];
  for (const [f, re] of cases) {
    const r = await cli(['proofs', FIX + f]);
    assert.is(r.code, 2, f);
    assert.match(r.error ?? '', re);
  }
  const missing = await cli(['proofs', 'proofs/nope.md']);
  assert.is(missing.code, 2);
  assert.match(missing.error ?? '', /proof file proofs\/nope\.md: no such file/);
  const seed = await cli(['proofs', '--seed', 'x']);
  assert.is(seed.code, 2);
});

test('child process: bad input prints exactly one stderr line and exits 2', () => {
  const r = cliProcess(['proofs', FIX + 'bad-undeclared.md']);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^depthlimit: error: test\/fixtures\/proofs\/bad-undeclared\.md:7: block b1, step 2: undeclared symbol 'y'/);
});

test.run();
