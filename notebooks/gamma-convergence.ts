/** Γ-convergence of training: minimal energies and minimisers converge as depth grows. */
import { defineNotebook } from '../src/report/notebook.ts';
import { subsample, toyDataset } from '../src/experiments/gamma/data.ts';
import { benchProblem, claimSweep, claimSweepConfig, doublings, gammaSweep, toyModel } from '../src/experiments/gamma/sweep.ts';
import { multilevel } from '../src/experiments/gamma/train.ts';
import { regulariserConsistency } from '../src/experiments/gamma/regulariser.ts';
import { claimGradientErrors } from '../src/experiments/gamma/continuum.ts';
import { toyVariant, variantEvidence } from '../src/experiments/gamma/variants.ts';
import { parabolaBound } from '../src/experiments/gamma/isotonic.ts';
import { energyLadders, iterationsOf, kappaLadders, minimiserLadders, neumannLadders, profilesOf } from '../src/figures/gamma.ts';
import { certifyOrder, describeCertificate } from '../src/numeric/certify.ts';
import { fmt } from '../src/util/format.ts';
import { c37Evidence, c38Evidence, scalingData, smoothnessData, trainingSizes } from '../src/claims/training.ts';

const hOf = (ns: number[]) => ns.map((n) => 1 / n);

export default defineNotebook({
  name: 'gamma-convergence',
  title: 'Γ-convergence of training: energies and minimisers converge with depth',
  summary: 'Residual networks trained with an H¹-in-depth regulariser: as depth doubles, minimal energies, interpolated minimisers, their Neumann boundary quotients and the scaled gradients converge at certified rate 1/n; L-BFGS in the regulariser\'s H¹ metric needs a depth-independent number of iterations where plain L-BFGS degrades like the conditioning; κ > 1 flattens minimisers and no difference term makes them rough.',
  run(nb) {
    const full = nb.mode === 'full';

    nb.section('The objective');
    nb.text('Thorpe and van Gennip\'s ResNet with $n$ layers, parameters at the cell centres $t_k = (k + \\frac12)/n$, a readout $w\\cdot X + c$ and the depth regulariser below ($\\kappa = 1$; GAMMA.md writes the weights as $\\lambda$ and $\\mu$). The value and gradient are one batched forward/backward sweep on Float64Array.');
    nb.tex('X^{(k+1)}_s = X^{(k)}_s + \\tfrac1n \\sigma\\big(K^{(k)} X^{(k)}_s + b^{(k)}\\big), \\qquad E_n = \\frac1S\\sum_s \\tfrac12\\big(w\\cdot X_s^{(n)} + c - y_s\\big)^2 + \\sum_{\\theta \\in \\{K, b\\}} \\Big[\\frac{\\lambda}{n}\\sum_k |\\theta^{(k)}|^2 + \\mu\\, n^{\\kappa} \\sum_k |\\theta^{(k+1)} - \\theta^{(k)}|^2\\Big]');

    nb.section('Depth-independent optimisation in the H¹ metric');
    nb.text('The difference term makes the Hessian as ill-conditioned as $(2\\lambda/n) I + 2\\mu n (-\\Delta)$, i.e. like $n^2$. L-BFGS whose initial inverse Hessian is $\\gamma M^{-1}$ with that operator $M$ (a tridiagonal solve per parameter, $O(n)$) sees a depth-independent problem. Each level starts from the previous minimiser prolonged piecewise-linearly (constant beyond the end centres) and stops at $n\\|\\nabla E_n\\|_\\infty \\le 10^{-7}$ or 5000 iterations.');
    const bench = benchProblem();
    const data = full ? bench.data : subsample(bench.data, 64);
    nb.log('GAMMA sweep (H¹)');
    // per-level wall time goes to the log; the page keeps iteration counts (the same on every run)
    const onLevel = (l: { n: number; iterations: number }, s: number) => nb.log(`  n = ${l.n}: ${l.iterations} iterations, ${s.toFixed(3)} s`);
    const h1 = gammaSweep(bench.model, data, doublings(4, full ? 1024 : 256), { optimizer: 'h1', onLevel });
    nb.log('GAMMA sweep (plain)');
    // plain L-BFGS stops at n = 128 in full mode: its n = 256 level (1480 iterations, measured)
    // alone cost a third of this notebook's CPU time and shows nothing the earlier doublings do not
    const plain = multilevel(bench.model, data, doublings(4, full ? 128 : 64), { optimizer: 'plain', onLevel });
    nb.figure('gamma-iterations', iterationsOf([{ label: 'plain L-BFGS', levels: plain }, { label: 'H¹ L-BFGS', levels: h1.levels }]),
      `Iterations per level on the GAMMA data (${data.S} samples); plain L-BFGS shown up to $n = ${plain[plain.length - 1]!.n}$: its iterations roughly double with each doubling of $n$, like the conditioning (at $n = 256$ they were 1480, at $n = 512$ 2702; the \`gamma --optimizer plain\` command runs any depth).`);
    nb.table(['n', 'H¹ iterations', 'plain iterations', '$E_n^*$', '$n\\|\\nabla E_n\\|_\\infty$', '$|E_n^* - E_{2n}^*|$'],
      h1.levels.map((l, i) => [l.n, l.iterations, plain.find((p) => p.n === l.n)?.iterations ?? '—', l.energy.toPrecision(10), fmt(l.scaledGradient),
        i < h1.evidence.energyCauchy.length ? fmt(h1.evidence.energyCauchy[i]!) : '']),
      'The benchmark problem of GAMMA.md with the H¹-preconditioned sweep.');
    nb.text(`On this data: ${describeCertificate(h1.evidence.certificates.energyCauchy)} for the energies and ${describeCertificate(h1.evidence.certificates.minimiserL2)} for the $L^2$ distance of consecutive minimisers.`);
    nb.result('gammaSweep', { levels: h1.evidence.levels, plain: plain.map((l) => ({ n: l.n, iterations: l.iterations, converged: l.converged })), certificates: h1.evidence.certificates });

    nb.section('Energies, minimisers and boundary conditions converge (C19–C21)');
    const cfg = claimSweepConfig(nb.mode);
    nb.text('CLAIMS.md §2.7\'s toy: $d = 1$, seven points $y = \\tanh 3x$, $\\alpha = 10^{-3}$, a learned readout with ridge $10^{-4}$. Cauchy ladders need no reference; the deepest level is Richardson-extrapolated, $\\bar E = 2E_N^* - E_{N/2}^*$.');
    const toy = claimSweep(nb.mode); // the claims' own sweep (C19–C21), computed once
    nb.figure('gamma-energy-convergence', energyLadders(toy.evidence), 'Minimal energies as depth doubles.');
    nb.figure('gamma-minimiser-convergence', minimiserLadders(toy.evidence), 'Distances between the interpolated minimisers of consecutive depths, and of the learned readout.');
    nb.figure('gamma-minimiser-profiles', profilesOf(toy.evidence, 2), 'Minimisers $K_n(t)$ overlaid: they settle onto one smooth curve with $K\'(0) = K\'(1) = 0$.');
    nb.figure('gamma-neumann', neumannLadders(toy.evidence), 'Boundary quotients $n(\\theta_1 - \\theta_0)$ vanish at rate $1/n$; the interior quotient tends to $K\'(\\frac12) \\neq 0$.');
    nb.result('toySweep', { levels: toy.evidence.levels, certificates: toy.evidence.certificates });

    nb.section('Consistency of the regulariser and of the gradient (C17, C22)');
    const ns = doublings(8, full ? 1024 : 256);
    const nodes = regulariserConsistency(ns, 'nodes'), cells = regulariserConsistency(ns, 'cells');
    nb.figure('gamma-regulariser-consistency', {
      yTitle: '$|R_n - 2\\pi^2|$', referenceSlopes: [1, 2],
      series: [
        { label: 'nodes', h: hOf(ns), err: nodes.error, certificate: certifyOrder(hOf(ns), nodes.error, 2) },
        { label: 'cell centres', h: hOf(ns), err: cells.error, certificate: certifyOrder(hOf(ns), cells.error, 1) },
      ],
    }, '$R_n = n\\sum|\\Delta K|^2$ for $K = \\sin 2\\pi t$: nodes lose $O(n^{-2})$, cell centres miss the end half-cells, $O(n^{-1})$.');
    // C22's own ladder (computed once for the claim, its control and this figure); the figure
    // stops at n = 512 in full mode: every depth is computed on its own, so the prefix is that ladder
    const c22 = claimGradientErrors(nb.mode), top = full ? 512 : 128;
    const gns = c22.n.filter((n) => n <= top), gradErr = c22.scaled.slice(0, gns.length);
    nb.figure('gamma-scaled-gradient', {
      yTitle: '$\\max_k |n\\,\\partial E_n/\\partial\\theta_k - \\delta E/\\delta\\theta(t_k)|$', referenceSlopes: [1],
      series: [{ label: 'scaled gradient', h: hOf(gns), err: gradErr, certificate: certifyOrder(hOf(gns), gradErr, 1) }],
    }, 'For a fixed smooth $K(t), b(t) = u + v\\cos\\pi t$ the scaled discrete gradient approaches the continuum $L^2$ gradient (state and costate by DOPRI5 at $10^{-12}$).');

    nb.section('The exponent κ and the role of the difference term (C23, C24)');
    const vd = doublings(4, full ? 1024 : 128);
    // κ = 1 is the C19–C21 sweep above (toyModel(), the same optimiser; multilevel levels depend
    // only on the levels before them, so its levels up to vd's top are this ladder); κ = 1.5 is shared with C24
    const runs = [0.5, 1, 1.5].map((kappa) => ({
      kappa, v: kappa === 1 ? variantEvidence(toy.levels.filter((l) => l.n <= vd[vd.length - 1]!), 2) : toyVariant(kappa, 1e-3, vd),
    }));
    const k15 = runs[2]!;
    nb.figure('gamma-kappa', kappaLadders(runs.map((r) => ({ ...r, ...(r.kappa === 1.5 ? { certificate: certifyOrder(hOf(vd), r.v.totalVariation, 0.5) } : {}) }))),
      'Total variation of minimisers: it grows for κ = 0.5 (no compactness), has a positive limit for κ = 1 and falls like $n^{-1/2}$ for κ = 1.5 (constant weights in the limit).');
    const nodiff = toyVariant(1, 0, vd.filter((n) => n <= 64));
    const rough = multilevel(toyModel(1e-3, 1, 0), toyDataset(), doublings(4, 32), { optimizer: 'h1' });
    nb.figure('gamma-minimiser-profiles', {
      yTitle: '$K(t)$', series: rough.filter((_, i) => i % 2 === 1).map((l) => ({ label: `$n = ${l.n}\\text{, no difference term}$`, t: Array.from({ length: l.n }, (_, k) => (k + 0.5) / l.n), y: Array.from({ length: l.n }, (_, k) => l.theta[2 * k]!) })),
    }, 'Without the difference term the minimisers jump (a branch switch near $t \\approx 1/3$): no $H^1$ bound, no convergence.', { id: 'gamma-minimiser-profiles-no-difference-term' });
    nb.table(['n', 'TV κ = 0.5', 'TV κ = 1', 'TV κ = 1.5', '$n\\sum|\\Delta K|^2$ without difference term'],
      vd.map((n, i) => [n, fmt(runs[0]!.v.totalVariation[i]!), fmt(runs[1]!.v.totalVariation[i]!), fmt(k15.v.totalVariation[i]!), i < nodiff.h1Seminorm.length ? fmt(nodiff.h1Seminorm[i]!) : '']));
    nb.result('kappa', runs.map((r) => ({ kappa: r.kappa, tv: r.v.totalVariation, iterations: r.v.iterations })));

    nb.section('A lower bound in one dimension (C25)');
    const m1 = parabolaBound(false, doublings(4, full ? 128 : 32)), m2 = parabolaBound(true, doublings(4, full ? 128 : 32)); // shared with C25
    nb.text(`Target $y = x^2$ on 15 points: a $d = 1$ residual net is monotone (every layer has slope $1 + \\sigma' K/n > 0$ here, $\\max |K|/n = ${fmt(Math.max(...m1.maxStepLipschitz))}$), so its loss cannot go below the isotonic-regression residual ${fmt(m1.residual)}; augmenting to $d = 2$ removes the obstruction.`);
    nb.table(['n', 'loss, d = 1', 'loss, d = 2 (augmented)', 'isotonic residual'], m1.depths.map((n, i) => [n, fmt(m1.loss[i]!), fmt(m2.loss[i]!), fmt(m1.residual)]));
    nb.result('monotone', { d1: m1, d2: m2 });

    nb.section('Training keeps a smooth initialisation smooth (C37) and the depth-scaling exponents (C38)');
    nb.text('No regulariser now: $h_{k+1} = h_k + \\delta \\tanh(K_k h_k + b_k)$, $d = 2$, readout $h_1 - h_2$, trained by gradient flow $\\dot\\theta_k = -\\partial_{\\theta_k} E/(L\\delta^2)$ (the same training time at every depth; explicit Euler in $\\tau$) from a discretised smooth $\\Theta_0(t)$ or from iid layers. Marion et al. (2024): with $\\delta = 1/L$ the Lipschitz-in-depth statistic stays bounded and the trained ResNet tends to the trained neural ODE at $O(1/L)$.');
    const sizes = trainingSizes(nb.mode);
    const sm = smoothnessData(sizes, nb.seed), e37 = c37Evidence(sm);
    nb.figure('training-smoothness', sm, `Left: $\\sup_\\tau L\\max_k\\|K_{k+1} - K_k\\|_F$ over training to $\\tau = ${sizes.tau}$ (smooth and iid initialisation, $\\delta = 1/L$). Right: the gap between the trained nets of depths $L$ and $2L$ on the ${sizes.S} training inputs. Measured: ${e37.measured}.`);
    nb.text('Cohen et al. (2021) regress statistics of $A_k = \\delta K_k$ on $\\log L$: the neural-ODE hypothesis is $\\max_k\\|A_k\\| \\sim L^{-1}$ with $L A_{\\lfloor Lt\\rfloor}$ bounded in $H^1$; iid layers with $\\delta = 1/\\sqrt{L}$ (Marion et al., JMLR 2025) give increments $\\sim L^{-1/2}$ and a nonzero quadratic variation (a diffusion limit).');
    const sc = scalingData(sizes, nb.seed), e38 = c38Evidence(sc);
    nb.figure('depth-scaling-exponents', sc, `Statistics of the trained $A_k$ against depth, smooth regime (left) and diffusive regime (right; means over ${sizes.draws} iid draws). Measured: ${e38.measured}.`);
    nb.result('training-smoothness', { measured: e37.measured, verdict: e37.verdict, methods: e37.methods });
    nb.result('depth-scaling', { measured: e38.measured, verdict: e38.verdict, methods: e38.methods });
  },
});
