/**
 * An empty value is an error, never "all" or "ignored" (issue 11: `--only ""` ran every claim,
 * `--out ""` was ignored). Every string option of every command is tried, from the specs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { commands } from '../../src/commands/index.ts';
import { cli } from '../helpers.ts';

test('every string option of every command: "" and "  " exit 2 naming the option, before any work', async () => {
  let tried = 0;
  for (const c of commands) {
    for (const [k, o] of Object.entries(c.options)) {
      if (o.type !== 'string') continue;
      for (const v of ['', '  ']) {
        const r = await cli([c.name, `--${k}`, v]);
        assert.is(r.code, 2, `${c.name} --${k} '${v}'`);
        assert.is(r.error, `--${k}: empty value (give a value or leave the option out)`, `${c.name} --${k}`);
        assert.is(r.out, '', `${c.name} --${k}: printed before the check`);
        tried++;
      }
    }
  }
  assert.ok(tried >= 60, `only ${tried} options tried`);
});

test('an empty positional (proofs "") and an empty list entry (figures --only ",", hamiltonian --params ",") are errors', async () => {
  assert.match((await cli(['proofs', ''])).error ?? '', /an empty argument/);
  assert.match((await cli(['figures', '--sample', '--only', ','])).error ?? '', /--only: empty entry/);
  assert.match((await cli(['hamiltonian', '--field', 'w*x', '--params', ','])).error ?? '', /--params: empty entry/);
});

test('npm run notebook --out "" and npm start --out "" (a real process) are errors too', async () => {
  // npm run notebook is `depthlimit notebook` (src/report/run-notebook.ts is a wrapper of the CLI)
  const nb = await cli(['notebook', 'continuum-limit', '--out', '']);
  assert.is(nb.code, 2);
  assert.match(nb.error ?? '', /^--out: empty value/);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--quick', '--out', ''], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 2);
  assert.is(r.stderr, 'depthlimit: error: --out: empty value (give a value or leave the option out)\n');
});

test.run();
