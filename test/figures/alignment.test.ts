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

chromiumTest('memoised TeX: a page that reuses MathJax output draws verlet-energy to the same DOM as a page that typesets every label', async () => {
  const [f] = prepareFigures([entry]);
  const server = await serve(exportRoutes(true));
  try {
    const browser = await session.browser();
    const draw = async (memo: boolean) => {
      const page = await browser.newPage({ viewport: { width: f!.width, height: f!.height } });
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
      await page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<void> } } }).MathJax.startup.promise);
      return page.evaluate(async ([data, layout, memo]) => {
        const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number>; MathJax: any };
        const mj = w.MathJax._.mathjax.mathjax;
        if (!memo) mj.document.memoised = true; // memoiseTeX then leaves MathJax alone
        let conversions = 0;
        const make = mj.document;
        // counts the conversions that reach MathJax (under the memo, only the first of each label)
        mj.document = Object.assign(function (this: unknown, ...args: unknown[]) {
          const doc = make.apply(this, args), convert = doc.convert;
          doc.convert = function (this: unknown, ...c: unknown[]) { conversions++; return convert.apply(this, c); };
          return doc;
        }, { memoised: make.memoised });
        const counting = mj.document;
        const div = document.getElementById('fig') as any;
        const redraws = [];
        for (let i = 0; i < 2; i++) { w.Plotly.purge(div); redraws.push(await w.drawAligned(w.Plotly, div, data, layout, { staticPlot: true })); }
        return { html: div.innerHTML.split(div._fullLayout._uid).join('UID'), redraws, conversions, memoised: mj.document !== counting };
      }, [f!.plot.data, f!.plot.layout, memo] as const).finally(() => page.close());
    };
    const [typeset, memoised] = [await draw(false), await draw(true)];
    assert.ok(memoised.memoised && !typeset.memoised, 'the memo wraps MathJax on the memo page only');
    assert.ok(typeset.redraws.every((r) => r > 0), 'each draw needed its redraw (labels typeset again)');
    assert.ok(memoised.conversions < typeset.conversions, `fewer conversions reach MathJax with the memo (${memoised.conversions} vs ${typeset.conversions})`);
    assert.ok(/MJX-\d+-TEX/.test(typeset.html), 'the drawn figure has MathJax glyphs');
    assert.is(memoised.html, typeset.html, 'the same DOM, glyph ids included');
  } finally {
    await server.close();
  }
});

test.after(async () => {
  await session.close();
  rmSync(tmp, { recursive: true, force: true });
});
test.run();
