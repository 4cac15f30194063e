/**
 * Trained weights across depth (CLAIMS C37, C38): residual nets h_{k+1} = h_k + δ σ(K_k h_k + b_k),
 * k = 0…L−1, d = 2, σ = tanh, fixed readout w·h_L (objective.ts with step δ, no regulariser),
 * trained by gradient flow (gamma/flow.ts) from
 *   - a smooth initialisation, θ_k = Θ₀(t_k) at the cell centres t_k = (k + ½)/L (Θ₀ a few
 *     sines, memory-free.ts's smoothWeights), or
 *   - an iid one (a fresh normal draw per layer, the same marginal scale; iidWeights),
 * with δ = 1/L (the neural-ODE scaling) or δ = 1/√L (the diffusive scaling that iid weights
 * need, Marion et al. JMLR 2025). What is measured on the trained K_k (Frobenius norms):
 *   - C37 (Marion et al. 2024): the Lipschitz-in-depth statistic L·max_k‖K_{k+1} − K_k‖, its
 *     maximum over the training snapshots; and the gap max_s |f_L(x_s) − f_{2L}(x_s)| between
 *     the trained nets of depths L and 2L (the same flow at the same training time τ);
 *   - C38 (Cohen et al. 2021): on Cohen's A_k = δ K_k (the residual's weights in the
 *     normalisation δ = 1; regression.py's `regression_delta_times_AorB`), max_k‖A_k‖,
 *     the quadratic variation Σ_k‖A_{k+1} − A_k‖², the RMS increment, and regression.py's
 *     Sobolev statistic √(L Σ_k‖ΔX_k‖²) of the ODE-rescaled weights X_k = L·A_k (bounded
 *     iff L·A_{⌊Lt⌋} stays bounded in H¹, the neural-ODE hypothesis H1 with β = 1).
 */
import { depthObjective, type GammaModel } from './gamma/objective.ts';
import { gradientFlow } from './gamma/flow.ts';
import type { Dataset } from './gamma/data.ts';
import { iidWeights, smoothWeights } from './memory-free.ts';
import { getActivation } from '../numeric/activations.ts';
import { makeRng } from '../util/prng.ts';

const D = 2, P = D * D + D;

/**
 * The training set: S points uniform in [−1, 1]², y = ½ sin(πx₁) + x₁x₂ (smooth, and not
 * reachable by the initial nets, so training moves the weights by O(1)).
 */
export function scalingDataset(S: number, seed: number): Dataset {
  const rng = makeRng(seed + 3), x = new Float64Array(2 * S), y = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    x[2 * s] = a; x[2 * s + 1] = b; y[s] = 0.5 * Math.sin(Math.PI * a) + a * b;
  }
  return { d: D, S, x, y, source: `built-in (d = 2, S = ${S} uniform in [−1, 1]², y = ½ sin πx₁ + x₁x₂)`, inputs: ['x1', 'x2'], target: 'y' };
}

/** tanh residual, fixed readout w = (1, −1), no regulariser: E = (1/S) Σ ½(w·h_L − y)². */
export const SCALING_MODEL: GammaModel = {
  activation: getActivation('tanh'), kappa: 1,
  regK: { ridge: 0, smooth: 0 }, regB: { ridge: 0, smooth: 0 },
  readout: { kind: 'fixed', w: Float64Array.from([1, -1]), c: 0 },
};

export type Init = 'smooth' | 'iid';
export type Scaling = 'ode' | 'diffusive';
/** Which control breaks training: layer k's gradient filed under layer π(k), or iid per-layer noise. */
export type Breakage = 'permuted-gradient' | 'layer-noise';

export interface TrainRunConfig {
  L: number;
  init: Init;
  scaling: Scaling;
  data: Dataset;
  seed: number;
  tau: number;
  steps: number;
  breakage?: Breakage;
}

/** Statistics of the K-part of layer parameters θ (layer-major, P per layer), on A_k = scale·K_k. */
export interface LayerStatistics {
  /** max_k ‖A_k‖_F */
  maxNorm: number;
  /** Σ_k ‖A_{k+1} − A_k‖²_F */
  quadraticVariation: number;
  /** max_k ‖A_{k+1} − A_k‖_F */
  maxIncrement: number;
  /** √(Σ_k ‖A_{k+1} − A_k‖² / (L − 1)) */
  rmsIncrement: number;
}

export function layerStatistics(theta: Float64Array, L: number, scale = 1): LayerStatistics {
  let maxNorm = 0, qv = 0, maxInc = 0;
  for (let k = 0; k < L; k++) {
    let n2 = 0, i2 = 0;
    for (let j = 0; j < D * D; j++) {
      const v = theta[k * P + j]!;
      n2 += v * v;
      if (k + 1 < L) i2 += (theta[(k + 1) * P + j]! - v) ** 2;
    }
    maxNorm = Math.max(maxNorm, Math.sqrt(n2));
    qv += i2; maxInc = Math.max(maxInc, Math.sqrt(i2));
  }
  return { maxNorm: scale * maxNorm, quadraticVariation: scale * scale * qv, maxIncrement: scale * maxInc, rmsIncrement: scale * Math.sqrt(qv / Math.max(1, L - 1)) };
}

/**
 * Cohen et al.'s statistics of a trained net, on A_k = δ K_k, with regression.py's Sobolev
 * statistic h1 = √(L Σ_k‖L ΔA_k‖²_F) of the ODE-rescaled weights L·A_k (C38, the depth-scaling grid).
 */
export function cohenStatistics(r: Pick<TrainRun, 'theta' | 'L' | 'delta'>): LayerStatistics & { h1: number } {
  const st = layerStatistics(r.theta, r.L, r.delta);
  return { ...st, h1: r.L * Math.sqrt(r.L * st.quadraticVariation) };
}

export interface TrainRun {
  L: number;
  init: Init;
  scaling: Scaling;
  /** The residual's step δ. */
  delta: number;
  /** Trained layer parameters (K_k, b_k), layer-major. */
  theta: Float64Array;
  /** Outputs w·h_L(x_s) of the trained net on the training inputs. */
  outputs: Float64Array;
  /** E at τ = 0 and at τ. */
  energy0: number;
  energy: number;
  /** ‖K(τ) − K(0)‖_F / ‖K(0)‖_F: how far training moved the weights. */
  moved: number;
  /** max over the training snapshots of L·max_k‖K_{k+1} − K_k‖_F. */
  lipschitz: number;
}

/** The initial layer parameters at depth L. */
export function initialTheta(init: Init, L: number, seed: number): Float64Array {
  const theta = new Float64Array(L * P);
  if (init === 'smooth') {
    const w = smoothWeights(D, 1, seed);
    for (let k = 0; k < L; k++) w((k + 0.5) / L, theta, k * P);
  } else iidWeights(theta, L, D, makeRng(seed + 7919 * L));
  return theta;
}

/** Train one net by gradient flow (η = 1/(Lδ²)) to time τ and measure it. */
export function trainRun(cfg: TrainRunConfig): TrainRun {
  const { L, data, tau, steps } = cfg;
  const delta = cfg.scaling === 'ode' ? 1 / L : 1 / Math.sqrt(L);
  const ob = depthObjective(SCALING_MODEL, data, L, { step: delta });
  const rate = 1 / (L * delta * delta), dt = (tau / steps) * rate;
  const theta0 = initialTheta(cfg.init, L, cfg.seed);
  let lipschitz = 0;
  const corrupt = cfg.breakage ? breakTraining(cfg.breakage, L, cfg.seed, dt, steps) : undefined;
  const outputs = new Float64Array(data.S);
  const res = gradientFlow(ob, theta0, {
    tau, steps, rate, corrupt, outputs,
    onStep: (th) => { lipschitz = Math.max(lipschitz, L * layerStatistics(th, L).maxIncrement); },
  });
  let num = 0, den = 0;
  for (let k = 0; k < L; k++) for (let j = 0; j < D * D; j++) { num += (res.theta[k * P + j]! - theta0[k * P + j]!) ** 2; den += theta0[k * P + j]! ** 2; }
  return {
    L, init: cfg.init, scaling: cfg.scaling, delta, theta: res.theta, outputs,
    energy0: res.energy[0]!, energy: res.energy[res.energy.length - 1]!, moved: Math.sqrt(num / den), lipschitz,
  };
}

/**
 * The negative controls' broken training. 'permuted-gradient': layer k is updated with layer
 * π(k)'s gradient (π a fixed seeded permutation: a backprop that files gradients under the
 * wrong layers). 'layer-noise': an iid N(0, 1) kick per K entry and layer added to the
 * gradient, scaled so that θ receives 0.3 N(0, 1)/√steps per step (0.3 in all by τ):
 * per-layer noise with no correlation in depth. Work arrays are allocated once.
 */
function breakTraining(kind: Breakage, L: number, seed: number, dt: number, steps: number): (g: Float64Array) => void {
  const rng = makeRng(seed + 31 * L + 17);
  if (kind === 'layer-noise') {
    const amp = 0.3 / (dt * Math.sqrt(steps));
    return (g) => { for (let k = 0; k < L; k++) for (let j = 0; j < D * D; j++) g[k * P + j] = g[k * P + j]! + amp * rng.normal(); };
  }
  const pi = Int32Array.from({ length: L }, (_, k) => k);
  for (let k = L - 1; k > 0; k--) { const j = rng.int(k + 1); [pi[k], pi[j]] = [pi[j]!, pi[k]!]; }
  const copy = new Float64Array(L * P);
  return (g) => {
    copy.set(g.subarray(0, L * P));
    for (let k = 0; k < L; k++) for (let j = 0; j < P; j++) g[k * P + j] = copy[pi[k]! * P + j]!;
  };
}
