/**
 * Sums in proofs: written out for integer limits, and checked by induction on a symbolic upper
 * limit (src/proofs/induction.ts). Controls: a wrong closed form, a wrong base, and a wrong
 * telescoping boundary must each be refused, with a counterexample that a plain loop replays.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkProofFile, prepareProofFile } from '../../src/proofs/check.ts';
import { parseProofFile, readProofFile } from '../../src/proofs/parse.ts';
import { UserError } from '../../src/util/errors.ts';

const block = (body: string) => parseProofFile(`\`\`\`derivation t\n${body}\n\`\`\`\n`, 'inline.md');
const inline = (body: string) => checkProofFile(block(body));
const step = (body: string) => inline(body).steps[0]!;

/** The UserError message of preparing body (bad input is found before any checking). */
function refusal(body: string): string {
  try {
    prepareProofFile(block(body));
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return (e as Error).message;
  }
  return assert.unreachable('expected a UserError') as never;
}

test('a sum with integer limits is written out term by term', () => {
  assert.is(step('let k: real\nsum(k^2, k, 1, 3)\n= 14').verdict, 'proved');
  assert.is(step('let k: real\nsum(k^2, k, 1, 3)\n= 15').verdict, 'refuted');
  assert.is(step('let k, x: real\nsum(x^k, k, 0, 2)\n= 1 + x + x^2').verdict, 'proved');
  // hi < lo: the empty sum
  assert.is(step('let k, x: real\nx + sum(k, k, 3, 2)\n= x').verdict, 'proved');
});

test('induction proves a closed form (Σ k² for k < m) by both routes and by adding up', () => {
  const s = step('let k, m: real\nsum(k^2, k, 0, m - 1)\n= (m - 1)*m*(2*m - 1)/6');
  assert.is(s.verdict, 'proved', s.detail);
  assert.ok(s.routes.length === 2 && s.routes.every((r) => r.zero === true));
  assert.match(s.detail, /induction on m ≥ 0: base m = 0: .*step m → m \+ 1: .*sums added up for m = 0…5: max rel err 0\.0e\+0/);
});

test('control: a wrong closed form is refuted, and its counterexample is an integer m a loop replays', () => {
  const s = step('let k, m: real\nsum(k^2, k, 0, m - 1)\n= (m - 1)*m*(2*m + 1)/6');
  assert.is(s.verdict, 'refuted');
  const ce = s.counterexample!;
  const m = ce.point['m']!;
  assert.ok(Number.isInteger(m) && m >= 0, `m = ${m}`);
  let sum = 0;
  for (let k = 0; k < m; k++) sum += k * k;
  assert.is(ce.lhs, sum);
  assert.ok(Math.abs(ce.rhs - (m - 1) * m * (2 * m + 1) / 6) < 1e-12);
  assert.ok(ce.lhs !== ce.rhs);
});

test('control: right increments with a wrong base are refuted at the base', () => {
  const s = step('let k, m: real\nsum(k, k, 0, m - 1)\n= m*(m - 1)/2 + 1');
  assert.is(s.verdict, 'refuted');
  assert.match(s.detail, /base m = 0: nerdamer expand: ≠0/);
  assert.match(s.detail, /step m → m \+ 1: nerdamer expand: 0; algebrite expand: 0/);
});

test('telescoping: Σ_{k<m} (G(k+1) − G(k)) = G(m) − G(0); the boundary G(1) instead is refused', () => {
  const head = 'let k, m, c0, c1, c2, c3: real\ndef G(u) := c0 + c1*u + c2*u^2 + c3*u^3\nsum(G(k + 1) - G(k), k, 0, m - 1)\n';
  assert.is(step(head + '= G(m) - G(0)').verdict, 'proved');
  const wrong = step(head + '= G(m) - G(1)');
  assert.is(wrong.verdict, 'refuted');
  const { m, c0, c1, c2, c3 } = wrong.counterexample!.point as Record<string, number>;
  const G = (u: number) => c0! + c1! * u + c2! * u * u + c3! * u ** 3;
  assert.ok(Math.abs(wrong.counterexample!.rhs - (G(m!) - G(1))) < 1e-12);
  assert.ok(Math.abs(wrong.counterexample!.lhs - (G(m!) - G(0))) < 1e-12, 'the telescoped sum, by hand');
});

test('summation by parts: sums on both sides, base at the first m where both are defined', () => {
  const body = [
    'let j, m, a0, a1, a2, a3, p0, p1, p2, p3: real',
    'def K(t) := a0 + a1*t + a2*t^2 + a3*t^3',
    'def phi(t) := p0 + p1*t + p2*t^2 + p3*t^3',
    'sum((K(j + 1) - K(j))*(phi(j + 1) - phi(j)), j, 0, m - 1)',
  ].join('\n');
  const right = step(body + '\n= (K(m) - K(m - 1))*phi(m) - (K(1) - K(0))*phi(0) - sum((K(j + 1) - 2*K(j) + K(j - 1))*phi(j), j, 1, m - 1)');
  assert.is(right.verdict, 'proved', right.detail);
  assert.match(right.detail, /induction on m ≥ 1/);
  // the boundary term at the right end with the sign flipped
  const wrong = step(body + '\n= -(K(m) - K(m - 1))*phi(m) - (K(1) - K(0))*phi(0) - sum((K(j + 1) - 2*K(j) + K(j - 1))*phi(j), j, 1, m - 1)');
  assert.is(wrong.verdict, 'refuted');
});

test('fixture wrong-closed-form.md: refuted at the wrong step only, the message names an integer counterexample', () => {
  const r = checkProofFile(readProofFile('test/fixtures/proofs/wrong-closed-form.md'));
  assert.equal(r.steps.map((s) => s.verdict), ['proved', 'refuted']);
  const s = r.steps[1]!;
  const m = s.counterexample!.point['m']!;
  assert.ok(Number.isInteger(m) && m >= 2, `m = ${m}: the claim agrees at m = 0 and 1`);
  assert.is(s.counterexample!.lhs, m * m, 'Σ_{j<m} (2j + 1) = m², by hand');
  assert.is(s.counterexample!.rhs, m * m + m - m ** 3);
  assert.match(s.detail, new RegExp(`counterexample m=${m}: lhs ${m * m} vs rhs ${m * m + m - m ** 3}$`));
});

test('bad input: sums the induction rule cannot take are refused before checking', () => {
  assert.match(refusal('let k, m: real\nsum(k*m, k, 0, m - 1)\n= 0'), /contains m; induction on m needs terms free of it/);
  assert.match(refusal('let k, m: real\nsum(k, k, 0, 2*m)\n= 0'), /upper limit of a sum must be m, m \+ c or m − c/);
  assert.match(refusal('let k, m, n: real\nsum(k, k, n, m)\n= 0'), /lower limit of a sum with a symbolic upper limit must be an integer/);
  assert.match(refusal('let k, m: real\nsum(k, k, 0, m)\n<= m^2'), /exact step/);
  assert.match(refusal('let k, m: real\nD(sum(k, k, 0, m), m)\n= 1'), /D\(…\) of a sum with symbolic limits is not supported/);
  assert.match(refusal('let m: real\nsum(m, 2, 0, m)\n= 0'), /index of a sum must be a declared symbol/);
  assert.match(refusal('let k, m: real\nsum(k, k, 0, k + m)\n= 0'), /upper limit of a sum contains its index k/);
  assert.match(refusal('let k: real\nsum(k, k, 0, 1000)\n= 0'), /1001 terms written out/);
});

test.run();
