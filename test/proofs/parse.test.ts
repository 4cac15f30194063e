import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkProofFile } from '../../src/proofs/check.ts';
import { parseProofFile } from '../../src/proofs/parse.ts';
import { UserError } from '../../src/util/errors.ts';

const block = (body: string, label = 'b') => `# T\n\nprose\n\n\`\`\`derivation ${label}\n${body}\n\`\`\`\n`;

/** The UserError message of f (one line), or a failed assertion. */
function userError(f: () => unknown): string {
  try { f(); } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    const m = (e as Error).message;
    assert.not.match(m, /\n/, 'one line');
    return m;
  }
  assert.unreachable('expected a UserError');
  return '';
}

test('structure: declarations, definitions, cites, chains, orders, justifications, certificates', () => {
  const pf = parseProofFile(block([
    'let x, a: real',
    'let gamma: positive',
    'let eps: small',
    'let t: [0, 1]',
    'cites: C12, c13',
    'def g(z) := -gamma*z^3   -- the cubic',
    'def F = a*x + g(x)',
    '# a comment line',
    'x + eps*F',
    '= x + eps*(a*x - gamma*x^3)      -- expand F',
    '= x + eps*a*x + O(eps)  # drop the cubic',
    '',
    '(x + a)^2 +',
    '  1',
    '>= 1',
    '  sos: (x + a)^2',
  ].join('\n'), 'demo'), 'demo.md');
  assert.is(pf.title, 'T');
  assert.is(pf.blocks.length, 1);
  const b = pf.blocks[0]!;
  assert.is(b.label, 'demo');
  assert.equal(b.symbols.map((s) => s.name), ['x', 'a', 'gamma', 'eps', 't']);
  assert.equal(b.symbols.find((s) => s.name === 't')!.domain, { kind: 'interval', lo: 0, hi: 1 });
  assert.ok(b.symbols.find((s) => s.name === 'gamma')!.domain.lo > 0);
  assert.equal(b.cites, ['C12', 'C13']);
  assert.equal(b.definitions.map((d) => [d.name, d.params, d.body]), [['g', ['z'], '-gamma*z^3'], ['F', [], 'a*x + g(x)']]);
  assert.is(b.chains.length, 2);
  const [c1, c2] = b.chains;
  assert.equal(c1!.steps.map((s) => s.relation), ['start', '=', '=']);
  assert.equal(c1!.steps.map((s) => s.index), [0, 1, 2]);
  assert.is(c1!.steps[1]!.justification, 'expand F');
  assert.equal(c1!.steps[2]!.order, { variable: 'eps', power: 1 });
  assert.is(c1!.steps[2]!.expr, 'x + eps*a*x');
  assert.is(c1!.steps[2]!.justification, 'drop the cubic');
  // A trailing operator continues the line; sos attaches to the inequality above it.
  assert.is(c2!.steps[0]!.expr, '(x + a)^2 + 1');
  assert.is(c2!.steps[1]!.relation, '>=');
  assert.is(c2!.steps[1]!.index, 3);
  assert.is(c2!.steps[1]!.certificate, '(x + a)^2');
});

test('O(eps^k) variants: O(h^2), O(h**3), O(s)', () => {
  const pf = parseProofFile(block('let h: small\nh\n= 0 + O(h)\n= 0 + O(h^2)\n= 0 + O(h**3)'));
  assert.equal(pf.blocks[0]!.chains[0]!.steps.slice(1).map((s) => s.order!.power), [1, 2, 3]);
});

test('format errors name file:line, block and step, on one line', () => {
  assert.match(userError(() => parseProofFile('# no blocks\n', 'x.md')), /^x\.md: no ```derivation blocks/);
  assert.match(userError(() => parseProofFile(block('let x: real\n= x'), 'x.md')), /^x\.md:7: block b, step 1: .*needs a starting expression/);
  assert.match(userError(() => parseProofFile(block('let x: complex\nx\n= x'), 'x.md')), /^x\.md:6: block b: unknown domain "complex"/);
  assert.match(userError(() => parseProofFile(block('let x: real\nlet x: real\nx\n= x'), 'x.md')), /declared twice/);
  assert.match(userError(() => parseProofFile(block('let x: real\ncites: C99\nx\n= x'), 'x.md')), /unknown claim "C99"/);
  assert.match(userError(() => parseProofFile(block('let x: real\nx\n<= x + O(x^2)'), 'x.md')), /^x\.md:8: block b, step 1: an O\(\.\.\.\) term is only allowed on '=' steps/);
  assert.match(userError(() => parseProofFile(block('let x: real\nx\n= O(x^2) + x'), 'x.md')), /step 1: an order term must be written last/);
  assert.match(userError(() => parseProofFile(block('let x: real\nx\n<= x + 1\n>= x'), 'x.md')), /step 2: a chain cannot mix/);
  assert.match(userError(() => parseProofFile(block('let x: real\nx\n= x\n  sos: x^2'), 'x.md')), /'sos:' certificate must follow an inequality/);
  assert.match(userError(() => parseProofFile(block('let x: real\nx'), 'x.md')), /block b: derivation block has no steps/);
  assert.match(userError(() => parseProofFile('```derivation\nlet x: real\nx\n= x\n', 'x.md')), /^x\.md:1: block 1: derivation block is not closed/);
  assert.match(userError(() => parseProofFile(block('let x: real\ndef F(1) := x\nx\n= F'), 'x.md')), /bad parameter "1"/);
  // Regression: def f(y, y) := y was accepted, and which argument y stood for read two ways
  assert.match(userError(() => parseProofFile(block('let x: real\ndef f(y, y) := y\nf(x, 2)\n= x'), 'x.md')), /parameter "y" appears twice in definition of f/);
});

test('expansion errors: undeclared symbol, unknown function, unparseable step, bad D, arity', () => {
  const check = (body: string) => userError(() => checkProofFile(parseProofFile(block(body), 'y.md')));
  assert.match(check('let x: real\nx^2\n= x*x\n= x*y'), /^y\.md:9: block b, step 2: undeclared symbol 'y'/);
  assert.match(check('let x: real\nx\n= heaviside(x)'), /^y\.md:8: block b, step 1: unknown function 'heaviside'/);
  assert.match(check('let x: real\nx\n= x * * x'), /^y\.md:8: block b, step 1: cannot parse "x \* \* x"/);
  assert.match(check('let x: real\nx + 1)\n= x'), /^y\.md:7: block b, step 1 \(chain start\): cannot parse "x \+ 1\)"/);
  assert.match(check('let x: real\nx\n= D(x^2, 2*x)'), /second argument of D must be a declared symbol/);
  assert.match(check('let x: real\ndef g(z) := z^2\nx\n= g(x, x)'), /'g' takes 1 argument\(s\), got 2/);
  assert.match(check('let x: real\ndef g(z) := z^2\nx\n= g'), /'g' takes 1 argument/);
  assert.match(check('let x: real\ndef F := F + x\nx\n= F'), /refers to itself/);
  assert.match(check('let x: real\ndef F := x + w\nx\n= F'), /undeclared symbol 'w'/);
  assert.match(check('let x: real\nlet h: small\nx\n= x + O(k^2)'), /undeclared symbol 'k' in O\(k\^2\)/);
  assert.match(check('let x: real\nlet pi: real\nx\n= x + pi - pi'), /'pi' is a built-in name \(the constant π\)/);
  assert.match(check('let x, y: small\nx\n= 0 + O(x)\n= 0 + O(y)'), /O\(\.\.\.\) in two variables/);
  assert.match(check('let x, D: real\nx\n= x'), /^y\.md:6: block b: 'D' is a built-in name/);
  // names the CAS reads as constants: refused at the declaration, not a crash at the first step
  assert.match(check('let x, i: real\nx\n= x + i - i'), /^y\.md:6: block b: 'i' is reserved by the CAS/);
  assert.match(check('let x, tau: small\nx\n= x'), /'tau' is reserved by the CAS/);
  assert.match(check('let x: real\ndef tanh(u) := u\nx\n= x'), /'tanh' is a built-in name and cannot be redefined/);
});

test('definitions substitute by the syntax tree: no capture inside longer names or function names', () => {
  // `g` must not touch `g1` or `tanh`'s letters, and parameters shadow symbols of the same name.
  const r = checkProofFile(parseProofFile(block([
    'let x, g1, z: real',
    'def g(z) := 2*z',
    'g(x + z) + g1 + tanh(x)',
    '= 2*x + 2*z + g1 + tanh(x)',
  ].join('\n')), 'z.md'));
  assert.is(r.steps.length, 1);
  assert.is(r.steps[0]!.verdict, 'proved', r.steps[0]!.detail);
});

// Issue 11: the proof format classifies symbols like the rest of the symbolic layer: declared
// names only, juxtapositions get the product as a hint, implicit products that read two ways
// are refused, long inputs are quoted capped, and names follow the identifier rule.
test('proofs: xy hints x*y, 1/2x reads two ways, a 20 kB step is quoted capped, names follow the identifier rule', () => {
  const check = (body: string) => userError(() => checkProofFile(parseProofFile(block(body), 'y.md')));
  assert.match(check('let x, y: real\nx*y\n= xy'), /undeclared symbol 'xy' .*for a product write x\*y/);
  assert.match(check('let x: real\nx/2\n= 1/2x'), /reads two ways/);
  const long = check(`let x: real\nx\n= ${'x + '.repeat(5000)}w`);
  assert.ok(long.length < 400 && /undeclared symbol 'w'/.test(long), long.slice(0, 300));
  assert.match(userError(() => parseProofFile(block('let a__b: real\na__b\n= a__b'), 'x.md')), /bad symbol name "a__b" \(names are ASCII letters/);
});

test.run();
