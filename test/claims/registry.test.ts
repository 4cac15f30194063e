/**
 * Every registered claim must hold in quick mode, and its negative control must fail.
 * One uvu test per claim, so a broken claim is named in the output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allClaims, runClaim } from '../../src/claims/index.ts';
import { DEFAULT_SEED } from '../../src/util/prng.ts';

const claims = allClaims();

test('registry: ids are unique and within C1…C39, every claim has a TeX statement and a control', () => {
  for (const c of claims) {
    assert.ok(c.statement.length > 0, c.id);
    assert.ok(c.negativeControl.description.length > 0, c.id);
  }
});

for (const c of claims) {
  const key = c.part ? `${c.id}/${c.part}` : c.id;
  test(`claim ${key}: ${c.title} — holds, and its negative control fails`, async () => {
    const r = await runClaim(c, { mode: 'quick', seed: DEFAULT_SEED });
    assert.is(r.evidence.verdict, 'holds', `${key}: ${JSON.stringify({ ...r.evidence, data: undefined })}`);
    assert.is(r.control.verdict, 'fails', `${key} control: ${JSON.stringify({ ...r.control, data: undefined })}`);
  });
}

test.run();
