/**
 * The report's interactive page in a real browser (Chromium via playwright-core): a reader types
 * an activation; the page, running depthlimit's engine bundled by esbuild, typesets the
 * continuum-limit ODE and the modified equation and plots the depth sweep with its certified
 * slope. Expected values are the mathematics, not the page's output: the FF layer's limit is
 * dx/dt = A x + β + g(x) (C3), and the layer is a first-order scheme (slope 1).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeInteractivePage } from '../../src/interactive/page.ts';
import { withBrowser } from '../../src/figures/browser.ts';
import { chromiumTest } from '../chromium-helpers.ts';

const done = (page: Page) => page.waitForFunction(() => (window as unknown as { __interactiveDone?: boolean }).__interactiveDone === true, undefined, { timeout: 60_000 });

/**
 * Click "Derive and sweep" and wait for that computation to end. The flag is cleared before the
 * click, so only the new run can set it again: waiting for the page to clear it after the click
 * missed it every time (the run clears and sets it between two polls) and idled 5 s until a
 * timeout, and a fixed 50 ms pause could read the previous run's answer.
 */
async function rerun(page: Page): Promise<void> {
  await page.evaluate(() => { (window as unknown as { __interactiveDone?: boolean }).__interactiveDone = false; });
  await page.click('#compute');
  await done(page);
}

/** What the page shows: the TeX KaTeX typeset (its annotation), the plotted trace's legend and the slope. */
const read = (page: Page) => page.evaluate(() => {
  const [ode, modified] = ['ode', 'modified'].map((id) => document.querySelector(`#${id} annotation`)?.textContent ?? '');
  const plot = document.getElementById('sweep') as unknown as { data?: { name?: string; x: number[] }[] };
  const slope = document.getElementById('slope')!;
  return {
    ode: ode!, modified: modified!, error: document.getElementById('error')!.textContent,
    legend: Array.from(document.querySelectorAll('#sweep g.legend .legendtext')).map((e) => e.textContent),
    points: plot.data?.[0]?.x.length ?? 0,
    slope: Number(slope.dataset['slope']), verdict: slope.dataset['verdict'],
  };
});

const dir = mkdtempSync(join(tmpdir(), 'depthlimit-interactive-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

chromiumTest('interactive page: typing g = sin(z) typesets dx/dt = x/2 + 1/10 + sin x and its modified equation, and plots a certified slope 1', async () => {
  const path = await writeInteractivePage(dir);
  assert.ok(path, 'esbuild bundles the page (a devDependency, present in the checkout)');
  await withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path!).href);
    await done(page);
    const first = await read(page);
    assert.is(first.error, '', 'the default example runs');
    assert.match(first.ode, /\\tanh/);

    await page.fill('#g', 'sin(z)');
    await page.fill('#order', '3');
    await rerun(page);
    const r = await read(page);
    assert.is(r.error, '');
    assert.equal(errors, []);
    // the limit F_1 = A x + β + g(x) with A = 1/2, β = 1/10
    assert.match(r.ode, /^\\displaystyle \\dot\{x\} = /);
    for (const part of ['\\sin\\left(x\\right)', '\\frac{1}{2} x', '\\frac{1}{10}']) assert.ok(r.ode.includes(part), `ODE has ${part}: ${r.ode}`);
    assert.not.match(r.ode, /tanh/, 'the new activation replaced the old');
    // order 3: terms up to ε² and the remainder O(ε³)
    assert.match(r.modified, /\\varepsilon\^\{2\}/);
    assert.match(r.modified, /O\(\\varepsilon\^\{3\}\)(\\end\{aligned\})?$/); // long results break across aligned lines
    assert.match(r.modified, /\\cos/, "g' = cos appears in the ε-correction");
    // the sweep: N = 4 … 1024 (9 depths) and a slope certified at the FF layer's order 1
    assert.is(r.points, 9);
    assert.is(r.verdict, 'order');
    assert.ok(Math.abs(r.slope - 1) < 0.05, `slope ${r.slope}`);
    assert.ok(r.legend.some((t) => /slope 1\.\d+ ± /.test(t ?? '')), `legend shows the certified slope: ${r.legend.join(' | ')}`);

    // bad input: one line, nothing plotted anew
    await page.fill('#g', 'tanh(');
    await rerun(page);
    assert.ok((await read(page)).error.length > 0, 'a parse error is shown');
  });
});

test.run();
