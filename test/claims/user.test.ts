/**
 * defineClaim: a researcher's claim is validated (one-line UserErrors, a missing negative
 * control refused) and becomes a Claim the one runner runs; claimsOfModule finds the claims a
 * claim file exports and refuses what is not a claim.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { claimsOfModule, defineClaim, isDefinedClaim, type ClaimDefinition } from '../../src/claims/user.ts';
import { inGoodStanding, runClaims } from '../../src/claims/run.ts';
import type { Evidence } from '../../src/claims/types.ts';
import { UserError } from '../../src/util/errors.ts';

const ev = (verdict: Evidence['verdict'], measured: number): Evidence => ({ verdict, measured, expected: 0, tolerance: 1e-12, toleranceReason: 'exact up to round-off' });
const good: ClaimDefinition = {
  id: 'sum-symmetric', statement: 'a + b = b + a',
  check: () => ev('holds', Math.abs((0.1 + 0.2) - (0.2 + 0.1))),
  negativeControl: { description: 'a - b instead', check: () => ev('fails', Math.abs((0.1 - 0.2) - (0.2 - 0.1))) },
};

const refused = (def: unknown): string => {
  try {
    defineClaim(def as ClaimDefinition);
  } catch (e) {
    assert.instance(e, UserError);
    const m = (e as Error).message;
    assert.not.match(m, /\n/, 'one line');
    return m;
  }
  assert.unreachable(`accepted ${JSON.stringify(def)}`);
  return '';
};

test('defineClaim: a frozen user claim (title defaults to the statement) that runClaims runs like a built-in one', async () => {
  const c = defineClaim(good);
  assert.is(c.family, 'user');
  assert.is(c.title, 'a + b = b + a');
  assert.is(c.source, '');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.negativeControl));
  assert.ok(isDefinedClaim(c));
  assert.not.ok(isDefinedClaim({ ...good }), 'a plain object is not a defined claim');
  const titled = defineClaim({ ...good, id: 'C12', title: 'commutativity', source: 'school', figures: ['fig-a'] });
  assert.equal([titled.id, titled.title, titled.source, titled.figures], ['C12', 'commutativity', 'school', ['fig-a']]);
  const [r] = await runClaims([c]);
  assert.ok(r && inGoodStanding(r));
});

test('defineClaim: a claim made by another copy of the module is recognised (CLI and user file may load two)', async () => {
  const copy = new URL('../../src/claims/user.ts?second-copy', import.meta.url).href; // a query makes a new module instance
  const other = (await import(copy)) as typeof import('../../src/claims/user.ts');
  assert.is.not(other.defineClaim, defineClaim, 'really a second module instance');
  assert.ok(isDefinedClaim(other.defineClaim(good)));
  assert.ok(other.isDefinedClaim(defineClaim(good)));
});

test('defineClaim: a missing negative control is refused with one line', () => {
  const { negativeControl: _, ...noControl } = good;
  assert.match(refused(noControl), /^defineClaim\(sum-symmetric\): no negativeControl: every claim needs one \(\{ description, check \}\)/);
  assert.match(refused({ ...good, negativeControl: null }), /no negativeControl/);
  assert.match(refused({ ...good, negativeControl: { description: 'x' } }), /negativeControl\.check must be a function/);
  assert.match(refused({ ...good, negativeControl: { description: ' ', check: good.check } }), /negativeControl\.description must say/);
  assert.match(refused({ ...good, negativeControl: { description: 'x', check: good.check, chek: 1 } }), /negativeControl: unknown field 'chek'/);
  assert.match(refused({ ...good, negativeControl: 'broken' }), /negativeControl must be an object/);
});

test('defineClaim: ids are short identifiers, not only C1–C39', () => {
  for (const id of ['my-claim', 'C12', 'euler_order.2', 'a', 'x'.repeat(40)]) assert.is(defineClaim({ ...good, id }).id, id);
  for (const id of ['', ' a', 'a b', 'a/b', '-a', '__proto__', 'x'.repeat(41), 'é', 12]) {
    assert.match(refused({ ...good, id }), /^defineClaim: id must be a short identifier/, String(id));
  }
});

test('defineClaim: every other field is checked, and an unknown (misspelt) field is refused', () => {
  assert.match(refused(undefined), /^defineClaim: expected one object/);
  assert.match(refused([good]), /^defineClaim: expected one object/);
  assert.match(refused({ ...good, statement: '' }), /statement must be a non-empty string/);
  assert.match(refused({ ...good, check: 'holds' }), /check must be a function/);
  assert.match(refused({ ...good, title: 3 }), /title must be a string/);
  assert.match(refused({ ...good, source: {} }), /source must be a string/);
  assert.match(refused({ ...good, figures: 'fig' }), /figures must be an array of figure names/);
  assert.match(refused({ ...good, figures: [''] }), /figures must be an array of figure names/);
  const { negativeControl, ...rest } = good;
  assert.match(refused({ ...rest, negative_control: negativeControl }), /unknown field 'negative_control' \(fields: id, statement, check, negativeControl/);
});

test('claimsOfModule: default array, named `claims`, single-claim exports; the same claim counts once', () => {
  const a = defineClaim({ ...good, id: 'a' }), b = defineClaim({ ...good, id: 'b' }), c = defineClaim({ ...good, id: 'c' });
  assert.equal(claimsOfModule({ default: [a, b] }, 'f.js').map((x) => x.id), ['a', 'b']);
  assert.equal(claimsOfModule({ default: c }, 'f.js').map((x) => x.id), ['c']);
  assert.equal(claimsOfModule({ claims: [a], b, c, helper: () => 1, n: 3 }, 'f.js').map((x) => x.id), ['a', 'b', 'c']);
  assert.equal(claimsOfModule({ default: [a, b], claims: [a, b], a }, 'f.js').map((x) => x.id), ['a', 'b']);
});

test('claimsOfModule: one line for no claims, a claim not made by defineClaim, a default that is not claims', () => {
  const a = defineClaim({ ...good, id: 'a' });
  const line = (mod: Record<string, unknown>): string => {
    try { claimsOfModule(mod, 'my-claims.js'); } catch (e) { assert.instance(e, UserError); return (e as Error).message; }
    assert.unreachable('accepted');
    return '';
  };
  assert.match(line({ answer: 42 }), /^my-claims\.js: exports no claims \(export default \[defineClaim/);
  assert.match(line({}), /exports no claims/);
  assert.is(line({ default: [a, { ...good }] }), 'my-claims.js: the default export[1] (id sum-symmetric) is not a claim made by defineClaim');
  assert.is(line({ mine: { ...good } }), "my-claims.js: export 'mine' (id sum-symmetric) is not a claim made by defineClaim");
  assert.is(line({ claims: [a, 'C1'] }), "my-claims.js: export 'claims'[1] is not a claim made by defineClaim");
  assert.match(line({ default: () => [a] }), /^my-claims\.js: the default export must be an array of claims made by defineClaim$/);
});

test.run();
