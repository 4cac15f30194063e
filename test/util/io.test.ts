import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputDir, checkOutputFile, fsReason, readUserFile, writeFileAtomic } from '../../src/util/io.ts';

const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-io-'));
const file = join(tmp, 'a-file');
writeFileSync(file, 'x');

test('checkOutputDir: kernel pseudo-filesystems are refused without touching them', () => {
  // Node 20's recursive mkdirSync never returns under /proc: the check must come first
  for (const p of ['/proc/x', '/proc', '/sys/x/y', '/dev/x', '/dev/shm/x']) {
    assert.throws(() => checkOutputDir(p, '--out'), /pseudo-filesystem/, p);
  }
});

test('checkOutputDir: a file, a path through a file, an empty path are refused; a new folder is fine and not created', () => {
  assert.throws(() => checkOutputDir(file, '--out'), /a-file is a file, not a folder/);
  assert.throws(() => checkOutputDir(join(file, 'sub', 'deeper'), '--out'), /a-file is a file, not a folder/);
  assert.throws(() => checkOutputDir('', '--out'), /--out: the path is empty/);
  assert.throws(() => checkOutputDir('  ', '--out'), /the path is empty/);
  const fresh = join(tmp, 'new', 'nested');
  checkOutputDir(fresh, '--out');
  assert.not.ok(existsSync(join(tmp, 'new')), 'the check creates nothing');
});

test('checkOutputFile: a folder or a device is not a file; the folder is checked too', () => {
  assert.throws(() => checkOutputFile(tmp, '--csv'), /is a folder, not a file/);
  assert.throws(() => checkOutputFile('/dev/null', '--csv'), /not a regular file/);
  assert.throws(() => checkOutputFile('/proc/x.csv', '--csv'), /pseudo-filesystem/);
  assert.throws(() => checkOutputFile(join(file, 'x.csv'), '--csv'), /a-file is a file, not a folder/);
  checkOutputFile(join(tmp, 'out', 'x.csv'), '--csv');
  checkOutputFile(file, '--csv'); // an existing regular file is overwritten atomically
});

test('fsReason: errno codes become words (a read-only file system is not "no such file")', () => {
  const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
  assert.is(fsReason(err('EROFS')), 'read-only file system');
  assert.is(fsReason(err('EACCES')), 'permission denied');
  assert.is(fsReason(err('ENOENT')), 'no such file or folder');
  assert.is(fsReason(new Error('first line\nsecond')), 'first line');
});

test('readUserFile: regular files only, bounded size, one-line reasons', () => {
  assert.is(readUserFile(file, 'data file'), 'x');
  assert.throws(() => readUserFile(join(tmp, 'missing.csv'), 'data file'), /data file .*missing\.csv: no such file$/);
  assert.throws(() => readUserFile('/dev/null', 'proof file'), /proof file \/dev\/null is not a regular file/);
  assert.throws(() => readUserFile('/dev/zero', '--derivation'), /not a regular file/);
  assert.throws(() => readUserFile(tmp, 'proof file'), /is a folder, not a file/);
  assert.throws(() => readUserFile(join(file, 'x'), 'proof file'), /a part of the path is a file/);
  assert.throws(() => readUserFile('', 'proof file'), /the path is empty/);
  const big = join(tmp, 'big.txt');
  writeFileSync(big, 'y'.repeat(100));
  assert.throws(() => readUserFile(big, 'data file', 99), /too large \(100 bytes; at most 99\)/);
  assert.is(readUserFile(big, 'data file', 100).length, 100);
  // /proc files state size 0: the capped read still stops them
  assert.throws(() => readUserFile('/proc/self/maps', 'data file', 10), /too large \(more than 10 bytes\)/);
});

test('writeFileAtomic: creates the folder, leaves no temporary file; refuses a pseudo-filesystem', () => {
  const p = join(tmp, 'w', 'x.txt');
  writeFileAtomic(p, 'hello');
  assert.equal(readdirSync(join(tmp, 'w')), ['x.txt']);
  assert.throws(() => writeFileAtomic('/proc/depthlimit-x/y.txt', 'z'), /pseudo-filesystem/);
  mkdirSync(join(tmp, 'isdir.txt'));
  assert.throws(() => writeFileAtomic(join(tmp, 'isdir.txt'), 'z'), /cannot write .*isdir\.txt/);
  assert.equal(readdirSync(tmp).filter((n) => n.endsWith('.tmp')), []);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
