/**
 * Every @example in the public API's TSDoc runs, and prints what the example says it prints
 * (its `//> ` lines), so the documentation cannot rot. Every exported function or value has at
 * least one example. The control: an example whose stated output is wrong is reported.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, docBlocks, examplesOf, publicExamples, publicExports, runExample } from './examples-helpers.ts';

test('every exported value of src/index.ts has an @example', () => {
  const missing = publicExports().filter((e) => !e.type).filter((e) => {
    const blocks = docBlocks(readFileSync(join(ROOT, e.module), 'utf8')).filter((b) => b.name === e.local);
    return !blocks.some((b) => examplesOf(b.doc, e.module).length > 0);
  });
  assert.equal(missing.map((e) => `${e.name} (${e.module})`), []);
});

const examples = publicExamples();

test('the public modules hold examples (the extractor finds them)', () => {
  assert.ok(examples.length >= 5, `found ${examples.length}`);
  for (const e of examples) assert.ok(e.expected.length > 0, `${e.where}: an example must state its output in //> lines`);
});

for (const e of examples) {
  test(`@example of ${e.where} prints what it states`, async () => {
    const printed = await runExample(e.code);
    assert.equal(printed.map((l) => l.trimEnd()), e.expected.map((l) => l.trimEnd()));
  });
}

test('control: an example whose stated output is wrong does not match what it prints', async () => {
  const [good] = examplesOf([
    '@example', '```ts', "import { certifyOrder } from 'depthlimit';",
    'const h = [0.1, 0.05, 0.025, 0.0125];', 'console.log(certifyOrder(h, h.map((x) => x ** 2), 2).verdict);',
    '//> order', '```',
  ].join('\n'), 'control');
  assert.equal(await runExample(good!.code), good!.expected);
  const wrong = { ...good!, expected: ['inconclusive'] };
  assert.not.equal(await runExample(wrong.code), wrong.expected);
});

test.run();
