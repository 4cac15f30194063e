/**
 * Exact rationals: the coefficients of the polynomial engine. A value is stored as a pair of
 * safe-integer numbers while numerator and denominator both fit in 2^53 − 1 (the fast path,
 * which covers factorials and the small integers of layer expansions), and as a pair of BigInts
 * otherwise, so no input reaches an overflow: a fitted weight such as 0.123456789 raised to the
 * fourth power has a 36-digit denominator. Every result is canonical (lowest terms, positive
 * denominator, and numbers whenever both parts are safe), so equal values have equal
 * representations and the fast path is taken again as soon as the numbers shrink.
 */
import { UserError } from '../util/errors.ts';

type Small = readonly [number, number];
type Big = readonly [bigint, bigint];
/** [numerator, denominator > 0] in lowest terms; numbers when both are safe integers, else BigInts. */
export type Rat = Small | Big;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const safe = Number.isSafeInteger;
/** The fast path can be switched off (bench/rational.ts measures both paths on one workload). */
let fast = true;
export function setFastPath(on: boolean): void { fast = on; }

const isSmall = (a: Rat): a is Small => typeof a[0] === 'number';
const toBig = (a: Rat): Big => (isSmall(a) ? [BigInt(a[0]), BigInt(a[1])] : a);

function gcd(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Lowest terms, positive denominator, demoted to numbers when both parts are safe. */
function normBig(n: bigint, d: bigint): Rat {
  if (d === 0n) throw new UserError('division by zero in a coefficient');
  if (d < 0n) { n = -n; d = -d; }
  const g = gcdBig(n, d);
  if (g > 1n) { n /= g; d /= g; }
  return n <= MAX && n >= -MAX && d <= MAX ? [Number(n), Number(d)] : [n, d];
}

/** n/d for integers n, d (numbers: exact when safe; larger integral doubles are taken at their exact value). */
export function rat(n: number, d = 1): Rat {
  if (safe(n) && safe(d) && fast) {
    if (d === 0) throw new UserError('division by zero in a coefficient');
    if (d < 0) { n = -n; d = -d; }
    const g = gcd(n, d) || 1;
    return [n / g + 0, d / g];
  }
  if (!Number.isInteger(n) || !Number.isInteger(d)) throw new Error(`rat: ${n}/${d} is not a ratio of integers`);
  return normBig(BigInt(n), BigInt(d));
}

export const ONE: Rat = [1, 1];

export const isZeroR = (a: Rat): boolean => a[0] === 0 || a[0] === 0n;
export const isOneR = (a: Rat): boolean => a[0] === 1 && a[1] === 1;
/** Integer-valued (denominator 1). */
export const isIntegerR = (a: Rat): boolean => a[1] === 1 || a[1] === 1n;
/** The value as a number when it is a safe integer, else undefined. */
export const smallIntR = (a: Rat): number | undefined => (a[1] === 1 && isSmall(a) ? a[0] : undefined);
export const signR = (a: Rat): number => (a[0] > 0 ? 1 : a[0] < 0 ? -1 : 0);
export const negR = (a: Rat): Rat => (isZeroR(a) ? a : isSmall(a) ? [-a[0], a[1]] : [-a[0], a[1]]);
export const absR = (a: Rat): Rat => (signR(a) < 0 ? negR(a) : a);
/** 1/a (a ≠ 0). */
export function invR(a: Rat): Rat {
  if (isZeroR(a)) throw new UserError('division by zero in a coefficient');
  if (isSmall(a)) return a[0] < 0 ? [-a[1], -a[0]] : [a[1], a[0]];
  return a[0] < 0n ? [-a[1], -a[0]] : [a[1], a[0]];
}
export const eqR = (a: Rat, b: Rat): boolean => a[0] === b[0] && a[1] === b[1];

export function addR(a: Rat, b: Rat): Rat {
  if (fast && isSmall(a) && isSmall(b)) {
    const g = gcd(a[1], b[1]);
    // Each product is checked: two rounded products past 2^53 can cancel to a safe, wrong sum.
    const p = a[0] * (b[1] / g), q = b[0] * (a[1] / g), den = (a[1] / g) * b[1];
    if (safe(p) && safe(q) && safe(p + q) && safe(den)) return rat(p + q, den);
  }
  const [an, ad] = toBig(a), [bn, bd] = toBig(b);
  return normBig(an * bd + bn * ad, ad * bd);
}

export function mulR(a: Rat, b: Rat): Rat {
  if (fast && isSmall(a) && isSmall(b)) {
    const g1 = gcd(a[0], b[1]) || 1, g2 = gcd(b[0], a[1]) || 1;
    const n = (a[0] / g1) * (b[0] / g2), d = (a[1] / g2) * (b[1] / g1);
    if (safe(n) && safe(d)) return [n + 0, d]; // already in lowest terms
  }
  const [an, ad] = toBig(a), [bn, bd] = toBig(b);
  return normBig(an * bn, ad * bd);
}

/** ⌊a⌋ as a rational (exact). */
export function floorR(a: Rat): Rat {
  const [n, d] = toBig(a);
  let q = n / d; // truncates toward 0
  if (q * d > n) q -= 1n;
  return normBig(q, 1n);
}

export const subR = (a: Rat, b: Rat): Rat => addR(a, negR(b));

/** a^k for an integer k (k < 0 through 1/a). */
export function powIntR(a: Rat, k: number): Rat {
  if (k < 0) return powIntR(invR(a), -k);
  let out: Rat = ONE;
  for (let j = 0; j < k; j++) out = mulR(out, a);
  return out;
}

const bitLength = (x: bigint): number => x.toString(2).length;

/** The nearest double (within about one ulp). */
export function toNumber(a: Rat): number {
  if (isSmall(a)) return a[0] / a[1];
  let [n, d] = a;
  const negative = n < 0n;
  if (negative) n = -n;
  // Scale so that the integer quotient carries at least 64 significant bits.
  const k = Math.max(0, 64 - (bitLength(n) - bitLength(d)));
  let v = Number((n << BigInt(k)) / d);
  for (let s = k; s > 0; s -= 1000) v /= 2 ** Math.min(s, 1000);
  return negative ? -v : v;
}

/**
 * The exact value of a decimal numeral: '0.3' ↦ 3/10, '1e-3' ↦ 1/1000, '12345678901234567890'
 * exactly, and mathjs's binary/octal/hex integers ('0x1F'). Undefined if the text is not one.
 */
export function fromDecimalText(text: string): Rat | undefined {
  const s = text.trim();
  if (/^-?0[xX][0-9a-fA-F]+$|^-?0[bB][01]+$|^-?0[oO][0-7]+$/.test(s)) {
    const neg = s.startsWith('-');
    const v = BigInt(neg ? s.slice(1) : s);
    return normBig(neg ? -v : v, 1n);
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0) - frac.length;
  // A decimal exponent this far out is not an ordinary number (1e400 is not finite as a double).
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  const digits = BigInt(`${m[2] || '0'}${frac}`);
  const num = exp >= 0 ? digits * 10n ** BigInt(exp) : digits;
  const den = exp >= 0 ? 1n : 10n ** BigInt(-exp);
  return normBig(m[1] === '-' ? -num : num, den);
}

/** The exact rational value of a finite double written in decimal (0.3 ↦ 3/10, 1e-3 ↦ 1/1000). */
export function fromNumber(v: number): Rat {
  if (!Number.isFinite(v)) throw new UserError(`non-finite number ${v}`);
  if (safe(v)) return [v + 0, 1];
  // String(v) is the shortest decimal that reads back as v: the number the user wrote.
  return fromDecimalText(String(v))!;
}

/** '3/2', '-1', '0' (exact, any size). */
export function ratText(a: Rat): string {
  return isIntegerR(a) ? `${a[0]}` : `${a[0]}/${a[1]}`;
}

/** Inverse of ratText. */
export function parseRatText(s: string): Rat {
  const [n, d] = s.split('/') as [string, string | undefined];
  return normBig(BigInt(n), BigInt(d ?? '1'));
}
