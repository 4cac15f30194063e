/**
 * Errors a user can cause (bad text, wrong dimensions, a depth of 0, a missing file).
 * The CLI prints `error: <message>` on one line and exits with code 2; anything else is a bug.
 *
 * Every function of the public API throws this one class, with a one-line message, for input
 * it refuses; any other exception is a bug in depthlimit.
 *
 * @example
 * ```ts
 * import { derive, UserError } from 'depthlimit';
 * try {
 *   derive({ layer: 'ff', g: 'tanh(z)' }, { order: 0 });
 * } catch (e) {
 *   console.log(e instanceof UserError, e.message);
 * }
 * //> true --order must be a positive integer, got 0
 * ```
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** The first non-empty line of `text`, trimmed, or undefined (what was thrown, for a one-line report). */
export const firstLineOf = (text: string): string | undefined => text.split('\n').map((l) => l.trim()).find((l) => l !== '');

/**
 * User text as it appears in a one-line error message: control characters (newlines) as
 * spaces, and at most `max` characters of it (head…tail, with the full length), so a 20 kB
 * expression never floods the terminal. Every message that quotes user input uses this.
 */
export function quote(text: string, max = 80): string {
  const flat = String(text).replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (flat.length <= max) return `"${flat}"`;
  const tail = Math.min(20, Math.floor(max / 4));
  return `"${flat.slice(0, max - tail - 1)}…${flat.slice(-tail)}" (${flat.length} characters)`;
}

/** The first entry of `list` that occurs again earlier in it (a name given twice), or undefined. */
export const firstRepeated = <T>(list: readonly T[]): T | undefined => list.find((v, i) => list.indexOf(v) !== i);

/**
 * Names a user may choose from, for a one-line message: as many as fit in `max` characters, then
 * how many there are in all (the 30 figure names made a 640-character line).
 */
export function someOf(names: readonly string[], max = 120): string {
  let text = '';
  for (const [i, n] of names.entries()) {
    const next = text ? `${text}, ${n}` : n;
    if (next.length > max) return `${text}, … (${names.length} in all)`.replace(/^, /, '');
    text = next;
    if (i === names.length - 1) return text;
  }
  return text;
}

/** A positive integer (a depth, a step count, an order), else a UserError. */
export function positiveInt(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : (v as number);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new UserError(`${what} must be a positive integer, got ${String(v)}`);
  }
  return n;
}
