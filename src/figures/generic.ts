/**
 * Generic figures (owner: figures): data that already says what to draw. Claims and
 * notebooks may use them for any ladder or curve; domain figures live in the domain files.
 */
import { makeRng } from '../util/prng.ts';
import type { FigureSpec } from './registry.ts';
import { csvSeries, csvTable } from './csv.ts';
import { certifyOrder } from '../numeric/certify.ts';
import { lineChart, logLogConvergence, scatterChart, type OrderCertificate } from './style.ts';

export interface ConvergenceData {
  xTitle: string;
  yTitle: string;
  referenceSlopes?: number[];
  series: { label: string; h: number[]; err: number[]; certificate?: OrderCertificate }[];
}

export interface SeriesData {
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  series: { label: string; x: number[]; y: number[]; dash?: boolean; markers?: boolean }[];
}

export interface ScatterData {
  xTitle: string;
  yTitle: string;
  equalAxes?: boolean;
  series: { label: string; x: number[]; y: number[] }[];
}

/** Sample ladder: err = C h^p (1 + 2 % seeded noise), RK4 reaching a 1e-10 floor (dropped by the certificate). */
function sampleConvergence(): ConvergenceData {
  const rng = makeRng(11);
  const h = [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125];
  const ladder = (C: number, p: number, floor = 0) => h.map((x) => C * x ** p * (1 + 0.02 * (rng.next() - 0.5)) + floor);
  const euler = ladder(0.8, 1), rk4 = ladder(0.05, 4, 1e-10);
  return {
    xTitle: '$h = T/N$', yTitle: '$\\|x_N - x(T)\\|$', referenceSlopes: [1, 4],
    series: [
      { label: 'Euler', h, err: euler, certificate: certifyOrder(h, euler, 1) },
      { label: 'RK4', h, err: rk4, certificate: certifyOrder(h, rk4, 4) },
    ],
  };
}

export const figures: FigureSpec[] = [
  {
    name: 'certified-convergence',
    title: 'Error against step size, with certified slopes',
    size: 'single',
    build: (d: ConvergenceData) => logLogConvergence(d.series, { xTitle: d.xTitle, yTitle: d.yTitle, ...(d.referenceSlopes ? { referenceSlopes: d.referenceSlopes } : {}) }),
    csv: (d: ConvergenceData) => csvTable(['series', 'h', 'err', 'used_in_fit'],
      d.series.flatMap((s) => s.h.map((h, i) => [s.label, h, s.err[i], s.certificate ? s.certificate.used.includes(i) : '']))),
    sample: sampleConvergence,
  } satisfies FigureSpec<ConvergenceData>,
  {
    name: 'line-series',
    title: 'Curves',
    size: 'single',
    build: (d: SeriesData) => lineChart(d.series, { xTitle: d.xTitle, yTitle: d.yTitle, ...(d.logX ? { logX: true } : {}), ...(d.logY ? { logY: true } : {}) }),
    csv: (d: SeriesData) => csvSeries(d.series),
    sample: (): SeriesData => {
      const t = Array.from({ length: 21 }, (_, i) => i / 20);
      return {
        xTitle: '$t$', yTitle: '$x(t)$',
        series: [
          { label: 'ODE', x: t, y: t.map((s) => Math.exp(-s)) },
          { label: '$\\text{net, } N = 4$', x: [0, 0.25, 0.5, 0.75, 1], y: [1, 0.75, 0.5625, 0.421875, 0.31640625], dash: true, markers: true },
        ],
      };
    },
  } satisfies FigureSpec<SeriesData>,
  {
    name: 'scatter-series',
    title: 'Point clouds',
    size: 'single',
    build: (d: ScatterData) => scatterChart(d.series, { xTitle: d.xTitle, yTitle: d.yTitle, ...(d.equalAxes ? { equalAxes: true } : {}) }),
    csv: (d: ScatterData) => csvSeries(d.series),
    sample: (): ScatterData => {
      const rng = makeRng(5);
      const cloud = (r: number) => {
        const th = Array.from({ length: 12 }, () => rng.uniform(0, 2 * Math.PI));
        return { x: th.map((a) => r * Math.cos(a)), y: th.map((a) => r * Math.sin(a)) };
      };
      return { xTitle: '$x_1$', yTitle: '$x_2$', equalAxes: true, series: [{ label: 'disk', ...cloud(0.5) }, { label: 'annulus', ...cloud(1.5) }] };
    },
  } satisfies FigureSpec<ScatterData>,
];
