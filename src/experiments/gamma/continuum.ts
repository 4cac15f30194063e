/**
 * The continuum L² gradient of the Thorpe–van Gennip functional (C22) and the scaled discrete
 * gradient that converges to it.
 *
 * For smooth K(t), b(t) with K' = b' = 0 at t = 0, 1 (so no boundary terms), κ = 1:
 *   Ẋ_s = σ(K X_s + b),  X_s(0) = x_s;   −ṗ_s = Kᵀ(σ'(K X_s + b) ⊙ p_s),  p_s(1) = (r_s/S) w,
 *   δE/δK(t) = 2·ridge·K − 2·smooth·K'' + Σ_s (p_s ⊙ σ'(K X_s + b)) X_sᵀ,
 *   δE/δb(t) = 2·ridge·b − 2·smooth·b'' + Σ_s  p_s ⊙ σ'(K X_s + b).
 * The discrete n·∂E_n/∂θ_k at θ_k = θ(t_k), t_k = (k+½)/n, equals δE/δθ(t_k) + O(1/n): the
 * difference term gives −2·smooth·n²(Δ²θ)_k = −2·smooth·θ''(t_k) + O(n⁻²), the loss term
 * σ'(z_k) p_{k+1} x_kᵀ samples the integrand at t = k/n and (k+1)/n, half a cell from t_k.
 * The state and costate are integrated by DOPRI5 (dense output) at tolerance 1e−12.
 */
import { dopri5 } from '../../numeric/ode/dopri5.ts';
import { cached, filesDigest } from '../../util/cache.ts';
import { subsample, type Dataset } from './data.ts';
import { depthObjective, type GammaModel } from './objective.ts';
import { BENCH_DATA, benchProblem, doublings } from './sweep.ts';

/** A smooth parameter path: writes K(t) (d×d row-major) then b(t) (d) into out; and θ''. */
export interface ParameterPath {
  value(t: number, out: Float64Array): void;
  second(t: number, out: Float64Array): void;
}

/** θ_j(t) = u_j + v_j cos(πt): smooth, with θ'(0) = θ'(1) = 0 (the natural boundary condition). */
export function cosinePath(u: ArrayLike<number>, v: ArrayLike<number>): ParameterPath {
  return {
    value(t, out) { for (let j = 0; j < u.length; j++) out[j] = u[j]! + v[j]! * Math.cos(Math.PI * t); },
    second(t, out) { for (let j = 0; j < u.length; j++) out[j] = -Math.PI * Math.PI * v[j]! * Math.cos(Math.PI * t); },
  };
}

/**
 * Solve the state and costate once; return t ↦ δE/δθ at the given times (rows of P numbers,
 * layer-major like θ). Fixed readout, κ = 1.
 */
export function continuumGradient(model: GammaModel, data: Dataset, path: ParameterPath): (times: number[]) => Float64Array {
  if (model.readout.kind !== 'fixed') throw new Error('continuumGradient: fixed readout only');
  if (model.kappa !== 1) throw new Error('continuumGradient: κ = 1 only (the limit of other κ is degenerate)');
  const { d, S } = data, P = d * d + d;
  const { sigma, dsigma } = model.activation;
  const th = new Float64Array(P);
  const forward = (t: number, x: Float64Array, out: Float64Array): void => {
    path.value(t, th);
    for (let s = 0; s < S; s++) {
      for (let i = 0; i < d; i++) {
        let acc = th[d * d + i]!;
        for (let j = 0; j < d; j++) acc += th[i * d + j]! * x[s * d + j]!;
        out[s * d + i] = sigma(acc);
      }
    }
  };
  const tol = { rtol: 1e-12, atol: 1e-14, dense: true };
  const fw = dopri5(forward, 0, 1, Float64Array.from(data.x), tol);
  const X = new Float64Array(S * d);
  const { w, c } = model.readout;
  const p1 = new Float64Array(S * d);
  for (let s = 0; s < S; s++) {
    let out = c;
    for (let i = 0; i < d; i++) out += w[i]! * fw.x[s * d + i]!;
    const r = (out - data.y[s]!) / S;
    for (let i = 0; i < d; i++) p1[s * d + i] = r * w[i]!;
  }
  /** σ'(K X_s + b) at time t for every sample, into z-like rows of dz. */
  const dz = new Float64Array(S * d);
  const activationSlopes = (t: number): void => {
    path.value(t, th);
    fw.dense!.eval(t, X);
    for (let s = 0; s < S; s++) for (let i = 0; i < d; i++) {
      let acc = th[d * d + i]!;
      for (let j = 0; j < d; j++) acc += th[i * d + j]! * X[s * d + j]!;
      dz[s * d + i] = dsigma(acc);
    }
  };
  // ṗ = −Kᵀ(σ' ⊙ p), integrated from t = 1 back to 0
  const costate = (t: number, p: Float64Array, out: Float64Array): void => {
    activationSlopes(t);
    for (let s = 0; s < S; s++) for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let i = 0; i < d; i++) acc += th[i * d + j]! * dz[s * d + i]! * p[s * d + i]!;
      out[s * d + j] = -acc;
    }
  };
  const bw = dopri5(costate, 1, 0, p1, tol);
  const p = new Float64Array(S * d), second = new Float64Array(P);
  const ridge = (j: number) => (j < d * d ? model.regK.ridge : model.regB.ridge);
  const smooth = (j: number) => (j < d * d ? model.regK.smooth : model.regB.smooth);
  return (times) => {
    const G = new Float64Array(times.length * P);
    times.forEach((t, k) => {
      activationSlopes(t);
      bw.dense!.eval(t, p);
      path.second(t, second);
      const o = k * P;
      for (let j = 0; j < P; j++) G[o + j] = 2 * ridge(j) * th[j]! - 2 * smooth(j) * second[j]!;
      for (let s = 0; s < S; s++) for (let i = 0; i < d; i++) {
        const q = p[s * d + i]! * dz[s * d + i]!;
        for (let j = 0; j < d; j++) G[o + i * d + j] = G[o + i * d + j]! + q * X[s * d + j]!;
        G[o + d * d + i] = G[o + d * d + i]! + q;
      }
    });
    return G;
  };
}

export interface GradientErrors {
  n: number[];
  /** max_k |n ∂E_n/∂θ_k − δE/δθ(t_k)| over all layers and slots (C22). */
  scaled: number[];
  /** max_k |∂E_n/∂θ_k − δE/δθ(t_k)|, without the factor n (C22's negative control). */
  unscaled: number[];
  /** max |δE/δθ| over every depth's times. */
  gradientScale: number;
  /** Samples S of the data. */
  samples: number;
}

/** Both errors along depths: one discrete gradient per depth serves the scaled and the unscaled comparison. */
export function gradientErrors(model: GammaModel, data: Dataset, path: ParameterPath, depths: number[]): GradientErrors {
  const P = data.d * data.d + data.d;
  const scaled: number[] = [], unscaled: number[] = [];
  let gradientScale = 0;
  const gradientAt = continuumGradient(model, data, path);
  for (const n of depths) {
    const ob = depthObjective(model, data, n);
    const th = new Float64Array(ob.size), row = new Float64Array(P);
    const times = Array.from({ length: n }, (_, k) => (k + 0.5) / n);
    times.forEach((t, k) => { path.value(t, row); th.set(row, k * P); });
    const g = new Float64Array(ob.size);
    ob.fg(th, g);
    const G = gradientAt(times);
    let es = 0, eu = 0;
    for (let i = 0; i < n * P; i++) {
      es = Math.max(es, Math.abs(n * g[i]! - G[i]!));
      eu = Math.max(eu, Math.abs(g[i]! - G[i]!));
      gradientScale = Math.max(gradientScale, Math.abs(G[i]!));
    }
    scaled.push(es); unscaled.push(eu);
  }
  return { n: depths, scaled, unscaled, gradientScale, samples: data.S };
}

/** C22's parameter path: K, b = u + v cos πt (d = 2: K row-major, then b). */
const C22_PATH = cosinePath([0.5, -1, 1.2, 0.3, 0.2, -0.1], [0.8, 0.5, -0.6, 0.4, 0.3, 0.2]);

/**
 * C22's ladder on the GAMMA data: quick 16 rows, n = 8 … 128; full 64 rows, n = 8 … 1024.
 * Cached (src/util/cache.ts): the claim's check (scaled), its control (unscaled) and the
 * gamma-convergence notebook's figure (the depths up to 512 in full mode: each depth is
 * computed on its own, so a prefix of the ladder is the shorter ladder) read one computation.
 */
export function claimGradientErrors(mode: 'quick' | 'full'): GradientErrors {
  return cached('c22-gradient-errors', { mode, data: filesDigest([BENCH_DATA]) }, import.meta.url, () => {
    const { model, data } = benchProblem();
    return gradientErrors(model, subsample(data, mode === 'quick' ? 16 : 64), C22_PATH, doublings(8, mode === 'quick' ? 128 : 1024));
  });
}
