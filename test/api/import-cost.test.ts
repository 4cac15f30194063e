/**
 * `import 'depthlimit'` stays cheap: src/index.ts's static import graph reaches no heavy package.
 * mathjs is required on first use (src/symbolic/mathjs-number.ts; the bundle in dist/ imports it
 * statically, tree-shaken), and KaTeX, Playwright, plotly, nerdamer and algebrite load when a
 * function needs them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAVY, staticGraph } from '../graph-helpers.ts';

test('src/index.ts statically reaches no heavy package', async () => {
  const graph = await staticGraph('src/index.ts');
  assert.ok(graph.has('src/api/sweep.ts') && graph.has('src/experiments/depth-sweep.ts'), 'the walk reached the api modules');
  const heavy = [...graph].filter((f) => HEAVY.test(f));
  assert.equal(heavy, [], `statically imported by src/index.ts (load it lazily): ${heavy.join(', ')}`);
});

test.run();
