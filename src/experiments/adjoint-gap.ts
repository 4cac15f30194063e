/**
 * The adjoint gap: |p₀ − a(0)|, the difference between the discrete backprop gradient
 * p₀ = ∂L/∂x₀ of an N-layer net and the continuous costate a(0) of the ODE it discretises,
 * as the depth N grows (h = T/N). Both are gradients of the same loss, one of the net and
 * one of the ODE, so the gap is O(hᵖ) with p the scheme's order: the discrete adjoint of a
 * Runge–Kutta layer is the partitioned RK partner of the forward method (same order), and the
 * gap inherits the forward error of x_N through ∂L/∂x(T).
 *
 * Negative control ("rough"): alternating-sign layer weights, θ_l = θ(t_l) + (−1)ˡ R. The net
 * then follows an averaged ODE, not the weak-limit ODE with θ(t), and the gap to the weak-limit
 * costate does not close. For σ(Kx + b) nets R is O(1) (the averaged field
 * ½[σ((K+R)x+b) + σ((K−R)x+b)] differs from σ(Kx+b) because σ is nonlinear); the FF field is
 * linear in A, so an O(1) alternation would average out at O(h): there R/√h is used, and the
 * net follows Ax + β + g(x) − ½R²x. A researcher's problem (`problem`) alternates every
 * parameter by ±R, which breaks the limit when F is nonlinear in θ.
 *
 * With `gradient`, the gap of the gradient for a parameter shared by all layers is measured
 * too: the net's Σ_{l,s} ∂L/∂θ_{l,s} against the Pontryagin integral ∫ a ∂F/∂θ dt (costate.ts),
 * both the derivative of the loss under one uniform shift δθ of θ(t), so it closes at the
 * same order; and the loss gap |L(x_N) − L(x(T))|, which inherits the forward error O(hᵖ)
 * (C39(b): tied weights, Avelin & Nyström 2021).
 */
import { certifyOrder, describeCertificate, type OrderCertificate } from '../numeric/certify.ts';
import { costate } from '../numeric/costate.ts';
import { backward, forward, nodesToStages, sampleParams, SCHEME_NAMES } from '../numeric/schemes/net.ts';
import { quote, UserError } from '../util/errors.ts';
import { validateDepths } from './depth-sweep.ts';
import { hamiltonianProblem, type HamiltonianProblem } from './hamiltonian-problem.ts';

/**
 * The gap order each scheme should show (its forward order; RK4: 4, see the module comment;
 * Verlet: 2, its discrete adjoint being the same partitioned pair transposed).
 */
export const EXPECTED_GAP_ORDER: Record<string, number> = { ff: 1, euler: 1, heun: 2, midpoint: 2, rk4: 4, verlet: 2 };

/**
 * With weights tied to the layer nodes (half-step parameters by linear interpolation, as
 * Meganet's RK4 propagation), the O(h²) interpolation error of θ(t + h/2) caps every scheme at
 * order 2: RK4's gap is then order 2 (measured: slope 2.00 ± 0.00).
 */
export function expectedGapOrder(scheme: string, params: 'sampled' | 'tied' = 'sampled'): number {
  if (!Object.hasOwn(EXPECTED_GAP_ORDER, scheme)) throw new UserError(`unknown scheme ${quote(scheme)} (known: ${Object.keys(EXPECTED_GAP_ORDER).join(', ')})`);
  const p = EXPECTED_GAP_ORDER[scheme]!;
  return params === 'tied' ? Math.min(p, 2) : p;
}

export interface AdjointGapConfig {
  scheme: string;
  depths: number[];
  /** alternating-sign (rough) weights: the negative control */
  rough?: boolean;
  /**
   * 'sampled' (default): stage parameters θ(t_l + c_s h) exactly; 'tied': weights on the nodes
   * t_0 … t_N and stage parameters by linear interpolation (`nodesToStages`).
   */
  params?: 'sampled' | 'tied';
  activation?: string;
  /** tolerance of the continuous costate (default 1e-13) */
  tol?: number;
  /** A researcher's problem instead of the built-in one of `scheme` (which then only labels it). */
  problem?: Pick<HamiltonianProblem, 'scheme' | 'd' | 'T' | 'x0' | 'thetaOf' | 'loss'>;
  /** Also measure the gap of the shared-parameter gradient (Σ over layers vs ∫ a ∂F/∂θ dt) and of the loss. */
  gradient?: boolean;
}

export interface AdjointGapResult {
  scheme: string;
  rough: boolean;
  params: 'sampled' | 'tied';
  expectedOrder: number;
  depths: number[];
  h: number[];
  /** max_i |p₀,i − a_i(0)| per depth */
  gap: number[];
  a0: number[];
  p0: number[][];
  certificate: OrderCertificate;
  summary: string;
  /** With `gradient`: max_k |Σ_{l,s} ∂L/∂θ_{l,s,k} − ∫ a ∂F/∂θ_k dt| per depth, its certificate and the integral. */
  gradientGap?: number[];
  gradientCertificate?: OrderCertificate;
  integral?: number[];
  /** With `gradient`: |L(x_N) − L(x(T))| per depth, its certificate, and the ODE's loss L(x(T)). */
  lossGap?: number[];
  lossCertificate?: OrderCertificate;
  odeLoss?: number;
}

/** Check a depth list: at least 3 (to certify an order), then `validateDepths` (UserError otherwise). */
function checkDepths(depths: number[]): number[] {
  if (depths.length < 3) throw new UserError(`need at least 3 depths to certify an order, got ${depths.length}`);
  return validateDepths(depths);
}

export function adjointGap(cfg: AdjointGapConfig, onProgress?: (line: string) => void): AdjointGapResult {
  if (!cfg.problem && !(SCHEME_NAMES as readonly string[]).includes(cfg.scheme)) throw new UserError(`unknown scheme ${quote(cfg.scheme)} (known: ${SCHEME_NAMES.join(', ')})`);
  const depths = checkDepths(cfg.depths);
  const pb = cfg.problem ?? hamiltonianProblem(cfg.scheme, cfg.activation ? { activation: cfg.activation } : {});
  const { scheme, d, T, x0, thetaOf, loss } = pb;
  const tol = cfg.tol ?? 1e-13;
  const withGradient = cfg.gradient === true && scheme.field.paramDim > 0;
  const sol = costate({ field: scheme.field, thetaOf, x0, T, lossGrad: loss.grad }, { rtol: tol, atol: tol, paramIntegral: withGradient });
  const a0 = Array.from(sol.a0);
  const integral = sol.paramIntegral ? Array.from(sol.paramIntegral) : [];
  const gradGap: number[] = [], lossGap: number[] = [];
  const odeLoss = loss.value(sol.xT);
  const P = scheme.field.paramDim, S = scheme.stageTimes.length;
  const rough = cfg.rough ?? false, params = cfg.params ?? 'sampled';
  const hs: number[] = [], gap: number[] = [], p0s: number[][] = [];
  for (const N of depths) {
    const h = T / N;
    let th: Float64Array;
    if (params === 'tied') {
      const nodes = new Float64Array((N + 1) * P), buf = new Float64Array(P);
      for (let l = 0; l <= N; l++) { thetaOf(l * h, buf); nodes.set(buf, l * P); }
      th = nodesToStages(scheme, nodes, N);
    } else th = sampleParams(scheme, { N, T }, thetaOf);
    if (rough) {
      // R = 0.9 on the weight matrix's diagonal and anti-diagonal (b untouched); every parameter of a researcher's field
      const amp = !cfg.problem && cfg.scheme === 'ff' ? 1 / Math.sqrt(h) : 1;
      const k = Math.round((Math.sqrt(1 + 4 * P) - 1) / 2); // the built-in weight matrix is k×k, P = k² + k
      for (let l = 0; l < N; l++) {
        const sign = l % 2 ? -1 : 1;
        for (let s = 0; s < S; s++) {
          const o = (l * S + s) * P;
          if (cfg.problem) { for (let k = 0; k < P; k++) th[o + k] = th[o + k]! + sign * 0.9; continue; }
          for (let i = 0; i < k; i++) {
            th[o + i * k + i] = th[o + i * k + i]! + sign * amp * 0.9;
            th[o + i * k + (k - 1 - i)] = th[o + i * k + (k - 1 - i)]! + sign * amp * 0.9;
          }
        }
      }
    }
    const xs = forward(scheme, x0, th, { N, T });
    const pN = new Float64Array(d);
    loss.grad(xs.subarray(N * d), pN);
    const { ps, gTheta } = backward(scheme, xs, th, { N, T }, pN);
    let e = 0;
    for (let i = 0; i < d; i++) e = Math.max(e, Math.abs(ps[i]! - a0[i]!));
    if (withGradient) {
      let g = 0;
      for (let k = 0; k < P; k++) {
        let sum = 0;
        for (let j = k; j < gTheta.length; j += P) sum += gTheta[j]!;
        g = Math.max(g, Math.abs(sum - integral[k]!));
      }
      gradGap.push(g);
      lossGap.push(Math.abs(loss.value(xs.subarray(N * d)) - odeLoss));
    }
    hs.push(h); gap.push(e); p0s.push(Array.from(ps.subarray(0, d)));
    onProgress?.(`adjoint-gap ${cfg.scheme}${rough ? ' (rough)' : ''}${params === 'tied' ? ' (tied)' : ''}: N = ${N}, gap = ${e.toExponential(3)}`);
  }
  const expectedOrder = cfg.problem ? (params === 'tied' ? Math.min(scheme.order, 2) : scheme.order) : expectedGapOrder(cfg.scheme, params);
  const scale = Math.max(...a0.map(Math.abs));
  // the costate is accurate to ~tol·scale: errors below 100× that are not resolved
  const certificate = certifyOrder(hs, gap, expectedOrder, { scale, floor: 100 * tol * Math.max(1, scale) });
  const result: AdjointGapResult = {
    scheme: cfg.scheme, rough, params, expectedOrder, depths, h: hs, gap, a0, p0: p0s, certificate,
    summary: describeCertificate(certificate),
  };
  if (withGradient) {
    const gScale = Math.max(1, ...integral.map(Math.abs));
    const lScale = Math.max(1, Math.abs(odeLoss));
    Object.assign(result, {
      gradientGap: gradGap, integral,
      gradientCertificate: certifyOrder(hs, gradGap, expectedOrder, { scale: gScale, floor: 100 * tol * T * gScale }),
      lossGap, odeLoss,
      // x(T) is accurate to ~tol·|x|, so L(x(T)) to ~tol·|∂L/∂x|·|x| ≲ tol·scale
      lossCertificate: certifyOrder(hs, lossGap, expectedOrder, { scale: lScale, floor: 100 * tol * lScale }),
    });
  }
  return result;
}
