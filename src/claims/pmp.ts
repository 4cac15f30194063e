/**
 * C39 (Li, Chen, Tai & E 2018; Avelin & Nyström 2021), the parts beyond the PMP costate
 * (C39a, in ./hamiltonian.ts):
 *  - (b) tied weights: with one θ shared by every layer, x_{k+1} = x_k + (T/N) f_θ(x_k), the
 *    net's loss and its θ-gradient converge at O(1/N) to the ODE's loss and the Pontryagin
 *    gradient ∫ a ∂F/∂θ dt. The ladders are experiments/adjoint-gap.ts with `gradient`.
 *  - (a), second part: the extended method of successive approximations (E-MSA) decreases the
 *    loss monotonically for ρ large enough; the basic MSA (ρ = 0) need not. The iterations are
 *    experiments/msa.ts.
 */
import type { Claim, ClaimContext, Evidence, Methods } from './types.ts';
import { CERTIFY_REASON, describeCertificate } from '../numeric/certify.ts';
import { adjointGap, type AdjointGapResult } from '../experiments/adjoint-gap.ts';
import { baseProblem } from '../experiments/hamiltonian-checks.ts';
import { quadraticLoss } from '../numeric/costate.ts';
import { makeScheme } from '../numeric/schemes/net.ts';
import { emsa, msaProblem, type MsaRun, type MsaSizes } from '../experiments/msa.ts';
import { EPS } from '../util/approx.ts';
import { cached } from '../util/cache.ts';

export const AVELIN = 'Avelin & Nyström 2021, "Neural ODEs as the deep limit of ResNets with constant weights", Analysis and Applications 19(3) (arXiv:1906.12183): the loss of the tied-weight ResNet converges to the neural ODE\'s';
export const LI_MSA = 'Li, Chen, Tai & E 2018, "Maximum principle based algorithms for deep learning", JMLR 18(165) (arXiv:1710.09513): §3, the discrete PMP, the method of successive approximations and its extended version (E-MSA)';

/** The costate's DOPRI5 tolerance (rtol = atol) for the tied-weight ladders. */
const COSTATE_TOL = 1e-13;

/** Depths per mode (quick: the test suite). */
export function tiedWeightDepths(mode: 'quick' | 'full'): number[] {
  return mode === 'full' ? [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] : [8, 16, 32, 64, 128, 256, 512];
}

/** The data of the 'tied-weight-limit' figure and of C39(b)'s evidence. */
export interface TiedWeightData {
  /** Tied weights: θ_l = θ for every layer. */
  tied: AdjointGapResult;
  /** The control's ladder: θ_l = θ ± 0.9 alternating (untied), against the same ODE. */
  alternating: AdjointGapResult;
  methods: Methods;
}

/**
 * The Euler net of f_θ(x) = tanh(Kx + b) with θ = (K, b) seeded and shared by all layers
 * (d = 3, T = 2, L = ½|x − y|²), against the ODE ẋ = tanh(Kx + b): loss, gradient and costate
 * gaps per depth; the same ladder with alternating weights θ ± 0.9 (the control's system).
 */
export function tiedWeightData(depths: number[], seed: number): TiedWeightData {
  // computed once for C39b's check, its control and the hamiltonian-view notebook's figure (src/util/cache.ts)
  return cached('tied-weight', { depths, seed }, import.meta.url, () => computeTiedWeight(depths, seed));
}

function computeTiedWeight(depths: number[], seed: number): TiedWeightData {
  const p = baseProblem(seed), scheme = makeScheme('euler', p.field);
  const problem = { scheme, d: p.d, T: p.T, x0: p.x0, loss: quadraticLoss(p.y), thetaOf: (_t: number, out: Float64Array) => out.set(p.theta) };
  const run = (rough: boolean) => adjointGap({ scheme: 'euler', depths, rough, gradient: true, tol: COSTATE_TOL, problem });
  return {
    tied: run(false), alternating: run(true),
    methods: {
      claim: 'C39/b', source: AVELIN,
      scheme: 'Euler ResNet x_{k+1} = x_k + (T/N) tanh(K x_k + b), one θ = (K, b) for every layer; gradients by backprop summed over layers',
      solver: `ODE and costate (with ∫ a ∂F/∂θ dt along the backward solve) by DOPRI5, rtol = atol = ${COSTATE_TOL}`,
      depths,
      parameters: { d: 3, T: p.T, loss: '½|x(T) − y|²', K: 'N(0, 0.64) − 0.5 I', b: 'N(0, 0.09)', x0: 'N(0, 0.49)', y: 'N(0, 1)', controlAlternation: 0.9 },
      seed,
    },
  };
}

function c39bEvidence(d: TiedWeightData, control: boolean): Evidence {
  // the control asks the same question of the untied (alternating) net
  const r = control ? d.alternating : d.tied;
  const lc = r.lossCertificate!, gc = r.gradientCertificate!;
  const last = r.depths.length - 1;
  return {
    verdict: lc.verdict === 'order' && gc.verdict === 'order' ? 'holds' : 'fails',
    measured: `${lc.slope.toFixed(3)}, ${gc.slope.toFixed(3)}`,
    expected: '1, 1 (loss, θ-gradient)',
    tolerance: 'certifyOrder',
    toleranceReason: `Euler's global error is O(h), and the loss and the shared-θ gradient (the derivative of the loss under one uniform shift of θ) inherit it; the costate at rtol ${COSTATE_TOL} puts the round-off floor at 100× that; ${CERTIFY_REASON}`,
    detail: `${control ? 'alternating θ ± 0.9: ' : ''}loss |L_N − L(x(T))|: ${describeCertificate(lc)}; θ-gradient |Σ_l ∂L/∂θ_l − ∫ a ∂F/∂θ dt|∞: ${describeCertificate(gc)}; ` +
      `at N = ${r.depths[last]}: loss gap ${r.lossGap![last]!.toExponential(2)} (L(x(T)) = ${r.odeLoss!.toPrecision(8)}), gradient gap ${r.gradientGap![last]!.toExponential(2)}`,
    data: d,
    methods: d.methods,
  };
}

export const c39b: Claim = {
  id: 'C39', part: 'b', title: 'tied weights: the loss and its θ-gradient converge at O(1/N) to the ODE loss and the Pontryagin gradient ∫ a ∂F/∂θ dt',
  source: AVELIN, family: 'followup',
  statement: String.raw`x_{k+1} = x_k + \tfrac TN f_\theta(x_k):\quad \big|L(x_N) - L(x(T))\big| = O(1/N),\quad \Big|\sum_{k} \frac{\partial L}{\partial \theta_k} - \int_0^T a\,\frac{\partial F}{\partial \theta}\,dt\Big| = O(1/N)`,
  figures: ['tied-weight-limit'],
  check: (ctx: ClaimContext) => c39bEvidence(tiedWeightData(tiedWeightDepths(ctx.mode), ctx.seed), false),
  negativeControl: {
    description: 'weights untied: θ_k = θ ± 0.9 alternating between layers; the net then follows the averaged field ½[f_{θ+R} + f_{θ−R}], not f_θ, and neither gap closes',
    check: (ctx: ClaimContext) => c39bEvidence(tiedWeightData(tiedWeightDepths(ctx.mode), ctx.seed), true),
  },
};

/** The E-MSA task's sizes, the penalties ρ and the iteration count per mode (quick: the test suite). */
export function emsaSizes(mode: 'quick' | 'full'): MsaSizes & { rhos: number[]; iterations: number } {
  const base = { d: 2, S: 16, N: 10, T: 1, lambda: 0.01 };
  return mode === 'full'
    ? { ...base, rhos: [0, 0.3, 1, 3, 10, 30, 100, 300], iterations: 100 }
    : { ...base, rhos: [0, 1, 10, 100], iterations: 30 };
}

/** The data of the 'emsa-loss' figure and of C39(a)'s E-MSA evidence. */
export interface EmsaData {
  /** One run per ρ, ascending; ρ = 0 is the basic MSA. */
  runs: MsaRun[];
  iterations: number;
  /** The control's broken costate (p_N = +∇Φ). */
  flippedCostate: boolean;
  methods: Methods;
}

export function emsaData(sizes: ReturnType<typeof emsaSizes>, seed: number, flipCostate = false): EmsaData {
  // the check's runs are the hamiltonian-view notebook's figure: computed once (src/util/cache.ts)
  return cached('emsa', { sizes, seed, flipCostate }, import.meta.url, () => computeEmsa(sizes, seed, flipCostate));
}

function computeEmsa(sizes: ReturnType<typeof emsaSizes>, seed: number, flipCostate: boolean): EmsaData {
  const pb = msaProblem(sizes, seed);
  return {
    runs: sizes.rhos.map((rho) => emsa(pb, rho, sizes.iterations, flipCostate)),
    iterations: sizes.iterations, flippedCostate: flipCostate,
    methods: {
      claim: 'C39/a-emsa', source: LI_MSA,
      scheme: `Euler ResNet x_{n+1} = x_n + h(A_n x_n + β_n + tanh x_n) (Ruseckas' field, affine in θ_n = (A_n, β_n)); costate p_n = −∂Φ/∂x_n by backprop${flipCostate ? ' (control: p_N = +∇Φ)' : ''}`,
      solver: 'E-MSA: all layers at once, θ_n ← argmax of the sample mean of H̃_n, a concave quadratic maximised exactly by one LU solve of (λh I + ρM) θ = c + ρMθ_n (no inner optimiser)',
      depths: [sizes.N],
      parameters: { d: sizes.d, samples: sizes.S, T: sizes.T, lambda: sizes.lambda, R: '(λh/2)|θ_n|²', rho: sizes.rhos, iterations: sizes.iterations, task: 'y = Qx + 0.5 sin 2x, Q = rotation by π/2, x ~ N(0, I)', theta0: 'N(0, 0.01)' },
      seed,
    },
  };
}

/** Rounding of J = mean_s Φ_s + Σ_n R(θ_n): O(1) roundings per sample and layer, relative. */
const monotoneTol = (d: EmsaData, J: number): number => 10 * (Number(d.methods.parameters['samples']) + d.methods.depths![0]!) * EPS * Math.abs(J);

function monotone(d: EmsaData, r: MsaRun): boolean {
  return r.loss.length === d.iterations + 1 && r.loss.every((J, k) => k === 0 || J - r.loss[k - 1]! <= monotoneTol(d, r.loss[k - 1]!));
}

/** A run that never moves is trivially monotone: "large ρ" must also halve the loss within the iterations. */
const progress = (r: MsaRun): boolean => r.loss[r.loss.length - 1]! <= r.loss[0]! / 2;

function c39EmsaEvidence(d: EmsaData): Evidence {
  const ok = d.runs.map((r) => monotone(d, r) && progress(r));
  // ρ*: the smallest ρ of the ladder from which every larger ρ is monotone with progress
  let first = d.runs.length;
  while (first > 0 && ok[first - 1]) first--;
  const rhoStar = first < d.runs.length ? d.runs[first]!.rho : NaN;
  const basic = d.runs.find((r) => r.rho === 0)!;
  const basicRises = !monotone(d, basic);
  const fmtRun = (r: MsaRun) => `ρ = ${r.rho}: ${monotone(d, r) ? 'monotone' : `rises (max ΔJ ${r.maxIncrease === Infinity ? '∞: overflowed at iteration ' + r.loss.length : r.maxIncrease.toExponential(2)})`}, J ${r.loss[0]!.toPrecision(4)} → ${r.loss[r.loss.length - 1]!.toPrecision(4)}`;
  return {
    verdict: Number.isFinite(rhoStar) && rhoStar > 0 && basicRises ? 'holds' : 'fails',
    measured: Number.isFinite(rhoStar) ? `monotone for ρ ≥ ${rhoStar}; ρ = 0 ${basicRises ? 'rises' : 'monotone'}` : `no ρ of ${d.runs.map((r) => r.rho).join(', ')} monotone with progress`,
    expected: 'monotone for every ρ ≥ some ρ* > 0 (halving J); not monotone at ρ = 0',
    tolerance: `J_{k+1} − J_k ≤ 10(S + N)ε·J_k; J_K ≤ J_0/2`,
    toleranceReason: 'J is a sum of S sample losses and N layer regularisers, each rounded O(1) times: an increase within 10(S + N)ε·J is rounding; the halving excludes the vacuous monotonicity of a run that does not move (ρ → ∞)',
    detail: `${d.flippedCostate ? 'costate p_N = +∇Φ: ' : ''}${d.runs.map(fmtRun).join('; ')} (${d.iterations} iterations)`,
    data: d,
    methods: d.methods,
  };
}

export const c39Emsa: Claim = {
  id: 'C39', part: 'a-emsa', title: 'E-MSA (layer-wise maximisation of the augmented Hamiltonian) decreases the loss monotonically for large ρ; basic MSA (ρ = 0) may not',
  source: LI_MSA, family: 'followup',
  statement: String.raw`\theta_n^{k+1} = \arg\max_\theta \tilde H_n,\ \ \tilde H_n = H_n(x_n, p_{n+1}, \theta) - \tfrac\rho2\,\lVert x_{n+1} - g_n(x_n,\theta)\rVert^2 - \tfrac\rho2\,\lVert p_n - \nabla_x H_n(x_n, p_{n+1}, \theta)\rVert^2:\quad J(\theta^{k+1}) \le J(\theta^k)\ \text{for } \rho \ge \rho^*;\ \text{not so for } \rho = 0`,
  figures: ['emsa-loss'],
  check: (ctx: ClaimContext) => c39EmsaEvidence(emsaData(emsaSizes(ctx.mode), ctx.seed)),
  negativeControl: {
    description: 'costate with the wrong terminal sign, p_N = +∇Φ (the loss gradient instead of its negative): maximising H̃ then ascends the loss',
    check: (ctx: ClaimContext) => c39EmsaEvidence(emsaData(emsaSizes(ctx.mode), ctx.seed, true)),
  },
};

export const claims: Claim[] = [c39Emsa, c39b];
