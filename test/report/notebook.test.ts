/** The notebook API: recording, TeX validation, figure checks, ids, pages, the runner's bad input. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import example from './fixtures/example-notebook.ts';
import { assignFigureIds, defineNotebook, runNotebook, toPlain, type FigureEntry } from '../../src/report/notebook.ts';
import { notebookFragment, notebookMarkdown } from '../../src/report/pages.ts';
import { renderProse } from '../../src/report/markdown.ts';
import { splitMath } from '../../src/report/tex.ts';
import { cli, cliProcess } from '../helpers.ts';
import { startNotebookExport, writeNotebookOutputs } from '../../src/report/outputs.ts';
import { UserError } from '../../src/util/errors.ts';
import { runNotebook as runNotebookApi } from '../../src/api/notebook.ts';
import { getFigure } from '../../src/figures/registry.ts';

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

test('whatever a notebook throws, it has failed: a non-empty error line, never a crash of the runner nor an empty (falsy) error', async () => {
  const thrown: [unknown, string][] = [
    [new Error(''), 'Error'],
    [new RangeError('\n  first non-empty line\nsecond'), 'first non-empty line'],
    [null, 'null'],
    [undefined, 'undefined'],
    ['', 'string thrown'],
    [Object.create(null), 'object thrown'],
  ];
  for (const [t, want] of thrown) {
    const rec = await runNotebook(defineNotebook({ name: 'throws', title: 'T', summary: 's', run(nb) { nb.section('kept'); throw t; } }), quick);
    assert.is(rec.error, want, want);
    assert.is(rec.blocks.length, 1);
  }
});

test('a result (or a data field) named __proto__ is kept as a key, not lost to the prototype', async () => {
  const rec = await runNotebook(defineNotebook({ name: 'proto', title: 'P', summary: 's', run(nb) {
    nb.result('__proto__', { a: 1 });
    nb.result('nested', JSON.parse('{"__proto__": 2, "b": 3}'));
  } }), quick);
  assert.is(JSON.stringify(rec.results), '{"__proto__":{"a":1},"nested":{"__proto__":2,"b":3}}');
  assert.is(Object.getPrototypeOf(rec.results), Object.prototype);
});

test('a result or figure data that NAME.json cannot hold (BigInt, a cycle) fails the notebook with one line, not the page writer', async () => {
  const fails = async (run: (nb: Parameters<typeof example.run>[0]) => void) => (await runNotebook(defineNotebook({ name: 'unsavable', title: 'U', summary: 's', run }), quick)).error;
  assert.is(await fails((nb) => nb.result('n', 10n)), 'notebook unsavable, result n: not JSON data (Do not know how to serialize a BigInt)');
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  assert.is(await fails((nb) => nb.result('c', cycle)), 'notebook unsavable, result c: not JSON data (it contains itself, or is nested too deeply)');
  const data = { series: [{ label: 'a', x: [0, 1], y: [1, 2] }], n: 1n };
  assert.is(await fails((nb) => nb.figure('line-series', data)), 'notebook unsavable, figure line-series: not JSON data (Do not know how to serialize a BigInt)');
});

test('runNotebook (API) checks outDir before the notebook runs', async () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, '');
  let ran = false;
  const nb = defineNotebook({ name: 'never-run', title: 'N', summary: 's', run() { ran = true; } });
  try {
    await runNotebookApi(nb, { mode: 'quick', outDir: file });
    assert.unreachable('a file is no outDir');
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, /^outDir .*a-file is a file, not a folder$/);
  }
  assert.not.ok(ran, 'the notebook did not run');
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
  assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two <span class="katex">/);
  assert.not.match(html, /a<em>b/, 'emphasis markers inside math are TeX, not Markdown');
});

test('outputs: NAME.md (with $$ TeX), NAME.html (KaTeX, fonts inlined, figures embedded), NAME.json (a --from file)', async () => {
  const rec = await runNotebook(example, quick);
  const out = await writeNotebookOutputs([rec], { outDir: tmp, formats: ['html'] });
  const md = readFileSync(join(tmp, 'notebooks', 'example.md'), 'utf8');
  assert.match(md, /\$\$\n\\bigl\|x_N - e\^\{-T\}\\bigr\| \\le C h\n\$\$/);
  assert.match(md, /\[example--certified-convergence \(interactive\)\]\(\.\.\/figures\/example--certified-convergence\.html\)/, 'no Chromium run: links the HTML');
  const html = readFileSync(join(tmp, 'notebooks', 'example.html'), 'utf8');
  assert.match(html, /class="math-display"/);
  assert.match(html, /font\/woff2;base64/);
  assert.match(html, /data-spec-for="example--certified-convergence"/);
  assert.match(html, /src="\.\.\/figures\/plotly\.min\.js"/);
  const json = JSON.parse(readFileSync(join(tmp, 'notebooks', 'example.json'), 'utf8'));
  assert.is(json.figures.length, 2);
  assert.ok(json.provenance.commit);
  assert.ok(existsSync(join(tmp, 'figures', 'example--certified-convergence.html')));
  assert.is(out.pages.length, 1);
  assert.match(notebookMarkdown(rec, { href: 'f/', staticFiles: true }), /!\[.*\]\(f\/example--certified-convergence\.svg\)/);
});

test('an export started before the notebooks end (npm start: each notebook added as it ends, in any order) writes the same files as one export at the end', async () => {
  const other = defineNotebook({ name: 'other', title: 'Other', summary: 's', run(nb) { nb.figure('line-series', getFigureSample()); } });
  const recs = [await runNotebook(example, quick), await runNotebook(other, quick)];
  const [batch, streamed] = [join(tmp, 'batch'), join(tmp, 'streamed')];
  const opts = (outDir: string) => ({ outDir, formats: ['html' as const], command: 'test' });
  const a = await writeNotebookOutputs(recs, opts(batch));
  const started = startNotebookExport({ ...opts(streamed), seed: quick.seed });
  started.add(recs[1]!); // the second notebook ends first; the first is added by writeNotebookOutputs
  assert.ok(existsSync(join(streamed, 'figures', 'other--line-series.html')), 'its figure is written as soon as it is added');
  assert.not.ok(existsSync(join(streamed, 'figures', 'example--line-series.html')));
  const b = await writeNotebookOutputs(recs, { ...opts(streamed), started });
  assert.equal(b.figures.figures, a.figures.figures, 'figures listed in report order, the same files each');
  const files = (d: string) => readdirSync(d, { recursive: true }).map(String).sort();
  assert.equal(files(streamed), files(batch));
  for (const f of files(batch).filter((x) => x.includes('.'))) assert.ok(readFileSync(join(batch, f)).equals(readFileSync(join(streamed, f))), `${f} differs`);
  // bad figure data in a notebook added early is refused when the export finishes, as in one export
  const broken = { ...recs[1]!, name: 'broken', figures: [{ ...recs[1]!.figures[0]!, id: 'broken--x', data: { nope: 1 } }] };
  const s2 = startNotebookExport({ ...opts(join(tmp, 'streamed-bad')), seed: quick.seed });
  s2.add(broken);
  try {
    await writeNotebookOutputs([broken], { ...opts(join(tmp, 'streamed-bad')), started: s2 });
    assert.unreachable('bad figure data was accepted');
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, /cannot draw its data/);
  }
});

const FIXTURE = 'test/report/fixtures/example-notebook.ts';

test('figure ids are namespaced by notebook: NOTEBOOK--FIGURE, -2 on repeats, explicit ids; a repeated id fails the notebook', async () => {
  const rec = await runNotebook(example, quick);
  assert.equal(rec.figures.map((f) => f.id), ['example--certified-convergence', 'example--line-series']);
  const line = getFigureSample();
  const twice = await runNotebook(defineNotebook({ name: 'twice', title: 'T', summary: 's', run(nb) {
    nb.figure('line-series', line); nb.figure('line-series', line); nb.figure('line-series', line, 'named', { id: 'main-curve' });
  } }), quick);
  assert.is(twice.error, undefined);
  assert.equal(twice.figures.map((f) => f.id), ['twice--line-series', 'twice--line-series-2', 'twice--main-curve']);
  const clash = await runNotebook(defineNotebook({ name: 'clash', title: 'T', summary: 's', run(nb) {
    nb.figure('line-series', line, undefined, { id: 'a' }); nb.figure('scatter-series', getFigureSample('scatter-series'), undefined, { id: 'a' });
  } }), quick);
  assert.match(clash.error!, /figure id 'a' is drawn twice in notebook clash/);
  assert.is(clash.figures.length, 1, 'the second drawing was refused');
  const auto = await runNotebook(defineNotebook({ name: 'auto', title: 'T', summary: 's', run(nb) {
    nb.figure('line-series', line); nb.figure('line-series', line, undefined, { id: 'line-series' });
  } }), quick);
  assert.match(auto.error!, /drawn twice/, 'an explicit id equal to an automatic one collides too');
  const bad = await runNotebook(defineNotebook({ name: 'bad-id', title: 'T', summary: 's', run(nb) { nb.figure('line-series', line, undefined, { id: 'a--b' }); } }), quick);
  assert.match(bad.error!, /not kebab-case/);
});

test('two notebooks drawing the same figure into one output folder keep their own files', async () => {
  const dir = join(tmp, 'shared');
  const other = defineNotebook({ name: 'other', title: 'Other', summary: 's', run(nb) {
    nb.figure('certified-convergence', { ...getFigureSample('certified-convergence'), yTitle: 'other error' });
  } });
  const [a, b] = [await runNotebook(example, quick), await runNotebook(other, quick)];
  await writeNotebookOutputs([a], { outDir: dir, formats: ['html'] });
  await writeNotebookOutputs([b], { outDir: dir, formats: ['html'] }); // a second, separate run into the same folder
  const mine = JSON.parse(readFileSync(join(dir, 'figures', 'example--certified-convergence.data.json'), 'utf8'));
  const theirs = JSON.parse(readFileSync(join(dir, 'figures', 'other--certified-convergence.data.json'), 'utf8'));
  assert.equal(mine.data, a.figures[0]!.data, 'the first notebook\'s figure is still its own');
  assert.is(theirs.data.yTitle, 'other error');
});

test('depthlimit notebook PATH: runs a user\'s notebook file, prints its steps, writes pages and namespaced figures', async () => {
  const dir = join(tmp, 'cli');
  const r = await cli(['notebook', FIXTURE, '--quick', '--out', dir, '--formats', 'html']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /\(quick mode, seed 20191029\)/);
  assert.match(r.out, /## Setup[\s\S]*\$\$ \\bigl[\s\S]*\[figure 1: example--certified-convergence\][\s\S]*= slope: /, 'steps in order');
  for (const ext of ['md', 'html', 'json']) assert.ok(existsSync(join(dir, 'notebooks', `example.${ext}`)), ext);
  assert.ok(readdirSync(join(dir, 'figures')).includes('example--line-series.html'));
  // NAME.json is a `figures --from` file with the namespaced ids
  const again = await cli(['figures', '--from', join(dir, 'notebooks', 'example.json'), '--out', join(tmp, 'cli-again'), '--formats', 'html']);
  assert.is(again.code, 0, again.error);
  assert.ok(existsSync(join(tmp, 'cli-again', 'example--certified-convergence.data.json')));
});

test('depthlimit notebook: bad input is one UserError line (exit 2)', async () => {
  const js = (name: string, text: string) => { const p = join(tmp, name); writeFileSync(p, text); return p; };
  const cases: [string[], RegExp][] = [
    [['nope'], /unknown notebook "nope" \(built-in: continuum-limit, .*; or give the path/],
    [[], /give a notebook/],
    [[FIXTURE, FIXTURE], /one notebook at a time/],
    [[FIXTURE, '--seed', 'x'], /--seed/],
    [[FIXTURE, '--bogus'], /bogus/],
    [[FIXTURE, '--formats', 'gif'], /unknown format "gif"/],
    [[join(tmp, 'missing.js')], /no such file/],
    [[js('no-default.mjs', 'export const x = 1;\n')], /has no default export/],
    [[js('bad-name.mjs', "export default { name: 'Bad Name', title: 't', summary: 's', run() {} };\n")], /not kebab-case/],
    [[js('no-run.mjs', "export default { name: 'no-run', title: 't', summary: 's' };\n")], /run must be a function/],
    [[js('built-in-name.mjs', "export default { name: 'convergence', title: 't', summary: 's', run() {} };\n")], /named 'convergence', as a built-in notebook is/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['notebook', ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.out}`);
    assert.match(r.error ?? '', re, args.join(' '));
  }
});

test('depthlimit notebook runs a plain-JS notebook from any folder (a child process in another working directory)', () => {
  const home = join(tmp, 'elsewhere'), work = join(tmp, 'workdir');
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(home, 'mine.mjs'), `export default {
  name: 'mine', title: 'Mine', summary: 'A notebook outside the project.',
  run(nb) { nb.text('Hello from ' + nb.mode + ' mode.'); nb.result('seed', nb.seed); nb.figure('line-series', { xTitle: 't', yTitle: 'x', series: [{ label: 'a', x: [0, 1], y: [1, 2] }] }); },
};\n`);
  const r = cliProcess(['notebook', join(home, 'mine.mjs'), '--quick', '--seed', '7', '--out', 'res', '--formats', 'html'], {}, work);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Hello from quick mode\./);
  const saved = JSON.parse(readFileSync(join(work, 'res', 'notebooks', 'mine.json'), 'utf8'));
  assert.is(saved.results.seed, 7);
  assert.ok(existsSync(join(work, 'res', 'figures', 'mine--line-series.html')));
});

test('a TypeScript notebook outside any ESM package (tsx compiles it to CommonJS) loads too', async () => {
  const file = join(tmp, 'outside', 'typed.ts'); // no package.json with "type": "module" above tmp
  mkdirSync(join(tmp, 'outside'), { recursive: true });
  writeFileSync(file, `const depths: number[] = [4, 8];\nexport default { name: 'typed', title: 'Typed', summary: 's', run(nb: { result(k: string, v: unknown): void }) { nb.result('depths', depths); } };\n`);
  const r = await cli(['notebook', file, '--quick', '--out', join(tmp, 'typed-out'), '--formats', 'html']);
  assert.is(r.code, 0, r.error);
  assert.equal(JSON.parse(readFileSync(join(tmp, 'typed-out', 'notebooks', 'typed.json'), 'utf8')).results.depths, [4, 8]);
});

test('depthlimit notebook NAME runs a built-in one (the same runner)', async () => {
  const dir = join(tmp, 'builtin');
  const r = await cli(['notebook', 'stability-rk4', '--quick', '--out', dir, '--formats', 'html']);
  assert.is(r.code, 0, r.error);
  assert.ok(existsSync(join(dir, 'notebooks', 'stability-rk4.html')));
  assert.ok(readdirSync(join(dir, 'figures')).every((f) => !f.endsWith('.data.json') || f.startsWith('stability-rk4--')), 'every figure file is namespaced');
});

function getFigureSample(name = 'line-series') {
  return getFigure(name).sample();
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
