/**
 * The convergence figures: error against depth with certified slopes, and one coarse net
 * against the ODE and the modified equation. Pure builders from the data of
 * src/experiments/sweep-trajectory.ts (and any Ladder-shaped data: claims' evidence).
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { lineChart, logLogConvergence, sideBySide } from './style.ts';
import { fitLogLog } from '../numeric/certify.ts';
import { memoryFreeData, type MemoryFreeData } from '../claims/memory-free.ts';
import { C12_PROBLEM, powersOfTwo } from '../experiments/depth-sweep.ts';
import { netVsOdeVsModified, schemeLadders, type ErrorVsDepthData, type NetVsOdeData } from '../experiments/sweep-trajectory.ts';
import type { ProblemText } from '../experiments/sweep-problem.ts';

const SAMPLE_PROBLEM: ProblemText = {
  ...C12_PROBLEM, A: [...C12_PROBLEM.A], beta: [...C12_PROBLEM.beta], constants: { ...C12_PROBLEM.constants }, x0: [...C12_PROBLEM.x0],
};

/** C36's ladders as two panels: reconstruction error and relative gradient error against h. */
function memoryFreePlot(d: MemoryFreeData) {
  const panel = (err: (l: MemoryFreeData['ladders'][number]) => number[], yTitle: string) => logLogConvergence(
    d.ladders.map((l) => {
      const s = (e: number[]) => fitLogLog(l.h, e).slope.toFixed(2);
      return { label: `${l.label}: slopes ${s(l.reconstruction)}, ${s(l.gradient)}`, h: l.h, err: err(l) };
    }),
    { xTitle: '$h = 1/N$', yTitle, referenceSlopes: [1, 2] },
  );
  return sideBySide(panel((l) => l.reconstruction, '$|\\hat x_0 - x_0|_\\infty$'), panel((l) => l.gradient, '$\\|\\hat g - g\\|_2 / \\|g\\|_2$'));
}

export const figures: FigureSpec[] = [
  {
    name: 'error-vs-depth',
    title: 'Error of the net against its ODE (or modified equation) as depth grows, with certified slopes',
    size: 'single',
    build: (d: ErrorVsDepthData) => logLogConvergence(
      d.series.map((s) => ({ label: s.label, h: s.h, err: s.err, certificate: s.certificate })),
      {
        xTitle: '$h = T/N$', yTitle: d.yTitle ?? '$\\|x_N - x(T)\\|_\\infty$',
        referenceSlopes: d.referenceSlopes ?? [...new Set(d.series.filter((s) => s.certificate.verdict !== 'inconclusive').map((s) => s.certificate.expected))].sort((a, b) => a - b),
      },
    ),
    csv: (d: ErrorVsDepthData) => csvTable(['series', 'N', 'h', 'error', 'used_in_fit', 'slope', 'ci_low', 'ci_high', 'verdict'],
      d.series.flatMap((s) => s.h.map((h, i) => [s.label, s.depths[i], h, s.err[i], s.certificate.used.includes(i), s.certificate.slope, s.certificate.ci[0], s.certificate.ci[1], s.certificate.verdict]))),
    sample: (): ErrorVsDepthData => schemeLadders(SAMPLE_PROBLEM, [
      { scheme: 'ff', against: 'ode', depths: powersOfTwo(2, 7) },
      { scheme: 'ff', against: 'modified', depths: powersOfTwo(2, 7) },
      { scheme: 'heun', against: 'ode', depths: powersOfTwo(2, 7) },
    ]),
  } satisfies FigureSpec<ErrorVsDepthData>,
  {
    name: 'net-vs-ode-vs-modified',
    title: 'A coarse FF net follows the modified equation more closely than the ODE',
    size: 'single',
    build: (d: NetVsOdeData) => lineChart([
      { label: 'ODE', x: d.ode.x.map((x) => x[0]!), y: d.ode.x.map((x) => x[1] ?? 0) },
      { label: `$\\text{modified equation, } \\varepsilon = T/${d.N}$`, x: d.modified.x.map((x) => x[0]!), y: d.modified.x.map((x) => x[1] ?? 0), dash: true },
      { label: `$\\text{${d.scheme === 'ff' ? 'FF' : 'Euler'} net, } N = ${d.N}$`, x: d.net.x.map((x) => x[0]!), y: d.net.x.map((x) => x[1] ?? 0), markers: true },
    ], { xTitle: '$x_1$', yTitle: '$x_2$' }),
    csv: (d: NetVsOdeData) => csvTable(['series', 't', 'x1', 'x2'], [
      ...d.ode.t.map((t, i) => ['ode', t, d.ode.x[i]![0], d.ode.x[i]![1]]),
      ...d.modified.t.map((t, i) => ['modified', t, d.modified.x[i]![0], d.modified.x[i]![1]]),
      ...d.net.t.map((t, i) => ['net', t, d.net.x[i]![0], d.net.x[i]![1]]),
    ]),
    sample: () => netVsOdeVsModified(SAMPLE_PROBLEM, { N: 8, samples: 40 }),
  } satisfies FigureSpec<NetVsOdeData>,
  {
    name: 'memory-free-adjoint',
    title: 'Memory-free adjoint: activations reconstructed backwards, error in x₀ and in the gradient against depth (Euler and Heun, smooth and iid weights)',
    size: 'double',
    build: memoryFreePlot,
    csv: (d: MemoryFreeData) => csvTable(['series', 'scheme', 'weights', 'draws', 'N', 'h', 'reconstruction_error', 'gradient_rel_error'],
      d.ladders.flatMap((l) => l.depths.map((N, i) => [l.label, l.scheme, l.weights, l.draws, N, l.h[i], l.reconstruction[i], l.gradient[i]]))),
    sample: (): MemoryFreeData => memoryFreeData({ depths: [8, 16, 32, 64], draws: 2 }, 7),
  } satisfies FigureSpec<MemoryFreeData>,
];
