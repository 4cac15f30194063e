/**
 * Every registered figure, drawn from its sample in Chromium as it is exported: each named
 * trace has a legend entry that is visible (not scrolled or clipped away), and the legend box
 * does not overlap any plot area. Read off the rendered page (html.ts LEGEND_CHECK), in one
 * browser for all figures. Controls: a legend moved onto the data, and a legend capped so its
 * entries are cut off, must both be reported.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { exportRoutes, prepareFigures, type PreparedFigure } from '../../src/figures/export.ts';
import { allFigures } from '../../src/figures/registry.ts';
import { LEGEND_CHECK } from '../../src/figures/html.ts';
import { serve } from '../../src/figures/serve.ts';
import { withBrowser } from '../../src/figures/browser.ts';
import { chromiumTest } from '../chromium-helpers.ts';

async function problems(page: Page, f: PreparedFigure): Promise<string[]> {
  return page.evaluate(async ([data, layout]) => {
    const w = window as unknown as { Plotly: any; drawAligned: (...a: unknown[]) => Promise<number>; legendProblems: (d: unknown) => string[] };
    const div = document.getElementById('fig')!;
    w.Plotly.purge(div);
    await w.drawAligned(w.Plotly, div, data, layout, { staticPlot: true });
    return w.legendProblems(div);
  }, [f.plot.data, f.plot.layout] as const);
}

/** `f` with its layout's legend replaced by `legend` (a control). */
function withLegend(f: PreparedFigure, legend: Record<string, unknown>): PreparedFigure {
  const layout = f.plot.layout as Record<string, unknown>;
  return { ...f, plot: { ...f.plot, layout: { ...layout, legend: { ...(layout['legend'] as object), ...legend } } } };
}

chromiumTest('legends: every named trace has a visible entry and no legend overlaps a plot area (every registered figure); controls are caught', async () => {
  const figs = prepareFigures(allFigures().map((s) => ({ figure: s.name, data: s.sample() })));
  const server = await serve(exportRoutes(true));
  try {
    await withBrowser(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
      await page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<void> } } }).MathJax.startup.promise);
      await page.addScriptTag({ content: LEGEND_CHECK });
      const bad: string[] = [];
      for (const f of figs) for (const p of await problems(page, f)) bad.push(`${f.id}: ${p}`);
      assert.equal(bad, [], bad.join('\n'));

      // controls, on a figure with several entries: the legend on the data, and a legend cut to one row
      const base = figs.find((f) => f.id === 'adjoint-gap')!;
      const onData = await problems(page, withLegend(base, { x: 0.5, y: 0.5, xanchor: 'center', yanchor: 'middle', orientation: 'v' }));
      assert.ok(onData.some((p) => /overlaps plot area/.test(p)), `legend on the data reported: ${onData.join('; ')}`);
      const cut = await problems(page, withLegend(base, { orientation: 'v', x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', maxheight: 25 }));
      assert.ok(cut.some((p) => /no visible legend entry/.test(p)), `cut-off entries reported: ${cut.join('; ')}`);
    });
  } finally {
    await server.close();
  }
});

test.run();
