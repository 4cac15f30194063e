/**
 * `--out DIR` of converge, gamma and adjoint-gap: each writes NAME.json and its figures, and
 * `figures --from DIR/NAME.json` accepts that file as it is and draws the same figure data.
 * --out is checked before any work.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.ts';
import { chromiumTest } from '../chromium-helpers.ts';
import { getFigure } from '../../src/figures/registry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dl-out-'));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const runs: { name: string; args: string[]; figures: string[] }[] = [
  { name: 'converge', args: ['converge', '--scheme', 'map', '--map', 'x + eps*(-x + sin(t))', '--x0', '1', '--depths', '8..128'], figures: ['error-vs-depth'] },
  { name: 'gamma', args: ['gamma', '--depths', '4..16'], figures: ['gamma-energy-convergence', 'gamma-minimiser-convergence', 'gamma-neumann', 'gamma-minimiser-profiles', 'gamma-iterations'] },
  { name: 'adjoint-gap', args: ['adjoint-gap', '--scheme', 'euler,heun', '--depths', '8..64'], figures: ['adjoint-gap'] },
];

for (const r of runs) {
  test(`${r.name} --out writes ${r.name}.json and its figures; figures --from reads that file as it is`, async () => {
    const dir = join(tmp, r.name), again = join(tmp, `${r.name}-again`);
    const run = await cli([...r.args, '--out', dir, '--formats', 'html']);
    assert.is(run.code, 0, run.error ?? run.out);
    const saved = read(join(dir, `${r.name}.json`));
    assert.equal(saved.figures.map((f: { figure: string }) => f.figure), r.figures);
    assert.is(saved.provenance.package, 'depthlimit'); // with commit, seed, command (this process's argv here)
    assert.ok(read(join(dir, `${r.figures[0]}.provenance.json`)).commit);
    for (const f of r.figures) {
      for (const ext of ['html', 'csv', 'data.json', 'provenance.json']) assert.ok(existsSync(join(dir, `${f}.${ext}`)), `${f}.${ext}`);
      assert.not.ok(existsSync(join(dir, `${f}.svg`)), 'only the formats asked for');
    }
    const from = await cli(['figures', '--from', join(dir, `${r.name}.json`), '--out', again, '--formats', 'html']);
    assert.is(from.code, 0, from.error ?? from.out);
    for (const f of r.figures) {
      const a = read(join(dir, `${f}.data.json`)), b = read(join(again, `${f}.data.json`));
      assert.equal(b.data, a.data, `${f}: the same data`);
      assert.is(b.figure, a.figure);
      // and so the same drawing
      assert.equal(getFigure(f).build(b.data), getFigure(f).build(a.data));
    }
  });
}

test('converge: the figure\'s reference slope is the expected order, inferred or given (files written even when inconclusive)', async () => {
  // the Euler map of the run above: order 1, inferred
  assert.equal(read(join(tmp, 'converge', 'error-vs-depth.data.json')).data.referenceSlopes, [1]);
  const dir = join(tmp, 'expect');
  const r = await cli(['converge', '--scheme', 'map', '--map', 'x + eps*(-x + sin(t))', '--x0', '1', '--depths', '8..128', '--expect', '2', '--out', dir, '--formats', 'html']);
  assert.is(r.code, 1); // a wrong expectation: inconclusive
  const saved = read(join(dir, 'converge.json'));
  assert.is(saved.certificate.verdict, 'inconclusive');
  assert.is(saved.expectation.source, 'given');
  assert.is(saved.expectation.inferred.order, 1);
  assert.equal(read(join(dir, 'error-vs-depth.data.json')).data.referenceSlopes, [2]);
});

test('--out is checked before any work: a path that is a file fails first, and nothing is written', async () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  for (const args of [['converge', '--x0', '1,nan'], ['gamma', '--depths', 'x'], ['adjoint-gap', '--depths', 'x']]) {
    const r = await cli([...args, '--out', join(file, 'sub')]);
    assert.is(r.code, 2);
    assert.match(r.error ?? '', /--out .*a-file is a file, not a folder/, `${args[0]}: ${r.error}`);
  }
  const bad = await cli(['converge', '--out', join(tmp, 'never'), '--formats', 'gif']);
  assert.is(bad.code, 2);
  assert.match(bad.error ?? '', /unknown format "gif"/);
  assert.not.ok(existsSync(join(tmp, 'never')));
});

chromiumTest('with Chromium, --out also writes SVG, PNG and PDF (skipped without it)', async () => {
  const dir = join(tmp, 'static');
  const r = await cli(['adjoint-gap', '--scheme', 'euler', '--depths', '8..64', '--out', dir]);
  assert.is(r.code, 0, r.error);
  const files = readdirSync(dir);
  for (const ext of ['html', 'svg', 'png', 'pdf']) assert.ok(files.includes(`adjoint-gap.${ext}`), ext);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
