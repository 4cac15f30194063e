/**
 * The order of a layer's global error, read off its ε-series: `inferOrder`.
 *
 * A near-identity map Φ_ε = x + Σ_j ε^j F_j run N = T/ε times has global error O(ε^{j−1})
 * against the flow of a field when Φ_ε and that field's time-ε flow first differ at ε^j
 * (N local errors of size ε^j). The map's modified equation f_ε = f_1 + ε f_2 + … (whose
 * time-ε flow is Φ_ε to every order, modified.ts) gives that j for every truncated target
 * f_1 + … + ε^{m−1} f_m at once: its flow and Φ_ε first differ at the first j > m with
 * f_j ≢ 0, and there F_j − φ_j = f_j (φ_j the target flow's ε^j coefficient). So
 *   against 'ode'       dx/dt = f_1 = F_1          (m = 1):  order = j − 1, j = first j ≥ 2 with f_j ≢ 0;
 *   against 'modified'  dx/dt = f_1 + ε f_2        (m = 2):  order = j − 1, j = first j ≥ 3 with f_j ≢ 0.
 * (Euler: f_2 ≠ 0, order 1; Heun, midpoint: f_2 = 0 ≠ f_3, order 2; RK4: f_2 = f_3 = f_4 = 0,
 * order 4.) If every f_j up to ε^maxPower vanishes, the order is at least maxPower.
 *
 * Zero test: exact in the polynomial engine. A coefficient whose canonical form is not zero
 * is evaluated at seeded random points (constants at their given values); if it vanishes
 * there to round-off (relative 1e-10 of the sum of its terms' sizes: a zero-equivalent form,
 * e.g. sin²t + cos²t − 1, or constants that cancel, leaves ~n·1e-16, while a nonzero
 * coefficient at a random point is of the size of its terms), it counts as zero and the
 * result says so.
 * Independent exact check for j ≤ 4: the flow of the truncated target by elementary
 * differentials (flowSeries) agrees with F_i below ε^{m+1} and differs from it by f_i up to j.
 */
import { UserError } from '../util/errors.ts';
import { DEFAULT_SEED, makeRng } from '../util/prng.ts';
import { taylorCoefficients } from './derive.ts';
import { buildLayer, TIME, type LayerMap, type LayerSpec } from './layers.ts';
import { flowSeries, modifiedEquation, type Vec } from './modified.ts';
import * as P from './poly.ts';
import { compilePolys } from './poly-compile.ts';

/** What the net's error is measured against: the ODE dx/dt = F_1, or the modified equation f_1 + ε f_2. */
export type OrderTarget = 'ode' | 'modified';

export interface OrderInference {
  /** The global order p of the error against the target (a lower bound when `atLeast`). */
  order: number;
  /** True when Φ_ε matched the target's flow through ε^checkedThrough (order ≥ checkedThrough − 1). */
  atLeast: boolean;
  against: OrderTarget;
  /** j: the first power of ε at which Φ_ε and the target's time-ε flow differ (null: none up to checkedThrough). */
  firstDifference: number | null;
  /** Highest power of ε examined. */
  checkedThrough: number;
  /** Powers whose coefficient vanished numerically but not in canonical form (see the module comment). */
  numericZeros: number[];
  /** One line: how the order was found. */
  reason: string;
}

export interface InferOrderOptions {
  against?: OrderTarget;
  /** Values of named constants (the order of the problem actually run); others are sampled. */
  constants?: Record<string, number>;
  /** Highest power of ε to examine (default 6: orders up to 5 exactly). */
  maxPower?: number;
  seed?: number;
}

const SAMPLES = 8;
/** A coefficient vanishes numerically when |Σ terms| ≤ REL·Σ|terms| at every finite sample (see the module comment). */
const REL = 1e-10;

const sup = (j: number): string => String(j).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]!);

/**
 * The global order of a layer map's error against the ODE or its modified equation (see the
 * module comment).
 *
 * Arguments: spec, the layer as `derive` takes it (e.g. `{ layer: 'map', map: 'x + eps*sin(x)' }`);
 * opts.against ('ode' default), opts.constants, opts.maxPower (default 6), opts.seed.
 * Returns: { order, atLeast, firstDifference, reason, … }.
 * Throws: UserError on a bad layer, or when not even the first needed coefficient can be
 * computed or decided (exact arithmetic overflowed; not finite at any sampled point).
 */
export function inferOrder(spec: LayerSpec, opts: InferOrderOptions = {}): OrderInference {
  const against = opts.against ?? 'ode';
  if (against !== 'ode' && against !== 'modified') throw new UserError(`against must be ode or modified, got '${String(against)}'`);
  const m = against === 'ode' ? 1 : 2;
  const maxPower = opts.maxPower ?? 6;
  if (!Number.isInteger(maxPower) || maxPower <= m || maxPower > 12) throw new UserError(`maxPower must be an integer ${m + 1}…12, got ${maxPower}`);
  const layer = buildLayer(spec);
  const t = layer.timeDependent ? TIME : undefined;
  const target = against === 'ode' ? 'the ODE dx/dt = f₁' : 'the modified equation dx/dt = f₁ + ε f₂';
  const rng = makeRng((opts.seed ?? DEFAULT_SEED) ^ 0x0de7);
  const numericZeros: number[] = [];
  let exact = m; // f_{m+1} … f_exact are exactly zero (the cross-check's range)
  let F: Vec[] = [], f: Vec[] = [];
  for (let j = m + 1; j <= maxPower; j++) {
    try {
      F = taylorCoefficients(layer, j);
      f = modifiedEquation(F, layer.stateVars, t);
    } catch (e) {
      if (!(e instanceof UserError) || j === m + 1) {
        if (e instanceof UserError) throw new UserError(`cannot infer the order of the layer: ${e.message}`);
        throw e;
      }
      // the ε^j coefficient is out of reach (e.g. exact arithmetic overflowed): what is known is a bound
      return {
        order: j - 2, atLeast: true, against, firstDifference: null, checkedThrough: j - 1, numericZeros,
        reason: `Φ_ε agrees with the time-ε flow of ${target} through ε${sup(j - 1)}; the ε${sup(j)} coefficient could not be computed (${e.message}): order ≥ ${j - 2}`,
      };
    }
    const zero = vanishes(f[j - 1]!, layer, opts.constants ?? {}, rng, j);
    if (zero === 'exact' && exact === j - 1) exact = j;
    if (zero === 'numeric') numericZeros.push(j);
    if (zero === 'no') {
      crossCheck(layer, F, f, m, Math.min(j, exact + 1, 4), t);
      const numeric = numericZeros.length ? ` (f${numericZeros.map(sub).join(', f')} ${numericZeros.length > 1 ? 'vanish' : 'vanishes'} only numerically)` : '';
      return {
        order: j - 1, atLeast: false, against, firstDifference: j, checkedThrough: j, numericZeros,
        reason: `Φ_ε first differs from the time-ε flow of ${target} at ε${sup(j)} (f${sub(j)} ≠ 0 in its modified equation)${numeric}: local error O(ε${sup(j)}), global order ${j - 1}`,
      };
    }
  }
  crossCheck(layer, F, f, m, Math.min(maxPower, exact + 1, 4), t);
  return {
    order: maxPower - 1, atLeast: true, against, firstDifference: null, checkedThrough: maxPower, numericZeros,
    reason: `Φ_ε agrees with the time-ε flow of ${target} through ε${sup(maxPower)} (every f_j, ${m} < j ≤ ${maxPower}, vanishes): order ≥ ${maxPower - 1}`,
  };
}

const sub = (j: number): string => String(j).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]!);

/** Is the vector coefficient f_j zero: exactly, only numerically, or not? */
function vanishes(v: P.Poly[], layer: LayerMap, constants: Record<string, number>, rng: ReturnType<typeof makeRng>, j: number): 'exact' | 'numeric' | 'no' {
  if (v.every(P.isZero)) return 'exact';
  const symbols = new Set<string>();
  for (const c of v) P.symbolsOf(c, symbols);
  const vars = [...symbols].sort();
  // every term separately, so the size of the sum's terms is known at each point
  const terms = v.flatMap((c) => [...c.entries()].map(([k, term]) => new Map([[k, term]]) as P.Poly));
  const owner = v.flatMap((c, i) => Array.from({ length: c.size }, () => i));
  const evalTerms = compilePolys(terms, vars);
  const out = new Float64Array(terms.length), pt = new Float64Array(vars.length);
  let finite = 0;
  for (let s = 0; s < SAMPLES * 4 && finite < SAMPLES; s++) {
    vars.forEach((name, q) => { pt[q] = Object.hasOwn(constants, name) ? constants[name]! : rng.uniform(-0.9, 0.9); });
    evalTerms(pt, out);
    if (!out.every(Number.isFinite)) continue;
    finite++;
    for (let i = 0; i < v.length; i++) {
      let sum = 0, size = 0;
      out.forEach((x, k) => { if (owner[k] === i) { sum += x; size += Math.abs(x); } });
      if (Math.abs(sum) > REL * size) return 'no';
    }
  }
  if (finite === 0) throw new UserError(`cannot infer the order of the ${layer.kind} layer: its ε${sup(j)} coefficient is not finite at any sampled point`);
  return 'numeric';
}

/**
 * Exact check by elementary differentials: the time-ε flow φ of the truncated target
 * f_1 + … + ε^{m−1} f_m has φ_i = F_i for i ≤ m and F_i − φ_i = f_i for m < i ≤ upTo.
 * A failure is a bug in this module or in modified.ts, not bad input.
 */
function crossCheck(layer: LayerMap, F: Vec[], f: Vec[], m: number, upTo: number, t: string | undefined): void {
  if (upTo < 2) return;
  const phi = flowSeries(f.slice(0, m), layer.stateVars, t, upTo);
  for (let i = 1; i <= upTo; i++) {
    const ok = F[i - 1]!.every((Fi, c) => P.equal(P.sub(Fi, phi[i - 1]![c]!), i <= m ? P.zero() : f[i - 1]![c]!));
    if (!ok) throw new Error(`inferOrder: the elementary-differential flow disagrees with the modified equation at ε^${i} for ${layer.components.join('; ')}`);
  }
}
