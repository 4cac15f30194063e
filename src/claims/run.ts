/**
 * The one claim runner, for the built-in registry and a researcher's own claims alike. A claim
 * is in good standing only when its check holds and its negative control fails *as a
 * measurement*: a check or control that throws, or returns something that is not evidence, has
 * crashed. A crash is its own outcome (with the first line of the error), never a failure that
 * could pass for a working control. Light module: no mathematics is imported here.
 */
import { seedOption } from '../commands/args.ts';
import { firstLineOf, quote, UserError } from '../util/errors.ts';
import { fmt, oneLine } from '../util/format.ts';
import { claimKey, type Claim, type ClaimContext, type Evidence, type Mode } from './types.ts';

/** A check or control that threw, or returned no evidence: it measured nothing. */
export interface Crash {
  verdict: 'crashed';
  /** The first line of the error, e.g. `TypeError: x is not a function`. */
  error: string;
}

/** What the runner records for a check or a control: its evidence, or a crash. */
export type Outcome = Evidence | Crash;

/** One claim run: the check's outcome and the negative control's. */
export interface ClaimResult {
  key: string;
  claim: Claim;
  evidence: Outcome;
  control: Outcome;
  /** Wall-clock seconds of check + control: for the terminal, `claims --json` and
   *  out/timings.json, never for saved results (those are the same on every run). */
  seconds: number;
}

/** Options of {@link runClaims} (and of `claimTests`). */
export interface RunOptions {
  /** 'quick' (test-suite sizes, the default) or 'full' (figure-quality sizes). */
  mode?: Mode;
  /** Seed passed to every check: an integer 0 … 2^32 − 1 (default 20191029, the project's DEFAULT_SEED). */
  seed?: number;
  /** Run only these claims: ids or keys (`C12`, `C12/symbolic`), case-insensitive; a string is split at commas. */
  only?: string | readonly string[];
  /** Called before each claim (no `result`) and after it (with its `result`). */
  onProgress?: (event: { key: string; index: number; total: number; result?: ClaimResult }) => void;
}

const VERDICTS: readonly string[] = ['holds', 'fails', 'inconclusive'];
const MAX_ERROR = 200;

const shown = (v: unknown): string => (typeof v === 'string' ? `'${v.slice(0, 40)}'` : v === null ? 'null' : typeof v);

/** Why a check's return value is not evidence, or undefined when it is. */
function notEvidence(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return `returned ${shown(v)}, not evidence`;
  const e = v as Record<string, unknown>;
  if (!VERDICTS.includes(e['verdict'] as string)) return `returned verdict ${shown(e['verdict'])} (evidence says 'holds', 'fails' or 'inconclusive')`;
  for (const k of ['measured', 'expected']) {
    if (typeof e[k] !== 'number' && typeof e[k] !== 'string') return `returned evidence without '${k}' (a number or a string)`;
  }
  // NaN compares false with everything, so a broken control "fails" on it; and saved JSON
  // (report.json, --json) would show null. A measurement that blew up says so in words.
  for (const k of ['measured', 'expected', 'tolerance']) {
    if (typeof e[k] === 'number' && !Number.isFinite(e[k])) return `returned ${k} ${e[k]} (not a measurement: give a finite number, or a string saying what happened)`;
  }
  if (typeof e['toleranceReason'] !== 'string' || e['toleranceReason'].trim() === '') {
    return "returned evidence without 'toleranceReason' (one line: why this tolerance)";
  }
  return undefined;
}

/** The first non-empty line of what was thrown, capped, e.g. `RangeError: depth 0`. */
function firstLine(e: unknown): string {
  let line: string;
  try {
    if (e instanceof Error) {
      const m = firstLineOf(String(e.message));
      line = m ? `${e.name}: ${m}` : e.name;
    } else {
      const m = firstLineOf(String(e));
      line = `${typeof e} thrown${m ? `: ${m}` : ''}`;
    }
  } catch {
    line = `${typeof e} thrown`;
  }
  return line.length > MAX_ERROR ? `${line.slice(0, MAX_ERROR - 1)}…` : line;
}

function crash(error: string, thrown?: unknown): Crash {
  const c: Crash = { verdict: 'crashed', error };
  // The thrown value (with its stack) for a test runner to show; not enumerable, so saved
  // JSON (report.json, --json) holds only the one line and stays the same on every machine.
  if (thrown !== undefined) Object.defineProperty(c, 'cause', { value: thrown, enumerable: false });
  return c;
}

async function evaluate(check: (ctx: ClaimContext) => Evidence | Promise<Evidence>, ctx: ClaimContext): Promise<Outcome> {
  try {
    // its own copy of the context, so a check that changes it cannot change what its control
    // or the next claim sees; and a copy of what it returned, read once, so a getter or a later
    // change cannot make the recorded verdict differ from the one validated
    const returned: unknown = await check({ ...ctx });
    const v: unknown = typeof returned === 'object' && returned !== null && !Array.isArray(returned) ? { ...returned } : returned;
    const why = notEvidence(v);
    if (why) return crash(`the check ${why}`);
    // evidence is saved as JSON (claims --json, report.json): a circular or BigInt value there
    // would crash the command that saves it, after every claim has run
    try { JSON.stringify(v); } catch (e) { return crash(`the check returned evidence that is not JSON data (${firstLine(e)})`, e); }
    return v as Evidence;
  } catch (e) {
    return crash(firstLine(e), e);
  }
}

/** One half of a claim run: its check ('evidence') or its negative control ('control'); may crash, never throws. */
export function runClaimPart(claim: Claim, part: 'evidence' | 'control', ctx: ClaimContext): Promise<Outcome> {
  return evaluate(part === 'evidence' ? claim.check : claim.negativeControl.check, ctx);
}

/** Run one claim's check and its negative control (both always run, each may crash). */
export async function runClaim(claim: Claim, ctx: ClaimContext): Promise<ClaimResult> {
  const t0 = performance.now();
  const evidence = await runClaimPart(claim, 'evidence', ctx);
  const control = await runClaimPart(claim, 'control', ctx);
  return { key: claimKey(claim), claim, evidence, control, seconds: (performance.now() - t0) / 1000 };
}

/** Why `c` cannot be run as a claim, or undefined. */
function notAClaim(c: unknown): string | undefined {
  if (typeof c !== 'object' || c === null) return `${shown(c)} is not a claim`;
  const o = c as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'] === '') return 'it has no id';
  if (typeof o['check'] !== 'function') return `claim ${o['id']} has no check function`;
  const nc = o['negativeControl'] as Record<string, unknown> | undefined;
  if (typeof nc !== 'object' || nc === null || typeof nc['check'] !== 'function') return `claim ${o['id']} has no negative control with a check function`;
  return undefined;
}

/**
 * The claims to run, in the given order: every item checked to be a runnable claim, keys
 * unique (case-insensitively, so `--only` is never ambiguous), filtered by `only`.
 */
export function selectClaims(claims: readonly Claim[], only?: string | readonly string[]): Claim[] {
  if (!Array.isArray(claims)) throw new UserError(`expected an array of claims, got ${shown(claims)}`);
  const byKey = new Map<string, Claim>();
  for (const [i, c] of claims.entries()) {
    const why = notAClaim(c);
    if (why) throw new UserError(`claim ${i + 1} of ${claims.length}: ${why} (make it with defineClaim)`);
    const k = claimKey(c).toLowerCase();
    if (byKey.has(k)) throw new UserError(`duplicate claim id ${claimKey(c)}`);
    byKey.set(k, c);
  }
  if (only === undefined) return [...claims];
  const wanted = (typeof only === 'string' ? only.split(',') : [...only]).map((s) => String(s).trim());
  if (wanted.length === 0 || wanted.some((s) => s === '')) throw new UserError(`--only: empty claim id in '${[...wanted].join(',')}'`);
  const ids = new Set(claims.map((c) => c.id.toLowerCase()));
  for (const w of wanted) {
    const l = w.toLowerCase();
    if (!ids.has(l) && !byKey.has(l)) {
      const known = claims.length <= 12 ? ` (claims: ${claims.map(claimKey).join(', ')})` : '';
      throw new UserError(`no registered claim ${quote(w)}${known}`);
    }
  }
  const pick = new Set(wanted.map((w) => w.toLowerCase()));
  return claims.filter((c) => pick.has(c.id.toLowerCase()) || pick.has(claimKey(c).toLowerCase()));
}

/** The context every check sees, validated. */
export function claimContext(options: Pick<RunOptions, 'mode' | 'seed'> = {}): ClaimContext {
  const mode = options.mode ?? 'quick';
  if (mode !== 'quick' && mode !== 'full') throw new UserError(`mode must be 'quick' or 'full', got ${shown(mode)}`);
  return { mode, seed: seedOption(options.seed) }; // the CLI's one seed rule (an integer 0 … 2^32 − 1, the PRNG's state)
}

/**
 * Run claims (built-in or made by `defineClaim`) and their negative controls, one after another.
 *
 * Each check and each control gets its own copy of `{ mode, seed }`. Its outcome is the evidence
 * it returned (verdict `holds`, `fails` or `inconclusive`), or `{ verdict: 'crashed', error }`
 * when it threw or returned something that is not evidence (a `measured`, `expected` or
 * `tolerance` that is NaN or infinite measured nothing). A claim is in good standing
 * ({@link inGoodStanding}) only when its check holds and its control fails as a measurement.
 *
 * Arguments:
 * - `claims`: the claims, each with a unique id.
 * - `options`: `mode` ('quick' default, or 'full'), `seed` (default 20191029), `only` (ids or
 *   keys, case-insensitive), `onProgress` (called before and after each claim).
 *
 * Returns: one {@link ClaimResult} per claim run, in the given order. A crash never rejects.
 *
 * Throws: `UserError` when an item is not a claim, two claims share an id, `only` names no
 * claim or is empty, or mode/seed are invalid.
 *
 * @example
 * ```ts
 * import { defineClaim, runClaims, inGoodStanding } from 'depthlimit';
 * const ev = (verdict: 'holds' | 'fails', measured: number) =>
 *   ({ verdict, measured, expected: 0, tolerance: 1e-12, toleranceReason: 'exact up to round-off' });
 * const claim = defineClaim({
 *   id: 'sum-symmetric', statement: 'a + b = b + a',
 *   check: () => ev('holds', Math.abs((0.1 + 0.2) - (0.2 + 0.1))),
 *   negativeControl: { description: 'a - b instead', check: () => ev('fails', Math.abs((0.1 - 0.2) - (0.2 - 0.1))) },
 * });
 * const [r] = await runClaims([claim], { mode: 'quick', seed: 1 });
 * console.log(r.evidence.verdict, r.control.verdict, inGoodStanding(r));
 * //> holds fails true
 * ```
 */
export async function runClaims(claims: readonly Claim[], options: RunOptions = {}): Promise<ClaimResult[]> {
  const ctx = claimContext(options);
  const chosen = selectClaims(claims, options.only);
  const results: ClaimResult[] = [];
  for (const [index, c] of chosen.entries()) {
    const key = claimKey(c);
    options.onProgress?.({ key, index, total: chosen.length });
    const result = await runClaim(c, ctx);
    results.push(result);
    options.onProgress?.({ key, index, total: chosen.length, result });
  }
  return results;
}

/**
 * Whether a claim is in good standing: its check holds and its negative control fails as a
 * measurement (a crashed control does not count).
 *
 * Arguments: `r`, a result from {@link runClaims}. Returns: `true` or `false`. Throws: nothing.
 *
 * @example
 * ```ts
 * import { defineClaim, runClaims, inGoodStanding } from 'depthlimit';
 * const claim = defineClaim({
 *   id: 'unfinished-control', statement: '1 = 1',
 *   check: () => ({ verdict: 'holds', measured: 1, expected: 1, toleranceReason: 'exact' }),
 *   negativeControl: { description: 'not written yet', check: () => { throw new Error('TODO'); } },
 * });
 * const [r] = await runClaims([claim]);
 * console.log(r.control, inGoodStanding(r));
 * //> { verdict: 'crashed', error: 'Error: TODO' } false
 * ```
 */
export function inGoodStanding(r: ClaimResult): boolean {
  return r.evidence.verdict === 'holds' && r.control.verdict === 'fails';
}

/** `crashed: TypeError: …` or `holds: measured 1.002, expected 1, tolerance 0.01`. */
export function describeOutcome(o: Outcome): string {
  if (o.verdict === 'crashed') return `crashed: ${o.error}`;
  const tol = o.tolerance === undefined ? '' : `, tolerance ${fmt(o.tolerance)}`;
  return oneLine(`${o.verdict}: measured ${fmt(o.measured)}, expected ${fmt(o.expected)}${tol}${o.detail ? ` (${o.detail})` : ''}`); // one line under the table, and a test runner's message
}

/**
 * One line saying why a claim is not in good standing (its measured-vs-expected values, or the
 * crash), or undefined when it is.
 */
export function standingProblem(r: ClaimResult): string | undefined {
  const parts: string[] = [];
  if (r.evidence.verdict !== 'holds') parts.push(`check ${describeOutcome(r.evidence)}`);
  if (r.control.verdict !== 'fails') parts.push(`negative control ${describeOutcome(r.control)} (must fail as a measurement)`);
  return parts.length ? `claim ${r.key}: ${parts.join('; ')}` : undefined;
}

/** Table cells of a check's outcome: verdict, measured, expected, tolerance (blank for a crash). */
export function outcomeCells(o: Outcome): [string, string, string, string] {
  if (o.verdict === 'crashed') return ['crashed', '', '', ''];
  return [o.verdict, fmt(o.measured), fmt(o.expected), o.tolerance === undefined ? '' : fmt(o.tolerance)];
}

/** The control's cell: `fails (good)` or, when it did not fail as a measurement, `<verdict> (BAD)`. */
export function controlCell(o: Outcome): string {
  return o.verdict === 'fails' ? 'fails (good)' : `${o.verdict} (BAD)`;
}
