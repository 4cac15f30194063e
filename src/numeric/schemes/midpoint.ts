/** Explicit midpoint: x⁺ = x + h f(t + h/2, x + h/2 f(t, x)). Order 2; parameters at t and t + h/2. */
import { makeExplicitRK, type Tableau } from './rk.ts';
import type { ParamField, Scheme } from './types.ts';

export const MIDPOINT: Tableau = { name: 'midpoint', order: 2, a: [[], [0.5]], b: [0, 1], c: [0, 0.5] };
export const makeMidpoint = (field: ParamField): Scheme => makeExplicitRK(MIDPOINT, field);
