/** The notebook API: recording, TeX validation, figure checks, ids, pages, the runner's bad input. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import example from './fixtures/example-notebook.ts';
import { assignFigureIds, defineNotebook, runNotebook, toPlain, type FigureEntry } from '../../src/report/notebook.ts';
import { notebookFragment, notebookMarkdown } from '../../src/report/pages.ts';
import { renderProse } from '../../src/report/markdown.ts';
import { splitMath } from '../../src/report/tex.ts';
import { runNotebookCli } from '../../src/report/run-notebook.ts';
import { writeNotebookOutputs } from '../../src/report/outputs.ts';
import { UserError } from '../../src/util/errors.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-notebook-test-'));
const quick = { mode: 'quick' as const, seed: 1, log: () => {} };

test('runNotebook records every block in order, results as plain JSON', async () => {
  const rec = await runNotebook(example, quick);
  assert.is(rec.error, undefined);
  assert.equal(rec.blocks.map((b) => b.kind), ['section', 'text', 'tex', 'table', 'figure', 'figure']);
  assert.is(rec.figures.length, 2);
  const series = (rec.figures[0]!.data as { series: { h: unknown }[] }).series[0]!;
  assert.ok(Array.isArray(series.h), 'Float64Array became a plain array');
  assert.is(typeof rec.results['slope'], 'number');
  assert.ok(Math.abs((rec.results['slope'] as number) - 1) < 0.1, 'Euler slope ≈ 1');
});

test('a bad TeX string, an unknown figure or undrawable data fails the notebook with the reason', async () => {
  const bad = (run: (nb: Parameters<typeof example.run>[0]) => void) => runNotebook(defineNotebook({ name: 'bad', title: 'B', summary: 's', run }), quick);
  assert.match((await bad((nb) => nb.tex('\\frac{1}{'))).error!, /KaTeX cannot parse/);
  assert.match((await bad((nb) => nb.text('unclosed $x'))).error!, /unclosed \$/);
  assert.match((await bad((nb) => nb.text('bad inline $\\sqrt{$ math'))).error!, /KaTeX cannot parse/);
  assert.match((await bad((nb) => nb.figure('no-such-figure', {}))).error!, /unknown figure/);
  assert.match((await bad((nb) => nb.figure('line-series', { series: 1 }))).error!, /series/);
  // a TeX axis title from the notebook's data that lost its backslash ('\theta' → TAB + 'heta')
  const lost = { xTitle: '$t$', yTitle: '$\theta(t)$', series: [{ label: 'a', x: [0, 1], y: [1, 2] }] };
  assert.match((await bad((nb) => nb.figure('line-series', lost))).error!, /figure line-series label: .*lost a backslash/);
  const kept = await bad((nb) => nb.figure('line-series', { ...lost, yTitle: '$\\theta(t)$' }));
  assert.is(kept.error, undefined, 'the same label with its backslash is fine');
  const badTitle = await runNotebook(defineNotebook({ name: 'bad-title', title: 'T $\\frac{1}{$', summary: 's', run() {} }), quick);
  assert.match(badTitle.error!, /title: KaTeX cannot parse/);
  assert.match(notebookFragment(badTitle, { href: '', prepared: new Map(), staticFiles: false }), /class="error"/, 'the page still renders, marking the bad TeX');
  const partial = await bad((nb) => { nb.section('kept'); throw new Error('boom\nsecond line'); });
  assert.is(partial.error, 'boom');
  assert.is(partial.blocks.length, 1, 'blocks before the failure are kept');
  assert.throws(() => defineNotebook({ name: 'Not Kebab', title: '', summary: '', run() {} }));
});

test('every TeX string a notebook records parses in KaTeX (display and inline)', async () => {
  const rec = await runNotebook(example, quick);
  let n = 0;
  const parse = (tex: string, display: boolean) => { katex.renderToString(tex, { throwOnError: true, displayMode: display }); n++; };
  const prose = (s: string) => { for (const p of splitMath(s)) if (p.kind === 'math') parse(p.tex, p.display); };
  prose(rec.title);
  for (const b of rec.blocks) {
    if (b.kind === 'tex') parse(b.tex, true);
    else if (b.kind === 'text') prose(b.markdown);
    else if (b.kind === 'section') prose(b.title);
    else if (b.kind === 'table') [...b.header, ...b.rows.flat()].forEach((c) => typeof c === 'string' && prose(c));
    else if (b.kind === 'figure' && b.caption) prose(b.caption);
  }
  assert.ok(n >= 6, `${n} TeX strings checked`);
});

test('assignFigureIds: first drawing keeps the name, repeats get -2, -3; explicit ids kept', () => {
  const e: FigureEntry[] = [{ figure: 'a', data: 1 }, { figure: 'b', data: 1 }, { figure: 'a', data: 2 }, { figure: 'a', data: 3, id: 'a-2' }];
  assert.equal(assignFigureIds(e).map((x) => x.id), ['a', 'b', 'a-3', 'a-2']);
  assert.equal(toPlain({ x: new Float64Array([1, 2]), f: () => 1, u: undefined }), { x: [1, 2] });
});

test('Markdown: math untouched by Markdown, lists, emphasis, code, escaping', () => {
  const html = renderProse('A *b* **c** `d<e` $a*b*c$ <x>\n\n- one\n- two $\\alpha$');
  assert.match(html, /<em>b<\/em>/);
  assert.match(html, /<strong>c<\/strong>/);
  assert.match(html, /<code>d&lt;e<\/code>/);
  assert.match(html, /&lt;x&gt;/);
  assert.match(html, /<ul><li>one<\/li><li>two <span class="katex">/);
  assert.not.match(html, /a<em>b/, 'emphasis markers inside math are TeX, not Markdown');
});

test('outputs: NAME.md (with $$ TeX), NAME.html (KaTeX, fonts inlined, figures embedded), NAME.json (a --from file)', async () => {
  const rec = await runNotebook(example, quick);
  const out = await writeNotebookOutputs([rec], { outDir: tmp, formats: ['html'] });
  const md = readFileSync(join(tmp, 'notebooks', 'example.md'), 'utf8');
  assert.match(md, /\$\$\n\\bigl\|x_N - e\^\{-T\}\\bigr\| \\le C h\n\$\$/);
  assert.match(md, /\[certified-convergence \(interactive\)\]\(\.\.\/figures\/certified-convergence\.html\)/, 'no Chromium run: links the HTML');
  const html = readFileSync(join(tmp, 'notebooks', 'example.html'), 'utf8');
  assert.match(html, /class="katex-display"/);
  assert.match(html, /font\/woff2;base64/);
  assert.match(html, /data-spec-for="certified-convergence"/);
  assert.match(html, /src="\.\.\/figures\/plotly\.min\.js"/);
  const json = JSON.parse(readFileSync(join(tmp, 'notebooks', 'example.json'), 'utf8'));
  assert.is(json.figures.length, 2);
  assert.ok(json.provenance.commit);
  assert.ok(existsSync(join(tmp, 'figures', 'certified-convergence.html')));
  assert.is(out.pages.length, 1);
  assert.match(notebookMarkdown(rec, { href: 'f/', staticFiles: true }), /!\[.*\]\(f\/certified-convergence\.svg\)/);
});

test('npm run notebook: unknown name, no name, bad seed: UserError (exit 2)', async () => {
  await assertRejects(runNotebookCli(['nope'], [example]), /unknown notebook 'nope' \(registered: example\)/);
  await assertRejects(runNotebookCli([], [example]), /give a notebook name/);
  await assertRejects(runNotebookCli(['example', '--seed', 'x'], [example]), /--seed must be an integer/);
  await assertRejects(runNotebookCli(['example', '--bogus'], [example]), /bogus/);
});

test('npm run notebook: prints the steps as it goes and writes NAME.md/.html/.json', async () => {
  const chunks: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let code: number;
  try {
    code = await runNotebookCli(['example', '--quick', '--out', join(tmp, 'cli'), '--formats', 'html'], [example]);
  } finally {
    process.stdout.write = orig;
    process.stderr.write = origErr;
  }
  assert.is(code, 0);
  const out = chunks.join('');
  assert.match(out, /\(quick mode, seed 20191029\)/);
  assert.match(out, /## Setup[\s\S]*\$\$ \\bigl[\s\S]*\[figure 1: certified-convergence\][\s\S]*= slope: /, 'steps in order');
  for (const ext of ['md', 'html', 'json']) assert.ok(existsSync(join(tmp, 'cli', 'notebooks', `example.${ext}`)), ext);
});

async function assertRejects(p: Promise<unknown>, re: RegExp) {
  try { await p; } catch (e) { assert.instance(e, UserError); assert.match((e as Error).message, re); return; }
  assert.unreachable(`expected UserError ${re}`);
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
