/**
 * C39 (Li, Chen, Tai & E 2018; Avelin & Nyström 2021), the parts beyond the PMP costate
 * (C39a, in ./hamiltonian.ts):
 *  - (b) tied weights: with one θ shared by every layer, x_{k+1} = x_k + (T/N) f_θ(x_k), the
 *    net's loss and its θ-gradient converge at O(1/N) to the ODE's loss and the Pontryagin
 *    gradient ∫ a ∂F/∂θ dt. The ladders are experiments/adjoint-gap.ts with `gradient`.
 */
import type { Claim, ClaimContext, Evidence, Methods } from './types.ts';
import { CERTIFY_REASON, describeCertificate } from '../numeric/certify.ts';
import { adjointGap, type AdjointGapResult } from '../experiments/adjoint-gap.ts';
import { baseProblem } from '../experiments/hamiltonian-checks.ts';
import { quadraticLoss } from '../numeric/costate.ts';
import { makeScheme } from '../numeric/schemes/net.ts';

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

export const claims: Claim[] = [c39b];
