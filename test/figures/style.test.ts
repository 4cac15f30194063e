/** House style: sizes and dpi, palette, the certified-slope legend, reference slope lines. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PALETTE, PNG_DPI, PNG_SCALE, PX_PER_INCH, SIZES, lineChart, logLogConvergence, scatterChart, slopeLegend } from '../../src/figures/style.ts';
import { certifyOrder } from '../../src/numeric/certify.ts';

test('sizes: single 3.4 in and double 7 in at 96 px/in; PNG scale gives ≥ 300 dpi', () => {
  assert.equal(PX_PER_INCH, 96);
  assert.ok(Math.abs(SIZES.single.width / PX_PER_INCH - 3.4) < 0.01);
  assert.ok(Math.abs(SIZES.double.width / PX_PER_INCH - 7) < 0.01);
  assert.ok(PNG_DPI >= 300, `dpi ${PNG_DPI}`);
  assert.ok(Math.abs(PX_PER_INCH * PNG_SCALE - PNG_DPI) < 1e-9);
});

test('palette: the 8 Okabe–Ito colours, distinct', () => {
  const okabeIto = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];
  assert.equal([...PALETTE].sort(), [...okabeIto].sort());
});

test('legend: "Euler: slope 1.00 ± 0.01" from the certificate CI half-width, verdict shown otherwise', () => {
  const c = { verdict: 'order' as const, expected: 1, slope: 1.0012, ci: [0.9912, 1.0112] as [number, number], used: [0, 1, 2] };
  assert.is(slopeLegend('Euler', c as never), 'Euler: slope 1.00 ± 0.01');
  assert.is(slopeLegend('RK4', { ...c, slope: 4.0003, ci: [3.9993, 4.0013] } as never), 'RK4: slope 4.000 ± 0.001');
  assert.match(slopeLegend('FF', { ...c, verdict: 'inconclusive' } as never), /\(inconclusive\)$/);
  assert.is(slopeLegend('exact', { ...c, slope: 2, ci: [2 - 1e-9, 2 + 1e-9] } as never), 'exact: slope 2.0000 ± <0.0001');
  assert.match(slopeLegend('FF', { ...c, verdict: 'at least', expected: 2 } as never), /\(at least 2\)$/);
});

test('logLogConvergence: log axes, certified legend, hollow dropped points, reference line of slope p below the data', () => {
  const h = Array.from({ length: 7 }, (_, i) => 0.1 / 2 ** i);
  const err = h.map((x) => x ** 2 * (1 + 30 * x)); // pre-asymptotic at the coarse end
  const certificate = certifyOrder(h, err, 2);
  assert.ok(certificate.dropped.length > 0, 'the sample must have dropped points for this test');
  const { data, layout } = logLogConvergence([{ label: 'Heun', h, err, certificate }], { xTitle: '$h$', yTitle: 'error', referenceSlopes: [2] });
  const lay = layout as Record<string, any>;
  assert.is(lay.xaxis.type, 'log');
  assert.is(lay.yaxis.type, 'log');
  const [series, ref] = data as any[];
  assert.match(series.name, /^Heun: slope \d\.\d+ ± \d\.\d+/);
  const colors = series.marker.color as string[];
  for (const d of certificate.dropped) assert.is(colors[d.index], '#ffffff', `dropped point ${d.index} hollow`);
  for (const u of certificate.used) assert.is.not(colors[u], '#ffffff', `fitted point ${u} filled`);
  // reference: dashed, slope exactly 2 in log-log, strictly below every data point
  assert.is(ref.line.dash, 'dash');
  const slope = Math.log(ref.y[1] / ref.y[0]) / Math.log(ref.x[1] / ref.x[0]);
  assert.ok(Math.abs(slope - 2) < 1e-12, `reference slope ${slope}`);
  const c = ref.y[0] / ref.x[0] ** 2;
  h.forEach((x, i) => assert.ok(c * x ** 2 < err[i]!, `reference below point ${i}`));
  assert.ok(lay.annotations.some((a: any) => a.text === 'slope 2'), 'labelled "slope 2"');
});

test('lineChart/scatterChart: palette order, dash, equal axes', () => {
  const l = lineChart([{ label: 'a', x: [0, 1], y: [0, 1] }, { label: 'b', x: [0, 1], y: [1, 0], dash: true }], { xTitle: 't', yTitle: 'x', logY: true });
  const d = l.data as any[];
  assert.is(d[0].line.color, PALETTE[0]);
  assert.is(d[1].line.color, PALETTE[1]);
  assert.is(d[1].line.dash, 'dash');
  assert.is((l.layout as any).yaxis.type, 'log');
  const s = scatterChart([{ label: 'p', x: [0], y: [0] }], { xTitle: 'x', yTitle: 'y', equalAxes: true });
  assert.is((s.layout as any).yaxis.scaleanchor, 'x');
});


test('legends: an entry with mathematics in it is TeX throughout (like the axes), never plain Unicode or raw _ ^', async () => {
  const { allFigures } = await import('../../src/figures/registry.ts');
  // subscripts, superscripts, Greek, operators, raw TeX marks: what reads as maths in a label
  const MATH = /[_^\u2080-\u2089\u2070-\u2079\u00b2\u00b3\u00b9\u0391-\u03c9\u2202\u222b\u221a\u00b7\u2212*|]/u;
  const bad: string[] = [];
  for (const f of allFigures()) {
    for (const t of f.build(f.sample()).data as { name?: string; showlegend?: boolean }[]) {
      if (t.showlegend === false || !t.name || /^\$[^$]+\$$/.test(t.name.trim())) continue;
      if (MATH.test(t.name)) bad.push(`${f.name}: ${t.name}`);
    }
  }
  assert.equal(bad, [], bad.join('\n'));
  // control: the rule sees the old plain-Unicode entries
  assert.ok(MATH.test('H_l, N = 8') && MATH.test('p₁ at layers') && MATH.test('κ = 0.5') && !MATH.test('Euler: slope 1.00 ± 0.01'));
});

test('logLogConvergence: "slope p" labels sit right of every data point (clear of the data) and apart', () => {
  const h = Array.from({ length: 6 }, (_, i) => 0.2 / 2 ** i);
  const series = [1, 2].map((p) => ({ label: `p${p}`, h, err: h.map((x) => x ** p) }));
  const { data, layout } = logLogConvergence(series, { xTitle: '$h$', yTitle: 'e', referenceSlopes: [1, 2] });
  const lay = layout as Record<string, any>;
  const maxX = Math.log10(Math.max(...(data as any[]).flatMap((t) => t.x)));
  for (const a of lay.annotations) assert.ok(a.x > maxX && a.xanchor === 'left', `label at log10 h = ${a.x} right of ${maxX}`);
  assert.ok(lay.xaxis.range[1] > lay.annotations[0].x, 'the x range leaves room for the labels');
  const ys = lay.annotations.map((a: any) => a.y).sort((a: number, b: number) => a - b);
  assert.ok(ys[1] - ys[0] > 0.2, `labels apart: ${ys}`);
});

test('logLogConvergence: a negative control is drawn as one (grey, dotted, × markers), not in a palette colour', () => {
  const h = [0.1, 0.05, 0.025];
  const { data } = logLogConvergence([{ label: 'Euler', h, err: h }, { label: 'rough (control)', h, err: [1, 1, 1], control: true }], { xTitle: '$h$', yTitle: 'e' });
  const [a, b] = data as any[];
  assert.is(b.line.dash, 'dot');
  assert.is(b.marker.symbol, 'x');
  assert.ok(!PALETTE.includes(b.line.color), `control colour ${b.line.color} is not a series colour`);
  assert.is.not(a.line.dash, 'dot');
});

test.run();
