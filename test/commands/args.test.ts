/** The shared option parsers of src/commands/args.ts. */
import { test } from 'uvu';
import { existsSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { seedOf } from '../../src/commands/args.ts';
import { DEFAULT_SEED } from '../../src/util/prng.ts';
import { commands } from '../../src/commands/index.ts';
import { cli } from '../helpers.ts';
import { parseStartArgs, START_USAGE } from '../../src/start-options.ts';
import { derive, exportFigures, hamiltonian, runNotebook, defineNotebook, UserError } from '../../src/index.ts';

test('seedOf: an integer 0 … 2³² − 1 (makeRng keeps 32 bits: 2³² would silently repeat seed 0)', () => {
  assert.is(seedOf(undefined), DEFAULT_SEED);
  assert.is(seedOf('0'), 0);
  assert.is(seedOf('4294967295'), 4294967295);
  for (const bad of ['4294967296', '-1', '1.5', 'x', '', '1e3', 'NaN', 'Infinity']) {
    assert.throws(() => seedOf(bad), /--seed must be an integer 0 … 4294967295/, bad);
  }
});

test('every command with --seed uses the same rule', async () => {
  for (const cmd of [['derive'], ['hamiltonian', '--field', 'x'], ['proofs'], ['claims', '--only', 'C1'], ['stability']]) {
    const r = await cli([...cmd, '--seed', '4294967296']);
    assert.is(r.code, 2, cmd[0]);
    assert.match(r.error ?? '', /--seed must be an integer 0 … 4294967295/, cmd[0]);
  }
});

test('a value option given twice is an error for every command (the parser kept the last value silently; npm start and npm run jupyter share the check)', async () => {
  let tried = 0;
  for (const c of commands) {
    for (const [k, o] of Object.entries(c.options)) {
      if (o.type !== 'string') continue;
      for (const args of [[`--${k}`, 'a', `--${k}`, 'b'], [`--${k}=a`, `--${k}=a`]]) {
        const r = await cli([c.name, ...args]);
        assert.is(r.code, 2, `${c.name} ${args.join(' ')}`);
        assert.is(r.error, `--${k} is given twice (give it once)`, `${c.name} ${args.join(' ')}`);
        tried++;
      }
    }
  }
  assert.ok(tried >= 60, `only ${tried} options tried`);
  // flags may repeat: the command itself answers (here: its own first-argument error)
  assert.match((await cli(['grid', 'bogus', '--json', '--json'])).error ?? '', /^grid: first argument must be/);
});

test('every API function with a seed uses the same rule (-1 and 2^32 ran as seeds 4294967295 and 0; hamiltonian took 1.5 and NaN)', async () => {
  const nb = defineNotebook({ name: 'seeded', title: 'S', summary: 's', run() {} });
  const calls: [string, (seed: number) => unknown][] = [
    ['derive', (seed) => derive({ layer: 'ff', g: 'z' }, { order: 1, seed })],
    ['hamiltonian', (seed) => hamiltonian('w*x', { seed })],
    ['runNotebook', (seed) => runNotebook(nb, { mode: 'quick', seed })],
    ['exportFigures', (seed) => exportFigures([], { outDir: '/nonexistent/never', formats: 'html', seed })],
  ];
  for (const [name, call] of calls) {
    for (const seed of [-1, 2 ** 32, 1.5, NaN, 1e21]) {
      let error: unknown;
      try { await call(seed); } catch (e) { error = e; }
      assert.instance(error, UserError, `${name} seed ${seed}`);
      assert.match((error as Error).message, /seed must be an integer 0 … 4294967295/, `${name} seed ${seed}`);
    }
  }
});

test('npm start -- --help (it was "Unknown option \'--help\'", exit 2) lists every option; its options are checked before anything is made', () => {
  assert.is(parseStartArgs(['--help']), 'help');
  assert.is(parseStartArgs(['--quick', '-h']), 'help');
  for (const o of ['--quick', '--out DIR', '--seed N', '--workers N', '--cache DIR', '--no-cache', '--help']) assert.ok(START_USAGE.includes(o), o);
  assert.equal(parseStartArgs(['--quick', '--seed', '7', '--workers', '2', '--no-cache']), { outDir: 'out', seed: 7, mode: 'quick', workers: 2, cacheDir: null });
  assert.equal(parseStartArgs([]), { outDir: 'out', seed: DEFAULT_SEED, mode: 'full', workers: undefined, cacheDir: '.depthlimit-cache' });
  assert.throws(() => parseStartArgs(['--workers', '0']), /^--workers must be an integer 1 … 256, got "0"$/);
  assert.throws(() => parseStartArgs(['--bogus']), (e: Error) => e instanceof UserError && /Unknown option '--bogus'/.test(e.message));
});

test('an option name is never taken as the value before it: "--out --json" wrote into ./--json', async () => {
  const r = await cli(['figures', '--sample', '--only', 'line-series', '--formats', 'html', '--out', '--json']);
  assert.is(r.code, 2);
  assert.is(r.error, 'figures: --out needs a value, got the option "--json"');
  assert.not.ok(existsSync('--json'), 'no folder named --json');
  assert.is((await cli(['derive', '--g', '-h'])).error, 'derive: --g needs a value, got the option "-h"');
  assert.is((await cli(['derive', '--order', '--json'])).error, 'derive: --order needs a value, got the option "--json"');
});

test.run();
