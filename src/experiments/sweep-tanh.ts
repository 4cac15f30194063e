/**
 * C14: deep tanh MLPs acting on small signals are Ruseckas nets. With inputs scaled by
 * s = √Δt, weights W_l = I + Δt w(t_l) and biases B_l = s Δt b(t_l),
 *     x_{l+1} = tanh(W_l x_l + B_l),   x_0 = s u_0,
 * the rescaled output x_L / s converges to u(T) of u̇ = w u + b − u³/3 at O(Δt): writing
 * x = s v, tanh(s v)/s = v − s² v³/3 + O(s⁴), so with s² = Δt one layer is the FF layer of
 * g(z) = −z³/3 up to O(Δt²).
 * A mis-scaled input s = κ√Δt (κ ≠ 1) converges instead to u̇ = w u + b − κ² u³/3: the
 * negative control.
 */
import { UserError } from '../util/errors.ts';
import { maxAbsDiff } from '../util/approx.ts';
import { referenceSolution, runLadder, type Ladder, type Progress } from './depth-sweep.ts';
import { compileProblem } from './sweep-problem.ts';

export interface TanhInstanceConfig {
  /** w(t): d² entries row-major, b(t): d entries, in t. */
  w: readonly string[];
  b: readonly string[];
  u0: readonly number[];
  T: number;
  depths: readonly number[];
  /** Input-scale factor κ in s = κ√Δt (1: the correct scaling; other values: negative control). */
  kappa?: number;
  onProgress?: Progress;
}

export interface TanhInstanceResult extends Ladder {
  kappa: number;
  /** u(T) of u̇ = w u + b − u³/3 (DOPRI5), and x_L/s per depth. */
  target: number[];
  finals: number[][];
}

export function tanhInstanceSweep(cfg: TanhInstanceConfig): TanhInstanceResult {
  const kappa = cfg.kappa ?? 1;
  if (!Number.isFinite(kappa) || kappa <= 0) throw new UserError(`kappa must be positive, got ${kappa}`);
  // The limit ODE is Ruseckas' with g(z) = −z³/3: compile it (and θ(t) = (w, b)) from text.
  const problem = compileProblem({ g: '-z^3/3', A: cfg.w, beta: cfg.b, x0: cfg.u0, T: cfg.T });
  const { d, T } = problem;
  const ref = referenceSolution(problem.ode, T, problem.x0);
  const P = d * d + d;
  const theta = new Float64Array(P), x = new Float64Array(d), y = new Float64Array(d), out = new Float64Array(d);
  const finals: number[][] = [];
  const ladder = runLadder({
    label: kappa === 1 ? 'tanh MLP, s = √Δt' : `tanh MLP, mis-scaled s = ${kappa}√Δt`,
    depths: cfg.depths, T, expected: 1, floor: ref.floor, scale: ref.scale,
    error(N) {
      const dt = T / N, s = kappa * Math.sqrt(dt);
      for (let i = 0; i < d; i++) x[i] = s * problem.x0[i]!;
      for (let l = 0; l < N; l++) {
        problem.theta!(l * dt, theta);
        for (let i = 0; i < d; i++) {
          let acc = x[i]! + s * dt * theta[d * d + i]!;
          for (let j = 0; j < d; j++) acc += dt * theta[i * d + j]! * x[j]!;
          y[i] = Math.tanh(acc);
        }
        x.set(y);
        for (let i = 0; i < d; i++) if (!Number.isFinite(x[i]!)) throw new UserError(`tanh MLP diverged at layer ${l + 1} of ${N}`);
      }
      for (let i = 0; i < d; i++) out[i] = x[i]! / s;
      finals.push(Array.from(out));
      return maxAbsDiff(out, ref.x);
    },
    ...(cfg.onProgress ? { onProgress: cfg.onProgress } : {}),
  });
  return { ...ladder, kappa, target: Array.from(ref.x), finals };
}
