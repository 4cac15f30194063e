/**
 * `sweep` and `certifyOrder`: depth sweeps of the built-in schemes, of a user map, of a user field
 * under a scheme, or of a derived layer, all run by experiments/depth-sweep.ts (one sweep), with
 * the expected order from the scheme or inferred by symbolic/order.ts (inside schemeSweep).
 */
import { depthList } from '../commands/args.ts';
import { capDepths, depthsQuantity, stagesOf, sweepCost, withinBudget } from '../commands/budget.ts';
import { C12_PROBLEM } from '../experiments/defaults.ts';
import { schemeSweep, type Against, type SchemeSweepResult } from '../experiments/depth-sweep.ts';
import type { OrderInference } from '../symbolic/order.ts';
import { certifyOrder as certify, type CertifyOptions, type OrderCertificate } from '../numeric/certify.ts';
import { SCHEME_NAMES, type SchemeName } from '../numeric/schemes/net.ts';
import { parseMatrix, parseVector, stateVarsOf } from '../symbolic/layers.ts';
import { UserError } from '../util/errors.ts';
import { engineDerivation, type Derivation } from './derive.ts';
import { isGenericExpression, type VectorExpression } from './expression.ts';
import { checkKeys } from './spec.ts';

/** What `inferOrder` (symbolic/order.ts) found for a map or a derived layer. */
export type LayerOrder = OrderInference;
export type { CertifyOptions, OrderCertificate };

/** What every sweep takes. */
export interface SweepCommon {
  /** Initial state x(0) (its length is d). */
  x0?: readonly number[];
  /** Time horizon; depth N means step h = T/N (default 1). */
  T?: number;
  /** Depths N: a list, 'a..b' (doubling from a up to b) or 'a,b,c' (default '4..65536'). */
  depths?: readonly number[] | string;
  /** Values of the named constants in the layer (e.g. { gamma: 0.5 }). */
  constants?: Record<string, number>;
  /** Target: the ODE (default) or the modified equation at ε = h (order 2; first-order layers only). */
  against?: Against;
  /** Relative tolerance of the DOPRI5 reference (default 1e-12). */
  rtol?: number;
}

/** A built-in scheme on the problem dx/dt = A(t)x + β(t) + g(x); each of g, A, β, constants and x0 left out is CLAIMS C12's (d = 2), as in `depthlimit converge`. */
export interface SchemeSweepSpec extends SweepCommon {
  scheme?: SchemeName;
  /** g(z), elementwise. */
  g?: string;
  /** A(t): 'a11, a12; a21, a22' (rows by ';') or the d² entries row-major. */
  A?: string | readonly string[];
  /** β(t): 'b1; b2' or the d entries. */
  beta?: string | readonly string[];
  /** With scheme 'verlet' (the Hamiltonian network ẋ = A g(Aᵀp + β), ṗ = −A g(Aᵀx + β) on (x, p)): p(0), d numbers (default 0). */
  p0?: readonly number[];
}

/** A layer map x⁺ = Φ(x, t, eps) with eps = h, its expected order inferred unless `expect` is given. */
export interface MapSweepSpec extends SweepCommon {
  /** Components separated by ';' (or a list), in x1…xd (x when d = 1), t and eps. */
  map: string | readonly string[];
  x0: readonly number[];
  /** The order to certify (default: inferred from the map's modified equation). */
  expect?: number;
}

/** A vector field F(x, t) discretised by a Runge–Kutta scheme (order: the scheme's). */
export interface FieldSweepSpec extends SweepCommon {
  field: string | readonly string[] | VectorExpression;
  scheme: Exclude<SchemeName, 'ff'>;
  x0: readonly number[];
}

/** A derived layer (from `derive`) run as a net, its expected order inferred unless `expect` is given. */
export interface LayerSweepSpec extends SweepCommon {
  layer: Derivation;
  x0: readonly number[];
  expect?: number;
}

export type SweepSpec = SchemeSweepSpec | MapSweepSpec | FieldSweepSpec | LayerSweepSpec;

/** A certified depth sweep: the error ladder, its reference and the expected order. */
export interface SweepResult extends SchemeSweepResult {
  /** Where `expected` came from: the scheme's declared order, the layer's modified equation, or the caller. */
  expectedFrom: 'scheme' | 'inferred' | 'given';
  /** The inference, when the order was inferred. */
  inferred?: LayerOrder;
}

const COMMON = ['x0', 'T', 'depths', 'constants', 'against', 'rtol'];
const entries = (v: string | readonly string[], what: string): string[] =>
  typeof v === 'string' ? v.split(';').map((s) => s.trim()) : Array.isArray(v) ? v.map(String) : ((): never => { throw new UserError(`${what} must be text or a list of texts`); })();

/**
 * Run a net at growing depth N (h = T/N) and certify the order of its error against the ODE.
 *
 * The error is ‖x_N − x(T)‖∞ with x(T) from DOPRI5 at rtol (default 1e-12); the reference's
 * own error, estimated from a second solve at 100·rtol, sets the round-off floor of the
 * certificate. The order certified is p: the scheme's declared order (ff, euler: 1; heun,
 * midpoint: 2; rk4: 4), or, for a map or a derived layer, p = j − 1 for the first non-zero
 * modified-equation term f_j (j ≥ 2): the map and the time-h flow of its ODE first differ at
 * h^j, a local error of order j. `expect` overrides the inference.
 *
 * Arguments: one of {@link SchemeSweepSpec}, {@link MapSweepSpec}, {@link FieldSweepSpec},
 * {@link LayerSweepSpec}.
 *
 * Returns: a {@link SweepResult}: `h`, `err`, `reference`, `expected`, `certificate`, ….
 *
 * Throws: UserError on bad text, dimensions or depths, a missing constant, a diverging net,
 * or a layer whose order cannot be decided (give `expect`).
 *
 * @example
 * ```ts
 * import { sweep } from 'depthlimit';
 * const s = sweep({ map: 'x + eps*sin(x)', x0: [0.5], T: 1, depths: '8..256' });
 * console.log(s.expected, s.expectedFrom, s.h.length);
 * console.log(s.certificate.verdict, s.certificate.slope.toFixed(2));
 * //> 1 inferred 6
 * //> order 1.00
 * ```
 */
export function sweep(spec: SweepSpec): SweepResult {
  if (spec === null || typeof spec !== 'object') throw new UserError('sweep: give an object such as { map: "x + eps*sin(x)", x0: [0.5], depths: "8..256" }');
  const kinds = (['map', 'field', 'layer'] as const).filter((k) => Object.hasOwn(spec, k));
  if (kinds.length > 1) throw new UserError(`sweep: give one of map, field or layer, not ${kinds.join(' and ')}`);
  const s = spec as SchemeSweepSpec & MapSweepSpec & FieldSweepSpec & LayerSweepSpec;
  const depths = depthList(s.depths, '4..65536');
  const against = s.against ?? 'ode';
  const rtol = s.rtol ?? 1e-12;
  if (!(rtol > 0 && rtol < 1e-3)) throw new UserError(`rtol must lie in (0, 1e-3), got ${rtol}`);
  const T = s.T ?? 1;
  const constants = { ...(s.constants ?? {}) };
  const common = { T, depths, against, reference: { rtol, atol: rtol * 1e-2 } };
  // the CLI's memory and time budget, checked before any work (one rule for both)
  const budget = (scheme: string, d: number, map: boolean): void =>
    withinBudget([depthsQuantity(depths)], ([n]) => sweepCost(capDepths(depths, n!), stagesOf(scheme), d, map));
  const needX0 = (): number[] => {
    if (!Array.isArray(s.x0)) throw new UserError('sweep: x0 (the initial state, a list of numbers) is required');
    return s.x0.map(Number);
  };

  if (kinds[0] === 'map' || kinds[0] === 'layer') {
    checkKeys(s, [...COMMON, kinds[0], 'expect'], 'sweep');
    let map: string[];
    if (kinds[0] === 'map') map = entries(s.map, 'map');
    else {
      const e = engineDerivation(s.layer);
      if (e.generic) throw new UserError('a generic g has no numeric value; derive with a concrete g to sweep');
      map = e.map;
    }
    budget('map', map.length, true);
    // schemeSweep infers the order from the map's ε-series (at the constants' values) unless given
    const r = schemeSweep({ ...common, map, x0: needX0(), constants, scheme: 'map', ...(s.expect !== undefined ? { expected: s.expect } : {}) });
    const inferred = r.expectation.inferred && 'order' in r.expectation.inferred ? r.expectation.inferred : undefined;
    return { ...r, expectedFrom: r.expectation.source === 'declared' ? 'scheme' : r.expectation.source, ...(inferred ? { inferred } : {}) };
  }
  if (kinds[0] === 'field') {
    checkKeys(s, [...COMMON, 'field', 'scheme'], 'sweep');
    const f = s.field;
    if (f && typeof f === 'object' && 'components' in f && isGenericExpression(f as VectorExpression)) {
      throw new UserError('a generic g has no numeric value; derive with a concrete g to sweep');
    }
    const field = f && typeof f === 'object' && 'components' in f ? (f as VectorExpression).components.map((c) => c.text) : entries(f as string | string[], 'field');
    if (s.scheme === undefined) throw new UserError(`sweep: a field needs a scheme (${SCHEME_NAMES.filter((n) => n !== 'ff').join(', ')})`);
    budget(s.scheme, field.length, false);
    const r = schemeSweep({ ...common, field, x0: needX0(), constants, scheme: s.scheme });
    return { ...r, expectedFrom: 'scheme' };
  }
  checkKeys(s, [...COMMON, 'scheme', 'g', 'A', 'beta', 'p0'], 'sweep');
  if (s.p0 !== undefined && !Array.isArray(s.p0)) throw new UserError('sweep: p0 (the initial momentum of scheme verlet) must be a list of numbers');
  // Each part left out is C12's, as in `depthlimit converge` (A alone used to get β = 0 here, C12's β there)
  const x0 = s.x0 === undefined ? [...C12_PROBLEM.x0] : needX0();
  const xs = stateVarsOf(x0.length);
  const c12 = (k: 'A' | 'beta'): string[] => {
    if (x0.length !== C12_PROBLEM.x0.length) throw new UserError(`sweep: x0 has ${x0.length} component(s), but the default ${k} (the C12 problem) has dimension ${C12_PROBLEM.x0.length}; give A and beta of dimension ${x0.length}`);
    return [...C12_PROBLEM[k]];
  };
  const A = s.A === undefined ? c12('A') : typeof s.A === 'string' ? parseMatrix(s.A, x0.length, '--A', xs).flat() : [...s.A];
  const beta = s.beta === undefined ? c12('beta') : typeof s.beta === 'string' ? parseVector(s.beta, x0.length, '--beta', xs) : [...s.beta];
  budget(s.scheme ?? 'ff', x0.length, false);
  const r = schemeSweep({
    ...common, scheme: s.scheme ?? 'ff', x0, ...(s.p0 !== undefined ? { p0: s.p0.map(Number) } : {}),
    g: s.g ?? C12_PROBLEM.g, A, beta,
    constants: s.constants === undefined ? { ...C12_PROBLEM.constants } : constants,
  });
  return { ...r, expectedFrom: 'scheme' };
}

/** A ladder to certify: a sweep result, or anything with h, err and the expected order. */
export interface Ladder {
  h: ArrayLike<number>;
  err: ArrayLike<number>;
  expected: number;
  /** The reference's round-off floor and solution scale (set by `sweep`). */
  reference?: { floor?: number; scale?: number };
}

/**
 * Certify that err ≈ C·h^p over a refinement ladder, with a confidence interval.
 *
 * The order is fitted by least squares over the points that survive a stated rule
 * (round-off-floor points at the fine end and pre-asymptotic points at the coarse end are
 * dropped) with the next error term modelled: log err = a + s log h + b (h/h_max)^q (q = 1 by
 * default, `nextOrder`), and its interval is the 95 % Student-t interval of s plus the
 * next-term bias |s − s₁| (s₁: the one-term slope). With fewer than 5 points the one-term slope
 * is reported with the same bias. Verdicts: 'order' (p lies in the interval and it is
 * narrow), 'at least' (the whole interval lies above p: superconvergent), else 'inconclusive'.
 * `certificate.model` says which fit was used; `certificate.rule` states the rule with its
 * numbers.
 *
 * Arguments: a {@link SweepResult} (its reference floor and scale are used) or any
 * {@link Ladder}; or `(h, err, p)`; then optional {@link CertifyOptions}.
 *
 * Returns: an {@link OrderCertificate}.
 *
 * Throws: UserError on a malformed ladder (lengths differ, a step that is not positive, equal
 * steps, a non-finite p) or an option outside its range (NaN, a negative margin or floor, a
 * maxHalfWidth or slopeTol ≤ 0).
 *
 * @example
 * ```ts
 * import { certifyOrder } from 'depthlimit';
 * const h = [0.1, 0.05, 0.025, 0.0125];
 * const c = certifyOrder(h, h.map((x) => 3 * x * x * (1 + x)), 2);
 * console.log(c.verdict, c.slope.toFixed(2), c.used.length);
 * console.log(certifyOrder(h, h.map((x) => 3 * x), 2).verdict);
 * //> order 2.04 4
 * //> inconclusive
 * ```
 */
export function certifyOrder(ladder: Ladder, opts?: CertifyOptions): OrderCertificate;
export function certifyOrder(h: ArrayLike<number>, err: ArrayLike<number>, p: number, opts?: CertifyOptions): OrderCertificate;
export function certifyOrder(a: Ladder | ArrayLike<number>, b?: ArrayLike<number> | CertifyOptions, p?: number, opts?: CertifyOptions): OrderCertificate {
  if (a === null || typeof a !== 'object') throw new UserError('certifyOrder: give a sweep result or (h, err, p)');
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (b === undefined || typeof p !== 'number') throw new UserError('certifyOrder(h, err, p): err and the expected order p are required');
    return certify(a as ArrayLike<number>, b as ArrayLike<number>, p, opts ?? {});
  }
  const l = a as Ladder;
  if (l.h === undefined || l.err === undefined || typeof l.expected !== 'number') {
    throw new UserError('certifyOrder: the ladder needs h, err and expected (a sweep result has them)');
  }
  const ref = l.reference ?? {};
  return certify(l.h, l.err, l.expected, {
    ...(ref.floor !== undefined ? { floor: ref.floor } : {}), ...(ref.scale !== undefined ? { scale: ref.scale } : {}),
    ...((b as CertifyOptions | undefined) ?? {}),
  });
}
