/**
 * Errors a user can cause (bad text, wrong dimensions, a depth of 0, a missing file).
 * The CLI prints `error: <message>` on one line and exits with code 2; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Throw a UserError unless `cond` holds. */
export function require_(cond: unknown, message: string): asserts cond {
  if (!cond) throw new UserError(message);
}

/** Every entry finite, else a UserError naming `what` and the first bad index. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new UserError(`${what}: non-finite value ${v} at index ${i}`);
  }
}

/** A positive integer (a depth, a step count, an order), else a UserError. */
export function positiveInt(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : (v as number);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new UserError(`${what} must be a positive integer, got ${String(v)}`);
  }
  return n;
}
