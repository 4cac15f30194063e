/**
 * The stability figures: Jacobian eigenvalues hλ against the Euler/RK4 stability regions, RK4
 * orders with piecewise-linear weights (C26), the Verlet energy error (C31), the step-size
 * study (C27) and the disk-inside-annulus example (C10). Pure builders from experiment data.
 */
import type { Data, Layout } from 'plotly.js-dist-min';
import type { FigureSpec } from './registry.ts';
import { csvTable, csvSeries } from './csv.ts';
import { axis, baseLayout, colorAt, lineChart, logLogConvergence, niceLogTicks, REFERENCE_COLOR, SIZES, sideBySide, symbolAt } from './style.ts';

/** The disk-annulus plot area's printed width in px (the single column less the axis margins). */
const DISK_PLOT_PX = SIZES.single.width - 70;
import { jacobianAlongTrajectory, jacobianFigureData, pwLinearLadder, randomZhangWeights, zhangResnet, type JacobianFigureData } from '../experiments/stability.ts';
import { stepSizeStudy, QUICK_STEP_SIZE, type StepSizeResult } from '../experiments/step-size.ts';
import { diskAnnulusExperiment, QUICK_DISK_ANNULUS, type DiskAnnulusResult } from '../experiments/disk-annulus.ts';
import { certifyOrder, type OrderCertificate } from '../numeric/certify.ts';
import { getActivation } from '../numeric/activations.ts';
import { randomHamiltonianNet, verletForward } from '../numeric/verlet.ts';
import { makeRng } from '../util/prng.ts';

/** C26 ladders: one series per scheme/alignment with its certificate. */
export interface PwLinearOrdersData { series: { label: string; nY: number[]; h: number[]; err: number[]; certificate: OrderCertificate }[] }

/** |H_k − H_0| along Verlet runs of several step sizes. */
export interface VerletEnergyData { T: number; series: { label: string; N: number; energy: number[] }[] }

export function pwLinearOrdersSample(nTh = 5): PwLinearOrdersData {
  const dy = [4, 8, 16, 32, 64, 128], al = [5, 10, 20, 40, 80, 160];
  const runs = [
    { label: 'Euler', p: 1, l: pwLinearLadder('euler', dy, { nTh }) },
    { label: 'RK4, aligned', p: 4, l: pwLinearLadder('rk4', al, { nTh }) },
    { label: 'RK4, kinks inside steps', p: 2, l: pwLinearLadder('rk4', dy, { nTh }) },
  ];
  return { series: runs.map((r) => ({ label: r.label, nY: r.l.nY, h: r.l.h, err: r.l.err, certificate: certifyOrder(r.l.h, r.l.err, r.p, { scale: r.l.scale, floor: r.l.floor }) })) };
}

export function verletEnergySample(Ns: number[] = [25, 50, 100], T = 5, seed = 1): VerletEnergyData {
  const net = randomHamiltonianNet(2, 4, makeRng(seed));
  return { T, series: Ns.map((N) => ({ label: `$h = ${T / N}$`, N, energy: Array.from(verletForward(net, [0.5, -0.3], [0.2, 0.4], T / N, N, { energy: true }).energy!) })) };
}

export function jacobianSample(): JacobianFigureData {
  const tanh = getActivation('tanh');
  const mk = (label: string, method: 'euler' | 'rk4', gamma: number) => {
    const net = zhangResnet(3, tanh, method, { T: 5, nTh: 4, nY: 10 });
    return { label, s: jacobianAlongTrajectory(net, randomZhangWeights(3, 4, 2, { scale: 1.5, gamma }), Float64Array.of(0.4, -0.2, 0.3), tanh) };
  };
  return jacobianFigureData([mk('$K \\text{ antisymmetric}$', 'rk4', 0), mk('$K - 0.3 I$', 'rk4', 0.3)]);
}

function closedCurve(c: { re: number[]; im: number[] }, name: string, color: string, dash: string): Data {
  return { type: 'scatter', mode: 'lines', name, x: [...c.re, c.re[0]!], y: [...c.im, c.im[0]!], line: { color, width: 1, dash }, hoverinfo: 'skip' } as Data;
}

export const figures: FigureSpec[] = [
  {
    name: 'jacobian-eigenvalues',
    title: 'Eigenvalues hλ of the layer Jacobians along a trajectory, with the Euler and RK4 stability regions',
    // double column: the stability regions at equal aspect (the Euler disk is a circle) and,
    // beside them, the eigenvalue clusters magnified, also at equal aspect
    size: 'double',
    build: (d: JacobianFigureData) => {
      const panel = (showlegend: boolean, xr: [number, number], yr: [number, number]) => {
        const data: Data[] = [
          closedCurve(d.euler, '$|1 + z| = 1\\ \\text{(Euler)}$', REFERENCE_COLOR, 'dot'),
          closedCurve(d.rk4, '$|R(z)| = 1\\ \\text{(RK4)}$', REFERENCE_COLOR, 'dash'),
          ...d.points.map((p, i) => ({ type: 'scatter', mode: 'markers', name: p.label, x: p.re, y: p.im, marker: { color: colorAt(i), symbol: symbolAt(i), size: 4 } }) as Data),
        ].map((t) => ({ ...(t as object), showlegend }) as Data);
        const x = { ...axis('$\\mathrm{Re}\\, h\\lambda$', { range: xr }), constrain: 'domain' };
        const y = { ...axis('$\\mathrm{Im}\\, h\\lambda$', { range: yr }), scaleanchor: 'x', scaleratio: 1, constrain: 'domain' };
        return { data, layout: baseLayout(x, y) };
      };
      const re = d.points.flatMap((p) => p.re), im = d.points.flatMap((p) => p.im);
      const reMin = Math.min(-3, ...re), ym = Math.max(3.1, ...im.map(Math.abs)) * 1.05;
      // the magnified window: every eigenvalue, 10 % padding, at least 0.2 wide and tall
      const lo = Math.min(...re), hi = Math.max(...re), imMax = Math.max(...im.map(Math.abs));
      const half = Math.max(0.1, (hi - lo) / 2, imMax) * 1.08, mid = Math.min((lo + hi) / 2, -0.25 * half);
      return sideBySide(panel(true, [reMin - 0.1, 1.2], [-ym, ym]), panel(false, [mid - half, mid + half], [-half, half]), 0.12);
    },
    csv: (d: JacobianFigureData) => csvSeries([
      ...d.points.map((p) => ({ label: p.label, x: p.re, y: p.im })),
      { label: 'euler boundary', x: d.euler.re, y: d.euler.im }, { label: 'rk4 boundary', x: d.rk4.re, y: d.rk4.im },
    ], 're', 'im'),
    sample: jacobianSample,
  } satisfies FigureSpec<JacobianFigureData>,
  {
    name: 'rk4-pw-linear-orders',
    title: 'Piecewise-linear weights: Euler order 1, RK4 order 4 when aligned, order 2 with kinks inside steps',
    size: 'single',
    build: (d: PwLinearOrdersData) => logLogConvergence(d.series, { xTitle: '$h_Y = T/n_Y$', yTitle: '$|Y_{n_Y}(T) - Y(T)|_\\infty$', referenceSlopes: [1, 2, 4] }),
    csv: (d: PwLinearOrdersData) => csvTable(['series', 'nY', 'h', 'error', 'slope', 'verdict'],
      d.series.flatMap((s) => s.h.map((h, i) => [s.label, s.nY[i], h, s.err[i], s.certificate.slope, s.certificate.verdict]))),
    sample: () => pwLinearOrdersSample(),
  } satisfies FigureSpec<PwLinearOrdersData>,
  {
    name: 'verlet-energy',
    title: 'Hamiltonian network: Verlet energy error stays bounded and scales like h²',
    size: 'single',
    build: (d: VerletEnergyData) => lineChart(d.series.map((s) => ({
      // from k = 1: H_0 − H_0 = 0 has no logarithm
      label: s.label, x: s.energy.slice(1).map((_, k) => ((k + 1) * d.T) / s.N), y: s.energy.slice(1).map((e) => Math.abs(e - s.energy[0]!)),
    })), { xTitle: '$t$', yTitle: '$|H_k - H_0|$', logY: true }),
    csv: (d: VerletEnergyData) => csvTable(['N', 't', 'H'], d.series.flatMap((s) => s.energy.map((e, k) => [s.N, (k * d.T) / s.N, e]))),
    sample: () => verletEnergySample(),
  } satisfies FigureSpec<VerletEnergyData>,
  {
    name: 'step-size-study',
    title: 'Step-size study: accuracy and weight convergence as the state step shrinks on a fixed weight grid',
    // two panels: accuracies (left, linear) and the weight change between levels (right, log),
    // each axis saying what it shows, instead of one plot with two y axes
    size: 'double',
    build: (d: StepSizeResult) => {
      const nY = d.levels.map((l) => l.nY);
      const nYAxis = (spec: { layout: Partial<Layout> }) => Object.assign((spec.layout as Record<string, any>)['xaxis'], { tickvals: nY, ticktext: nY.map(String) });
      const left = lineChart([
        { label: '$\\text{validation, trained at } n_Y$', x: nY, y: d.levels.map((l) => l.validAccuracy), markers: true },
        { label: 'training', x: nY, y: d.levels.map((l) => l.trainAccuracy), markers: true, dash: true },
        { label: '$\\text{finest weights, run at } n_Y$', x: nY, y: d.levels.map((l) => l.transferAccuracy), markers: true },
      ], { xTitle: '$n_Y$ (state steps)', yTitle: 'accuracy', logX: true });
      const ch = d.levels.slice(1);
      const right = lineChart([{ label: 'weight change', x: ch.map((l) => l.nY), y: ch.map((l) => l.weightChange), markers: true }],
        { xTitle: '$n_Y$ (state steps)', yTitle: '$\\sup_t |K_{n_Y} - K_{n_Y/2}|$', logX: true, logY: true });
      for (const t of right.data) Object.assign(t, { line: { color: colorAt(3), width: 1.25 }, marker: { color: colorAt(3), symbol: symbolAt(3), size: 4 } });
      Object.assign((right.layout as Record<string, any>)['yaxis'], niceLogTicks(ch.map((l) => l.weightChange)));
      nYAxis(left); nYAxis(right);
      return sideBySide(left, right, 0.14);
    },
    csv: (d: StepSizeResult) => csvTable(['nY', 'h', 'train_accuracy', 'valid_accuracy', 'transfer_accuracy', 'weight_change', 'loss', 'iterations'],
      d.levels.map((l) => [l.nY, l.h, l.trainAccuracy, l.validAccuracy, l.transferAccuracy, l.weightChange, l.loss, l.iterations])),
    sample: () => stepSizeStudy({ ...QUICK_STEP_SIZE, nTrain: 20, nValid: 20, nYs: [2, 4, 8], iterations: 5 }),
  } satisfies FigureSpec<StepSizeResult>,
  {
    name: 'disk-annulus',
    title: 'Disk inside annulus: misclassified grid points of a neural ODE and a coarse ResNet, and a colliding pair',
    size: 'single',
    build: (d: DiskAnnulusResult) => {
      const xs = d.train.x, cls = (c: number) => d.train.labels.map((l, i) => [l, i] as const).filter(([l]) => l === c).map(([, i]) => i);
      const c = d.collision;
      const r = Math.max(1.6, ...(c ? [...c.x, ...c.xPrime].map((v) => Math.abs(v) + 0.1) : []));
      // a misclassified grid point is drawn as its grid cell (a translucent square of the cell's
      // printed size), so a region of errors reads as a shaded area and both models' overlap shows
      const plotPx = DISK_PLOT_PX, cellPx = Math.max(2, ((2 * 1.5) / d.config.grid) * (plotPx / (2 * r)));
      const cells = (name: string, pts: number[][], color: string): Data => ({
        type: 'scatter', mode: 'markers', name, x: pts.map((p) => p[0]!), y: pts.map((p) => p[1]!),
        marker: { color, symbol: 'square', size: cellPx, opacity: 0.35, line: { width: 0 } },
      }) as Data;
      const data: Data[] = [];
      data.push(cells(`neural ODE errors (${(100 * (1 - d.ode.gridAccuracy)).toFixed(1)} %)`, d.ode.misclassified, '#000000'));
      if (d.resnet.misclassified.length) data.push(cells(`ResNet errors (${(100 * (1 - d.resnet.gridAccuracy)).toFixed(1)} %)`, d.resnet.misclassified, colorAt(4)));
      data.push(...[0, 1].map((k) => ({
        type: 'scatter', mode: 'markers', name: k === 0 ? 'disk (train)' : 'annulus (train)',
        x: cls(k).map((i) => xs[2 * i]!), y: cls(k).map((i) => xs[2 * i + 1]!), marker: { color: colorAt(k), symbol: k === 0 ? 'circle' : 'triangle-up', size: 3.5 },
      }) as Data));
      if (c) data.push({ type: 'scatter', mode: 'lines+markers', name: `$\\text{colliding pair, } h \\operatorname{Lip} = ${c.hLip.toFixed(2)}$`, x: [c.x[0], c.xPrime[0]], y: [c.x[1], c.xPrime[1]], marker: { color: colorAt(5), size: 8, symbol: 'star', line: { color: '#000000', width: 0.5 } }, line: { color: colorAt(5), width: 1.25 } } as Data);
      // equal scales; the figure is as tall as it is wide, so the square plot fills the column
      const x = axis('$x_1$', { range: [-r, r] }), y = axis('$x_2$', { range: [-r, r] });
      Object.assign(x, { constrain: 'domain' });
      Object.assign(y, { scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
      const layout = baseLayout(x, y) as Record<string, unknown>;
      layout['height'] = SIZES.single.width + 10;
      return { data, layout: layout as Partial<Layout> };
    },
    csv: (d: DiskAnnulusResult) => csvTable(['model', 'nY', 'h', 'train_accuracy', 'grid_accuracy', 'max_h_norm_K'], [d.ode, d.resnet].map((m) => [m.name, m.nY, m.h, m.trainAccuracy, m.gridAccuracy, Math.max(...m.hNormK)])),
    sample: () => diskAnnulusExperiment({ ...QUICK_DISK_ANNULUS, nTrain: 40, grid: 20, iterations: 10 }),
  } satisfies FigureSpec<DiskAnnulusResult>,
];
