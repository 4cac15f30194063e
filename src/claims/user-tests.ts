/**
 * Claims as tests of the researcher's own test runner (uvu, node:test, vitest, …): one test per
 * claim through the one runner (./run.ts), failing with the measured-vs-expected line unless
 * the claim is in good standing. Light module.
 */
import { claimContext, runClaim, selectClaims, standingProblem, type ClaimResult, type RunOptions } from './run.ts';
import { claimKey, type Claim } from './types.ts';
import { UserError } from '../util/errors.ts';

/** Options of {@link claimTests}: your runner's `test` and, as for `runClaims`, mode, seed, only. */
export interface ClaimTestOptions extends Omit<RunOptions, 'onProgress'> {
  /** Registers one test: uvu's `test`, node:test's `test`, vitest's or jest's `test`. */
  test: (name: string, fn: () => Promise<void>) => unknown;
}

/** Thrown inside a claim's test: the one line says why, `result` holds the whole run. */
class ClaimNotInGoodStanding extends Error {
  override name = 'ClaimNotInGoodStanding';
  constructor(message: string, readonly result: ClaimResult) {
    super(message);
    // A crash's own stack points into the user's check; otherwise the frames would only show
    // the runner, so the message stands alone.
    const cause = [result.evidence, result.control].map((o) => (o as { cause?: unknown }).cause).find((c) => c !== undefined);
    const frames = cause instanceof Error && cause.stack ? cause.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
    this.stack = [`${this.name}: ${message}`, ...frames].join('\n');
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}

/**
 * Turn claims into tests of your own test runner: one test per claim, named
 * `<id>: <title>`, that runs the check and the negative control and fails with the
 * measured-vs-expected line when the check does not hold, the control does not fail, or
 * either crashes. In a test file:
 *
 * ```ts
 * import { test } from 'uvu';              // or: import { test } from 'node:test';
 * import { claimTests } from 'depthlimit';
 * import claims from './my-claims.js';
 * claimTests(claims, { test });
 * test.run();                              // uvu only
 * ```
 *
 * Arguments:
 * - `claims`: claims made by `defineClaim` (or built-in ones), unique ids.
 * - `options.test`: your runner's `test(name, fn)`; `options.mode`, `options.seed`,
 *   `options.only` as for `runClaims`.
 *
 * Returns: nothing; the tests are registered at once and run when your runner runs them.
 *
 * Throws: `UserError` at once when `test` is not a function or the claims are invalid (as
 * `runClaims`). Inside a test: an error whose message is the claim's problem line.
 *
 * @example
 * ```ts
 * import { claimTests, defineClaim } from 'depthlimit';
 * const claim = defineClaim({
 *   id: 'unfinished-control', statement: '1 = 1',
 *   check: () => ({ verdict: 'holds', measured: 1, expected: 1, toleranceReason: 'exact' }),
 *   negativeControl: { description: 'not written yet', check: () => { throw new Error('TODO'); } },
 * });
 * const tests: { name: string; fn: () => Promise<void> }[] = [];
 * claimTests([claim], { test: (name, fn) => tests.push({ name, fn }) });   // a minimal runner
 * for (const t of tests) await t.fn().then(() => console.log('ok', t.name), (e: Error) => console.log('not ok', t.name, '|', e.message));
 * //> not ok unfinished-control: 1 = 1 | claim unfinished-control: negative control crashed: Error: TODO (must fail as a measurement)
 * ```
 */
export function claimTests(claims: readonly Claim[], options: ClaimTestOptions): void {
  if (typeof options?.test !== 'function') throw new UserError("claimTests: pass your test runner's test function, e.g. claimTests(claims, { test })");
  const ctx = claimContext(options);
  for (const claim of selectClaims(claims, options.only)) {
    options.test(`${claimKey(claim)}: ${claim.title}`, async () => {
      const r = await runClaim(claim, ctx);
      const problem = standingProblem(r);
      if (problem) throw new ClaimNotInGoodStanding(problem, r);
    });
  }
}
