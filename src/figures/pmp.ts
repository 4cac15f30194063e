/**
 * Figures of C39 beyond the costate: the tied-weight limit (loss and θ-gradient gaps against
 * depth, tied and untied weights). Pure builders from the claims' data (src/claims/pmp.ts).
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { logLogConvergence } from './style.ts';
import { tiedWeightData, type TiedWeightData } from '../claims/pmp.ts';

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
];
