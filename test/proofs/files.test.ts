/** Every derivation in proofs/ must be proved, step by step: a change that breaks one fails here. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { basename } from 'node:path';
import { defaultProofFiles } from '../../src/proofs/files.ts';
import { checkProofFile } from '../../src/proofs/check.ts';
import { readProofFile } from '../../src/proofs/parse.ts';

const files = defaultProofFiles();
const cited = new Set<string>();

test('proofs/ holds the expected derivations', () => {
  assert.equal(files.map((f) => basename(f)), [
    'continuum-limit.md', 'euler-lagrange.md', 'gamma-argument.md', 'invariant-ball.md', 'invariants.md', 'modified-equation.md', 'regulariser.md',
    'spectrum.md', 'stability.md', 'tanh-scaling.md',
  ]);
});

for (const f of files) {
  test(`${basename(f)}: every step proved`, () => {
    const r = checkProofFile(readProofFile(f));
    const bad = r.steps.filter((s) => s.verdict !== 'proved');
    assert.ok(r.steps.length >= 5, `${r.steps.length} steps: a derivation, not a one-liner`);
    assert.is(bad.length, 0, bad.map((s) => `${s.file}:${s.line} ${s.block}/${s.step} ${s.verdict}: ${s.detail}`).join('\n'));
    assert.ok(r.ok);
    for (const s of r.steps) {
      // proved means both CAS routes decided 0
      assert.ok(s.routes.length >= 2 && s.routes.every((x) => x.zero === true), `${s.block}/${s.step}`);
      s.cites.forEach((c) => cited.add(c));
    }
  });
}

test('the proofs cover the claims they are meant to prove', () => {
  for (const c of ['C3', 'C4', 'C6', 'C7', 'C11', 'C12', 'C13', 'C14', 'C15', 'C17', 'C18', 'C21', 'C22', 'C23', 'C24', 'C25', 'C28', 'C29', 'C32']) assert.ok(cited.has(c), c);
});

test.run();
