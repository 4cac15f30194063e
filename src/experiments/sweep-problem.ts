/**
 * A depth-sweep problem given as text, compiled once: Ruseckas' proposed ODE
 *     dx/dt = F(x, t) = A(t) x + β(t) + g(x)      (g elementwise, g(z) in the symbol z)
 * with the parameter functions A(t) (d×d, row-major), β(t) (d) and named constants, or a
 * general layer map x⁺ = Φ(x, t, eps) given componentwise in x1…xd, t and eps (= Δt).
 *
 * The continuum limit and the modified equation come from the ε-series of the layer map
 * (the symbolic engine's `derive`): Φ = x + ε f₁ + ε² f₂ + O(ε³), so the net follows, to
 * O(ε²) per unit time, the flow of
 *     F̃_ε = f₁ + ε [f₂ − ½ (∂_x f₁ · f₁ + ∂_t f₁)]
 * (t is carried as a state with ṫ = 1, so the non-autonomous term ∂_t f₁ appears).
 */
import { customActivation, type Activation } from '../numeric/activations.ts';
import { compileField, compileScalar, compileVectorField } from '../symbolic/compile.ts';
import { derive } from '../symbolic/derive.ts';
import { stateVarsOf } from '../symbolic/layers.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { parseExpression } from '../symbolic/parse.ts';
import { derivativeText, substituteText } from '../symbolic/series.ts';
import type { Field } from '../numeric/types.ts';
import type { ParamField } from '../numeric/schemes/types.ts';
import { UserError } from '../util/errors.ts';
import { userField } from './user-field.ts';

export interface ProblemText {
  /** Elementwise nonlinearity g(z) of the proposed ODE (with A and beta). */
  g?: string;
  /** A(t): d² entries, row-major, in t and the constants. */
  A?: readonly string[];
  /** β(t): d entries. */
  beta?: readonly string[];
  /** A general layer map Φ(x, t, eps), componentwise (instead of g/A/beta). */
  map?: readonly string[];
  /** A vector field F(x, t) componentwise, to be discretised by a Runge–Kutta scheme (instead of g/A/beta or map). */
  field?: readonly string[];
  constants?: Record<string, number>;
  x0: readonly number[];
  T: number;
}

export interface CompiledProblem {
  d: number;
  x0: Float64Array;
  T: number;
  stateVars: string[];
  constants: Record<string, number>;
  /** f₁: the continuum limit (the ODE), from the layer map's ε-series. */
  ode: Field;
  /** f₂ − ½(∂_x f₁ f₁ + ∂_t f₁): the O(ε) correction of the modified equation. */
  correction: Field;
  /** The layer map x⁺ = Φ(x, t, eps) itself (compiled), for map-defined nets. */
  layer: (t: number, eps: number, x: Float64Array, out: Float64Array) => void;
  /** For g/A/beta problems: θ(t) = (A(t) row-major, β(t)) in the scheme parameter layout, and g as an activation. */
  theta?: (t: number, out: Float64Array) => void;
  g?: Activation;
  /** For g/A/beta problems: the text of A(t) (row-major; default 0), β(t) (default 0) and g(z). */
  parameterText?: { A: string[]; beta: string[]; g: string };
  /** For field problems: F as a parameter-free ParamField (with its exact Jacobian), for the Runge–Kutta schemes. */
  field?: ParamField;
  /** Text of f₁, f₂ and the correction (for reports). */
  text: { f1: string[]; f2: string[]; correction: string[]; map: string[] };
  /** The symbolic engine's own two-route verdict on the series and modified equation. */
  verification: 'proved' | 'refuted' | 'unknown';
}

/** F̃_ε(t, x) = f₁ + ε·correction, writing into out (one scratch vector, made once). */
export function modifiedField(p: CompiledProblem, eps: number): Field {
  const tmp = new Float64Array(p.d);
  return (t, x, out) => {
    p.ode(t, x, out);
    p.correction(t, x, tmp);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + eps * tmp[i]!;
  };
}

/**
 * Compiled problems by their text, this process's: a notebook sweeps one problem under many
 * schemes and targets (convergence: 11 sweeps of the C12 problem), and each compile runs the
 * symbolic engine again (ε-series, modified equation, its two-route verification: ≈ 0.07 s).
 * A compiled problem is a pure function of its text and the layer (`derive` is seeded), and
 * nothing writes to it, so the same object is handed out again. Failures are not stored.
 */
const compiled = new Map<string, CompiledProblem>();
const COMPILED_KEPT = 32;

/** The memo's key: exactly what `compileProblemText` reads (−0 kept apart from 0, JSON would merge them). */
function problemKey(p: ProblemText, layer: 'ff' | 'euler' | undefined): string {
  return JSON.stringify([p.g, p.A, p.beta, p.map, p.field, p.constants, p.x0, p.T, layer ?? 'ff'],
    (_, v: unknown) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v));
}

/** Parse, validate and compile a problem (memoised, see `compiled`). UserError on bad text, dimensions or non-finite numbers. */
export function compileProblem(p: ProblemText, opts: { layer?: 'ff' | 'euler' } = {}): CompiledProblem {
  const key = problemKey(p, opts.layer);
  let r = compiled.get(key);
  if (!r) {
    r = compileProblemText(p, opts);
    if (compiled.size >= COMPILED_KEPT) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, r);
  }
  return r;
}

/** `compileProblem` without the memo: every call compiles (bench/sweep.ts times this). */
export function compileProblemText(p: ProblemText, opts: { layer?: 'ff' | 'euler' } = {}): CompiledProblem {
  const d = p.x0.length;
  if (d === 0) throw new UserError('x0: the initial state is empty');
  p.x0.forEach((v, i) => { if (!Number.isFinite(v)) throw new UserError(`x0: component ${i + 1} is not finite (${v})`); });
  if (!Number.isFinite(p.T) || p.T <= 0) throw new UserError(`T must be a positive finite number, got ${p.T}`);
  const constants = { ...(p.constants ?? {}) };
  for (const [k, v] of Object.entries(constants)) {
    if (!Number.isFinite(v)) throw new UserError(`constant ${k} is not finite (${v})`);
    if (/^(x\d*|t|eps|z|pi|e)$/.test(k)) throw new UserError(`constant name ${k} clashes with a variable or constant (x1…xd, t, eps, z, pi, e)`);
  }
  const consts = Object.keys(constants);
  const xs = stateVarsOf(d);   // x1 … xd (x when d = 1), as `depthlimit derive` names them
  let map: string[];
  let theta: CompiledProblem['theta'];
  let g: Activation | undefined;
  let field: ParamField | undefined;
  let paramText: CompiledProblem['parameterText'];
  if (p.field) {
    if (p.map || p.g !== undefined || p.A !== undefined || p.beta !== undefined) throw new UserError('give one of --field, --map or --g/--A/--beta');
    if (p.field.length !== d) throw new UserError(`--field has ${p.field.length} components but x0 has ${d}`);
    field = userField(p.field, { constants, what: '--field' }).field;
    // Its Euler layer x⁺ = x + ε F: the series gives f₁ = F and Euler's modified equation.
    map = xs.map((xi, i) => `${xi} + eps*(${p.field![i]})`);
  } else if (p.map) {
    if (p.g !== undefined || p.A !== undefined || p.beta !== undefined) throw new UserError('give either --map or --g/--A/--beta, not both');
    if (p.map.length !== d) throw new UserError(`--map has ${p.map.length} components but x0 has ${d}`);
    p.map.forEach((c, i) => parseExpression(c, { symbols: [...xs, 't', 'eps', ...consts], what: `--map component ${i + 1}` }));
    map = [...p.map];
  } else {
    if (p.g === undefined) throw new UserError('give --g (with --A, --beta) or --map');
    const A = p.A ?? Array.from({ length: d * d }, () => '0');
    const beta = p.beta ?? Array.from({ length: d }, () => '0');
    if (A.length !== d * d) throw new UserError(`--A has ${A.length} entries; a ${d}×${d} matrix needs ${d * d} (row-major)`);
    if (beta.length !== d) throw new UserError(`--beta has ${beta.length} entries but x0 has ${d}`);
    parseExpression(p.g, { symbols: ['z', ...consts], what: '--g' });
    A.forEach((c, i) => parseExpression(c, { symbols: ['t', ...consts], what: `--A entry ${i + 1}` }));
    beta.forEach((c, i) => parseExpression(c, { symbols: ['t', ...consts], what: `--beta entry ${i + 1}` }));
    // The FF layer x⁺ = z + ε g(z), z = x + ε(A x + β) (Ruseckas slides 15–16), or the Euler
    // layer x⁺ = x + ε(A x + β + g(x)), as text: its ε-series gives f₁ and f₂.
    map = xs.map((xi, i) => {
      const lin = [...xs.map((xj, j) => `(${A[i * d + j]})*${xj}`), `(${beta[i]})`].join(' + ');
      if (opts.layer === 'euler') return `${xi} + eps*(${lin} + ${substituteSymbol(p.g!, 'z', xi)})`;
      const z = `(${xi} + eps*(${lin}))`;
      return `${z} + eps*(${substituteSymbol(p.g!, 'z', z)})`;
    });
    paramText = { A: [...A], beta: [...beta], g: p.g };
    const thetaFn = compileField([...A, ...beta], ['t', ...consts]);
    const tArgs = new Float64Array(1 + consts.length);
    consts.forEach((k, i) => { tArgs[1 + i] = constants[k]!; });
    theta = (t, out) => { tArgs[0] = t; thetaFn(tArgs, out); };
    const gArgs = new Float64Array(1 + consts.length);
    consts.forEach((k, i) => { gArgs[1 + i] = constants[k]!; });
    const gFn = compileScalar(p.g, ['z', ...consts]);
    const dgFn = compileScalar(derivativeText(p.g, 'z', '--g'), ['z', ...consts]);
    g = customActivation(p.g, (z) => { gArgs[0] = z; return gFn(gArgs); }, (z) => { gArgs[0] = z; return dgFn(gArgs); });
  }
  // ε-series and modified equation by the symbolic engine (derive: power-series route,
  // verified by a second route and seeded numerics); it rejects maps that are not near-identity.
  const dv = derive({ layer: 'map', dim: d, map: map.join('; ') }, 2, { seed: DEFAULT_SEED });
  if (dv.verification.verdict === 'refuted') throw new Error(`derive refuted its own modified equation for ${map.join('; ')}`);
  for (const k of dv.params) if (!(k in constants)) throw new UserError(`no value for the constant ${k} (give it with --const ${k}=...)`);
  const f1 = dv.ode, f2 = dv.coefficients[2]!, correction = dv.modified[1]!;
  const ode = compileVectorField(f1, xs, 't', constants);
  const corr = compileVectorField(correction, xs, 't', constants);
  const epsIdx = d + 1;
  const layerFn = compileField(map, [...xs, 't', 'eps', ...consts]);
  const args = new Float64Array(xs.length + 2 + consts.length);
  consts.forEach((k, i) => { args[epsIdx + 1 + i] = constants[k]!; });
  const layer = (t: number, eps: number, x: Float64Array, out: Float64Array) => {
    for (let i = 0; i < d; i++) args[i] = x[i]!;
    args[d] = t;
    args[epsIdx] = eps;
    layerFn(args, out);
  };
  const result: CompiledProblem = {
    d, x0: Float64Array.from(p.x0), T: p.T, stateVars: xs, constants, ode, correction: corr, layer,
    text: { f1, f2, correction, map }, verification: dv.verification.verdict,
  };
  if (theta) result.theta = theta;
  if (paramText) result.parameterText = paramText;
  if (g) result.g = g;
  if (field) result.field = field;
  return result;
}

/** Replace every occurrence of the symbol `name` in `expr` by `(by)`, in the parsed tree (`2z` has no word boundary). */
export function substituteSymbol(expr: string, name: string, by: string): string {
  return substituteText(expr, name, by);
}
