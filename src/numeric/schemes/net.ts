/**
 * Drivers that run a Scheme as an N-layer network over [t0, t0 + T] (h = T/N, t_l = t0 + l h):
 * forward pass (all states or the final one), the tangent (linearised) pass, and backprop with
 * the scheme's discrete adjoint. Parameters use the stage layout of types.ts.
 * Dimensions are checked once per call (UserError); a non-finite state names its layer.
 */
import { positiveInt, quote, UserError } from '../../util/errors.ts';
import { makeEuler } from './euler.ts';
import { makeFF } from './ff.ts';
import { makeHeun } from './heun.ts';
import { makeMidpoint } from './midpoint.ts';
import { makeRK4 } from './rk4.ts';
import { makeVerlet } from './verlet.ts';
import type { Activation } from '../activations.ts';
import { layerParamCount, type ParamField, type Scheme } from './types.ts';

/**
 * The built-in layers (schemes), each with its declared order against its ODE: `ff`
 * (Ruseckas' near-identity layer, 1), `euler` (ResNet, 1), `heun` (2), `midpoint` (2), `rk4` (4),
 * `verlet` (Störmer–Verlet for a separable field such as a Hamiltonian network, 2).
 *
 * @example
 * ```ts
 * import { SCHEME_NAMES } from 'depthlimit';
 * console.log(SCHEME_NAMES.join(' '));
 * //> ff euler heun midpoint rk4 verlet
 * ```
 */
export const SCHEME_NAMES = ['ff', 'euler', 'heun', 'midpoint', 'rk4', 'verlet'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

/**
 * A scheme by name. 'ff' is Ruseckas' layer with g = `g` (its field is Ax + β + g(x));
 * the Runge–Kutta family discretises `field`; 'verlet' needs a separable `field`
 * (`hamiltonianNetField`, `separableField`), else a UserError.
 */
export function makeScheme(name: string, field: ParamField, g?: Activation): Scheme {
  switch (name) {
    case 'euler': return makeEuler(field);
    case 'heun': return makeHeun(field);
    case 'midpoint': return makeMidpoint(field);
    case 'rk4': return makeRK4(field);
    case 'verlet': return makeVerlet(field);
    case 'ff': {
      if (!g) throw new UserError(`scheme 'ff' needs the nonlinearity g`);
      return makeFF(field.dim, g);
    }
    default: throw new UserError(`unknown scheme ${quote(name)} (known: ${SCHEME_NAMES.join(', ')})`);
  }
}

/** The grid of an N-layer net. */
export interface Depth { N: number; T: number; t0?: number }

function grid(scheme: Scheme, depth: Depth, theta: Float64Array) {
  const N = positiveInt(depth.N, 'number of layers N');
  if (!(Number.isFinite(depth.T) && depth.T !== 0)) throw new UserError(`time horizon T must be finite and non-zero, got ${depth.T}`);
  const t0 = depth.t0 ?? 0, h = depth.T / N, LP = layerParamCount(scheme);
  if (theta.length !== N * LP) {
    throw new UserError(`${scheme.name}: parameters have ${theta.length} entries, need N·S·P = ${N}·${scheme.stageTimes.length}·${scheme.field.paramDim} = ${N * LP}`);
  }
  return { N, t0, h, LP, d: scheme.field.dim };
}

function checkLen(v: Float64Array, n: number, what: string): void {
  if (v.length !== n) throw new UserError(`${what} has dimension ${v.length}, expected ${n}`);
}

function checkLayer(x: Float64Array, xo: number, d: number, l: number, t: number, name: string): void {
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(x[xo + i]!)) throw new UserError(`${name}: non-finite state at layer ${l} (t = ${t}), component ${i}`);
  }
}

/** All states x_0 … x_N, flat ((N+1)·d), from the forward pass. */
export function forward(scheme: Scheme, x0: Float64Array, theta: Float64Array, depth: Depth, xs?: Float64Array): Float64Array {
  const { N, t0, h, LP, d } = grid(scheme, depth, theta);
  checkLen(x0, d, 'initial state');
  const out = xs ?? new Float64Array((N + 1) * d);
  checkLen(out, (N + 1) * d, 'state buffer');
  out.set(x0, 0);
  checkLayer(out, 0, d, 0, t0, scheme.name);
  // step() takes whole vectors: ping-pong two buffers and copy into the flat store (no
  // per-layer subarray views, so the loop allocates nothing).
  const a = Float64Array.from(x0), b = new Float64Array(d);
  let cur = a, nxt = b;
  for (let l = 0; l < N; l++) {
    const t = t0 + l * h;
    scheme.step(t, h, cur, theta, l * LP, nxt);
    out.set(nxt, (l + 1) * d);
    checkLayer(nxt, 0, d, l + 1, t + h, scheme.name);
    const tmp = cur; cur = nxt; nxt = tmp;
  }
  return out;
}

/** Only x_N (no state storage: O(d) memory). */
export function forwardFinal(scheme: Scheme, x0: Float64Array, theta: Float64Array, depth: Depth, out?: Float64Array): Float64Array {
  const { N, t0, h, LP, d } = grid(scheme, depth, theta);
  checkLen(x0, d, 'initial state');
  let cur = Float64Array.from(x0), nxt = new Float64Array(d);
  for (let l = 0; l < N; l++) {
    const t = t0 + l * h;
    scheme.step(t, h, cur, theta, l * LP, nxt);
    checkLayer(nxt, 0, d, l + 1, t + h, scheme.name);
    const tmp = cur; cur = nxt; nxt = tmp;
  }
  if (out) { checkLen(out, d, 'output'); out.set(cur); return out; }
  return cur;
}

/** Linearised forward pass: δx_0 … δx_N along the stored states (dtheta null: δθ = 0). */
export function tangent(scheme: Scheme, xs: Float64Array, theta: Float64Array, depth: Depth, dx0: Float64Array, dtheta: Float64Array | null, dxs?: Float64Array): Float64Array {
  const { N, t0, h, LP, d } = grid(scheme, depth, theta);
  checkLen(xs, (N + 1) * d, 'state trajectory');
  checkLen(dx0, d, 'tangent initial state');
  if (dtheta) checkLen(dtheta, N * LP, 'parameter tangent');
  const out = dxs ?? new Float64Array((N + 1) * d);
  out.set(dx0, 0);
  const x = new Float64Array(d), cur = Float64Array.from(dx0), nxt = new Float64Array(d);
  for (let l = 0; l < N; l++) {
    for (let i = 0; i < d; i++) x[i] = xs[l * d + i]!;
    scheme.stepTangent(t0 + l * h, h, x, theta, l * LP, cur, dtheta, l * LP, nxt);
    out.set(nxt, (l + 1) * d);
    cur.set(nxt);
  }
  return out;
}

export interface Backprop {
  /** p_0 … p_N flat ((N+1)·d), p_l = ∂L/∂x_l. */
  ps: Float64Array;
  /** ∂L/∂θ in the stage layout (N·S·P). */
  gTheta: Float64Array;
}

/**
 * Backprop with the scheme's discrete adjoint from p_N = ∂L/∂x_N along stored states `xs`
 * (from `forward`). Buffers may be passed in to avoid allocation; gTheta is overwritten.
 */
export function backward(scheme: Scheme, xs: Float64Array, theta: Float64Array, depth: Depth, pN: Float64Array,
  bufs: { ps?: Float64Array; gTheta?: Float64Array } = {}): Backprop {
  const { N, t0, h, LP, d } = grid(scheme, depth, theta);
  checkLen(xs, (N + 1) * d, 'state trajectory');
  checkLen(pN, d, 'final costate ∂L/∂x_N');
  const ps = bufs.ps ?? new Float64Array((N + 1) * d);
  const gTheta = bufs.gTheta ?? new Float64Array(N * LP);
  gTheta.fill(0);
  ps.set(pN, N * d);
  const x = new Float64Array(d);
  let cur = Float64Array.from(pN), nxt = new Float64Array(d);
  for (let l = N - 1; l >= 0; l--) {
    for (let i = 0; i < d; i++) x[i] = xs[l * d + i]!;
    scheme.stepAdjoint(t0 + l * h, h, x, theta, l * LP, cur, nxt, gTheta, l * LP);
    ps.set(nxt, l * d);
    checkLayer(nxt, 0, d, l, t0 + l * h, `${scheme.name} adjoint`);
    const tmp = cur; cur = nxt; nxt = tmp;
  }
  return { ps, gTheta };
}

/**
 * Stage parameters sampled from θ(t): θ_{l,s} = θ(t_l + c_s h). `thetaOf(t, out)` writes the
 * P parameters at time t.
 */
export function sampleParams(scheme: Scheme, depth: Depth, thetaOf: (t: number, out: Float64Array) => void, out?: Float64Array): Float64Array {
  const N = positiveInt(depth.N, 'number of layers N');
  const t0 = depth.t0 ?? 0, h = depth.T / N, P = scheme.field.paramDim, S = scheme.stageTimes.length;
  const th = out ?? new Float64Array(N * S * P);
  checkLen(th, N * S * P, 'parameter buffer');
  const buf = new Float64Array(P);
  for (let l = 0; l < N; l++) {
    for (let s = 0; s < S; s++) {
      thetaOf(t0 + (l + scheme.stageTimes[s]!) * h, buf);
      th.set(buf, (l * S + s) * P);
    }
  }
  for (let i = 0; i < th.length; i++) if (!Number.isFinite(th[i]!)) throw new UserError(`non-finite parameter at layer ${Math.floor(i / (S * P))}`);
  return th;
}

/**
 * Node parameters θ(t_0) … θ(t_N) ((N+1)·P) to stage parameters by linear interpolation,
 * θ_{l,s} = (1 − c_s) θ_l + c_s θ_{l+1} (Meganet's inter1D for RK4 propagation).
 */
export function nodesToStages(scheme: Scheme, nodes: Float64Array, N: number, out?: Float64Array): Float64Array {
  const P = scheme.field.paramDim, S = scheme.stageTimes.length;
  checkLen(nodes, (N + 1) * P, 'node parameters');
  const th = out ?? new Float64Array(N * S * P);
  for (let l = 0; l < N; l++) {
    for (let s = 0; s < S; s++) {
      const c = scheme.stageTimes[s]!, o = (l * S + s) * P;
      for (let k = 0; k < P; k++) th[o + k] = (1 - c) * nodes[l * P + k]! + c * nodes[(l + 1) * P + k]!;
    }
  }
  return th;
}

/** The transpose of nodesToStages: stage gradients → node gradients. */
export function stagesToNodesGrad(scheme: Scheme, gStages: Float64Array, N: number, out?: Float64Array): Float64Array {
  const P = scheme.field.paramDim, S = scheme.stageTimes.length;
  checkLen(gStages, N * S * P, 'stage gradients');
  const g = out ?? new Float64Array((N + 1) * P);
  g.fill(0);
  for (let l = 0; l < N; l++) {
    for (let s = 0; s < S; s++) {
      const c = scheme.stageTimes[s]!, o = (l * S + s) * P;
      for (let k = 0; k < P; k++) {
        g[l * P + k] = g[l * P + k]! + ((1 - c) * gStages[o + k]!);
        g[(l + 1) * P + k] = g[(l + 1) * P + k]! + (c * gStages[o + k]!);
      }
    }
  }
  return g;
}
