/**
 * The report end to end on a small input: the example notebook and four synthetic claim
 * results (one in good standing, one failing, one whose control wrongly passes, one whose
 * control crashed), exported in
 * all formats through real headless Chromium, then opened in Chromium: every figure must have
 * rendered (plotly's .main-svg) and the screenshot must not be blank.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import example from './fixtures/example-notebook.ts';
import { buildReport, type ReportResult } from '../../src/report/report.ts';
import type { ClaimResult } from '../../src/claims/index.ts';
import type { Claim, Evidence } from '../../src/claims/types.ts';
import { chromiumAvailable } from '../../src/figures/browser.ts';
import { PNG_SCALE, SIZES } from '../../src/figures/style.ts';
import { CERTIFY_REASON } from '../../src/numeric/certify.ts';
import type { ProgressEvent } from '../../src/report/progress.ts';
import { browserSession, checkPage } from './browser-helpers.ts';
import { chromiumTest } from '../chromium-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-report-test-'));
const CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

function claimResult(id: string, evidence: Partial<Evidence>, control: Partial<Evidence>, figures?: string[]): ClaimResult {
  const ev = (e: Partial<Evidence>): Evidence => ({ verdict: 'holds', measured: 1, expected: 1, tolerance: 0.01, toleranceReason: 'C h with h = 1e-2', ...e });
  const claim: Claim = {
    id, title: `synthetic ${id}`, source: 'test', family: 'followup', statement: '|x_N - x(T)| \\le C h',
    ...(figures ? { figures } : {}),
    check: () => ev(evidence), negativeControl: { description: 'rough weights', check: () => ev(control) },
  };
  return { key: id, claim, evidence: ev(evidence), control: ev(control), seconds: 0.01 };
}

const claims = [
  claimResult('C5', { measured: 1.002, expected: 1, methods: { claim: 'C5', source: 'Ruseckas 2019, arXiv:1909.03767', scheme: 'Euler ResNet', solver: 'DOPRI5, rtol 1e-12', depths: [8, 16], parameters: { d: 2, T: 1 }, seed: 7 } }, { verdict: 'fails', measured: 0.01 }, ['certified-convergence', 'gamma-nowhere']),
  claimResult('C6', { verdict: 'fails', measured: 0.5, expected: 1, detail: 'slope 0.5 outside CI' }, { verdict: 'fails' }),
  claimResult('C7', {}, { verdict: 'holds' }),
  { ...claimResult('C8', {}, {}), control: { verdict: 'crashed', error: 'TypeError: ladder is undefined' } } satisfies ClaimResult,
  (() => { const r = claimResult('C9', { tolerance: 'certifyOrder', toleranceReason: CERTIFY_REASON }, { verdict: 'fails' }); r.claim.title = 'title with $n^{\\kappa - 1}$'; return r; })(),
];

let report: ReportResult;
const events: ProgressEvent[] = [];
const browser = chromiumAvailable();
/** One Chromium for the three page checks below (each in its own page and context). */
const session = browserSession();

test('buildReport: pages, figures in all formats, report.html with the claims table', async () => {
  if (!browser && CI) assert.unreachable('Chromium is required under CI (.ci/run installs it)');
  report = await buildReport({
    notebooks: [example], claimResults: claims, outDir: tmp,
    derivations: [{ name: 'ff', title: 'FF continuum limit', verdict: 'proved', tex: ['\\dot x = w x + b + g(x)'] }], mode: 'quick', seed: 3,
    formats: browser ? ['html', 'svg', 'png', 'pdf'] : ['html'], onProgress: (e) => events.push(e), command: 'test', log: () => {},
  });
  assert.is(report.ok, false);
  assert.equal(report.problems, [
    'claim C6: check fails: measured 0.5, expected 1, tolerance 0.01 (slope 0.5 outside CI)',
    'claim C7: negative control holds: measured 1, expected 1, tolerance 0.01 (must fail as a measurement)',
    'claim C8: negative control crashed: TypeError: ladder is undefined (must fail as a measurement)',
  ]);
  assert.ok(events.some((e) => e.stage === 'notebooks') && events.some((e) => e.stage === 'figures') && events.some((e) => e.stage === 'report'));
  const html = readFileSync(report.path, 'utf8');
  for (const k of ['C5', 'C6', 'C7', 'C8']) assert.match(html, new RegExp(`id="claim-${k}"`));
  assert.match(html, /<b>2\/5<\/b> claims hold with failing negative controls/);
  assert.match(html, /id="claim-C8">[\s\S]*?<span class="v-good"[^>]*>holds<\/span>[\s\S]*?<span class="v-bad"[^>]*>control crashed<\/span>: it must fail as a measurement/, 'crashed control in the table, marked bad');
  assert.match(html, /id="claim-C5">[\s\S]*?<span class="v-good"[^>]*>control fails, as it must<\/span>/, 'a failing control reads as required');
  assert.match(html, /id="claim-C7">[\s\S]*?<span class="v-bad"[^>]*>control holds<\/span>: it must fail/, 'a holding control reads as a problem');
  assert.match(html, /id="claim-C5">[\s\S]*?<td class="tol"><b>0\.01<\/b><br><span class="why">C h with h = 1e-2<\/span>/, 'the tolerance cell says why');
  assert.match(html, /id="claim-C9">[\s\S]*?<td>title with <span class="katex">/, 'TeX in a claim title is typeset');
  assert.match(html, /id="claim-C9">[\s\S]*?<td class="tol"><b>certified order<\/b><br><span class="why">order certified: the expected order lies/, 'certifyOrder explained');
  assert.match(html, /id="claim-detail-C8"[\s\S]*?crashed<\/span>: <code>TypeError: ladder is undefined<\/code> \(<b>must fail as a measurement<\/b>\)/);
  assert.match(html, /<a href="#figure-example--certified-convergence">example--certified-convergence<\/a>/, 'claim links to its drawn figure');
  assert.match(html, /gamma-nowhere \(not drawn\)/);
  assert.match(html, /rough weights/);
  assert.match(html, /C h with h = 1e-2/, 'tolerance reason shown');
  assert.match(html, /id="claim-detail-C5"[\s\S]*?Methods: Euler ResNet; DOPRI5, rtol 1e-12; depths 8, 16; d = 2, T = 1; seed 7; Ruseckas 2019, arXiv:1909.03767/, 'the methods block');
  assert.not.match(html.slice(html.indexOf('id="claim-detail-C6"')), /Methods:/, 'no methods line without a methods block');
  assert.match(html, /class="math-display"/);
  assert.match(html, /id="figure-example--certified-convergence"/);
  assert.match(html, /id="derivation-ff"[\s\S]*?<span class="v-good"[^>]*>proved<\/span>[\s\S]*?math-display/, 'derivation with verdict and KaTeX');
  const json = JSON.parse(readFileSync(join(tmp, 'report.json'), 'utf8'));
  assert.is(json.ok, false);
  assert.is(json.claims.length, 5);
  assert.is(json.claims[0].evidence.methods.seed, 7, 'report.json carries the methods block');
  assert.equal(json.claims[3].negativeControl, { description: 'rough weights', verdict: 'crashed', error: 'TypeError: ladder is undefined' });
  for (const f of ['example.md', 'example.html', 'example.json']) assert.ok(existsSync(join(tmp, 'notebooks', f)), f);
  assert.match(html, /<a href="interactive.html">/, 'the interactive page is linked');
  assert.ok(existsSync(join(tmp, 'interactive.html')) && existsSync(join(tmp, 'interactive.js')), 'and written with its bundle');
});

chromiumTest('static files: SVG, 300-dpi PNG at print size, one-page vector PDF with embedded fonts', () => {
  const dir = join(tmp, 'figures');
  const svg = readFileSync(join(dir, 'example--certified-convergence.svg'), 'utf8');
  assert.match(svg, /^<svg[^>]*width="326"/);
  assert.match(svg, /slope 1/, 'reference slope label in the SVG');
  // byte-stable: plotly's random plot and trace uids replaced by ones derived from the figure
  assert.match(svg, /id="defs-dlexamplecertifiedconvergence"/);
  assert.match(svg, /class="trace scatter tracet0"/);
  const png = readFileSync(join(dir, 'example--certified-convergence.png'));
  assert.is(png.readUInt32BE(16), Math.round(SIZES.single.width * PNG_SCALE));
  assert.is(png.readUInt32BE(20), Math.round(SIZES.single.height * PNG_SCALE));
  const pdf = readFileSync(join(dir, 'example--line-series.pdf')).toString('latin1');
  assert.match(pdf, /^%PDF-/);
  assert.is((pdf.match(/\/Type\s*\/Page\b/g) ?? []).length, 1, 'one page');
  assert.match(pdf, /\/FontFile2?\b/, 'fonts embedded');
  const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf);
  assert.ok(box, 'MediaBox');
  // page = figure size in pt (px × 0.75); Chromium rounds the paper size to ≈ 1 pt
  assert.ok(Math.abs(Number(box![1]) - SIZES.single.width * 0.75) < 1.5, `width ${box![1]} pt`);
  assert.ok(Math.abs(Number(box![2]) - SIZES.single.height * 0.75) < 1.5, `height ${box![2]} pt`);
  assert.match(pdf, /CreationDate \(D:20000101000000/, 'clock stamp fixed for byte-stable output');
});

chromiumTest('real browser: every figure in report.html rendered and the screenshot is not blank', async () => {
  const r = await checkPage(report.path, undefined, await session.browser());
  assert.is(r.figures, 2);
  assert.equal(r.missing, [], `figures without .main-svg: ${r.missing.join(', ')}`);
  assert.equal(r.errors, []);
  assert.ok(r.katex > 5, `${r.katex} KaTeX formulas in the page`);
  // a white page has variance 0; text and tables on white give hundreds (grey levels²)
  assert.ok(r.variance > 50, `screenshot grey-level variance ${r.variance}`);
});

chromiumTest('real browser, negative controls: a page without plotly and a blank page both fail the check', async () => {
  // the same report.html where its shared plotly.min.js is missing: no figure may count as drawn
  const bare = join(tmp, 'bare');
  mkdirSync(bare, { recursive: true });
  writeFileSync(join(bare, 'report.html'), readFileSync(report.path, 'utf8'));
  const r = await checkPage(join(bare, 'report.html'), undefined, await session.browser());
  assert.is(r.figures, 2);
  assert.is(r.rendered.length, 0, `no figure renders without plotly: ${r.rendered.join(', ')}`);
  assert.is(r.errors.length, 2);
  // a white page whose figure never drew: the variance threshold above must reject it
  writeFileSync(join(bare, 'blank.html'), '<!doctype html><html><body style="background:#fff"><div class="plotly-figure" data-figure="x"></div><script>window.__figuresDone=true</script></body></html>');
  const b = await checkPage(join(bare, 'blank.html'), undefined, await session.browser());
  assert.equal(b.missing, ['x']);
  assert.ok(b.variance <= 50, `blank page variance ${b.variance}`);
});

test.after(async () => {
  await session.close();
  rmSync(tmp, { recursive: true, force: true });
});
test.run();
