/**
 * Benchmark: `npm start` cold (empty result cache), warm (nothing changed), and after one
 * notebook's file was edited (a comment appended to notebooks/hamiltonian-view.ts, restored
 * afterwards: only that notebook reruns), as whole processes: median wall-clock and CPU (user + system
 * of the process and its threads) over `runs`, with the load average before each run (the
 * machine is shared: CPU is the figure that means something under load). Targets (issue 15,
 * 2 idle cores): cold ≤ 30 s, warm ≤ 5 s.
 *   node --import tsx bench/start.ts [runs=3] [--quick] [--workers N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const extra = [...(args.includes('--quick') ? ['--quick'] : []), ...(args.includes('--workers') ? ['--workers', args[args.indexOf('--workers') + 1]!] : [])];
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

/** One run: wall seconds and CPU seconds of the child (from /usr/bin/time's format). */
function run(out: string, cache: string): { wall: number; cpu: number; load: number } {
  const load = loadavg()[0]!;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, '--import', 'tsx', 'src/main.ts', '--out', out, '--cache', cache, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const [wall, user, sys] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  if (r.status !== 0 || wall === undefined || Number.isNaN(wall)) throw new Error(`npm start failed: ${r.stderr.slice(-500)}`);
  return { wall, cpu: user! + sys!, load };
}

const root = mkdtempSync(join(tmpdir(), 'dl-bench-start-'));
try {
  const rows: [string, ReturnType<typeof run>[]][] = [['cold (empty cache)', []], ['warm (nothing changed)', []], ['one notebook edited', []]];
  const edited = join('notebooks', 'hamiltonian-view.ts'), original = readFileSync(edited, 'utf8');
  // Ctrl-C reaches the running npm start too, which then fails: the finally below puts the
  // notebook back instead of Node exiting at once with the edit still in the file
  process.on('SIGINT', () => {});
  for (let i = 0; i < runs; i++) {
    const cache = join(root, `cache-${i}`), out = join(root, `out-${i}`);
    rows[0]![1].push(run(out, cache));
    rows[1]![1].push(run(out, cache));
    try {
      writeFileSync(edited, `${original}// bench edit ${i}\n`); // a new text each time: a new cache key
      rows[2]![1].push(run(out, cache));
    } finally {
      writeFileSync(edited, original);
    }
  }
  console.log(`npm start${extra.length ? ` ${extra.join(' ')}` : ''}: ${runs} runs each, medians (load average at the start of each run in brackets)`);
  for (const [label, xs] of rows) {
    console.log(`${label.padEnd(24)} wall ${median(xs.map((x) => x.wall)).toFixed(1).padStart(6)} s   CPU ${median(xs.map((x) => x.cpu)).toFixed(1).padStart(6)} s   [load ${xs.map((x) => x.load.toFixed(1)).join(', ')}]`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
