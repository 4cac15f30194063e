/** README's library example (between `<!-- example: api -->` and `<!-- /example -->`) prints what the README shows under it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runExample } from './examples-helpers.ts';

test('the README\'s expression/gradient example prints its README output', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- example: api -->\n```js\n([\s\S]*?)```\n<!-- \/example -->\n```text\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README has no <!-- example: api --> block');
  const printed = await runExample(m![1]!);
  assert.equal(printed, m![2]!.trimEnd().split('\n'));
});

test.run();
