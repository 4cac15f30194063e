/**
 * Gradients of a researcher's field: the discrete adjoint (backprop through an N-layer net of a
 * Runge–Kutta scheme, numeric/schemes/net.ts), the continuous costate with the Pontryagin
 * gradient (numeric/costate.ts), and the gap between them as depth grows
 * (experiments/adjoint-gap.ts). This module only builds the problem from text and unpacks
 * the results.
 */
import { adjointGap as gapExperiment, type AdjointGapResult } from '../experiments/adjoint-gap.ts';
import { userField, type UserField } from '../experiments/user-field.ts';
import { costate as solveCostate, quadraticLoss } from '../numeric/costate.ts';
import { backward, forward, makeScheme, SCHEME_NAMES, type SchemeName } from '../numeric/schemes/net.ts';
import type { Scheme } from '../numeric/schemes/types.ts';
import { UserError } from '../util/errors.ts';
import { depthList } from '../commands/args.ts';
import { adjointGapCost, backpropCost, capDepths, depthsQuantity, withinBudget } from '../commands/budget.ts';
import { isGenericExpression, type VectorExpression } from './expression.ts';
import { checkKeys } from './spec.ts';

export type { AdjointGapResult };

/** A parameter's value: one number (shared by all layers and times), a function of t, or (backprop only) one number per layer. */
export type ParameterValue = number | ((t: number) => number) | readonly number[];

/** A loss of the final state: its value and its gradient ∂L/∂x (written into `out`). */
export interface Loss {
  value(x: Float64Array): number;
  grad(x: Float64Array, out: Float64Array): void;
}

/** The problem: dx/dt = F(x, t; θ), x(0) = x0 on [0, T], a loss L(x(T)). */
export interface GradientProblem {
  /** F componentwise (text 'F1; F2', a list, or a VectorExpression such as `derive(...).ode`), in x1…xd (x when d = 1), t, θ and constants. */
  field: string | readonly string[] | VectorExpression;
  /** θ: the trainable parameters, with their values. */
  theta: Record<string, ParameterValue>;
  /** Values of the field's other symbols. */
  constants?: Record<string, number>;
  x0: readonly number[];
  /** Horizon (default 1). */
  T?: number;
  /** L = ½|x(T) − target|² … */
  target?: readonly number[];
  /** … or any loss with its gradient. */
  loss?: Loss;
}

/** Options of {@link backprop}: the net. */
export interface BackpropSpec extends GradientProblem {
  /** The layer: euler (ResNet, default), heun, midpoint or rk4 on F. */
  scheme?: Exclude<SchemeName, 'ff'>;
  /** Depth N (h = T/N). */
  N: number;
}

/** What backprop returns. */
export interface BackpropResult {
  /** x_N. */
  xN: number[];
  loss: number;
  /** p_0 = ∂L/∂x_0, the discrete costate at the input. */
  p0: number[];
  /** p_l = ∂L/∂x_l for l = 0 … N. */
  p: number[][];
  /** ∂L/∂θ_l per layer l (each layer's own copy of θ, used by all its stages). */
  perLayer: Record<string, number[]>;
  /** ∂L/∂θ for one θ shared by every layer: Σ_l perLayer[θ][l]. */
  shared: Record<string, number>;
}

/** Options of {@link costate}. */
export interface CostateSpec extends GradientProblem {
  /** Relative (and absolute) tolerance of DOPRI5 (default 1e-12). */
  rtol?: number;
}

/** What costate returns. */
export interface CostateResult {
  xT: number[];
  loss: number;
  /** a(0) = ∂L/∂x(0). */
  a0: number[];
  aT: number[];
  /** x(t) and a(t) on [0, T] (dense output). */
  x(t: number): number[];
  a(t: number): number[];
  /** δL/δθ(t) = a(t) ∂F/∂θ: the gradient density of a time-varying θ (a layer of width h carries ≈ h times it). */
  gradient(t: number): Record<string, number>;
  /** ∫_0^T a ∂F/∂θ dt: the gradient of a θ shared by all times (Pontryagin). */
  shared: Record<string, number>;
  /** H(t) = a(t)·F(t, x(t), θ(t)). */
  hamiltonian(t: number): number;
}

const PROBLEM_KEYS = ['field', 'theta', 'constants', 'x0', 'T', 'target', 'loss'];

interface Built {
  uf: UserField;
  T: number;
  x0: Float64Array;
  loss: Loss;
  names: string[];
  values: ParameterValue[];
}

function build(spec: GradientProblem, allowPerLayer: boolean): Built {
  if (spec === null || typeof spec !== 'object') throw new UserError('give an object such as { field: "w*x", theta: { w: 0.5 }, x0: [1], target: [0] }');
  const f = spec.field;
  let comps: string[];
  if (typeof f === 'string') comps = f.split(';').map((s) => s.trim());
  else if (Array.isArray(f)) comps = f.map(String);
  else if (f && typeof f === 'object' && 'components' in f) {
    if (isGenericExpression(f as VectorExpression)) throw new UserError('a generic g has no numeric value; derive with a concrete g');
    comps = (f as VectorExpression).components.map((c) => c.text);
  } else throw new UserError('field: give text "F1; F2", a list of components or a vector expression');
  if (spec.theta === null || typeof spec.theta !== 'object') throw new UserError('theta: give the parameters and their values, e.g. { w: 0.5 }');
  const names = Object.keys(spec.theta);
  const values = names.map((k) => spec.theta[k]!);
  values.forEach((v, i) => {
    if (typeof v === 'number') { if (!Number.isFinite(v)) throw new UserError(`theta.${names[i]} is not finite (${v})`); }
    else if (Array.isArray(v)) { if (!allowPerLayer) throw new UserError(`theta.${names[i]}: per-layer values need a net (backprop); give a number or a function of t`); }
    else if (typeof v !== 'function') throw new UserError(`theta.${names[i]}: give a number, a function of t${allowPerLayer ? ' or one number per layer' : ''}`);
  });
  const uf = userField(comps, { params: names, constants: spec.constants ?? {}, what: 'field' });
  if (!Array.isArray(spec.x0) || spec.x0.length !== uf.d) throw new UserError(`x0 must list ${uf.d} number(s) (the field has ${uf.d} component(s))`);
  const x0 = Float64Array.from(spec.x0.map(Number));
  if (!x0.every(Number.isFinite)) throw new UserError('x0 has a non-finite entry');
  const T = spec.T ?? 1;
  if (!(Number.isFinite(T) && T > 0)) throw new UserError(`T must be a positive number, got ${T}`);
  if ((spec.target === undefined) === (spec.loss === undefined)) throw new UserError('give exactly one of target (L = ½|x(T) − target|²) or loss');
  let loss: Loss;
  if (spec.target !== undefined) {
    if (!Array.isArray(spec.target) || spec.target.length !== uf.d || !spec.target.every((v) => Number.isFinite(v))) throw new UserError(`target must list ${uf.d} finite number(s)`);
    loss = quadraticLoss(Float64Array.from(spec.target));
  } else {
    loss = spec.loss!;
    if (typeof loss.value !== 'function' || typeof loss.grad !== 'function') throw new UserError('loss must have value(x) and grad(x, out)');
  }
  return { uf, T, x0, loss, names, values };
}

/** θ(t) into out, for parameters given as numbers or functions of t. */
function thetaOf(b: Built): (t: number, out: Float64Array) => void {
  return (t, out) => {
    b.values.forEach((v, k) => {
      const y = typeof v === 'number' ? v : (v as (t: number) => number)(t);
      if (!Number.isFinite(y)) throw new UserError(`theta.${b.names[k]}(${t}) is not finite (${y})`);
      out[k] = y;
    });
  };
}

function schemeOf(name: string | undefined, b: Built): Scheme {
  const s = name ?? 'euler';
  if (s === 'ff' || !(SCHEME_NAMES as readonly string[]).includes(s)) throw new UserError(`scheme must be euler, heun, midpoint or rk4, got '${s}'`);
  return makeScheme(s, b.uf.field);
}

/**
 * Backprop through an N-layer net: the discrete adjoint and the parameter gradients.
 *
 * The net x_{l+1} = Φ_h(t_l, x_l; θ_l) is the chosen scheme on dx/dt = F(x, t; θ), h = T/N.
 * Backprop is its exact discrete adjoint: p_N = ∂L/∂x_N, p_l = p_{l+1} ∂Φ_h/∂x_l and
 * ∂L/∂θ_l = p_{l+1} ∂Φ_h/∂θ_l (for Euler, p_l = p_{l+1}(I + h ∂F/∂x), ∂L/∂θ_l = h p_{l+1} ∂F/∂θ).
 * With per-layer parameters each layer has its own θ_l; a parameter shared by all layers has
 * the gradient Σ_l ∂L/∂θ_l, whose continuum limit is the Pontryagin integral ∫ a ∂F/∂θ dt
 * ({@link costate}).
 *
 * Arguments: {@link BackpropSpec}. A parameter's value is a number, a function of t (sampled
 * at each stage's time) or a list of N numbers (one per layer).
 *
 * Returns: a {@link BackpropResult}.
 *
 * Throws: UserError on bad text, unknown symbols, dimensions, a per-layer list of the wrong
 * length, a depth beyond the memory and time budget, or a state that becomes non-finite.
 *
 * @example
 * ```ts
 * import { backprop } from 'depthlimit';
 * // x' = w x, L = ½ x(1)²: the net is x_N = (1 + w/N)^N x_0
 * const r = backprop({ field: 'w*x', theta: { w: -0.5 }, x0: [2], target: [0], N: 4 });
 * console.log(r.xN[0].toFixed(6), r.p0[0].toFixed(6));
 * console.log(r.shared.w.toFixed(6), r.perLayer.w.length);
 * //> 1.172363 0.687218
 * //> 1.570784 4
 * ```
 */
export function backprop(spec: BackpropSpec): BackpropResult {
  checkKeys(spec, [...PROBLEM_KEYS, 'scheme', 'N'], 'backprop');
  const b = build(spec, true);
  const N = spec.N;
  if (!Number.isInteger(N) || N <= 0) throw new UserError(`N (the depth) must be a positive integer, got ${N}`);
  const scheme = schemeOf(spec.scheme, b);
  const P = b.names.length, S = scheme.stageTimes.length, d = b.uf.d, h = b.T / N;
  // the memory and time budget, before any allocation (N = 1e12 was a RangeError)
  withinBudget([{ option: 'N', value: N }], ([n]) => backpropCost(n!, d, S, P));
  b.values.forEach((v, k) => {
    if (Array.isArray(v) && v.length !== N) throw new UserError(`theta.${b.names[k]} lists ${v.length} values for N = ${N} layers`);
    if (Array.isArray(v) && !v.every((y) => Number.isFinite(y))) throw new UserError(`theta.${b.names[k]} has a non-finite entry`);
  });
  const th = new Float64Array(N * S * P);
  for (let l = 0; l < N; l++) {
    for (let s = 0; s < S; s++) {
      const t = (l + scheme.stageTimes[s]!) * h;
      b.values.forEach((v, k) => {
        const y = typeof v === 'number' ? v : Array.isArray(v) ? v[l]! : (v as (t: number) => number)(t);
        if (!Number.isFinite(y)) throw new UserError(`theta.${b.names[k]}(${t}) is not finite (${y})`);
        th[(l * S + s) * P + k] = y;
      });
    }
  }
  const xs = forward(scheme, b.x0, th, { N, T: b.T });
  const xN = xs.slice(N * d);
  const pN = new Float64Array(d);
  b.loss.grad(xN, pN);
  // as costate does: a NaN here was reported as the adjoint's "non-finite state at layer 1"
  for (let i = 0; i < d; i++) if (!Number.isFinite(pN[i]!)) throw new UserError(`backprop: ∂L/∂x_N from loss.grad is non-finite (component ${i})`);
  const { ps, gTheta } = backward(scheme, xs, th, { N, T: b.T }, pN);
  const perLayer: Record<string, number[]> = Object.create(null);
  const shared: Record<string, number> = Object.create(null);
  b.names.forEach((q, k) => {
    const g = Array.from({ length: N }, (_, l) => {
      let sum = 0;
      for (let s = 0; s < S; s++) sum += gTheta[(l * S + s) * P + k]!;
      return sum;
    });
    perLayer[q] = g;
    shared[q] = g.reduce((a, c) => a + c, 0);
  });
  return {
    xN: Array.from(xN), loss: b.loss.value(xN), p0: Array.from(ps.subarray(0, d)),
    p: Array.from({ length: N + 1 }, (_, l) => Array.from(ps.subarray(l * d, (l + 1) * d))),
    perLayer, shared,
  };
}

/**
 * The continuous costate and the Pontryagin gradient of dx/dt = F(x, t; θ).
 *
 * For L(x(T)), a(t) = ∂L/∂x(t) solves −da/dt = a ∂F/∂x backward from a(T) = ∂L/∂x(T); the
 * gradient density of a time-varying θ is δL/δθ(t) = a ∂F/∂θ, and a θ shared by all times has
 * the gradient ∫_0^T a ∂F/∂θ dt (integrated along the backward solve). Forward and backward
 * solves are DOPRI5 with dense output at rtol = atol (default 1e-12). A net of N layers of an
 * order-p scheme has p_0 − a(0) = O(h^p) and Σ_l ∂L/∂θ_l − ∫ a ∂F/∂θ dt = O(h^p)
 * ({@link adjointGap}).
 *
 * Arguments: {@link CostateSpec} (θ: numbers or functions of t).
 *
 * Returns: a {@link CostateResult}.
 *
 * Throws: UserError on bad text, unknown symbols, dimensions, or a non-finite state/costate.
 *
 * @example
 * ```ts
 * import { costate } from 'depthlimit';
 * // x' = w x, L = ½ x(1)²: a(0) = x0 e^{2w}, ∫ a x dt = x0² e^{2w}
 * const c = costate({ field: 'w*x', theta: { w: -0.5 }, x0: [2], target: [0] });
 * console.log(c.a0[0].toFixed(9), (2 * Math.exp(-1)).toFixed(9));
 * console.log(c.shared.w.toFixed(9), (4 * Math.exp(-1)).toFixed(9));
 * //> 0.735758882 0.735758882
 * //> 1.471517765 1.471517765
 * ```
 */
export function costate(spec: CostateSpec): CostateResult {
  checkKeys(spec, [...PROBLEM_KEYS, 'rtol'], 'costate');
  const b = build(spec, false);
  const rtol = spec.rtol ?? 1e-12;
  if (!(rtol > 0 && rtol < 1e-3)) throw new UserError(`rtol must lie in (0, 1e-3), got ${rtol}`);
  const tq = thetaOf(b);
  const sol = solveCostate({ field: b.uf.field, thetaOf: tq, x0: b.x0, T: b.T, lossGrad: b.loss.grad }, { rtol, atol: rtol, paramIntegral: true });
  const d = b.uf.d, P = b.names.length;
  const inRange = (t: number): void => {
    if (!(t >= 0 && t <= b.T)) throw new UserError(`t = ${t} is outside [0, ${b.T}]`);
  };
  const buf = new Float64Array(d + P);
  const shared: Record<string, number> = Object.create(null);
  b.names.forEach((q, k) => { shared[q] = sol.paramIntegral?.[k] ?? 0; });
  return {
    xT: Array.from(sol.xT), loss: b.loss.value(sol.xT), a0: Array.from(sol.a0), aT: Array.from(sol.aT),
    x(t) { inRange(t); const out = new Float64Array(d); sol.state.eval(t, out); return Array.from(out); },
    a(t) { inRange(t); sol.costate.eval(t, buf); return Array.from(buf.subarray(0, d)); },
    gradient(t) {
      inRange(t);
      const g = sol.paramGradient(t);
      const out: Record<string, number> = Object.create(null);
      b.names.forEach((q, k) => { out[q] = g[k]!; });
      return out;
    },
    shared,
    hamiltonian(t) { inRange(t); return sol.hamiltonian(t); },
  };
}

/** Options of {@link adjointGap}: a researcher's problem, or a built-in scheme's (CLI `adjoint-gap`). */
export type AdjointGapSpec =
  | (GradientProblem & { scheme?: Exclude<SchemeName, 'ff'>; depths: readonly number[] | string; rough?: boolean; tied?: boolean })
  | { scheme: SchemeName; depths?: readonly number[] | string; rough?: boolean; tied?: boolean; activation?: string };

/**
 * The gap between backprop and the continuous costate as depth grows, with certified orders.
 *
 * At each depth N (h = T/N) it measures |p_0 − a(0)|∞ and, for a researcher's field, the gap of
 * the shared-parameter gradient |Σ_l ∂L/∂θ_l − ∫ a ∂F/∂θ dt|∞; both close at the scheme's order
 * p (Euler 1, Heun and midpoint 2, RK4 4; 2 at most with `tied` weights, which are linear
 * interpolants of node weights). `rough` is the negative control: alternating-sign weights
 * θ_l ± 0.9, whose net follows another ODE, so the gap must not close (when F is nonlinear in θ).
 * Without `field` it runs the built-in problem of `depthlimit adjoint-gap`.
 *
 * Arguments: {@link AdjointGapSpec}.
 *
 * Returns: the experiment's result: `gap`, `certificate`, and with a field also `gradientGap`,
 * `gradientCertificate` and `integral`, and the loss gap |L(x_N) − L(x(T))| per depth
 * (`lossGap`, `lossCertificate`, `odeLoss`).
 *
 * Throws: UserError on bad input or fewer than 3 depths.
 *
 * @example
 * ```ts
 * import { adjointGap } from 'depthlimit';
 * const r = adjointGap({ field: 'tanh(w*x) + c', theta: { w: 1.2, c: 0.1 }, x0: [0.5], target: [1], depths: '8..256' });
 * console.log(r.certificate.verdict, r.expectedOrder, r.gradientCertificate.verdict);
 * //> order 1 order
 * ```
 */
export function adjointGap(spec: AdjointGapSpec): AdjointGapResult & { gradientCertificate?: AdjointGapResult['certificate'] } {
  if (spec === null || typeof spec !== 'object') throw new UserError('adjointGap: give an object such as { scheme: "rk4", depths: "8..256" }');
  const params = spec.tied ? 'tied' as const : 'sampled' as const;
  const depths = depthList(spec.depths, '4..512');
  // the CLI's memory and time budget, checked before any work
  withinBudget([depthsQuantity(depths)], ([n]) => adjointGapCost(capDepths(depths, n!), 1));
  if (!('field' in spec)) {
    checkKeys(spec, ['scheme', 'depths', 'rough', 'tied', 'activation'], 'adjointGap');
    return gapExperiment({ scheme: spec.scheme, depths, rough: spec.rough ?? false, params, ...(spec.activation ? { activation: spec.activation } : {}) });
  }
  checkKeys(spec, [...PROBLEM_KEYS, 'scheme', 'depths', 'rough', 'tied'], 'adjointGap');
  const b = build(spec, false);
  const scheme = schemeOf(spec.scheme, b);
  return gapExperiment({
    scheme: scheme.name, depths, rough: spec.rough ?? false, params, gradient: true,
    problem: { scheme, d: b.uf.d, T: b.T, x0: b.x0, thetaOf: thetaOf(b), loss: b.loss },
  });
}
