/**
 * Measurements behind the Hamiltonian claims (C1, C2, C4–C9, C39a): pure functions from a
 * seed and sizes to plain data. Each takes `control: true` to run the deliberately broken
 * variant its claim's negative control needs. See src/claims/hamiltonian.ts for verdicts.
 *
 * The common problem: f(x; K, b) = tanh(Kx + b) with seeded K = 0.8·N(0,1) − 0.5 I (so Tr J ≠ 0),
 * b = 0.3·N(0,1), d = 3, T = 2, loss L = ½|x(T) − y|².
 */
import { getActivation, type Activation } from '../numeric/activations.ts';
import { certifyOrder, type OrderCertificate } from '../numeric/certify.ts';
import { costate, quadraticLoss } from '../numeric/costate.ts';
import { det, logAbsDet, trace } from '../numeric/linalg.ts';
import { gaussianEntropy, kozachenkoLeonenko, mean, sd, type EntropyEstimate } from '../numeric/entropy.ts';
import { dopri5 } from '../numeric/ode/dopri5.ts';
import { rk4 } from '../numeric/ode/rk4.ts';
import { resnetField } from '../numeric/schemes/fields.ts';
import { makeEuler } from '../numeric/schemes/euler.ts';
import { backward, forward, tangent } from '../numeric/schemes/net.ts';
import type { ParamField, Scheme } from '../numeric/schemes/types.ts';
import type { Field } from '../numeric/types.ts';
import { makeRng } from '../util/prng.ts';
import { cached } from '../util/cache.ts';
import { complexStepGradient, complexStepLayerGradient } from './hamiltonian-complex.ts';

export interface BaseProblem { d: number; T: number; field: ParamField; theta: Float64Array; x0: Float64Array; y: Float64Array; act: Activation }

/** The seeded tanh problem with constant parameters θ = (K, b). */
export function baseProblem(seed: number, d = 3, T = 2): BaseProblem {
  const rng = makeRng(seed);
  const theta = new Float64Array(d * d + d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) theta[i * d + j] = 0.8 * rng.normal() - (i === j ? 0.5 : 0);
    theta[d * d + i] = 0.3 * rng.normal();
  }
  const x0 = new Float64Array(d).map(() => rng.normal() * 0.7), y = new Float64Array(d).map(() => rng.normal());
  const act = getActivation('tanh');
  return { d, T, field: resnetField(d, act), theta, x0, y, act };
}

/** The field with its cotangent product replaced by the untransposed Jacobian (w ↦ J w instead of wᵀJ). */
export function transposeMissing(f: ParamField): ParamField {
  return { ...f, name: `${f.name}-no-transpose`, vjp: (t, x, th, to, w, outX, g, go, sc) => {
    f.jvp(t, x, th, to, w, null, 0, outX);
    if (g) f.vjp(t, x, th, to, w, new Float64Array(f.dim), g, go, sc);
  } };
}

/** The field with a wrong-sign cotangent product (the costate then solves da/dt = +a ∂F/∂x). */
export function wrongSign(f: ParamField): ParamField {
  return { ...f, name: `${f.name}-wrong-sign`, vjp: (t, x, th, to, w, outX, g, go, sc) => {
    f.vjp(t, x, th, to, w, outX, g, go, sc);
    for (let i = 0; i < f.dim; i++) outX[i] = -outX[i]!;
  } };
}

/** Tr ∂f/∂x at (t, x) by d tangent products (works for any ParamField). */
export function traceJacobian(f: ParamField, t: number, x: Float64Array, th: Float64Array, e: Float64Array, col: Float64Array): number {
  let s = 0;
  for (let i = 0; i < f.dim; i++) {
    e.fill(0); e[i] = 1;
    f.jvp(t, x, th, 0, e, null, 0, col);
    s += col[i]!;
  }
  return s;
}

/**
 * The state equation with its divergence as one more component, (x, ∫₀ᵗ Tr J)′ = (f(x), Tr J(x)),
 * for the base problem's field f = σ(Kx + b): in one pass, z = Kx + b once and Tr J = Σ_i σ′(z_i) K_ii.
 * Bit for bit what `p.field.eval` and `traceJacobian` (d tangent products) give: both sum
 * z_i = b_i + Σ_j K_ij x_j in the order j = 0 … d−1, and the i-th tangent product's i-th entry
 * is σ′(z_i)·Σ_j K_ij (e_i)_j = σ′(z_i)·K_ii exactly (the other terms are ±0), summed over i in
 * order. It saves d − 1 evaluations of z and d² − d of σ′ per call: C9 integrates 8000 of these.
 */
export function withDivergence(p: BaseProblem): Field {
  const { d, theta: th, act } = p, bo = d * d;
  const { sigma, dsigma } = act;
  return (_t, x, o) => {
    let tr = 0;
    for (let i = 0, r = 0; i < d; i++, r += d) {
      let zi = th[bo + i]!;
      for (let j = 0; j < d; j++) zi += th[r + j]! * x[j]!;
      o[i] = sigma(zi);
      tr += dsigma(zi) * th[r + i]!;
    }
    o[d] = tr;
  };
}

const constant = (th: Float64Array) => (_t: number, o: Float64Array) => { o.set(th); };

/** RK4 flow map of the state ODE with `steps` fixed steps (a smooth function of x0 for finite differences). */
function flowMap(p: BaseProblem, x0: Float64Array, steps: number): Float64Array {
  const F = (t: number, x: Float64Array, o: Float64Array) => p.field.eval(t, x, p.theta, 0, o);
  return rk4(F, 0, p.T, x0, steps);
}

// ───────────────────────────── C1 ─────────────────────────────
export interface C1Data { a0: number[]; fd: number[]; err: number; scale: number; fdStep: number; rk4Steps: number }
/** a(0) from the costate vs central finite differences of L(φ_T(x0)) (RK4 flow, 4000 steps). */
export function costateVsFiniteDifferences(seed: number, control = false): C1Data {
  const p = baseProblem(seed), loss = quadraticLoss(p.y);
  const field = control ? transposeMissing(p.field) : p.field;
  const sol = costate({ field, thetaOf: constant(p.theta), x0: p.x0, T: p.T, lossGrad: loss.grad });
  const delta = 1e-5, steps = 4000, fd: number[] = [];
  for (let i = 0; i < p.d; i++) {
    const xp = Float64Array.from(p.x0), xm = Float64Array.from(p.x0);
    xp[i] = xp[i]! + delta; xm[i] = xm[i]! - delta;
    fd.push((loss.value(flowMap(p, xp, steps)) - loss.value(flowMap(p, xm, steps))) / (2 * delta));
  }
  const a0 = Array.from(sol.a0);
  return { a0, fd, err: Math.max(...a0.map((v, i) => Math.abs(v - fd[i]!))), scale: Math.max(...fd.map(Math.abs)), fdStep: delta, rk4Steps: steps };
}

// ───────────────────────────── C2 ─────────────────────────────
export interface C2Data { N: number[]; err: number[]; scale: number[] }
/** Euler ResNet backprop (p_l = p_{l+1}(I + h∂f/∂x), ∂L/∂θ_l = h p_{l+1} ∂f/∂θ) vs complex-step gradients. */
export function discreteGradientVsComplexStep(seed: number, depths: number[], control = false): C2Data {
  const base = baseProblem(seed, 2, 1), d = base.d, P = d * d + d, rng = makeRng(seed + 1);
  const out: C2Data = { N: [], err: [], scale: [] };
  for (const N of depths) {
    const theta = new Float64Array(N * P);
    for (let l = 0; l < N; l++) for (let k = 0; k < P; k++) theta[l * P + k] = base.theta[k]! + 0.5 * rng.normal();
    const scheme = makeEuler(control ? transposeMissing(base.field) : base.field), depth = { N, T: base.T };
    const xs = forward(scheme, base.x0, theta, depth);
    const pN = new Float64Array(d);
    for (let i = 0; i < d; i++) pN[i] = xs[N * d + i]! - base.y[i]!;
    const { ps, gTheta } = backward(scheme, xs, theta, depth, pN);
    const cs = complexStepGradient(d, N, base.T / N, base.x0, theta, base.y);
    let err = 0, scale = 0;
    for (let i = 0; i < d; i++) { err = Math.max(err, Math.abs(ps[i]! - cs.gx[i]!)); scale = Math.max(scale, Math.abs(cs.gx[i]!)); }
    for (let k = 0; k < theta.length; k++) { err = Math.max(err, Math.abs(gTheta[k]! - cs.gTheta[k]!)); scale = Math.max(scale, Math.abs(cs.gTheta[k]!)); }
    out.N.push(N); out.err.push(err); out.scale.push(scale);
  }
  return out;
}

// ───────────────────────────── C4 ─────────────────────────────
export interface C4Data {
  t: number[]; H: number[]; ptp: number; scale: number;
  /** time-dependent q: H(T) − H(0) and ∫ a ∂F/∂q q̇ dt */
  dH: number; quadrature: number; quadratureErr: number;
}
/** H = a·F along the costate solution: constant for constant θ; dH/dt = a ∂F/∂q q̇ otherwise. */
export function hamiltonianConservation(seed: number, points: number, control = false): C4Data {
  const p = baseProblem(seed), loss = quadraticLoss(p.y);
  const field = control ? wrongSign(p.field) : p.field;
  const sol = costate({ field, thetaOf: constant(p.theta), x0: p.x0, T: p.T, lossGrad: loss.grad });
  const t: number[] = [], H: number[] = [];
  for (let k = 0; k <= points; k++) { t.push((k * p.T) / points); H.push(sol.hamiltonian(t[k]!)); }
  const ptp = Math.max(...H) - Math.min(...H), scale = Math.max(...H.map(Math.abs));
  // q(t) = θ + sin(t)·θ₁, q̇ = cos(t)·θ₁
  const rng = makeRng(seed + 7), th1 = new Float64Array(p.theta.length).map(() => 0.4 * rng.normal());
  const qOf = (tt: number, o: Float64Array) => { for (let i = 0; i < o.length; i++) o[i] = p.theta[i]! + Math.sin(tt) * th1[i]!; };
  const sv = costate({ field, thetaOf: qOf, x0: p.x0, T: p.T, lossGrad: loss.grad });
  const n = 400, g = new Float64Array(p.theta.length);
  let quad = 0;
  for (let k = 0; k <= n; k++) {
    const tt = (k * p.T) / n, w = k === 0 || k === n ? 1 : k % 2 ? 4 : 2;
    sv.paramGradient(tt, g);
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i]! * Math.cos(tt) * th1[i]!;
    quad += (w * (p.T / n) * s) / 3;
  }
  const dH = sv.hamiltonian(p.T) - sv.hamiltonian(0);
  return { t, H, ptp, scale, dH, quadrature: quad, quadratureErr: Math.abs(dH - quad) };
}

// ───────────────────────────── C5 ─────────────────────────────
/**
 * The Euler ResNet with tied weights θ_l = θ (N layers on [0, T]), its discrete adjoint p_l for
 * L = ½|x_N − y|² (through `scheme`, which a control may break), the discrete Hamiltonian
 * H_l = p_{l+1}·f(x_l) and the first modified Hamiltonian K_l = H_l + (h/2) p_{l+1}·J(x_l) f(x_l),
 * l = 0 … N−1 (always with the true field f).
 *
 * Why K: x_{l+1} = x_l + h H_p(x_l, p_{l+1}), p_l = p_{l+1} + h H_x(x_l, p_{l+1}) with
 * H(x, p) = p·f(x) is the symplectic Euler method, which conserves the modified Hamiltonian
 * H̃ = H − (h/2) H_x·H_p + O(h²) at (x_l, p_l) (Hairer, Lubich & Wanner, Geometric Numerical
 * Integration, §IX.3); with p_l = p_{l+1}(I + hJ) that is K_l + O(h²). So ptp K = O(h²): the
 * O(h) oscillation of H_l is all first-order modified Hamiltonian, with no secular part. Only
 * the exact discrete adjoint has it: a consistent costate taken one layer late (`lag` = 1:
 * p_{l+2} in place of p_{l+1}, l ≤ N − 2) still gives ptp H = O(h), but ptp K = O(h).
 */
export function tiedEulerHamiltonian(p: BaseProblem, N: number, scheme: Scheme = makeEuler(p.field), lag = 0): { ps: Float64Array; H: number[]; K: number[] } {
  const d = p.d, P = d * d + d, theta = new Float64Array(N * P), h = p.T / N;
  for (let l = 0; l < N; l++) theta.set(p.theta, l * P);
  const depth = { N, T: p.T }, xs = forward(scheme, p.x0, theta, depth);
  const pN = new Float64Array(d);
  for (let i = 0; i < d; i++) pN[i] = xs[N * d + i]! - p.y[i]!;
  const { ps } = backward(scheme, xs, theta, depth, pN);
  const f = new Float64Array(d), Jf = new Float64Array(d), H: number[] = [], K: number[] = [];
  for (let l = 0; l + 1 + lag <= N; l++) {
    const x = xs.subarray(l * d, (l + 1) * d), o = (l + 1 + lag) * d;
    p.field.eval(0, x, p.theta, 0, f);
    p.field.jvp(0, x, p.theta, 0, f, null, 0, Jf);
    let s = 0, sj = 0;
    for (let i = 0; i < d; i++) { s += ps[o + i]! * f[i]!; sj += ps[o + i]! * Jf[i]!; }
    H.push(s); K.push(s + (h / 2) * sj);
  }
  return { ps, H, K };
}

export interface C5Data {
  N: number[]; h: number[]; ptp: number[]; drift: number[]; certificate: OrderCertificate;
  /** ptp of the modified Hamiltonian K_l and its certificate (order 2 for the exact adjoint). */
  ptpModified: number[]; modifiedCertificate: OrderCertificate;
  H: { N: number; values: number[] };
}
/**
 * Discrete H_l = p_{l+1}·f(x_l) of an Euler ResNet with tied weights and its exact discrete
 * adjoint: ptp H certified at order 1, ptp K (the modified Hamiltonian) at order 2. Control:
 * the costate taken one layer late.
 */
export function discreteHamiltonianOscillation(seed: number, depths: number[], control = false): C5Data {
  const p = baseProblem(seed), scheme = makeEuler(p.field), lag = control ? 1 : 0;
  const out = { N: [] as number[], h: [] as number[], ptp: [] as number[], drift: [] as number[], ptpModified: [] as number[], H: { N: 0, values: [] as number[] } };
  for (const N of depths) {
    const { H, K } = tiedEulerHamiltonian(p, N, scheme, lag);
    out.N.push(N); out.h.push(p.T / N);
    out.ptp.push(Math.max(...H) - Math.min(...H));
    out.ptpModified.push(Math.max(...K) - Math.min(...K));
    out.drift.push(Math.abs(H[H.length - 1]! - H[0]!));
    if (N === depths[depths.length - 1]) out.H = { N, values: H };
  }
  return { ...out, certificate: certifyOrder(out.h, out.ptp, 1), modifiedCertificate: certifyOrder(out.h, out.ptpModified, 2) };
}

// ───────────────────────────── C6 ─────────────────────────────
export interface C6Data { N: number; values: number[]; ptp: number; magnitude: number }
/** p_l·δx_l along an Euler ResNet with varying weights, δx from the tangent pass. */
export function bilinearInvariant(seed: number, N: number, control = false): C6Data {
  const p = baseProblem(seed), d = p.d, P = d * d + d, rng = makeRng(seed + 3);
  const theta = new Float64Array(N * P);
  for (let l = 0; l < N; l++) for (let k = 0; k < P; k++) theta[l * P + k] = p.theta[k]! + 0.5 * rng.normal();
  const depth = { N, T: p.T }, scheme = makeEuler(p.field);
  const xs = forward(scheme, p.x0, theta, depth);
  const dx0 = new Float64Array(d).map(() => rng.normal());
  const dxs = tangent(scheme, xs, theta, depth, dx0, null);
  const pN = new Float64Array(d).map(() => rng.normal());
  const adj = control ? makeEuler(transposeMissing(p.field)) : scheme;
  const { ps } = backward(adj, xs, theta, depth, pN);
  const values: number[] = [];
  let magnitude = 0;
  for (let l = 0; l <= N; l++) {
    let s = 0;
    for (let i = 0; i < d; i++) { s += ps[l * d + i]! * dxs[l * d + i]!; magnitude = Math.max(magnitude, Math.abs(ps[l * d + i]! * dxs[l * d + i]!)); }
    values.push(s);
  }
  return { N, values, ptp: Math.max(...values) - Math.min(...values), magnitude };
}

// ───────────────────────────── C7 ─────────────────────────────
export interface C7Data { detM: number; detErr: number; symplecticErr: number; fdStep: number; rk4Steps: number }
/** M = ∂(x(T), a(T))/∂(x(0), a(0)) of the joint flow ẋ = F, ȧ = −a∂F/∂x by central differences. */
export function phaseSpaceFlow(seed: number, control = false): C7Data {
  const p = baseProblem(seed), d = p.d, n = 2 * d;
  const field = control ? wrongSign(p.field) : p.field;
  const xa = new Float64Array(d), aa = new Float64Array(d), fx = new Float64Array(d), ga = new Float64Array(d);
  const G = (t: number, z: Float64Array, o: Float64Array) => {
    for (let i = 0; i < d; i++) { xa[i] = z[i]!; aa[i] = z[d + i]!; }
    field.eval(t, xa, p.theta, 0, fx);
    field.vjp(t, xa, p.theta, 0, aa, ga, null, 0, 0);
    for (let i = 0; i < d; i++) { o[i] = fx[i]!; o[d + i] = -ga[i]!; }
  };
  const rng = makeRng(seed + 5), z0 = new Float64Array(n);
  z0.set(p.x0); for (let i = 0; i < d; i++) z0[d + i] = rng.normal();
  const delta = 1e-5, steps = 2000, M = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const zp = Float64Array.from(z0), zm = Float64Array.from(z0);
    zp[j] = zp[j]! + delta; zm[j] = zm[j]! - delta;
    const a = rk4(G, 0, p.T, zp, steps), b = rk4(G, 0, p.T, zm, steps);
    for (let i = 0; i < n; i++) M[i * n + j] = (a[i]! - b[i]!) / (2 * delta);
  }
  // Ω = [[0, I], [−I, 0]];  E = MᵀΩM − Ω
  const omega = (i: number, j: number) => (i < d && j === i + d ? 1 : i >= d && j === i - d ? -1 : 0);
  let symplecticErr = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += M[k * n + i]! * omega(k, l) * M[l * n + j]!;
      symplecticErr = Math.max(symplecticErr, Math.abs(s - omega(i, j)));
    }
  }
  const detM = det(M, n);
  return { detM, detErr: Math.abs(detM - 1), symplecticErr, fdStep: delta, rk4Steps: steps };
}

// ───────────────────────────── C8 ─────────────────────────────
export interface C8Data { detJacobian: number; expIntegral: number; ratio: number }
/** det ∂x(T)/∂x(0) (central differences of the RK4 flow) vs exp ∫ Tr J dt (DOPRI5 quadrature). */
export function liouvilleFormula(seed: number, control = false): C8Data {
  const p = baseProblem(seed), d = p.d;
  const delta = 1e-5, steps = 4000, Jm = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const xp = Float64Array.from(p.x0), xm = Float64Array.from(p.x0);
    xp[j] = xp[j]! + delta; xm[j] = xm[j]! - delta;
    const a = flowMap(p, xp, steps), b = flowMap(p, xm, steps);
    for (let i = 0; i < d; i++) Jm[i * d + j] = (a[i]! - b[i]!) / (2 * delta);
  }
  let integral: number;
  if (control) {
    // broken: Tr J frozen at the initial state (ignores that the trajectory moves)
    integral = p.T * traceJacobian(p.field, 0, p.x0, p.theta, new Float64Array(d), new Float64Array(d));
  } else {
    const z0 = new Float64Array(d + 1); z0.set(p.x0);
    integral = dopri5(withDivergence(p), 0, p.T, z0, { rtol: 1e-12, atol: 1e-12 }).x[d]!;
  }
  const detJacobian = det(Jm, d), expIntegral = Math.exp(integral);
  return { detJacobian, expIntegral, ratio: detJacobian / expIntegral };
}

// ───────────────────────────── C9 ─────────────────────────────
export interface C9LinearData { t: number[]; entropyChange: number[]; predicted: number[]; err: number }
/** Linear Gaussian case: H(t) − H(0) = ½ log det Σ_t/Σ_0 with Σ_t = e^{wt}Σ₀e^{wᵀt}, vs t·Tr w. */
export function entropyLinearGaussian(seed: number, control = false): C9LinearData {
  const d = 3, rng = makeRng(seed + 11);
  const w = new Float64Array(d * d).map(() => 0.6 * rng.normal());
  // Σ₀ = L Lᵀ + I (SPD)
  const Lm = new Float64Array(d * d).map(() => rng.normal()), S0 = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let s = i === j ? 1 : 0; for (let k = 0; k < d; k++) s += Lm[i * d + k]! * Lm[j * d + k]!; S0[i * d + j] = s; }
  // Φ' = wΦ, Φ(0) = I (DOPRI5 on the d² entries)
  const Phi = (_t: number, z: Float64Array, o: Float64Array) => {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let s = 0; for (let k = 0; k < d; k++) s += w[i * d + k]! * z[k * d + j]!; o[i * d + j] = s; }
  };
  const I = new Float64Array(d * d); for (let i = 0; i < d; i++) I[i * d + i] = 1;
  const sol = dopri5(Phi, 0, 2, I, { rtol: 1e-13, atol: 1e-13, dense: true });
  const rate = control ? -trace(w, d) : trace(w, d);
  const out: C9LinearData = { t: [], entropyChange: [], predicted: [], err: 0 };
  const F = new Float64Array(d * d), St = new Float64Array(d * d), tmp = new Float64Array(d * d);
  const logdet0 = logAbsDet(S0, d);
  for (const t of [0.5, 1, 1.5, 2]) {
    sol.dense!.eval(t, F);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let s = 0; for (let k = 0; k < d; k++) s += F[i * d + k]! * S0[k * d + j]!; tmp[i * d + j] = s; }
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let s = 0; for (let k = 0; k < d; k++) s += tmp[i * d + k]! * F[j * d + k]!; St[i * d + j] = s; }
    const change = 0.5 * (logAbsDet(St, d) - logdet0);
    out.t.push(t); out.entropyChange.push(change); out.predicted.push(t * rate);
    out.err = Math.max(out.err, Math.abs(change - t * rate));
  }
  return out;
}

export interface C9EntropyData {
  samples: number; k: number; T: number;
  /** Exact entropy of P₀ = N(0, σ₀² I). */
  H0: number;
  /** Kozachenko–Leonenko estimates (nats) on the initial sample (known answer H0) and on its image under φ_T. */
  klInitial: number; klInitialSE: number; klFinal: number;
  /** ∫₀ᵀ E[Tr J] dt over the same trajectories, and its standard error. */
  traceIntegral: number; traceSE: number;
  /** The claim's prediction H0 + ∫ E[Tr J] dt, and the measured entropy klFinal − (klInitial − H0). */
  predicted: number; measured: number;
  /** measured − predicted = mean_i [t_i(T) − t_i(0) − ∫ Tr J along trajectory i], and its (paired) standard error. */
  diff: number; se: number;
}
/**
 * Nonlinear case, measured on the entropy itself: n points from P₀ = N(0, 0.5² I) are pushed
 * forward by the flow φ_T of the tanh field (DOPRI5, with ∫ Tr J dt along each trajectory),
 * and the entropy of the image sample is estimated by Kozachenko–Leonenko (k = 3, whitened). The claim
 * predicts H(P_T) = H₀ + ∫₀ᵀ E[Tr J] dt. The estimator's O((k/n)^{2/3}) bias is corrected to
 * first order by its error on the initial sample, whose entropy H₀ is known (same points, same
 * n and k): measured = Ĥ(x_T) − (Ĥ(x_0) − H₀). The difference from the prediction is a mean of
 * paired per-point terms, whose spread gives its standard error. Control: the rate without σ′
 * (Tr K in place of Tr J), on the same pushed-forward sample (only the prediction is wrong).
 */
export function entropyKozachenkoLeonenko(seed: number, samples: number, control = false): C9EntropyData {
  const pf = pushForward(seed, samples);
  // control: Tr K, the divergence of the linear part only (σ′ dropped); constant, so its integral is T·Tr K
  const I = control ? new Float64Array(samples).fill(pf.T * pf.trK) : pf.traceJ;
  const { a, b, H0 } = pf;
  const paired = new Float64Array(samples).map((_, i) => b.terms[i]! - a.terms[i]! - I[i]!);
  const traceIntegral = mean(I);
  const predicted = H0 + traceIntegral, measured = b.entropy - (a.entropy - H0);
  return {
    samples, k: pf.k, T: pf.T, H0, klInitial: a.entropy, klInitialSE: a.se, klFinal: b.entropy,
    traceIntegral, traceSE: sd(I) / Math.sqrt(samples), predicted, measured,
    diff: measured - predicted, se: sd(paired) / Math.sqrt(samples),
  };
}

interface PushedSample {
  T: number; k: number; H0: number; trK: number;
  /** ∫₀ᵀ Tr J dt along each trajectory. */
  traceJ: Float64Array;
  /** Kozachenko–Leonenko on the initial sample and on its image. */
  a: EntropyEstimate; b: EntropyEstimate;
}

/**
 * C9's pushed-forward sample, computed once per (seed, n): the claim and its control share it,
 * in one process (this memo) or across npm start's workers (the result cache, when the
 * control runs after the check).
 */
const pushed = new Map<string, PushedSample>();
function pushForward(seed: number, samples: number): PushedSample {
  const key = `${seed}/${samples}`;
  let r = pushed.get(key);
  if (!r) {
    r = cached('c9-pushed-sample', { seed, samples }, import.meta.url, () => computePushForward(seed, samples));
    pushed.set(key, r);
  }
  return r;
}

function computePushForward(seed: number, samples: number): PushedSample {
  const p = baseProblem(seed), d = p.d, rng = makeRng(seed + 13), k = 3, sigma0 = 0.5;
  const aug = withDivergence(p); // (x, ∫ Tr J dt)
  const X0 = new Float64Array(samples * d), XT = new Float64Array(samples * d), traceJ = new Float64Array(samples);
  const z0 = new Float64Array(d + 1);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < d; i++) X0[s * d + i] = z0[i] = sigma0 * rng.normal();
    z0[d] = 0;
    const zT = dopri5(aug, 0, p.T, z0, { rtol: 1e-10, atol: 1e-10 }).x;
    for (let i = 0; i < d; i++) XT[s * d + i] = zT[i]!;
    traceJ[s] = zT[d]!;
  }
  return {
    T: p.T, k, H0: gaussianEntropy(d, sigma0), trK: trace(p.theta, d), traceJ,
    a: kozachenkoLeonenko(X0, d, k, { whiten: true }), b: kozachenkoLeonenko(XT, d, k, { whiten: true }),
  };
}

// ───────────────────────────── C39a ─────────────────────────────
export interface C39Data { N: number; err: number; scale: number }
/**
 * PMP costate p_n = ∇_x H_n(x_n, p_{n+1}, θ_n), H_n = p_{n+1}·g_n(x_n, θ_n) − R(θ_n) with the
 * Euler layer map g_n = x + h tanh(K_n x + b_n) (R does not depend on x), ∇_x by complex step,
 * iterated backward; compared with backprop. Control: H built from the vector field f instead
 * of the layer map g (the continuous-time H, which drops the identity).
 */
export function pmpCostate(seed: number, N: number, control = false): C39Data {
  const p = baseProblem(seed), d = p.d, P = d * d + d, rng = makeRng(seed + 17), h = p.T / N;
  const theta = new Float64Array(N * P);
  for (let l = 0; l < N; l++) for (let k = 0; k < P; k++) theta[l * P + k] = p.theta[k]! + 0.5 * rng.normal();
  const scheme = makeEuler(p.field), depth = { N, T: p.T };
  const xs = forward(scheme, p.x0, theta, depth);
  const pN = new Float64Array(d);
  for (let i = 0; i < d; i++) pN[i] = xs[N * d + i]! - p.y[i]!;
  const { ps } = backward(scheme, xs, theta, depth, pN);
  const pn = Float64Array.from(pN);
  const next = new Float64Array(d), x = new Float64Array(d);
  let err = 0, scale = 0;
  for (let n = N - 1; n >= 0; n--) {
    for (let i = 0; i < d; i++) x[i] = xs[n * d + i]!;
    complexStepLayerGradient(d, h, x, theta, n * P, pn, next, control);
    pn.set(next);
    for (let i = 0; i < d; i++) { err = Math.max(err, Math.abs(pn[i]! - ps[n * d + i]!)); scale = Math.max(scale, Math.abs(ps[n * d + i]!)); }
  }
  return { N, err, scale };
}
