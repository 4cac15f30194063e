/**
 * Depth sweeps for residual nets X⁽ⁱ⁺¹⁾ = X⁽ⁱ⁾ + (1/n) σ(K⁽ⁱ⁾ X⁽ⁱ⁾ + b⁽ⁱ⁾) (Thorpe–van Gennip,
 * Sander et al.) and the negative controls that must NOT converge to the ODE they are
 * compared with:
 *
 *  - forward consistency (C16): smooth K(t), b(t) sampled on the grid give
 *    max_i |X⁽ⁱ⁾ − X(i/n)| = O(1/n); a mis-scaled residual X + (c/n)σ(…) does not;
 *  - alternating weights K⁽ⁱ⁾ = (−1)ⁱ (C23): the net converges at O(1/n) to the averaged ODE
 *    Ẋ = ½[σ(X + b) + σ(−X + b)], not to the weak-limit ODE Ẋ = σ(b);
 *  - smooth versus rough weights (C35): the gap between the ResNet and the ODE driven by the
 *    piecewise-linear interpolant of its own weights is O(1/N) for θ_k = Θ(k/N) and O(1)
 *    for θ_k = (−1)ᵏ (the interpolated ODE tends to Ẋ = ½∫₋₁¹ σ(kX + b) dk instead).
 *
 * The nets run through the numeric engineer's Euler scheme on `resnetField`; the targets are
 * ODEs compiled from text and solved by DOPRI5, so net and target share no code.
 */
import { ACTIVATIONS } from '../numeric/activations.ts';
import { makeEuler } from '../numeric/schemes/euler.ts';
import { resnetField } from '../numeric/schemes/fields.ts';
import { forward, forwardFinal, sampleParams } from '../numeric/schemes/net.ts';
import { compileField, compileVectorField } from '../symbolic/compile.ts';
import { UserError } from '../util/errors.ts';
import { cached } from '../util/cache.ts';
import { referenceSolution, runLadder, type Ladder, type Progress } from './depth-sweep.ts';
import { stateVarsOf } from '../symbolic/layers.ts';
import { substituteSymbol } from './sweep-problem.ts';

/** σ = tanh for both the net (activations.ts) and the text of the target ODEs. */
const SIGMA_TEXT = 'tanh(z)';
const tanh = ACTIVATIONS.tanh!;

export interface ResidualProblemText {
  /** K(t): d² entries row-major, in t. */
  K: readonly string[];
  /** b(t): d entries. */
  b: readonly string[];
  x0: readonly number[];
  T: number;
}

/** The ResNet field σ(K(t)x + b(t)) as text components in x1…xd and t. */
function resnetText(p: ResidualProblemText, d: number): string[] {
  const xs = stateVarsOf(d);
  return xs.map((_, i) => substituteSymbol(SIGMA_TEXT, 'z', [...xs.map((xj, j) => `(${p.K[i * d + j]})*${xj}`), `(${p.b[i]})`].join(' + ')));
}

function checkResidual(p: ResidualProblemText): number {
  const d = p.x0.length;
  if (p.K.length !== d * d || p.b.length !== d) throw new UserError(`residual problem: K needs ${d * d} and b ${d} entries`);
  if (!(p.T > 0 && Number.isFinite(p.T))) throw new UserError(`T must be positive and finite, got ${p.T}`);
  return d;
}

/**
 * C16: max over layers |X⁽ⁱ⁾ − X(t_i)| for the ResNet with K(t), b(t) sampled on the grid,
 * against the dense DOPRI5 solution of Ẋ = σ(K(t)X + b(t)). `residualScale` c ≠ 1 gives the
 * mis-scaled negative control X + (c/n)σ(…), measured at the final layer and all layers alike.
 */
export function forwardConsistencySweep(p: ResidualProblemText, depths: readonly number[],
  opts: { residualScale?: number; onProgress?: Progress } = {}): Ladder & { trajectory: { t: number[]; net: number[][]; ode: number[][] } } {
  // the convergence notebook and C16's check run this same sweep: computed once (src/util/cache.ts);
  // with a progress callback it runs (a stored result would report no progress)
  if (opts.onProgress) return computeForwardConsistency(p, depths, opts);
  const residualScale = opts.residualScale ?? 1;
  return cached('forward-consistency', { p, depths, residualScale }, import.meta.url, () => computeForwardConsistency(p, depths, { residualScale }));
}

function computeForwardConsistency(p: ResidualProblemText, depths: readonly number[],
  opts: { residualScale?: number; onProgress?: Progress }): Ladder & { trajectory: { t: number[]; net: number[][]; ode: number[][] } } {
  const d = checkResidual(p);
  const c = opts.residualScale ?? 1;
  const x0 = Float64Array.from(p.x0);
  const ode = compileVectorField(resnetText(p, d), stateVarsOf(d), 't');
  const ref = referenceSolution(ode, p.T, x0, { dense: true });
  const thetaFn = compileField([...p.K, ...p.b], ['t']);
  const args = new Float64Array(1);
  const thetaOf = (t: number, out: Float64Array) => { args[0] = t; thetaFn(args, out); };
  const s = makeEuler(resnetField(d, tanh));
  const y = new Float64Array(d);
  let trajectory = { t: [] as number[], net: [] as number[][], ode: [] as number[][] };
  const ladder = runLadder({
    label: c === 1 ? 'ResNet vs ODE (max over layers)' : `mis-scaled residual X + (${c}/n)σ vs ODE`,
    depths, T: p.T, expected: 1, floor: ref.floor, scale: ref.scale,
    error(N) {
      const th = sampleParams(s, { N, T: p.T }, thetaOf);
      let xs: Float64Array;
      if (c === 1) xs = forward(s, x0, th, { N, T: p.T });
      else {
        // Mis-scaled: store every layer of the c·h net the same way.
        xs = new Float64Array((N + 1) * d);
        xs.set(x0);
        const cur = new Float64Array(d);
        for (let l = 0; l < N; l++) {
          for (let i = 0; i < d; i++) cur[i] = xs[l * d + i]!;
          s.step(l * p.T / N, c * p.T / N, cur, th, l * s.field.paramDim, y);
          xs.set(y, (l + 1) * d);
        }
      }
      let m = 0;
      const tr = { t: [] as number[], net: [] as number[][], ode: [] as number[][] };
      const every = Math.max(1, Math.floor(N / 64));
      for (let l = 0; l <= N; l++) {
        const t = (l * p.T) / N;
        ref.dense!.eval(Math.min(t, p.T), y);
        for (let i = 0; i < d; i++) m = Math.max(m, Math.abs(xs[l * d + i]! - y[i]!));
        if (l % every === 0 || l === N) { tr.t.push(t); tr.net.push(Array.from(xs.subarray(l * d, l * d + d))); tr.ode.push(Array.from(y)); }
      }
      trajectory = tr;
      return m;
    },
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { ...ladder, trajectory };
}

export interface AlternatingConfig {
  /** bias b (default 0.5), initial state x0 (default 1), horizon T (default 1): CLAIMS C23. */
  b?: number;
  x0?: number;
  T?: number;
  depths: readonly number[];
}

export interface AlternatingResult {
  /** Errors to the averaged-ODE limit (must certify order 1). */
  averaged: Ladder;
  /** Distances to the weak-limit ODE's X(T) (must NOT certify: a plateau). */
  weak: Ladder;
  limits: { averaged: number; weak: number };
  finals: number[];
}

/** The depth-n net with K⁽ⁱ⁾ = (−1)ⁱ, b⁽ⁱ⁾ = b in 1-D (C23). */
function alternatingNet(b: number) {
  const s = makeEuler(resnetField(1, tanh));
  return (N: number, T: number, x0: number): number => {
    const th = new Float64Array(2 * N);
    for (let i = 0; i < N; i++) { th[2 * i] = i % 2 === 0 ? 1 : -1; th[2 * i + 1] = b; }
    const out = new Float64Array(1);
    forwardFinal(s, Float64Array.of(x0), th, { N, T }, out);
    return out[0]!;
  };
}

/**
 * C23 / C35 alternating weights: X(T) of the net versus the averaged ODE
 * Ẋ = ½[σ(X + b) + σ(−X + b)] and the weak-limit ODE Ẋ = σ(b), both solved by DOPRI5 from text.
 */
export function alternatingSweep(cfg: AlternatingConfig): AlternatingResult {
  const b = cfg.b ?? 0.5, x0 = cfg.x0 ?? 1, T = cfg.T ?? 1;
  const avgText = `1/2*(${substituteSymbol(SIGMA_TEXT, 'z', `x1 + ${b}`)} + ${substituteSymbol(SIGMA_TEXT, 'z', `-x1 + ${b}`)})`;
  const weakText = substituteSymbol(SIGMA_TEXT, 'z', `${b}`);
  const X0 = Float64Array.of(x0);
  const avg = referenceSolution(compileVectorField([avgText], ['x1'], 't'), T, X0);
  const weak = referenceSolution(compileVectorField([weakText], ['x1'], 't'), T, X0);
  const net = alternatingNet(b);
  const finals = new Map<number, number>();
  const final = (N: number) => { if (!finals.has(N)) finals.set(N, net(N, T, x0)); return finals.get(N)!; };
  const averaged = runLadder({ label: 'alternating K vs averaged ODE', depths: cfg.depths, T, expected: 1, floor: avg.floor, error: (N) => Math.abs(final(N) - avg.x[0]!) });
  const weakL = runLadder({ label: 'alternating K vs weak-limit ODE', depths: cfg.depths, T, expected: 1, floor: weak.floor, error: (N) => Math.abs(final(N) - weak.x[0]!) });
  return { averaged, weak: weakL, limits: { averaged: avg.x[0]!, weak: weak.x[0]! }, finals: cfg.depths.map(final) };
}

export interface SmoothnessConfig { Theta?: string; b?: number; x0?: number; T?: number; depths: readonly number[]; substeps?: number }

export interface SmoothnessResult {
  smooth: Ladder;
  rough: Ladder;
}

/**
 * C35: gap |x_N − x̃_N(T)| between the ResNet x_{k+1} = x_k + (T/N) σ(θ_k x_k + b) and the ODE
 * ẋ = σ(θ̃(t) x + b) driven by the piecewise-linear interpolant θ̃ of θ_0 … θ_N. The ODE is
 * integrated interval by interval with RK4 (`substeps` per layer: θ̃ is linear, hence smooth,
 * inside each interval, so the error is O((h/substeps)⁴)). θ_k = Θ(t_k) with Θ(t) given as
 * text (smooth) versus θ_k = (−1)ᵏ (rough).
 */
export function weightSmoothnessSweep(cfg: SmoothnessConfig): SmoothnessResult {
  // the convergence notebook, C35's check and its control measure this same sweep: computed once (src/util/cache.ts)
  return cached('weight-smoothness', cfg, import.meta.url, () => computeWeightSmoothness(cfg));
}

function computeWeightSmoothness(cfg: SmoothnessConfig): SmoothnessResult {
  const b = cfg.b ?? 0.5, x0 = cfg.x0 ?? 1, T = cfg.T ?? 1, M = cfg.substeps ?? 8;
  const Theta = compileField([cfg.Theta ?? 'cos(3*t)'], ['t']);
  const ta = new Float64Array(1), tv = new Float64Array(1);
  const ThetaOf = (t: number) => { ta[0] = t; Theta(ta, tv); return tv[0]!; };
  const s = makeEuler(resnetField(1, tanh));
  const gap = (weights: (k: number, N: number) => number) => (N: number): number => {
    const h = T / N;
    const nodes = new Float64Array(N + 1);
    for (let k = 0; k <= N; k++) nodes[k] = weights(k, N);
    const th = new Float64Array(2 * N);
    for (let k = 0; k < N; k++) { th[2 * k] = nodes[k]!; th[2 * k + 1] = b; }
    const out = new Float64Array(1);
    forwardFinal(s, Float64Array.of(x0), th, { N, T }, out);
    // ODE with θ̃ piecewise linear: RK4 with M substeps per layer interval.
    let x = x0;
    const f = (t: number, k: number, y: number) => {
      const c = (t - k * h) / h;
      return Math.tanh(((1 - c) * nodes[k]! + c * nodes[k + 1]!) * y + b);
    };
    const dt = h / M;
    for (let k = 0; k < N; k++) {
      for (let m = 0; m < M; m++) {
        const t = k * h + m * dt;
        const k1 = f(t, k, x), k2 = f(t + dt / 2, k, x + (dt / 2) * k1), k3 = f(t + dt / 2, k, x + (dt / 2) * k2), k4 = f(t + dt, k, x + dt * k3);
        x += (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      }
    }
    return Math.abs(out[0]! - x);
  };
  return {
    smooth: runLadder({ label: 'smooth weights θ_k = Θ(k/N)', depths: cfg.depths, T, expected: 1, error: gap((k, N) => ThetaOf((k * T) / N)) }),
    rough: runLadder({ label: 'rough weights θ_k = (−1)^k', depths: cfg.depths, T, expected: 1, error: gap((k) => (k % 2 === 0 ? 1 : -1)) }),
  };
}

/** Thorpe's weighted average ½∫₋₁¹ tanh(kx + b) dk = [log cosh(x + b) − log cosh(−x + b)]/(2x) (x ≠ 0). */
export function interpolatedLimitField(x: number, b: number): number {
  if (Math.abs(x) < 1e-8) return Math.tanh(b);
  const lc = (z: number) => Math.abs(z) + Math.log1p(Math.exp(-2 * Math.abs(z))) - Math.LN2;
  return (lc(x + b) - lc(-x + b)) / (2 * x);
}
