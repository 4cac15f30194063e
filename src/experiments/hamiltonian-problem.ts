/**
 * The standard problems of the Hamiltonian experiments and claims: a smooth-parameter net per
 * scheme, its ODE, and a quadratic terminal loss. Pure data + compiled closures; no I/O.
 *
 *  - Runge–Kutta family (euler, heun, midpoint, rk4): f = tanh(K(t)x + b(t)), d = 3,
 *    K_ij(t) = 0.8 sin(i + 2j + 1 + t), b_i(t) = 0.3 cos(2t + i).
 *  - ff: Ruseckas' layer with g(z) = −z³/3, discretising Ax + β − x³/3 with the same smooth
 *    A(t) = K(t), β(t) = b(t).
 *  - verlet: the Hamiltonian network ẋ = Kσ(Kᵀp + b), ṗ = −Kσ(Kᵀx + b) (σ = tanh, width 3, the
 *    same smooth K(t), b(t)) on (x, p) ∈ ℝ⁶, p(0) = (0.2, 0.1, −0.4), target (1, 0, −1, 0, 0, 0).
 */
import { getActivation, type Activation } from '../numeric/activations.ts';
import { hamiltonianNetField, resnetField } from '../numeric/schemes/fields.ts';
import { makeScheme } from '../numeric/schemes/net.ts';
import type { ParamField, Scheme } from '../numeric/schemes/types.ts';
import { quadraticLoss } from '../numeric/costate.ts';

export interface HamiltonianProblem {
  scheme: Scheme;
  field: ParamField;
  activation: Activation;
  d: number;
  T: number;
  x0: Float64Array;
  target: Float64Array;
  thetaOf: (t: number, out: Float64Array) => void;
  loss: ReturnType<typeof quadraticLoss>;
}

export function smoothTheta(d: number): (t: number, out: Float64Array) => void {
  return (t, out) => {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) out[i * d + j] = 0.8 * Math.sin(i + 2 * j + 1 + t);
      out[d * d + i] = 0.3 * Math.cos(2 * t + i);
    }
  };
}

/** The problem for scheme `name` (UserError on an unknown scheme). */
export function hamiltonianProblem(name: string, opts: { activation?: string; T?: number } = {}): HamiltonianProblem {
  const d = 3, T = opts.T ?? 1;
  const activation = getActivation(opts.activation ?? (name === 'ff' ? 'cubic' : 'tanh'));
  const verlet = name === 'verlet';
  const field0 = verlet ? hamiltonianNetField(d, d, activation) : resnetField(d, activation);
  const scheme = makeScheme(name, field0, activation);
  const target = new Float64Array(verlet ? [1, 0, -1, 0, 0, 0] : [1, 0, -1]);
  const x0 = new Float64Array(verlet ? [0.5, -0.3, 0.8, 0.2, 0.1, -0.4] : [0.5, -0.3, 0.8]);
  return {
    scheme, field: scheme.field, activation, d: x0.length, T,
    x0, target, thetaOf: smoothTheta(d), loss: quadraticLoss(target),
  };
}
