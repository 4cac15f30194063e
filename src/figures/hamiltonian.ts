/**
 * The Hamiltonian figures: backprop as Hamiltonian mechanics. Pure builders from the data of
 * src/experiments/{adjoint-gap, hamiltonian-checks, hamiltonian-curves}.ts.
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import type { Data } from 'plotly.js-dist-min';
import { colorAt, lineChart, logLogConvergence, symbolAt } from './style.ts';
import type { OrderCertificate } from '../numeric/certify.ts';
import { adjointGap } from '../experiments/adjoint-gap.ts';
import { discreteHamiltonianOscillation } from '../experiments/hamiltonian-checks.ts';
import { hamiltonianCurves, phaseSpaceVolume, type HamiltonianCurves, type PhaseSpaceVolume } from '../experiments/hamiltonian-curves.ts';
import { DEFAULT_SEED } from '../util/prng.ts';

export interface AdjointGapFigureData {
  results: { scheme: string; rough: boolean; params?: 'sampled' | 'tied'; h: number[]; gap: number[]; certificate: OrderCertificate }[];
}

export interface OscillationFigureData { h: number[]; ptp: number[]; drift: number[]; certificate: OrderCertificate; ptpModified?: number[]; modifiedCertificate?: OrderCertificate }

/** At most this many markers per discrete series: more bury the continuous line they are compared with. */
const MAX_MARKERS = 17;
const SCHEME_LABEL: Record<string, string> = { ff: 'FF (Ruseckas)', euler: 'Euler', heun: 'Heun', midpoint: 'midpoint', rk4: 'RK4', verlet: 'Verlet' };

const ordinal = (k: number): string => `${k}${k % 10 === 1 && k % 100 !== 11 ? 'st' : k % 10 === 2 && k % 100 !== 12 ? 'nd' : k % 10 === 3 && k % 100 !== 13 ? 'rd' : 'th'}`;

export const figures: FigureSpec[] = [
  {
    name: 'adjoint-gap',
    title: 'Adjoint gap |p₀ − a(0)| against step size, with certified slopes',
    // double column: up to eight schemes with their slopes need a legend three entries wide
    size: 'double',
    build: (d: AdjointGapFigureData) => logLogConvergence(
      d.results.map((r) => ({
        label: `${SCHEME_LABEL[r.scheme] ?? r.scheme}${r.params === 'tied' ? ', node-tied weights' : ''}${r.rough ? ', rough weights (control)' : ''}`,
        h: r.h, err: r.gap, ...(r.rough ? { control: true } : { certificate: r.certificate }),
      })),
      { xTitle: '$h = T/N$', yTitle: '$\\|p_0 - a(0)\\|_\\infty$', referenceSlopes: [...new Set(d.results.filter((r) => !r.rough).map((r) => r.certificate.expected))] },
    ),
    csv: (d: AdjointGapFigureData) => csvTable(['scheme', 'rough', 'h', 'gap', 'used_in_fit'],
      d.results.flatMap((r) => r.h.map((h, i) => [r.scheme, r.rough, h, r.gap[i], r.certificate.used.includes(i)]))),
    sample: (): AdjointGapFigureData => ({
      results: [
        ...['euler', 'heun'].map((scheme) => adjointGap({ scheme, depths: [4, 8, 16, 32, 64] })),
        adjointGap({ scheme: 'euler', depths: [4, 8, 16, 32, 64], rough: true }),
      ],
    }),
  } satisfies FigureSpec<AdjointGapFigureData>,
  {
    name: 'costate-vs-backprop',
    title: 'Continuous costate a(t) and discrete backprop p_l',
    size: 'single',
    build: (d: HamiltonianCurves) => {
      const deepest = d.discrete[d.discrete.length - 1];
      const dim = d.continuous.a[0]?.length ?? 0;
      const series = [];
      for (let i = 0; i < dim; i++) series.push({ label: `$a_${i + 1}(t)$`, x: d.continuous.t, y: d.continuous.a.map((a) => a[i]!) });
      const spec = lineChart(series, { xTitle: '$t$', yTitle: 'costate' });
      if (deepest) {
        // markers at every k-th layer only (k chosen for ≤ MAX_MARKERS), so the lines stay visible
        const k = Math.max(1, Math.ceil((deepest.t.length - 1) / (MAX_MARKERS - 1)));
        const at = deepest.t.map((_, l) => l).filter((l) => l % k === 0 || l === deepest.t.length - 1);
        const every = k === 1 ? '' : `,\\ \\text{every ${ordinal(k)} layer}`;
        for (let i = 0; i < dim; i++) {
          // component i of a(t) and of p_l share a colour
          spec.data.push({
            type: 'scatter', mode: 'markers', name: `$(p_l)_${i + 1},\\ N = ${deepest.N}${every}$`,
            x: at.map((l) => deepest.t[l]!), y: at.map((l) => deepest.p[l]![i]!),
            marker: { color: colorAt(i), symbol: symbolAt(i), size: 5, line: { color: colorAt(i), width: 1 } },
          } as Data);
        }
      }
      return spec;
    },
    sample: () => hamiltonianCurves(DEFAULT_SEED, [8], 50),
  } satisfies FigureSpec<HamiltonianCurves>,
  {
    name: 'hamiltonian-conservation',
    title: 'H = a·F is conserved; the discrete H_l oscillates at O(h)',
    size: 'single',
    build: (d: HamiltonianCurves) => lineChart([
      { label: '$H(t) = a \\cdot F$', x: d.continuous.t, y: d.continuous.H },
      ...d.discrete.map((n) => ({ label: `$H_l,\\ N = ${n.N}$`, x: n.t.slice(0, n.H.length), y: n.H, markers: true, dash: true })),
    ], { xTitle: '$t$', yTitle: '$H$' }),
    csv: (d: HamiltonianCurves) => csvTable(['series', 't', 'H'], [
      ...d.continuous.t.map((t, i) => ['continuous', t, d.continuous.H[i]]),
      ...d.discrete.flatMap((n) => n.H.map((h, i) => [`N=${n.N}`, n.t[i], h])),
    ]),
    sample: () => hamiltonianCurves(DEFAULT_SEED, [8, 32], 50),
  } satisfies FigureSpec<HamiltonianCurves>,
  {
    name: 'discrete-hamiltonian-oscillation',
    title: 'Oscillation of the discrete Hamiltonian against step size',
    size: 'single',
    build: (d: OscillationFigureData) => logLogConvergence([
      { label: '$\\max_l H_l - \\min_l H_l$', h: d.h, err: d.ptp, certificate: d.certificate },
      ...(d.ptpModified && d.modifiedCertificate ? [{ label: '$\\max_l K_l - \\min_l K_l\\ \\text{(modified } H)$', h: d.h, err: d.ptpModified, certificate: d.modifiedCertificate }] : []),
      { label: '$|H_{N-1} - H_0|\\ \\text{(drift)}$', h: d.h, err: d.drift },
    ], { xTitle: '$h = T/N$', yTitle: 'oscillation', referenceSlopes: d.ptpModified ? [1, 2] : [1] }),
    sample: () => discreteHamiltonianOscillation(DEFAULT_SEED, [10, 20, 40, 80, 160]),
  } satisfies FigureSpec<OscillationFigureData>,
  {
    name: 'phase-space-volume',
    title: 'Phase-space volume: state flow vs Liouville, and the (x, a) flow',
    size: 'single',
    build: (d: PhaseSpaceVolume) => lineChart([
      { label: '$\\det \\partial x(t)/\\partial x(0)$', x: d.t, y: d.detState, markers: true },
      { label: '$\\exp \\int_0^t \\operatorname{Tr} J\\, ds$', x: d.t, y: d.expTrace, dash: true },
      { label: '$\\det \\partial(x, a)(t)/\\partial(x, a)(0)$', x: d.t, y: d.detJoint },
    ], { xTitle: '$t$', yTitle: 'volume ratio' }),
    csv: (d: PhaseSpaceVolume) => csvTable(['t', 'det_state', 'exp_int_trace', 'det_joint'], d.t.map((t, i) => [t, d.detState[i], d.expTrace[i], d.detJoint[i]])),
    sample: () => phaseSpaceVolume(DEFAULT_SEED, 10),
  } satisfies FigureSpec<PhaseSpaceVolume>,
];
