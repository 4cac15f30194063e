/** Backprop as Hamiltonian mechanics: costate vs backprop, conservation of H, Liouville, and the adjoint gap. */
import { defineNotebook } from '../src/report/notebook.ts';
import { adjointGap } from '../src/experiments/adjoint-gap.ts';
import { ADJOINT_GAP_DEPTHS } from '../src/experiments/defaults.ts';
import {
  costateVsFiniteDifferences, discreteHamiltonianOscillation, hamiltonianConservation, liouvilleFormula, phaseSpaceFlow,
} from '../src/experiments/hamiltonian-checks.ts';
import { hamiltonianCurves, phaseSpaceVolume } from '../src/experiments/hamiltonian-curves.ts';
import { describeCertificate } from '../src/numeric/certify.ts';
import { fmt } from '../src/util/format.ts';
import { emsaData, emsaSizes, tiedWeightData, tiedWeightDepths } from '../src/claims/pmp.ts';

/** A number for inline TeX: 3.2e-12 → 3.222\\times 10^{-12}. */
const texNum = (v: number): string => {
  const f = fmt(v), m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(f);
  return m ? `${m[1]}\\times 10^{${Number(m[2])}}` : f;
};

export default defineNotebook({
  name: 'hamiltonian-view',
  title: 'Backprop as Hamiltonian mechanics',
  summary: 'The loss gradient with respect to the hidden state is a momentum conjugate to the state: its costate equation, conserved Hamiltonian, phase-space volume, and how fast discrete backprop approaches it as depth grows.',
  run(nb) {
    const full = nb.mode === 'full', seed = nb.seed;

    nb.section('The costate is the gradient');
    nb.text('For $\\dot x = F(x, q)$ on $[0, T]$ and a loss $L(x(T))$, the Lagrange multiplier $a(t)$ of the constraint solves the adjoint equation backward in time; it equals $\\partial L/\\partial x(t)$ (Ruseckas, slides 6–9). The test problem is $F = \\tanh(Kx + b)$ with seeded $K, b$ in $d = 3$, $T = 2$, $L = \\tfrac12|x(T) - y|^2$.');
    nb.tex('-\\frac{da}{dt} = a\\,\\frac{\\partial F}{\\partial x}\\big(x(t), q\\big), \\qquad a(T) = \\frac{\\partial L}{\\partial x(T)}, \\qquad \\frac{\\delta L}{\\delta q(t)} = a\\,\\frac{\\partial F}{\\partial q}');
    const c1 = costateVsFiniteDifferences(seed);
    nb.table(['component', '$a_i(0)$ (costate, DOPRI5)', 'central differences of the flow map'],
      c1.a0.map((v, i) => [i + 1, v.toPrecision(12), c1.fd[i]!.toPrecision(12)]),
      `Largest difference ${fmt(c1.err)}: the finite-difference floor.`);
    nb.result('C1', { err: c1.err });
    const curves = hamiltonianCurves(seed, full ? [8, 32, 128] : [8, 32], full ? 400 : 100);
    nb.figure('costate-vs-backprop', curves, 'The costate $a(t)$ (lines) and the backprop gradients $p_l = \\partial L/\\partial x_l$ of an Euler ResNet with tied weights (markers).');

    nb.section('The Hamiltonian is conserved; its discrete version oscillates');
    nb.text('With $H = a\\cdot F$, the state and costate equations are Hamilton\'s equations $\\dot x = \\partial H/\\partial a$, $\\dot a = -\\partial H/\\partial x$; for constant parameters $H$ is constant, otherwise $dH/dt = a\\,\\partial_q F\\,\\dot q$. For the Euler net with its exact discrete adjoint, $H_l = p_{l+1}\\cdot f(x_l)$ is not constant but oscillates with amplitude $O(h)$ and does not drift (Euler and its adjoint form a symplectic partitioned pair).');
    nb.tex('H = a\\cdot F(x, q), \\qquad \\dot x = \\frac{\\partial H}{\\partial a}, \\qquad \\dot a = -\\frac{\\partial H}{\\partial x}');
    const c4 = hamiltonianConservation(seed, full ? 1000 : 200);
    nb.text(`Constant parameters: $\\max_t H - \\min_t H = ${texNum(c4.ptp)}$ with $|H| \\approx ${texNum(c4.scale)}$. Time-dependent $q(t) = \\theta + \\sin t\\,\\theta_1$: $H(T) - H(0) = ${c4.dH.toPrecision(10)}$ against the quadrature $\\int_0^T a\\,\\partial_q F\\,\\dot q\\,dt = ${c4.quadrature.toPrecision(10)}$.`);
    nb.figure('hamiltonian-conservation', curves, 'The continuous $H(t)$ (line) and the discrete $H_l$ of Euler nets of two depths (markers).');
    const c5 = discreteHamiltonianOscillation(seed, full ? [10, 20, 40, 80, 160, 320, 640, 1280, 2560] : [10, 20, 40, 80, 160, 320, 640]);
    nb.text('The oscillation is not drift: Euler and its exact discrete adjoint form the symplectic Euler method for $H(x, p) = p\\cdot f(x)$, which conserves the modified Hamiltonian $K_l = H_l + \\tfrac h2\\, p_{l+1}\\cdot J(x_l) f(x_l)$ to $O(h^2)$; a costate taken one layer late still oscillates at $O(h)$ but does not conserve $K$.');
    nb.figure('discrete-hamiltonian-oscillation', c5, `Peak-to-peak oscillation of $H_l$: ${describeCertificate(c5.certificate)}; of $K_l$: ${describeCertificate(c5.modifiedCertificate)}.`);
    nb.result('C4', { ptp: c4.ptp, quadratureErr: c4.quadratureErr });
    nb.result('C5', { slope: c5.certificate.slope, ci: c5.certificate.ci, verdict: c5.certificate.verdict, modifiedSlope: c5.modifiedCertificate.slope, modifiedVerdict: c5.modifiedCertificate.verdict });

    nb.section('Phase-space volume (Liouville)');
    nb.text('The joint $(x, a)$ flow has divergence $\\operatorname{Tr} J - \\operatorname{Tr} J = 0$, so it preserves volume and is symplectic. The state flow alone changes volume by $\\exp\\int \\operatorname{Tr} J$, which is what makes the entropy of the hidden-state distribution change at rate $\\mathbb E[\\operatorname{Tr} J]$.');
    nb.tex('\\det \\frac{\\partial x(T)}{\\partial x(0)} = \\exp \\int_0^T \\operatorname{Tr} J_F\\,dt, \\qquad \\det M = 1,\\; M^{\\mathsf T}\\Omega M = \\Omega');
    const c7 = phaseSpaceFlow(seed), c8 = liouvilleFormula(seed);
    nb.table(['quantity', 'value'], [
      ['$\\det \\partial x(T)/\\partial x(0)$ (finite differences)', c8.detJacobian.toPrecision(12)],
      ['$\\exp\\int_0^T \\operatorname{Tr} J\\,dt$ (quadrature)', c8.expIntegral.toPrecision(12)],
      ['$\\det M - 1$, joint flow', fmt(c7.detM - 1)],
      ['$\\lVert M^{\\mathsf T}\\Omega M - \\Omega\\rVert_{\\max}$', fmt(c7.symplecticErr)],
    ]);
    nb.figure('phase-space-volume', phaseSpaceVolume(seed, full ? 80 : 20), 'The state flow contracts volume exactly as Liouville\'s formula says; the joint (state, costate) flow keeps it at 1.');
    nb.result('C7', { detErr: c7.detErr, symplecticErr: c7.symplecticErr });
    nb.result('C8', { ratio: c8.ratio });

    nb.section('The adjoint gap');
    nb.text('Discrete backprop $p_0$ of an $N$-layer net and the continuous costate $a(0)$ are gradients of two different problems. Their gap closes at the order of the scheme: 1 for the FF layer and Euler, 2 for Heun and the explicit midpoint rule, and 4 for RK4 forward propagation with parameters sampled at $t$, $t + h/2$, $t + h$ (its discrete adjoint is the partitioned Runge–Kutta partner of the same order); 2 for Störmer–Verlet on the Hamiltonian network $\\dot x = K\\sigma(K^{\\mathsf T}p + b)$, $\\dot p = -K\\sigma(K^{\\mathsf T}x + b)$. With rough, alternating-sign weights the net follows an averaged ODE and the gap to the weak-limit costate does not close.');
    const depths = full ? [4, 8, 16, 32, 64, 128, 256, 512, 1024] : ADJOINT_GAP_DEPTHS.slice(0, 7);
    const results = ['ff', 'euler', 'heun', 'midpoint', 'rk4', 'verlet'].map((scheme) => {
      nb.log(`adjoint gap: ${scheme}`);
      return adjointGap({ scheme, depths });
    });
    const tied = adjointGap({ scheme: 'rk4', depths, params: 'tied' });
    const rough = adjointGap({ scheme: 'euler', depths, rough: true });
    const all = [...results, tied, rough];
    const label = (r: typeof rough) => `${r.scheme}${r.params === 'tied' ? ' (weights tied to the nodes)' : ''}${r.rough ? ' (rough weights)' : ''}`;
    nb.text('When the weights live on the layer nodes and the half-step weights of RK4 are linear interpolants (as in Meganet), the $O(h^2)$ interpolation error caps the gap at order 2.');
    nb.table(['scheme', 'certificate'], all.map((r) => [label(r), r.summary]));
    nb.figure('adjoint-gap', { results: all }, 'Adjoint gap against $h = T/N$; hollow points were dropped by the certificate (round-off floor, pre-asymptotic).');
    nb.result('adjointGap', Object.fromEntries(all.map((r) => [label(r), { slope: r.certificate.slope, verdict: r.certificate.verdict }])));

    nb.section('Tied weights: the deep limit with one weight set (C39b)');
    nb.text('With one $\\theta$ shared by every layer, $x_{k+1} = x_k + \\tfrac TN f_\\theta(x_k)$, the ResNet\'s loss converges to the neural ODE\'s (Avelin & Nyström 2021), and its gradient $\\sum_k \\partial L/\\partial\\theta_k$ (backprop, summed over the layers that share $\\theta$) to the Pontryagin gradient $\\int_0^T a\\,\\partial F/\\partial\\theta\\,dt$, both at Euler\'s order 1. Untying the weights into $\\theta \\pm 0.9$ alternating between layers makes the net follow the averaged field $\\tfrac12[f_{\\theta+R} + f_{\\theta-R}]$ instead: neither gap closes.');
    nb.tex('\\Big|\\sum_{k=0}^{N-1} \\frac{\\partial L}{\\partial \\theta_k} - \\int_0^T a\\,\\frac{\\partial F}{\\partial \\theta}\\,dt\\Big| = O(1/N), \\qquad \\big|L(x_N) - L(x(T))\\big| = O(1/N)');
    const tw = tiedWeightData(tiedWeightDepths(nb.mode), seed);
    nb.table(['weights', 'loss gap', 'θ-gradient gap'], [
      ['tied', describeCertificate(tw.tied.lossCertificate!), describeCertificate(tw.tied.gradientCertificate!)],
      ['alternating θ ± 0.9', describeCertificate(tw.alternating.lossCertificate!), describeCertificate(tw.alternating.gradientCertificate!)],
    ]);
    nb.figure('tied-weight-limit', tw, `Gaps of the loss and of the shared-$\\theta$ gradient between the Euler net of $\\tanh(Kx + b)$ ($d = 3$, $T = ${tw.methods.parameters['T']}$) and its neural ODE, against $h = T/N$; tied weights certified at order 1, alternating weights flat.`);
    nb.result('C39b', { lossSlope: tw.tied.lossCertificate!.slope, gradientSlope: tw.tied.gradientCertificate!.slope, lossVerdict: tw.tied.lossCertificate!.verdict, gradientVerdict: tw.tied.gradientCertificate!.verdict });

    nb.section('Training by the maximum principle: MSA and E-MSA (C39a)');
    nb.text('Pontryagin\'s principle turns training into layer-wise maximisation: with the costate $p_n = -\\partial\\Phi/\\partial x_n$ (backprop, negated) and $H_n = p_{n+1}\\cdot g_n(x_n, \\theta) - R(\\theta)$, the method of successive approximations (MSA) alternates a forward pass, a backward pass and $\\theta_n \\leftarrow \\arg\\max H_n$. The maximiser of $H_n$ alone can jump far from where the linearisation behind it is valid; the extended MSA of Li, Chen, Tai & E (2018) penalises the violation of the state and costate equations, and their error estimate gives a monotone loss once $\\rho$ exceeds a constant of the problem. The net is the Euler ResNet of Ruseckas\' field $A x + \\beta + \\tanh x$, affine in $\\theta = (A, \\beta)$, so $\\tilde H_n$ is a concave quadratic maximised exactly (one linear solve per layer).');
    nb.tex('\\tilde H_n(\\theta) = H_n(x_n, p_{n+1}, \\theta) - \\tfrac\\rho2\\,\\lVert x_{n+1} - g_n(x_n, \\theta)\\rVert^2 - \\tfrac\\rho2\\,\\lVert p_n - \\nabla_x H_n(x_n, p_{n+1}, \\theta)\\rVert^2, \\qquad J = \\tfrac1S\\sum_s \\tfrac12\\lvert x_N^s - y^s\\rvert^2 + \\sum_n \\tfrac{\\lambda h}2\\lvert\\theta_n\\rvert^2');
    const em = emsaData(emsaSizes(nb.mode), seed);
    nb.table(['ρ', '$J(\\theta^0)$', `$J(\\theta^{${em.iterations}})$ (or last finite)`, 'largest increase $J_{k+1} - J_k$'], em.runs.map((r) => [
      r.rho === 0 ? '0 (basic MSA)' : String(r.rho), r.loss[0]!.toPrecision(4), r.loss[r.loss.length - 1]!.toPrecision(4),
      r.maxIncrease === Infinity ? `overflowed at iteration ${r.loss.length}` : r.maxIncrease > 0 ? fmt(r.maxIncrease) : `none (${fmt(r.maxIncrease)})`,
    ]), 'A negative largest increase means every iteration lowered the loss.');
    nb.figure('emsa-loss', em, `Loss per E-MSA iteration for $\\rho \\in \\{${em.runs.map((r) => r.rho).join(', ')}\\}$ ($d = ${em.methods.parameters['d']}$, ${em.methods.parameters['samples']} samples, $N = ${em.methods.depths![0]}$, $\\lambda = ${em.methods.parameters['lambda']}$); small $\\rho$ leaves the plot upwards.`);
    nb.result('C39a-emsa', em.runs.map((r) => ({ rho: r.rho, first: r.loss[0], last: r.loss[r.loss.length - 1], iterations: r.loss.length - 1, maxIncrease: r.maxIncrease })));
  },
});
