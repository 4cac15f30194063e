/**
 * The house style for paper figures, and the builders every figure spec uses.
 *
 * Geometry. Figures are laid out at their PRINTED size in CSS pixels, 96 px per inch (the CSS
 * reference pixel, also Chromium's PDF unit: 1 px = 0.75 pt), so a font size here is its size
 * on paper: 10 px = 7.5 pt, 11 px = 8.25 pt, the usual 7–9 pt of journal figures, and nothing
 * shrinks when the figure is placed at 100 % in a column.
 *   single column: 3.4 in = 326 px wide;  double column: 7 in = 672 px wide.
 * PNG export renders at scale 300/96 = 3.125 device pixels per CSS pixel: exactly 300 dpi at
 * print size (single: 1019 px wide). SVG and PDF are vector (PDF embeds font subsets).
 *
 * Colour. Okabe–Ito (Okabe & Ito 2008): distinguishable under the common colour-vision
 * deficiencies; series also cycle marker symbols so figures survive grayscale printing.
 *
 * LaTeX. A string that is entirely `$…$` is typeset by MathJax 3 in the page (plotly's rule).
 */
import type { Data, Layout } from 'plotly.js-dist-min';
import { ciDecimals, type OrderCertificate } from '../numeric/certify.ts';

export type { OrderCertificate };

export const PX_PER_INCH = 96;
/** Device pixels per CSS pixel for PNG: 300 dpi at print size. */
export const PNG_SCALE = 300 / PX_PER_INCH;
export const PNG_DPI = PX_PER_INCH * PNG_SCALE;

export const SIZES = {
  single: { inches: 3.4, width: Math.round(3.4 * PX_PER_INCH), height: Math.round(3.4 * PX_PER_INCH * 0.75) },
  double: { inches: 7, width: Math.round(7 * PX_PER_INCH), height: Math.round(7 * PX_PER_INCH * 0.45) },
} as const;

/** Okabe–Ito, reordered so the first colours are the strongest on white; yellow last. */
export const PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];
/** Marker symbols cycled with the palette (grayscale-safe). */
export const SYMBOLS: readonly string[] = ['circle', 'square', 'diamond', 'triangle-up', 'triangle-down', 'cross', 'x', 'star'];
export const REFERENCE_COLOR = '#666666';
/** Negative-control series (they must fail): mid grey, dotted. */
export const CONTROL_COLOR = '#8c8c8c';

export const FONT = {
  family: "'Liberation Sans', Arial, Helvetica, sans-serif",
  /** tick labels, legend: 7.5 pt */
  size: 10,
  /** axis titles: 8.25 pt */
  titleSize: 11,
  color: '#000000',
} as const;

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length]!;
export const symbolAt = (i: number): string => SYMBOLS[i % SYMBOLS.length]!;

export interface AxisOptions { log?: boolean; range?: [number, number] }

/** One axis in house style: black frame, outside ticks, light grid, powers of ten on log axes. */
export function axis(title: string, opts: AxisOptions = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: FONT.titleSize }, standoff: 4 },
    type: opts.log ? 'log' : 'linear',
    exponentformat: 'power', showexponent: 'all',
    ...(opts.range ? { range: opts.range } : {}),
    showline: true, mirror: true, linecolor: '#000000', linewidth: 1,
    ticks: 'outside', ticklen: 3, tickwidth: 1, tickcolor: '#000000',
    showgrid: true, gridcolor: '#e6e6e6', gridwidth: 0.5,
    zeroline: false, automargin: true,
  };
}

/** The base layout: white, compact margins, legend in a row ABOVE the plot area (it never hides data). */
export function baseLayout(xaxis: Record<string, unknown>, yaxis: Record<string, unknown>): Partial<Layout> {
  return {
    font: { family: FONT.family, size: FONT.size, color: FONT.color },
    paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff',
    margin: { l: 48, r: 10, t: 6, b: 40, pad: 0 },
    showlegend: true,
    legend: {
      orientation: 'h', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom',
      bgcolor: 'rgba(255,255,255,0)', borderwidth: 0, font: { size: FONT.size }, tracegroupgap: 0,
      // never scroll: an entry beyond plotly's default cap (half the plot) is cut off in print;
      // the exporter grows the figure by the legend's rows instead (see legendRows)
      maxheight: 10_000,
    },
    xaxis, yaxis,
  } as Partial<Layout>;
}

/** Height of one legend row (10 px text; a TeX entry is as tall as its typeset formula). */
export const LEGEND_ROW = { text: 19, tex: 23 } as const;

/**
 * Approximate printed width of a label in px: Liberation Sans at 10 px averages ≈ 5.6 px per
 * character; TeX is measured on what it shows (commands and braces dropped, ≈ 6.5 px per glyph).
 * An estimate on the wide side: it only decides how tall the figure is drawn, never whether the
 * legend overlaps the plot (plotly pushes the margin; the browser test checks).
 */
export function labelWidth(label: string): number {
  const t = label.trim();
  if (!/^\$[^$]+\$$/.test(t)) return 5.8 * [...t].length;
  const shown = t.slice(1, -1).replace(/\\(text|mathrm|operatorname)\{([^}]*)\}/g, '$2').replace(/\\[A-Za-z]+/g, 'x').replace(/[{}_^\\]/g, '');
  return 6.5 * [...shown].length;
}

/** Rows of a horizontal legend of `names` wrapped at `available` px (plotly: 40 px of symbol and gap per entry). */
export function legendRows(names: string[], available: number, entryWidth?: number): number {
  let rows = names.length ? 1 : 0, x = 0;
  for (const n of names) {
    const w = 40 + (entryWidth ?? labelWidth(n) + 10);
    if (x > 0 && x + w > available) { rows++; x = 0; }
    x += w;
  }
  return rows;
}

/**
 * The extra height (px) a figure needs so its plot area keeps the size of a figure with a
 * one-row legend: the legend sits above the plot area (it never hides data), one more row for
 * every wrapped line. Legend entries are the named traces that do not hide their entry.
 */
export function legendExtraHeight(plot: { data: Data[]; layout: Partial<Layout> }, width: number): number {
  const layout = plot.layout as Record<string, any>;
  if (layout['showlegend'] === false) return 0;
  const legend = (layout['legend'] ?? {}) as Record<string, any>;
  if (legend['orientation'] !== 'h' || legend['yanchor'] !== 'bottom' || !(legend['y'] >= 1)) return 0;
  const names = plot.data.filter((t) => (t as any).showlegend !== false && typeof (t as any).name === 'string' && (t as any).name).map((t) => (t as any).name as string);
  const margin = layout['margin'] ?? {};
  const rows = legendRows(names, width - (margin.l ?? 48) - (margin.r ?? 10) - 10, legend['entrywidth']);
  const row = names.some((n) => /^\$[^$]+\$$/.test(n.trim())) ? LEGEND_ROW.tex : LEGEND_ROW.text;
  return Math.max(0, rows - 1) * row;
}

/** "Euler: slope 1.00 ± 0.01" (95 % CI half-width), with the verdict when it is not 'order'. */
export function slopeLegend(label: string, c: OrderCertificate): string {
  const hw = (c.ci[1] - c.ci[0]) / 2;
  const d = ciDecimals(hw, 2, 4);
  // an exact fit (synthetic or 2-point data) would print "± 0.0000": say so instead
  const pm = Number(hw.toFixed(d)) === 0 ? `± <${(10 ** -d).toFixed(d)}` : `± ${hw.toFixed(d)}`;
  const verdict = c.verdict === 'at least' ? ` (at least ${c.expected})` : c.verdict === 'inconclusive' ? ' (inconclusive)' : '';
  const text = `slope ${c.slope.toFixed(d)} ${pm}${verdict}`;
  // a TeX label keeps the whole entry TeX (plotly typesets only an entirely-$…$ string)
  const tex = /^\$([^$]+)\$$/.exec(label.trim());
  return tex ? `$${tex[1]}\\text{: ${text}}$` : `${label}: ${text}`;
}

const positive = (v: number) => Number.isFinite(v) && v > 0;

/** Least-squares slope of log e on log h (0 for fewer than two distinct h). */
export function logSlope(pts: { h: number; e: number }[]): number {
  const x = pts.map((p) => Math.log(p.h)), y = pts.map((p) => Math.log(p.e));
  const mx = x.reduce((a, b) => a + b, 0) / x.length, my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0;
  x.forEach((xi, i) => { sxy += (xi - mx) * (y[i]! - my); sxx += (xi - mx) ** 2; });
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Error-vs-step log–log plot: one series per scheme, the certified slope ± CI in the legend,
 * points the certificate dropped (round-off floor, pre-asymptotic) drawn hollow, and a dashed
 * reference line C·h^p labelled "slope p" for each p in `referenceSlopes`, placed below the
 * series whose slope is closest to p (C = 0.4·min err/h^p over that series' points).
 */
export function logLogConvergence(
  series: { label: string; h: number[]; err: number[]; certificate?: OrderCertificate; control?: boolean }[],
  opts: { xTitle: string; yTitle: string; referenceSlopes?: number[] },
): { data: Data[]; layout: Partial<Layout> } {
  const data: Data[] = [];
  const pts: { h: number; e: number }[] = [];
  const seriesPts: { slope: number; pts: { h: number; e: number }[] }[] = [];
  series.forEach((s, i) => {
    const used = s.certificate ? new Set(s.certificate.used) : undefined;
    const ok = s.h.map((h, j) => positive(h) && positive(s.err[j] ?? NaN));
    const keep = (pred: (j: number) => boolean) => s.h.map((_, j) => j).filter((j) => ok[j] && pred(j));
    const all = keep(() => true);
    const dropped = new Set(used ? all.filter((j) => !used.has(j)) : []);
    const own = all.map((j) => ({ h: s.h[j]!, e: s.err[j]! }));
    pts.push(...own);
    if (own.length) seriesPts.push({ slope: s.certificate?.slope ?? logSlope(own), pts: own });
    // a negative control reads as one: grey, dotted, × markers (and no palette colour used up)
    const color = s.control ? CONTROL_COLOR : colorAt(i);
    data.push({
      type: 'scatter', mode: 'lines+markers', name: s.certificate ? slopeLegend(s.label, s.certificate) : s.label,
      x: all.map((j) => s.h[j]!), y: all.map((j) => s.err[j]!),
      line: { color, width: 1.25, ...(s.control ? { dash: 'dot' } : {}) },
      // points outside the certified fit (round-off floor, pre-asymptotic) are drawn hollow
      marker: {
        symbol: s.control ? 'x' : symbolAt(i), size: 5, line: { color, width: 1 },
        color: dropped.size ? all.map((j) => (dropped.has(j) ? '#ffffff' : color)) : color,
      },
    } as Data);
  });
  const annotations: Record<string, unknown>[] = [];
  let xRange: [number, number] | undefined;
  if (pts.length && opts.referenceSlopes?.length) {
    const hMin = Math.min(...pts.map((p) => p.h));
    const hMax = Math.max(...pts.map((p) => p.h));
    const labels: { p: number; y: number }[] = [];
    for (const p of opts.referenceSlopes) {
      // the line runs below the series whose slope is closest to p, so "slope p" reads beside it
      const near = seriesPts.reduce((best, cur) => (Math.abs(cur.slope - p) < Math.abs(best.slope - p) ? cur : best), seriesPts[0]!);
      const c = 0.4 * Math.min(...near.pts.map((q) => q.e / q.h ** p));
      data.push({
        type: 'scatter', mode: 'lines', showlegend: false, hoverinfo: 'skip', name: `slope ${p}`,
        x: [hMin, hMax], y: [c * hMin ** p, c * hMax ** p],
        line: { color: REFERENCE_COLOR, width: 1, dash: 'dash' },
      } as Data);
      labels.push({ p, y: Math.log10(c * hMax ** p) });
    }
    // labels sit past the right end of their lines, where there is no data (the x range is
    // widened for them), spread apart vertically so two never print on top of each other
    const ys = [...pts.map((q) => Math.log10(q.e)), ...labels.map((l) => l.y)];
    const gap = 0.07 * Math.max(1, Math.max(...ys) - Math.min(...ys));
    labels.sort((a, b) => a.y - b.y);
    for (let i = 1; i < labels.length; i++) labels[i]!.y = Math.max(labels[i]!.y, labels[i - 1]!.y + gap);
    const lo = Math.log10(hMin), hi = Math.log10(hMax), span = Math.max(hi - lo, 0.3);
    xRange = [lo - 0.04 * span, hi + 0.22 * span];
    // plotly places annotations on log axes in log10 units
    for (const l of labels) {
      annotations.push({
        x: hi + 0.02 * span, y: l.y, xref: 'x', yref: 'y',
        text: `slope ${l.p}`, showarrow: false, xanchor: 'left', yanchor: 'middle',
        font: { size: FONT.size - 1, color: REFERENCE_COLOR },
      });
    }
  }
  const layout = baseLayout(axis(opts.xTitle, { log: true, ...(xRange ? { range: xRange } : {}) }), axis(opts.yTitle, { log: true }));
  if (annotations.length) (layout as Record<string, unknown>)['annotations'] = annotations;
  return { data, layout };
}

/**
 * Tick values for a log axis over `values` that read as numbers: 1, 2, 5 × 10^k inside the data's
 * range (every digit when that gives fewer than three), instead of plotly's fractional-decade
 * ticks (0.183, 0.355, 0.689) on a range shorter than a decade.
 */
export function niceLogTicks(values: number[]): { tickvals: number[]; ticktext: string[]; range: [number, number] } | Record<string, never> {
  const v = values.filter(positive);
  if (!v.length) return {};
  let lo = Math.min(...v) / 1.15, hi = Math.max(...v) * 1.15;
  const pick = (digits: number[]) => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) for (const m of digits) { const t = Number((m * 10 ** k).toPrecision(6)); if (t >= lo && t <= hi) out.push(t); }
    return out;
  };
  let ticks = pick([1, 2, 5]);
  if (ticks.length < 3) ticks = pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  if (ticks.length < 2) {
    // a range inside one digit step: widen it to the digit ticks on either side
    const k = 10 ** Math.floor(Math.log10(lo));
    lo = Math.floor(lo / k) * k; hi = Math.ceil(hi / k) * k;
    ticks = pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
  return { tickvals: ticks, ticktext: ticks.map((t) => String(t)), range: [Math.log10(lo), Math.log10(hi)] };
}

/** Lines (optionally dashed or with markers) in palette order. */
export function lineChart(
  series: { label: string; x: number[]; y: number[]; dash?: boolean; markers?: boolean }[],
  opts: { xTitle: string; yTitle: string; logX?: boolean; logY?: boolean },
): { data: Data[]; layout: Partial<Layout> } {
  const data = series.map((s, i) => ({
    type: 'scatter', mode: s.markers ? 'lines+markers' : 'lines', name: s.label,
    x: s.x, y: s.y,
    line: { color: colorAt(i), width: 1.25, ...(s.dash ? { dash: 'dash' } : {}) },
    ...(s.markers ? { marker: { color: colorAt(i), symbol: symbolAt(i), size: 4 } } : {}),
  }) as Data);
  return { data, layout: baseLayout(axis(opts.xTitle, { log: opts.logX }), axis(opts.yTitle, { log: opts.logY })) };
}

/** Point clouds (phase portraits, eigenvalues); `equalAxes` locks the aspect ratio to 1. */
export function scatterChart(
  series: { label: string; x: number[]; y: number[]; color?: string }[],
  opts: { xTitle: string; yTitle: string; equalAxes?: boolean },
): { data: Data[]; layout: Partial<Layout> } {
  const data = series.map((s, i) => ({
    type: 'scatter', mode: 'markers', name: s.label, x: s.x, y: s.y,
    marker: { color: s.color ?? colorAt(i), symbol: symbolAt(i), size: 4 },
  }) as Data);
  const y = axis(opts.yTitle);
  if (opts.equalAxes) Object.assign(y, { scaleanchor: 'x', scaleratio: 1 });
  return { data, layout: baseLayout(axis(opts.xTitle), y) };
}

/**
 * Two single-panel specs side by side (a double-column figure): the right panel's traces move
 * to axes x2/y2, its annotations follow its axes, and an equal-aspect right panel stays
 * equal-aspect on its own axes. By default the right panel leaves the legend to the left one
 * (draw the same series in the same order in both, so one legend serves); `ownLegend: true`
 * keeps the right panel's entries (panels that show different series).
 */
export function sideBySide(left: { data: Data[]; layout: Partial<Layout> }, right: { data: Data[]; layout: Partial<Layout> }, gap = 0.1, opts: { ownLegend?: boolean } = {}): { data: Data[]; layout: Partial<Layout> } {
  const half = (1 - gap) / 2;
  const l = left.layout as Record<string, unknown>, r = right.layout as Record<string, unknown>;
  const data = [...left.data, ...right.data.map((t) => ({ ...(t as object), xaxis: 'x2', yaxis: 'y2', ...(opts.ownLegend ? {} : { showlegend: false }) }) as Data)];
  const annotations = [
    ...((l['annotations'] as Record<string, unknown>[] | undefined) ?? []),
    ...((r['annotations'] as Record<string, unknown>[] | undefined) ?? []).map((a) => ({ ...a, xref: 'x2', yref: 'y2' })),
  ];
  const ry: Record<string, unknown> = { ...(r['yaxis'] as Record<string, unknown>), anchor: 'x2' };
  if (ry['scaleanchor'] === 'x') ry['scaleanchor'] = 'x2';
  const layout: Record<string, unknown> = {
    ...l,
    xaxis: { ...(l['xaxis'] as object), domain: [0, half] },
    yaxis: { ...(l['yaxis'] as object) },
    xaxis2: { ...(r['xaxis'] as object), domain: [1 - half, 1], anchor: 'y2' },
    yaxis2: ry,
  };
  if (annotations.length) layout['annotations'] = annotations;
  return { data, layout: layout as Partial<Layout> };
}
