/**
 * The one claim runner: a check or control that throws, rejects or returns no evidence has
 * *crashed* (its own outcome, never good standing); a control that holds is bad; only a
 * control that fails from evidence it computed counts. Also runClaims' selection rules.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inGoodStanding, runClaim, runClaims, standingProblem, type ClaimResult } from '../../src/claims/run.ts';
import type { Claim, ClaimContext, Evidence, Verdict } from '../../src/claims/types.ts';
import { UserError } from '../../src/util/errors.ts';
import { table } from '../../src/util/format.ts';

const ev = (verdict: Verdict, measured = 1): Evidence => ({ verdict, measured, expected: 1, tolerance: 0.01, toleranceReason: 'C h with h = 1e-2' });
type Check = (ctx: ClaimContext) => Evidence | Promise<Evidence>;
const claim = (id: string, check: Check, control: Check): Claim => ({
  id, title: id, source: 'test', family: 'user', statement: 'x = 1', check, negativeControl: { description: 'broken', check: control },
});
const ctx = { mode: 'quick' as const, seed: 7 };
const run = (check: Check, control: Check): Promise<ClaimResult> => runClaim(claim('t', check, control), ctx);

test('a control that throws has crashed (first line of the error), and the claim is not in good standing', async () => {
  const r = await run(() => ev('holds'), () => { throw new RangeError('depth 0 is not a depth\n    at somewhere'); });
  assert.equal(r.control, { verdict: 'crashed', error: 'RangeError: depth 0 is not a depth' });
  assert.is(r.evidence.verdict, 'holds');
  assert.is(inGoodStanding(r), false);
  assert.is(standingProblem(r), 'claim t: negative control crashed: RangeError: depth 0 is not a depth (must fail as a measurement)');
});

test('a check that rejects has crashed; its (working) control still runs and fails', async () => {
  const r = await run(async () => { await Promise.resolve(); throw new TypeError('x.map is not a function'); }, () => ev('fails', 0.5));
  assert.equal(r.evidence, { verdict: 'crashed', error: 'TypeError: x.map is not a function' });
  assert.is(r.control.verdict, 'fails');
  assert.is(inGoodStanding(r), false);
  assert.is(standingProblem(r), 'claim t: check crashed: TypeError: x.map is not a function');
});

test('a control that holds is bad: its measured-vs-expected line says so', async () => {
  const r = await run(() => ev('holds', 1.002), () => ev('holds', 0.999));
  assert.is(r.control.verdict, 'holds');
  assert.is(inGoodStanding(r), false);
  assert.is(standingProblem(r), 'claim t: negative control holds: measured 0.999, expected 1, tolerance 0.01 (must fail as a measurement)');
});

test('good standing: the check holds and the control fails from evidence it computed', async () => {
  const r = await run(() => ev('holds', 1.002), () => ev('fails', 0.5));
  assert.is(inGoodStanding(r), true);
  assert.is(standingProblem(r), undefined);
});

test('a control that returns no evidence, or a verdict without measurement, has crashed (not failed)', async () => {
  const cases: [unknown, RegExp][] = [
    [undefined, /returned undefined, not evidence/],
    [null, /returned null, not evidence/],
    [false, /returned boolean, not evidence/],
    [{ verdict: 'pass', measured: 1, expected: 1, toleranceReason: 'r' }, /verdict 'pass'/],
    [{ verdict: 'crashed', measured: 1, expected: 1, toleranceReason: 'r' }, /verdict 'crashed'/],
    [{ verdict: 'fails' }, /without 'measured'/],
    [{ verdict: 'fails', measured: 0, expected: 1 }, /without 'toleranceReason'/],
    [{ verdict: 'fails', measured: {}, expected: 1, toleranceReason: 'r' }, /without 'measured'/],
  ];
  for (const [value, why] of cases) {
    const r = await run(() => ev('holds'), () => value as Evidence);
    assert.is(r.control.verdict, 'crashed', JSON.stringify(value));
    assert.match((r.control as { error: string }).error, why);
    assert.is(inGoodStanding(r), false);
  }
});

test('a control whose measurement is NaN or infinite has crashed, not failed (NaN < tol is false: a vacuous "fails")', async () => {
  const vacuous = (m: number): Evidence => ({ ...ev(Math.abs(m - 1) <= 0.01 ? 'holds' : 'fails', m) });
  for (const m of [NaN, Infinity, -Infinity]) {
    const r = await run(() => ev('holds'), () => vacuous(m));
    assert.is(r.control.verdict, 'crashed', String(m));
    assert.match((r.control as { error: string }).error, new RegExp(`returned measured ${m} \\(`));
    assert.is(inGoodStanding(r), false);
  }
  // nor does a check hold on a non-finite expected value or tolerance
  const r = await run(() => ({ ...ev('holds'), tolerance: NaN }), () => ev('fails', 0.5));
  assert.is(r.evidence.verdict, 'crashed');
  assert.match((r.evidence as { error: string }).error, /returned tolerance NaN/);
  const s = await run(() => ({ ...ev('holds'), expected: Infinity }), () => ev('fails', 0.5));
  assert.is(s.evidence.verdict, 'crashed');
});

test('each check gets its own context: a check that changes it changes neither its control nor the next claim', async () => {
  const seen: string[] = [];
  const meddler = claim('meddler', (c) => { (c as { seed: number }).seed = 1; (c as { mode: string }).mode = 'full'; return ev('holds'); },
    (c) => (seen.push(`control ${c.mode} ${c.seed}`), ev('fails')));
  const next = claim('next', (c) => (seen.push(`next ${c.mode} ${c.seed}`), ev('holds')), () => ev('fails'));
  await runClaims([meddler, next], { seed: 7 });
  assert.equal(seen, ['control quick 7', 'next quick 7']);
});

test('the evidence recorded is what the check returned when it returned: a later change or a getter cannot flip it', async () => {
  let late: Evidence | undefined;
  const r = await run(() => (late = ev('holds')), () => ev('fails'));
  late!.verdict = 'fails';
  assert.is(r.evidence.verdict, 'holds');
  let reads = 0;
  const flipping = { ...ev('fails', 0.5) } as Evidence;
  Object.defineProperty(flipping, 'verdict', { enumerable: true, get: () => (++reads === 1 ? 'fails' : 'holds') });
  const s = await run(() => ev('holds'), () => flipping);
  assert.is(s.control.verdict, 'fails', 'the verdict read once, when validated');
  assert.is(inGoodStanding(s), true);
});

test('evidence that cannot be saved as JSON (circular, BigInt) has crashed: claims --json and report.json save it', async () => {
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  const r = await run(() => ({ ...ev('holds'), data: circular }), () => ({ ...ev('fails', 0.5), data: { n: 10n } }));
  assert.match((r.evidence as { error: string }).error, /^the check returned evidence that is not JSON data \(TypeError: Converting circular structure to JSON/);
  assert.match((r.control as { error: string }).error, /^the check returned evidence that is not JSON data \(TypeError: Do not know how to serialize a BigInt\)$/);
  assert.is(inGoodStanding(r), false);
});

test('a measured text or detail with line breaks stays on one line: the problem line, and its row of the claims table', async () => {
  const r = await run(() => ({ ...ev('fails'), measured: 'order 0.5\n  (pre-asymptotic)', detail: 'first\nsecond' }), () => ev('fails', 0.5));
  assert.is(standingProblem(r), 'claim t: check fails: measured order 0.5 (pre-asymptotic), expected 1, tolerance 0.01 (first second)');
  assert.is(table(['claim', 'measured', 'title'], [['t', 'a\nb', 'x\r\ny']]), 'claim  measured  title\n-----  --------  -----\nt      a b       x y');
});

test('whatever is thrown, the crash is one short line', async () => {
  const thrown: [unknown, string][] = [
    ['a string', 'string thrown: a string'],
    [undefined, 'undefined thrown: undefined'],
    [Object.create(null), 'object thrown'],
    [new Error(''), 'Error'],
    [new Error('\n\n  first non-empty line\nsecond'), 'Error: first non-empty line'],
    ['', 'string thrown'],
  ];
  for (const [t, want] of thrown) {
    const r = await run(() => { throw t; }, () => ev('fails'));
    assert.is((r.evidence as { error: string }).error, want);
  }
  const r = await run(() => { throw new Error('x'.repeat(5000)); }, () => ev('fails'));
  const error = (r.evidence as { error: string }).error;
  assert.is(error.length, 200);
  assert.ok(error.endsWith('…'));
});

test('a crash saves only its line (same JSON on every machine); the thrown error stays reachable as cause', async () => {
  const boom = new Error('boom');
  const r = await run(() => { throw boom; }, () => ev('fails'));
  assert.is(JSON.stringify(r.evidence), '{"verdict":"crashed","error":"Error: boom"}');
  assert.is((r.evidence as { cause?: unknown }).cause, boom);
});

test('runClaims: order kept, mode and seed reach every check, progress before and after each claim', async () => {
  const seen: string[] = [];
  const probe = (id: string): Claim => claim(id, (c) => (seen.push(`${id} ${c.mode} ${c.seed}`), ev('holds')), () => ev('fails'));
  const events: string[] = [];
  const rs = await runClaims([probe('b'), probe('a')], { mode: 'full', seed: 3, onProgress: (e) => events.push(`${e.key} ${e.index}/${e.total}${e.result ? ' done' : ''}`) });
  assert.equal(rs.map((r) => r.key), ['b', 'a']);
  assert.equal(seen, ['b full 3', 'a full 3']);
  assert.equal(events, ['b 0/2', 'b 0/2 done', 'a 1/2', 'a 1/2 done']);
  const [d] = await runClaims([probe('c')]);
  assert.is(seen.at(-1), 'c quick 20191029', 'defaults: quick mode, the project seed');
  assert.ok(d && inGoodStanding(d));
});

test('runClaims: only (ids or keys, case-insensitive, comma-separated); bad selections are UserErrors', async () => {
  const mk = (id: string, part?: string): Claim => ({ ...claim(id, () => ev('holds'), () => ev('fails')), ...(part ? { part } : {}) });
  const all = [mk('C1'), mk('C2', 'symbolic'), mk('C2', 'numeric'), mk('my-claim')];
  const keys = async (only: string | string[]) => (await runClaims(all, { only })).map((r) => r.key);
  assert.equal(await keys('c2'), ['C2/symbolic', 'C2/numeric']);
  assert.equal(await keys('C2/NUMERIC, MY-CLAIM'), ['C2/numeric', 'my-claim']);
  assert.equal(await keys(['my-claim', 'C1']), ['C1', 'my-claim'], 'registry order, not the order asked');
  const refuses = async (f: () => Promise<unknown>, why: RegExp) => {
    try { await f(); } catch (e) { assert.instance(e, UserError); assert.match((e as Error).message, why); return; }
    assert.unreachable(`no error for ${why}`);
  };
  await refuses(() => runClaims(all, { only: 'C3' }), /^no registered claim "C3" \(claims: C1, C2\/symbolic, C2\/numeric, my-claim\)$/);
  await refuses(() => runClaims(all, { only: '' }), /empty claim id/);
  await refuses(() => runClaims(all, { only: 'C1,,C2' }), /empty claim id/);
  await refuses(() => runClaims([mk('a'), mk('A')]), /^duplicate claim id A$/);
  await refuses(() => runClaims([mk('a'), { id: 'b', check: () => ev('holds') } as unknown as Claim]), /^claim 2 of 2: claim b has no negative control with a check function/);
  await refuses(() => runClaims([42 as unknown as Claim]), /claim 1 of 1: number is not a claim/);
  await refuses(() => runClaims('C1' as unknown as Claim[]), /expected an array of claims/);
  await refuses(() => runClaims(all, { mode: 'slow' as 'quick' }), /mode must be 'quick' or 'full'/);
  for (const seed of [1.5, -1, 2 ** 32, NaN, 1e21]) await refuses(() => runClaims(all, { seed }), /^seed must be an integer 0 … 4294967295/);
  await refuses(() => runClaims(all, { seed: '7' as unknown as number }), /^seed must be a number, got '7'/);
  assert.is((await runClaims([all[0]!], { seed: 2 ** 32 - 1 })).length, 1);
});

test.run();
