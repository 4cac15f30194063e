/**
 * Figures of Ruseckas' proposed ODE (C15): solutions from growing initial data coming down
 * into the invariant ball, and the FF layer's activation turning at 1/√(3γΔt). Pure builders
 * from the claims' data.
 */
import type { Data } from 'plotly.js-dist-min';
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { axis, baseLayout, colorAt, REFERENCE_COLOR } from './style.ts';
import { invariantBallData, invertibilityData, type InvariantBallData, type InvertibilityData } from '../claims/ruseckas.ts';

/** 10^k in TeX (legends are TeX like the axes; drawAligned re-places the layers MathJax moves). */
function decade(v: number): string {
  const k = Math.round(Math.log10(v));
  return k === 0 ? '1' : k === 1 ? '10' : `10^{${k}}`;
}

function ballPlot(d: InvariantBallData) {
  const mags = [...new Set(d.runs.map((r) => r.r0))].sort((a, b) => a - b);
  const data: Data[] = d.runs.map((r) => {
    const i = mags.indexOf(r.r0);
    return {
      type: 'scatter', mode: 'lines', name: `$|x(0)| = ${decade(r.r0)}$`, legendgroup: String(r.r0),
      showlegend: d.runs.find((q) => q.r0 === r.r0) === r, x: r.t, y: r.r, line: { color: colorAt(i), width: 1 },
    } as Data;
  });
  const t = d.runs[0]!.t, p = d.methods.parameters as { d: number; gamma: number };
  const env = t.map((s) => Math.sqrt(p.d / (p.gamma * s)));
  data.push({ type: 'scatter', mode: 'lines', name: '$\\sqrt{d/(\\gamma t)}$', x: t, y: env, line: { color: REFERENCE_COLOR, width: 1, dash: 'dash' } } as Data);
  for (const [label, v, dash] of [['$\\rho\\ \\text{(entry)}$', d.radii.entry, 'dot'], ['$R^*\\ \\text{(invariant)}$', d.radii.invariant, 'dashdot']] as const) {
    data.push({ type: 'scatter', mode: 'lines', name: label, x: [t[0]!, t[t.length - 1]!], y: [v, v], line: { color: '#000000', width: 1, dash } } as Data);
  }
  const ymax = Math.max(...d.runs.map((r) => r.r0)) * 3;
  // taller than the default single panel: the legend (one row per two or three entries) sits above the plot
  return { data, layout: { ...baseLayout(axis('$t$', { log: true }), axis('$|x(t)|$', { log: true, range: [Math.log10(d.radii.invariant / 40), Math.log10(ymax)] })), height: 300 } };
}

/** h(z) = z − γΔt z³ for the two largest Δt of the data, the measured turning points, and ±R*. */
function activationPlot(d: InvertibilityData) {
  const gamma = d.thresholds[0]!.gamma, R = d.radii.invariant;
  const rows = d.thresholds.filter((t) => t.gamma === gamma).sort((a, b) => b.dt - a.dt).slice(0, 2);
  const zMax = 1.25 * Math.max(...rows.map((r) => r.threshold));
  const z = Array.from({ length: 241 }, (_, k) => -zMax + (2 * zMax * k) / 240);
  const data: Data[] = [];
  rows.forEach(({ dt, threshold }, i) => {
    const h = (x: number) => x - gamma * dt * x ** 3;
    data.push({ type: 'scatter', mode: 'lines', name: `$\\Delta t = ${dt}$`, x: z, y: z.map(h), line: { color: colorAt(i), width: 1.25 } } as Data);
    data.push({ type: 'scatter', mode: 'markers', name: `$\\text{measured turning points } \\pm z^*\\ (\\gamma = ${gamma})$`, showlegend: i === 0, hoverinfo: 'skip', x: [-threshold, threshold], y: [h(-threshold), h(threshold)], marker: { color: colorAt(i), size: 6, symbol: 'diamond' } } as Data);
  });
  const hi = 1.1 * Math.max(...rows.map(({ dt, threshold }) => threshold - gamma * dt * threshold ** 3)), lo = -hi;
  for (const s of [-1, 1]) data.push({ type: 'scatter', mode: 'lines', name: '$\\pm R^*\\ \\text{(invariant ball)}$', showlegend: s > 0, x: [s * R, s * R], y: [lo, hi], line: { color: REFERENCE_COLOR, width: 1, dash: 'dash' } } as Data);
  return { data, layout: baseLayout(axis('$z$'), axis('$h(z) = z - \\gamma\\Delta t\\, z^3$', { range: [lo, hi] })) };
}

export const figures: FigureSpec[] = [
  {
    name: 'invariant-ball',
    title: "Ruseckas' ODE is bounded: from any initial size, |x(t)| falls under √(d/(γt)) and enters the invariant ball",
    size: 'single',
    build: ballPlot,
    csv: (d: InvariantBallData) => csvTable(['r0', 't', 'r', 'bound'], d.runs.flatMap((r) => r.t.map((t, i) => [r.r0, t, r.r[i], r.bound[i]]))),
    sample: () => {
      const d = invariantBallData('quick', 5);
      return { ...d, runs: d.runs.filter((_, i) => i % 2 === 0).map((r) => ({ ...r, t: r.t.filter((_, i) => i % 4 === 0), r: r.r.filter((_, i) => i % 4 === 0), bound: r.bound.filter((_, i) => i % 4 === 0) })) };
    },
  } satisfies FigureSpec<InvariantBallData>,
  {
    name: 'ff-activation-threshold',
    title: "The FF layer's activation z − γΔt z³ is increasing exactly on |z| < 1/√(3γΔt), a range that outgrows the invariant ball as Δt → 0",
    size: 'single',
    build: activationPlot,
    csv: (d: InvertibilityData) => csvTable(['gamma', 'dt', 'threshold', 'predicted', 'rel_error'], d.thresholds.map((t) => [t.gamma, t.dt, t.threshold, t.predicted, t.relError])),
    sample: () => invertibilityData('quick', 5),
  } satisfies FigureSpec<InvertibilityData>,
];
