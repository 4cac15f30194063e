/**
 * Benchmark: the exact-rational fast path (pairs of safe-integer numbers, BigInt only on
 * overflow) against the BigInt path forced everywhere (src/symbolic/rational.ts setFastPath),
 * on the derive workloads of bench/derive.ts and the built-ins, and on a decimal-heavy layer whose
 * coefficients outgrow 2^53 (so both modes spend time in BigInt there). Each timing is the exact
 * part of one `derive` call (ε-series and modified equation, where every coefficient operation
 * happens; the numeric verification is left out), in a fresh process (no interned atoms, no
 * cached derivatives), modes interleaved (alternating which goes first); medians of `reps`
 * processes. Then the arithmetic alone, warm, in this process: 300,000 products and sums of
 * small rationals (factorials, integers, 1/k) and of decimal-sized ones (0.123456789^k).
 * Run: node --import tsx bench/rational.ts [reps]
 */
import { spawnSync } from 'node:child_process';
import { derive } from '../src/symbolic/derive.ts';
import type { LayerSpec } from '../src/symbolic/layers.ts';
import { addR, fromNumber, mulR, setFastPath, type Rat } from '../src/symbolic/rational.ts';

const WORKLOADS: Record<string, { spec: LayerSpec; order: number; what: string }> = {
  'tanh-d3': { spec: { layer: 'ff', dim: 3, g: 'tanh(z)' }, order: 3, what: 'FF d = 3, g = tanh, symbolic A, beta, order 3 (bench/derive.ts)' },
  'cubic-d2': { spec: { layer: 'ff', dim: 2, g: '-gamma*z^3' }, order: 3, what: 'FF d = 2, g = -gamma z^3, order 3 (built-in)' },
  'residual-d2': { spec: { layer: 'residual', dim: 2, g: 'tanh(z)' }, order: 3, what: 'residual tanh d = 2, order 3 (built-in)' },
  decimals: {
    spec: { layer: 'ff', dim: 2, g: '0.5*z*(1 + tanh(0.7978845608*(z + 0.044715*z^3)))', A: '0.123, -1.75; 0.31, 0.2718', beta: '0.577, -1.4142' },
    order: 4, what: 'FF d = 2, GELU (tanh form, decimal constants), decimal A and beta, order 4',
  },
};

const once = process.argv.find((a) => a.startsWith('--once='))?.slice(7);
if (once) {
  const [name, mode] = once.split(':') as [string, string];
  const w = WORKLOADS[name]!;
  setFastPath(mode === 'fast');
  const t0 = performance.now();
  const r = derive(w.spec, w.order, { verify: false });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, f: r.modified.map((v) => v.join(';')).join('|') }));
  process.exit(0);
}

const reps = Number(process.argv[2] ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`exact rationals: fast path (numbers, BigInt on overflow) vs BigInt everywhere; series + modified equation of one derive per fresh process, median of ${reps}`);
for (const [name, w] of Object.entries(WORKLOADS)) {
  const ms: Record<string, number[]> = { fast: [], big: [] };
  const f: Record<string, string> = {};
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 ? ['big', 'fast'] : ['fast', 'big']) {
      const c = spawnSync(process.execPath, ['--import', 'tsx', 'bench/rational.ts', `--once=${name}:${mode}`], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(c.stderr);
      const out = JSON.parse(c.stdout) as { ms: number; f: string };
      ms[mode]!.push(out.ms);
      f[mode] = out.f;
    }
  }
  if (f['fast'] !== f['big']) throw new Error(`${name}: the two paths disagree`);
  const fast = median(ms['fast']!), big = median(ms['big']!);
  console.log(`${w.what}\n  fast ${fast.toFixed(0).padStart(6)} ms | BigInt ${big.toFixed(0).padStart(6)} ms | BigInt/fast ${(big / fast).toFixed(2)}x (same f_1..f_k text)`);
}

// The arithmetic alone, warm (after one discarded run per mode).
function arithmetic(vals: Rat[]): number {
  const t0 = performance.now();
  let acc: Rat = [0, 1];
  for (let r = 0; r < 300; r++) for (let i = 0; i < 1000; i++) acc = addR(mulR(vals[i]!, vals[(i * 31) % 1000]!), [1, 2]);
  if (acc[1] === 0) throw new Error('unreachable');
  return performance.now() - t0;
}
const small: Rat[] = Array.from({ length: 1000 }, (_, i) => [((i * 7919) % 97) - 48 || 1, ((i * 104729) % 24) + 1] as Rat);
const decimal: Rat[] = Array.from({ length: 1000 }, (_, i) => fromNumber(Number((0.123456789 ** (1 + (i % 4))).toPrecision(9 + (i % 4)))));
for (const [name, vals] of [['small rationals', small], ['decimal-sized rationals', decimal]] as const) {
  const t: Record<string, number[]> = { fast: [], big: [] };
  for (let r = 0; r < 6; r++) {
    for (const mode of ['fast', 'big']) {
      setFastPath(mode === 'fast');
      const ms = arithmetic(vals);
      if (r > 0) t[mode]!.push(ms);
    }
  }
  const fast = median(t['fast']!), big = median(t['big']!);
  console.log(`300,000 products + sums of ${name}, warm\n  fast ${fast.toFixed(0).padStart(6)} ms | BigInt ${big.toFixed(0).padStart(6)} ms | BigInt/fast ${(big / fast).toFixed(2)}x`);
}
