/**
 * The figures a notebook shows in Jupyter draw in a real browser: the HTML outputs the kernel
 * context displays (plotly sent once, then each figure) are put on a page in order, as Jupyter
 * shows a cell's outputs, beside an AMD `define` like the classic notebook's require.js, and
 * Chromium must draw every figure with its trace layers on their axes. Control: the same outputs
 * without the one that carries plotly draw nothing, and the check reports every figure missing.
 */
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import example from './fixtures/example-notebook.ts';
import { openJupyterNotebook } from '../../src/report/jupyter-kernel.ts';
import type { Browser } from 'playwright-core';
import { withBrowser } from '../../src/figures/browser.ts';
import { chromiumTest } from '../chromium-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-jupyter-browser-'));

/** A page holding the HTML outputs in order, under a stand-in for require.js's AMD `define`. */
function page(outputs: string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><script>
window.define = function () {};
window.define.amd = {};
</script></head><body>${outputs.map((o) => `<div class="output">${o}</div>`).join('\n')}</body></html>`;
}

/** Figures drawn (a plotly .main-svg in each figure div) and misplaced trace layers, after plotly settles. */
async function drawn(browser: Browser, html: string, figures: number): Promise<{ drawn: number; misplaced: string[]; failed: string[] }> {
  const file = join(tmp, `page-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, html);
  // newPage: its own fresh context, so the control shares no cache or state with the first page
  const p = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  try {
    await p.goto(pathToFileURL(file).href);
    // wait until every figure div is drawn or reports failure (bounded: a missing plotly never draws)
    await p.waitForFunction((n) => {
      const divs = Array.from(document.querySelectorAll('div[id^="dl-"]'));
      return divs.length === n && divs.every((d) => d.querySelector('.main-svg') || /figure failed/.test(d.textContent ?? ''));
    }, figures, { timeout: 20_000 }).catch(() => undefined);
    return await p.evaluate(() => {
      const divs = Array.from(document.querySelectorAll('div[id^="dl-"]')) as HTMLElement[];
      const w = window as unknown as { misplacedLayers?: (d: HTMLElement) => string[] };
      return {
        drawn: divs.filter((d) => d.querySelector('.main-svg')).length,
        misplaced: divs.flatMap((d) => (d.querySelector('.main-svg') && w.misplacedLayers ? w.misplacedLayers(d) : [])),
        failed: divs.filter((d) => !d.querySelector('.main-svg')).map((d) => `${d.id}: ${d.textContent ?? ''}`),
      };
    });
  } finally {
    await p.close();
  }
}

chromiumTest('a notebook\'s figures shown in Jupyter draw in the browser beside require.js, layers on their axes (control: without the plotly output none draws)', async () => {
  const html: string[] = [];
  const nb = openJupyterNotebook(example, { mode: 'quick', seed: 1 }, { html: (s) => html.push(s), markdown: () => {}, latex: () => {} });
  await example.run(nb);
  const figures = nb.finish().figures.length;
  assert.is(figures, 2);
  // control: the figure outputs without the loader output
  const withoutPlotly = html.filter((s) => !s.includes('window.drawAligned = async'));
  assert.is(withoutPlotly.length, html.length - 1, 'the control removed exactly the loader');
  // one Chromium for both pages (a launch costs ≈ 1.2 s CPU)
  const [ok, bad] = await withBrowser(async (browser) => [await drawn(browser, page(html), figures), await drawn(browser, page(withoutPlotly), figures)]);
  assert.is(ok.drawn, figures, ok.failed.join('; '));
  assert.equal(ok.misplaced, []);
  assert.is(bad.drawn, 0, 'figures drew without plotly: the check cannot tell');
  assert.is(bad.failed.length, figures);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
