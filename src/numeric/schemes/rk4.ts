/**
 * RK4 forward propagation (Haber–Ruthotto, Meganet's ResNNrk4): the classical tableau.
 * Order 4 when the parameters are sampled at t, t + h/2, t + h (both middle stages share the
 * t + h/2 parameters); with weights tied to the nodes by linear interpolation
 * (`nodesToStages`) it is order 2 at kinks of θ inside a step (CLAIMS C26).
 */
import { makeExplicitRK, type Tableau } from './rk.ts';
import type { ParamField, Scheme } from './types.ts';

export const RK4: Tableau = {
  name: 'rk4', order: 4,
  a: [[], [0.5], [0, 0.5], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  c: [0, 0.5, 0.5, 1],
};
export const makeRK4 = (field: ParamField): Scheme => makeExplicitRK(RK4, field);
