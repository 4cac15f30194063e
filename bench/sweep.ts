/**
 * Benchmark: (1) the full depth sweep N = 4 … 65536 of the d = 2 near-identity FF net on the
 * C12 problem (compiled fields; target < 1 s in total, including the symbolic compile and the
 * DOPRI5 reference), and (2) the reference solution at rtol 1e-12 against SciPy's
 * solve_ivp(method="DOP853") on the same problem (Debian /usr/bin/python3), timed in the same
 * run; prints medians and the ratio. Run: node --import tsx bench/sweep.ts
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { C12_PROBLEM, makeNet, powersOfTwo, schemeSweep } from '../src/experiments/depth-sweep.ts';
import { compileProblem, compileProblemText } from '../src/experiments/sweep-problem.ts';
import { describeCertificate } from '../src/numeric/certify.ts';
import { dopri5 } from '../src/numeric/ode/dopri5.ts';

const REPEATS = 7;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const time = (f: () => void) => { const t0 = performance.now(); f(); return (performance.now() - t0) / 1000; };

const problemText = {
  ...C12_PROBLEM, A: [...C12_PROBLEM.A], beta: [...C12_PROBLEM.beta], constants: { ...C12_PROBLEM.constants }, x0: [...C12_PROBLEM.x0],
};
const depths = powersOfTwo(2, 16);

// (1) Full sweep, end to end (compile + reference + 15 nets + certificate).
let cert = '';
const total = Array.from({ length: REPEATS }, () => time(() => {
  const r = schemeSweep({ ...problemText, scheme: 'ff', against: 'ode', depths });
  cert = describeCertificate(r.certificate);
}));
// …and the parts: symbolic compile, and the net loops alone (Σ N = 131068 layers).
const compileT = Array.from({ length: REPEATS }, () => time(() => compileProblemText(problemText)));
const problem = compileProblem(problemText);
const net = makeNet(problem, 'ff');
const out = new Float64Array(2);
const loops = Array.from({ length: REPEATS }, () => time(() => { for (const N of depths) net.run(N, out); }));
const layers = depths.reduce((a, b) => a + b, 0);

console.log(`FF sweep N = 4 … 65536 (d = 2, ${layers} layers): ${cert}`);
// compileProblem is memoised per process: the first run compiles, the later ones reuse it, so the
// end-to-end figure adds the compile's own median to the sweep's.
console.log(`  end to end (compile + reference + nets + certificate): median ${((median(total) + median(compileT)) * 1e3).toFixed(1)} ms over ${REPEATS} runs (target < 1000 ms)`);
console.log(`  symbolic compile (ε-series, modified equation, JS codegen): ${(median(compileT) * 1e3).toFixed(1)} ms`);
console.log(`  net loops only: ${(median(loops) * 1e3).toFixed(1)} ms = ${((median(loops) / layers) * 1e9).toFixed(0)} ns per layer`);

// (2) Reference at rtol 1e-12 vs SciPy DOP853 on the same right-hand side.
const rtol = 1e-12, atol = 1e-14;
const x0 = Float64Array.from(problemText.x0);
let steps = 0, evals = 0, xT = new Float64Array(2);
// Warm up the JIT as SciPy's own repeats warm its caches.
for (let k = 0; k < 20; k++) dopri5(problem.ode, 0, 1, x0, { rtol, atol });
const ours = Array.from({ length: 51 }, () => time(() => {
  const r = dopri5(problem.ode, 0, 1, x0, { rtol, atol });
  steps = r.steps; evals = r.evaluations; xT = r.x;
}));
const here = dirname(fileURLToPath(import.meta.url));
const py = spawnSync('/usr/bin/python3', [join(here, 'sweep_scipy.py'), String(rtol), String(atol), '21'], { encoding: 'utf8' });
if (py.status !== 0) {
  console.log(`SciPy peer failed (exit ${py.status}): ${py.stderr.split('\n').slice(-3).join(' ')}`);
} else {
  const s = JSON.parse(py.stdout.trim()) as { median_s: number; nfev: number; steps: number; x: number[] };
  const agree = Math.max(Math.abs(s.x[0]! - xT[0]!), Math.abs(s.x[1]! - xT[1]!));
  console.log(`reference x(1) at rtol ${rtol}, atol ${atol}:`);
  console.log(`  depthlimit DOPRI5: median ${(median(ours) * 1e6).toFixed(1)} µs, ${steps} steps, ${evals} evaluations`);
  console.log(`  SciPy DOP853:      median ${(s.median_s * 1e6).toFixed(1)} µs, ${s.steps} steps, ${s.nfev} evaluations`);
  console.log(`  ratio SciPy / depthlimit = ${(s.median_s / median(ours)).toFixed(1)}×; solutions agree to ${agree.toExponential(2)}`);
}
