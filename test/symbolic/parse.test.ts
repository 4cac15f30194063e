import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derive } from '../../src/symbolic/derive.ts';
import { hamiltonianOf } from '../../src/symbolic/hamiltonian.ts';
import { exprText, MAX_DEPTH, parseExpression } from '../../src/symbolic/parse.ts';
import * as P from '../../src/symbolic/poly.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import { quote, UserError } from '../../src/util/errors.ts';
import { createRequire } from 'node:module';
import { mathjsLoadedFrom, mathjsNumber } from '../../src/symbolic/mathjs-number.ts';

const message = (f: () => unknown): string => {
  try { f(); } catch (e) { assert.ok(e instanceof UserError, String(e)); return (e as Error).message; }
  assert.unreachable('expected a UserError');
  return '';
};
/** One short line: the error never echoes a large input. */
const short = (m: string): void => { assert.not.match(m, /\n/); assert.ok(m.length < 400, `${m.length} characters: ${m.slice(0, 200)}`); };

test('quote: one line, capped, with the full length', () => {
  assert.is(quote('x + y'), '"x + y"');
  assert.is(quote('a\nb'), '"a b"');
  const q = quote('x'.repeat(20000));
  assert.ok(q.length < 120 && q.endsWith('(20000 characters)'), q);
});

// Regression: a 50,000-term expression overflowed the parser's stack (mathjs builds a
// left-deep tree for a sum, and every walker after it recursed 50,000 levels).
test('a 50,000-term sum parses into a balanced tree and expands to the right polynomial', () => {
  const n = 50_000;
  const terms = Array.from({ length: n }, (_, i) => `${(i % 7) + 1}*z^${1 + (i % 3)}${i % 5 === 4 ? '' : ''}`);
  const text = terms.map((t, i) => (i % 4 === 3 ? `- ${t}` : `+ ${t}`)).join(' ').replace(/^\+ /, '');
  const node = parseExpression(text, { what: '--g' });
  // coefficients of z, z², z³ summed here independently of the engine
  const c = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) c[1 + (i % 3)]! += (i % 4 === 3 ? -1 : 1) * ((i % 7) + 1);
  assert.ok(P.equal(polyOf(node), polyOf(parseExpression(`${c[1]}*z + ${c[2]}*z^2 + ${c[3]}*z^3`))));
  // the same sum inside parentheses (a group of a larger expression), and after 1e-5-style numbers
  const nested = `tanh(z) + 2*(${text}) - 3e-2*z`;
  assert.ok(P.equal(polyOf(parseExpression(nested)), polyOf(parseExpression(`tanh(z) + 2*(${c[1]}*z + ${c[2]}*z^2 + ${c[3]}*z^3) - 0.03*z`))));
});

// Regression: deep nesting was handled, but the error line echoed the whole 20 kB input.
test('deep nesting, long products, 20 kB of garbage: one short line each', () => {
  short(message(() => parseExpression('('.repeat(10000) + 'z' + ')'.repeat(10000), { what: '--g' })));
  short(message(() => parseExpression(Array(20000).fill('z').join('*'), { what: '--g' })));
  short(message(() => parseExpression(Array(20000).fill('z').join('^'), { what: '--g' })));
  short(message(() => parseExpression(`${'x + '.repeat(5000)})`, { what: '--g' })));
  short(message(() => parseExpression(`${'x + y*'.repeat(4000)}foo(x)`)));
  short(message(() => derive({ layer: 'map', map: `x + eps*(${'x*'.repeat(3000)}x` }, 1)));
  assert.match(message(() => parseExpression('('.repeat(MAX_DEPTH) + 'z' + ')'.repeat(MAX_DEPTH))), /nested more than 200 levels/);
  // a huge but valid g: refused by the derivation's size limit, in one line
  const big = Array.from({ length: 50_000 }, (_, i) => `${i % 9 + 1}*z^${1 + (i % 3)}`).join(' + ');
  const m = message(() => derive({ layer: 'ff', dim: 1, g: big }, 2));
  short(m);
  assert.match(m, /expression nodes; derive accepts at most/);
  short(message(() => hamiltonianOf([Array.from({ length: 50_000 }, (_, i) => `${i + 1}*x^${1 + (i % 3)}`).join(' + ')])));
});

test('Python\'s ** is refused with what to write instead; other parse errors get no such hint', () => {
  for (const t of ['z**2', 'tanh(z) ** 3', 'x * * y']) {
    const m = message(() => parseExpression(t, { what: '--g' }));
    short(m);
    assert.match(m, /^--g: cannot parse .*\(write powers with \^, as in z\^2: \*\* is not an operator here\)$/);
  }
  assert.not.match(message(() => parseExpression('x + * y', { what: '--g' })), /write powers/);
});

test('mathjs builds its instance from the factories\' own files: the instance mathjs/number\'s maps build', () => {
  parseExpression('z');
  // 'entry' would mean a mathjs whose files moved: still right, but ≈0.4 s slower in every process
  assert.is(mathjsLoadedFrom, 'files');
  const entry = createRequire(import.meta.url)('mathjs/number') as typeof import('mathjs/number');
  const { create, factories } = mathjsNumber();
  assert.ok(create === entry.create);
  type F = { fn: string; dependencies: string[] };
  const flat = (o: object): F[] => Object.values(o).flatMap((v) => (typeof v === 'function' ? [v as F] : flat(v as object)));
  const ours = flat(factories);
  const theirs = [...new Map(flat([entry.parseDependencies, entry.derivativeDependencies, entry.erfDependencies]).map((f) => [f.fn, f])).values()];
  // the same functions in the same order, each needing the same; most the very same objects
  assert.equal(ours.map((f) => [f.fn, f.dependencies]), theirs.map((f) => [f.fn, f.dependencies]));
  assert.ok(ours.filter((f, i) => f === theirs[i]).length > ours.length / 2);
  const a = create(factories) as unknown as Record<string, unknown>;
  const b = create({ parseDependencies: entry.parseDependencies!, derivativeDependencies: entry.derivativeDependencies!, erfDependencies: entry.erfDependencies! }) as unknown as Record<string, unknown>;
  const shape = (m: Record<string, unknown>) => Object.keys(m).map((k) => [k, typeof m[k], Object.keys((m[k] as { signatures?: object })?.signatures ?? {})]);
  assert.equal(shape(a), shape(b));
  const A = a as unknown as typeof entry, B = b as unknown as typeof entry;
  const run = (m: typeof entry, t: string) => {
    try {
      const n = m.parse(t);
      return [n.toString(), n.toTex(), m.derivative(n, 'z', { simplify: false }).toString(), m.derivative(n, 'z').toString()];
    } catch (e) { return String(e); }
  };
  for (const t of ['tanh(z)^2 - 1/cosh(z)', 'erf(z)*exp(-z^2/2)', 'log(z, 2) + nthRoot(z, 3)', 'z^(1/3) + sqrt(1 - z^2)', '2z^2 + 3x z', 'x < z', '[1, 2]', 'f(z) = z', 'z!', 'sign(z)*abs(z)', 'z*(2 + 3) - z/4']) {
    assert.equal(run(A, t), run(B, t), t);
  }
  // the plain number functions (rebuilt from lib/cjs/plain/number/) compute what the entry's do
  const sig = (k: string) => Object.keys((a[k] as { signatures?: object })?.signatures ?? {});
  for (const k of Object.keys(a).filter((k) => sig(k).includes('number,number'))) assert.ok(Object.is((a[k] as Function)(3, 0.5), (b[k] as Function)(3, 0.5)), k);
  for (const k of Object.keys(a).filter((k) => sig(k).includes('number'))) assert.equal((a[k] as Function)(0.5), (b[k] as Function)(0.5), k);
  for (const x of [0, -0, 1e-300, 0.46875, 0.5, 4, 5.9, -26.6, Infinity, NaN]) assert.ok(Object.is(A.erf(x), B.erf(x)), String(x));
  assert.throws(() => A.matrix([1]), /No "matrix" implementation/);
});

test('implicit products that read one way are accepted and equal their explicit forms', () => {
  for (const [imp, exp] of [['2z^2', '2*z^2'], ['3z/4', '3*z/4'], ['(1/2)z', '(1/2)*z'], ['2(z + 1)(z - 1)', '2*(z+1)*(z-1)'], ['a z tanh(z)', 'a*z*tanh(z)'], ['-2z', '-2*z']] as const) {
    assert.ok(P.equal(polyOf(parseExpression(imp)), polyOf(parseExpression(exp))), imp);
  }
});

test('numerals are read exactly and printed back exactly (digits a double cannot hold)', () => {
  const text = '123456789012345678901*z + 0.1234567890123456789*z^2 - 1e-30';
  const node = parseExpression(text);
  const back = exprText(node);
  assert.match(back, /123456789012345678901/);
  assert.ok(P.equal(polyOf(parseExpression(back)), polyOf(node)));
  assert.match(message(() => parseExpression('z*1e-400')), /underflows to 0/);
  // Regression: past the exponent fromDecimalText reads (±400) the literal was its double, 0,
  // so g = 1e-401*z derived g = 0 without a word
  for (const lit of ['1e-401', '0.1e-400', '1000e-402']) assert.match(message(() => parseExpression(`z + ${lit}*z^2`)), /decimal exponent out of range/, lit);
});

// Regression: '#' started a mathjs comment, so 'z # -gamma*z^3' was g = z without a word; and
// typeset symbols pasted from a paper were refused as 'Syntax error in part "−z"' or as a bad name
test('a comment sign is refused, and typeset symbols say what to write', () => {
  assert.match(message(() => parseExpression('z # -gamma*z^3')), /# .* would start a comment/);
  for (const [text, write] of [['−z^2', 'write -'], ['2×z', 'write \\*'], ['2·z', 'write \\*'], ['z²', 'write \\^2'], ['π*z', 'write pi'], ['α*z', 'write a Greek letter by its name']]) {
    assert.match(message(() => parseExpression(text!)), new RegExp(`is a typeset symbol; ${write}`), text);
  }
});

test('a 20,000-character name: one short line, no deep recursion', () => {
  short(message(() => derive({ layer: 'ff', g: `${'z'.repeat(20000)}*z` }, 1)));
  short(message(() => parseExpression(`${'ab'.repeat(10000)} + x`)));
});

test.run();
