/**
 * Data for the convergence figures: (1) the error ladders of every scheme on one text problem
 * (error vs depth with certified slopes), and (2) one coarse net's layer states next to the ODE
 * trajectory and the modified equation's trajectory at ε = T/N, which the net tracks to O(ε²).
 */
import type { OrderCertificate } from '../numeric/certify.ts';
import { dopri5 } from '../numeric/ode/dopri5.ts';
import { ruseckasField } from '../numeric/schemes/fields.ts';
import { forward, makeScheme, sampleParams } from '../numeric/schemes/net.ts';
import { UserError } from '../util/errors.ts';
import { schemeSweep, type Against, type Progress, type SchemeSweepResult, type SweepScheme } from './depth-sweep.ts';
import { compileProblem, modifiedField, type ProblemText } from './sweep-problem.ts';

const SCHEME_LABEL: Record<SweepScheme, string> = { ff: 'FF', euler: 'Euler', heun: 'Heun', midpoint: 'midpoint', rk4: 'RK4', verlet: 'Verlet', map: 'map' };

export interface ErrorVsDepthData {
  title: string;
  /** Axis title of the error (TeX, whole string in $…$); default ‖x_N − x(T)‖∞. */
  yTitle?: string;
  /** Reference slopes drawn (default: the expected order of every series that did not come out inconclusive). */
  referenceSlopes?: number[];
  /** scheme/against are set for scheme sweeps; other ladders (claims' controls) carry only a label. */
  series: { label: string; scheme?: SweepScheme; against?: Against; depths: number[]; h: number[]; err: number[]; certificate: OrderCertificate }[];
}

/** One ladder per (scheme, target) on the same problem. */
export function schemeLadders(problem: ProblemText, runs: { scheme: SweepScheme; against: Against; depths: readonly number[]; rtol?: number }[],
  onProgress?: (line: string) => void): ErrorVsDepthData {
  const series = runs.map((r) => {
    const res = schemeSweep({
      ...problem, scheme: r.scheme, against: r.against, depths: r.depths,
      ...(r.rtol ? { reference: { rtol: r.rtol, atol: r.rtol * 1e-2 } } : {}),
      ...(onProgress ? { onProgress: ((_d, _t, N, e) => onProgress(`${r.scheme} vs ${r.against}: N = ${N}, error ${e.toExponential(3)}`)) as Progress } : {}),
    });
    return ladderSeries(res);
  });
  return { title: 'error vs depth', series };
}

/** One scheme sweep as a series of the error-vs-depth figure. */
export function ladderSeries(res: SchemeSweepResult): ErrorVsDepthData['series'][number] {
  const label = `${SCHEME_LABEL[res.scheme]} vs ${res.against === 'ode' ? 'ODE' : 'modified eq.'}`;
  return { label, scheme: res.scheme, against: res.against, depths: res.depths, h: res.h, err: res.err, certificate: res.certificate };
}

export interface NetVsOdeData {
  N: number;
  T: number;
  scheme: SweepScheme;
  /** Layer states x_0 … x_N at t_l = lT/N. */
  net: { t: number[]; x: number[][] };
  /** The ODE and the modified equation (ε = T/N), sampled densely. */
  ode: { t: number[]; x: number[][] };
  modified: { t: number[]; x: number[][] };
  /** |x_N − x(T)|_∞ and |x_N − x̃(T)|_∞. */
  errOde: number;
  errModified: number;
}

/** The net at depth N (ff or euler) beside the ODE and the modified equation's trajectories. */
export function netVsOdeVsModified(problem: ProblemText, opts: { N: number; scheme?: 'ff' | 'euler'; samples?: number }): NetVsOdeData {
  const scheme = opts.scheme ?? 'ff', N = opts.N, samples = opts.samples ?? 200;
  if (!Number.isInteger(N) || N <= 0) throw new UserError(`N must be a positive integer, got ${N}`);
  const p = compileProblem(problem, { layer: scheme });
  if (!p.theta || !p.g) throw new UserError('net-vs-ode needs a --g/--A/--beta problem');
  const s = makeScheme(scheme, ruseckasField(p.d, p.g), p.g);
  const xs = forward(s, p.x0, sampleParams(s, { N, T: p.T }, p.theta), { N, T: p.T });
  const net = { t: [] as number[], x: [] as number[][] };
  for (let l = 0; l <= N; l++) { net.t.push((l * p.T) / N); net.x.push(Array.from(xs.subarray(l * p.d, (l + 1) * p.d))); }
  const sample = (f: typeof p.ode) => {
    const sol = dopri5(f, 0, p.T, p.x0, { rtol: 1e-12, atol: 1e-14, dense: true });
    const out = { t: [] as number[], x: [] as number[][] };
    const y = new Float64Array(p.d);
    for (let k = 0; k <= samples; k++) { const t = (k * p.T) / samples; sol.dense!.eval(t, y); out.t.push(t); out.x.push(Array.from(y)); }
    return { out, end: sol.x };
  };
  const ode = sample(p.ode), mod = sample(modifiedField(p, p.T / N));
  const last = net.x[N]!;
  const dist = (a: ArrayLike<number>) => Math.max(...last.map((v, i) => Math.abs(v - a[i]!)));
  return { N, T: p.T, scheme, net, ode: ode.out, modified: mod.out, errOde: dist(ode.end), errModified: dist(mod.end) };
}
