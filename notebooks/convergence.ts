/** Depth convergence: nets converge to their ODE at certified orders; negative controls do not. */
import { defineNotebook } from '../src/report/notebook.ts';
import { C12_PROBLEM, powersOfTwo, schemeSweep } from '../src/experiments/depth-sweep.ts';
import { alternatingSweep, forwardConsistencySweep, weightSmoothnessSweep } from '../src/experiments/sweep-controls.ts';
import { memoryFreeData, memoryFreeSizes } from '../src/claims/memory-free.ts';
import { tanhInstanceSweep } from '../src/experiments/sweep-tanh.ts';
import { netVsOdeVsModified, schemeLadders, type ErrorVsDepthData } from '../src/experiments/sweep-trajectory.ts';
import type { ProblemText } from '../src/experiments/sweep-problem.ts';
import { C16_PROBLEM } from '../src/claims/convergence.ts';
import { describeCertificate, type OrderCertificate } from '../src/numeric/certify.ts';
import { fmt } from '../src/util/format.ts';

const PROBLEM: ProblemText = {
  ...C12_PROBLEM, A: [...C12_PROBLEM.A], beta: [...C12_PROBLEM.beta], constants: { ...C12_PROBLEM.constants }, x0: [...C12_PROBLEM.x0],
};

const certRow = (label: string, c: OrderCertificate) => [label, c.verdict, c.slope.toFixed(3), `[${c.ci[0].toFixed(3)}, ${c.ci[1].toFixed(3)}]`, `${c.used.length} of ${c.h.length}`];
const CERT_HEADER = ['ladder', 'verdict', 'slope', 'interval (95% CI + next-term bias)', 'points used'];

export default defineNotebook({
  name: 'convergence',
  title: 'Deep nets converge to their ODE: certified orders',
  summary: 'As depth N grows, the near-identity FF net and the Runge–Kutta nets converge to the proposed ODE at their declared orders, and first-order nets follow the modified equation at order 2; every order is certified with a confidence interval, and mis-scaled or rough-weight nets fail to converge.',
  run(nb) {
    const full = nb.mode === 'full';
    const top = full ? 16 : 12;

    nb.section('The problem and the certificate');
    nb.text('Ruseckas\' proposed ODE in $d = 2$ with the cubic nonlinearity $g(z) = -\\gamma z^3$, $\\gamma = 0.5$, time-dependent weights and biases, $T = 1$, $x_0 = (1, -0.5)$. The near-identity FF layer $x_{l+1} = h(W_l x_l + B_l)$ with $h = \\mathrm{id} + \\Delta t\\, g$, $W_l = I + \\Delta t\\, w(t_l)$, $B_l = \\Delta t\\, b(t_l)$ is a first-order discretisation of it.');
    nb.tex('\\dot x = w(t)\\,x + b(t) - \\gamma x^{3}, \\qquad w(t) = \\begin{pmatrix} -0.3 & 1 + 0.5\\sin 2t \\\\ -1 & -0.2 + 0.3\\cos 3t \\end{pmatrix}, \\quad b(t) = \\begin{pmatrix} 0.5\\cos t \\\\ 0.3 \\sin 2t \\end{pmatrix}');
    nb.text('The ODE is not typed in separately: it is the $\\varepsilon^1$ coefficient of the layer map\'s $\\varepsilon$-series, computed symbolically, so the net and its target share no code. The reference $x(T)$ comes from adaptive DOPRI5 at $\\mathrm{rtol} = 10^{-12}$. An order is accepted only when `certifyOrder` says so: after a stated rule drops round-off-floor and pre-asymptotic points, the error model $C h^s + D h^{s+1}$ is fitted by least squares ($\\log$ error on $\\log h$ and $h$), and the order $p$ must lie in the interval of $s$: its 95 % Student-$t$ interval plus the next-term bias $|s - s_1|$, $s_1$ the plain log–log slope.');
    nb.tex('\\|x_N - x(T)\\|_\\infty \\approx C\\,h^{p}, \\qquad h = T/N, \\qquad \\text{"order } p\\text{" iff } p \\in \\mathrm{CI}_{95\\%} \\pm 0.05\\max(1,p) \\text{ and half-width} \\le 0.25');

    nb.section('FF and Euler nets against the ODE (C12, C16)');
    nb.log('ladders: ff, euler');
    const first = schemeLadders(PROBLEM, [
      { scheme: 'ff', against: 'ode', depths: powersOfTwo(2, top) },
      { scheme: 'euler', against: 'ode', depths: powersOfTwo(2, top) },
    ]);
    nb.figure('error-vs-depth', first, 'Error of the FF and Euler nets at depths $N = 4 \\ldots 2^{' + top + '}$ against the ODE; the legend gives the certified slope and its 95 % half-width.');
    nb.text(`The first certificate's rule, verbatim: *${first.series[0]!.certificate.rule}*.`);
    const c16 = forwardConsistencySweep(C16_PROBLEM, powersOfTwo(2, full ? 14 : 10));
    nb.text(`Thorpe–van Gennip forward consistency (C16), the maximum over all layers of $|X^{(i)} - X(i/n)|$ for a tanh ResNet with Lipschitz $K(t)$, $b(t)$: ${describeCertificate(c16.certificate)}.`);
    nb.result('C12', first.series.map((s) => ({ label: s.label, slope: s.certificate.slope, ci: s.certificate.ci, verdict: s.certificate.verdict })));
    nb.result('C16', { slope: c16.certificate.slope, ci: c16.certificate.ci, verdict: c16.certificate.verdict });

    nb.section('The modified equation: order 2');
    nb.text('A first-order layer $x^+ = x + \\varepsilon f_1 + \\varepsilon^2 f_2 + O(\\varepsilon^3)$ is, to $O(\\varepsilon^2)$ over unit time, the time-$\\varepsilon$ flow of the modified field below ($t$ is carried as a state, so $\\partial_t f_1$ appears for time-dependent weights). Integrating it tightly for each $\\varepsilon = T/N$ turns the first-order error into a second-order one.');
    nb.tex('\\tilde F_\\varepsilon = f_1 + \\varepsilon\\Big[f_2 - \\tfrac12\\big(\\partial_x f_1\\, f_1 + \\partial_t f_1\\big)\\Big], \\qquad f_2^{\\mathrm{FF}} = g\'(x)\\,(w x + b)');
    nb.log('ladders: modified equation');
    const modified = schemeLadders(PROBLEM, [
      { scheme: 'ff', against: 'modified', depths: powersOfTwo(2, full ? 13 : 10) },
      { scheme: 'euler', against: 'modified', depths: powersOfTwo(2, full ? 13 : 10) },
    ]);
    nb.figure('error-vs-depth', { ...modified, yTitle: '$\\|x_N - \\tilde x(T)\\|_\\infty$' }, 'FF and Euler nets against their modified equations: slope 2.', { id: 'error-vs-depth-modified-equation' });
    const traj = netVsOdeVsModified(PROBLEM, { N: 8, samples: full ? 400 : 100 });
    nb.figure('net-vs-ode-vs-modified', traj, `An 8-layer FF net (markers), the ODE and the modified equation at $\\varepsilon = 1/8$ in the phase plane: $|x_8 - x(1)| = ${fmt(traj.errOde)}$, $|x_8 - \\tilde x(1)| = ${fmt(traj.errModified)}$.`);
    nb.result('modified', modified.series.map((s) => ({ label: s.label, slope: s.certificate.slope, verdict: s.certificate.verdict })));

    nb.section('Higher-order forward propagation');
    nb.text('With parameters sampled at the stage times, Heun and the explicit midpoint rule converge at order 2 and RK4 at order 4; RK4 reaches the reference\'s floor near $N = 2^9$, and the certificate drops those points (hollow markers) rather than fitting them.');
    nb.log('ladders: heun, midpoint, rk4');
    const higher = schemeLadders(PROBLEM, [
      { scheme: 'heun', against: 'ode', depths: powersOfTwo(2, full ? 14 : 11) },
      { scheme: 'midpoint', against: 'ode', depths: powersOfTwo(2, full ? 14 : 11) },
      { scheme: 'rk4', against: 'ode', depths: powersOfTwo(2, 10), rtol: 1e-13 },
    ]);
    nb.figure('error-vs-depth', higher, 'Heun, midpoint and RK4 nets against the ODE.', { id: 'error-vs-depth-higher-order' });
    nb.table(CERT_HEADER, [...first.series, ...modified.series, ...higher.series].map((s) => certRow(s.label, s.certificate)), 'Every scheme ladder and its certificate.');
    nb.result('higher', higher.series.map((s) => ({ label: s.label, slope: s.certificate.slope, verdict: s.certificate.verdict })));

    nb.section('Deep tanh networks are instances (C14)');
    nb.text('With inputs scaled by $s = \\sqrt{\\Delta t}$, weights $I + \\Delta t\\, w$ and biases $s\\Delta t\\, b$, a plain tanh MLP is the FF net of $g(z) = -z^3/3$, since $\\tanh(s v)/s = v - s^2 v^3/3 + O(s^4)$.');
    const tanhOk = tanhInstanceSweep({ w: PROBLEM.A!, b: PROBLEM.beta!, u0: PROBLEM.x0, T: 1, depths: powersOfTwo(4, top) });
    const tanhBad = tanhInstanceSweep({ w: PROBLEM.A!, b: PROBLEM.beta!, u0: PROBLEM.x0, T: 1, depths: powersOfTwo(4, top), kappa: 2 });
    nb.table(CERT_HEADER, [certRow('tanh MLP, $s = \\sqrt{\\Delta t}$', tanhOk.certificate), certRow('tanh MLP, $s = 2\\sqrt{\\Delta t}$ (control)', tanhBad.certificate)]);
    nb.result('C14', { slope: tanhOk.certificate.slope, verdict: tanhOk.certificate.verdict, control: tanhBad.certificate.verdict });

    nb.section('Negative controls: nets that must not converge to the ODE');
    nb.text('A mis-scaled residual (each layer steps $2\\Delta t$ on the $\\Delta t$ grid) converges to a different trajectory. Alternating weights $K^{(i)} = (-1)^i$ with $\\sigma = \\tanh$, $b = 0.5$, $x_0 = 1$ converge at $O(1/n)$ to the averaged ODE (C23), not to the weak-limit ODE $\\dot X = \\sigma(b)$. With rough weights $\\theta_k = (-1)^k$ the ResNet and the ODE driven by the interpolated weights stay $O(1)$ apart, while smooth weights close the gap at $O(1/N)$ (C35).');
    nb.tex('\\dot X = \\tfrac12\\big[\\sigma(X + b) + \\sigma(-X + b)\\big] \\quad\\text{versus}\\quad \\dot X = \\sigma(b) \\quad\\text{versus}\\quad \\dot X = \\tfrac12\\int_{-1}^{1} \\sigma(kX + b)\\,dk');
    const cd = powersOfTwo(3, full ? 14 : 11);
    const mis = schemeSweep({ ...PROBLEM, scheme: 'ff', against: 'ode', depths: cd, residual: { scale: 2 } });
    const alt = alternatingSweep({ depths: cd });
    const smooth = weightSmoothnessSweep({ depths: cd });
    const controls: ErrorVsDepthData = {
      title: 'controls',
      yTitle: '$\\text{error or gap}$',
      series: [
        { label: 'mis-scaled FF', depths: mis.depths, h: mis.h, err: mis.err, certificate: mis.certificate },
        { label: 'alternating K → averaged ODE', ...pick(alt.averaged) },
        { label: 'alternating K → weak limit', ...pick(alt.weak) },
        { label: 'smooth weights', ...pick(smooth.smooth) },
        { label: 'rough weights', ...pick(smooth.rough) },
      ],
    };
    nb.figure('error-vs-depth', controls, `Controls: the averaged limit is $X(1) = ${alt.limits.averaged.toFixed(6)}$ and the weak-limit prediction ${alt.limits.weak.toFixed(5)}; the distance to it stays ${alt.weak.err[alt.weak.err.length - 1]!.toFixed(4)}.`, { id: 'error-vs-depth-controls' });
    nb.table(CERT_HEADER, controls.series.map((s) => certRow(s.label, s.certificate)), 'Only the alternating net against the averaged ODE and the smooth-weight gap certify; the rest are inconclusive, as they must be.');
    nb.result('C23', { limit: alt.limits.averaged, weakGap: alt.weak.err[alt.weak.err.length - 1], slope: alt.averaged.certificate.slope });
    nb.result('C35', { smooth: smooth.smooth.certificate.slope, roughGap: smooth.rough.err[smooth.rough.err.length - 1] });

    nb.section('Activations reconstructed backwards: the memory-free adjoint (C36)');
    nb.text('Backprop needs every $x_l$. Running each layer backwards, $\\hat x_l = \\Phi_{-h}(\\hat x_{l+1}; \\theta_l)$ from $\\hat x_N = x_N$, recovers them without storing them, up to the local error of a step followed by its reverse: $h^2$ per layer for Euler, so $O(1/N)$ in $x_0$ and in the gradient; for Heun the $h^3$ terms cancel when the weights change by $O(h)$ per layer, and the error is $O(1/N^2)$ or better (measured: $O(1/N^3)$); with iid weights the per-layer error is $h^2$ again and the advantage is gone (Sander, Ablin & Peyré 2022).');
    const mf = memoryFreeData(memoryFreeSizes(nb.mode), nb.seed);
    nb.figure('memory-free-adjoint', mf, `Errors of the reconstructed $x_0$ (left) and of the memory-free gradient (right) for $\\dot x = \\tanh(Kx + b)$, $d = 3$; iid ladders average ${mf.methods.parameters['iidDraws']} draws; legend: the fitted slopes (left, right).`);
    nb.result('C36', mf.ladders.map((l) => ({ label: l.label, reconstruction: l.reconstructionCertificate.slope, gradient: l.gradientCertificate.slope })));
  },
});

function pick(l: { depths: number[]; h: number[]; err: number[]; certificate: OrderCertificate }) {
  return { depths: l.depths, h: l.h, err: l.err, certificate: l.certificate };
}
