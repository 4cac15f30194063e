import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import { cli } from '../helpers.ts';

test('derive: text, tex (KaTeX-parsable), json, --out writes three files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'derive-'));
  try {
    const r = await cli(['derive', '--layer', 'ff', '--g=-gamma*z^3', '--dim', '2', '--order', '2', '--out', dir]);
    assert.is(r.code, 0);
    assert.match(r.out, /dx1\/dt = b1 \+ a11\*x1 \+ a12\*x2 - gamma\*x1\^3/);
    assert.match(r.out, /verification: proved/);
    for (const ext of ['txt', 'tex', 'json']) assert.ok(existsSync(join(dir, `derivation.${ext}`)));
    const j = JSON.parse(readFileSync(join(dir, 'derivation.json'), 'utf8'));
    assert.is(j.verification.verdict, 'proved');
    const tex = await cli(['derive', '--layer', 'residual', '--dim', '2', '--order', '2', '--tex']);
    assert.is(tex.code, 0);
    for (const line of tex.out.trim().split('\n')) katex.renderToString(line, { throwOnError: true, displayMode: true });
    const js = await cli(['derive', '--map', 'x + eps*sin(x)', '--order', '3', '--json']);
    assert.is(js.code, 0);
    const j3 = JSON.parse(js.out);
    assert.is(j3.modified.length, 3);
    // the order-3 run verifies itself: proved, and its flow ladder has the slope k + 1 = 4
    assert.is(j3.verification.verdict, 'proved');
    assert.ok(j3.verification.routes.every((r: { agree: unknown }) => r.agree === true));
    assert.is(j3.verification.numeric.flow.expected, 4);
    assert.ok(j3.verification.numeric.flow.ok && Math.abs(j3.verification.numeric.flow.slope - 4) < 0.5, `flow slope ${j3.verification.numeric.flow.slope}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('derive: bad input exits 2 with one line and writes nothing', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'derive-bad-')), 'out');
  const cases: [string[], RegExp][] = [
    [['--map', 'tanh(x) + 0*eps'], /not near-identity/],
    [['--g', 'max(z,0)'], /max/],
    [['--order', '0'], /--order/],
    [['--order', '30'], /--order 30 \(d = 1\) needs ≈ /],
    [['--order', '2.5'], /--order/],
    [['--dim', '2', '--A', '1,2'], /2×2/],
    [['--map', 'x1 + eps*x2; x2', '--dim', '3'], /--dim/],
    [['--layer', 'conv'], /--layer/],
    [['--map', 'x + eps*foo(x)'], /foo/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['derive', ...args, '--out', dir]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', re);
    assert.ok(!existsSync(dir), 'nothing written');
  }
});

test.run();
