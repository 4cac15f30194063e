/**
 * Upper bounds of the counts a command takes (depths, fine steps, weight intervals, data rows and
 * inputs, iterations), derived from an estimate of the memory and time they need and checked
 * before any work: `stability --ny 1000000000` used to eat 6 GB before it failed. Each command's
 * cost model lives here, one per quantity, with constants measured on this machine kind (2 cores,
 * Node 20): growth of the peak RSS and of the user CPU time between a small and a large run,
 * rounded up. The estimates are ≈ (within a factor of about 2), so the budget leaves room.
 */
import { UserError } from '../util/errors.ts';

/** What one command may use: half of Node's default heap limit here (4 GB), and 4 hours. */
export const BUDGET: Readonly<Cost> = { bytes: 2 * 2 ** 30, seconds: 4 * 3600 };

export interface Cost {
  bytes: number;
  seconds: number;
}

const KIB = 1024;

function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return '∞ B'; // the estimate overflowed (it printed 'Infinity EB')
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let k = 0;
  while (b >= 1000 && k < units.length - 1) { b /= 1000; k++; }
  return `${b >= 100 || k === 0 ? Math.round(b) : b.toPrecision(2)} ${units[k]}`;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '∞ s';
  const steps: [number, string][] = [[365.25 * 86400, 'years'], [86400, 'days'], [3600, 'h'], [60, 'min'], [1, 's']];
  const [u, name] = steps.find(([u]) => s >= u) ?? [1, 's'];
  const v = s / u;
  return `${v >= 1e4 ? v.toExponential(0).replace('+', '') : v >= 100 ? Math.round(v) : v.toPrecision(2)} ${name}`;
}

/** A count as a person would type it: 2048, 16777216, but 1e9 rather than 1000000000. */
export function fmtCount(n: number): string {
  const plain = String(n);
  if (!Number.isInteger(n) || Math.abs(n) < 1e6) return plain;
  const e = n.toExponential().replace('+', '');
  return e.length < plain.length ? e : plain;
}

/** The largest n in [1, hi] whose cost fits the budget (cost non-decreasing in n); 0 when none does. */
export function largestWithin(cost: (n: number) => Cost, budget: Cost = BUDGET, hi = Number.MAX_SAFE_INTEGER): number {
  const fits = (n: number) => { const c = cost(n); return c.bytes <= budget.bytes && c.seconds <= budget.seconds; };
  if (!fits(1)) return 0;
  let lo = 1, up = 2;
  while (up < hi && fits(up)) { lo = up; up = Math.min(hi, up * 2); }
  if (up >= hi && fits(hi)) return hi;
  while (up - lo > 1) {
    const mid = Math.floor((lo + up) / 2);
    if (fits(mid)) lo = mid; else up = mid;
  }
  return lo;
}

/** One count of a command: the option that sets it, its value, and how to name it. */
export interface Quantity {
  option: string;
  value: number;
  /** How the value is shown (default fmtCount(value)), e.g. 'up to 1.68e7' for a depth ladder. */
  shown?: string;
  /** The unit of "at most N" (default none), e.g. 'rows'. */
  unit?: string;
}

/**
 * Refuse a run whose estimated cost exceeds the budget, naming the count to blame, e.g.
 * `--ny 1e9 needs ≈ 940 GB of memory (the budget is 2.1 GB); at most 2284556`. `cost(values)`
 * is the estimate at the given values (in the order of `quantities`). The count blamed is the
 * first that exceeds the budget even with every other count at 1; else (a combination is too
 * big) the first one given. "At most" is its largest value with the others as given (or at 1
 * when the others as given leave no room). `budget` replaces the default one, `raise` says how
 * the user raises it (e.g. 'raise it with --budget-seconds').
 */
export function withinBudget(quantities: readonly Quantity[], cost: (values: number[]) => Cost, budget: Readonly<Cost> = BUDGET, raise = ''): void {
  const values = quantities.map((q) => q.value);
  const fits = (c: Cost) => c.bytes <= budget.bytes && c.seconds <= budget.seconds;
  const c = cost(values);
  if (fits(c)) return;
  const withOne = (i: number, n: number, others: 'given' | 'one') => quantities.map((q, k) => (k === i ? n : others === 'given' ? q.value : 1));
  let i = quantities.findIndex((q, k) => !fits(cost(withOne(k, q.value, 'one'))));
  if (i < 0) i = 0;
  const q = quantities[i]!;
  let max = largestWithin((n) => cost(withOne(i, n, 'given')), budget, q.value);
  if (max === 0) max = largestWithin((n) => cost(withOne(i, n, 'one')), budget, q.value);
  const over = [
    ...(c.bytes > budget.bytes ? [`≈ ${fmtBytes(c.bytes)} of memory (the budget is ${fmtBytes(budget.bytes)})`] : []),
    ...(c.seconds > budget.seconds ? [`≈ ${fmtSeconds(c.seconds)} (the budget is ${fmtSeconds(budget.seconds)}${raise ? `; ${raise}` : ''})`] : []),
  ];
  throw new UserError(`${q.option} ${q.shown ?? fmtCount(q.value)} needs ${over.join(' and ')}; at most ${max}${q.unit ? ` ${q.unit}` : ''}`);
}

/** Every depth of a ladder capped at n: the cost of the ladder whose finest depth is n. */
export const capDepths = (depths: readonly number[], n: number): number[] => depths.map((N) => Math.min(N, n));

/** A depth ladder as a count: its finest depth. */
export const depthsQuantity = (depths: readonly number[]): Quantity => {
  const max = Math.max(...depths);
  return { option: '--depths', value: max, shown: `up to ${fmtCount(max)}` };
};

/**
 * `stability --study jacobian` on Zhang's net in dimension d: per fine step the trajectory, the
 * spectrum (re, im) and the summary values as JS arrays and a printed table row; (nTh + 1)(d² + d)
 * weights. Measured at d = 4, nY = 10⁶: 0.44 kB and 13 µs per fine step; d = 12, nY = 10⁵: 1.2 kB
 * and 70 µs (the d³ eigenvalue solve).
 */
export function jacobianCost(d: number, nTh: number, nY: number): Cost {
  const P = d * d + d;
  return { bytes: nY * (400 + 70 * d) + 8 * (nTh + 1) * P, seconds: nY * (10 + 0.035 * d ** 3) * 1e-6 + (nTh + 1) * P * 1e-8 };
}

/** Stages per layer (the Runge–Kutta tableaux of src/numeric/schemes; a map is one evaluation). */
const STAGES: Readonly<Record<string, number>> = { ff: 1, euler: 1, heun: 2, midpoint: 2, rk4: 4, verlet: 3, map: 1 };
export const stagesOf = (scheme: string): number => (Object.hasOwn(STAGES, scheme) ? STAGES[scheme]! : 4);

/**
 * `converge`: at the finest depth N the net's parameters θ, N·S·(d² + d) numbers for an S-stage
 * scheme in dimension d (none for a map), plus a few per layer; ΣN·S field evaluations of O(d²).
 * Measured (RK4, d = 2, depths 4 … 2²²): 200 B per layer of the finest depth, 0.7 µs per layer.
 */
export function sweepCost(depths: readonly number[], stages: number, d: number, map: boolean): Cost {
  const Nmax = Math.max(...depths), steps = depths.reduce((a, b) => a + b, 0);
  return { bytes: Nmax * ((map ? 0 : 8 * stages * (d * d + d)) + 32), seconds: steps * stages * (0.1 + 0.02 * d * d) * 1e-6 };
}

/**
 * `adjoint-gap` (d = 3, 12 parameters per stage): the forward states, stage values and weights
 * kept for the backward pass at the finest depth, one scheme at a time. Measured (RK4, depths
 * 8 … 2²⁰): 760 B per layer of the finest depth, 4 µs per layer.
 */
export function adjointGapCost(depths: readonly number[], schemes: number): Cost {
  const Nmax = Math.max(...depths), steps = depths.reduce((a, b) => a + b, 0);
  return { bytes: Nmax * 800, seconds: schemes * steps * 5e-6 };
}

/**
 * `backprop` (API) at depth N: states, stage values, per-stage weights and their gradients kept
 * for the backward pass, then the costates p_l and per-layer gradients as JS arrays. Measured
 * (RK4, d = 3, P = 3, N = 10⁵ … 10⁶): 330–540 B and 2.8–4.4 µs per layer.
 */
export function backpropCost(N: number, d: number, stages: number, P: number): Cost {
  return { bytes: N * (8 * (2 * stages * P + (stages + 2) * d) + 16 * d + 8 * P + 100), seconds: N * stages * (0.3 + 0.05 * d * (d + P)) * 1e-6 };
}

/**
 * `gamma` at depth n with S samples of d inputs (P = d² + d parameters per layer): L-BFGS keeps 2m
 * vectors (m = 20) of n·P numbers, the forward pass S·d states per layer; an evaluation costs
 * ≈ n·(0.3 µs + 5 ns·S·P), about 2 per iteration, and in the worst case every level runs to
 * --max-iterations. Measured: toy data (S = 7, d = 1), depths 4 … 2¹⁸: 820 B per layer of the
 * finest depth, 0.56 µs per layer and evaluation; S = 256, d = 2, n = 1024: 8 ms per evaluation.
 */
export function gammaCost(depths: readonly number[], S: number, d: number, maxIterations: number): Cost {
  const P = d * d + d, nMax = Math.max(...depths), sumN = depths.reduce((a, b) => a + b, 0);
  return { bytes: 8 * nMax * (2 * 20 * P + 4 * S * d + 10 * P), seconds: maxIterations * 2 * sumN * (0.3e-6 + 5e-9 * S * P) };
}

/** `derive`'s default time budget (the user raises it with --budget-seconds). */
export const DERIVE_SECONDS = 600;

/**
 * `derive` to order k in dimension d (FF layer with symbolic A and β and tanh, the common worst
 * case; numeric A and β cost 2–5 times less): the modified-equation recursion takes
 * t_m ≈ 35 ms·d^1.4·(1.75·d^1.2)^(k−4), measured at (d, k) = (1, 4…8), (2, 4…7), (4, 4…6),
 * (6, 4), each within a factor 2.5; the whole run (Taylor series, recursion, the
 * elementary-differential flow check, route 2, ladders) ≈ 3·t_m. Memory follows the number of
 * terms built, ≈ 10 MB per second of t_m. Below k = 4 at large d the output itself bounds it:
 * f_k has ≳ d^k terms per component, ≈ 50 µs each (d = 6, k = 4: 20 622 terms, 0.42 s).
 */
export function deriveCost(d: number, k: number): Cost {
  const tm = Math.max(0.035 * d ** 1.4 * (1.75 * d ** 1.2) ** (k - 4), 5e-5 * d ** (k + 1));
  return { bytes: 50e6 + 1e7 * tm, seconds: 3 * tm };
}
