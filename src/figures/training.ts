/**
 * Figures of trained weights across depth: C37 (a smooth initialisation stays smooth in
 * training; trained nets converge with depth) and C38 (Cohen et al.'s depth-scaling statistics
 * in the smooth and the diffusive regime). Pure builders from the claims' data.
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { logLogConvergence, sideBySide } from './style.ts';
import { certifyOrder, fitLogLog } from '../numeric/certify.ts';
import { scalingData, smoothnessData, type ScalingData, type ScalingRow, type SmoothnessData, type TrainingSizes } from '../claims/training.ts';

const SAMPLE: TrainingSizes = { depths: [8, 16, 32, 64], S: 8, tau: 1, steps: 8, draws: 2 };

const slope = (x: number[], y: number[]) => fitLogLog(x, y).slope.toFixed(2);

/** Left: the Lipschitz-in-depth statistic against L; right: the gap between the trained nets of depths L and 2L against 1/L. */
function smoothnessPlot(d: SmoothnessData) {
  const left = logLogConvergence([
    { label: `smooth init: exponent ${slope(d.depths, d.smooth.map((r) => r.lipschitz))}`, h: d.depths, err: d.smooth.map((r) => r.lipschitz) },
    { label: `iid init: exponent ${slope(d.depths, d.iid.map((r) => r.lipschitz))}`, h: d.depths, err: d.iid.map((r) => r.lipschitz) },
  ], { xTitle: '$L$', yTitle: '$\\sup_\\tau L \\max_k \\|K_{k+1} - K_k\\|_F$' });
  const h = d.depths.map((L) => 1 / L);
  const right = logLogConvergence([
    { label: 'trained nets, smooth init: gap L to 2L', h, err: d.gap, certificate: certifyOrder(h, d.gap, 1) },
  ], { xTitle: '$1/L$', yTitle: '$\\max_s |f_L(x_s) - f_{2L}(x_s)|$', referenceSlopes: [1] });
  return sideBySide(left, right, 0.14);
}

const STATS: { key: keyof ScalingRow; label: string }[] = [
  { key: 'maxNorm', label: '$\\max_k \\|A_k\\|_F$' },
  { key: 'rmsIncrement', label: '$\\mathrm{RMS}_k \\|A_{k+1} - A_k\\|_F$' },
  { key: 'quadraticVariation', label: '$\\mathrm{QV} = \\sum_k \\|A_{k+1} - A_k\\|_F^2$' },
  { key: 'h1', label: '$H^1 = \\sqrt{L \\sum_k \\|L (A_{k+1} - A_k)\\|_F^2}$' },
];

/** One panel per regime, the four statistics against L (same series order, one legend). */
function scalingPlot(d: ScalingData) {
  const panel = (r: ScalingData['regimes'][number]) => logLogConvergence(
    STATS.map((s) => ({ label: s.label, h: d.depths, err: r.rows.map((row) => row[s.key]) })),
    { xTitle: r.scaling === 'ode' ? '$L\\ \\ (\\delta = 1/L,\\ \\text{smooth init})$' : '$L\\ \\ (\\delta = 1/\\sqrt{L},\\ \\text{iid init})$', yTitle: '$\\text{statistic of } A_k = \\delta K_k$' },
  );
  return sideBySide(panel(d.regimes[0]!), panel(d.regimes[1]!), 0.14);
}

export const figures: FigureSpec[] = [
  {
    name: 'training-smoothness',
    title: 'Training preserves a smooth initialisation (Lipschitz-in-depth statistic bounded in L, growing for iid), and the trained nets converge with depth at O(1/L)',
    size: 'double',
    build: smoothnessPlot,
    csv: (d: SmoothnessData) => csvTable(['L', 'lipschitz_smooth', 'lipschitz_iid', 'gap_L_2L', 'energy0_smooth', 'energy_smooth', 'moved_smooth'],
      d.depths.map((L, i) => [L, d.smooth[i]!.lipschitz, d.iid[i]!.lipschitz, d.gap[i], d.smooth[i]!.energy0, d.smooth[i]!.energy, d.smooth[i]!.moved])),
    sample: (): SmoothnessData => smoothnessData(SAMPLE, 7),
  } satisfies FigureSpec<SmoothnessData>,
  {
    name: 'depth-scaling-exponents',
    title: 'Depth-scaling statistics of trained weights (Cohen et al.): smooth (ODE) regime against the diffusive one',
    size: 'double',
    build: scalingPlot,
    csv: (d: ScalingData) => csvTable(['regime', 'L', 'max_norm', 'rms_increment', 'quadratic_variation', 'h1', 'energy0', 'energy'],
      d.regimes.flatMap((r) => r.rows.map((row) => [r.label, row.L, row.maxNorm, row.rmsIncrement, row.quadraticVariation, row.h1, row.energy0, row.energy]))),
    sample: (): ScalingData => scalingData(SAMPLE, 7),
  } satisfies FigureSpec<ScalingData>,
];
