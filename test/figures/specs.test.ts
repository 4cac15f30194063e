/**
 * Snapshot tests of every registered figure spec (Observable Plot style): each spec is built
 * from its seeded `sample()`, normalised (sorted keys, numbers to 10 significant digits so a
 * last-ulp libm difference does not count) and compared with test/figures/snapshots/<name>.json.
 * A mismatch writes <name>-changed.json beside it for review and fails. A missing snapshot
 * FAILS too, unless DEPTHLIMIT_UPDATE_SNAPSHOTS=1 asks to create it (commit it): nothing
 * (.ci/run, a plain `npm test`) ever creates one silently.
 * Also per spec: kebab-case unique name, build is pure (same output twice, data not mutated),
 * a CSV comes out, and KaTeX parses every TeX label.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFigures } from '../../src/figures/registry.ts';
import { texLabels } from '../../src/figures/html.ts';
import { tracesCsv } from '../../src/figures/csv.ts';
import { checkTeX } from '../../src/report/tex.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'snapshots');
const CREATE = process.env['DEPTHLIMIT_UPDATE_SNAPSHOTS'] === '1';

/** Deterministic JSON: sorted keys, 10 significant digits, typed arrays as arrays. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(10)) : String(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => normalise(x));
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') o[k] = normalise(x);
    }
    return o;
  }
  return v;
}

/** Path of the first difference between two normalised values ('' when equal). */
function firstDiff(a: unknown, b: unknown, path = '$'): string {
  if (a === b) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return '';
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 60)} vs ${JSON.stringify(b)?.slice(0, 60)}`;
}

/** Wall-clock fields experiments record (not data a figure may depend on). */
const TIMING = /^(seconds|elapsed|elapsedMs|ms|wallSeconds)$/;
function withoutTiming(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTiming);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING.test(k)).map(([k, x]) => [k, withoutTiming(x)]));
  return v;
}

const figures = allFigures();

test('registered figures: kebab-case unique names, a size, a title and a sample', () => {
  assert.ok(figures.length >= 3, 'at least the generic figures are registered');
  const names = new Set<string>();
  for (const f of figures) {
    assert.ok(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.name), `${f.name} is kebab-case`);
    assert.not.ok(names.has(f.name), `${f.name} unique`);
    names.add(f.name);
    assert.ok(f.size === 'single' || f.size === 'double', `${f.name} size`);
    assert.ok(f.title.length > 0, `${f.name} title`);
    assert.type(f.sample, 'function', `${f.name} has sample()`);
  }
});

for (const f of figures) {
  test(`figure ${f.name}: pure build, CSV, TeX labels, snapshot`, () => {
    const data = f.sample();
    const before = normalise(data);
    const spec = f.build(data);
    const mutated = firstDiff(before, normalise(data));
    assert.ok(!mutated, `build must not mutate its data: ${mutated}`);
    const unseeded = firstDiff(withoutTiming(before), withoutTiming(normalise(f.sample())));
    assert.ok(!unseeded, `sample() must be seeded (same data twice): ${unseeded}`);
    const norm = normalise(spec);
    const impure = firstDiff(norm, normalise(f.build(f.sample())));
    assert.ok(!impure, `build must be deterministic (a timing field drawn?): ${impure}`);
    assert.ok(Array.isArray(spec.data) && spec.data.length > 0, 'at least one trace');
    const csv = f.csv ? f.csv(data) : tracesCsv(spec);
    assert.ok(csv.split('\n').length >= 2, 'CSV has a header and rows');
    for (const tex of texLabels(spec)) checkTeX(tex, `figure ${f.name} label`, false);

    const file = join(DIR, `${f.name}.json`);
    const changed = join(DIR, `${f.name}-changed.json`);
    const text = JSON.stringify(norm, null, 1) + '\n';
    if (!existsSync(file)) {
      if (!CREATE) assert.unreachable(`missing snapshot ${file} (create it with DEPTHLIMIT_UPDATE_SNAPSHOTS=1 node scripts/test.mjs test figures/specs, review and commit it)`);
      writeFileSync(file, text);
      process.stdout.write(`\n  created snapshot ${file}: commit it\n`);
      return;
    }
    if (readFileSync(file, 'utf8') !== text) {
      writeFileSync(changed, text);
      assert.unreachable(`figure ${f.name} differs from its snapshot; review ${changed} and, if intended, move it over ${file}`);
    }
    rmSync(changed, { force: true });
  });
}

test.run();
