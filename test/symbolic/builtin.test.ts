import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import { writeDerivations, tanhScaling } from '../../src/symbolic/builtin.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import * as P from '../../src/symbolic/poly.ts';

test('built-in derivations: all proved, KaTeX-clean, three files each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'builtin-'));
  try {
    const { derivations, files } = writeDerivations(dir);
    assert.is(derivations.length, 6);
    for (const d of derivations) {
      assert.is(d.verdict, 'proved', d.name);
      for (const t of d.tex) katex.renderToString(t, { throwOnError: true, displayMode: true });
    }
    assert.is(readdirSync(join(dir, 'derivations')).length, files.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tanh scaling: [s^2] coefficient is w u + b − u³/3 (by hand)', () => {
  const ts = tanhScaling(4);
  assert.ok(ts.identified);
  assert.is(ts.coefficients[0], 'u');
  assert.is(ts.coefficients[1], '0');
  const p = (t: string) => polyOf(parseExpression(t));
  assert.ok(P.equal(p(ts.coefficients[2]!), p('w*u + b - u^3/3')));
});

test.run();
