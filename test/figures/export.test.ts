/**
 * Export without a browser (HTML, data, CSV, provenance), the Chromium-missing path, bad
 * input (unknown figure, undrawable data, unwritable directory, malformed result files) and
 * the PNG dpi chunk. The real-browser export is exercised by test/report/report.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { PNG_SETTLE_TRIES, copyShared, exportFigures, exportRoutes, openExport, parseFormats, prepareFigures, settledPng, sizedPlot } from '../../src/figures/export.ts';
import { EXPORT_PORT, serve } from '../../src/figures/serve.ts';
import { chromiumTest } from '../chromium-helpers.ts';
import { SIZES } from '../../src/figures/style.ts';
import { getFigure } from '../../src/figures/registry.ts';
import { setPngDpi } from '../../src/figures/png.ts';
import { readResultFile } from '../../src/commands/figures.ts';
import { UserError } from '../../src/util/errors.ts';
import { cli } from '../helpers.ts';
import { exportFigures as exportFiguresApi } from '../../src/api/figures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-export-test-'));
const sample = (name: string) => ({ figure: name, data: getFigure(name).sample() });

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  try { await p; } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a UserError matching ${re}`);
}

test('HTML export: page, data.json, CSV and provenance beside each figure; shared plotly once', async () => {
  const out = join(tmp, 'html');
  const r = await exportFigures([sample('certified-convergence'), { ...sample('line-series'), caption: 'two curves' }], { outDir: out, formats: ['html'], command: 'test', seed: 7 });
  assert.is(r.staticExport, 'not requested');
  const files = readdirSync(out).sort();
  for (const id of ['certified-convergence', 'line-series']) {
    for (const ext of ['html', 'csv', 'data.json', 'provenance.json']) assert.ok(files.includes(`${id}.${ext}`), `${id}.${ext}`);
  }
  assert.ok(files.includes('plotly.min.js') && files.includes('tex-svg.js') && files.includes('index.html'));
  assert.not.ok(files.some((f) => f.endsWith('.tmp')), 'no temporary files left');
  const prov = JSON.parse(readFileSync(join(out, 'line-series.provenance.json'), 'utf8'));
  assert.is(prov.command, 'test');
  assert.is(prov.seed, 7);
  assert.is(prov.package, 'depthlimit');
  assert.match(prov.version, /^\d+\.\d+\.\d+/);
  assert.ok(typeof prov.commit === 'string' && prov.commit.length > 0);
  const html = readFileSync(join(out, 'certified-convergence.html'), 'utf8');
  assert.match(html, /<script src="plotly\.min\.js"><\/script>/);
  assert.match(html, /tex-svg\.js/, 'TeX labels load MathJax');
  // the data file is a valid --from input that reproduces the same figure
  const back = readResultFile(join(out, 'line-series.data.json'));
  assert.is(back.length, 1);
  assert.is(back[0]!.figure, 'line-series');
  assert.is(back[0]!.caption, 'two curves');
  assert.equal(back[0]!.data, JSON.parse(JSON.stringify(getFigure('line-series').sample())));
  const csv = readFileSync(join(out, 'line-series.csv'), 'utf8').trim().split('\n');
  const n = (getFigure('line-series').sample() as { series: { x: number[] }[] }).series.reduce((s, x) => s + x.x.length, 0);
  assert.is(csv.length, n + 1, 'one CSV row per point plus the header');
});

test('inline HTML embeds plotly (single-file page)', async () => {
  const out = join(tmp, 'inline');
  await exportFigures([sample('scatter-series')], { outDir: out, formats: ['html'], inline: true });
  assert.not.ok(existsSync(join(out, 'plotly.min.js')));
  assert.ok(readFileSync(join(out, 'scatter-series.html'), 'utf8').length > 4e6);
});

test('Chromium missing: HTML still written, ONE line saying how to install it', async () => {
  const old = process.env['DEPTHLIMIT_CHROMIUM'];
  process.env['DEPTHLIMIT_CHROMIUM'] = join(tmp, 'no-such-chromium');
  const lines: string[] = [];
  try {
    const out = join(tmp, 'nochrome');
    const r = await exportFigures([sample('line-series'), sample('scatter-series')], { outDir: out, log: (l) => lines.push(l) });
    assert.is(r.staticExport, 'chromium missing');
    assert.ok(existsSync(join(out, 'line-series.html')));
    assert.not.ok(existsSync(join(out, 'line-series.svg')));
    assert.is(lines.length, 1);
    assert.match(lines[0]!, /apt-get install -y chromium/);
  } finally {
    if (old === undefined) delete process.env['DEPTHLIMIT_CHROMIUM']; else process.env['DEPTHLIMIT_CHROMIUM'] = old;
  }
});

test('Chromium missing and only SVG/PNG/PDF asked for: one line, exit 2, nothing written (it ended as "HTML only", exit 0, with no HTML)', async () => {
  const old = process.env['DEPTHLIMIT_CHROMIUM'];
  const missing = join(tmp, 'no-such-chromium');
  process.env['DEPTHLIMIT_CHROMIUM'] = missing;
  try {
    const out = join(tmp, 'static-only');
    const r = await cli(['figures', '--sample', '--only', 'line-series', '--formats', 'svg,png', '--out', out]);
    assert.is(r.code, 2);
    assert.is(r.error, `--formats svg,png needs Chromium, not found at ${missing}: install it (apt-get install -y chromium) or add html`);
    assert.not.ok(existsSync(out), 'nothing written');
    const nb = await cli(['notebook', 'continuum-limit', '--quick', '--formats', 'pdf', '--out', out]);
    assert.is(nb.code, 2);
    assert.match(nb.error ?? '', /^--formats pdf needs Chromium/);
    try {
      await exportFiguresApi([sample('line-series')], { outDir: out, formats: ['svg'] });
      assert.unreachable('the API refuses too');
    } catch (e) {
      assert.instance(e, UserError);
    }
    assert.not.ok(existsSync(out), 'nothing written');
    assert.equal(parseFormats('svg,html'), ['svg', 'html'], 'with html the export degrades to HTML only, as before');
  } finally {
    if (old === undefined) delete process.env['DEPTHLIMIT_CHROMIUM']; else process.env['DEPTHLIMIT_CHROMIUM'] = old;
  }
});

test('a Chromium that will not start: HTML and data kept, one line with the reason, status "failed"', async () => {
  const fake = join(tmp, 'broken-chromium');
  writeFileSync(fake, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const old = process.env['DEPTHLIMIT_CHROMIUM'];
  process.env['DEPTHLIMIT_CHROMIUM'] = fake;
  const lines: string[] = [];
  try {
    const out = join(tmp, 'broken');
    const r = await exportFigures([sample('line-series')], { outDir: out, log: (l) => lines.push(l) });
    assert.is(r.staticExport, 'failed');
    assert.ok(existsSync(join(out, 'line-series.html')) && existsSync(join(out, 'line-series.csv')));
    assert.not.ok(existsSync(join(out, 'line-series.pdf')));
    assert.is(lines.length, 1);
    assert.match(lines[0]!, /static export \(SVG\/PNG\/PDF\) failed in Chromium/);
  } finally {
    if (old === undefined) delete process.env['DEPTHLIMIT_CHROMIUM']; else process.env['DEPTHLIMIT_CHROMIUM'] = old;
  }
});

test('bad input: unknown figure, undrawable data, duplicate ids, unwritable dir: UserError, nothing written', async () => {
  const out = join(tmp, 'bad');
  await rejects(exportFigures([sample('line-series'), { figure: 'no-such-figure', data: {} }], { outDir: out, formats: ['html'] }), /unknown figure "no-such-figure"/);
  await rejects(exportFigures([sample('line-series'), { figure: 'line-series', id: 'x', data: { series: 3 } }], { outDir: out, formats: ['html'] }), /cannot draw its data/);
  await rejects(exportFigures([sample('line-series'), sample('line-series')], { outDir: out, formats: ['html'] }), /appears twice/);
  assert.not.ok(existsSync(out), 'no output directory was created');
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  await rejects(exportFigures([sample('line-series')], { outDir: join(file, 'sub'), formats: ['html'] }), /a-file is a file, not a folder/);
  assert.throws(() => parseFormats('svg,gif'), /unknown format "gif"/);
  assert.equal(parseFormats('PDF, svg,pdf'), ['pdf', 'svg']);
});

test('depthlimit figures: bad result files and names exit 2 with one line', async () => {
  const missing = await cli(['figures', '--from', join(tmp, 'missing.json')]);
  assert.is(missing.code, 2);
  assert.match(missing.error!, /result file .*missing\.json: no such file/);
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{"figures": [');
  assert.match((await cli(['figures', '--from', bad])).error!, /not valid JSON/);
  writeFileSync(bad, '{"figures": [{"data": 1}]}');
  assert.match((await cli(['figures', '--from', bad])).error!, /entry 0 has no "figure"/);
  writeFileSync(bad, '{"other": 1}');
  assert.match((await cli(['figures', '--from', bad])).error!, /no figure entries/);
  const unknown = await cli(['figures', '--sample', '--only', 'nope', '--out', join(tmp, 'never')]);
  assert.is(unknown.code, 2);
  assert.match(unknown.error!, /unknown figure "nope"/);
  assert.not.ok(existsSync(join(tmp, 'never')));
  assert.is((await cli(['figures'])).code, 2, 'nothing to draw');
  const list = await cli(['figures', '--list']);
  assert.is(list.code, 0);
  assert.match(list.out, /certified-convergence\s+single \(3\.4 in\)/);
});

test('sizedPlot: column width from size (single 326 px, double 672 px), the spec\'s own height kept, trace uids fixed', () => {
  const spec = getFigure('line-series');
  const plot = spec.build(spec.sample());
  const d = sizedPlot({ ...spec, size: 'double' }, plot);
  assert.is(d.width, 672);
  assert.is(d.height, SIZES.double.height);
  assert.is((d.plot.layout as { width?: number }).width, 672);
  const s = sizedPlot(spec, { data: plot.data, layout: { ...plot.layout, height: 400 } });
  assert.is(s.width, 326);
  assert.is(s.height, 400);
  assert.equal(s.plot.data.map((t) => (t as { uid?: string }).uid), plot.data.map((_, i) => `t${i}`));
});

test('PNG dpi: pHYs chunk says 300 dpi (11811 px/m) with a valid CRC', () => {
  // a 1×1 RGB PNG
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
  const out = setPngDpi(png, 300);
  const i = Buffer.from(out).indexOf('pHYs');
  assert.ok(i > 0);
  const v = new DataView(out.buffer, out.byteOffset);
  assert.is(v.getUint32(i + 4), 11811);
  assert.is(v.getUint32(i + 8), 11811);
  assert.is(out[i + 12], 1);
  // CRC-32 over type + data, bit by bit (independent of the table in png.ts)
  let c = 0xffffffff;
  for (const b of out.subarray(i, i + 13)) { c ^= b; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
  assert.is(v.getUint32(i + 13), (c ^ 0xffffffff) >>> 0);
  assert.is(out.length, png.length + 21);
  assert.equal(setPngDpi(out, 300), out, 'idempotent: an existing pHYs is replaced');
});

test('settledPng: the PNG is a screenshot that the next one repeated, taken after animation frames; one that never settles fails', async () => {
  // a page whose compositor still shows a stale frame at the first screenshot (what CPU load did)
  const shots = (...xs: string[]) => {
    const log: string[] = [];
    let i = 0;
    return { log, capture: async () => { log.push('shot'); return Buffer.from(xs[Math.min(i++, xs.length - 1)]!); }, frames: async () => { log.push('frames'); } };
  };
  const stale = shots('stale', 'final', 'final');
  assert.is(Buffer.from(await settledPng(stale.capture, stale.frames, 'fig')).toString(), 'final');
  assert.equal(stale.log, ['frames', 'shot', 'frames', 'shot', 'frames', 'shot']);
  const calm = shots('final', 'final', 'other');
  assert.is(Buffer.from(await settledPng(calm.capture, calm.frames, 'fig')).toString(), 'final');
  assert.is(calm.log.filter((x) => x === 'shot').length, 2);
  const restless = shots('a', 'b', 'a', 'b', 'a', 'b', 'a');
  try {
    await settledPng(restless.capture, restless.frames, 'fig-x');
    assert.unreachable('a PNG that never settles must fail the figure');
  } catch (e) {
    assert.match((e as Error).message, /figure fig-x: the PNG did not settle/);
  }
  assert.is(restless.log.filter((x) => x === 'shot').length, PNG_SETTLE_TRIES);
});

test('shared scripts are served at URLs named by their content: a changed file gets a new URL, never a stale cached one', async () => {
  const dir = join(tmp, 'scripts');
  mkdirSync(dir, { recursive: true });
  const plotly = join(dir, 'plotly.js'), mathjax = join(dir, 'tex.js');
  writeFileSync(plotly, 'window.Plotly = 1;');
  writeFileSync(mathjax, 'window.MathJax = 1;');
  const urls = (r: Record<string, unknown>) => Object.keys(r).filter((u) => u !== '/');
  const a = exportRoutes(true, { plotly, mathjax });
  const [pa, ma] = [urls(a).find((u) => u.startsWith('/plotly.'))!, urls(a).find((u) => u.startsWith('/tex-svg.'))!];
  assert.match(pa, /^\/plotly\.[0-9a-f]{16}\.min\.js$/);
  assert.match(ma, /^\/tex-svg\.[0-9a-f]{16}\.js$/);
  assert.ok(String(a['/']!.body).includes(`src="${pa}"`) && String(a['/']!.body).includes(`src="${ma}"`), 'the host page loads the content-named URLs');
  assert.equal(urls(exportRoutes(true, { plotly, mathjax })), urls(a), 'same content, same URL (the code cache stays warm)');
  writeFileSync(plotly, 'window.Plotly = 2;'); // same size, new content
  const b = exportRoutes(true, { plotly, mathjax });
  assert.ok(!(pa in b), 'a changed plotly bundle gets a new URL');
  assert.ok(ma in b, 'an unchanged MathJax keeps its URL');
  assert.equal(urls(exportRoutes(false, { plotly })).length, 1, 'no MathJax route without TeX');
  const server = await serve(b);
  try {
    const pb = urls(b).find((u) => u.startsWith('/plotly.'))!;
    const res = await fetch(server.origin + pb);
    assert.is(await res.text(), 'window.Plotly = 2;');
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
    assert.is((await fetch(server.origin + pa)).status, 404, 'the old URL is gone');
    assert.match((await fetch(server.origin + '/')).headers.get('cache-control') ?? '', /no-store/);
  } finally {
    await server.close();
  }
});

test('copyShared replaces a shared script whose content changed, even at the same size', () => {
  const src = join(tmp, 'shared-src.js'), dest = join(tmp, 'shared-dest.js');
  writeFileSync(src, 'var v = 1;');
  copyShared(src, dest);
  writeFileSync(src, 'var v = 2;');
  copyShared(src, dest);
  assert.is(readFileSync(dest, 'utf8'), 'var v = 2;');
});

/** The document title in a PDF's Info dictionary: a literal (…) or a UTF-16BE hex <FEFF…> string. */
function pdfTitle(pdf: Buffer): string | undefined {
  const s = pdf.toString('latin1');
  const lit = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(s);
  if (lit) return lit[1]!.replace(/\\(.)/g, '$1');
  const hex = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(s);
  return hex ? Buffer.from(hex[1]!, 'hex').swap16().toString('utf16le') : undefined;
}

chromiumTest('PDF: the title is the figure\'s title; a busy export port, 1 or 2 browser tabs, and figures joining a running export change no byte of SVG, PNG or PDF', async () => {
  // Hold the fixed export port (if nobody else does), so both exports run on random ports.
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => { blocker.once('error', () => resolve()); blocker.listen(EXPORT_PORT, '127.0.0.1', () => resolve()); });
  const figs = ['line-series', 'certified-convergence', 'scatter-series']; // one with TeX labels (MathJax)
  const before = process.env['DEPTHLIMIT_EXPORT_TABS'];
  try {
    const runs: Map<string, Buffer>[] = [];
    for (const [run, tabs] of [['pdf-a', '1'], ['pdf-b', '2']] as const) {
      process.env['DEPTHLIMIT_EXPORT_TABS'] = tabs;
      const r = await exportFigures(figs.map(sample), { outDir: join(tmp, run), formats: ['svg', 'png', 'pdf'], log: () => {} });
      assert.is(r.staticExport, 'done');
      runs.push(new Map(figs.flatMap((f) => ['svg', 'png', 'pdf'].map((x) => [`${f}.${x}`, readFileSync(join(tmp, run, `${f}.${x}`))] as const))));
    }
    // the export npm start uses: MathJax loaded whatever comes, figures added while the browser draws, in another order
    const streamed = join(tmp, 'pdf-c');
    const session = openExport({ outDir: streamed, formats: ['svg', 'png', 'pdf'], log: () => {} }, true);
    const [first, ...rest] = prepareFigures(figs.map(sample)).reverse();
    session.add([first!]);
    await new Promise((r) => setTimeout(r, 300)); // the browser is starting or drawing when the others come
    session.add(rest);
    const r = await session.finish(figs);
    assert.is(r.staticExport, 'done');
    assert.equal(r.figures.map((f) => f.id), figs, 'listed in the order asked for');
    runs.push(new Map(figs.flatMap((f) => ['svg', 'png', 'pdf'].map((x) => [`${f}.${x}`, readFileSync(join(streamed, `${f}.${x}`))] as const))));
    const pdf = runs[0]!.get('line-series.pdf')!;
    assert.is(pdfTitle(pdf), getFigure('line-series').title);
    assert.not.ok(pdf.toString('latin1').includes('127.0.0.1'), 'no server address in the PDF');
    for (const [name, bytes] of runs[0]!) {
      assert.ok(bytes.equals(runs[1]!.get(name)!), `${name}: the same bytes from 1 tab on one port and 2 tabs on another`);
      assert.ok(bytes.equals(runs[2]!.get(name)!), `${name}: the same bytes when the figures join a running export`);
    }
  } finally {
    if (before === undefined) delete process.env['DEPTHLIMIT_EXPORT_TABS']; else process.env['DEPTHLIMIT_EXPORT_TABS'] = before;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
