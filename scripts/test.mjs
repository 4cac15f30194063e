#!/usr/bin/env node
// The test entry point: type-check, then uvu over test/ (TypeScript via tsx), and close with
// the plain line `N passed, N failed, N skipped`. uvu alone exits 0 when no test ran and
// prints no summary when a file fails to import, so this wrapper decides the verdict.
// Usage: node scripts/test.mjs [dir] [pattern]   (a pattern skips the type check)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const [dir = 'test', pattern] = process.argv.slice(2);
let failedExtra = 0;

if (!pattern) {
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const t = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], { stdio: 'inherit' });
  if (t.status !== 0) {
    console.error('type check failed');
    failedExtra += 1;
  } else console.log('type check passed');
}

// bin.js is not in uvu's exports map: find the package root from its main entry.
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
// helpers and fixtures are imported by tests, not tests themselves.
const args = ['--import', 'tsx', uvuBin, dir, pattern ?? '.', '--ignore', '(helpers|fixtures|snapshots)', '--no-color'];
const r = spawnSync(process.execPath, args, {
  encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, FORCE_COLOR: '0' },
});
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');

const num = (label) => {
  const m = (r.stdout ?? '').match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'));
  return m ? Number(m[1]) : undefined;
};
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped') ?? 0;
let line;
let code;
if (total === undefined || passed === undefined) {
  line = `0 passed, ${1 + failedExtra} failed, 0 skipped`;
  console.error('the test run ended without a summary (import error or early exit)');
  code = 1;
} else {
  const failed = total - passed + failedExtra;
  line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  code = failed > 0 || r.status !== 0 ? 1 : 0;
  if (total === 0) { console.error('no tests were found'); code = 1; }
}
console.log(line);
process.exit(code);
