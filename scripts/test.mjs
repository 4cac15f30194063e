#!/usr/bin/env node
// The test entry point: type-check, then uvu over test/ (TypeScript via tsx), and close with
// the plain line `N passed, N failed, N skipped`. uvu alone exits 0 when no test ran and
// prints no summary when a file fails to import, so this wrapper decides the verdict.
// Usage: node scripts/test.mjs [dir] [pattern]   (a pattern skips the type check)
//
// Both cores: the test files are split into shards, each run by its own uvu process, at most
// one per core at a time (TEST_JOBS=N to choose; 1 = one process as before), next to the type
// check. Shards are filled longest first from the previous run's per-file times
// (.depthlimit-cache/test-times.json; in a fresh clone the committed scripts/test-times.json; a
// scheduling hint only); the counts of every shard are
// summed, and a shard that ends without uvu's summary counts as a failure.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'uvu/parse';

const require = createRequire(import.meta.url);
const [dir = 'test', pattern] = process.argv.slice(2);
const IGNORE = '(helpers|fixtures|snapshots)';
const TIMES = join('.depthlimit-cache', 'test-times.json');

/** A child's output and exit code (buffered: shards print one after the other, whole). */
function run(args, env) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    const marks = []; // [time, text] of each stdout chunk: per-file times for the next run's schedule
    c.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; marks.push([performance.now(), d]); });
    c.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    c.on('close', (status) => resolve({ status, stdout, stderr, marks, closed: performance.now() }));
  });
}

// tsc's own incremental mode: the build info (in the cache folder) records each file's hash and
// diagnostics, so a rerun re-checks only what changed and what depends on it (cold ~16 s CPU,
// warm ~5 s); the verdict is the same as a full check.
const tscRun = pattern ? undefined : run([join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'), '--noEmit', '-p', '.',
  '--incremental', '--tsBuildInfoFile', join('.depthlimit-cache', 'tsc.tsbuildinfo')]);

// bin.js is not in uvu's exports map: find the package root from its main entry.
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
const { suites } = await parse(dir, pattern ?? '.', { ignore: IGNORE });
let times = {};
// this checkout's last run, else the committed hint (scripts/test-times.json: a fresh clone, CI), else file sizes
for (const f of [TIMES, join('scripts', 'test-times.json')]) {
  try { times = JSON.parse(readFileSync(f, 'utf8')); break; } catch { /* the next source */ }
}
const weight = (s) => times[s.name] ?? readFileSync(s.file).length / 2e4;
const jobs = Math.max(1, Math.min(Number(process.env.TEST_JOBS) || availableParallelism(), suites.length || 1));
// Longest first into the lightest shard; each shard keeps uvu's file order.
const shards = Array.from({ length: jobs }, () => ({ w: 0, names: [] }));
for (const s of [...suites].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name))) {
  const lightest = shards.reduce((m, x) => (x.w < m.w ? x : m));
  lightest.w += weight(s);
  lightest.names.push(s.name);
}
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const env = { ...process.env, FORCE_COLOR: '0' };
const runs = shards.filter((s) => s.names.length).map((s) =>
  run(['--import', 'tsx', uvuBin, dir, `^(${s.names.map(esc).join('|')})$`, '--ignore', IGNORE, '--no-color'], env));

let failedExtra = 0;
if (tscRun) {
  const t = await tscRun;
  process.stdout.write(t.stdout);
  process.stderr.write(t.stderr);
  if (t.status !== 0) {
    console.error('type check failed');
    failedExtra += 1;
  } else console.log('type check passed');
}

let total = 0, passed = 0, skipped = 0, broken = 0, status = 0;
const newTimes = { ...times };
for (const r of await Promise.all(runs)) {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  const num = (label) => {
    const m = r.stdout.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'));
    return m ? Number(m[1]) : undefined;
  };
  const t = num('Total'), p = num('Passed');
  if (t === undefined || p === undefined) { broken++; continue; }
  total += t; passed += p; skipped += num('Skipped') ?? 0;
  if (r.status !== 0) status = 1;
  // a file's time: from its name line to the next file's name line (its tests run in between)
  let current, since;
  for (const [at, text] of r.marks) {
    for (const line of text.split('\n')) {
      const name = line.trim();
      if (/\.(test\.)?[mc]?[jt]sx?$/.test(name) && !name.includes(' ')) {
        if (current) newTimes[current] = (at - since) / 1000;
        current = name; since = at;
      }
    }
  }
  // the last file ends when its shard does (not when the slowest shard does: that wait once made
  // the last file of the shorter shard look 50 s long, and the next split kept the imbalance)
  if (current) newTimes[current] = (r.closed - since) / 1000;
}
try {
  mkdirSync(dirname(TIMES), { recursive: true });
  writeFileSync(`${TIMES}.${process.pid}.tmp`, JSON.stringify(newTimes, null, 1) + '\n');
  renameSync(`${TIMES}.${process.pid}.tmp`, TIMES);
} catch { /* a hint not saved: the next run splits by size */ }

let line;
let code;
if (broken) {
  line = `${passed} passed, ${total - passed + broken + failedExtra} failed, ${skipped} skipped`;
  console.error(`${broken} test process(es) ended without a summary (import error or early exit)`);
  code = 1;
} else {
  const failed = total - passed + failedExtra;
  line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  code = failed > 0 || status !== 0 ? 1 : 0;
  if (total === 0) { console.error('no tests were found'); code = 1; }
}
console.log(line);
process.exit(code);
