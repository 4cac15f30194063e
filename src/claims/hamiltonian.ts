/**
 * Claims of the Hamiltonian family (CLAIMS.md C1, C2, C4–C9, C39a): backprop is Hamiltonian
 * mechanics. Each claim wires a measurement from src/experiments/hamiltonian-checks.ts to a
 * verdict; each negative control runs the same measurement on a deliberately broken variant
 * (a missing transpose, a wrong sign, a frozen trajectory, the field instead of the map).
 */
import type { Claim, ClaimContext, Evidence } from './types.ts';
import { EPS } from '../util/approx.ts';
import { CERTIFY_REASON, describeCertificate } from '../numeric/certify.ts';
import {
  bilinearInvariant, costateVsFiniteDifferences, discreteGradientVsComplexStep, discreteHamiltonianOscillation,
  entropyKozachenkoLeonenko, entropyLinearGaussian, hamiltonianConservation, liouvilleFormula, phaseSpaceFlow, pmpCostate,
} from '../experiments/hamiltonian-checks.ts';

const verdict = (ok: boolean): Evidence['verdict'] => (ok ? 'holds' : 'fails');
const S3 = 'Ruseckas 2019, talk slides (S3)';

function c1(ctx: ClaimContext, control: boolean): Evidence {
  const r = costateVsFiniteDifferences(ctx.seed, control);
  const tol = 1e-8 * Math.max(1, r.scale);
  return {
    verdict: verdict(r.err <= tol), measured: r.err, expected: 0, tolerance: tol,
    toleranceReason: 'central differences (δ = 1e-5): truncation δ²|L‴|/6 ≈ 1e-10 and round-off ε|L|/δ ≈ 1e-11; RK4 flow (4000 steps) and costate (rtol 1e-12) errors below; ×30 margin',
    detail: `a(0) = [${r.a0.map((v) => v.toPrecision(10)).join(', ')}], FD = [${r.fd.map((v) => v.toPrecision(10)).join(', ')}]`,
    data: r,
  };
}

function c2(ctx: ClaimContext, control: boolean): Evidence {
  const r = discreteGradientVsComplexStep(ctx.seed, ctx.mode === 'full' ? [5, 10, 20, 50, 100] : [5, 20, 50], control);
  const rel = r.err.map((e, i) => e / Math.max(1, r.scale[i]!));
  const tols = r.N.map((n) => 10 * n * EPS);
  const ok = rel.every((e, i) => e <= tols[i]!);
  return {
    verdict: verdict(ok), measured: Math.max(...rel), expected: 0, tolerance: Math.max(...tols),
    toleranceReason: 'complex step (δ = 1e-30) is exact to rounding; backprop rounds O(1) times per layer, so ≤ 10·N·ε relative',
    detail: `N = ${r.N.join(', ')}: max |backprop − complex step| = ${r.err.map((e) => e.toExponential(2)).join(', ')}`,
    data: r,
  };
}

function c4(ctx: ClaimContext, control: boolean): Evidence {
  const r = hamiltonianConservation(ctx.seed, ctx.mode === 'full' ? 1000 : 200, control);
  const tolC = 1e-9 * Math.max(1, r.scale), tolQ = 1e-9 * Math.max(1, Math.abs(r.dH));
  const ok = r.ptp <= tolC && r.quadratureErr <= tolQ;
  return {
    verdict: verdict(ok), measured: Math.max(r.ptp, r.quadratureErr), expected: 0, tolerance: Math.max(tolC, tolQ),
    toleranceReason: 'state and costate by DOPRI5 at rtol 1e-12 with 4th-order dense output give H to ~1e-11; Simpson (400 intervals) error ≈ 1e-11; ×100 margin',
    detail: `constant θ: max H − min H = ${r.ptp.toExponential(2)} (|H| ≈ ${r.scale.toPrecision(4)}); q(t) = θ + sin t·θ₁: H(T) − H(0) = ${r.dH.toPrecision(12)} vs ∫ a ∂F/∂q q̇ dt = ${r.quadrature.toPrecision(12)}`,
    data: r,
  };
}

function c5(ctx: ClaimContext, control: boolean): Evidence {
  const depths = ctx.mode === 'full' ? [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120] : [10, 20, 40, 80, 160, 320, 640];
  const r = discreteHamiltonianOscillation(ctx.seed, depths, control);
  const c = r.certificate, m = r.modifiedCertificate;
  return {
    verdict: verdict(c.verdict === 'order' && m.verdict === 'order'), measured: `${c.slope.toFixed(3)}, ${m.slope.toFixed(3)}`, expected: '1, 2',
    tolerance: 'certifyOrder',
    toleranceReason: `ptp H_l of order 1 (the oscillation) and ptp of the modified Hamiltonian K_l = H_l + (h/2) p_{l+1}·J f(x_l) of order 2 (no drift: the O(h) part is all first-order modified Hamiltonian, which only the exact discrete adjoint conserves); ${CERTIFY_REASON}`,
    detail: `ptp H_l: ${describeCertificate(c)}; ptp K_l: ${describeCertificate(m)}; ptp H_l = ${r.ptp.map((v) => v.toExponential(2)).join(', ')}; ptp K_l = ${r.ptpModified.map((v) => v.toExponential(2)).join(', ')}`,
    data: r,
  };
}

function c6(ctx: ClaimContext, control: boolean): Evidence {
  const N = ctx.mode === 'full' ? 200 : 50;
  const r = bilinearInvariant(ctx.seed, N, control);
  const tol = 4 * N * EPS * Math.max(1, r.magnitude);
  return {
    verdict: verdict(r.ptp <= tol), measured: r.ptp, expected: 0, tolerance: tol,
    toleranceReason: 'an exact identity of the discrete adjoint: each layer rounds its matvec and dot product at ε, accumulating at most linearly in N',
    detail: `max_l − min_l of p_l·δx_l over ${N + 1} layers (|p·δx| ≈ ${r.values[0]!.toPrecision(6)})`,
    data: r,
  };
}

function c7(ctx: ClaimContext, control: boolean): Evidence {
  const r = phaseSpaceFlow(ctx.seed, control);
  const tol = 1e-7;
  return {
    verdict: verdict(r.detErr <= tol && r.symplecticErr <= tol), measured: Math.max(r.detErr, r.symplecticErr), expected: 0, tolerance: tol,
    toleranceReason: 'M by central differences of the RK4 (x, a) flow (δ = 1e-5, 2000 steps): entries accurate to ~1e-10, amplified by ‖M‖² in MᵀΩM',
    detail: `det M − 1 = ${(r.detM - 1).toExponential(2)}, ‖MᵀΩM − Ω‖_max = ${r.symplecticErr.toExponential(2)}`,
    data: r,
  };
}

function c8(ctx: ClaimContext, control: boolean): Evidence {
  const r = liouvilleFormula(ctx.seed, control);
  const tol = 1e-8;
  return {
    verdict: verdict(Math.abs(r.ratio - 1) <= tol), measured: r.ratio, expected: 1, tolerance: tol,
    toleranceReason: 'determinant of a central-difference Jacobian (entries to ~1e-10) vs DOPRI5 quadrature at rtol 1e-12; ×30 margin',
    detail: `det ∂x(T)/∂x(0) = ${r.detJacobian.toPrecision(12)}, exp ∫ Tr J dt = ${r.expIntegral.toPrecision(12)}`,
    data: r,
  };
}

function c9Linear(ctx: ClaimContext, control: boolean): Evidence {
  const r = entropyLinearGaussian(ctx.seed, control);
  const tol = 1e-10;
  return {
    verdict: verdict(r.err <= tol), measured: r.err, expected: 0, tolerance: tol,
    toleranceReason: 'Gaussian entropies from e^{wt} by DOPRI5 at rtol 1e-13 and log det by LU (condition ≲ 1e2): ≈ 1e-12; ×100 margin',
    detail: `H(t) − H(0) at t = ${r.t.join(', ')}: ${r.entropyChange.map((v) => v.toPrecision(10)).join(', ')} vs t·Tr w = ${r.predicted.map((v) => v.toPrecision(10)).join(', ')}`,
    data: r,
  };
}

function c9Entropy(ctx: ClaimContext, control: boolean): Evidence {
  const r = entropyKozachenkoLeonenko(ctx.seed, ctx.mode === 'full' ? 8000 : 2000, control);
  // The bias left after the correction on P₀ is the difference of the (whitened) estimator's
  // biases on two smooth densities, measured an order below its size on P₀ (0.009 ± 0.003 vs
  // 0.049 at n = 2000, −0.004 ± 0.003 vs 0.023 at n = 8000, 6 draws each); allowed: that size,
  // |Ĥ(x₀) − H₀| + 2 SE (a 97.5 % upper bound).
  const biasBound = Math.abs(r.klInitial - r.H0) + 2 * r.klInitialSE;
  const tol = 4 * r.se + biasBound;
  return {
    verdict: verdict(Math.abs(r.diff) <= tol), measured: r.measured, expected: r.predicted, tolerance: tol,
    toleranceReason: `4 paired standard errors (false alarm ≈ 6e-5) plus the Kozachenko–Leonenko bias at n = ${r.samples}, k = ${r.k}, d = 3 (O((k/n)^{2/3})), bounded by its error on the Gaussian P₀ whose entropy is known: |Ĥ(x₀) − H₀| + 2 SE = ${biasBound.toFixed(4)}`,
    detail: `Ĥ(φ_T(x₀)) = ${r.klFinal.toFixed(4)} (k-NN, ${r.samples} points), corrected by Ĥ(x₀) − H₀ = ${(r.klInitial - r.H0).toFixed(4)}: ${r.measured.toFixed(4)} vs H₀ + ∫ E[Tr J] dt = ${r.H0.toFixed(4)} + ${r.traceIntegral.toFixed(4)} = ${r.predicted.toFixed(4)}; difference ${r.diff.toFixed(4)} ± ${r.se.toFixed(4)}`,
    data: r,
  };
}

function c39(ctx: ClaimContext, control: boolean): Evidence {
  const N = ctx.mode === 'full' ? 200 : 30;
  const r = pmpCostate(ctx.seed, N, control);
  const tol = 10 * N * EPS * Math.max(1, r.scale);
  return {
    verdict: verdict(r.err <= tol), measured: r.err, expected: 0, tolerance: tol,
    toleranceReason: '∇_x H_n by complex step is exact to rounding; the backward recursion rounds O(1) times per layer',
    detail: `max_n |p_n(PMP) − p_n(backprop)| over ${N} layers`,
    data: r,
  };
}

export const claims: Claim[] = [
  {
    id: 'C1', title: 'the costate a(t) is the gradient of the loss with respect to the hidden state', source: `${S3}, slides 6–9`, family: 'ruseckas',
    statement: '-\\dot a = a\\,\\frac{\\partial F}{\\partial x},\\; a(T) = \\frac{\\partial L}{\\partial x(T)} \\;\\Rightarrow\\; a(0) = \\nabla_{x_0} L\\big(x(T)\\big)',
    figures: ['costate-vs-backprop'],
    check: (ctx) => c1(ctx, false),
    negativeControl: { description: 'costate with the transpose missing (−ȧ = (∂F/∂x) a)', check: (ctx) => c1(ctx, true) },
  },
  {
    id: 'C2', title: 'discrete backprop formulas for a ResNet are exact (machine precision vs complex step)', source: `${S3}, slides 6–9 (discrete version inferred)`, family: 'ruseckas',
    statement: 'p_l = p_{l+1}\\big(I + h\\,\\partial_x f(x_l,\\theta_l)\\big),\\quad \\frac{\\partial L}{\\partial \\theta_l} = h\\,p_{l+1}\\,\\partial_\\theta f(x_l,\\theta_l)',
    check: (ctx) => c2(ctx, false),
    negativeControl: { description: 'backprop with the Jacobian transpose missing', check: (ctx) => c2(ctx, true) },
  },
  {
    id: 'C4', title: 'H = a·F is conserved for constant parameters; dH/dt = a ∂F/∂q q̇ otherwise', source: `${S3}, slide 12`, family: 'ruseckas',
    statement: 'H = a\\cdot F(x,q),\\quad \\frac{dH}{dt} = a\\,\\frac{\\partial F}{\\partial q}\\,\\dot q \\;(=0 \\text{ for constant } q)',
    figures: ['hamiltonian-conservation'],
    check: (ctx) => c4(ctx, false),
    negativeControl: { description: 'costate integrated with the wrong sign (ȧ = +a ∂F/∂x)', check: (ctx) => c4(ctx, true) },
  },
  {
    id: 'C5', title: 'the discrete Hamiltonian H_l = p_{l+1}·f(x_l) of the exact discrete adjoint oscillates at O(h) without drift', source: 'inferred from S3 (Euler + discrete adjoint is a symplectic partitioned pair)', family: 'ruseckas',
    statement: '\\max_l H_l - \\min_l H_l = O(h),\\quad \\max_l K_l - \\min_l K_l = O(h^2),\\quad H_l = p_{l+1}\\cdot f(x_l),\\ K_l = H_l + \\tfrac h2\\, p_{l+1}\\cdot J(x_l) f(x_l)',
    figures: ['discrete-hamiltonian-oscillation'],
    check: (ctx) => c5(ctx, false),
    negativeControl: { description: 'a consistent costate taken one layer late (p_{l+2} for p_{l+1}): H still oscillates at O(h), but K is not conserved to O(h²)', check: (ctx) => c5(ctx, true) },
  },
  {
    id: 'C6', title: 'the bilinear invariant p_l·δx_l is constant along the net', source: 'inferred from S3 (the symplectic content of "momentum")', family: 'ruseckas',
    statement: 'p_l\\cdot\\delta x_l = p_{l+1}\\cdot\\delta x_{l+1},\\quad \\delta x_{l+1} = (I + hJ_l)\\,\\delta x_l',
    check: (ctx) => c6(ctx, false),
    negativeControl: { description: 'a non-matching adjoint (Jacobian transpose missing)', check: (ctx) => c6(ctx, true) },
  },
  {
    id: 'C7', title: 'the (x, a) flow preserves phase-space volume and is symplectic', source: `${S3}, slide 12 (Liouville)`, family: 'ruseckas',
    statement: 'M = \\frac{\\partial\\,(x(T),a(T))}{\\partial\\,(x(0),a(0))}:\\quad \\det M = 1,\\; M^{\\mathsf T}\\Omega M = \\Omega',
    figures: ['phase-space-volume'],
    check: (ctx) => c7(ctx, false),
    negativeControl: { description: 'costate with the wrong sign: the joint flow has divergence 2 Tr J', check: (ctx) => c7(ctx, true) },
  },
  {
    id: 'C8', title: 'Liouville formula for the state flow', source: `${S3}, slide 13 (entropy), inferred`, family: 'ruseckas',
    statement: '\\det \\frac{\\partial x(T)}{\\partial x(0)} = \\exp \\int_0^T \\operatorname{Tr} J_F\\big(x(t),t\\big)\\,dt',
    figures: ['phase-space-volume'],
    check: (ctx) => c8(ctx, false),
    negativeControl: { description: 'Tr J frozen at the initial state (T·Tr J(x₀))', check: (ctx) => c8(ctx, true) },
  },
  {
    id: 'C9', part: 'linear-gaussian', title: 'entropy rate dH/dt = E[Tr ∂F/∂x]: exact for a linear field and Gaussian P₀', source: `${S3}, slide 13`, family: 'ruseckas',
    statement: 'H(t) - H(0) = \\tfrac12 \\log\\frac{\\det \\Sigma_t}{\\det \\Sigma_0} = t\\,\\operatorname{Tr} w,\\quad \\Sigma_t = e^{wt}\\Sigma_0 e^{w^{\\mathsf T} t}',
    check: (ctx) => c9Linear(ctx, false),
    negativeControl: { description: 'the wrong sign of the rate (−Tr w)', check: (ctx) => c9Linear(ctx, true) },
  },
  {
    id: 'C9', part: 'monte-carlo', title: 'entropy of the pushed-forward sample (k-NN estimate) = H₀ + ∫ E[Tr J] dt (nonlinear)', source: `${S3}, slide 13`, family: 'ruseckas',
    statement: 'H(P_T) = H(P_0) + \\int_0^T \\mathbb E_{x\\sim P_t}\\big[\\operatorname{Tr} \\partial_x F\\big]\\,dt,\\quad P_T = (\\varphi_T)_\\# P_0',
    check: (ctx) => c9Entropy(ctx, false),
    negativeControl: { description: 'the rate without σ′ (Tr K instead of Tr J)', check: (ctx) => c9Entropy(ctx, true) },
  },
  {
    id: 'C39', part: 'a', title: 'the PMP costate p_n = ∇ₓH_n equals backprop', source: 'Li, Chen, Tai & E 2018 (MSA); Avelin & Nyström 2021', family: 'followup',
    statement: 'p_n = \\nabla_x H_n(x_n, p_{n+1}, \\theta_n),\\quad H_n = p_{n+1}\\cdot g_n(x_n,\\theta_n) - R(\\theta_n)',
    check: (ctx) => c39(ctx, false),
    negativeControl: { description: 'H_n built from the vector field f instead of the layer map g = x + h f', check: (ctx) => c39(ctx, true) },
  },
];
