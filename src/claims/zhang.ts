/**
 * Claims from Zhang's thesis code base (Meganet, S6): the spectrum of the time-derivative
 * regulariser (C33) and Hessian-scaled loss slices at a trained minimiser (C34). The
 * mathematics is in experiments/time-derivative.ts and experiments/hessian-slices.ts.
 */
import type { Claim, ClaimContext, Evidence, Methods } from './types.ts';
import { regulariserSpectra, type RegulariserSpectrumData } from '../experiments/time-derivative.ts';
import { FULL_HESSIAN, hessianSlices, QUICK_HESSIAN, type HessianSliceConfig, type HessianSliceResult } from '../experiments/hessian-slices.ts';
import { makeRng } from '../util/prng.ts';
import { cached } from '../util/cache.ts';

const MEGANET = 'Q. Zhang 2019 (S5); Meganet.m (Ruthotto et al., github.com/XtractOpen/Meganet.m, S6)';
const C33_SOURCE = `${MEGANET}: matrixFree/opTimeDer.m (L = diff(θ)/h) and utils/eigLap1D.m (eigenvalues of LᵀL by the DCT); Haber & Ruthotto, "Stable architectures for deep neural networks", Inverse Problems 34 (2018) 014004 (arXiv:1705.03341), the (1/(2h))Σ‖ΔK‖² regulariser`;
const C34_SOURCE = `${MEGANET}: the Hessian-eigenvector loss visualisation of the EResNN examples`;

// ---------------------------------------------------------------- C33
/** C33's data (the 'regulariser-spectrum' figure) with its methods. */
export interface RegulariserSpectrumFigure extends RegulariserSpectrumData { methods: Methods }

/** T of the LᵀL comparison: seeded in (0.1, 2), as Meganet's own check takes a random h. */
export function c33Horizon(seed: number): number {
  return makeRng(seed).uniform(0.1, 2);
}

export function c33Data(depths: number[], seed: number, periodic = false): RegulariserSpectrumFigure {
  // the check's spectra are the stability-rk4 notebook's figure: computed once (src/util/cache.ts)
  return cached('c33', { depths, seed, periodic }, import.meta.url, () => computeC33(depths, seed, periodic));
}

function computeC33(depths: number[], seed: number, periodic: boolean): RegulariserSpectrumFigure {
  const T = c33Horizon(seed);
  return {
    ...regulariserSpectra(depths, T, periodic),
    methods: {
      claim: 'C33', source: C33_SOURCE,
      scheme: `L = D/h, D the (n−1)×n forward difference on n values spaced h = T/n (Meganet opTimeDer); the project's Γ-objective regulariser n Σ|Δθ|² (T = 1) assembled from its values by polarisation${periodic ? '; control: a periodic (wrap-around) difference' : ''}`,
      solver: 'dense eigen-solve: balancing, Hessenberg reduction, Francis double-shift QR (numeric/eig.ts)',
      depths,
      parameters: { T, expectedSpectrum: '(4/h²) sin²(kπ/(2n)), k = 0…n−1', objectiveScaling: 'n Σ|Δθ|² = h‖Lθ‖² (matrix h·LᵀL, Hessian 2h·LᵀL)' },
      seed,
    },
  };
}

function c33Evidence(d: RegulariserSpectrumFigure): Evidence {
  const worst = d.comparisons.reduce((a, c) => (c.relError / c.tolerance > a.relError / a.tolerance ? c : a));
  const ok = d.comparisons.every((c) => c.relError <= c.tolerance);
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: worst.relError,
    expected: 0,
    tolerance: worst.tolerance,
    toleranceReason: 'max_k |λ̂_k − λ_k| / ‖A‖₂ ≤ 10·n·ε: the QR eigen-solve is backward stable, and a symmetric A + E has its eigenvalues within ‖E‖₂ ≲ n ε ‖A‖₂ (Weyl)',
    detail: `${d.comparisons.length} spectra, worst ${worst.label}: ${worst.relError.toExponential(1)} (bound ${worst.tolerance.toExponential(1)}); scaling fixed: L = D/h, λ_k(LᵀL) = (4/h²) sin²(kπ/(2n)); the Γ-objective's n Σ|Δθ|² = h‖Lθ‖², i.e. Haber–Ruthotto's (1/(2h))Σ‖ΔK‖² times 2; Meganet's (α/2)‖Lθ‖² has no outer h`,
    data: d,
    methods: d.methods,
  };
}

export const c33: Claim = {
  id: 'C33', title: 'spectrum of the time-derivative regulariser: λ_k(LᵀL) = (4/h²) sin²(kπ/(2n)), L = D/h; the Γ-objective uses h‖Lθ‖²',
  source: C33_SOURCE, family: 'zhang',
  statement: String.raw`L = D/h,\ (D\theta)_k = \theta_{k+1} - \theta_k\ (k < n - 1):\quad \lambda_k(L^{\top}L) = \frac{4}{h^2}\sin^2\frac{k\pi}{2n},\ k = 0,\dots,n-1;\qquad n\sum_k|\Delta\theta_k|^2 = h\,\|L\theta\|^2\ (h = 1/n)`,
  figures: ['regulariser-spectrum'],
  check: (ctx: ClaimContext) => c33Evidence(c33Data(ctx.mode === 'full' ? [8, 16, 32, 64, 128] : [8, 16, 32], ctx.seed)),
  negativeControl: {
    description: 'a periodic (wrap-around) difference, θ_0 − θ_{n−1} penalised too: its spectrum (4/h) sin²(kπ/n) is not the Neumann one',
    check: (ctx: ClaimContext) => c33Evidence(c33Data(ctx.mode === 'full' ? [8, 16, 32, 64, 128] : [8, 16, 32], ctx.seed, true)),
  },
};

// ---------------------------------------------------------------- C34
/** C34's data (the 'hessian-slices' figure) with its methods. */
export interface HessianSlicesFigure extends HessianSliceResult { methods: Methods }

/** C34's configuration for a mode and seed. */
export function c34Config(mode: 'quick' | 'full', seed: number): HessianSliceConfig {
  const base = mode === 'full' ? FULL_HESSIAN : QUICK_HESSIAN;
  return { ...base, model: { ...base.model, seed } };
}

/** Train, slice, and record the methods; `stopAfter` (the control) caps the L-BFGS iterations. */
export function c34Data(config: HessianSliceConfig, stopAfter?: number): HessianSlicesFigure {
  // shared by C34 and the stability-rk4 notebook's figure (src/util/cache.ts)
  return cached('c34', { config, stopAfter: stopAfter ?? null }, import.meta.url, () => computeC34(config, stopAfter));
}

function computeC34(config: HessianSliceConfig, stopAfter?: number): HessianSlicesFigure {
  const cfg = stopAfter ? { ...config, iterations: stopAfter } : config;
  const r = hessianSlices(cfg);
  const m = cfg.model;
  return {
    ...r,
    methods: {
      claim: 'C34', source: C34_SOURCE,
      scheme: `Zhang's separately discretised ResNet (${m.method}, nY = ${cfg.nY} state steps, nTh = ${m.nTh} weight intervals, width ${m.width}, T = ${m.T}, tanh) with an opening layer and a softmax classifier`,
      solver: `L-BFGS to ‖∇J‖_∞ ≤ ${cfg.gradTol} (best of ${cfg.restarts ?? 1} seeded starts, at most ${cfg.iterations} iterations per run${stopAfter ? ': control, stopped early' : ''}, up to ${cfg.polish ?? 0} fresh runs to reach the tolerance); Hessian by 4th-order central differences of the adjoint gradient; eigenpairs by QR + inverse iteration`,
      parameters: {
        dataset: m.dataset, nTrain: m.nTrain, alpha: m.alpha, beta: m.beta, parameters: r.P,
        sliceStep: `σ = min(${cfg.sigma}, ${cfg.maxStep}·√λ) in scaled units, J at ±σ, ±2σ, Richardson-extrapolated`,
      },
      seed: m.seed,
    },
  };
}

function c34Evidence(d: HessianSlicesFigure): Evidence {
  const dirs = d.directions;
  const kOk = dirs.every((x) => Math.abs(x.curvature0 - 1) <= x.curvatureTol);
  const bOk = dirs.every((x) => Math.abs(x.slope0) <= x.slopeTol);
  // the softmax shift c ↦ c + t·1 is the one exact symmetry: at most one flat direction
  const flatOk = d.flat.length <= 1;
  const k0 = dirs.map((x) => x.curvature0);
  const worstK = Math.max(...dirs.map((x) => Math.abs(x.curvature0 - 1) / x.curvatureTol));
  const worstB = Math.max(...dirs.map((x) => Math.abs(x.slope0) / x.slopeTol));
  // A measurement against the statement fails it; a training that did not reach a nondegenerate
  // minimiser (gradient above tolerance, more flat directions than the one symmetry) leaves the
  // statement untested: inconclusive, unless the measurement already contradicts it.
  const failed = [!kOk && 'curvature ≠ 1', !bOk && 'linear term ≠ 0'].filter(Boolean);
  const premise = [!d.converged && 'not trained to the gradient tolerance', !flatOk && `${d.flat.length} flat directions (a degenerate minimiser)`].filter(Boolean);
  return {
    verdict: failed.length ? 'fails' : premise.length ? 'inconclusive' : 'holds',
    measured: `κ₀ ∈ [${Math.min(...k0).toFixed(6)}, ${Math.max(...k0).toFixed(6)}] over ${dirs.length} directions`,
    expected: 'κ₀ = 1 along every scaled eigenvector, slope 0',
    tolerance: `per direction; worst |κ₀ − 1| at ${worstK.toFixed(2)}×, |β₀| at ${worstB.toFixed(2)}× its bound`,
    toleranceReason: 'κ₀ − 1 = vᵀ(H − Ĥ)v/λ + O(σ⁴): 2‖Ĥ − H‖/|λ| (‖Ĥ − H‖ estimated by the asymmetry of the difference Hessian) plus the Richardson a-posteriori bound |κ(σ) − κ(2σ)|/3 and J\'s rounding 40ε|J|/σ²; |β₀| ≤ ‖∇J‖₂/√λ ≤ √P·gradTol/√λ at a minimiser trained to gradTol',
    detail: `P = ${d.P} parameters, J* = ${d.loss.toPrecision(8)}, ‖∇J‖_∞ = ${d.gnorm.toExponential(1)} after ${d.iterations} L-BFGS iterations (${d.reason}); λ ∈ [${dirs[0]?.lambda.toExponential(2)}, ${dirs[dirs.length - 1]?.lambda.toExponential(2)}], Hessian error ${d.hessianError.toExponential(1)}; ` +
      `flat: ${d.flat.map((f) => `λ = ${f.lambda.toExponential(1)} (J changes by ${f.change.toExponential(1)} over |t| ≤ 1)`).join(', ') || 'none'}${d.flat.length === 1 ? ' (the softmax shift)' : ''}; ` +
      `κ(σ) − 1 up to ${Math.max(...dirs.map((x) => Math.abs(x.curvature - 1))).toExponential(1)} before extrapolation` +
      (failed.length ? `; failed: ${failed.join(', ')}` : '') + (premise.length ? `; premise not met: ${premise.join(', ')}` : ''),
    data: d,
    methods: d.methods,
  };
}

export const c34: Claim = {
  id: 'C34', title: 'Hessian-scaled loss slices at a trained minimiser are locally quadratic: curvature 1 along every scaled eigenvector',
  source: C34_SOURCE, family: 'zhang',
  statement: String.raw`H = \nabla^2 J(\theta^*) = \sum_i \lambda_i v_i v_i^{\top},\ \lambda_i > 0:\quad J\big(\theta^* + s\,v_i/\sqrt{\lambda_i}\big) = J(\theta^*) + \tfrac{s^2}{2} + O(s^3)`,
  figures: ['hessian-slices'],
  check: (ctx: ClaimContext) => c34Evidence(c34Data(c34Config(ctx.mode, ctx.seed))),
  negativeControl: {
    description: 'training capped at 5 L-BFGS iterations per run (15 in all with the polishing runs): the point is not a minimiser (a linear term, negative curvature)',
    check: (ctx: ClaimContext) => c34Evidence(c34Data(c34Config(ctx.mode, ctx.seed), 5)),
  },
};

export const claims: Claim[] = [c33, c34];
