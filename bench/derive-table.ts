/**
 * The cost table of `derive`: d = 1…6 × k = 1…8, symbolic and numeric A and β (tanh FF layer,
 * bench/derive-layer.ts), depthlimit (Taylor coefficients F_1…F_k and modified equation
 * f_1…f_k, bench/derive-cell.ts) against SymPy computing the same (bench/derive_sympy.py), each
 * depthlimit cell in a fresh process, SymPy's row in one process with its cache cleared before
 * every run (so SymPy's import is not timed), rows of both engines at the same time. Times are
 * CPU seconds (user + system), so a shared, loaded machine slows the run but not the numbers
 * much; each run is capped at CAP CPU seconds (ulimit -t; SymPy: ITIMER_PROF) and a row stops for
 * an engine once it hits the cap (cost grows with k). Medians of 3 runs for cells under 1 s,
 * else 1 run. Each finished pair is checked to
 * agree: f_k[1] at the same point, relative 1e-8 (both exact; the difference is the rounding of
 * evaluating a long sum).
 * Usage: node --import tsx bench/derive-table.ts [cap-seconds = 20] [--dims 1-6] [--orders 1-8] [--modes symbolic,numeric] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const range = (s: string | undefined, dflt: [number, number]): number[] => {
  const [a, b] = s ? s.split('-').map(Number) as [number, number] : dflt;
  return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
};
const CAP = Number(argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 20);
const dims = range(opt('--dims'), [1, 6]), orders = range(opt('--orders'), [1, 8]);
const modes = (opt('--modes') ?? 'symbolic,numeric').split(',');

const dir = mkdtempSync(join(tmpdir(), 'dl-derive-table-'));
const cellJs = join(dir, 'cell.mjs');
await esbuild.build({ entryPoints: [new URL('./derive-cell.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: cellJs, logLevel: 'error', banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" } });

interface Run { seconds: number; terms: number; value: number }
type Cell = { runs: number[]; median: number; terms: number; value: number } | { capped: true } | { failed: string };

function once(cmd: string[]): Run | 'capped' | string {
  const r = spawnSync('sh', ['-c', `ulimit -t ${Math.ceil(CAP)}; exec "$@"`, 'sh', ...cmd], { encoding: 'utf8', timeout: CAP * 20 * 1000, maxBuffer: 1 << 24 });
  if (r.signal === 'SIGXCPU' || r.signal === 'SIGKILL' || r.status === 152 || r.status === 137) return 'capped';
  if (r.status !== 0) return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-1)[0]!;
  const j = JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!) as Run;
  return j.seconds > CAP ? 'capped' : j;
}

function cell(cmd: string[]): Cell {
  const first = once(cmd);
  if (first === 'capped') return { capped: true };
  if (typeof first === 'string') return { failed: first };
  const runs = [first.seconds];
  if (first.seconds < 1) for (let r = 0; r < 2; r++) { const o = once(cmd); if (typeof o === 'object') runs.push(o.seconds); }
  const sorted = [...runs].sort((a, b) => a - b);
  return { runs, median: sorted[Math.floor(sorted.length / 2)]!, terms: first.terms, value: first.value };
}

/** SymPy's row d, k = orders, in one process (bench/derive_sympy.py row), while ours run. */
function sympyRow(d: number, mode: string): Promise<Map<number, Cell>> {
  return new Promise((resolve) => {
    const p = spawn('/usr/bin/python3', ['bench/derive_sympy.py', 'row', String(d), String(orders[0]), String(orders[orders.length - 1]), mode, String(CAP)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (b: Buffer) => { out += b; });
    p.stderr.on('data', (b: Buffer) => { err += b; });
    p.on('close', () => {
      const runs = new Map<number, { seconds: number[]; terms: number; value: number } | 'capped'>();
      for (const line of out.trim().split('\n').filter(Boolean)) {
        const j = JSON.parse(line) as { k: number; capped?: boolean; seconds: number; terms: number; value: number };
        if (j.capped) { runs.set(j.k, 'capped'); continue; }
        const r = runs.get(j.k);
        if (r && r !== 'capped') r.seconds.push(j.seconds); else runs.set(j.k, { seconds: [j.seconds], terms: j.terms, value: j.value });
      }
      const cells = new Map<number, Cell>();
      let ended = false;
      for (const k of orders) {
        const r = runs.get(k);
        if (ended || r === 'capped') { cells.set(k, { capped: true }); ended = true; continue; }
        if (!r) { cells.set(k, { failed: err.trim().split('\n').slice(-1)[0] ?? 'no output' }); ended = true; continue; }
        const sorted = [...r.seconds].sort((a, b) => a - b);
        cells.set(k, { runs: r.seconds, median: sorted[Math.floor(sorted.length / 2)]!, terms: r.terms, value: r.value });
      }
      resolve(cells);
    });
  });
}

const load0 = loadavg();
const started = new Date();
const results: { mode: string; d: number; k: number; ours: Cell; sympy: Cell; agree?: boolean }[] = [];
const show = (c: Cell) => ('median' in c ? `${c.median.toFixed(3)} s` : 'capped' in c ? `> ${CAP} s` : `failed: ${c.failed}`);
for (const mode of modes) {
  for (const d of dims) {
    const theirs = sympyRow(d, mode);
    const ours = new Map<number, Cell>();
    let capped = false;
    for (const k of orders) {
      const c: Cell = capped ? { capped: true } : cell([process.execPath, '--max-old-space-size=3072', cellJs, String(d), String(k), mode]);
      capped ||= 'capped' in c;
      ours.set(k, c);
      console.error(`${mode} d=${d} k=${k}: depthlimit ${show(c)}  (load ${loadavg()[0]!.toFixed(1)})`);
    }
    const sympy = await theirs;
    for (const k of orders) {
      const row: (typeof results)[number] = { mode, d, k, ours: ours.get(k)!, sympy: sympy.get(k)! };
      if ('median' in row.ours && 'median' in row.sympy) row.agree = Math.abs(row.ours.value - row.sympy.value) <= 1e-8 * Math.max(1, Math.abs(row.sympy.value));
      results.push(row);
      console.error(`${mode} d=${d} k=${k}: depthlimit ${show(row.ours)}, SymPy ${show(row.sympy)}${row.agree === false ? '  VALUES DIFFER' : ''}`);
    }
  }
}
const load1 = loadavg();

const fmtS = (s: number): string => (s < 0.01 ? s.toFixed(3) : s < 10 ? s.toFixed(2) : s.toFixed(1));
const entry = (r: (typeof results)[number]): string => {
  const o = r.ours, s = r.sympy;
  const os = 'median' in o ? fmtS(o.median) : 'capped' in o ? '—' : 'fail';
  const ss = 'median' in s ? fmtS(s.median) : 'capped' in s ? '—' : 'fail';
  const ratio = 'median' in o && 'median' in s ? ` (${(s.median / o.median).toFixed(s.median / o.median >= 10 ? 0 : 1)}×)` : '';
  return `${os} / ${ss}${ratio}${r.agree === false ? ' ≠' : ''}`;
};
const lines: string[] = [];
lines.push(`derive cost table, ${started.toISOString().slice(0, 10)}: CPU seconds, depthlimit / SymPy ${spawnSync('/usr/bin/python3', ['-c', 'import sympy; print(sympy.__version__)'], { encoding: 'utf8' }).stdout.trim()} (SymPy/depthlimit ratio); — = over the ${CAP} s cap`);
lines.push(`(medians of 3 runs under 1 s, else 1; depthlimit: a fresh process per run, SymPy: one process per row, cache cleared per run; load average ${load0[0]!.toFixed(1)} at start, ${load1[0]!.toFixed(1)} at end, 2 cores)`);
for (const mode of modes) {
  lines.push('', `${mode} A and β | ${orders.map((k) => `k = ${k}`).join(' | ')}`, `--- | ${orders.map(() => '---').join(' | ')}`);
  for (const d of dims) lines.push(`d = ${d} | ${orders.map((k) => entry(results.find((r) => r.mode === mode && r.d === d && r.k === k)!)).join(' | ')}`);
}
const both = results.filter((r) => 'median' in r.ours && 'median' in r.sympy);
const faster = both.filter((r) => (r.ours as { median: number }).median < (r.sympy as { median: number }).median).length;
const onlyOurs = results.filter((r) => 'median' in r.ours && !('median' in r.sympy)).length;
const onlyTheirs = results.filter((r) => !('median' in r.ours) && 'median' in r.sympy).length;
const disagree = both.filter((r) => r.agree === false).length;
lines.push('', `both finish: ${both.length} cells, depthlimit faster in ${faster}; only depthlimit finishes: ${onlyOurs}; only SymPy: ${onlyTheirs}; values differ: ${disagree}`);
console.log(lines.join('\n'));
const jsonOut = opt('--json');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ date: started.toISOString(), cap: CAP, load: [load0, load1], results }, null, 1) + '\n');
