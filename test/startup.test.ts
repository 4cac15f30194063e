/**
 * Start-up stays cheap: what `depthlimit --help` (and `--version`, and every command's --help)
 * loads is the static import graph of src/cli.ts, so that graph must reach no heavy package and
 * no experiment, claim or symbolic-engine module; commands load those with `await import()`
 * inside `run`. The graph is read from esbuild's metafile (the same resolver the build uses).
 * Timings are measured in bench/startup.ts, not here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAVY, staticImports } from './graph-helpers.ts';

/**
 * Engine folders. A module there may be imported statically only when it is a leaf: its own
 * static imports are node builtins and src/util/ (constants, option parsers, data-shape checks).
 */
const ENGINE = /^src\/(experiments|claims|symbolic|figures|report|proofs)\//;
const isLeaf = (imports: string[]): boolean => imports.every((p) => p.startsWith('node:') || p.startsWith('src/util/'));

test('the CLI entry statically reaches no heavy package and no engine module but leaves', async () => {
  const graph = await staticImports('src/cli.ts');
  assert.ok(graph.has('src/commands/derive.ts'), 'the graph walk reached the command files');
  assert.ok(graph.has('src/experiments/defaults.ts'), 'a leaf of an engine folder is allowed (and seen)');
  const heavy = [...graph].filter(([f, imports]) => HEAVY.test(f) || (ENGINE.test(f) && !isLeaf(imports))).map(([f]) => f);
  assert.equal(heavy, [], `statically imported by src/cli.ts (move into run as await import()): ${heavy.join(', ')}`);
});

test('control: an engine module is no leaf and reaches a heavy package (the walk sees them)', async () => {
  const graph = await staticImports('src/report/progress.ts');
  assert.ok([...graph.keys()].some((f) => HEAVY.test(f)), [...graph.keys()].join(' '));
  assert.not.ok(isLeaf(graph.get('src/report/progress.ts')!));
});

test.run();
