/**
 * The step-size study (Zhang 2019, CLAIMS C27): a classifier whose weights live on a FIXED
 * coarse grid while the state step h_Y = T/nY shrinks.
 *
 *   opening layer   Y₀ = K_open x + b_open                  (ℝ² → ℝʷ, trained)
 *   Zhang net       Y_{k+1} = Y_k + h σ(K(t_k)Y_k + b(t_k))   (θ_j = (K_j, b_j), pw-linear on nTh intervals)
 *   classifier      z = W Y_nY + c,  softmax cross-entropy
 *   regulariser     (α/Δθ) Σ_j |θ_{j+1} − θ_j|² + β(Δθ Σ_j |θ_j|² + |K_open|² + |W|²)
 *                   (H¹ in time, as Meganet's opTimeDer, plus weight decay: cross-entropy on separable
 *                   data has no finite minimiser without it, and the study needs a minimiser to converge)
 *
 * The parameter vector does not depend on nY, so the study is multilevel: train at nY = 2, use
 * the result as the start for nY = 4, and so on (L-BFGS at each level). Reported per nY:
 * training/validation accuracy and sup_t |K_{nY}(t) − K_{2nY}(t)| (for pw-linear functions on
 * the same grid the sup is attained at the nodes).
 */
import { lbfgs } from '../numeric/lbfgs.ts';
import type { Activation } from '../numeric/activations.ts';
import { getActivation } from '../numeric/activations.ts';
import type { ZhangNet } from '../numeric/schemes/zhang.ts';
import { UserError } from '../util/errors.ts';
import { makeRng } from '../util/prng.ts';
import { cached } from '../util/cache.ts';
import { makeDataset, type Dataset } from './datasets.ts';
import { zhangResnet } from './stability.ts';

export interface StepSizeConfig {
  dataset: string;
  nTrain: number;
  nValid: number;
  width: number;
  T: number;
  nTh: number;
  nYs: number[];
  method: 'euler' | 'rk4';
  alpha: number;
  beta: number;
  iterations: number;
  seed: number;
  /** Seeded starts at the coarsest level, best kept (default 1). */
  restarts?: number;
  /** Negative control: shuffle the training and validation labels (independently). */
  shuffleLabels?: boolean;
  activation?: string;
}

export const QUICK_STEP_SIZE: StepSizeConfig = {
  dataset: 'ellipses', nTrain: 60, nValid: 200, width: 3, T: 4, nTh: 4, nYs: [2, 4, 8, 16, 32],
  method: 'euler', alpha: 5e-2, beta: 5e-3, iterations: 150, restarts: 3, seed: 1,
};
export const FULL_STEP_SIZE: StepSizeConfig = {
  dataset: 'peaks', nTrain: 400, nValid: 1000, width: 4, T: 5, nTh: 4, nYs: [2, 4, 8, 16, 32, 64],
  method: 'euler', alpha: 5e-2, beta: 5e-3, iterations: 200, restarts: 3, seed: 1,
};

export interface StepSizeLevel {
  nY: number;
  h: number;
  trainAccuracy: number;
  validAccuracy: number;
  loss: number;
  iterations: number;
  gnorm: number;
  /** sup_t |K_{nY}(t) − K_{nY/2}(t)| (max entry), NaN on the first level. */
  weightChange: number;
  /** Validation accuracy of the FINEST level's trained weights propagated with this nY. */
  transferAccuracy: number;
}

export interface StepSizeResult {
  config: StepSizeConfig;
  /** Number of classes (chance accuracy 1/classes). */
  classes: number;
  levels: StepSizeLevel[];
  /** Trained coarse weights θ_j per level (for figures: K(t) entries vs t). */
  weights: number[][];
}

/** Parameter layout: [θ coarse | K_open (w×2) | b_open (w) | W (C×w) | c (C)]. */
export interface ClassifierLayout { theta: number; kOpen: number; bOpen: number; W: number; c: number; total: number }

function layout(net: ZhangNet, w: number, C: number): ClassifierLayout {
  const theta = 0, kOpen = net.paramCount, bOpen = kOpen + 2 * w, W = bOpen + w, c = W + C * w;
  return { theta, kOpen, bOpen, W, c, total: c + C };
}

/** A classifier on a given sample: loss + gradient and predictions, buffers allocated once. */
export function makeClassifier(data: Dataset, cfg: Pick<StepSizeConfig, 'width' | 'T' | 'nTh' | 'method' | 'alpha' | 'beta'>, nY: number, act: Activation) {
  const n = data.n, w = cfg.width, C = data.classes;
  const net = zhangResnet(w, act, cfg.method, { T: cfg.T, nTh: cfg.nTh, nY }, n);
  const L = layout(net, w, C), P = net.paramDim, dTh = cfg.T / cfg.nTh;
  const Y0 = new Float64Array(n * w), YN = new Float64Array(n * w);
  // the trajectory and gradient buffers only when fg is used (a scoring-only classifier of a
  // dense grid would allocate (nY + 1)·n·w numbers for nothing)
  let traj: Float64Array | undefined, pN: Float64Array | undefined, p0: Float64Array | undefined, gTheta: Float64Array | undefined;
  const z = new Float64Array(C), ez = new Float64Array(C);

  const open = (x: Float64Array): void => {
    for (let s = 0; s < n; s++) for (let i = 0; i < w; i++) {
      Y0[s * w + i] = x[L.kOpen + 2 * i]! * data.x[2 * s]! + x[L.kOpen + 2 * i + 1]! * data.x[2 * s + 1]! + x[L.bOpen + i]!;
    }
  };
  const logits = (x: Float64Array, s: number): void => {
    for (let c = 0; c < C; c++) {
      let a = x[L.c + c]!;
      for (let i = 0; i < w; i++) a += x[L.W + c * w + i]! * YN[s * w + i]!;
      z[c] = a;
    }
  };

  /**
   * Softmax cross-entropy (mean) + regularisers; with g, the gradient into g (forward with
   * trajectory, then the adjoint). Without, the forward pass only: the same loss, bit for bit.
   */
  const objective = (x: Float64Array, g: Float64Array | null): number => {
    if (g) {
      traj ??= new Float64Array((nY + 1) * n * w);
      pN ??= new Float64Array(n * w); p0 ??= new Float64Array(n * w); gTheta ??= new Float64Array(net.paramCount);
      g.fill(0);
    }
    open(x);
    net.forward(x.subarray(0, net.paramCount), Y0, YN, g ? traj : undefined);
    let loss = 0;
    for (let s = 0; s < n; s++) {
      logits(x, s);
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, z[c]!);
      let sum = 0;
      for (let c = 0; c < C; c++) { ez[c] = Math.exp(z[c]! - m); sum += ez[c]!; }
      const y = data.labels[s]!;
      loss += (m + Math.log(sum) - z[y]!) / n;
      if (!g) continue;
      for (let i = 0; i < w; i++) pN![s * w + i] = 0;
      for (let c = 0; c < C; c++) {
        const dz = (ez[c]! / sum - (c === y ? 1 : 0)) / n;
        g[L.c + c]! += dz;
        for (let i = 0; i < w; i++) {
          g[L.W + c * w + i]! += dz * YN[s * w + i]!;
          pN![s * w + i]! += dz * x[L.W + c * w + i]!;
        }
      }
    }
    if (g) {
      gTheta!.fill(0);
      net.adjoint(x.subarray(0, net.paramCount), traj!, pN!, gTheta!, p0!);
      for (let i = 0; i < net.paramCount; i++) g[i]! += gTheta![i]!;
      for (let s = 0; s < n; s++) for (let i = 0; i < w; i++) {
        const q = p0![s * w + i]!;
        g[L.kOpen + 2 * i]! += q * data.x[2 * s]!;
        g[L.kOpen + 2 * i + 1]! += q * data.x[2 * s + 1]!;
        g[L.bOpen + i]! += q;
      }
    }
    // H¹-in-time regulariser (α/Δθ) Σ |θ_{j+1} − θ_j|² on the coarse weights.
    const a = cfg.alpha / dTh;
    for (let j = 0; j < cfg.nTh; j++) for (let i = 0; i < P; i++) {
      const dlt = x[(j + 1) * P + i]! - x[j * P + i]!;
      loss += a * dlt * dlt;
      if (!g) continue;
      g[(j + 1) * P + i]! += 2 * a * dlt;
      g[j * P + i]! -= 2 * a * dlt;
    }
    for (const [o, len, wt] of [[0, net.paramCount, dTh], [L.kOpen, 2 * w, 1], [L.W, C * w, 1]] as const) for (let i = 0; i < len; i++) {
      loss += wt * cfg.beta * x[o + i]! ** 2;
      if (g) g[o + i]! += 2 * wt * cfg.beta * x[o + i]!;
    }
    return loss;
  };
  /** Loss and gradient (for L-BFGS). */
  const fg = (x: Float64Array, g: Float64Array): number => objective(x, g);
  /** The loss alone (one forward pass, no adjoint): the same number fg returns. */
  const value = (x: Float64Array): number => objective(x, null);

  /** One forward pass: the fraction of correctly classified points and up to `cap` misclassified inputs (x₁, x₂), in sample order. */
  const score = (x: Float64Array, cap = 0): { accuracy: number; misclassified: number[][] } => {
    open(x);
    net.forward(x.subarray(0, net.paramCount), Y0, YN);
    let ok = 0;
    const mis: number[][] = [];
    for (let s = 0; s < n; s++) {
      logits(x, s);
      let best = 0;
      for (let c = 1; c < C; c++) if (z[c]! > z[best]!) best = c;
      if (best === data.labels[s]) ok++;
      else if (mis.length < cap) mis.push([data.x[2 * s]!, data.x[2 * s + 1]!]);
    }
    return { accuracy: ok / n, misclassified: mis };
  };
  /** Fraction of correctly classified points. */
  const accuracy = (x: Float64Array): number => score(x).accuracy;
  /** Up to `cap` misclassified input points (x₁, x₂), in sample order. */
  const misclassified = (x: Float64Array, cap: number): number[][] => score(x, cap).misclassified;
  return { net, layout: L, fg, value, score, accuracy, misclassified };
}

/** Seeded initial parameters: small K_j, unit-scale opening layer, small classifier. */
export function initialParams(total: number, L: ClassifierLayout, seed: number): Float64Array {
  const rng = makeRng(seed + 7919), x = new Float64Array(total);
  for (let i = 0; i < L.kOpen; i++) x[i] = 0.3 * rng.normal();
  for (let i = L.kOpen; i < L.bOpen; i++) x[i] = rng.normal();
  for (let i = L.W; i < L.c; i++) x[i] = 0.3 * rng.normal();
  return x;
}

function checkConfig(cfg: StepSizeConfig): void {
  if (!cfg.nYs.length) throw new UserError('step-size study: the list of state steps nY is empty');
  for (let i = 0; i < cfg.nYs.length; i++) {
    const n = cfg.nYs[i]!;
    if (!Number.isInteger(n) || n < 1) throw new UserError(`step-size study: nY must be positive integers, got ${n}`);
    if (i > 0 && n <= cfg.nYs[i - 1]!) throw new UserError(`step-size study: nY must be increasing, got ${cfg.nYs.join(', ')}`);
  }
  if (!Number.isInteger(cfg.width) || cfg.width < 2) throw new UserError(`step-size study: width must be an integer ≥ 2, got ${cfg.width}`);
  if (!(cfg.T > 0) || !Number.isFinite(cfg.T)) throw new UserError(`step-size study: T must be positive, got ${cfg.T}`);
}

/** Run the multilevel study; `log` receives one progress line per level (cached by config and code, src/util/cache.ts). */
export function stepSizeStudy(cfg: StepSizeConfig, log: (line: string) => void = () => {}): StepSizeResult {
  checkConfig(cfg);
  return cached('step-size', cfg, import.meta.url, () => runStepSize(cfg, log));
}

function runStepSize(cfg: StepSizeConfig, log: (line: string) => void): StepSizeResult {
  const act = getActivation(cfg.activation ?? 'tanh');
  const train = makeDataset(cfg.dataset, { n: cfg.nTrain, seed: cfg.seed });
  const valid = makeDataset(cfg.dataset, { n: cfg.nValid, seed: cfg.seed + 1000 });
  if (cfg.shuffleLabels) {
    // Both sets, independently: the labels then carry no information about the points at all.
    const rng = makeRng(cfg.seed + 17);
    for (const set of [train, valid]) {
      for (let i = set.n - 1; i > 0; i--) { const j = rng.int(i + 1); const t = set.labels[i]!; set.labels[i] = set.labels[j]!; set.labels[j] = t; }
    }
  }
  const levels: StepSizeLevel[] = [], weights: number[][] = [];
  let x: Float64Array | undefined, prevK: Float64Array | undefined;
  for (const nY of cfg.nYs) {
    const tr = makeClassifier(train, cfg, nY, act), va = makeClassifier(valid, cfg, nY, act);
    let r;
    if (!x) {
      // Coarsest level: best of `restarts` seeded starts (lowest regularised loss). Later levels
      // start from the previous level's weights, so they stay in the chosen basin.
      for (let k = 0; k < (cfg.restarts ?? 1); k++) {
        const rk = lbfgs(tr.fg, initialParams(tr.layout.total, tr.layout, cfg.seed + 101 * k), { maxIterations: cfg.iterations, gradTol: 1e-6 });
        if (!r || rk.f < r.f) r = rk;
      }
    } else r = lbfgs(tr.fg, x, { maxIterations: cfg.iterations, gradTol: 1e-6 });
    r = r!;
    x = r.x;
    const P = tr.net.paramDim, w = cfg.width, K = new Float64Array((cfg.nTh + 1) * w * w);
    for (let j = 0; j <= cfg.nTh; j++) for (let i = 0; i < w * w; i++) K[j * w * w + i] = x[j * P + i]!;
    let change = NaN;
    if (prevK) { change = 0; for (let i = 0; i < K.length; i++) change = Math.max(change, Math.abs(K[i]! - prevK[i]!)); }
    prevK = K;
    const level: StepSizeLevel = {
      nY, h: cfg.T / nY, trainAccuracy: tr.accuracy(x), validAccuracy: va.accuracy(x), loss: r.f,
      iterations: r.iterations, gnorm: r.gnorm, weightChange: change, transferAccuracy: NaN,
    };
    levels.push(level);
    weights.push(Array.from(x.subarray(0, tr.net.paramCount)));
    log(`step-size nY=${nY}: train ${(100 * level.trainAccuracy).toFixed(1)}%, valid ${(100 * level.validAccuracy).toFixed(1)}%, loss ${r.f.toExponential(3)}, ${r.iterations} it, sup|ΔK| ${Number.isNaN(change) ? '–' : change.toExponential(2)}`);
  }
  for (const level of levels) level.transferAccuracy = makeClassifier(valid, cfg, level.nY, act).accuracy(x!);
  return { config: cfg, classes: train.classes, levels, weights };
}
