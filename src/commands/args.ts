/**
 * Parsers for CLI option values shared by every command (depth ladders, numbers, lists): one
 * place, so every command accepts the same syntax and rejects bad input with the same message.
 */
import { doublings, validateDepths } from '../experiments/defaults.ts';
import { quote, UserError } from '../util/errors.ts';
import { fmtCount } from './budget.ts';
import { DEFAULT_SEED } from '../util/prng.ts';

/** A finite number from text, else a UserError naming the option. */
export function finiteNumber(text: string, what: string): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new UserError(`${what}: ${quote(text)} is not a finite number`);
  return v;
}

/** An integer (a seed) from text, else a UserError naming the option. */
export function integer(text: string, what: string): number {
  const v = finiteNumber(text, what);
  if (!Number.isInteger(v)) throw new UserError(`${what} must be an integer, got ${quote(text)}`);
  return v;
}

/** An integer min … max from text (surrounding blanks allowed), else a UserError naming the option and the range. */
export function integerIn(text: string, what: string, min: number, max: number): number {
  const v = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || v < min || v > max) throw new UserError(`${what} must be an integer ${min} … ${max}, got ${quote(text)}`);
  return v;
}

/**
 * A PRNG seed: an integer 0 … 2³² − 1. makeRng keeps 32 bits of its seed, so a larger or
 * negative one would silently give another seed's numbers.
 */
export function seedOf(text: string | undefined, what = '--seed'): number {
  if (text === undefined) return DEFAULT_SEED;
  const v = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(v <= 0xffffffff)) throw new UserError(`${what} must be an integer 0 … 4294967295 (the PRNG keeps 32 bits), got ${quote(text)}`);
  return v;
}

/**
 * A seed given to the API (a number, not text), by the rule of `seedOf`: -1 or 2³² would
 * otherwise run as seed 4294967295 or 0 while the record names the one given. Undefined: the default.
 */
export function seedOption(v: unknown, what = 'seed'): number {
  if (v === undefined) return DEFAULT_SEED;
  if (typeof v !== 'number') throw new UserError(`${what} must be a number, got ${typeof v === 'string' ? `'${v.slice(0, 40)}'` : v === null ? 'null' : typeof v}`);
  return seedOf(String(v), what);
}

/**
 * An empty or blank option value is an error, never "all" or "ignored" (`--only ""` would run
 * every claim, `--out ""` write nowhere in particular): checked once for every command, npm
 * start and npm run notebook, right after the options are parsed. So are empty positionals.
 */
export function rejectEmptyValues(values: Readonly<Record<string, unknown>>, positionals: readonly string[] = []): void {
  for (const [k, v] of Object.entries(values)) {
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s === 'string' && s.trim() === '') throw new UserError(`--${k}: empty value (give a value or leave the option out)`);
    }
  }
  if (positionals.some((p) => p.trim() === '')) throw new UserError('an empty argument (give a file name)');
}

/**
 * A value option given twice is an error (`--only C12 --only C13` ran C13 alone, `--seed 1
 * --seed 2` used 2: the parser keeps the last value without a word). `tokens` are parseArgs'
 * (`tokens: true`); flags may repeat, options declared `multiple` may too.
 */
export function rejectRepeatedOptions(
  tokens: readonly { kind: string; name?: string; value?: string | undefined }[] | undefined,
  options: Readonly<Record<string, { multiple?: boolean }>> = {},
): void {
  const seen = new Set<string>();
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || t.name === undefined || typeof t.value !== 'string' || options[t.name]?.multiple) continue;
    if (seen.has(t.name)) throw new UserError(`--${t.name} is given twice (give it once)`);
    seen.add(t.name);
  }
}

/**
 * "4..65536" (doubling from 4 up to 65536) or an explicit list "4,8,16". Each command bounds the
 * finest depth by its memory and time estimate (./budget.ts); here only exact integers pass
 * (a 400-digit end is Infinity, and doubling up to it never stops).
 */
export function parseDepths(text: string): number[] {
  const t = text.trim();
  if (t === '') throw new UserError('--depths: the list is empty');
  const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(t);
  let depths: number[];
  if (range) {
    const a = Number(range[1]), b = Number(range[2]);
    for (const n of [a, b]) if (!Number.isSafeInteger(n)) throw new UserError(`--depths: ${fmtCount(n)} is too large (not an exact integer)`);
    if (a <= 0) throw new UserError(`--depths: depth must be a positive integer, got ${a}`);
    if (b < a) throw new UserError(`--depths: empty range ${t} (the end is below the start)`);
    depths = doublings(a, b);
  } else {
    depths = t.split(',').map((s) => {
      const u = s.trim();
      if (!/^[+-]?\d+$/.test(u)) throw new UserError(`--depths: ${quote(u)} is not an integer (give e.g. 4,8,16 or 4..65536)`);
      return Number(u);
    });
  }
  const bad = depths.find((n) => n <= 0);
  if (bad !== undefined) throw new UserError(`--depths: depth must be a positive integer, got ${bad}`);
  const huge = depths.find((n) => !Number.isSafeInteger(n));
  if (huge !== undefined) throw new UserError(`--depths: ${fmtCount(huge)} is too large (not an exact integer)`);
  try {
    return validateDepths(depths);
  } catch (e) {
    throw new UserError(`--${(e as Error).message}`);
  }
}

/**
 * The depths an API call takes: text as `parseDepths` reads it, or a list of increasing positive
 * integers, checked before the budget (a NaN in a list used to reach it and read "--depths up to
 * NaN needs ; at most 0"); anything else (a bare number) is a UserError, not a TypeError.
 */
export function depthList(v: unknown, fallback: string): number[] {
  if (v === undefined) return parseDepths(fallback);
  if (typeof v === 'string') return parseDepths(v);
  if (!Array.isArray(v)) throw new UserError(`depths: give a list of increasing depths or text such as '4..256', got ${typeof v} ${quote(String(v))}`);
  return validateDepths(v);
}

/** Entries separated by ',' or ';' (rows of a matrix by ';'), trimmed, none empty. */
export function parseList(text: string, what: string): string[] {
  const items = text.split(/[;,]/).map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new UserError(`${what}: empty entry in ${quote(text)}`);
  return items;
}

/** "gamma=0.5,c=2" → { gamma: 0.5, c: 2 }. */
export function parseConstants(text: string | undefined): Record<string, number> {
  // no prototype: a constant named 'constructor' or '__proto__' is an ordinary key, and a
  // lookup of an undeclared name finds nothing
  const out: Record<string, number> = Object.create(null);
  if (!text) return out;
  for (const part of parseList(text, '--const')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(part);
    if (!m) throw new UserError(`--const: ${quote(part)} is not name=value`);
    if (Object.hasOwn(out, m[1]!)) throw new UserError(`--const: ${m[1]} is given twice`);
    out[m[1]!] = finiteNumber(m[2]!, `--const ${m[1]}`);
  }
  return out;
}

