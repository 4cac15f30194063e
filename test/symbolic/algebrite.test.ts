/** The in-place term sort of src/symbolic/algebrite.ts: applied to the installed algebrite, and it changes no answer. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { algebrite, loadAlgebrite } from '../../src/symbolic/algebrite.ts';

// Inputs reaching all three patched sorters: add_terms (expand/simplify of sums), divisors, and
// sort_stack (roots, nroots), plus a proofs/-sized difference that must expand to 0.
// Unpatched algebrite takes 0.1–4 s per input (that is the point of the patch), so the inputs are small.
const INPUTS = [
  'expand((a + b)^3 - (b + a)^3)',
  'expand(eps*(a*x + b - g*x^3) + eps^2*(a^2*x/2 + a*b/2) - (eps*a*x + eps*b - eps*g*x^3 + eps^2*a*(a*x + b)/2))',
  'expand((a - 2*b)*(x - 1) + 7/3*x^2*a)',
  'simplify(sin(x)^2 + cos(x)^2)',
  'divisors(360)',
  'roots(x^2 - 3*x + 2)',
  'nroots(x^4 - 2*x^2 + 1/2, x)',
];

test('the in-place sort is applied to the installed algebrite (a new version would be loaded unpatched: slower)', () => {
  assert.is(algebrite().patched, true);
  assert.is(loadAlgebrite({ patch: false }).patched, false);
});

test('patched and unpatched algebrite give the same text for every input', () => {
  const fast = loadAlgebrite(), slow = loadAlgebrite({ patch: false });
  for (const input of INPUTS) {
    fast.clearall();
    slow.clearall();
    const a = fast.run(input), b = slow.run(input);
    assert.is(a, b, input);
    assert.not.match(a, /Stop|error/i, `${input}: ${a}`);
  }
  fast.clearall();
  assert.is(fast.run(INPUTS[0]!), '0');
  assert.is(fast.run(INPUTS[1]!), '0');
  assert.is(fast.run('divisors(12)'), '[1,2,3,4,6,12]');
});

test.run();
