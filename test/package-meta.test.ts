/**
 * The package's metadata agrees with itself: `depthlimit --version` prints package.json's
 * version, CITATION.cff (CFF 1.2.0) carries the same version and licence, LICENSE is the MIT
 * text package.json names. The tarball itself is tested in package.test.ts.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from './helpers.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };

/** Top-level `key: value` scalars of a YAML file (CITATION.cff has no nested scalars we check). */
function topLevelScalars(yaml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of yaml.matchAll(/^([A-Za-z][\w-]*):[ \t]*(\S.*)$/gm)) out[m[1]!] = m[2]!.trim().replace(/^"(.*)"$/, '$1');
  return out;
}

test('--version and -V print the version in package.json', async () => {
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-V']) {
    const r = await cli([flag]);
    assert.is(r.code, 0);
    assert.is(r.out, `${pkg.version}\n`);
  }
});

test('CITATION.cff: CFF 1.2.0 with the required keys, same version and licence as package.json', () => {
  const text = readFileSync('CITATION.cff', 'utf8');
  const cff = topLevelScalars(text);
  assert.is(cff['cff-version'], '1.2.0');
  assert.is(cff['version'], pkg.version, 'bump CITATION.cff version with package.json');
  assert.is(cff['license'], pkg.license);
  assert.is(cff['type'], 'software');
  for (const key of ['message', 'title']) assert.ok(cff[key], `CITATION.cff needs ${key}`);
  assert.match(text, /^authors:\n\s+- (name|family-names):/m);
});

test('LICENSE is the MIT licence package.json declares', () => {
  assert.is(pkg.license, 'MIT');
  const text = readFileSync('LICENSE', 'utf8');
  assert.match(text, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});

test.run();
