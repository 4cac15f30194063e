/**
 * Figures of Zhang's thesis code base (Meganet): the spectrum of the time-derivative
 * regulariser against its closed form (C33) and Hessian-scaled loss slices at a trained
 * minimiser (C34). Pure builders from the claims' data.
 */
import type { Data } from 'plotly.js-dist-min';
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { axis, baseLayout, colorAt, PALETTE, REFERENCE_COLOR, sideBySide, symbolAt } from './style.ts';
import { c33Data, c34Data, type HessianSlicesFigure, type RegulariserSpectrumFigure } from '../claims/zhang.ts';
import { QUICK_HESSIAN } from '../experiments/hessian-slices.ts';

/** λ_k(LᵀL) by the dense solve (markers) and the closed form (lines) for each n, with the continuum (kπ/T)². */
function spectrumPlot(d: RegulariserSpectrumFigure) {
  const lts = d.comparisons.filter((c) => c.scale === 1);
  const T = lts[0]!.h * lts[0]!.n;
  const data: Data[] = [];
  lts.forEach((c, i) => {
    const k = c.computed.map((_, j) => j).slice(1); // λ_0 = 0 has no logarithm
    data.push({ type: 'scatter', mode: 'markers', name: `$n = ${c.n}$`, legendgroup: String(c.n), x: k, y: k.map((j) => c.computed[j]!), marker: { color: colorAt(i), symbol: symbolAt(i), size: 5 } } as Data);
    data.push({ type: 'scatter', mode: 'lines', showlegend: false, legendgroup: String(c.n), hoverinfo: 'skip', x: k, y: k.map((j) => c.formula[j]!), line: { color: colorAt(i), width: 1 } } as Data);
  });
  const kMax = Math.max(...lts.map((c) => c.n - 1));
  const kc = Array.from({ length: kMax }, (_, j) => j + 1);
  data.push({ type: 'scatter', mode: 'lines', name: '$(k\\pi/T)^2\\text{, continuum}$', x: kc, y: kc.map((k) => (k * Math.PI / T) ** 2), line: { color: REFERENCE_COLOR, width: 1, dash: 'dash' } } as Data);
  return { data, layout: baseLayout(axis('$k$', { log: true }), axis('$\\lambda_k(L^{\\top}L)$', { log: true })) };
}

/** Left: the curvature κ(s) of every scaled 1-D slice against s (→ 1 as s → 0); right: the 2-D slice's level sets against circles. */
function slicesPlot(d: HessianSlicesFigure) {
  const left: Data[] = d.directions.map((x, i) => ({
    type: 'scatter', mode: 'lines', name: `${d.directions.length} scaled eigenvectors`, legendgroup: 'dirs', showlegend: i === 0,
    x: x.s, y: x.kappa, line: { color: PALETTE[0], width: 0.75 }, opacity: 0.6,
  }) as Data);
  const s = d.directions[0]?.s ?? [];
  left.push({ type: 'scatter', mode: 'lines', name: 'curvature 1 (quadratic)', x: [s[0], s[s.length - 1]], y: [1, 1], line: { color: '#000000', width: 1.25, dash: 'dash' } } as Data);
  const leftSpec = { data: left, layout: baseLayout(axis('$s$', { log: true }), axis('$[J(s) - 2J(0) + J(-s)]/s^2$', { range: [0, 3] })) };
  const right: Data[] = [];
  if (d.plane) {
    // radii with equally spaced r², so plotly's evenly spaced contour levels are r²/2 exactly
    const half = Math.max(...d.plane.s), radii = [1, 2, 3, 4, 5].map((k) => half * Math.sqrt(k / 5));
    right.push({
      type: 'contour', x: d.plane.s, y: d.plane.s, z: d.plane.dJ, name: 'level sets r²/2 of J − J*', showscale: false, hoverinfo: 'skip', autocontour: false,
      contours: { coloring: 'none', start: radii[0]! ** 2 / 2, end: radii[radii.length - 1]! ** 2 / 2 + 1e-12, size: (radii[1]! ** 2 - radii[0]! ** 2) / 2 },
      line: { color: colorAt(1), width: 1.25 },
    } as unknown as Data);
    const th = Array.from({ length: 121 }, (_, k) => (2 * Math.PI * k) / 120);
    radii.forEach((r) => right.push({ type: 'scatter', mode: 'lines', showlegend: false, hoverinfo: 'skip', x: th.map((a) => r * Math.cos(a)), y: th.map((a) => r * Math.sin(a)), line: { color: '#000000', width: 0.75, dash: 'dot' } } as Data));
  }
  const half = d.plane ? Math.max(...d.plane.s) : 1;
  const rightSpec = { data: right, layout: baseLayout(axis('$s_1$', { range: [-half, half] }), axis('$s_2$', { range: [-half, half] })) };
  const both = sideBySide(leftSpec, rightSpec, 0.14);
  (both.layout as Record<string, unknown>)['annotations'] = [{
    x: 1, y: 1, xref: 'paper', yref: 'paper', xanchor: 'right', yanchor: 'bottom', showarrow: false,
    text: 'two largest λ: levels r²/2 of J − J* (solid), circles of radius r (dotted)', font: { size: 9, color: REFERENCE_COLOR },
  }];
  return both;
}

export const figures: FigureSpec[] = [
  {
    name: 'regulariser-spectrum',
    title: 'Spectrum of the time-derivative regulariser LᵀL, L = D/h: dense eigen-solve (markers), (4/h²) sin²(kπ/(2n)) (lines), the continuum Neumann values (kπ/T)²',
    size: 'single',
    build: spectrumPlot,
    csv: (d: RegulariserSpectrumFigure) => csvTable(['form', 'n', 'h', 'scale', 'k', 'computed', 'formula'],
      d.comparisons.flatMap((c) => c.computed.map((v, k) => [c.label, c.n, c.h, c.scale, k, v, c.formula[k]]))),
    sample: () => c33Data([8, 16], 3),
  } satisfies FigureSpec<RegulariserSpectrumFigure>,
  {
    name: 'hessian-slices',
    title: 'Hessian-scaled loss slices at a trained minimiser: the curvature of every 1-D slice tends to 1, the 2-D slice is a circular paraboloid near the minimiser',
    size: 'double',
    build: slicesPlot,
    csv: (d: HessianSlicesFigure) => csvTable(['lambda', 'sigma', 'curvature_sigma', 'curvature_2sigma', 'curvature_extrapolated', 'curvature_tol', 'slope_extrapolated', 'slope_tol'],
      d.directions.map((x) => [x.lambda, x.sigma, x.curvature, x.curvature2, x.curvature0, x.curvatureTol, x.slope0, x.slopeTol])),
    // a small, quickly trained model keeps the snapshot cheap
    sample: () => c34Data({ ...QUICK_HESSIAN, model: { ...QUICK_HESSIAN.model, nTrain: 16, nTh: 1, seed: 3 }, nY: 4, grid: { half: 0.5, points: 7 } }),
  } satisfies FigureSpec<HessianSlicesFigure>,
];
