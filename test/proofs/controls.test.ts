/**
 * Negative controls for the derivations in proofs/: each file, with one step mutated (a sign, a
 * coefficient, a dropped term, a wrong certificate), must have that step refused. The mutation
 * is a literal text replacement on the file, and only the mutated block is re-checked (the
 * unmutated file is checked by files.test.ts), which keeps the suite fast.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProofFile } from '../../src/proofs/check.ts';
import { PROOFS_DIR } from '../../src/proofs/files.ts';
import { parseProofFile } from '../../src/proofs/parse.ts';

interface Mutation {
  file: string;
  block: string;
  /** What the mutation breaks, for the failure message. */
  what: string;
  from: string;
  to: string;
  /** The verdict the mutated step must get ('refuted' unless the mutation only removes a proof). */
  verdict?: 'refuted' | 'unknown';
}

export const MUTATIONS: Mutation[] = [
  {
    file: 'modified-equation.md', block: 'modified-time-dependent', what: 'f₂ without the correction −½∂ₜF₁',
    from: 'def f2 := F2 - (D(F1, x)*F1 + D(F1, t))/2', to: 'def f2 := F2 - D(F1, x)*F1/2',
  },
  {
    file: 'modified-equation.md', block: 'f3', what: 'f₃ jet formula with a³x/6 for a³x/3',
    from: '+ a^3*x/3 + a^2*G2*x^2/12', to: '+ a^3*x/6 + a^2*G2*x^2/12',
  },
  {
    file: 'stability.md', block: 'rk4-imaginary-axis', what: '|R(iy)|² − 1 with the threshold 9 for 8',
    from: '= y^6*(y^2 - 8)/576', to: '= y^6*(y^2 - 9)/576',
  },
  {
    file: 'stability.md', block: 'verlet-inverse-1d', what: 'backward drift at p instead of the recovered p½',
    from: 'xn - h*F(ph)                                    -- backward drift', to: 'xn - h*F(p)                                    -- backward drift',
  },
  {
    file: 'invariant-ball.md', block: 'quartic-and-cauchy-schwarz', what: '|x|⁴ ≤ 2 Σ xᵢ⁴ (the power mean with d = 2 in d = 3)',
    from: '<= 3*(x1^4 + x2^4 + x3^4)', to: '<= 2*(x1^4 + x2^4 + x3^4)',
  },
  {
    file: 'gamma-argument.md', block: 'discrete-gradient-n4', what: 'the boundary term −n(K_1 − K_0) for −2n(K_1 − K_0)',
    from: '= alpha*(-2*4*(K1 - K0) + 2*K0/4)', to: '= alpha*(-4*(K1 - K0) + 2*K0/4)',
  },
  {
    file: 'gamma-argument.md', block: 'two-step-average', what: 'the second layer with K = +1 (no alternation)',
    from: 'def X2 := X1 + h*tanh(-X1 + b)', to: 'def X2 := X1 + h*tanh(X1 + b)',
  },
  {
    file: 'gamma-argument.md', block: 'pooled-lower-bound', what: 'a lower bound (y₁ − y₂)²/3 above the pooled value',
    from: '((f1 - y1)^2 + (f2 - y2)^2)/2 - (y1 - y2)^2/4', to: '((f1 - y1)^2 + (f2 - y2)^2)/2 - (y1 - y2)^2/3',
  },
  {
    file: 'gamma-argument.md', block: 'summation-by-parts', what: 'the right boundary term of summation by parts with its sign flipped',
    from: '= (K(m) - K(m - 1))*phi(m) - (K(1) - K(0))*phi(0)', to: '= -(K(m) - K(m - 1))*phi(m) - (K(1) - K(0))*phi(0)',
  },
  {
    file: 'regulariser.md', block: 'node-sum-exact', what: 'Σ(2j + 1)² = m(4m² + 1)/3 for m(4m² − 1)/3 in the node-grid sum',
    from: '+ k2^2*m*(4*m^2 - 1)/(3*n^4)\n', to: '+ k2^2*m*(4*m^2 + 1)/(3*n^4)\n',
  },
];

for (const m of MUTATIONS) {
  test(`control ${m.file} / ${m.block}: ${m.what} is refused`, () => {
    const text = readFileSync(join(PROOFS_DIR, m.file), 'utf8');
    assert.is(text.split(m.from).length, 2, `the mutation's anchor occurs exactly once in ${m.file}`);
    const pf = parseProofFile(text.replace(m.from, m.to), m.file);
    const block = pf.blocks.find((b) => b.label === m.block);
    assert.ok(block, `block ${m.block}`);
    const r = checkProofFile({ ...pf, blocks: [block!] });
    assert.not.ok(r.ok, 'the mutated block must fail');
    const bad = r.steps.filter((s) => s.verdict !== 'proved');
    assert.ok(bad.length >= 1);
    for (const s of bad) assert.is(s.verdict, m.verdict ?? 'refuted', `${s.block}/${s.step}: ${s.detail}`);
    // A refuted step shows a counterexample that a reader can replay.
    if ((m.verdict ?? 'refuted') === 'refuted') assert.ok(bad.some((s) => s.counterexample || s.routes.some((x) => x.zero === false)));
  });
}

test('every proof file added for issue 12 has a control', () => {
  for (const f of ['gamma-argument.md', 'modified-equation.md', 'stability.md', 'invariant-ball.md']) assert.ok(MUTATIONS.some((m) => m.file === f), f);
});

test.run();
