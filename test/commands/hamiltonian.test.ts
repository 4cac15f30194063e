import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.ts';

test('hamiltonian: text, json, from a derivation file, bad input exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ham-'));
  try {
    const r = await cli(['hamiltonian', '--field', 'w*x + b - gamma*x^3']);
    assert.is(r.code, 0);
    assert.match(r.out, /da\/dt = -a\*w \+ 3\*a\*gamma\*x\^2/);
    assert.match(r.out, /phase-space divergence = 0 \(Liouville\)/);
    const d = await cli(['derive', '--g=-gamma*z^3', '--dim', '2', '--order', '1', '--out', dir]);
    assert.is(d.code, 0);
    const j = await cli(['hamiltonian', '--derivation', join(dir, 'derivation.json'), '--json']);
    assert.is(j.code, 0);
    assert.is(JSON.parse(j.out).verification.verdict, 'proved');
    const out = join(dir, 'bad');
    for (const args of [['--field', 'abs(x)'], ['--field', 'x1 + x3; x2'], ['--field', 'x1; x2', '--dim', '3'], []]) {
      const b = await cli(['hamiltonian', ...args, '--out', out]);
      assert.is(b.code, 2, args.join(' '));
      assert.ok(!existsSync(out));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
