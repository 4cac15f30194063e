/** Heun's method (explicit trapezoid): x⁺ = x + h/2 (f(t, x) + f(t + h, x + h f(t, x))). Order 2; parameters at t and t + h. */
import { makeExplicitRK, type Tableau } from './rk.ts';
import type { ParamField, Scheme } from './types.ts';

export const HEUN: Tableau = { name: 'heun', order: 2, a: [[], [1]], b: [0.5, 0.5], c: [0, 1] };
export const makeHeun = (field: ParamField): Scheme => makeExplicitRK(HEUN, field);
