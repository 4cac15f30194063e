/**
 * The result cache (src/util/cache.ts): values come back exactly (NaN, −0, Float64Array, …),
 * a damaged entry is recomputed and never trusted, and the key follows the code: editing a
 * module a result imports invalidates it, editing an unrelated module does not.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeHash, filesDigest, ResultCache, sourceClosure, useCache } from '../../src/util/cache.ts';
import { claimGradientErrors } from '../../src/experiments/gamma/continuum.ts';
import { BENCH_DATA } from '../../src/experiments/gamma/sweep.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'dl-cache-'));
const HERE = import.meta.url;

/** Every entry file of a cache folder. */
function entries(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
}

test('values round-trip exactly: NaN, ±Infinity, −0, undefined members, Float64Array, a "$t" key', () => {
  const dir = tmp();
  try {
    const value = { a: NaN, b: -0, c: [Infinity, -Infinity, 1e-310, 0.1 + 0.2], d: undefined, e: Float64Array.of(1.5, NaN, -0), $t: 'mine', f: { g: null, h: 'x' } };
    const c1 = new ResultCache(dir);
    c1.run('t', { n: 1 }, [HERE], () => value);
    const got = new ResultCache(dir).run('t', { n: 1 }, [HERE], () => { throw new Error('recomputed'); }) as typeof value;
    assert.ok(Number.isNaN(got.a));
    assert.ok(Object.is(got.b, -0), '−0 stays −0 (JSON alone gives 0)');
    assert.equal(got.c, [Infinity, -Infinity, 1e-310, 0.1 + 0.2]);
    assert.ok('d' in got && got.d === undefined);
    assert.instance(got.e, Float64Array);
    assert.ok(got.e[0] === 1.5 && Number.isNaN(got.e[1]) && Object.is(got.e[2], -0));
    assert.is(got.$t, 'mine');
    assert.equal(got.f, { g: null, h: 'x' });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the key: input order does not matter, a different input or kind is another entry', () => {
  const c = new ResultCache(null);
  assert.is(c.key('k', { a: 1, b: 2 }, [HERE]), c.key('k', { b: 2, a: 1 }, [HERE]));
  assert.is.not(c.key('k', { a: 1, b: 2 }, [HERE]), c.key('k', { a: 1, b: 3 }, [HERE]));
  assert.is.not(c.key('k', { a: 1 }, [HERE]), c.key('j', { a: 1 }, [HERE]));
  assert.is(c.key('k', { f: () => 1 }, [HERE]), null, 'an input holding a function is not keyed (computed every time)');
});

for (const [what, damage] of [
  ['a flipped byte in the stored value (hash mismatch)', (t: string) => t.replace('"body":"{', '"body":"{ ')],
  ['truncated JSON', (t: string) => t.slice(0, t.length >> 1)],
  ['an entry copied under another key', (t: string) => t.replace(/"key":"[0-9a-f]{4}/, '"key":"0000')],
  ['a consistent hash over a body that does not decode', (t: string) => {
    const body = JSON.stringify({ $t: 'zzz' });
    return JSON.stringify({ key: (JSON.parse(t) as { key: string }).key, sha256: createHashHex(body), body });
  }],
] as const) {
  test(`a damaged entry (${what}) is recomputed, never trusted, and rewritten`, () => {
    const dir = tmp();
    try {
      new ResultCache(dir).run('t', { x: 1 }, [HERE], () => ({ v: 42 }));
      const [file] = entries(dir);
      writeFileSync(file!, damage(readFileSync(file!, 'utf8')));
      const lines: string[] = [];
      const c = new ResultCache(dir, (l) => lines.push(l));
      let computed = 0;
      const got = c.run('t', { x: 1 }, [HERE], () => { computed++; return { v: 42 }; });
      assert.is(computed, 1, 'recomputed');
      assert.equal(got, { v: 42 });
      assert.is(c.stats.damaged, 1);
      assert.match(lines.join('\n'), /damaged entry/);
      // rewritten: a third reader hits
      const c3 = new ResultCache(dir);
      c3.run('t', { x: 1 }, [HERE], () => { throw new Error('should hit'); });
      assert.is(c3.stats.hits, 1);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

import { createHash } from 'node:crypto';
function createHashHex(s: string): string { return createHash('sha256').update(s).digest('hex'); }

test('the code key: editing an imported module changes it, editing an unrelated one does not', () => {
  const dir = tmp();
  try {
    mkdirSync(join(dir, 'sub'));
    const w = (f: string, s: string) => writeFileSync(join(dir, f), s);
    w('scheme.ts', 'export const order = 1;\n');
    w('sub/helper.ts', "export { order } from '../scheme.ts';\n");
    w('experiment.ts', "import { order } from './sub/helper.ts';\nimport { makeRng } from 'uvu';\nexport const run = () => order;\n");
    w('other.ts', 'export const unrelated = 1;\n');
    const files = sourceClosure(join(dir, 'experiment.ts')).files.map((f) => f.slice(dir.length + 1));
    assert.equal(files, ['experiment.ts', 'scheme.ts', 'sub/helper.ts']);
    // fresh processes would not share the memo: hash copies of the tree instead
    const hashOf = (edit?: [string, string]) => {
      const d = tmp();
      for (const f of ['scheme.ts', 'sub/helper.ts', 'experiment.ts', 'other.ts']) {
        mkdirSync(join(d, 'sub'), { recursive: true });
        writeFileSync(join(d, f), edit && edit[0] === f ? edit[1] : readFileSync(join(dir, f)));
      }
      // relative paths are hashed, so equal trees in two folders hash alike
      const h = codeHash([join(d, 'experiment.ts')]);
      rmSync(d, { recursive: true, force: true });
      return h;
    };
    const base = hashOf();
    assert.is(hashOf(), base, 'same code, same key');
    assert.is.not(hashOf(['scheme.ts', 'export const order = 2;\n']), base, 'a scheme the experiment imports (through a re-export) changed');
    assert.is(hashOf(['other.ts', 'export const unrelated = 2;\n']), base, 'a module it does not import changed');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a module that is not a file (bundled) is never cached: computed each time', () => {
  const c = new ResultCache(null);
  let n = 0;
  c.run('t', {}, ['/nonexistent/module.ts'], () => ++n);
  c.run('t', {}, ['/nonexistent/module.ts'], () => ++n);
  assert.is(n, 2);
});

test('data files are keyed by their bytes: an edit, a missing file or another order is another digest', () => {
  const dir = tmp();
  try {
    const a = join(dir, 'a.csv'), b = join(dir, 'b.md');
    writeFileSync(a, 'x,y\n1,2\n'); writeFileSync(b, '# proof\n');
    const before = filesDigest([a, b]);
    assert.is(filesDigest([a, b]), before, 'the same bytes: the same digest');
    writeFileSync(a, 'x,y\n1,2.5\n');
    assert.is.not(filesDigest([a, b]), before, 'one number of the data edited');
    writeFileSync(a, 'x,y\n1,2\n');
    assert.is(filesDigest([a, b]), before);
    assert.is.not(filesDigest([b, a]), before, 'another order');
    writeFileSync(b, '');
    const empty = filesDigest([a, b]);
    rmSync(b);
    assert.is.not(filesDigest([a, b]), empty, 'a missing file is not an empty one');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('C22\'s experiment keys the benchmark CSV it reads (an edited data/ file is not served a stale result)', () => {
  const continuum = new URL('../../src/experiments/gamma/continuum.ts', import.meta.url).href;
  const c = useCache(null)!;
  try {
    claimGradientErrors('quick');
    assert.ok(c.get(c.key('c22-gradient-errors', { mode: 'quick', data: filesDigest([BENCH_DATA]) }, [continuum])!) !== undefined, 'stored under a key that holds the CSV\'s digest');
    // control: the key without the data (the stale-prone one) finds nothing
    assert.is(c.get(c.key('c22-gradient-errors', { mode: 'quick' }, [continuum])!), undefined);
  } finally { useCache('off'); }
});

test('packages loaded by name through require or require.resolve are in the code key, as imported ones are (MathJax of the figure export)', () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'loader.ts'), "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const tex = require.resolve('mathjax/package.json');\nexport const m = require('mathjs/number');\nexport const f = (id: string) => require(`${id}`);\n");
    const version = (p: string) => (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(sourceClosure(join(dir, 'loader.ts')).packages, [`mathjax@${version('mathjax')}`, `mathjs@${version('mathjs')}`]);
    // the static figures' key: MathJax draws their TeX, so its version is part of it
    assert.ok(sourceClosure(new URL('../../src/figures/export.ts', import.meta.url).href).packages.includes(`mathjax@${version('mathjax')}`));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
