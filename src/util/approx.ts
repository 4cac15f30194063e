/** One relative-ε comparison used everywhere (mathjs style). */
export const DEFAULT_RTOL = 1e-12;

export function approxEqual(a: number, b: number, rtol = DEFAULT_RTOL, atol = 0): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

/** max_i |a_i − b_i| */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Machine epsilon for float64. */
export const EPS = 2.220446049250313e-16;
