/**
 * The memory-free adjoint as depth grows (Sander, Ablin & Peyré 2022, CLAIMS C36): a ResNet
 * (Euler) or Heun net f = tanh(Kx + b) with weights on the layer nodes, its activations
 * reconstructed backwards from x_N (numeric/schemes/reverse.ts), and
 *   - the reconstruction error |x̂_0 − x_0|_∞,
 *   - the relative error of the memory-free gradient ‖ĝ − g‖₂/‖g‖₂ (g = ∂L/∂θ at the nodes by
 *     backprop along the stored states, L = ½|x_N − y|²),
 * against h = T/N. Weights are smooth in depth (θ_l = Θ(t_l), Θ a few sines) or iid across
 * layers (a fresh normal draw per node, the same marginal scale). The claim's orders: Euler
 * O(h); Heun O(h²) with smooth weights (a bound: reverse.ts shows the sharp rate is h³), and
 * with iid weights no better than Euler (O(h) per the layer expansion; at moderate depths the
 * O(h²)-per-layer errors partly cancel and the mean error falls like h^1.2–1.3).
 */
import { certifyOrder, type OrderCertificate } from '../numeric/certify.ts';
import { getActivation } from '../numeric/activations.ts';
import { resnetField } from '../numeric/schemes/fields.ts';
import { backward, forward, makeScheme, nodesToStages, stagesToNodesGrad } from '../numeric/schemes/net.ts';
import type { Scheme } from '../numeric/schemes/types.ts';
import { backwardMemoryFree } from '../numeric/schemes/reverse.ts';
import { UserError, positiveInt } from '../util/errors.ts';
import { makeRng, type Rng } from '../util/prng.ts';

export interface MemoryFreeConfig {
  scheme: 'euler' | 'heun';
  weights: 'smooth' | 'iid';
  depths: number[];
  seed: number;
  /** State dimension (default 3). */
  d?: number;
  /** Depth horizon (default 1). */
  T?: number;
  /**
   * Negative control: the backward step reads every stage's weights from the layer's first
   * stage (θ_l for both Heun stages: the weights' variation within a layer is dropped).
   */
  frozenReverse?: boolean;
  /**
   * iid weights: the errors are averaged over this many independent draws per depth (default
   * 1), so the ladder shows the mean error rather than one draw's fluctuation.
   */
  draws?: number;
}

export interface MemoryFreeLadder {
  label: string;
  scheme: 'euler' | 'heun';
  weights: 'smooth' | 'iid';
  /** Draws averaged per depth (1 for smooth weights). */
  draws: number;
  depths: number[];
  h: number[];
  /** |x̂_0 − x_0|_∞ */
  reconstruction: number[];
  /** ‖ĝ − g‖₂ / ‖g‖₂ over the node weights */
  gradient: number[];
  /** The order the claim expects for this ladder. */
  expected: number;
  reconstructionCertificate: OrderCertificate;
  gradientCertificate: OrderCertificate;
}

/** The order C36 states: Euler 1; Heun 2 with smooth weights (a bound), 1 with iid ones. */
export function expectedMemoryFreeOrder(scheme: 'euler' | 'heun', weights: 'smooth' | 'iid'): number {
  return scheme === 'heun' && weights === 'smooth' ? 2 : 1;
}

/** Smooth node weights Θ(t) = A + B sin(2πt/T) + C cos(πt/T) (entries of K scaled by 1/√d). */
export function smoothWeights(d: number, T: number, seed: number): (t: number, out: Float64Array, o: number) => void {
  const P = d * d + d, rng = makeRng(seed);
  const coef = Array.from({ length: 3 * P }, (_, i) => rng.normal() * (i % P < d * d ? 1 / Math.sqrt(d) : 0.5));
  return (t, out, o) => {
    const s = Math.sin((2 * Math.PI * t) / T), c = Math.cos((Math.PI * t) / T);
    for (let k = 0; k < P; k++) out[o + k] = coef[k]! + coef[P + k]! * s + coef[2 * P + k]! * c;
  };
}

/**
 * iid weights for `layers` layers (K entries N(0, 2/d), b entries N(0, 0.49)): the same
 * marginal scale as `smoothWeights`, independent across layers.
 */
export function iidWeights(out: Float64Array, layers: number, d: number, rng: Rng): Float64Array {
  const P = d * d + d;
  for (let l = 0; l < layers; l++) for (let k = 0; k < P; k++) out[l * P + k] = rng.normal() * (k < d * d ? Math.sqrt(2 / d) : 0.7);
  return out;
}

/**
 * The arrays of one depth N, allocated once and reused by every draw (each use overwrites
 * them): at N = 4096 one draw needs ≈ 3 MB, and 16 draws of fresh arrays cost more in
 * allocation and garbage collection than in the Heun steps.
 */
interface DepthWork {
  scheme: Scheme;
  nodes: Float64Array; stages: Float64Array; reverseTheta: Float64Array;
  xs: Float64Array; ps: Float64Array; gStages: Float64Array; g: Float64Array; gHat: Float64Array;
}

function depthWork(cfg: MemoryFreeConfig, N: number): DepthWork {
  const d = cfg.d ?? 3, P = d * d + d;
  const scheme = makeScheme(cfg.scheme, resnetField(d, getActivation('tanh')));
  const NS = N * scheme.stageTimes.length * P;
  return {
    scheme, nodes: new Float64Array((N + 1) * P), stages: new Float64Array(NS), reverseTheta: new Float64Array(NS),
    xs: new Float64Array((N + 1) * d), ps: new Float64Array((N + 1) * d), gStages: new Float64Array(NS),
    g: new Float64Array((N + 1) * P), gHat: new Float64Array((N + 1) * P),
  };
}

/** One depth and draw: the errors of the reconstruction and of the memory-free gradient. */
function oneDepth(cfg: MemoryFreeConfig, N: number, draw: number, w: DepthWork): { reconstruction: number; gradient: number } {
  const d = cfg.d ?? 3, T = cfg.T ?? 1, P = d * d + d;
  const { scheme, nodes } = w;
  if (cfg.weights === 'smooth') {
    const theta = smoothWeights(d, T, cfg.seed);
    for (let l = 0; l <= N; l++) theta((l * T) / N, nodes, l * P);
  } else {
    // iid across layers, a fresh stream per depth
    iidWeights(nodes, N + 1, d, makeRng(cfg.seed + 7919 * N + 104729 * draw));
  }
  const stages = nodesToStages(scheme, nodes, N, w.stages);
  const rng = makeRng(cfg.seed + 1);
  const x0 = new Float64Array(d).map(() => rng.normal()), y = new Float64Array(d).map(() => rng.normal());
  const depth = { N, T };
  const xs = forward(scheme, x0, stages, depth, w.xs);
  const xN = xs.slice(N * d), pN = xN.map((v, i) => v - y[i]!);
  // the stage gradients of backprop and of the memory-free sweep share one buffer: each is
  // folded onto the nodes before the next overwrites it
  const g = stagesToNodesGrad(scheme, backward(scheme, xs, stages, depth, pN, { ps: w.ps, gTheta: w.gStages }).gTheta, N, w.g);
  let reverseTheta: Float64Array | undefined;
  if (cfg.frozenReverse) {
    const S = scheme.stageTimes.length;
    reverseTheta = w.reverseTheta;
    reverseTheta.set(stages);
    for (let l = 0; l < N; l++) for (let s = 1; s < S; s++) reverseTheta.copyWithin((l * S + s) * P, l * S * P, (l * S + 1) * P);
  }
  const mf = backwardMemoryFree(scheme, xN, stages, depth, pN, reverseTheta ? { reverseTheta, gTheta: w.gStages } : { gTheta: w.gStages });
  const gHat = stagesToNodesGrad(scheme, mf.gTheta, N, w.gHat);
  let rec = 0, num = 0, den = 0;
  for (let i = 0; i < d; i++) rec = Math.max(rec, Math.abs(mf.x0[i]! - x0[i]!));
  for (let i = 0; i < g.length; i++) { num += (gHat[i]! - g[i]!) ** 2; den += g[i]! ** 2; }
  return { reconstruction: rec, gradient: Math.sqrt(num / den) };
}

/** The ladder over `depths`, both errors certified at the claim's order. */
export function memoryFreeLadder(cfg: MemoryFreeConfig): MemoryFreeLadder {
  if (!cfg.depths.length) throw new UserError('memory-free ladder: no depths');
  const T = cfg.T ?? 1;
  const draws = cfg.weights === 'iid' ? positiveInt(cfg.draws ?? 1, 'memory-free ladder: draws') : 1;
  const rows = cfg.depths.map((N) => {
    let reconstruction = 0, gradient = 0;
    const work = depthWork(cfg, N);
    for (let k = 0; k < draws; k++) { const r = oneDepth(cfg, N, k, work); reconstruction += r.reconstruction / draws; gradient += r.gradient / draws; }
    return { reconstruction, gradient };
  });
  const h = cfg.depths.map((N) => T / N), expected = expectedMemoryFreeOrder(cfg.scheme, cfg.weights);
  const reconstruction = rows.map((r) => r.reconstruction), gradient = rows.map((r) => r.gradient);
  return {
    label: `${cfg.scheme === 'euler' ? 'Euler' : 'Heun'}, ${cfg.weights} weights${cfg.frozenReverse ? ' (reverse reads θ_l only)' : ''}`,
    scheme: cfg.scheme, weights: cfg.weights, draws, depths: [...cfg.depths], h, reconstruction, gradient, expected,
    reconstructionCertificate: certifyOrder(h, reconstruction, expected),
    gradientCertificate: certifyOrder(h, gradient, expected),
  };
}
