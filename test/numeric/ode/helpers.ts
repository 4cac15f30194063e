/** Closed-form test problems for the ODE solvers (shared by the rk4 and dopri5 tests). */
import { UserError } from '../../../src/util/errors.ts';
import type { Field } from '../../../src/numeric/types.ts';

export interface Problem { name: string; f: Field; x0: Float64Array; t0: number; exact(t: number): number[] }

/** dx/dt = λx, x(t) = e^{λt}. */
export const exponential: Problem = {
  name: 'exponential', t0: 0, x0: new Float64Array([1]),
  f: (_t, x, o) => { o[0] = -0.7 * x[0]!; },
  exact: (t) => [Math.exp(-0.7 * t)],
};

/** Harmonic oscillator x'' = −x: (cos t, −sin t). */
export const oscillator: Problem = {
  name: 'harmonic oscillator', t0: 0, x0: new Float64Array([1, 0]),
  f: (_t, x, o) => { o[0] = x[1]!; o[1] = -x[0]!; },
  exact: (t) => [Math.cos(t), -Math.sin(t)],
};

/**
 * Time-dependent coupled linear system x' = −2t x, y' = cos(t) y + e^{sin t} x:
 * x = e^{−t²}, y = e^{sin t}(1 + ∫_0^t e^{−s²} ds) (substitute y = e^{sin t} u, then u' = x).
 */
export const timeDependent: Problem = {
  name: 'time-dependent linear', t0: 0, x0: new Float64Array([1, 1]),
  f: (t, x, o) => { o[0] = -2 * t * x[0]!; o[1] = Math.cos(t) * x[1]! + x[0]! * Math.exp(Math.sin(t)); },
  exact: (t) => [Math.exp(-t * t), Math.exp(Math.sin(t)) * (1 + erfIntegral(t))],
};

/** ∫_0^t e^{−s²} ds = (√π/2) erf(t), by composite Gauss–Legendre (exact to ~1e-15 on [0, 3]). */
function erfIntegral(t: number): number {
  const xs = [-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640];
  const ws = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
  const n = 64, h = t / n;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const m = (k + 0.5) * h;
    for (let j = 0; j < 5; j++) { const u = m + 0.5 * h * xs[j]!; s += ws[j]! * Math.exp(-u * u); }
  }
  return 0.5 * h * s;
}

/** Arenstorf orbit (Hairer–Nørsett–Wanner I, II.0): periodic with period T. */
export const ARENSTORF_T = 17.0652165601579625588917206249;
export const arenstorf: Problem = (() => {
  const mu = 0.012277471, mp = 1 - mu;
  return {
    name: 'Arenstorf', t0: 0, x0: new Float64Array([0.994, 0, 0, -2.00158510637908252240537862224]),
    f: (_t: number, y: Float64Array, f: Float64Array) => {
      const y1 = y[0]!, y2 = y[1]!;
      const D1 = ((y1 + mu) ** 2 + y2 ** 2) ** 1.5, D2 = ((y1 - mp) ** 2 + y2 ** 2) ** 1.5;
      f[0] = y[2]!; f[1] = y[3]!;
      f[2] = y1 + 2 * y[3]! - (mp * (y1 + mu)) / D1 - (mu * (y1 - mp)) / D2;
      f[3] = y2 - 2 * y[2]! - (mp * y2) / D1 - (mu * y2) / D2;
    },
    exact: () => [0.994, 0, 0, -2.00158510637908252240537862224],
  };
})();

export function maxErr(x: ArrayLike<number>, e: number[]): number {
  let m = 0;
  for (let i = 0; i < e.length; i++) m = Math.max(m, Math.abs(x[i]! - e[i]!));
  return m;
}

/** uvu `assert.throws` predicate: a UserError whose message matches `re` (when given). */
export function userError(re?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof UserError && (!re || re.test(e.message));
}

/**
 * A kinked problem with a closed form: x' = w(t)(1 + x²) with w piecewise linear through
 * seeded node values on nTh equal intervals of [0, T] (like a Zhang net's weights), so
 * x(t) = tan(atan x₀ + ∫₀ᵗ w) (the trapezoid rule integrates w exactly). `knots` are its kinks.
 */
export function kinkedProblem(nodes: readonly number[], T = 2, x0 = 0.3): Problem & { knots: number[]; T: number } {
  const nTh = nodes.length - 1, dt = T / nTh;
  const knots = Array.from({ length: nTh + 1 }, (_, j) => j * dt);
  const w = (t: number) => {
    const j = Math.min(nTh - 1, Math.max(0, Math.floor(t / dt)));
    const c = (t - j * dt) / dt;
    return (1 - c) * nodes[j]! + c * nodes[j + 1]!;
  };
  const W = (t: number) => {
    let s = 0, j = 0;
    for (; j < nTh && (j + 1) * dt <= t; j++) s += (dt * (nodes[j]! + nodes[j + 1]!)) / 2;
    return j < nTh ? s + ((t - j * dt) * (nodes[j]! + w(t))) / 2 : s;
  };
  return {
    name: 'kinked', t0: 0, x0: new Float64Array([x0]), knots, T,
    f: (t, x, o) => { o[0] = w(t) * (1 + x[0]! * x[0]!); },
    exact: (t) => [Math.tan(Math.atan(x0) + W(t))],
  };
}
