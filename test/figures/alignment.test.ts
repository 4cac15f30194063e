/**
 * Regression: a TeX legend made static exports draw data in the wrong place. MathJax typesets
 * after plotly's first layout; the taller legend grows the top margin (automargin) and plotly 3
 * redraws the axes at the new offset but leaves the trace layer at the old one, so verlet-energy's
 * largest |H_k − H_0| = 7.7e-3 was drawn at about 4e-2 (PNG, SVG and the interactive pages).
 * The value a reader reads off the exported SVG's axis must be the data's value.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportFigures, exportRoutes, prepareFigures } from '../../src/figures/export.ts';
import { getFigure } from '../../src/figures/registry.ts';
import { serve } from '../../src/figures/serve.ts';
import { chromiumTest } from '../chromium-helpers.ts';
import { browserSession } from '../report/browser-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-alignment-'));
/** One Chromium for the page tests of this file (a launch costs CPU; each test opens its own pages). */
const session = browserSession();
const entry = { figure: 'verlet-energy', data: getFigure('verlet-energy').sample() };

/** log10 of a plotly power tick label such as "10​<tspan …>−3</tspan>…" (the exponent), or undefined. */
function tickExponent(text: string): number | undefined {
  const m = />\s*10\u200b?<tspan[^>]*>([−-]?\d+)<\/tspan>/.exec(text);
  return m ? Number(m[1]!.replace('−', '-')) : undefined;
}

/**
 * The value at the top-most point of trace 0 as a reader reads it off the SVG: the path's
 * highest pixel (plus its layer's translate) placed on the log y axis through the tick labels.
 */
function valueReadOffSvg(svg: string): number {
  const ticks = [...svg.matchAll(/<g class="ytick"><text[^>]*transform="translate\(0,([\d.]+)\)"[^>]*>(.*?)<\/text>/g)]
    .map((m) => ({ y: Number(m[1]), e: tickExponent(m[0]) }))
    .filter((t): t is { y: number; e: number } => t.e !== undefined);
  assert.ok(ticks.length >= 2, `at least two labelled log ticks (found ${ticks.length})`);
  const [a, b] = [ticks[0]!, ticks[ticks.length - 1]!];
  const layer = /<g class="plot" transform="translate\(([\d.]+),([\d.]+)\)"/.exec(svg)
    ?? /transform="translate\(([\d.]+),([\d.]+)\)" clip-path="url\(#clip[A-Za-z0-9]*xyplot\)"/.exec(svg);
  assert.ok(layer, 'the trace layer and its translate');
  const trace = /class="trace scatter tracet0"[\s\S]*?class="js-line" d="([^"]+)"/.exec(svg);
  assert.ok(trace, 'trace 0 has a line');
  const ys = [...trace[1]!.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
  const top = Number(layer[2]) + Math.min(...ys);
  return 10 ** (a.e + ((top - a.y) / (b.y - a.y)) * (b.e - a.e));
}

const dataMax = (): number => {
  const [f] = prepareFigures([entry]);
  const y = (f!.plot.data[0] as { y: number[] }).y.filter(Number.isFinite);
  return Math.max(...y);
};

chromiumTest('verlet-energy (TeX legend): the exported SVG puts the largest |H_k − H_0| at its value on the axis', async () => {
  const out = join(tmp, 'svg');
  await exportFigures([entry], { outDir: out, formats: ['svg', 'png'], command: 'test', seed: 1 });
  const read = valueReadOffSvg(readFileSync(join(out, 'verlet-energy.svg'), 'utf8'));
  const want = dataMax();
  // one pixel on this axis (≈ 41 px per decade) is a factor 10^(1/41) ≈ 1.06: allow 1.5 px
  assert.ok(Math.abs(Math.log10(read / want)) < 1.5 / 41, `read ${read.toExponential(3)} off the axis, data max ${want.toExponential(3)}`);
});

chromiumTest('the layer check in the page finds a trace layer moved off its axes (control)', async () => {
  const [f] = prepareFigures([entry]);
  const server = await serve(exportRoutes(true));
  try {
    const browser = await session.browser();
    const page = await browser.newPage({ viewport: { width: f!.width, height: f!.height } });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
    await page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<void> } } }).MathJax.startup.promise);
    const r = await page.evaluate(async ([data, layout]) => {
      const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number>; misplacedLayers: (d: unknown) => string[] };
      const div = document.getElementById('fig') as any;
      await w.drawAligned(w.Plotly, div, data, layout, { staticPlot: true });
      const aligned = w.misplacedLayers(div);
      const pi = div._fullLayout._plots.xy;
      pi.plot.attr('transform', `translate(${pi.xaxis._offset},${pi.yaxis._offset - 32})`);
      return { aligned, moved: w.misplacedLayers(div) };
    }, [f!.plot.data, f!.plot.layout] as const);
    assert.equal(r.aligned, [], 'drawAligned leaves every layer on its axes');
    assert.is(r.moved.length, 1, 'a layer 32 px off is found');
    assert.match(r.moved[0]!, /^xy: trace layer at translate/);
    await page.close();
  } finally {
    await server.close();
  }
});

chromiumTest('memoised TeX: every label verlet-energy repeats is handed a clone equal to a real MathJax conversion, numbered as MathJax would number it', async () => {
  const [f] = prepareFigures([entry]);
  const server = await serve(exportRoutes(true));
  try {
    const page = await (await session.browser()).newPage({ viewport: { width: f!.width, height: f!.height } });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
    await page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<void> } } }).MathJax.startup.promise);
    const r = await page.evaluate(async ([data, layout]) => {
      const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number>; memoiseTeX: () => void; MathJax: any };
      const mj = w.MathJax._.mathjax.mathjax;
      w.memoiseTeX();
      // plotly's document, as the memo hands it over; every conversion plotly asks for is recorded
      let doc: any;
      const calls: [string, unknown][] = [];
      const memoised = mj.document;
      mj.document = Object.assign(function (this: unknown, ...args: unknown[]) {
        doc = memoised.apply(this, args);
        const convert = doc.convert;
        doc.convert = function (this: unknown, math: string, options: unknown) { calls.push([math, options]); return convert.call(this, math, options); };
        return doc;
      }, { memoised: true });
      // the conversions MathJax itself makes: one local glyph id each
      const fontCache = w.MathJax._.output.svg.FontCache.FontCache.prototype, useLocalID = fontCache.useLocalID;
      let typeset = 0;
      fontCache.useLocalID = function (this: unknown, ...a: unknown[]) { typeset++; return useLocalID.apply(this, a); };
      const redraws = await w.drawAligned(w.Plotly, document.getElementById('fig'), data, layout, { staticPlot: true });
      fontCache.useLocalID = useLocalID;
      const keys = new Map(calls.map(([m, o]) => [JSON.stringify([m, o]), [m, o] as const]));
      const labels = [...keys.values()].map(([math, options]) => {
        const clone = doc.convert(math, options).outerHTML as string; // a repeat: the memo's clone
        const real = Object.getPrototypeOf(doc).convert.call(doc, math, options).outerHTML as string; // MathJax, the next id
        const [ic, ir] = [clone, real].map((html) => Number(/MJX-(\d+)-/.exec(html)?.[1]));
        return { math, next: ir === ic! + 1, same: clone.split(`MJX-${ic}-`).join(`MJX-${ir}-`) === real, glyphs: /MJX-\d+-TEX/.test(real) };
      });
      return { redraws, requested: calls.length, distinct: keys.size, typeset, labels };
    }, [f!.plot.data, f!.plot.layout] as const);
    await page.close();
    assert.ok(r.redraws > 0, 'the figure was drawn again (its labels asked for again)');
    assert.ok(r.distinct > 0 && r.requested > r.distinct, `labels repeat (${r.requested} conversions of ${r.distinct} labels)`);
    assert.is(r.typeset, r.distinct, 'MathJax typeset each label once');
    for (const l of r.labels) {
      assert.ok(l.glyphs, `${l.math}: MathJax glyphs`);
      assert.ok(l.next, `${l.math}: the clone took the id MathJax gives next`);
      assert.ok(l.same, `${l.math}: the clone is the real conversion`);
    }
  } finally {
    await server.close();
  }
});

test.after(async () => {
  await session.close();
  rmSync(tmp, { recursive: true, force: true });
});
test.run();
