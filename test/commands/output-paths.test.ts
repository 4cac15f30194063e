/**
 * Output paths are checked before any work starts (issue 11): a pseudo-filesystem, a file where
 * a folder is meant, a folder where a file is meant, and input files that are not regular files
 * all give one line and exit 2 with nothing printed or written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-outpaths-'));
const file = join(tmp, 'a-file');
writeFileSync(file, 'x');

test('derive --out /proc/x exits 2 at once (a real process: it used to hang in mkdirSync)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'derive', '--g', '-z^3', '--out', '/proc/depthlimit-x'], {
    encoding: 'utf8', timeout: 60_000,
  });
  assert.is(r.signal, null, 'killed by the time cap: the command hung');
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^depthlimit: error: --out \/proc\/depthlimit-x is on a kernel pseudo-filesystem/);
  assert.is(r.stderr.trim().split('\n').length, 1);
});

test('every output option is checked before the work: nothing printed, one line naming the option', async () => {
  const cases: [string[], RegExp][] = [
    [['gamma', '--depths', '4..16', '--csv', tmp], /^--csv .* is a folder, not a file$/],
    [['gamma', '--depths', '4..16', '--csv', join(file, 'g.csv')], /^--csv .*: folder .*a-file is a file, not a folder$/],
    [['derive', '--g', '-z^3', '--out', join(file, 'sub')], /^--out .*a-file is a file, not a folder$/],
    [['derive', '--g', '-z^3', '--out', file], /^--out .*a-file is a file, not a folder$/],
    [['hamiltonian', '--field', 'x', '--out', file], /^--out .*a-file is a file, not a folder$/],
    [['figures', '--from', join(tmp, 'missing.json'), '--out', file], /^--out .*a-file is a file, not a folder$/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', re, args.join(' '));
    assert.is(r.out, '', `${args.join(' ')}: printed before the check`);
  }
  assert.equal(readdirSync(tmp), ['a-file'], 'nothing was written');
});

test('derive/hamiltonian/gamma --out DIR whose file name is taken by a folder: refused before the work, no part of the set written', async () => {
  for (const [args, taken] of [
    [['derive', '--g', 'z', '--order', '1'], 'derivation.json'],
    [['hamiltonian', '--field', 'w*x'], 'hamiltonian.tex'],
    [['gamma', '--depths', '4..8', '--formats', 'html'], 'gamma.csv'],
  ] as const) {
    const dir = mkdtempSync(join(tmp, 'set-'));
    mkdirSync(join(dir, taken));
    const r = await cli([...args, '--out', dir]);
    assert.is(r.code, 2, args[0]);
    assert.is(r.error, `--out ${join(dir, taken)} is a folder, not a file`);
    assert.is(r.out, '');
    assert.equal(readdirSync(dir), [taken], `${args[0]}: nothing else written (txt and tex were)`);
  }
});

test('input files that are not regular files say so (not "no such file")', async () => {
  const cases: [string[], RegExp][] = [
    [['proofs', '/dev/null'], /^proof file \/dev\/null is not a regular file/],
    [['proofs', tmp], /^proof file .* is a folder, not a file$/],
    [['hamiltonian', '--derivation', '/dev/zero'], /^--derivation \/dev\/zero is not a regular file/],
    [['gamma', '--data', '/dev/zero'], /^data file \/dev\/zero is not a regular file/],
    [['figures', '--from', '/dev/zero'], /^result file \/dev\/zero is not a regular file/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.error ?? '', re, args.join(' '));
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
