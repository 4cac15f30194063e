/**
 * Start-up stays cheap: what `depthlimit --help` (and `--version`, and every command's --help)
 * loads is the static import graph of src/cli.ts, so that graph must reach no heavy package and
 * no experiment, claim or symbolic-engine module; commands load those with `await import()`
 * inside `run`. The graph is read from esbuild's metafile (the same resolver the build uses).
 * Timings are measured in bench/startup.ts, not here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAVY, staticGraph } from './graph-helpers.ts';

/** Light modules the command specs may import statically (constants and option parsers). */
const HEAVY_SRC = /^src\/(experiments|claims|symbolic|figures|report|proofs)\//;
const LIGHT_SRC = new Set(['src/experiments/defaults.ts', 'src/symbolic/limits.ts', 'src/figures/formats.ts', 'src/figures/style.ts']);

test('the CLI entry statically reaches no heavy package and no engine module', async () => {
  const graph = await staticGraph('src/cli.ts');
  assert.ok(graph.has('src/commands/derive.ts'), 'the graph walk reached the command files');
  const heavy = [...graph].filter((f) => HEAVY.test(f) || (HEAVY_SRC.test(f) && !LIGHT_SRC.has(f)));
  assert.equal(heavy, [], `statically imported by src/cli.ts (move into run as await import()): ${heavy.join(', ')}`);
});

test('control: a command run module does reach the heavy ones (the walk sees them)', async () => {
  const graph = await staticGraph('src/symbolic/derive.ts');
  assert.ok([...graph].some((f) => f.startsWith('mathjs')), [...graph].join(' '));
});

test.run();
