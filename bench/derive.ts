/**
 * Benchmark: symbolic continuum limit of the d = 3 FF layer x⁺ = z + ε tanh(z),
 * z = (I + εA)x + εβ, symbolic 3×3 A and β: (a) F1…F4, (b) the order-2 modified equation —
 * our power-series route over exact polynomials vs SymPy's repeated differentiation (fastest
 * SymPy route), same script, medians. Also times the full `derive` with its verification.
 * Run: node --import tsx bench/derive.ts [reps]
 */
import { spawnSync } from 'node:child_process';
import { derive } from '../src/symbolic/derive.ts';
import { modifiedEquation } from '../src/symbolic/modified.ts';
import { parseExpression } from '../src/symbolic/parse.ts';
import { compilePolys } from '../src/symbolic/poly-compile.ts';
import * as P from '../src/symbolic/poly.ts';
import { seriesOf } from '../src/symbolic/series.ts';

const reps = Number(process.argv[2] ?? 7);
const d = 3;
const xs = ['x1', 'x2', 'x3'];
const comps = xs.map((x, i) => {
  const z = `${x} + eps*(${xs.map((y, j) => `a${i + 1}${j + 1}*${y}`).join(' + ')} + b${i + 1})`;
  return `(${z}) + eps*tanh(${z})`;
});

function coefficients(order: number): P.Poly[][] {
  return comps.map((c) => seriesOf(parseExpression(c), { order, eps: 'eps' }));
}
function modified2(): P.Poly[][] {
  const s = coefficients(2);
  return modifiedEquation([s.map((c) => c[1]!), s.map((c) => c[2]!)], xs);
}

function time(f: () => unknown): { median: number; first: number; runs: number[] } {
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    runs.push((performance.now() - t0) / 1000);
  }
  const first = runs[0]!;
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, first, runs };
}

// A fresh process per cold run: no interned atoms, no cached univariate derivatives, no JIT.
const once = process.argv.find((a) => a.startsWith('--once='))?.slice(7);
if (once) {
  const t0 = performance.now();
  if (once === 'coef') coefficients(4); else modified2();
  console.log((performance.now() - t0) / 1000);
  process.exit(0);
}
function coldMedian(what: string, n: number): number {
  const ts: number[] = [];
  for (let r = 0; r < n; r++) {
    const c = spawnSync(process.execPath, ['--import', 'tsx', 'bench/derive.ts', '1', `--once=${what}`], { encoding: 'utf8' });
    ts.push(Number(c.stdout.trim()));
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(n / 2)]!;
}

const coef = time(() => coefficients(4));
const mod = time(() => modified2());
const full = time(() => derive({ layer: 'ff', dim: d, g: 'tanh(z)' }, 3));

const py = spawnSync('/usr/bin/python3', ['bench/derive_sympy.py', String(Math.min(reps, 5))], { encoding: 'utf8' });
if (py.status !== 0) {
  console.error(py.stderr);
  process.exit(1);
}
const sym = JSON.parse(py.stdout) as { coefficients_F1_F4: number; modified_order2: number; point: Record<string, number>; F4_1: number; f2_1: number };

// Same values: evaluate our F4[1] and f2[1] at SymPy's point.
const pt = sym.point;
const vars = Object.keys(pt);
const args = vars.map((v) => pt[v]!);
const one = new Float64Array(1);
compilePolys([coefficients(4)[0]![4]!], vars)(args, one);
const ourF4 = one[0]!;
compilePolys([modified2()[1]![0]!], vars)(args, one);
const ourF2 = one[0]!;

const coldN = Math.min(reps, 5);
const coldCoef = coldMedian('coef', coldN), coldMod = coldMedian('mod', coldN);
const row = (name: string, ours: { median: number }, cold: number, theirs: number) =>
  `${name.padEnd(28)} ours cold ${(cold * 1e3).toFixed(1).padStart(7)} ms, warm ${(ours.median * 1e3).toFixed(1).padStart(6)} ms | SymPy ${(theirs * 1e3).toFixed(1).padStart(7)} ms | ratio SymPy/ours: cold ${(theirs / cold).toFixed(1)}x, warm ${(theirs / ours.median).toFixed(0)}x`;
console.log(`derive bench, d = 3 FF layer, g = tanh, symbolic A (3x3) and beta; medians of ${reps} (SymPy: ${Math.min(reps, 5)}, cache cleared)`);
console.log(`cold = median of ${coldN} fresh processes (nothing cached); warm = median of ${reps} in-process repeats (univariate derivatives and atoms cached)`);
console.log(row('F1..F4 (eps-series)', coef, coldCoef, sym.coefficients_F1_F4));
console.log(row('modified equation, order 2', mod, coldMod, sym.modified_order2));
console.log(`full derive --dim 3 --order 3 incl. verification: ${(full.median * 1e3).toFixed(0)} ms (first ${(full.first * 1e3).toFixed(0)} ms)`);
console.log(`agreement at SymPy's point: F4[1] ours ${ourF4} vs SymPy ${sym.F4_1} (rel ${(Math.abs(ourF4 - sym.F4_1) / Math.abs(sym.F4_1)).toExponential(1)}); ` +
  `f2[1] ours ${ourF2} vs SymPy ${sym.f2_1} (rel ${(Math.abs(ourF2 - sym.f2_1) / Math.abs(sym.f2_1)).toExponential(1)})`);
