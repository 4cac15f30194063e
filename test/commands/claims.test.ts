/**
 * `depthlimit claims --file`: a researcher's claim file through the one runner. The table and
 * --json show a crashed check as 'crashed' and a control that holds as BAD, exit 1 unless every
 * claim is in good standing; the built-in registry is not run; bad files get one line (exit 2).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli } from '../helpers.ts';

const F = 'test/fixtures/claims';

test('--file: the table shows good standing, a control that holds (BAD), a crashed check; exit 1', async () => {
  const r = await cli(['claims', '--file', `${F}/three-claims.ts`]);
  assert.is(r.code, 1);
  const rows = r.out.split('\n').filter((l) => /^euler-/.test(l)).map((l) => l.split(/\s{2,}/));
  assert.equal(rows.map((c) => [c[0], c[1]]), [['euler-order', 'holds'], ['euler-order-weak-control', 'holds'], ['euler-ladder', 'crashed']]);
  assert.equal(rows.map((c) => c.find((x) => /\((good|BAD)\)$/.test(x))), ['fails (good)', 'holds (BAD)', 'fails (good)']);
  assert.match(r.out, /^ {2}claim euler-order-weak-control: negative control holds: measured 1\.002, expected 1, tolerance 0\.05 \(must fail as a measurement\)$/m);
  assert.match(r.out, /^ {2}claim euler-ladder: check crashed: TypeError: Cannot read properties of undefined \(reading '0'\)$/m);
  assert.match(r.out, /^1\/3 claims hold with failing negative controls$/m);
  assert.not.match(r.out, /\bC\d+\b/, 'no built-in claim ran');
});

test('--file --json: verdicts, the crash line, good standing per claim; --only picks (case-insensitive) and exits 0 when all stand', async () => {
  const r = await cli(['claims', '--file', `${F}/three-claims.ts`, '--json']);
  assert.is(r.code, 1);
  const rows = JSON.parse(r.out) as { key: string; goodStanding: boolean; evidence: { verdict: string; error?: string }; negativeControl: { evidence: { verdict: string } } }[];
  assert.equal(rows.map((x) => [x.key, x.evidence.verdict, x.negativeControl.evidence.verdict, x.goodStanding]), [
    ['euler-order', 'holds', 'fails', true], ['euler-order-weak-control', 'holds', 'holds', false], ['euler-ladder', 'crashed', 'fails', false],
  ]);
  assert.equal(rows[2]!.evidence, { verdict: 'crashed', error: "TypeError: Cannot read properties of undefined (reading '0')" });
  const one = await cli(['claims', '--file', `${F}/three-claims.ts`, '--only', 'EULER-ORDER', '--json']);
  assert.is(one.code, 0);
  assert.equal((JSON.parse(one.out) as { key: string }[]).map((x) => x.key), ['euler-order']);
});

test('--file with a JS file of a named `claims` export and a single-claim export; --list lists them', async () => {
  const r = await cli(['claims', '--file', `${F}/single-exports.js`]);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /^triangular\s+holds\s+55\s+55\s+fails \(good\)/m);
  assert.match(r.out, /^squares\s+holds\s+14\s+14\s+fails \(good\)/m);
  assert.match(r.out, /^2\/2 claims hold/m);
  const l = await cli(['claims', '--file', `${F}/single-exports.js`, '--list', '--json']);
  assert.equal(JSON.parse(l.out), [{ key: 'triangular', family: 'user', title: '\\sum_{k=1}^{10} k = 55' }, { key: 'squares', family: 'user', title: '\\sum_{k=1}^{3} k^2 = 14' }]);
});

test('bad claim files: one line each, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--file', `${F}/nope.js`], /^--file: no such file test\/fixtures\/claims\/nope\.js$/],
    [['--file', `${F}/no-claims.js`], /^test\/fixtures\/claims\/no-claims\.js: exports no claims \(/],
    [['--file', `${F}/plain-object.js`], /^test\/fixtures\/claims\/plain-object\.js: the default export\[0\] \(id plain\) is not a claim made by defineClaim$/],
    [['--file', `${F}/duplicate-ids.js`], /^duplicate claim id twice$/],
    [['--file', `${F}/missing-control.js`], /^--file: cannot load .*missing-control\.js: defineClaim\(no-control\): no negativeControl/],
    [['--file', `${F}/three-claims.ts`, '--only', 'euler'], /^no registered claim "euler" \(claims: euler-order, euler-order-weak-control, euler-ladder\)$/],
    [['--file', `${F}/three-claims.ts`, '--only', ''], /^--only: empty value/],
    [['--file', ''], /^--file: empty value/],
  ];
  for (const [args, why] of cases) {
    const r = await cli(['claims', ...args]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', why);
    assert.not.match(r.error ?? '', /\n/);
  }
});

test('--help says --file replaces the built-in registry', async () => {
  const r = await cli(['claims', '--help']);
  assert.match(r.out.replace(/\s+/g, ' '), /--file <v> run the claims this \.js\/\.mjs\/\.ts\/\.mts file exports .* instead of the built-in registry, which is then not run/);
});

/** The fenced block after `<!-- checked: NAME -->` in README.md. */
function readmeBlock(name: string): string[] {
  const m = new RegExp(`<!-- checked: ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -->\n\`\`\`\\w*\n([\\s\\S]*?)\`\`\`\n`).exec(readFileSync('README.md', 'utf8'));
  assert.ok(m, `README block ${name}`);
  return m![1]!.trimEnd().split('\n');
}

test('README: the claim files it shows print, under --file, exactly the tables it shows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'depthlimit-readme-claims-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    const index = pathToFileURL(resolve('src/index.ts')).href;
    writeFileSync(join(dir, 'my-claims.js'), readmeBlock('my-claims.js').join('\n').replace("from 'depthlimit'", `from '${index}'`));
    for (const [name, file] of [['claims --file my-claims.js', join(dir, 'my-claims.js')], ['claims --file test/fixtures/claims/three-claims.ts', `${F}/three-claims.ts`]] as const) {
      const [command, ...shown] = readmeBlock(name);
      assert.is(command, `$ npx depthlimit ${name}`);
      const r = await cli(['claims', '--file', file]);
      assert.equal(r.out.trimEnd().split('\n').map((l) => l.trimEnd()), shown, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
