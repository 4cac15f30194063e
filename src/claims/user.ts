/**
 * A researcher's own claims: `defineClaim` validates a definition and returns a Claim that the
 * one runner (./run.ts) runs exactly like a built-in one; `claimsOfModule` finds the claims a
 * loaded claim file exports. Light module: nothing heavy is imported.
 */
import { UserError } from '../util/errors.ts';
import type { Claim, ClaimContext, Evidence } from './types.ts';

/** What a researcher writes: {@link defineClaim}'s argument. */
export interface ClaimDefinition {
  /** A short identifier (1–40 of A–Z a–z 0–9 _ . -, starting with a letter or digit), unique in a run. */
  id: string;
  /** The claim, in TeX or in words. */
  statement: string;
  /** Computes the evidence: verdict, measured, expected, tolerance and its reason. */
  check: (ctx: ClaimContext) => Evidence | Promise<Evidence>;
  /** A deliberately broken variant that must make the check fail as a measurement. */
  negativeControl: {
    /** What is broken, in one line. */
    description: string;
    check: (ctx: ClaimContext) => Evidence | Promise<Evidence>;
  };
  /** A short title for tables (default: the statement). */
  title?: string;
  /** Where the claim comes from, e.g. a paper and section (default: empty). */
  source?: string;
  /** Names of figures that show the claim's evidence. */
  figures?: string[];
}

const FIELDS = ['id', 'statement', 'check', 'negativeControl', 'title', 'source', 'figures'];
const CONTROL_FIELDS = ['description', 'check'];
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/**
 * Marks a claim made by defineClaim. A registered symbol, not a WeakSet: the CLI and the
 * user's file may load two copies of this module (tsx's tsImport, or the compiled CLI next to
 * the compiled library), and both must recognise the same claims.
 */
const MADE_BY_DEFINE_CLAIM = Symbol.for('depthlimit.defineClaim');

const where = (id: unknown) => (typeof id === 'string' && id !== '' ? `defineClaim(${id.slice(0, 40)})` : 'defineClaim');

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function unknownField(o: object, known: string[], at: string): void {
  const extra = Object.keys(o).find((k) => !known.includes(k));
  if (extra !== undefined) throw new UserError(`${at}: unknown field '${extra.slice(0, 40)}' (fields: ${known.join(', ')})`);
}

/**
 * Define a claim of your own, with the same machinery as the built-in claims C1…C39: a check
 * that returns evidence, and a negative control (a deliberately broken variant) that must make
 * the check fail, so the claim cannot pass vacuously.
 *
 * A check gets `{ mode: 'quick' | 'full', seed }` and returns (or resolves to) evidence:
 * `{ verdict: 'holds' | 'fails' | 'inconclusive', measured, expected, tolerance?,
 * toleranceReason, detail?, data? }`. The runner ({@link runClaims}, `depthlimit claims --file`,
 * `claimTests`) puts the claim in good standing only when the check holds and the control
 * fails; a check or control that throws has crashed, which is never good standing.
 *
 * Arguments:
 * - `def.id`: a short identifier (1–40 characters from A–Z a–z 0–9 _ . -, first a letter or digit).
 * - `def.statement`: the claim (TeX or words), non-empty.
 * - `def.check(ctx)`: the measurement.
 * - `def.negativeControl`: `{ description, check(ctx) }`, required.
 * - `def.title`, `def.source`, `def.figures`: optional (title defaults to the statement).
 *
 * Returns: a frozen `Claim` (family `'user'`).
 *
 * Throws: `UserError` (one line) when a field is missing, of the wrong type or unknown, the id
 * is not a short identifier, or the negative control is missing.
 *
 * @example
 * ```ts
 * import { defineClaim, runClaims } from 'depthlimit';
 * // forward Euler on dx/dt = -x over [0, 1]: the error at t = 1 for n steps
 * const eulerError = (n: number, rate = 1) => Math.abs((1 - rate / n) ** n - Math.exp(-1));
 * const order = (rate: number) => Math.log2(eulerError(64, rate) / eulerError(128, rate));
 * const claim = defineClaim({
 *   id: 'euler-order', title: 'forward Euler is first order', statement: '|x_n - x(1)| = O(1/n)',
 *   check: () => {
 *     const p = order(1);
 *     return { verdict: Math.abs(p - 1) < 0.05 ? 'holds' : 'fails', measured: p, expected: 1, tolerance: 0.05,
 *       toleranceReason: 'the next error term changes the observed order by O(h) = O(1/64)' };
 *   },
 *   negativeControl: {
 *     description: 'Euler for dx/dt = -0.9x measured against exp(-1)',
 *     check: () => {
 *       const p = order(0.9);
 *       return { verdict: Math.abs(p - 1) < 0.05 ? 'holds' : 'fails', measured: p, expected: 1, tolerance: 0.05,
 *         toleranceReason: 'as the check' };
 *     },
 *   },
 * });
 * const [r] = await runClaims([claim]);
 * console.log(claim.family, r.evidence.verdict, r.control.verdict);
 * //> user holds fails
 * ```
 */
export function defineClaim(def: ClaimDefinition): Claim {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) throw new UserError('defineClaim: expected one object { id, statement, check, negativeControl }');
  const at = where(def.id);
  unknownField(def, FIELDS, at);
  if (typeof def.id !== 'string' || !ID.test(def.id)) {
    throw new UserError(`defineClaim: id must be a short identifier (1-40 of A-Z a-z 0-9 _ . -, first a letter or digit), got ${typeof def.id === 'string' ? `'${def.id.slice(0, 40)}'` : typeof def.id}`);
  }
  if (!nonEmptyString(def.statement)) throw new UserError(`${at}: statement must be a non-empty string`);
  if (typeof def.check !== 'function') throw new UserError(`${at}: check must be a function (ctx) => evidence`);
  const nc = def.negativeControl as unknown;
  if (nc === undefined || nc === null) {
    throw new UserError(`${at}: no negativeControl: every claim needs one ({ description, check }), a broken variant that must make the check fail`);
  }
  if (typeof nc !== 'object') throw new UserError(`${at}: negativeControl must be an object { description, check }`);
  unknownField(nc, CONTROL_FIELDS, `${at} negativeControl`);
  const { description, check } = nc as Partial<ClaimDefinition['negativeControl']>;
  if (!nonEmptyString(description)) throw new UserError(`${at}: negativeControl.description must say in one line what is broken`);
  if (typeof check !== 'function') throw new UserError(`${at}: negativeControl.check must be a function (ctx) => evidence`);
  for (const k of ['title', 'source'] as const) {
    if (def[k] !== undefined && typeof def[k] !== 'string') throw new UserError(`${at}: ${k} must be a string`);
  }
  if (def.figures !== undefined && !(Array.isArray(def.figures) && def.figures.every(nonEmptyString))) {
    throw new UserError(`${at}: figures must be an array of figure names`);
  }
  const claim: Claim = {
    id: def.id,
    title: nonEmptyString(def.title) ? def.title : def.statement,
    source: def.source ?? '',
    family: 'user',
    statement: def.statement,
    ...(def.figures ? { figures: Object.freeze([...def.figures]) as string[] } : {}),
    check: def.check,
    negativeControl: Object.freeze({ description, check }),
  };
  Object.defineProperty(claim, MADE_BY_DEFINE_CLAIM, { value: true });
  return Object.freeze(claim);
}

/** Whether `v` was returned by {@link defineClaim} (in this or another copy of the module). */
export function isDefinedClaim(v: unknown): v is Claim {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[MADE_BY_DEFINE_CLAIM] === true;
}

/** Looks like an attempt at a claim (so an export that is not one is an error, not ignored). */
const claimLike = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && ['check', 'negativeControl', 'statement'].some((k) => k in v);

/**
 * The claims a claim file exports, in this order: the default export (an array of claims, or
 * one claim), the named export `claims` (an array), then every other export that is a claim
 * (single-claim exports). The same claim object exported twice counts once (duplicate ids are
 * the runner's check). Every failure is one UserError line naming the file.
 */
export function claimsOfModule(mod: Record<string, unknown>, file: string): Claim[] {
  const found: Claim[] = [];
  const take = (v: unknown, name: string) => {
    if (!isDefinedClaim(v)) {
      const id = typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' ? ` (id ${(v as { id: string }).id.slice(0, 40)})` : '';
      throw new UserError(`${file}: ${name}${id} is not a claim made by defineClaim`);
    }
    if (!found.includes(v)) found.push(v);
  };
  const list = (v: unknown, name: string) => {
    if (Array.isArray(v)) v.forEach((c, i) => take(c, `${name}[${i}]`));
    else if (isDefinedClaim(v) || claimLike(v)) take(v, name);
    else throw new UserError(`${file}: ${name} must be an array of claims made by defineClaim`);
  };
  if ('default' in mod && mod['default'] !== undefined) list(mod['default'], 'the default export');
  if ('claims' in mod && mod['claims'] !== undefined) list(mod['claims'], "export 'claims'");
  for (const [name, v] of Object.entries(mod)) {
    if (name === 'default' || name === 'claims') continue;
    if (isDefinedClaim(v) || claimLike(v)) take(v, `export '${name}'`);
  }
  if (!found.length) {
    throw new UserError(`${file}: exports no claims (export default [defineClaim(...), ...], export const claims = [...], or export each claim made by defineClaim)`);
  }
  return found;
}
