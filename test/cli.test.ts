import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, cliProcess } from './helpers.ts';

test('unknown command is a user error', async () => {
  const r = await cli(['frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.error ?? '', /unknown command/);
});

test('unknown option is a user error', async () => {
  const r = await cli(['claims', '--bogus']);
  assert.is(r.code, 2);
  assert.match(r.error ?? '', /bogus/);
});

test('--help lists the commands; command --help shows usage', async () => {
  const r = await cli(['--help']);
  assert.is(r.code, 0);
  assert.match(r.out, /claims/);
  const c = await cli(['claims', '--help']);
  assert.match(c.out, /Usage: depthlimit claims/);
});

test('a bad-input run exits 2 with exactly one stderr line (child process)', () => {
  const r = cliProcess(['claims', '--only', 'C99']);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^depthlimit: error: /);
});

test('a string option takes a value that starts with a dash (e.g. --g "-gamma*z^3")', async () => {
  const r = await cli(['claims', '--only', '-C3']);
  assert.is(r.code, 2);
  assert.match(r.error ?? '', /no registered claim "-C3"/); // reached the command: the value was not rejected as an option
});

test.run();
