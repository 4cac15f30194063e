/**
 * `derive`: the continuum limit of a layer as expression objects (src/symbolic/derive.ts does
 * the mathematics and verifies it; this module only wraps its text in Expression objects).
 */
import { derive as deriveEngine, type Derivation as EngineDerivation, type DerivationVerification } from '../symbolic/derive.ts';
import type { LayerSpec } from '../symbolic/layers.ts';
import { derivationJson, derivationText } from '../symbolic/report.ts';
import { deriveVector, type VectorForm } from '../symbolic/vector/derive-vector.ts';
import { vectorText } from '../symbolic/vector/report.ts';
import { UserError } from '../util/errors.ts';
import { seedOption } from '../commands/args.ts';
import { vectorExpression, type VectorExpression } from './expression.ts';
import { checkKeys, layerSpecOf, type DeriveSpec } from './spec.ts';

export type { DeriveSpec, DerivationVerification, VectorForm };

/** Options of {@link derive}. */
export interface DeriveOptions {
  /** Order k ≥ 1 of the Taylor coefficients and of the modified equation (default 2). */
  order?: number;
  /** Seed of the randomised verification: an integer 0 … 2^32 − 1 (default 20191029). */
  seed?: number;
  /**
   * Also the vector form, valid for every d (FF and residual layers: A, β, elementwise g^{(j)},
   * ⊙) and f_k through elementary differentials of F_1, F_2, … (any map), checked exactly
   * against the componentwise result (default false).
   */
  vector?: boolean;
  /** Time budget in seconds (default 600): a job whose cost estimate exceeds it is refused before any work. */
  budgetSeconds?: number;
}

/** The continuum limit of one layer, as expression objects. */
export interface Derivation {
  /** The layer as derived, with its order. */
  readonly spec: LayerSpec & { order: number };
  readonly title: string;
  /** The layer in one line of text. */
  readonly description: string;
  /** Dimension d. */
  readonly d: number;
  readonly order: number;
  /** x (d = 1) or x1 … xd: the state, bound to `x[0]`, `x[1]`, … of compiled functions. */
  readonly stateVars: readonly string[];
  /** Symbolic constants of the layer (a11, b1, gamma, …): give them values to compile. */
  readonly params: readonly string[];
  readonly timeDependent: boolean;
  /** g was 'generic': expressions hold its jets g0_1 = g(x1), g1_1 = g′(x1), … and cannot be compiled. */
  readonly generic: boolean;
  /** The layer map Φ_ε (its parameters include the step `eps`). */
  readonly map: VectorExpression;
  /** Taylor coefficients [F_1, …, F_k] of Φ_ε = x + ε F_1 + ε² F_2 + …; index j is F_{j+1}. */
  readonly coefficients: readonly VectorExpression[];
  /** The continuum limit: the right-hand side of dx/dt = F_1(x, t). */
  readonly ode: VectorExpression;
  /** The modified equation's terms [f_1, …, f_k]: the time-ε flow of f_1 + ε f_2 + … equals Φ_ε to O(ε^{k+1}). */
  readonly modified: readonly VectorExpression[];
  /** Whole display equations (KaTeX-clean): the map, each F_j, the ODE, the modified equation. */
  readonly tex: { readonly map: string; readonly coefficients: readonly string[]; readonly ode: string; readonly modified: string };
  /** The verdict of the two-route verification and the numeric ladders, run on every derive. */
  readonly verification: DerivationVerification;
  /** With `options.vector`: the vector form and the tree form, and their exact check at this d. */
  readonly vector?: VectorForm;
  /** The plain-text report, as `depthlimit derive` prints it. */
  toText(): string;
  /** The JSON of `depthlimit derive --json`. */
  toJSON(): unknown;
}

const engineOf = new WeakMap<Derivation, EngineDerivation>();

/** The engine's derivation behind an API derivation (for the api modules that run it). */
export function engineDerivation(dv: Derivation): EngineDerivation {
  const e = engineOf.get(dv);
  if (!e) throw new UserError('not a derivation made by derive()');
  return e;
}

/**
 * Derive the continuum limit, the Taylor coefficients and the modified equation of a layer.
 *
 * For the map Φ_ε(x, t) of one layer, write Φ_ε = x + ε F_1 + ε² F_2 + … + ε^k F_k + O(ε^{k+1}).
 * N = T/ε layers approach the ODE dx/dt = F_1(x, t) (the continuum limit), and they follow the
 * modified equation dx/dt = f_1 + ε f_2 + … + ε^{k−1} f_k more closely: its time-ε flow equals
 * Φ_ε to O(ε^{k+1}). Layers (the text of `depthlimit derive`):
 * - `ff`: Ruseckas' near-identity layer x⁺ = σ_ε((I + εA)x + εβ), σ_ε(z) = z + ε g(z)
 *   (g an expression in z, or 'generic' for its jets), so F_1 = Ax + β + g(x);
 * - `residual`: x⁺ = x + ε act(Ax + b);
 * - `map`: any Φ_ε, components separated by ';', in x1…xd (x when d = 1), eps and t.
 *
 * Every result is verified as it is made: a second engine (mathjs repeated differentiation) at
 * seeded random points, the flow of f_ε by elementary differentials (exact), and ε-ladders
 * of slope k+1; the verdict is in `verification.verdict` ('proved', 'refuted' or 'unknown'); a route cut
 * short by its cost at high order is listed in `verification.skipped`.
 *
 * Arguments:
 * - `spec`: the layer ({@link DeriveSpec}).
 * - `options.order`: k ≥ 1 (default 2); any k and d whose cost estimate fits
 *   `options.budgetSeconds` (default 600) and the memory budget; `options.seed`: seed of the
 *   verification; `options.vector`: also the vector form (see {@link DeriveOptions}).
 *
 * Returns: a {@link Derivation} of expression objects.
 *
 * Throws: UserError on malformed text, unknown functions or symbols, a job over budget, a map
 * that is not near-identity (no continuum limit), or an unknown field in `spec`.
 *
 * @example
 * ```ts
 * import { derive } from 'depthlimit';
 * const dv = derive({ layer: 'ff', g: '-gamma*z^3' }, { order: 2 });
 * console.log(dv.ode.text);
 * console.log(dv.modified[1].text);
 * console.log(dv.ode.components[0].tex);
 * console.log(dv.modified[1].sympy);
 * console.log(dv.verification.verdict);
 * //> b + a*x - gamma*x^3
 * //> -(1/2)*a*b - (1/2)*a^2*x - (3/2)*b*gamma*x^2 - a*gamma*x^3 - (3/2)*gamma^2*x^5
 * //> b + a x - \gamma x^{3}
 * //> Matrix([-(1/2)*a*b - (1/2)*a**2*x - (3/2)*b*Symbol('gamma')*x**2 - a*Symbol('gamma')*x**3 - (3/2)*Symbol('gamma')**2*x**5])
 * //> proved
 * ```
 *
 * @example
 * ```ts
 * import { derive } from 'depthlimit';
 * // the vector form, valid for every d, checked exactly against the componentwise result at d = 2
 * const dv = derive({ layer: 'ff', g: 'generic', dim: 2 }, { order: 2, vector: true });
 * const v = dv.vector!;
 * console.log(v.coefficients!.text[1]);
 * console.log(v.modified!.text[1]);
 * console.log(v.trees.text[1]);
 * console.log(v.check.agree);
 * //> g'(x) ⊙ (A x + β)
 * //> -(1/2) A(A x + β + g(x)) + (1/2) g'(x) ⊙ (A x + β - g(x))
 * //> F2 - (1/2) F1'·F1
 * //> true
 * ```
 */
export function derive(spec: DeriveSpec, options: DeriveOptions = {}): Derivation {
  if (options === null || typeof options !== 'object') throw new UserError('derive options must be an object such as { order: 2 }');
  checkKeys(options, ['order', 'seed', 'vector', 'budgetSeconds'], 'derive options');
  if (options.vector !== undefined && typeof options.vector !== 'boolean') throw new UserError(`derive options: vector must be true or false, got ${typeof options.vector}`);
  const layer = layerSpecOf(spec);
  const order = options.order ?? 2;
  if (options.seed !== undefined) seedOption(options.seed, '--seed');
  if (options.budgetSeconds !== undefined && !(options.budgetSeconds > 0)) throw new UserError(`--budget-seconds must be a positive number, got ${options.budgetSeconds}`);
  const e = deriveEngine(layer, order, { ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}) });
  return wrapDerivation(e, options.vector ? deriveVector(layer, order) : undefined);
}

/** Expression objects around an engine derivation. */
export function wrapDerivation(e: EngineDerivation, vector?: VectorForm): Derivation {
  const ctx = { state: e.stateVars, ownerParams: e.params, generic: e.generic };
  const coefficients = e.coefficients.slice(1).map((v, j) => vectorExpression(v, ctx, e.tex.coefficients[j]));
  const dv: Derivation = {
    spec: e.spec, title: e.title, description: e.description, d: e.d, order: e.order,
    stateVars: e.stateVars, params: e.params, timeDependent: e.timeDependent, generic: e.generic,
    map: vectorExpression(e.map, { ...ctx, ownerParams: [...e.params, 'eps'] }),
    coefficients,
    ode: coefficients[0]!,
    modified: e.modified.map((v) => vectorExpression(v, ctx)),
    tex: e.tex,
    verification: e.verification,
    ...(vector ? { vector } : {}),
    toText: () => derivationText(e) + (vector ? vectorText(vector) : ''),
    toJSON: () => (vector ? { ...(derivationJson(e) as object), vector } : derivationJson(e)),
  };
  engineOf.set(dv, e);
  return dv;
}
