/**
 * The gamma figures: Γ-convergence of training. Pure builders from the data of
 * src/experiments/gamma (sweep evidence, regulariser ladders, variant sweeps), plus the small
 * adapters that shape that data into ladders (no experiment runs here except in `sample`).
 */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { colorAt, lineChart, logLogConvergence, type OrderCertificate } from './style.ts';
import { certifyOrder } from '../numeric/certify.ts';
import { doublings, sweepEvidence, type SweepEvidence } from '../experiments/gamma/sweep.ts';
import type { LevelResult } from '../experiments/gamma/train.ts';
import { regulariserConsistency } from '../experiments/gamma/regulariser.ts';
import type { VariantEvidence } from '../experiments/gamma/variants.ts';

/** Log–log ladders against h = 1/n, with optional certificates. */
export interface GammaLadders {
  series: { label: string; h: number[]; err: number[]; certificate?: OrderCertificate }[];
  yTitle: string;
  referenceSlopes?: number[];
}

/** Curves over t ∈ [0, 1] (minimisers at cell centres). */
export interface GammaProfiles { series: { label: string; t: number[]; y: number[] }[]; yTitle: string }

/** Iterations per depth for several optimisers; `converged[i]` false marks a capped level. */
export interface GammaIterations { series: { label: string; n: number[]; iterations: number[]; converged: boolean[] }[] }

const hOf = (ns: number[]) => ns.map((n) => 1 / n);

// ---------------------------------------------------------------- adapters (pure)
export function energyLadders(e: SweepEvidence): GammaLadders {
  const ns = e.depths.slice(0, -1);
  return {
    yTitle: 'energy difference',
    referenceSlopes: [1],
    series: [
      { label: '$|E^*(n) - E^*(2n)|$', h: hOf(ns), err: e.energyCauchy, certificate: e.certificates.energyCauchy },
      { label: '$|E^*(n) - \\bar E|\\ (\\bar E \\text{ extrapolated})$', h: hOf(ns), err: e.energyVsDeepest, certificate: e.certificates.energyVsDeepest },
    ],
  };
}

export function minimiserLadders(e: SweepEvidence): GammaLadders {
  const ns = e.depths.slice(0, -1);
  const series: GammaLadders['series'] = [
    { label: '$L^2 \\text{ distance}$', h: hOf(ns), err: e.minimiserL2, certificate: e.certificates.minimiserL2 },
    { label: 'sup distance', h: hOf(ns), err: e.minimiserSup, certificate: e.certificates.minimiserSup },
  ];
  if (e.certificates.readoutCauchy) series.push({ label: 'readout', h: hOf(ns), err: e.readoutCauchy, certificate: e.certificates.readoutCauchy });
  return { yTitle: 'distance of consecutive minimisers', referenceSlopes: [1], series };
}

export function neumannLadders(e: SweepEvidence): GammaLadders {
  return {
    yTitle: 'difference quotient', referenceSlopes: [1],
    series: [
      { label: '$\\text{boundary } n|\\theta_1 - \\theta_0|$', h: hOf(e.depths), err: e.neumann, certificate: e.certificates.neumann },
      { label: '$\\text{interior } n|\\theta_{m+1} - \\theta_m|$', h: hOf(e.depths), err: e.interior },
    ],
  };
}

export function profilesOf(e: SweepEvidence, every = 1): GammaProfiles {
  return {
    yTitle: '$K(t)$',
    series: e.profiles.filter((_, i) => i % every === 0).map((p) => ({ label: `$n = ${p.n}$`, t: p.t, y: p.K })),
  };
}

export function iterationsOf(runs: { label: string; levels: { n: number; iterations: number; converged: boolean }[] }[]): GammaIterations {
  return { series: runs.map((r) => ({ label: r.label, n: r.levels.map((l) => l.n), iterations: r.levels.map((l) => l.iterations), converged: r.levels.map((l) => l.converged) })) };
}

export function kappaLadders(runs: { kappa: number; v: VariantEvidence; certificate?: OrderCertificate }[]): GammaLadders {
  return {
    yTitle: '$\\mathrm{TV}(K_n^*)$', referenceSlopes: [0.5],
    series: runs.map((r) => ({ label: `$\\kappa = ${r.kappa}$`, h: hOf(r.v.depths), err: r.v.totalVariation, ...(r.certificate ? { certificate: r.certificate } : {}) })),
  };
}

const ladderCsv = (d: GammaLadders) => csvTable(['series', 'h', 'value', 'slope', 'verdict'],
  d.series.flatMap((s) => s.h.map((h, i) => [s.label, h, s.err[i], s.certificate?.slope ?? '', s.certificate?.verdict ?? ''])));

const ladderFigure = (name: string, title: string, sample: () => GammaLadders): FigureSpec<GammaLadders> => ({
  name, title, size: 'single',
  build: (d) => logLogConvergence(d.series, { xTitle: '$h = 1/n$', yTitle: d.yTitle, ...(d.referenceSlopes ? { referenceSlopes: d.referenceSlopes } : {}) }),
  csv: ladderCsv,
  sample,
});

/**
 * Sample sweep evidence from closed-form "minimisers" θ_n(t) = θ(t) + e(t)/n (d = 1, learned
 * readout), E_n = E_∞ + C/n: the same shape as a trained sweep, but free of optimiser round-off
 * (a trained sample changes in the 10th digit whenever tanh changes by an ulp).
 */
function sweepSample(): SweepEvidence {
  const P = 2;
  const levels: LevelResult[] = doublings(4, 32).map((n) => {
    const theta = new Float64Array(n * P + 2);
    for (let k = 0; k < n; k++) {
      const t = (k + 0.5) / n;
      theta[k * P] = 2 - 0.12 * t * t * (3 - 2 * t) + (0.3 * Math.cos(Math.PI * t) - 0.1) / n;
      theta[k * P + 1] = 0.05 * Math.sin(Math.PI * t) / n;
    }
    theta[n * P] = 0.5564 + 0.012 / n; theta[n * P + 1] = 0;
    const energy = 0.00768 + 0.0057 / n;
    return {
      n, optimizer: 'h1', iterations: 10 + (n % 7), evaluations: 14 + (n % 5), converged: true, reason: 'gradient tolerance',
      energy, parts: { loss: energy - 1e-3, regK: 1e-3, regB: 0, readoutRidge: 0, total: energy }, scaledGradient: 5e-8,
      theta, gradientHistory: [],
    };
  });
  return sweepEvidence(levels, P);
}

export const figures: FigureSpec[] = [
  ladderFigure('gamma-energy-convergence', 'Minimal energies converge as depth doubles (Cauchy and against the extrapolated deepest level)', () => energyLadders(sweepSample())),
  ladderFigure('gamma-minimiser-convergence', 'Interpolated minimisers (and the readout) of consecutive depths converge', () => minimiserLadders(sweepSample())),
  ladderFigure('gamma-neumann', 'Boundary difference quotients of minimisers vanish (natural boundary condition); interior ones do not', () => neumannLadders(sweepSample())),
  ladderFigure('gamma-regulariser-consistency', 'The difference regulariser on nodes (order 2) and on cell centres (order 1), K = sin 2πt', () => {
    const ns = doublings(8, 128);
    const a = regulariserConsistency(ns, 'nodes'), b = regulariserConsistency(ns, 'cells');
    return {
      yTitle: '$|R_n - 2\\pi^2|$', referenceSlopes: [1, 2],
      series: [
        { label: 'nodes', h: hOf(ns), err: a.error, certificate: certifyOrder(hOf(ns), a.error, 2) },
        { label: 'cell centres', h: hOf(ns), err: b.error, certificate: certifyOrder(hOf(ns), b.error, 1) },
      ],
    };
  }),
  ladderFigure('gamma-scaled-gradient', 'The scaled discrete gradient converges to the continuum L² gradient', () => {
    const ns = [8, 16, 32, 64], err = ns.map((n) => 0.23 / n);
    return { yTitle: '$\\max_k |n\\,\\partial E_n/\\partial\\theta_k - \\delta E/\\delta\\theta(t_k)|$', referenceSlopes: [1], series: [{ label: 'scaled gradient', h: hOf(ns), err, certificate: certifyOrder(hOf(ns), err, 1) }] };
  }),
  ladderFigure('gamma-kappa', 'Total variation of minimisers for κ = 0.5, 1, 1.5: only κ > 1 flattens them', () => {
    const ns = [4, 8, 16, 32];
    const mk = (p: number, c: number) => ns.map((n) => c * Math.pow(n, p));
    return {
      yTitle: '$\\mathrm{TV}(K_n^*)$', referenceSlopes: [0.5],
      series: [
        { label: '$\\kappa = 0.5$', h: hOf(ns), err: mk(0.25, 0.2) },
        { label: '$\\kappa = 1$', h: hOf(ns), err: mk(0, 0.22) },
        { label: '$\\kappa = 1.5$', h: hOf(ns), err: mk(-0.5, 0.2), certificate: certifyOrder(hOf(ns), mk(-0.5, 0.2), 0.5) },
      ],
    };
  }),
  {
    name: 'gamma-minimiser-profiles', title: 'Minimisers K_n(t) at several depths, overlaid', size: 'single',
    build: (d: GammaProfiles) => lineChart(d.series.map((s) => ({ label: s.label, x: s.t, y: s.y, markers: s.t.length <= 64 })), { xTitle: '$t$', yTitle: d.yTitle }),
    csv: (d: GammaProfiles) => csvTable(['series', 't', 'value'], d.series.flatMap((s) => s.t.map((t, i) => [s.label, t, s.y[i]]))),
    sample: () => profilesOf(sweepSample()),
  } satisfies FigureSpec<GammaProfiles>,
  {
    name: 'gamma-iterations', title: 'L-BFGS iterations per depth: plain vs H¹-preconditioned', size: 'single',
    build: (d: GammaIterations) => {
      const spec = lineChart(d.series.map((s) => ({ label: s.label, x: s.n, y: s.iterations, markers: true })), { xTitle: '$n$', yTitle: 'iterations', logX: true, logY: true });
      // capped levels (no convergence) drawn hollow: white fill inside a coloured outline
      spec.data.forEach((tr, i) => {
        const s = d.series[i]!;
        if (s.converged.some((c) => !c)) (tr as { marker?: Record<string, unknown> }).marker = { ...((tr as { marker?: Record<string, unknown> }).marker ?? {}), color: s.converged.map((c) => (c ? colorAt(i) : '#ffffff')), line: { color: colorAt(i), width: 1 } };
      });
      return spec;
    },
    csv: (d: GammaIterations) => csvTable(['optimizer', 'n', 'iterations', 'converged'], d.series.flatMap((s) => s.n.map((n, i) => [s.label, n, s.iterations[i], s.converged[i]]))),
    sample: () => ({
      series: [
        { label: 'plain L-BFGS', n: [4, 8, 16, 32, 64], iterations: [60, 44, 74, 183, 363], converged: [true, true, true, true, false] },
        { label: '$H^1 \\text{ L-BFGS}$', n: [4, 8, 16, 32, 64], iterations: [99, 58, 63, 52, 57], converged: [true, true, true, true, true] },
      ],
    }),
  } satisfies FigureSpec<GammaIterations>,
];
