/**
 * The standard problems of the Hamiltonian experiments and claims: a smooth-parameter net per
 * scheme, its ODE, and a quadratic terminal loss. Pure data + compiled closures; no I/O.
 *
 *  - Runge–Kutta family (euler, heun, midpoint, rk4): f = tanh(K(t)x + b(t)), d = 3,
 *    K_ij(t) = 0.8 sin(i + 2j + 1 + t), b_i(t) = 0.3 cos(2t + i).
 *  - ff: Ruseckas' layer with g(z) = −z³/3, discretising Ax + β − x³/3 with the same smooth
 *    A(t) = K(t), β(t) = b(t).
 */
import { getActivation, type Activation } from '../numeric/activations.ts';
import { resnetField } from '../numeric/schemes/fields.ts';
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
  const field0 = resnetField(d, activation);
  const scheme = makeScheme(name, field0, activation);
  const target = new Float64Array([1, 0, -1]);
  return {
    scheme, field: scheme.field, activation, d, T,
    x0: new Float64Array([0.5, -0.3, 0.8]), target, thetaOf: smoothTheta(d), loss: quadraticLoss(target),
  };
}
