/**
 * Störmer–Verlet (leapfrog) as a network layer, for a separable field ẋ = drift(t, p, θ),
 * ṗ = kick(t, x, θ) on y = (x, p) (a Hamiltonian network, Ruthotto–Haber 2019):
 *
 *   p_½ = p + (h/2) kick(t, x; θ_0),   x⁺ = x + h drift(t + h/2, p_½; θ_½),   p⁺ = p_½ + (h/2) kick(t + h, x⁺; θ_1).
 *
 * Stage times [0, ½, 1]. The layer is the composition kick ∘ drift ∘ kick of exact flows of the
 * two halves (time frozen at the stage), and with −h it is its own inverse (run backwards from
 * t + h: kick at t + h, drift at t + h/2, kick at t), so it is symmetric and, being consistent,
 * of order 2; it is symplectic for a Hamiltonian split (CLAIMS C31, C32).
 *
 * Tangent: the same three substeps linearised. Discrete adjoint (the transpose, substeps in
 * reverse), from λ = (λ_x⁺, λ_p⁺):
 *   λ_p½ = λ_p⁺,  λ_x⁺ ← λ_x⁺ + (h/2) λ_p⁺ ∂kick/∂x(x⁺),  ∂L/∂θ_1 += (h/2) λ_p⁺ ∂kick/∂θ;
 *   λ_x = λ_x⁺,   λ_p½ ← λ_p½ + h λ_x⁺ ∂drift/∂p(p_½),     ∂L/∂θ_½ += h λ_x⁺ ∂drift/∂θ;
 *   λ_p = λ_p½,   λ_x ← λ_x + (h/2) λ_p½ ∂kick/∂x(x),      ∂L/∂θ_0 += (h/2) λ_p½ ∂kick/∂θ.
 */
import { UserError } from '../../util/errors.ts';
import type { ParamField, Scheme, SeparableField } from './types.ts';

const isSeparable = (f: ParamField): f is SeparableField => (f as Partial<SeparableField>).split !== undefined;

export function makeVerlet(field: ParamField): Scheme {
  if (!isSeparable(field)) {
    throw new UserError(`scheme 'verlet' needs a separable field ẋ = f(t, p), ṗ = g(t, x) on (x, p), e.g. a Hamiltonian network; ${field.name} is not one`);
  }
  const { half: n, drift, kick } = field.split, P = field.paramDim;
  const x = new Float64Array(n), p = new Float64Array(n), pm = new Float64Array(n), x1 = new Float64Array(n), k = new Float64Array(n);
  const dx = new Float64Array(n), dp = new Float64Array(n), lx = new Float64Array(n), lp = new Float64Array(n);

  /** x, p from y; p_½ and x⁺ (the stages the tangent and adjoint linearise about). */
  const stages = (t: number, h: number, y: Float64Array, th: Float64Array, to: number) => {
    for (let i = 0; i < n; i++) { x[i] = y[i]!; p[i] = y[n + i]!; }
    kick.eval(t, x, th, to, k);
    for (let i = 0; i < n; i++) pm[i] = p[i]! + 0.5 * h * k[i]!;
    drift.eval(t + 0.5 * h, pm, th, to + P, k);
    for (let i = 0; i < n; i++) x1[i] = x[i]! + h * k[i]!;
  };

  return {
    name: 'verlet', order: 2, field, stageTimes: [0, 0.5, 1],
    step(t, h, y, th, to, out) {
      stages(t, h, y, th, to);
      kick.eval(t + h, x1, th, to + 2 * P, k);
      for (let i = 0; i < n; i++) { out[i] = x1[i]!; out[n + i] = pm[i]! + 0.5 * h * k[i]!; }
    },
    stepTangent(t, h, y, th, to, dy, dth, dto, out) {
      stages(t, h, y, th, to);
      for (let i = 0; i < n; i++) { dx[i] = dy[i]!; }
      kick.jvp(t, x, th, to, dx, dth, dto, k);
      for (let i = 0; i < n; i++) dp[i] = dy[n + i]! + 0.5 * h * k[i]!;           // δp_½
      drift.jvp(t + 0.5 * h, pm, th, to + P, dp, dth, dto + P, k);
      for (let i = 0; i < n; i++) dx[i] = dx[i]! + h * k[i]!;                     // δx⁺
      kick.jvp(t + h, x1, th, to + 2 * P, dx, dth, dto + 2 * P, k);
      for (let i = 0; i < n; i++) { out[i] = dx[i]!; out[n + i] = dp[i]! + 0.5 * h * k[i]!; }
    },
    stepAdjoint(t, h, y, th, to, lam, outY, g, go) {
      stages(t, h, y, th, to);
      for (let i = 0; i < n; i++) { lx[i] = lam[i]!; lp[i] = lam[n + i]!; }
      kick.vjp(t + h, x1, th, to + 2 * P, lp, k, g, go + 2 * P, 0.5 * h);
      for (let i = 0; i < n; i++) lx[i] = lx[i]! + 0.5 * h * k[i]!;               // λ_x⁺ (total)
      drift.vjp(t + 0.5 * h, pm, th, to + P, lx, k, g, go + P, h);
      for (let i = 0; i < n; i++) lp[i] = lp[i]! + h * k[i]!;                     // λ_p½ (total)
      kick.vjp(t, x, th, to, lp, k, g, go, 0.5 * h);
      for (let i = 0; i < n; i++) { outY[i] = lx[i]! + 0.5 * h * k[i]!; outY[n + i] = lp[i]!; }
    },
  };
}
