/**
 * Pages as a reader sees them, in Chromium (one browser for the file): a long display equation
 * breaks across lines inside the text column (no horizontal scroll box, nothing wider than the
 * column), and plotly's toolbar never covers a figure's legend. Controls: the same equation in
 * KaTeX's display mode overflows the column, and the toolbar put back at its default place
 * overlaps the legend.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import katex from 'katex';
import { copySharedScripts, prepareFigures } from '../../src/figures/export.ts';
import { getFigure } from '../../src/figures/registry.ts';
import { figureDiv } from '../../src/figures/html.ts';
import { pageShell } from '../../src/report/pages.ts';
import { renderProse } from '../../src/report/markdown.ts';
import { withBrowser } from '../../src/figures/browser.ts';
import { chromiumTest } from '../chromium-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-layout-'));
// a modified equation as long as the order-3 ones the derivations print
const LONG = '\\dot x = ' + Array.from({ length: 24 }, (_, i) => `a_{${i}} \\tanh(x)^{${i}} \\operatorname{sech}(x)^{2}`).join(' + ');

chromiumTest('pages: a long equation wraps inside the column (no scroll box); the plotly toolbar is clear of the legend; controls overlap', async () => {
  const [fig] = prepareFigures([{ figure: 'adjoint-gap', id: 'adjoint-gap', data: getFigure('adjoint-gap').sample() }]);
  copySharedScripts(tmp, [fig!]);
  const body = `<div id="broken">${renderProse(`$$\n${LONG}\n$$`)}</div>
<div id="control" class="math">${katex.renderToString(LONG, { displayMode: true })}</div>
${figureDiv('adjoint-gap', fig!.plot)}`;
  const path = join(tmp, 'page.html');
  writeFileSync(path, pageShell('layout', body, { scriptsHref: '', figures: true, tex: true }));
  await withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(pathToFileURL(path).href);
    await page.waitForFunction(() => (window as unknown as { __figuresDone?: boolean }).__figuresDone === true, undefined, { timeout: 30_000 });
    const m = await page.evaluate(() => {
      const column = document.body.getBoundingClientRect();
      const eq = document.querySelector('#broken .math-display')!.getBoundingClientRect();
      // KaTeX's MathML copy (for screen readers) is clipped to 1 px: not laid out for the eye
      const wide = Array.from(document.querySelectorAll('#broken *')).filter((e) => !e.closest('.katex-mathml')).filter((e) => e.getBoundingClientRect().right > column.right + 1 ||
        (/auto|scroll/.test(getComputedStyle(e).overflowX) && (e as HTMLElement).scrollWidth > (e as HTMLElement).clientWidth + 1)).length;
      const ctl = document.querySelector('#control .katex-display')!.getBoundingClientRect();
      const [modebar, legend] = ['.modebar-container .modebar', 'g.legend rect.bg'].map((sel) => { const r = document.querySelector(sel)!.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; });
      return { columnRight: column.right, eqHeight: eq.height, eqRight: eq.right, wide, controlRight: ctl.left + (document.querySelector('#control .katex') as HTMLElement).scrollWidth, lineHeight: parseFloat(getComputedStyle(document.body).fontSize), modebar: modebar!, legend: legend! };
    });
    assert.ok(m.eqHeight > 3 * m.lineHeight, `the equation wraps onto several lines (${m.eqHeight.toFixed(0)} px tall, font ${m.lineHeight} px)`);
    assert.ok(m.eqRight <= m.columnRight + 1 && m.wide === 0, `nothing wider than the column (${m.wide} elements)`);
    assert.ok(m.controlRight > m.columnRight + 50, `control: display mode runs past the column (${m.controlRight.toFixed(0)} > ${m.columnRight.toFixed(0)})`);
    const overlap = (a: typeof m.legend, b: typeof m.legend) => Math.min(a.r, b.r) > Math.max(a.l, b.l) && Math.min(a.b, b.b) > Math.max(a.t, b.t);
    assert.not.ok(overlap(m.modebar, m.legend), `toolbar ${JSON.stringify(m.modebar)} clear of legend ${JSON.stringify(m.legend)}`);
    // control: the toolbar at plotly's default place covers the legend's row
    await page.addStyleTag({ content: '.plotly-figure .modebar-container{top:0!important}' });
    const moved = await page.evaluate(() => { const r = document.querySelector('.modebar-container .modebar')!.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; });
    assert.ok(overlap(moved, m.legend), `control: default toolbar ${JSON.stringify(moved)} overlaps legend ${JSON.stringify(m.legend)}`);
  });
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
