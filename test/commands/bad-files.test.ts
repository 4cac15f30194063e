/**
 * A saved file of the wrong shape gets one line naming what is wrong (issue 11: a --derivation
 * file holding null, a figures --from file with bad data), never a TypeError, and nothing is
 * written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFigures } from '../../src/figures/registry.ts';
import { prepareFigures } from '../../src/figures/export.ts';
import { shapeMismatch, shapeOf } from '../../src/figures/shape.ts';
import { cli } from '../helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-badfiles-'));
const put = (name: string, text: string) => { const p = join(tmp, name); writeFileSync(p, text); return p; };

test('hamiltonian --derivation: null, an array, a number, no "ode", a wrong "ode" each get one line', async () => {
  const cases: [string, RegExp][] = [
    ['null', /got null$/], ['[1]', /got an array$/], ['3', /got number$/], ['{}', /got no "ode"$/],
    ['{"ode": null}', /"ode" of the wrong shape$/], ['{"ode": [1, 2]}', /"ode" of the wrong shape$/], ['{"ode": []}', /"ode" of the wrong shape$/],
  ];
  for (const [text, re] of cases) {
    const r = await cli(['hamiltonian', '--derivation', put('d.json', text)]);
    assert.is(r.code, 2, text);
    assert.match(r.error ?? '', /^--derivation .*d\.json: expected an object with "ode": \[component strings\]/, text);
    assert.match(r.error ?? '', re, text);
  }
  const ok = await cli(['hamiltonian', '--derivation', put('ok.json', '{"ode": ["w*x - x^3"]}')]);
  assert.is(ok.code, 0, ok.error);
});

test('shapeOf/shapeMismatch: the first field that differs, by its path; null stands for NaN in numbers', () => {
  const shape = shapeOf({ title: 't', series: [{ x: [1, 2], y: [NaN, 3], label: 'a' }, { x: [1], y: [1], label: 'b', dash: true }] });
  assert.is(shapeMismatch({ title: 't', series: [{ x: [1, null], y: [2], label: 'a' }] }, shape), undefined);
  assert.is(shapeMismatch({ title: 't', series: [{ x: [1], y: ['2'], label: 'a' }] }, shape), 'data.series[0].y[0] must be a number, got a string "2"');
  assert.is(shapeMismatch({ title: 't', series: [{ x: [1], label: 'a' }] }, shape), 'data.series[0] has no "y"');
  assert.is(shapeMismatch({ title: 't', series: [{ x: [1], label: 'a' }] }, shape, 'data', false), undefined, 'present keys only');
  assert.is(shapeMismatch({ title: 't', series: [{ x: [1], y: [1], label: 'a' }] }, shape), undefined, 'dash is optional (absent in one sample element)');
  assert.is(shapeMismatch(null, shape), 'data must be an object, got null');
});

test('every registered figure: its own sample fits its shape; null data and a field of the wrong type are refused with the field named', () => {
  for (const f of allFigures()) {
    const sample = JSON.parse(JSON.stringify(f.sample()));
    assert.is(shapeMismatch(sample, shapeOf(sample)), undefined, f.name);
    assert.throws(() => prepareFigures([{ figure: f.name, data: null }]), (e: Error) => e.name === 'UserError' && !/Cannot read|is not a function|undefined/.test(e.message), f.name);
  }
});

test('figures --from: a field of the wrong type or a missing field is named; no TypeError text; nothing written', async () => {
  const out = join(tmp, 'figs');
  const series = { xTitle: 'N', yTitle: 'err', series: [{ label: 'a', x: [1, 2], y: [3, 4] }] };
  const cases: [unknown, RegExp][] = [
    [{ figure: 'line-series', data: null }, /figure 'line-series': data must be an object, got null$/],
    [{ figure: 'line-series', data: { ...series, series: 'x' } }, /data\.series must be an array, got a string "x"$/],
    [{ figure: 'line-series', data: { ...series, series: [{ label: 'a', x: [1, 2], y: ['p', 'q'] }] } }, /data\.series\[0\]\.y\[0\] must be a number, got a string "p"$/],
    [{ figure: 'line-series', data: { ...series, series: [{ label: 'a', x: [1, 2] }] } }, /cannot draw its data: data\.series\[0\] has no "y"$/],
    [{ figures: [{ figure: 'phase-space-volume', data: {} }] }, /phase-space-volume.*: cannot draw its data: data has no "\w+"$/],
  ];
  for (const [json, re] of cases) {
    const r = await cli(['figures', '--from', put('r.json', JSON.stringify(json)), '--out', out, '--formats', 'html']);
    assert.is(r.code, 2, JSON.stringify(json));
    assert.match(r.error ?? '', re, JSON.stringify(json));
    assert.not.match(r.error ?? '', /Cannot read|is not a function|undefined/);
  }
  assert.not.ok(readdirSync(tmp).includes('figs'), 'nothing written');
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
