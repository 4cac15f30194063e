/**
 * `import 'depthlimit'` stays cheap: src/index.ts's static import graph reaches the symbolic
 * engine's parser (mathjs: derive, sweep and hamiltonian are synchronous) but no other heavy
 * package; KaTeX, Playwright, plotly, nerdamer and algebrite load when a function needs them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAVY, staticGraph } from '../graph-helpers.ts';

test('src/index.ts statically reaches no heavy package but mathjs', async () => {
  const graph = await staticGraph('src/index.ts');
  assert.ok(graph.has('src/api/sweep.ts') && graph.has('src/experiments/depth-sweep.ts'), 'the walk reached the api modules');
  const heavy = [...graph].filter((f) => HEAVY.test(f) && !f.startsWith('mathjs'));
  assert.equal(heavy, [], `statically imported by src/index.ts (load it lazily): ${heavy.join(', ')}`);
});

test.run();
