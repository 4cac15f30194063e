/**
 * Figures of C39 beyond the costate: the tied-weight limit (loss and θ-gradient gaps against
 * depth, tied and untied weights) and the E-MSA loss per iteration for several ρ. Pure
 * builders from the claims' data (src/claims/pmp.ts).
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { lineChart, logLogConvergence } from './style.ts';
import { emsaData, emsaSizes, tiedWeightData, type EmsaData, type TiedWeightData } from '../claims/pmp.ts';

/** Loss and gradient gaps of the tied net (certified) and of the alternating control (no certificate: it does not converge). */
function tiedPlot(d: TiedWeightData) {
  const t = d.tied, a = d.alternating;
  return logLogConvergence([
    { label: '$\\text{loss, tied } \\theta$', h: t.h, err: t.lossGap!, certificate: t.lossCertificate! },
    { label: '$\\theta\\text{-gradient, tied } \\theta$', h: t.h, err: t.gradientGap!, certificate: t.gradientCertificate! },
    { label: '$\\text{loss, } \\theta \\pm 0.9 \\text{ alternating}$', h: a.h, err: a.lossGap! },
    { label: '$\\theta\\text{-gradient, } \\theta \\pm 0.9 \\text{ alternating}$', h: a.h, err: a.gradientGap! },
  ], { xTitle: '$h = T/N$', yTitle: 'gap to the neural ODE', referenceSlopes: [1] });
}

/**
 * J(θ^k) against k, one line per ρ (log scale). Diverging runs (basic MSA) leave the plot: the
 * axis stops at 10³ × J(θ⁰), and a run that became non-finite ends at its last finite value.
 */
function emsaPlot(d: EmsaData) {
  const spec = lineChart(d.runs.map((r) => ({
    label: r.rho === 0 ? '$\\rho = 0 \\text{ (basic MSA)}$' : `$\\rho = ${r.rho}$`, x: r.loss.map((_, k) => k), y: r.loss, markers: d.iterations <= 40,
  })), { xTitle: 'iteration k', yTitle: '$J(\\theta^k)$', logY: true });
  const J0 = d.runs[0]!.loss[0]!, lo = Math.min(...d.runs.flatMap((r) => r.loss));
  const y = (spec.layout as Record<string, Record<string, unknown>>)['yaxis']!;
  y['range'] = [Math.log10(lo / 2), Math.log10(1e3 * J0)];
  (spec.layout as Record<string, Record<string, unknown>>)['xaxis']!['range'] = [0, d.iterations];
  return spec;
}

export const figures: FigureSpec[] = [
  {
    name: 'tied-weight-limit',
    title: 'Tied weights: loss and θ-gradient of the ResNet against the neural ODE\'s loss and Pontryagin gradient, with certified slopes',
    size: 'single',
    build: tiedPlot,
    csv: (d: TiedWeightData) => csvTable(['weights', 'N', 'h', 'loss_gap', 'gradient_gap', 'costate_gap'],
      [d.tied, d.alternating].flatMap((r) => r.depths.map((N, i) => [r.rough ? 'alternating' : 'tied', N, r.h[i], r.lossGap![i], r.gradientGap![i], r.gap[i]]))),
    sample: (): TiedWeightData => tiedWeightData([8, 16, 32, 64, 128], 7),
  } satisfies FigureSpec<TiedWeightData>,
  {
    name: 'emsa-loss',
    title: 'E-MSA: the loss per iteration for several penalties ρ (ρ = 0: basic MSA)',
    size: 'single',
    build: emsaPlot,
    csv: (d: EmsaData) => csvTable(['rho', 'iteration', 'loss'], d.runs.flatMap((r) => r.loss.map((J, k) => [r.rho, k, J]))),
    sample: (): EmsaData => emsaData({ ...emsaSizes('quick'), S: 8, N: 6, rhos: [0, 10], iterations: 8 }, 7),
  } satisfies FigureSpec<EmsaData>,
];
