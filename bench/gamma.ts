/**
 * Benchmark: the Γ-convergence workload of ../shared/bench/GAMMA.md against PyTorch (float64,
 * CPU, Debian's /usr/bin/python3), in one run.
 *
 *  (i)  one E + ∇E evaluation at N = 256 and 1024 on the GAMMA data, same parameters in both
 *       (passed as a binary file), values asserted equal to ~1e-12; median times, ratio, and
 *       the achieved flop rate at GAMMA.md's ≈150 flops per layer per sample (the C figures of
 *       issue 3: 1.0 ms and 4 ms).
 *  (ii) the whole multilevel sweep N = 4 … 1024 (H¹-preconditioned L-BFGS; peak memory), vs
 *       PyTorch doing (a) torch.optim.LBFGS (strong Wolfe, history 20) with the same stopping
 *       rule and warm starts, capped per level, and (b) the same H¹-preconditioned method.
 *
 * Run: node --import tsx bench/gamma.ts [--quick] [--no-torch-plain] [--level-seconds S]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchProblem, doublings } from '../src/experiments/gamma/sweep.ts';
import { depthObjective } from '../src/experiments/gamma/objective.ts';
import { multilevel, type LevelResult } from '../src/experiments/gamma/train.ts';
import { writeFileAtomic } from '../src/util/io.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const torchPlain = !args.includes('--no-torch-plain');
const li = args.indexOf('--level-seconds');
const levelSeconds = li >= 0 ? Number(args[li + 1]) : 20;
const DATA = 'data/gamma-data.csv';
const PY = '/usr/bin/python3';
const FLOPS_PER_LAYER_SAMPLE = 150;
const C_MS: Record<number, number> = { 256: 1.0, 1024: 4.0 };

function python(argv: string[]): any {
  const r = spawnSync(PY, ['bench/gamma_torch.py', ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`gamma_torch.py ${argv[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

// ---------------------------------------------------------------- (ii) sweep, first: clean peak memory
const { model, data } = benchProblem(DATA);
const depths = doublings(4, quick ? 256 : 1024);
const rssBefore = process.resourceUsage().maxRSS;
const sweepTimes: number[] = [];
let levels: LevelResult[] = [];
for (let rep = 0; rep < (quick ? 1 : 3); rep++) {
  const t0 = performance.now();
  levels = multilevel(model, data, depths, { optimizer: 'h1' });
  sweepTimes.push((performance.now() - t0) / 1000);
}
const rssAfter = process.resourceUsage().maxRSS;
// each section is printed as soon as it is measured (the PyTorch sweeps can take minutes)
console.log('# gamma bench (GAMMA.md workload)');
console.log(`## (ii) multilevel sweep N = ${depths[0]} … ${depths[depths.length - 1]}, depthlimit`);
const js = median(sweepTimes);
console.log(`depthlimit H¹ L-BFGS: ${js.toFixed(2)} s (median of ${sweepTimes.length}), all converged: ${levels.every((l) => l.converged)}, peak RSS ${(rssAfter / 1024).toFixed(0)} MB (process start ${(rssBefore / 1024).toFixed(0)} MB)`);
console.log('## (i) one E + ∇E evaluation, S = 256 samples');

// ---------------------------------------------------------------- (i) one evaluation
const dir = mkdtempSync(join(tmpdir(), 'gamma-bench-'));
for (const n of quick ? [256] : [256, 1024]) {
  const ob = depthObjective(model, data, n);
  const th = new Float64Array(ob.size);
  for (let k = 0; k < n; k++) {
    const t = (k + 0.5) / n;
    th.set([0.5 + 0.3 * Math.sin(2 * Math.PI * t), -0.4 * Math.cos(Math.PI * t), 0.6 * t, -0.2 + 0.1 * t * t, 0.1 * Math.cos(3 * t), -0.2 * Math.sin(t)], 6 * k);
  }
  const file = join(dir, `theta-${n}.bin`);
  writeFileAtomic(file, new Uint8Array(th.buffer));
  const g = new Float64Array(ob.size);
  const time = (reps: number): number[] => {
    const ts: number[] = [];
    for (let r = 0; r < reps; r++) { const t0 = performance.now(); ob.fg(th, g); ts.push(performance.now() - t0); }
    return ts;
  };
  time(50);  // JIT warm-up
  const js1 = time(200);
  const torch = python(['eval', DATA, file, String(n), quick ? '10' : '30']);
  const js2 = time(200);
  const E = ob.fg(th, g);
  // same mathematics, different summation order and tanh: rounding-level agreement
  const eRel = Math.abs(E - torch.E) / Math.abs(torch.E);
  let gMax = 0, gErr = 0;
  for (let i = 0; i < g.length; i++) { gMax = Math.max(gMax, Math.abs(torch.grad[i])); gErr = Math.max(gErr, Math.abs(g[i]! - torch.grad[i])); }
  if (!(eRel <= 1e-12 && gErr <= 1e-12 * gMax)) throw new Error(`N = ${n}: depthlimit and PyTorch disagree: E rel ${eRel}, ∇E rel ${gErr / gMax}`);
  const ms = median([...js1, ...js2]);
  const gflops = FLOPS_PER_LAYER_SAMPLE * n * data.S / (ms * 1e-3) / 1e9;
  console.log(`N = ${String(n).padEnd(5)} depthlimit ${ms.toFixed(2)} ms  PyTorch ${torch.median_ms.toFixed(1)} ms (${torch.threads} thread)  ratio ${(torch.median_ms / ms).toFixed(1)}×  ` +
    `vs C -O3 ${C_MS[n]} ms: ${(ms / C_MS[n]!).toFixed(2)}×  ≈${gflops.toFixed(2)} GFLOP/s  |ΔE|/E ${eRel.toExponential(1)}, |Δ∇E|/|∇E| ${(gErr / gMax).toExponential(1)}`);
}
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------- (ii) PyTorch sweeps
const depthArg = depths.join(',');
const torchH1 = python(['sweep', DATA, 'h1', depthArg, '5000', String(levelSeconds * 3)]);
const torchPl = torchPlain ? python(['sweep', DATA, 'plain', depthArg, '5000', String(levelSeconds)]) : undefined;

console.log(`## (ii) multilevel sweep N = ${depths[0]} … ${depths[depths.length - 1]}, against PyTorch`);
const row = (name: string, its: (n: number) => string) => console.log(`${name.padEnd(26)}${depths.map((n) => its(n).padStart(7)).join('')}`);
row('N', (n) => String(n));
row('depthlimit h1 iterations', (n) => String(levels.find((l) => l.n === n)!.iterations));
type PyLevel = { n: number; iterations: number; stop: string; seconds: number };
const pyRow = (name: string, r: { levels: PyLevel[] }) => row(name, (n) => {
  const l = r.levels.find((x) => x.n === n);
  return l ? `${l.iterations}${l.stop === 'tol' ? '' : l.stop === 'time cap' ? 't' : 'c'}` : '-';
});
pyRow('PyTorch h1 iterations', torchH1);
if (torchPl) pyRow('PyTorch LBFGS iterations', torchPl);
console.log('(suffix t: stopped by the per-level time cap, c: by the 5000-iteration cap)');
console.log(`PyTorch (b) same H¹ method: ${torchH1.seconds.toFixed(1)} s → implementation ratio ${(torchH1.seconds / js).toFixed(1)}×`);
if (torchPl) {
  const conv = torchPl.levels.filter((l: { converged: boolean }) => l.converged).length;
  console.log(`PyTorch (a) torch.optim.LBFGS: ${torchPl.seconds.toFixed(1)} s with ${conv}/${torchPl.levels.length} levels converged (per-level cap ${levelSeconds} s) → ≥ ${(torchPl.seconds / js).toFixed(1)}× (algorithm × implementation; a lower bound when capped)`);
}
