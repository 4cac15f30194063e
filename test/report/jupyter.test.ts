/**
 * Notebooks in Jupyter: the cut of a notebook file into cells and the kernel-side context. Every
 * built-in notebook executed by `jupyter nbconvert --execute` under tslab is in notebooks.test.ts,
 * beside the quick-mode runs whose records it is compared with.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import example from './fixtures/example-notebook.ts';
import { notebookToIpynb } from '../../src/report/jupyter.ts';
import { openJupyterNotebook } from '../../src/report/jupyter-kernel.ts';
import { runNotebook } from '../../src/report/notebook.ts';
import { JUPYTER_USAGE, writeJupyter } from '../../src/report/write-jupyter.ts';
import { expectedDisplays, type Ipynb } from './jupyter-helpers.ts';

const root = resolve('.');
const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-jupyter-test-'));
const fixture = resolve('test/report/fixtures/example-notebook.ts');
const src = (c: { source: string[] }) => c.source.join('');

test('a notebook file is cut into a setup cell and one cell per section, imports required', async () => {
  const nb = await notebookToIpynb(fixture, example, { mode: 'quick', seed: 7, ipynbDir: tmp, root }) as Ipynb;
  const code = nb.cells.filter((c) => c.cell_type === 'code').map(src);
  assert.is(nb.cells[0]!.cell_type, 'markdown');
  assert.match(src(nb.cells[0]!), example.title);
  // setup: every import of the file as a require relative to the notebook's folder, the helper function, the context
  const setup = code[0]!;
  assert.match(setup, /const \{ certifyOrder \} = require\("[./]+.*src\/numeric\/certify\.ts"\)/);
  assert.match(setup, /function eulerLadder\(depths: number\[\]\)/);
  assert.match(setup, /const nb = openJupyterNotebook\(require\(".*example-notebook\.ts"\)\.default, \{ mode: "quick", seed: 7 \}\);/);
  assert.not.match(setup, /^import /m);
  // one section in the fixture: one body cell holding all of run's statements, dedented; then the closing cell
  assert.is(code.length, 3);
  assert.ok(code[1]!.startsWith("nb.section('Setup');"), code[1]!.slice(0, 40));
  assert.match(code[1]!, /\nconst depths = nb\.mode === 'quick'/);
  assert.match(code[2]!, /nb\.finish\(\)/);
});

test('shorthand properties are written out (tslab rewrites cell declarations, not `{ seed }`); type-only imports become any', async () => {
  const file = join(tmp, 'shorthand.ts');
  writeFileSync(file, `import { defineNotebook, type Notebook } from '${root}/src/report/notebook.ts';
export default defineNotebook({ name: 'shorthand', title: 'T', summary: 'S', run(ctx) {
  const seed = ctx.seed;
  ctx.section('One');
  const o = { seed, other: 1 };
  ctx.section('Two');
  ctx.result('o', { ...o, seed });
} });
`);
  const nb = await notebookToIpynb(file, { name: 'shorthand', title: 'T', summary: 'S' }, { mode: 'quick', seed: 1, ipynbDir: tmp, root }) as Ipynb;
  const code = nb.cells.filter((c) => c.cell_type === 'code').map(src);
  assert.is(code.length, 5, 'setup, preamble, two sections, finish');
  assert.match(code[0]!, /type Notebook = any;/);
  assert.match(code[0]!, /const ctx = openJupyterNotebook/);
  assert.is(code[1], 'const seed = ctx.seed;');
  assert.match(code[2]!, /const o = \{ seed: seed, other: 1 \};/);
  assert.match(code[3]!, /ctx\.result\('o', \{ \.\.\.o, seed: seed \}\);/);
});

test('a run that cannot be cut into cells is refused with the reason (control: the same file without the return is accepted)', async () => {
  const body = (ret: string) => `import { defineNotebook } from '${root}/src/report/notebook.ts';
export default defineNotebook({ name: 'r', title: 'T', summary: 'S', run(nb) { nb.section('A'); ${ret} } });
`;
  writeFileSync(join(tmp, 'ret.ts'), body('return;'));
  writeFileSync(join(tmp, 'ok.ts'), body('nb.text("x");'));
  const opts = { mode: 'quick' as const, seed: 1, ipynbDir: tmp, root };
  try {
    await notebookToIpynb(join(tmp, 'ret.ts'), { name: 'r', title: 'T', summary: 'S' }, opts);
    assert.unreachable('a top-level return was accepted');
  } catch (e) { assert.match((e as Error).message, /top-level return in run cannot be cut into Jupyter cells/); }
  const ok = await notebookToIpynb(join(tmp, 'ok.ts'), { name: 'r', title: 'T', summary: 'S' }, opts) as Ipynb;
  assert.is(ok.cells.length, 4);
});

test('the kernel context displays each block as it is recorded: the same blocks, checks and figures as runNotebook', async () => {
  const shown: [string, string][] = [];
  const display = { html: (s: string) => shown.push(['text/html', s]), markdown: (s: string) => shown.push(['text/markdown', s]), latex: (s: string) => shown.push(['text/latex', s]) };
  const nb = openJupyterNotebook(example, { mode: 'quick', seed: 1 }, display);
  await example.run(nb);
  const rec = nb.finish();
  const ref = await runNotebook(example, { mode: 'quick', seed: 1, log: () => {} });
  assert.equal(rec.blocks, ref.blocks);
  assert.equal(rec.results, ref.results);
  const nonFigure = shown.filter(([m, s]) => m !== 'text/html' && !/^\*Figure /.test(s) && !/^\*done\*$/.test(s) && !/^## Results/.test(s));
  assert.equal(nonFigure, expectedDisplays(ref));
  const html = shown.filter(([m]) => m === 'text/html').map(([, s]) => s);
  assert.is(html.filter((s) => s.includes('window.drawAligned(')).length, 2, 'two figures drawn');
  assert.is(html.filter((s) => s.includes('window.drawAligned = async')).length, 1, 'plotly and drawAligned sent once');
  // the same checks: bad TeX fails the cell that recorded it
  assert.throws(() => nb.tex('\\frac{1}{'), /KaTeX|TeX/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test('npm run jupyter -- --help prints its options and writes nothing (it was "Unknown option \'--help\'", exit 2)', async () => {
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (printed.push(String(s)), true)) as typeof process.stdout.write;
  let paths: string[];
  try { paths = await writeJupyter(['--help', '--out', join(tmpdir(), 'dl-jupyter-never')]); } finally { process.stdout.write = write; }
  assert.equal(paths, []);
  assert.not.ok(existsSync(join(tmpdir(), 'dl-jupyter-never')), 'nothing written');
  assert.is(printed.join(''), JUPYTER_USAGE);
  for (const o of ['--out DIR', '--quick', '--seed N', '--help']) assert.ok(JUPYTER_USAGE.includes(o), o);
});

test.run();
