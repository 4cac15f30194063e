/**
 * The continuous costate (adjoint) of dx/dt = F(t, x, q(t)) for a terminal loss L(x(T)):
 *
 *     −da/dt = a ∂F/∂x (t, x(t), q(t)),   a(T) = ∂L/∂x(T),
 *
 * so that a(t) = ∂L/∂x(t) (CLAIMS C1), with the parameter gradient
 * δL/δq(t) = a(t) ∂F/∂q (t, x(t), q(t)) and the Hamiltonian H = a·F (C4).
 * The forward solution is computed by DOPRI5 with dense output; the costate is integrated
 * backward by DOPRI5 with x(t) read from that dense output (4th-order interpolant, error of
 * the order of the tolerance), and is itself stored densely.
 *
 * For a parameter q shared by all times (one weight for every layer), the gradient is the time
 * integral G = ∫_{t0}^{T} a ∂F/∂q dt (Pontryagin). With `paramIntegral` it is integrated along
 * the backward solve, dG/dt = −a ∂F/∂q from G(T) = 0, under the same error control as a.
 */
import type { ParamField } from './schemes/types.ts';
import { dopri5, type DenseSolution } from './ode/dopri5.ts';
import { UserError } from '../util/errors.ts';

export interface CostateProblem {
  field: ParamField;
  /** q(t): writes the field's P parameters at time t. */
  thetaOf: (t: number, out: Float64Array) => void;
  x0: Float64Array;
  T: number;
  t0?: number;
  /** ∂L/∂x(T), written into out. */
  lossGrad: (xT: Float64Array, out: Float64Array) => void;
}

export interface CostateSolution {
  xT: Float64Array;
  /** a(t0) = ∂L/∂x(t0). */
  a0: Float64Array;
  aT: Float64Array;
  /** x(t), dense. */
  state: DenseSolution;
  /** a(t), dense. */
  costate: DenseSolution;
  /** δL/δq(t) = a(t) ∂F/∂q (P entries). */
  paramGradient(t: number, out?: Float64Array): Float64Array;
  /** H(t) = a(t)·F(t, x(t), q(t)). */
  hamiltonian(t: number): number;
  /** ∫_{t0}^{T} a ∂F/∂q dt (P entries), when solved with `paramIntegral`. */
  paramIntegral?: Float64Array;
  evaluations: { forward: number; backward: number };
}

/**
 * Solve the state forward and the costate backward (DOPRI5, rtol/atol default 1e-12).
 * Throws UserError on a dimension mismatch or a non-finite state/costate (naming t).
 */
export function costate(p: CostateProblem, opts: { rtol?: number; atol?: number; paramIntegral?: boolean } = {}): CostateSolution {
  const { field } = p, d = field.dim, P = field.paramDim;
  if (p.x0.length !== d) throw new UserError(`costate: initial state has dimension ${p.x0.length}, the field has ${d}`);
  const t0 = p.t0 ?? 0, t1 = t0 + p.T;
  const rtol = opts.rtol ?? 1e-12, atol = opts.atol ?? 1e-12;
  const q = new Float64Array(P), xt = new Float64Array(d), w = new Float64Array(d);
  const F = (t: number, x: Float64Array, out: Float64Array) => { p.thetaOf(t, q); field.eval(t, x, q, 0, out); };
  const fwd = dopri5(F, t0, t1, p.x0, { rtol, atol, dense: true });
  const state = fwd.dense!;
  const aT = new Float64Array(d);
  p.lossGrad(fwd.x, aT);
  for (let i = 0; i < d; i++) if (!Number.isFinite(aT[i]!)) throw new UserError(`costate: ∂L/∂x(T) is non-finite (component ${i})`);
  // da/dt = −a ∂F/∂x; with the integral, the state is (a, G) and dG/dt = −a ∂F/∂q
  const withG = opts.paramIntegral === true && P > 0;
  const n = withG ? d + P : d;
  const aBuf = new Float64Array(d), aOut = new Float64Array(d);
  const G = (t: number, y: Float64Array, out: Float64Array) => {
    p.thetaOf(t, q);
    state.eval(t, xt);
    if (!withG) {
      field.vjp(t, xt, q, 0, y, out, null, 0, 0);
      for (let i = 0; i < d; i++) out[i] = -out[i]!;
      return;
    }
    for (let i = 0; i < d; i++) aBuf[i] = y[i]!;
    for (let k = d; k < n; k++) out[k] = 0;
    field.vjp(t, xt, q, 0, aBuf, aOut, out, d, -1);
    for (let i = 0; i < d; i++) out[i] = -aOut[i]!;
  };
  const y1 = new Float64Array(n);
  y1.set(aT);
  const bwd = dopri5(G, t1, t0, y1, { rtol, atol, dense: true });
  const co = bwd.dense!;
  const at = new Float64Array(n), ft = new Float64Array(d);
  return {
    xT: fwd.x, a0: bwd.x.slice(0, d), aT, state, costate: co,
    ...(withG ? { paramIntegral: bwd.x.slice(d) } : {}),
    paramGradient(t, out = new Float64Array(P)) {
      p.thetaOf(t, q); state.eval(t, xt); co.eval(t, at);
      out.fill(0);
      field.vjp(t, xt, q, 0, at, w, out, 0, 1);
      return out;
    },
    hamiltonian(t) {
      p.thetaOf(t, q); state.eval(t, xt); co.eval(t, at);
      field.eval(t, xt, q, 0, ft);
      let h = 0;
      for (let i = 0; i < d; i++) h += at[i]! * ft[i]!;
      return h;
    },
    evaluations: { forward: fwd.evaluations, backward: bwd.evaluations },
  };
}

/** Quadratic terminal loss L = ½|x − y|² and its gradient x − y. */
export function quadraticLoss(y: Float64Array): { value(x: Float64Array): number; grad(x: Float64Array, out: Float64Array): void } {
  return {
    value(x) { let s = 0; for (let i = 0; i < y.length; i++) s += 0.5 * (x[i]! - y[i]!) ** 2; return s; },
    grad(x, out) { for (let i = 0; i < y.length; i++) out[i] = x[i]! - y[i]!; },
  };
}
