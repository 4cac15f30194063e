/**
 * Classical fixed-step Runge–Kutta 4 for dx/dt = f(t, x).
 *
 * k1 = f(t, x), k2 = f(t + h/2, x + h/2 k1), k3 = f(t + h/2, x + h/2 k2), k4 = f(t + h, x + h k3),
 * x⁺ = x + h/6 (k1 + 2k2 + 2k3 + k4): global error O(h⁴). Used where a step must match a
 * network layer exactly (h = T/N); t1 < t0 integrates backward (h < 0).
 */
import type { Field } from '../types.ts';
import { UserError, positiveInt } from '../../util/errors.ts';

/**
 * Integrate from t0 to t1 in `steps` equal steps.
 * Returns the state at t1 (in `out` when given; `out` may alias nothing but itself).
 * Throws UserError on a non-positive step count or a non-finite state (naming the step and t).
 */
export function rk4(f: Field, t0: number, t1: number, x0: Float64Array, steps: number, out?: Float64Array): Float64Array {
  positiveInt(steps, 'rk4: number of steps');
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw new UserError(`rk4: non-finite time interval [${t0}, ${t1}]`);
  const d = x0.length;
  if (out && out.length !== d) throw new UserError(`rk4: out has length ${out.length}, state has ${d}`);
  const x = out ?? new Float64Array(d);
  x.set(x0);
  const k1 = new Float64Array(d), k2 = new Float64Array(d), k3 = new Float64Array(d), k4 = new Float64Array(d);
  const y = new Float64Array(d);
  const h = (t1 - t0) / steps;
  for (let n = 0; n < steps; n++) {
    const t = t0 + n * h;
    f(t, x, k1);
    for (let i = 0; i < d; i++) y[i] = x[i]! + 0.5 * h * k1[i]!;
    f(t + 0.5 * h, y, k2);
    for (let i = 0; i < d; i++) y[i] = x[i]! + 0.5 * h * k2[i]!;
    f(t + 0.5 * h, y, k3);
    for (let i = 0; i < d; i++) y[i] = x[i]! + h * k3[i]!;
    f(t + h, y, k4);
    let finite = true;
    for (let i = 0; i < d; i++) {
      const v = x[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
      x[i] = v;
      if (!Number.isFinite(v)) finite = false;
    }
    if (!finite) throw new UserError(`rk4: non-finite state at step ${n + 1} of ${steps} (t = ${t + h})`);
  }
  return x;
}
