/**
 * Every registered claim must hold in quick mode, and its negative control must fail as a
 * measurement (a crashed check or control fails the test). One uvu test per claim, through the
 * same `claimTests` helper a researcher uses, so a broken claim is named in the output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allClaims } from '../../src/claims/index.ts';
import { claimTests } from '../../src/claims/user-tests.ts';
import { DEFAULT_SEED } from '../../src/util/prng.ts';

const claims = allClaims();

test('registry: ids are unique and within C1…C39, every claim has a TeX statement and a control', () => {
  for (const c of claims) {
    assert.ok(c.statement.length > 0, c.id);
    assert.ok(c.negativeControl.description.length > 0, c.id);
  }
});

claimTests(claims, { test, mode: 'quick', seed: DEFAULT_SEED });

test.run();
