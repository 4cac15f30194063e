/**
 * Hessian-scaled loss slices at a trained minimiser (Meganet's loss visualisation, CLAIMS C34).
 *
 * At a nondegenerate minimiser θ* of J with Hessian H = Σ λ_i v_i v_iᵀ (λ_i > 0), along the
 * scaled eigenvectors u_i = v_i/√λ_i
 *     J(θ* + s u_i) = J(θ*) + s²/2 + O(s³),
 * so every 1-D slice has curvature 1 at s = 0 and every 2-D slice (u_i, u_j) is a circular
 * paraboloid near the origin. Measured per direction, with J at s = ±σ, ±2σ:
 *  - the curvature κ(s) = [J(s) − 2J(0) + J(−s)]/s² = 1 + a s² + O(s⁴) (the cubic term cancels),
 *    extrapolated to s → 0 by Richardson, κ₀ = (4κ(σ) − κ(2σ))/3;
 *  - the slope β(s) = [J(s) − J(−s)]/(2s) = ∇J·u + O(s²), extrapolated the same way: it must
 *    vanish at a minimiser (|∇J·u| ≤ ‖∇J‖₂/√λ ≤ √P·gradTol/√λ).
 * The model is the step-size study's classifier (Zhang's separately discretised ResNet on the
 * ellipses, softmax cross-entropy, H¹-in-time and weight-decay regularisers), trained by
 * L-BFGS; H is the central difference of its adjoint gradient, symmetrised. Softmax is
 * invariant under c ↦ c + t·1 (all class biases shifted alike) and c carries no decay, so H has
 * one exact null direction: directions with |λ| below the Hessian's error are reported as flat
 * (J constant along them), not scaled.
 */
import { lbfgs } from '../numeric/lbfgs.ts';
import { symmetricEigenpairs } from '../numeric/eig.ts';
import { getActivation } from '../numeric/activations.ts';
import { EPS } from '../util/approx.ts';
import { makeDataset } from './datasets.ts';
import { initialParams, makeClassifier, QUICK_STEP_SIZE, type StepSizeConfig } from './step-size.ts';

export interface HessianSliceConfig {
  /** The classifier (data set, width, T, nTh, Euler/RK4, α, β) and the seed. */
  model: Pick<StepSizeConfig, 'dataset' | 'nTrain' | 'width' | 'T' | 'nTh' | 'method' | 'alpha' | 'beta' | 'seed'>;
  /** State steps of the net. */
  nY: number;
  /** L-BFGS iterations per run (the negative control stops early) and the gradient tolerance ‖∇J‖_∞. */
  iterations: number;
  gradTol: number;
  /** Seeded starts, the lowest J kept (default 1), and fresh L-BFGS runs from it while ‖∇J‖_∞ > gradTol (default 0). */
  restarts?: number;
  polish?: number;
  /** Slice step σ in scaled units (J is sampled at ±σ, ±2σ), capped so the step in θ, σ/√λ, is at most `maxStep`. */
  sigma: number;
  maxStep: number;
  /** Half-width and points per axis of the 2-D slice along the two largest-curvature directions. */
  grid?: { half: number; points: number };
}

export const QUICK_HESSIAN: HessianSliceConfig = {
  model: { dataset: 'ellipses', nTrain: 40, width: 2, T: 4, nTh: 2, method: 'euler', alpha: QUICK_STEP_SIZE.alpha, beta: QUICK_STEP_SIZE.beta, seed: 1 },
  nY: 8, iterations: 3000, gradTol: 1e-8, restarts: 3, polish: 2, sigma: 0.01, maxStep: 1e-2, grid: { half: 0.5, points: 21 },
};
export const FULL_HESSIAN: HessianSliceConfig = {
  model: { dataset: 'ellipses', nTrain: 60, width: 3, T: 4, nTh: 4, method: 'euler', alpha: QUICK_STEP_SIZE.alpha, beta: QUICK_STEP_SIZE.beta, seed: 1 },
  nY: 16, iterations: 5000, gradTol: 1e-6, restarts: 3, polish: 2, sigma: 0.01, maxStep: 1e-2, grid: { half: 0.5, points: 41 },
};

export interface SliceDirection {
  /** Eigenvalue λ_i of H. */
  lambda: number;
  /** κ(σ), κ(2σ) and the extrapolated κ₀. */
  curvature: number;
  curvature2: number;
  curvature0: number;
  /** The slice step σ used for this direction. */
  sigma: number;
  /** The extrapolated slope β₀ = ∇J·u_i (0 at a minimiser). */
  slope0: number;
  /** Acceptance bounds for |κ₀ − 1| and |β₀| (see hessianSlices). */
  curvatureTol: number;
  slopeTol: number;
  /** The 1-D slice for the figure: κ(s) = [J(s) − 2J(0) + J(−s)]/s² on log-spaced s ∈ [10⁻³, 1] (→ 1 as s → 0). */
  s: number[];
  kappa: number[];
}

export interface HessianSliceResult {
  config: HessianSliceConfig;
  /** Parameters P, the trained loss J(θ*), ‖∇J(θ*)‖_∞, the L-BFGS iterations and why it stopped. */
  P: number;
  loss: number;
  gnorm: number;
  iterations: number;
  converged: boolean;
  reason: string;
  /** ‖(Ĥ − Ĥᵀ)/2‖_F: the finite-difference Hessian's error estimate (floor P ε ‖Ĥ‖). */
  hessianError: number;
  directions: SliceDirection[];
  /** Null directions (|λ| ≤ the Hessian's error): λ and max |J(θ* + t v) − J(θ*)| for |t| ≤ 1. */
  flat: { lambda: number; change: number }[];
  /** 2-D slice along the two directions of largest λ: J − J* on a grid of (s₁, s₂). */
  plane?: { s: number[]; dJ: number[][]; lambdas: [number, number] };
}

/** Train, take the Hessian, slice along every scaled eigenvector. */
export function hessianSlices(cfg: HessianSliceConfig): HessianSliceResult {
  const m = cfg.model;
  const data = makeDataset(m.dataset, { n: m.nTrain, seed: m.seed });
  const clf = makeClassifier(data, m, cfg.nY, getActivation('tanh'));
  const P = clf.layout.total;
  // the slices need J only: a forward pass, no adjoint (the same numbers as fg's value)
  const J = clf.value;
  // Best of `restarts` seeded starts (lowest J), then fresh L-BFGS runs from it (a new memory
  // gets past a failed line search) until the gradient tolerance is met or `polish` runs are spent.
  const opts = { maxIterations: cfg.iterations, gradTol: cfg.gradTol };
  let r = lbfgs(clf.fg, initialParams(P, clf.layout, m.seed), opts);
  for (let k = 1; k < (cfg.restarts ?? 1); k++) {
    const rk = lbfgs(clf.fg, initialParams(P, clf.layout, m.seed + 101 * k), opts);
    if (rk.f < r.f) r = rk;
  }
  for (let k = 0; k < (cfg.polish ?? 0) && r.gnorm > cfg.gradTol; k++) {
    const rk = lbfgs(clf.fg, r.x, opts);
    if (rk.f <= r.f) r = { ...rk, iterations: r.iterations + rk.iterations };
  }
  const x = r.x, J0 = J(x);

  // Hessian: fourth-order central differences of the adjoint gradient,
  // [8(g(θ + δe_j) − g(θ − δe_j)) − (g(θ + 2δe_j) − g(θ − 2δe_j))]/(12δ), δ = 1e-4·max(1, |θ_j|):
  // truncation ≈ δ⁴|∇⁵J| ≈ 1e-16·|∇⁵J|, rounding ≈ ε|∇J terms|/δ ≈ 1e-12; then symmetrised.
  const H = new Float64Array(P * P), gs = [0, 1, 2, 3].map(() => new Float64Array(P)), xt = Float64Array.from(x);
  for (let j = 0; j < P; j++) {
    const dj = 1e-4 * Math.max(1, Math.abs(x[j]!));
    [dj, -dj, 2 * dj, -2 * dj].forEach((e, k) => { xt[j] = x[j]! + e; clf.fg(xt, gs[k]!); });
    xt[j] = x[j]!;
    for (let i = 0; i < P; i++) H[i * P + j] = (8 * (gs[0]![i]! - gs[1]![i]!) - (gs[2]![i]! - gs[3]![i]!)) / (12 * dj);
  }
  // The exact Hessian is symmetric, the differences' errors are not: ‖(Ĥ − Ĥᵀ)/2‖_F estimates ‖Ĥ − H‖₂.
  let asym = 0;
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) {
    asym += 2 * ((H[i * P + j]! - H[j * P + i]!) / 2) ** 2;
    const a = (H[i * P + j]! + H[j * P + i]!) / 2;
    H[i * P + j] = a; H[j * P + i] = a;
  }
  const { values, vectors } = symmetricEigenpairs(H, P);
  // floor: the eigen-solve's own error ≈ P ε ‖H‖ (backward stable, symmetric)
  const hErr = Math.max(Math.sqrt(asym), 10 * P * EPS * Math.max(...values.map(Math.abs)));

  const at = (u: Float64Array, s: number) => { for (let i = 0; i < P; i++) xt[i] = x[i]! + s * u[i]!; return J(xt) - J0; };
  const directions: SliceDirection[] = [], flat: HessianSliceResult['flat'] = [];
  const sGrid = Array.from({ length: 13 }, (_, k) => 10 ** (-3 + k / 4));
  values.forEach((lambda, i) => {
    const v = vectors[i]!;
    if (Math.abs(lambda) <= hErr) {
      flat.push({ lambda, change: Math.max(...[-1, -0.5, 0.5, 1].map((t) => Math.abs(at(v, t)))) });
      return;
    }
    // scale by 1/√|λ|: a negative λ (not a minimiser) then shows as curvature −1
    const u = v.map((c) => c / Math.sqrt(Math.abs(lambda)));
    // the cubic remainder scales like λ^{−3/2}: flat directions need a smaller σ for the same accuracy
    const sig = Math.min(cfg.sigma, cfg.maxStep * Math.sqrt(Math.abs(lambda)));
    const p1 = at(u, sig), m1 = at(u, -sig), p2 = at(u, 2 * sig), m2 = at(u, -2 * sig);
    const k1 = (p1 + m1) / sig ** 2, k2 = (p2 + m2) / (4 * sig ** 2);
    const b1 = (p1 - m1) / (2 * sig), b2 = (p2 - m2) / (4 * sig);
    // rounding of J (a sum over the data, ≈ 10ε|J|) in the second difference, divided by σ²
    const round = (40 * EPS * Math.abs(J0)) / sig ** 2;
    directions.push({
      lambda, sigma: sig, curvature: k1, curvature2: k2, curvature0: (4 * k1 - k2) / 3, slope0: (4 * b1 - b2) / 3,
      // κ₀ − 1 = vᵀ(H − Ĥ)v/λ + O(σ⁴): twice the Hessian's error over |λ|, plus the a-posteriori
      // bound of the extrapolation, |κ₀ − κ(σ)| = |κ(σ) − κ(2σ)|/3 (the σ² term it removed)
      curvatureTol: 2 * hErr / Math.abs(lambda) + Math.abs(k1 - k2) / 3 + round,
      // a minimiser to the training tolerance: |∇J·u| ≤ ‖∇J‖₂ ‖u‖ ≤ √P·gradTol/√|λ|
      slopeTol: (Math.sqrt(P) * cfg.gradTol) / Math.sqrt(Math.abs(lambda)) + Math.abs(b1 - b2) / 3 + (20 * EPS * Math.abs(J0)) / sig,
      s: sGrid, kappa: sGrid.map((s) => (at(u, s) + at(u, -s)) / (s * s)),
    });
  });
  let plane: HessianSliceResult['plane'];
  if (cfg.grid && directions.length >= 2) {
    const top = directions.slice(-2).reverse();
    const u1 = vectors[values.indexOf(top[0]!.lambda)]!.map((c) => c / Math.sqrt(top[0]!.lambda));
    const u2 = vectors[values.indexOf(top[1]!.lambda)]!.map((c) => c / Math.sqrt(top[1]!.lambda));
    const { half, points } = cfg.grid;
    const s = Array.from({ length: points }, (_, k) => -half + (2 * half * k) / (points - 1));
    const dJ = s.map((b) => s.map((a) => { for (let i = 0; i < P; i++) xt[i] = x[i]! + a * u1[i]! + b * u2[i]!; return J(xt) - J0; }));
    plane = { s, dJ, lambdas: [top[0]!.lambda, top[1]!.lambda] };
  }
  return { config: cfg, P, loss: J0, gnorm: r.gnorm, iterations: r.iterations, converged: r.gnorm <= cfg.gradTol, reason: r.reason, hessianError: hErr, directions, flat, ...(plane ? { plane } : {}) };
}
