/**
 * Errors a user can cause (bad text, wrong dimensions, a depth of 0, a missing file).
 * The CLI prints `error: <message>` on one line and exits with code 2; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** A positive integer (a depth, a step count, an order), else a UserError. */
export function positiveInt(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : (v as number);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new UserError(`${what} must be a positive integer, got ${String(v)}`);
  }
  return n;
}
