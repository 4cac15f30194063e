/**
 * The Hamiltonian network of Ruthotto–Haber (JMIV 2019):
 *
 *   ẋ = K σ(Kᵀp + b),   ṗ = −K σ(Kᵀx + b),     x, p ∈ ℝ^d, K ∈ ℝ^{d×w}, b ∈ ℝ^w,
 *
 * is Hamiltonian with the separable energy H(x, p) = Φ(Kᵀp + b) + Φ(Kᵀx + b), Φ(z) = Σ_j φ(z_j),
 * φ′ = σ (for σ = tanh, φ = log cosh): ∂H/∂p = Kσ(Kᵀp+b) = ẋ and ∂H/∂x = Kσ(Kᵀx+b) = −ṗ.
 *
 * Störmer–Verlet (leapfrog) for a separable H,
 *   p_{n+½} = p_n − (h/2) F(x_n),  x_{n+1} = x_n + h F(p_{n+½}),  p_{n+1} = p_{n+½} − (h/2) F(x_{n+1}),
 * with F(u) = Kσ(Kᵀu + b), is symplectic and symmetric: its inverse is the same map with −h,
 * so the input is reconstructed from the output up to rounding (no stored activations), and
 * the energy error stays O(h²) without drift over long times. Rounding committed at each step
 * is amplified by the backward map's Jacobian: at fixed T the reconstruction error grows about
 * linearly in N, but for a chaotic system (d ≥ 2, nonlinear σ) it grows like e^{λT} in T.
 *
 * The layer is the registry's 'verlet' scheme (numeric/schemes/verlet.ts) on the network's
 * separable field (schemes/fields.ts `hamiltonianNetField`) with constant K, b; this module
 * adds the energy, the fixed-parameter drivers and the explicit-Euler contrast (the 'euler'
 * scheme on the same field).
 */
import { UserError } from '../util/errors.ts';
import type { Activation } from './activations.ts';
import { makeEuler } from './schemes/euler.ts';
import { hamiltonianNetField } from './schemes/fields.ts';
import type { Scheme } from './schemes/types.ts';
import { makeVerlet } from './schemes/verlet.ts';
import type { Field } from './types.ts';

export interface HamiltonianNet {
  d: number;
  /** Width w of the hidden layer. */
  width: number;
  /** d×w, row-major. */
  K: Float64Array;
  /** length w. */
  b: Float64Array;
  sigma: (z: number) => number;
  /** σ′: only needed for derivatives (tangent, adjoint) of the network's field. */
  dsigma?: (z: number) => number;
  /** An antiderivative φ of σ (φ′ = σ); only needed for the energy. */
  phi: (z: number) => number;
}

export interface VerletResult {
  x: Float64Array;
  p: Float64Array;
  /** H(x_k, p_k) for k = 0…N when requested. */
  energy?: Float64Array;
}

/** Validate sizes and finiteness once (user-facing entry points call this). */
function checkNet(net: HamiltonianNet): void {
  const { d, width, K, b } = net;
  if (!Number.isInteger(d) || d < 1 || !Number.isInteger(width) || width < 1) throw new UserError(`Hamiltonian net: d and width must be positive integers, got ${d}, ${width}`);
  if (K.length !== d * width) throw new UserError(`Hamiltonian net: K must have d·w = ${d * width} entries, got ${K.length}`);
  if (b.length !== width) throw new UserError(`Hamiltonian net: b must have w = ${width} entries, got ${b.length}`);
  for (const v of K) if (!Number.isFinite(v)) throw new UserError('Hamiltonian net: K has a non-finite entry');
  for (const v of b) if (!Number.isFinite(v)) throw new UserError('Hamiltonian net: b has a non-finite entry');
}

/** The network's activation: σ, and σ′ when given (forward runs never call it). */
function activationOf(net: HamiltonianNet): Activation {
  const dsigma = net.dsigma ?? (() => { throw new Error('Hamiltonian net: σ′ (dsigma) is needed for derivatives of the field'); });
  return { name: 'σ', tex: '\\sigma', sigma: net.sigma, dsigma };
}

/**
 * One layer of `scheme` on the network's stacked field with constant θ = (K, b), as a map
 * y ↦ y⁺ on (x, p) (every stage reads the same θ).
 */
function constantLayer(net: HamiltonianNet, make: (f: ReturnType<typeof hamiltonianNetField>) => Scheme): (t: number, h: number, y: Float64Array, out: Float64Array) => void {
  const scheme = make(hamiltonianNetField(net.d, net.width, activationOf(net)));
  const P = net.K.length + net.b.length, S = scheme.stageTimes.length;
  const theta = new Float64Array(S * P);
  for (let s = 0; s < S; s++) { theta.set(net.K, s * P); theta.set(net.b, s * P + net.K.length); }
  return (t, h, y, out) => scheme.step(t, h, y, theta, 0, out);
}

/** Φ(Kᵀu + b) = Σ_j φ((Kᵀu + b)_j). */
function potential(net: HamiltonianNet, u: ArrayLike<number>, uOff: number): number {
  const { d, width: w, K, b, phi } = net;
  let e = 0;
  for (let j = 0; j < w; j++) {
    let s = b[j]!;
    for (let i = 0; i < d; i++) s += K[i * w + j]! * u[uOff + i]!;
    e += phi(s);
  }
  return e;
}

/** H(x, p) = Φ(Kᵀp + b) + Φ(Kᵀx + b). */
export function hamiltonianEnergy(net: HamiltonianNet, x: ArrayLike<number>, p: ArrayLike<number>): number {
  return potential(net, p, 0) + potential(net, x, 0);
}

/** The exact flow as a Field on the stacked state y = (x, p) ∈ ℝ^{2d} (for a reference solver). */
export function hamiltonianField(net: HamiltonianNet): Field {
  const f = hamiltonianNetField(net.d, net.width, activationOf(net)), P = net.K.length + net.b.length;
  const theta = new Float64Array(P);
  theta.set(net.K, 0); theta.set(net.b, net.K.length);
  return (t, y, out) => f.eval(t, y, theta, 0, out);
}

/** Energy of a stacked state y = (x, p). */
export function stackedEnergy(net: HamiltonianNet, y: Float64Array): number {
  return potential(net, y, net.d) + potential(net, y, 0);
}

/** N steps of a layer of size h (h < 0 runs backwards) on (x, p), updated in place; H along the way when asked. */
function run(net: HamiltonianNet, layer: ReturnType<typeof constantLayer>, x: Float64Array, p: Float64Array, h: number, N: number, energy?: Float64Array): void {
  const d = net.d;
  let y = new Float64Array(2 * d), next = new Float64Array(2 * d);
  y.set(x, 0); y.set(p, d);
  if (energy) energy[0] = hamiltonianEnergy(net, x, p);
  for (let n = 0; n < N; n++) {
    layer(n * h, h, y, next);
    const tmp = y; y = next; next = tmp;
    if (energy) energy[n + 1] = stackedEnergy(net, y);
  }
  x.set(y.subarray(0, d)); p.set(y.subarray(d));
}

function checkRun(net: HamiltonianNet, x: ArrayLike<number>, p: ArrayLike<number>, h: number, N: number): void {
  checkNet(net);
  if (x.length !== net.d || p.length !== net.d) throw new UserError(`Verlet: x and p must have d = ${net.d} entries`);
  if (!Number.isFinite(h) || h <= 0) throw new UserError(`Verlet: step h must be a positive finite number, got ${h}`);
  if (!Number.isInteger(N) || N < 0) throw new UserError(`Verlet: N must be a non-negative integer, got ${N}`);
}

/** (x_N, p_N) from (x_0, p_0) by N Störmer–Verlet steps of size h; optionally H along the way. */
export function verletForward(net: HamiltonianNet, x0: ArrayLike<number>, p0: ArrayLike<number>, h: number, N: number, opts: { energy?: boolean } = {}): VerletResult {
  checkRun(net, x0, p0, h, N);
  const x = Float64Array.from(x0), p = Float64Array.from(p0);
  const energy = opts.energy ? new Float64Array(N + 1) : undefined;
  run(net, constantLayer(net, makeVerlet), x, p, h, N, energy);
  return energy ? { x, p, energy } : { x, p };
}

/** Exact inverse of verletForward: (x_0, p_0) from (x_N, p_N), the same scheme with step −h. */
export function verletBackward(net: HamiltonianNet, xN: ArrayLike<number>, pN: ArrayLike<number>, h: number, N: number): VerletResult {
  checkRun(net, xN, pN, h, N);
  const x = Float64Array.from(xN), p = Float64Array.from(pN);
  run(net, constantLayer(net, makeVerlet), x, p, -h, N);
  return { x, p };
}

/**
 * The non-symplectic contrast: N explicit Euler steps x⁺ = x + hF(p), p⁺ = p − hF(x) on the
 * same Hamiltonian network (h < 0 runs "backwards"). Its energy error grows like O(h) and its
 * reversal with −h is not its inverse (error O(h) per step, not rounding).
 */
export function explicitEulerHamiltonian(net: HamiltonianNet, x0: ArrayLike<number>, p0: ArrayLike<number>, h: number, N: number, opts: { energy?: boolean } = {}): VerletResult {
  checkRun(net, x0, p0, Math.abs(h), N);
  const x = Float64Array.from(x0), p = Float64Array.from(p0);
  const energy = opts.energy ? new Float64Array(N + 1) : undefined;
  run(net, constantLayer(net, makeEuler), x, p, h, N, energy);
  return energy ? { x, p, energy } : { x, p };
}

/** φ for σ = tanh: log cosh z = |z| + log1p(e^{−2|z|}) − log 2 (no overflow). */
export function logCosh(z: number): number {
  const a = Math.abs(z);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

/** A seeded tanh Hamiltonian network with K_ij ~ N(0, 1/w), b_j ~ N(0, 0.3²). */
export function randomHamiltonianNet(d: number, width: number, rng: { normal(): number }): HamiltonianNet {
  const K = new Float64Array(d * width), b = new Float64Array(width);
  for (let i = 0; i < K.length; i++) K[i] = rng.normal() / Math.sqrt(width);
  for (let j = 0; j < width; j++) b[j] = 0.3 * rng.normal();
  return { d, width, K, b, sigma: Math.tanh, dsigma: (z) => 1 - Math.tanh(z) ** 2, phi: logCosh };
}
