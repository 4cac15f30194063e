/**
 * Benchmark: start-up of the compiled CLI and library against bare `node -e 0` in the same run.
 * Every command is a fresh process, timed wall-clock from spawn to exit; the commands take
 * turns (round-robin), so a load change on the shared machine hits them alike, and each figure
 * is the median of `runs` (after one warm-up round that fills the OS file cache). Targets
 * (issue 10, 2 cores): `--help` within 3× bare node; the d = 2 tanh derive at order 2 under 0.5 s.
 * The source route through tsx (what the bin ran before the build) is shown for comparison.
 *   node --import tsx bench/startup.ts [runs=7]
 * It builds dist/ first (scripts/build.mjs), so it measures the current source.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 7);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const node = process.execPath;
const bin = 'bin/depthlimit.mjs';
const cases: { label: string; args: string[] }[] = [
  { label: 'node -e 0 (bare node)', args: ['-e', '0'] },
  { label: 'depthlimit --help', args: [bin, '--help'] },
  { label: 'depthlimit --version', args: [bin, '--version'] },
  { label: 'depthlimit derive --help', args: [bin, 'derive', '--help'] },
  { label: 'node -e "import(\'depthlimit\')"', args: ['-e', "import('depthlimit')"] },
  { label: 'depthlimit derive --layer ff --g "tanh(z)" --dim 2 --order 2', args: [bin, 'derive', '--layer', 'ff', '--g', 'tanh(z)', '--dim', '2', '--order', '2'] },
  { label: 'depthlimit claims --only C12', args: [bin, 'claims', '--only', 'C12'] },
  { label: 'source through tsx: node --import tsx src/cli.ts --help', args: ['--import', 'tsx', 'src/cli.ts', '--help'] },
];

function once(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(node, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(`failed (exit ${r.status}): node ${args.join(' ')}\n${r.stderr}`);
    process.exit(1);
  }
  return s;
}

const load0 = loadavg()[0]!;
const times = cases.map(() => [] as number[]);
for (let round = 0; round <= runs; round++) {
  cases.forEach((c, i) => {
    const s = once(c.args);
    if (round > 0) times[i]!.push(s); // round 0 warms the file cache
  });
}
const med = times.map(median);
const bare = med[0]!;
const w = Math.max(...cases.map((c) => c.label.length));
console.log(`start-up, wall seconds, median of ${runs} (min–max), ratio to bare node; load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
cases.forEach((c, i) => {
  const xs = times[i]!;
  console.log(`${c.label.padEnd(w)}  ${med[i]!.toFixed(3)} s  (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})  ${(med[i]! / bare).toFixed(2)}×`);
});
const help = med[1]! / bare, derive = med[5]!;
console.log(`targets: --help ${help.toFixed(2)}× bare node (target ≤ 3×): ${help <= 3 ? 'met' : 'MISSED'}; derive ${derive.toFixed(3)} s (target < 0.5 s): ${derive < 0.5 ? 'met' : 'MISSED'}`);
