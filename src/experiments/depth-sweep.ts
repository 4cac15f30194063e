/**
 * Depth sweeps: run a discrete net at depths N over a ladder (h = T/N), measure its error
 * against a target (the ODE's tight DOPRI5 solution, or the modified equation's), and certify
 * the order with `certifyOrder`. Pure functions from a config to a result object.
 *
 * The reference error enters the certificate as its floor: the reference is solved at rtol,
 * 10·rtol and 100·rtol, and its error is bounded by max(|x(rtol) − x(10·rtol)|,
 * |x(rtol) − x(100·rtol)|/10). DOPRI5's global error scales about linearly with the
 * tolerance, so this is ≈ 9–10× the error; the bound needs only that the looser solutions'
 * errors are at least about twice the fine one, and two of them, so that one whose error
 * happens to cancel does not hide it. Errors below the bound are round-off-floor points, since
 * they measure the reference rather than the net. Where f has kinks in t (piecewise-linear
 * weights) the error of a step across one is not what the embedded estimate controls, and
 * the global error stops scaling with the tolerance: pass them as `tstops`. Measured on 51
 * seeded kinked problems × 4 tolerances: with tstops the error is 0.2–1× rtol and the bound
 * holds in 203 of 204 cases (worst 1.6× the bound); without, the error is 5–5000× rtol and
 * |x(rtol) − x(100·rtol)|/100, the proportional estimate, is off by up to 660×.
 */
import { certifyOrder, type OrderCertificate } from '../numeric/certify.ts';
import { dopri5, type DenseSolution } from '../numeric/ode/dopri5.ts';
import { hamiltonianNetField, ruseckasField } from '../numeric/schemes/fields.ts';
import { forwardFinal, makeScheme, sampleParams, SCHEME_NAMES } from '../numeric/schemes/net.ts';
import type { Scheme } from '../numeric/schemes/types.ts';
import type { Field } from '../numeric/types.ts';
import { EPS, maxAbsDiff } from '../util/approx.ts';
import { quote, UserError } from '../util/errors.ts';
import { compileProblem, modifiedField, substituteSymbol, type CompiledProblem, type ProblemText } from './sweep-problem.ts';
import { C12_PROBLEM, doublings, validateDepths } from './defaults.ts';
import { inferOrder, type OrderInference } from '../symbolic/order.ts';

export { C12_PROBLEM, doublings, validateDepths };

export const DEFAULT_REFERENCE = { rtol: 1e-12, atol: 1e-14 } as const;

/** Progress callback: `done` of `total` depths finished, the last one N with error err. */
export type Progress = (done: number, total: number, N: number, err: number) => void;

/** A certified error ladder. */
export interface Ladder {
  label: string;
  depths: number[];
  h: number[];
  err: number[];
  certificate: OrderCertificate;
}

/** Powers of two 2^a … 2^b. */
export function powersOfTwo(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, k) => 2 ** (a + k));
}

/**
 * Run `error(N)` over the ladder and certify the expected order.
 * Arguments: label, depths (validated), T, expected order p, error(N) ≥ 0, certify options.
 */
export function runLadder(spec: {
  label: string; depths: readonly number[]; T: number; expected: number; error: (N: number) => number;
  floor?: number; scale?: number; onProgress?: Progress;
}): Ladder {
  const depths = validateDepths(spec.depths);
  const err: number[] = [];
  depths.forEach((N, i) => {
    const e = spec.error(N);
    err.push(e);
    spec.onProgress?.(i + 1, depths.length, N, e);
  });
  const h = depths.map((N) => spec.T / N);
  const certificate = certifyOrder(h, err, spec.expected, {
    ...(spec.floor !== undefined ? { floor: spec.floor } : {}), ...(spec.scale !== undefined ? { scale: spec.scale } : {}),
  });
  return { label: spec.label, depths, h, err, certificate };
}

export interface Reference {
  x: Float64Array;
  dense?: DenseSolution;
  rtol: number;
  atol: number;
  steps: number;
  /** max(|x(rtol) − x(10·rtol)|_∞, |x(rtol) − x(100·rtol)|_∞ / 10): a bound on the error of x. */
  errorEstimate: number;
  /** The certificate floor derived from it: max(errorEstimate, 1e3·ε·scale). */
  floor: number;
  scale: number;
}

/**
 * The target x(T) of dx/dt = f by DOPRI5 at tight tolerance, with its error estimate.
 * `tstops`: the times where f has a kink or jump in t (integrated piece by piece, see dopri5).
 */
export function referenceSolution(f: Field, T: number, x0: Float64Array, opts: { rtol?: number; atol?: number; dense?: boolean; tstops?: readonly number[] } = {}): Reference {
  const rtol = opts.rtol ?? DEFAULT_REFERENCE.rtol, atol = opts.atol ?? DEFAULT_REFERENCE.atol;
  const stops = opts.tstops ? { tstops: opts.tstops } : {};
  const fine = dopri5(f, 0, T, x0, { rtol, atol, dense: opts.dense ?? false, ...stops });
  let errorEstimate = 0, scale = 1;
  for (const k of [10, 100]) {
    const coarse = dopri5(f, 0, T, x0, { rtol: k * rtol, atol: k * atol, ...stops });
    errorEstimate = Math.max(errorEstimate, (10 * maxAbsDiff(fine.x, coarse.x)) / k);
  }
  for (let i = 0; i < x0.length; i++) scale = Math.max(scale, Math.abs(fine.x[i]!));
  const ref: Reference = {
    x: fine.x, rtol, atol, steps: fine.steps, errorEstimate, scale,
    floor: Math.max(errorEstimate, 1e3 * EPS * scale),
  };
  if (fine.dense) ref.dense = fine.dense;
  return ref;
}

export type SweepScheme = (typeof SCHEME_NAMES)[number] | 'map';
export type Against = 'ode' | 'modified';

export interface SchemeSweepConfig extends ProblemText {
  /**
   * ff | euler | heun | midpoint | rk4 for g/A/beta problems; 'map' for --map problems;
   * 'verlet' reads g/A/beta as the Hamiltonian network ẋ = A g(Aᵀp + β), ṗ = −A g(Aᵀx + β)
   * on (x, p) (`hamiltonianNetProblem`).
   */
  scheme: SweepScheme;
  /** The initial momentum p(0) of a 'verlet' sweep (d numbers; default 0). */
  p0?: readonly number[];
  against: Against;
  depths: readonly number[];
  reference?: { rtol?: number; atol?: number };
  /**
   * The order to certify against (ODE or modified-equation target), overriding the derived
   * one: the scheme's declared order, or for a map the one `inferOrder` (symbolic/order.ts)
   * reads off its ε-series. The derived order is still reported beside it (`expectation`).
   */
  expected?: number;
  /**
   * Negative control: a mis-scaled residual, each layer stepping scale·h^power instead of h
   * (parameters still sampled on the h-grid), e.g. x + 2h f or x + h^0.5 f. Default 1, 1.
   */
  residual?: { scale?: number; power?: number };
  onProgress?: Progress;
}

/** The order a sweep certifies against, and where it came from. */
export interface Expectation {
  order: number;
  /** 'declared' by a built-in scheme, 'inferred' from the map's ε-series, or 'given' (`expected`, `converge --expect`). */
  source: 'declared' | 'inferred' | 'given';
  /** The built-in scheme's order against this target. */
  declared?: number;
  /** For a map: what `inferOrder` found, or why it could not (only possible when the order was given). */
  inferred?: OrderInference | { error: string };
  /** One line, e.g. "2, inferred: Φ_ε first differs from … at ε³ …". */
  text: string;
}

export interface SchemeSweepResult extends Ladder {
  scheme: SweepScheme;
  against: Against;
  expected: number;
  expectation: Expectation;
  T: number;
  x0: number[];
  /** x_N for each depth. */
  finals: number[][];
  /** The ODE target (against = 'ode'), or the modified-equation target per depth. */
  targets: number[][];
  reference: { rtol: number; atol: number; steps: number; errorEstimate: number; floor: number; scale: number; x: number[] };
  /** f₁, f₂ and the modified-equation correction as text. */
  text: CompiledProblem['text'];
}

/** The net x_N(N) of a compiled problem under a scheme (forward pass only, O(d) state memory). */
export function makeNet(problem: CompiledProblem, scheme: SweepScheme, residual: { scale?: number; power?: number } = {}, p0?: readonly number[]): { order: number | null; run: (N: number, out: Float64Array) => void } {
  const { d, T } = problem;
  let x0 = problem.x0;
  const scale = residual.scale ?? 1, power = residual.power ?? 1;
  if (!(Number.isFinite(scale) && scale > 0 && Number.isFinite(power) && power > 0)) {
    throw new UserError(`residual scale and power must be positive and finite, got ${scale}, ${power}`);
  }
  if (scheme === 'map') {
    const a = new Float64Array(d), b = new Float64Array(d);
    return {
      order: null, // a map declares no order: `expectedOrder` infers it from its ε-series
      run(N, out) {
        const h = T / N, eps = scale * h ** power;
        let cur = a, nxt = b;
        cur.set(x0);
        for (let l = 0; l < N; l++) {
          problem.layer(l * h, eps, cur, nxt);
          for (let i = 0; i < d; i++) {
            if (!Number.isFinite(nxt[i]!)) throw new UserError(`map: the trajectory diverged at layer ${l + 1} of ${N} (t = ${(l + 1) * h})`);
          }
          const tmp = cur; cur = nxt; nxt = tmp;
        }
        out.set(cur);
      },
    };
  }
  let s: Scheme, theta: (t: number, out: Float64Array) => void;
  if (scheme === 'verlet') {
    const hp = hamiltonianNetProblem(problem, p0);
    s = makeScheme('verlet', hp.field);
    theta = problem.theta!;
    x0 = hp.y0;
  } else if (problem.field) {
    if (scheme === 'ff') throw new UserError(`scheme ff is the FF layer of --g/--A/--beta; a field takes euler, heun, midpoint or rk4`);
    s = makeScheme(scheme, problem.field);
    theta = () => {};
  } else {
    if (!problem.theta || !problem.g) throw new UserError(`scheme ${scheme} needs --g (with --A, --beta); use --scheme map with --map`);
    s = makeScheme(scheme, ruseckasField(d, problem.g), problem.g);
    theta = problem.theta;
  }
  return {
    order: s.order,
    run(N, out) {
      const th = sampleParams(s, { N, T }, theta);
      if (scale !== 1 || power !== 1) {
        scaledRun(s, x0, th, N, T, scale * (T / N) ** power, out);
        return;
      }
      try {
        forwardFinal(s, x0, th, { N, T }, out);
      } catch (e) {
        if (e instanceof UserError) throw new UserError(`${scheme} net with N = ${N} layers diverged: ${e.message.replace(/^[\w-]+: /, '')}`);
        throw e;
      }
    },
  };
}

/** N layers of `s` on the h = T/N grid, each stepping `step` instead of h (mis-scaled residual); final state into out. */
export function scaledRun(s: Scheme, x0: Float64Array, theta: Float64Array, N: number, T: number, step: number, out: Float64Array): void {
  const h = T / N, d = x0.length, LP = s.field.paramDim * s.stageTimes.length;
  let cur = Float64Array.from(x0), nxt = new Float64Array(d);
  for (let l = 0; l < N; l++) {
    s.step(l * h, step, cur, theta, l * LP, nxt);
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(nxt[i]!)) throw new UserError(`${s.name}: the trajectory diverged at layer ${l + 1} of ${N} (t = ${(l + 1) * h})`);
    }
    const tmp = cur; cur = nxt; nxt = tmp;
  }
  out.set(cur);
}

/**
 * Depth sweep of one scheme on a text problem: errors |x_N − x(T)|_∞ against the ODE or against
 * the modified equation's flow at ε = T/N (built-in schemes: first-order ones only), certified
 * at the order `expectedOrder` gives (declared, inferred from a map's ε-series, or given).
 */
export function schemeSweep(cfg: SchemeSweepConfig): SchemeSweepResult {
  if (!(['map', ...SCHEME_NAMES] as string[]).includes(cfg.scheme)) {
    throw new UserError(`unknown scheme ${quote(cfg.scheme)} (known: ${SCHEME_NAMES.join(', ')}, map)`);
  }
  if (cfg.against !== 'ode' && cfg.against !== 'modified') throw new UserError(`--against must be ode or modified, got ${quote(String(cfg.against))}`);
  if (cfg.map && cfg.scheme !== 'map') throw new UserError(`--map defines its own layer: use --scheme map (got ${cfg.scheme})`);
  if (cfg.field && cfg.scheme === 'map') throw new UserError('--scheme map takes --map; a field takes euler, heun, midpoint or rk4');
  if (!cfg.map && cfg.scheme === 'map') throw new UserError('--scheme map needs --map');
  const depths = validateDepths(cfg.depths);
  if (cfg.p0 !== undefined && cfg.scheme !== 'verlet') throw new UserError(`--p0 is the initial momentum of --scheme verlet, not of ${cfg.scheme}`);
  const layer = cfg.scheme === 'euler' ? 'euler' : 'ff';
  const problem = compileProblem(cfg, { layer });
  const net = makeNet(problem, cfg.scheme, cfg.residual, cfg.p0);
  // Verlet runs the Hamiltonian network on (x, p): its own ODE, initial state and text
  const hp = cfg.scheme === 'verlet' ? hamiltonianNetProblem(problem, cfg.p0) : undefined;
  const start = hp?.y0 ?? problem.x0;
  if (cfg.against === 'modified' && net.order !== null && net.order !== 1) {
    throw new UserError(`--against modified needs a first-order layer (ff, euler, map); ${cfg.scheme} has order ${net.order}`);
  }
  const expectation = expectedOrder(problem, cfg.scheme, cfg.against, net.order, cfg.expected);
  const rtol = cfg.reference?.rtol ?? DEFAULT_REFERENCE.rtol, atol = cfg.reference?.atol ?? DEFAULT_REFERENCE.atol;
  const ref = referenceSolution(hp?.ode ?? problem.ode, problem.T, start, { rtol, atol });
  const xN = new Float64Array(start.length);
  const finals: number[][] = [], targets: number[][] = [];
  const expected = expectation.order;
  let floor = ref.floor;
  const ladder = runLadder({
    label: `${cfg.scheme} vs ${cfg.against === 'ode' ? 'ODE' : 'modified equation'}`,
    depths, T: problem.T, expected, scale: ref.scale,
    error(N) {
      net.run(N, xN);
      finals.push(Array.from(xN));
      let target = ref.x;
      if (cfg.against === 'modified') {
        const m = referenceSolution(modifiedField(problem, problem.T / N), problem.T, problem.x0, { rtol, atol });
        target = m.x;
        floor = Math.max(floor, m.floor);
      }
      targets.push(Array.from(target));
      return maxAbsDiff(xN, target);
    },
    ...(cfg.onProgress ? { onProgress: cfg.onProgress } : {}),
  });
  // Re-certify with the floor known after all targets were solved (the modified targets add theirs).
  const certificate = certifyOrder(ladder.h, ladder.err, expected, { floor, scale: ref.scale });
  return {
    ...ladder, certificate, scheme: cfg.scheme, against: cfg.against, expected, expectation, T: problem.T, x0: Array.from(start),
    finals, targets, text: hp?.text ?? problem.text,
    reference: { rtol, atol, steps: ref.steps, errorEstimate: ref.errorEstimate, floor, scale: ref.scale, x: Array.from(ref.x) },
  };
}

/**
 * A g/A/β problem read as the Hamiltonian network of Ruthotto–Haber with K(t) = A(t) (d×d),
 * b(t) = β(t), σ = g: ẋ = K g(Kᵀp + b), ṗ = −K g(Kᵀx + b) on y = (x, p) ∈ ℝ^{2d}, y(0) = (x0, p0)
 * (p0 = 0 by default). The 'verlet' scheme's problem: its field (separable), the ODE for the
 * reference, the initial state and the equations as text.
 */
export function hamiltonianNetProblem(problem: CompiledProblem, p0?: readonly number[]): { field: ReturnType<typeof hamiltonianNetField>; ode: Field; y0: Float64Array; text: CompiledProblem['text'] } {
  const { d } = problem;
  if (!problem.theta || !problem.g) throw new UserError('scheme verlet runs the Hamiltonian network of --g, --A, --beta (K = A, b = β, σ = g); give those, not --map or --field');
  const p = p0 ?? new Array<number>(d).fill(0);
  if (p.length !== d) throw new UserError(`--p0 has ${p.length} component(s), but --x0 has ${d}: the momentum has the state's dimension`);
  p.forEach((v, i) => { if (!Number.isFinite(v)) throw new UserError(`--p0: component ${i + 1} is not finite (${v})`); });
  const field = hamiltonianNetField(d, d, problem.g);
  const th = new Float64Array(field.paramDim), theta = problem.theta;
  const ode: Field = (t, y, out) => { theta(t, th); field.eval(t, y, th, 0, out); };
  const y0 = Float64Array.from([...problem.x0, ...p]);
  // ẋ_i = Σ_j A_ij g(Σ_k A_kj p_k + β_j), ṗ_i = −Σ_j A_ij g(Σ_k A_kj x_k + β_j), from the text of A, β, g
  const { A, beta, g } = problem.parameterText!;
  const xs = problem.stateVars, ps = xs.map((x) => x.replace(/^x/, 'p'));
  const force = (u: string[], i: number) => Array.from({ length: d }, (_, j) => {
    const z = [...u.map((uk, k) => `(${A[k * d + j]})*${uk}`), `(${beta[j]})`].join(' + ');
    return `(${A[i * d + j]})*(${substituteSymbol(g, 'z', z)})`;
  }).join(' + ');
  const f1 = [...xs.map((_, i) => force(ps, i)), ...xs.map((_, i) => `-(${force(xs, i)})`)];
  return { field, ode, y0, text: { f1, f2: [], correction: [], map: [] } };
}

/**
 * The order a sweep certifies against: `expect` (the config's `expected`) when given; else a built-in scheme's declared
 * order (2 against the modified equation); else, for a map, `inferOrder` on its ε-series with
 * the problem's constants. A given order is used as given, the derived one is kept beside it.
 */
export function expectedOrder(problem: CompiledProblem, scheme: SweepScheme, against: Against, declaredOrder: number | null, expect?: number): Expectation {
  if (expect !== undefined && !(Number.isFinite(expect) && expect > 0)) throw new UserError(`--expect must be a positive number, got ${expect}`);
  const declared = declaredOrder === null ? undefined : against === 'ode' ? declaredOrder : 2;
  let inferred: OrderInference | { error: string } | undefined;
  if (declared === undefined) {
    try {
      inferred = inferOrder({ layer: 'map', dim: problem.d, map: problem.text.map.join('; ') }, { against, constants: problem.constants });
    } catch (e) {
      if (!(e instanceof UserError) || expect === undefined) throw e;
      inferred = { error: e.message };
    }
  }
  const derivedOrder = declared ?? (inferred && 'order' in inferred ? inferred.order : undefined);
  const derived = declared !== undefined ? `declared by the ${scheme} scheme${against === 'modified' ? ' against its modified equation' : ''}`
    : inferred && 'order' in inferred ? `inferred from the map's ε-series${inferred.atLeast ? ' (a lower bound)' : ''}: ${inferred.reason}` : `not inferred: ${inferred!.error}`;
  const base = { ...(declared !== undefined ? { declared } : {}), ...(inferred ? { inferred } : {}) };
  if (expect !== undefined) {
    const own = derivedOrder === undefined ? `the layer's own order is unknown (${derived})`
      : `the layer's own order is ${derivedOrder}${derivedOrder === expect ? '' : ' (DIFFERENT)'}, ${derived}`;
    return { order: expect, source: 'given', ...base, text: `${expect} (given; ${own})` };
  }
  return { order: derivedOrder!, source: declared !== undefined ? 'declared' : 'inferred', ...base, text: `${derivedOrder} (${derived})` };
}
