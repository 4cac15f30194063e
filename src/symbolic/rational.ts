/**
 * Exact rationals on safe integers: the coefficients of the polynomial engine. Sizes stay small
 * for layer expansions (factorials ≤ 4!, user decimals), so numbers suffice; an overflow past
 * 2^53 is reported rather than silently rounded.
 */
import { UserError } from '../util/errors.ts';

export type Rat = readonly [number, number]; // [numerator, denominator > 0], lowest terms

function gcd(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export function rat(n: number, d = 1): Rat {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) {
    throw new UserError(`exact coefficient arithmetic overflowed (${n}/${d}); use smaller numbers`);
  }
  if (d === 0) throw new UserError('division by zero in a coefficient');
  if (d < 0) { n = -n; d = -d; }
  const g = gcd(n, d) || 1;
  return [n / g, d / g];
}

export const ONE: Rat = [1, 1];

export const isZeroR = (a: Rat): boolean => a[0] === 0;
export const addR = (a: Rat, b: Rat): Rat => {
  const g = gcd(a[1], b[1]);
  // Each product is checked: two rounded products past 2^53 can cancel to a safe, wrong sum.
  const p = a[0] * (b[1] / g), q = b[0] * (a[1] / g);
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) {
    throw new UserError(`exact coefficient arithmetic overflowed (${a[0]}/${a[1]} + ${b[0]}/${b[1]}); use smaller numbers`);
  }
  return rat(p + q, (a[1] / g) * b[1]);
};
export const mulR = (a: Rat, b: Rat): Rat => {
  const g1 = gcd(a[0], b[1]) || 1, g2 = gcd(b[0], a[1]) || 1;
  return rat((a[0] / g1) * (b[0] / g2), (a[1] / g2) * (b[1] / g1));
};
export const negR = (a: Rat): Rat => [-a[0], a[1]];
export const toNumber = (a: Rat): number => a[0] / a[1];

/** The exact rational value of a finite double written in decimal (0.3 ↦ 3/10, 1e-3 ↦ 1/1000). */
export function fromNumber(v: number): Rat {
  if (!Number.isFinite(v)) throw new UserError(`non-finite number ${v}`);
  if (Number.isInteger(v)) return rat(v);
  const s = String(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new UserError(`cannot represent ${v} exactly`);
  const frac = m[3] ?? '';
  let exp = Number(m[4] ?? 0) - frac.length;
  let num = Number(`${m[2]}${frac}`);
  let den = 1;
  while (exp > 0) { num *= 10; exp--; }
  while (exp < 0) { den *= 10; exp++; }
  return rat(m[1] ? -num : num, den);
}

/** '3/2', '-1', '0'. */
export function ratText(a: Rat): string {
  return a[1] === 1 ? `${a[0]}` : `${a[0]}/${a[1]}`;
}
