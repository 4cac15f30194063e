/**
 * `hamiltonian`: backprop as Hamiltonian mechanics for a field given as text or as an
 * expression object (src/symbolic/hamiltonian.ts derives and checks; this wraps its text).
 */
import { hamiltonianOf, hamiltonianText, type HamiltonianCheck } from '../symbolic/hamiltonian.ts';
import { UserError } from '../util/errors.ts';
import { seedOption } from '../commands/args.ts';
import { isGenericExpression, scalarExpression, vectorExpression, type Expression, type VectorExpression } from './expression.ts';
import { checkKeys } from './spec.ts';

export type { HamiltonianCheck };

/** Options of {@link hamiltonian}. */
export interface HamiltonianOptions {
  /** The parameters q to differentiate the loss by (default: every symbol but the state and t). */
  params?: readonly string[];
  /** Expected dimension (checked against the field). */
  dim?: number;
  /** Seed of the random-point Jacobian checks: an integer 0 … 2^32 − 1. */
  seed?: number;
}

/** The Hamiltonian structure of dx/dt = F(x, q, t), as expression objects. */
export interface HamiltonianDerivation {
  readonly d: number;
  /** x (d = 1) or x1 … xd. */
  readonly stateVars: readonly string[];
  /** a (d = 1) or a1 … ad: the costate (a row vector). */
  readonly costateVars: readonly string[];
  readonly params: readonly string[];
  /** F, over the state. */
  readonly field: VectorExpression;
  /** da/dt = −a ∂F/∂x, over the phase space (state x, then a). */
  readonly costate: VectorExpression;
  /** 𝓛 = a·ẋ − a·F, over (x, a, ẋ, ȧ); the velocities are named x1dot …, a1dot …. */
  readonly lagrangian: Expression;
  /** The Euler–Lagrange expressions ∂𝓛/∂x − d/dt ∂𝓛/∂ẋ and ∂𝓛/∂a − d/dt ∂𝓛/∂ȧ (zero on solutions). */
  readonly eulerLagrange: { readonly x: VectorExpression; readonly a: VectorExpression };
  /** H = a·F, over (x, a). */
  readonly hamiltonian: Expression;
  /** Hamilton's equations ẋ = ∂H/∂a, ȧ = −∂H/∂x, over (x, a). */
  readonly hamilton: { readonly xdot: VectorExpression; readonly adot: VectorExpression };
  /** δL/δq = a ∂F/∂q for each parameter q, over (x, a). */
  readonly gradient: Readonly<Record<string, Expression>>;
  /** Σ ∂ẋ_i/∂x_i + Σ ∂ȧ_i/∂a_i (zero: Liouville). */
  readonly divergence: Expression;
  /** Display equations (KaTeX-clean). */
  readonly tex: { readonly costate: string; readonly lagrangian: string; readonly hamiltonian: string; readonly hamilton: string; readonly gradient: string; readonly divergence: string };
  readonly verification: { readonly verdict: 'proved' | 'refuted' | 'unknown'; readonly checks: readonly HamiltonianCheck[]; readonly seed: number };
  /** The plain-text report, as `depthlimit hamiltonian` prints it. */
  toText(): string;
}

/**
 * The costate, Lagrangian, Hamiltonian and parameter gradient of dx/dt = F(x, q, t).
 *
 * For a loss L(x(T)) the gradient a(t) = ∂L/∂x(t) (a row vector) obeys the costate equation
 * −da/dt = a ∂F/∂x with a(T) = ∂L/∂x(T): backprop in continuous time. With 𝓛 = a·ẋ − a·F, a is
 * the momentum conjugate to x, H = a·F, ẋ = ∂H/∂a, ȧ = −∂H/∂x, and the parameter gradient is
 * δL/δq(t) = a ∂F/∂q (for a q shared by all times: ∫ a ∂F/∂q dt). The phase-space divergence is
 * 0 (Liouville). Every identity is checked exactly; ∂F/∂x also by mathjs and by central
 * differences at seeded points.
 *
 * Arguments:
 * - `field`: F as text (components separated by ';'), a list of component texts, or a
 *   VectorExpression such as `derive(...).ode`; in x1…xd (x when d = 1), t and parameters.
 * - `options`: {@link HamiltonianOptions}.
 *
 * Returns: a {@link HamiltonianDerivation}.
 *
 * Throws: UserError on malformed text, unknown or non-differentiable functions, a field from a
 * generic-g derivation (its jets are functions of x with no formula), or a dimension mismatch.
 *
 * @example
 * ```ts
 * import { hamiltonian } from 'depthlimit';
 * const h = hamiltonian('w*x + b - gamma*x^3');
 * console.log(h.costate.text);
 * console.log(h.hamiltonian.text);
 * console.log(h.gradient.w.text);
 * console.log(h.verification.verdict);
 * //> -a*w + 3*a*gamma*x^2
 * //> a*b + a*w*x - a*gamma*x^3
 * //> a*x
 * //> proved
 * ```
 */
export function hamiltonian(field: string | readonly string[] | VectorExpression, options: HamiltonianOptions = {}): HamiltonianDerivation {
  if (options === null || typeof options !== 'object') throw new UserError('hamiltonian options must be an object such as { params: ["w"] }');
  checkKeys(options, ['params', 'dim', 'seed'], 'hamiltonian options');
  let components: string[];
  if (typeof field === 'string') components = field.split(';').map((s) => s.trim()).filter((s) => s !== '');
  else if (Array.isArray(field)) components = field.map(String);
  else if (field && typeof field === 'object' && 'components' in field) {
    if (isGenericExpression(field as VectorExpression)) throw new UserError('a generic g has no formula to differentiate; derive with a concrete g');
    components = (field as VectorExpression).components.map((c) => c.text);
  } else throw new UserError('hamiltonian: the field must be text "F1; F2", a list of components or a vector expression');
  const r = hamiltonianOf(components, {
    // a string is not spread into its letters ('wb' would be the parameters w and b)
    ...(options.params !== undefined ? { params: Array.isArray(options.params) ? [...options.params] : options.params as string[] } : {}),
    ...(options.seed !== undefined ? { seed: seedOption(options.seed) } : {}),
    ...(options.dim !== undefined ? { dim: options.dim } : {}),
  });
  const xs = r.stateVars, as = r.costateVars;
  const F = vectorExpression(r.field, { state: xs });
  // every constant of F may be given a value, also where an expression lost it (b drops out of −a ∂F/∂x)
  const ownerParams = [...new Set([...F.params, ...r.params])];
  const phase = { state: [...xs, ...as], ownerParams };
  const velocities = { state: [...xs, ...as, ...xs.map((x) => `${x}dot`), ...as.map((a) => `${a}dot`)], ownerParams };
  const gradient: Record<string, Expression> = Object.create(null);
  for (const [q, g] of Object.entries(r.gradient)) gradient[q] = scalarExpression(g, phase);
  return {
    d: r.d, stateVars: xs, costateVars: as, params: r.params,
    field: F,
    costate: vectorExpression(r.costate, phase),
    lagrangian: scalarExpression(r.lagrangian, velocities),
    eulerLagrange: { x: vectorExpression(r.eulerLagrange.x, velocities), a: vectorExpression(r.eulerLagrange.a, velocities) },
    hamiltonian: scalarExpression(r.hamiltonian, phase),
    hamilton: { xdot: vectorExpression(r.hamilton.xdot, phase), adot: vectorExpression(r.hamilton.adot, phase) },
    gradient,
    divergence: scalarExpression(r.divergence, phase),
    tex: r.tex,
    verification: r.verification,
    toText: () => hamiltonianText(r),
  };
}
