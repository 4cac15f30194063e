import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derive } from '../../src/symbolic/derive.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import * as P from '../../src/symbolic/poly.ts';
import { addR, fromDecimalText, fromNumber, mulR, rat, ratText, setFastPath, toNumber, type Rat } from '../../src/symbolic/rational.ts';
import { polyOf } from '../../src/symbolic/series.ts';

const poly = (s: string) => polyOf(parseExpression(s));

test('rational arithmetic past 2^53 is exact: (3m+1)/3 − (5m+2)/5 = −1/15 with m = 2^50 + 1', () => {
  const m = 2 ** 50 + 1;
  assert.equal(addR(rat(3 * m + 1, 3), rat(-(5 * m + 2), 5)), [-1, 15]);
  assert.equal(addR(rat(1, 3), rat(1, 6)), [1, 2]);
  // 0.123456789^4 = 123456789^4 / 10^36, written out by BigInt here.
  const c = fromNumber(0.123456789);
  const c4 = mulR(mulR(c, c), mulR(c, c));
  assert.is(ratText(c4), `${123456789n ** 4n}/${10n ** 36n}`);
  // and back to a small fraction once the big parts cancel: c^4 · (1/c)^4 = 1 (as numbers again)
  const inv = fromDecimalText('8.100000073710000670761006103925155545718915466042130740986389742816233337')!;
  assert.ok(typeof c4[0] === 'bigint' && typeof inv[0] === 'bigint');
});

test('the fast path and the BigInt path give the same canonical values', () => {
  const vals: Rat[] = [[1, 3], [-7, 12], fromNumber(0.123456789), fromNumber(-1.4142), rat(2 ** 52, 3)];
  const results = (fast: boolean): string[] => {
    setFastPath(fast);
    try {
      const out: string[] = [];
      for (const a of vals) for (const b of vals) {
        out.push(ratText(addR(a, b)), ratText(mulR(a, b)));
        out.push(String(typeof mulR(a, b)[0]));
      }
      return out;
    } finally { setFastPath(true); }
  };
  assert.equal(results(true), results(false));
});

test('decimal numerals are read exactly, including digits a double cannot hold', () => {
  assert.equal(fromDecimalText('0.1'), [1, 10]);
  assert.equal(fromDecimalText('1e-3'), [1, 1000]);
  assert.equal(fromDecimalText('-2.5E+2'), [-250, 1]);
  assert.equal(fromDecimalText('0x1F'), [31, 1]);
  assert.is(ratText(fromDecimalText('123456789012345678901')!), '123456789012345678901');
  assert.is(ratText(fromDecimalText('0.1234567890123456789')!), '1234567890123456789/10000000000000000000');
  assert.is(fromDecimalText('abc'), undefined);
  // 123456789012345678901 is not a double: read from the text, the constant keeps every digit
  assert.is(P.polyText(poly('123456789012345678901*x')), '123456789012345678901*x');
  assert.is(P.polyText(poly('0.1234567890123456789*x')), '(1234567890123456789/10000000000000000000)*x');
});

test('toNumber of a big rational is the nearest double (to an ulp)', () => {
  const r = fromDecimalText('0.1234567890123456789012345678901234567890')!;
  assert.ok(Math.abs(toNumber(r) - 0.12345678901234568) <= 2 ** -55);
  const big = mulR(fromDecimalText('1e200')!, fromDecimalText('3e-1')!);
  assert.ok(Math.abs(toNumber(big) / 3e199 - 1) < 2e-16);
  const tiny = fromDecimalText('7e-320')!;
  assert.ok(Math.abs(toNumber(tiny) - 7e-320) <= 5e-324);
});

// Regressions: each of these overflowed the safe-integer arithmetic ("use smaller numbers").
test('fitted weight -0.123456789*z^3 at order 2: f2 is the closed form of C13 with gamma = 0.123456789', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '-0.123456789*z^3' }, 2);
  assert.is(r.verification.verdict, 'proved');
  const g = '(123456789/1000000000)';
  const stated = `-a^2*x/2 - a*b/2 - a*${g}*x^3 - (3/2)*b*${g}*x^2 - (3/2)*${g}^2*x^5`;
  assert.ok(P.equal(poly(r.modified[1]![0]!), poly(stated)));
});

test('fitted weight at order 4, GELU with its decimal constants at order 3, decimal A and beta at order 4: proved', () => {
  assert.is(derive({ layer: 'ff', dim: 1, g: '-0.123456789*z^3' }, 4).verification.verdict, 'proved');
  const gelu = derive({ layer: 'ff', dim: 1, g: '0.5*z*(1 + tanh(0.7978845608*(z + 0.044715*z^3)))' }, 3);
  assert.is(gelu.verification.verdict, 'proved');
  const ab = derive({ layer: 'ff', dim: 2, g: 'tanh(z)', A: '0.123, -1.75; 0.31, 0.2718', beta: '0.577, -1.4142' }, 4);
  assert.is(ab.verification.verdict, 'proved');
});

test('pi written as a decimal at order 3: F1 = 3.141592653589793 sin(x) + ax + b exactly, proved', () => {
  const r = derive({ layer: 'ff', dim: 1, g: '3.141592653589793*sin(z)' }, 3);
  assert.is(r.verification.verdict, 'proved');
  assert.ok(P.equal(poly(r.ode[0]!), poly('a*x + b + (3141592653589793/1000000000000000)*sin(x)')));
});

test.run();
