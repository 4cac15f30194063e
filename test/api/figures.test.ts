/**
 * Figures and notebooks through the public API: figure() is the registered spec's pure build,
 * exportFigures writes every file and a `figures --from` data file, repeated figures get
 * distinct ids, runNotebook records and writes a notebook's page.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNotebook, exportFigures, figure, listFigures, runNotebook, UserError } from '../../src/index.ts';
import { getFigure } from '../../src/figures/registry.ts';

const isUE = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message);

test('figure(name, data) is the registered spec built from the data; listFigures lists the registry', () => {
  for (const info of listFigures().slice(0, 4)) {
    const spec = getFigure(info.name), data = spec.sample();
    const f = figure(info.name, data);
    assert.equal(f.plot, spec.build(data));
    assert.equal([f.title, f.size], [info.title, info.size]);
  }
  assert.throws(() => figure('no-such-figure', {}), isUE(/unknown figure "no-such-figure"/));
  assert.throws(() => figure('error-vs-depth', { series: 3 }), isUE(/cannot draw its data/));
});

test('exportFigures writes HTML, data, CSV and provenance per figure; repeats get -2; bad input writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-figs-'));
  try {
    const data = getFigure('error-vs-depth').sample();
    const r = await exportFigures([figure('error-vs-depth', data), { figure: 'error-vs-depth', data }], { outDir: dir, formats: ['html'] });
    assert.equal(r.figures.map((f) => f.id), ['error-vs-depth', 'error-vs-depth-2']);
    assert.is(r.staticExport, 'not requested');
    const saved = JSON.parse(readFileSync(join(dir, 'error-vs-depth.data.json'), 'utf8')) as { figure: string; data: unknown };
    assert.equal([saved.figure, saved.data], ['error-vs-depth', JSON.parse(JSON.stringify(data))]);
    assert.ok(existsSync(join(dir, 'error-vs-depth-2.html')));
    const empty = join(dir, 'empty');
    await exportFigures([{ figure: 'error-vs-depth', data: { series: 1 } }], { outDir: empty, formats: 'html' }).then(
      () => assert.unreachable('bad data exported'), (e) => assert.ok(isUE(/cannot draw/)(e)));
    assert.not.ok(existsSync(empty) && readdirSync(empty).length > 0, 'nothing written for bad data');
    await exportFigures([], { outDir: dir, formats: 'gif' }).then(() => assert.unreachable(), (e) => assert.ok(isUE(/unknown format "gif"/)(e)));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('runNotebook records blocks, results and figures, and writes its page with outDir', async () => {
  const nb = defineNotebook({
    name: 'api-test', title: 'API test', summary: 'A notebook run through the library.',
    run(nb) {
      nb.section('A figure');
      nb.figure('error-vs-depth', getFigure('error-vs-depth').sample(), 'Errors.');
      nb.result('mode', nb.mode);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'api-nb-'));
  try {
    const run = await runNotebook(nb, { mode: 'quick', seed: 3, outDir: dir, formats: 'html' });
    assert.is(run.record.error, undefined);
    assert.equal(run.record.results, { mode: 'quick' });
    assert.is(run.record.figures.length, 1);
    for (const p of [run.page!.md, run.page!.html, run.page!.json]) assert.ok(existsSync(p), p);
    assert.ok(run.figures!.figures[0]!.files.some((f) => f.endsWith('.html')));
  } finally { rmSync(dir, { recursive: true, force: true }); }
  assert.throws(() => defineNotebook({ name: 'Not Kebab', title: '', summary: '', run() {} }), /kebab-case/);
  await runNotebook(nb, { mode: 'fast' as never }).then(() => assert.unreachable(), (e) => assert.ok(isUE(/mode must be quick or full/)(e)));
});

test('runNotebook takes a file path, as `depthlimit notebook PATH` does', async () => {
  const run = await runNotebook('test/report/fixtures/example-notebook.ts', { mode: 'quick' });
  assert.is(run.record.error, undefined);
  assert.ok(run.record.blocks.length > 0);
  await runNotebook('no-such-notebook.js').then(() => assert.unreachable(), (e) => assert.ok(isUE(/no such file no-such-notebook\.js/)(e)));
});

test.run();
