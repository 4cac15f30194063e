/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical
 * Optimization, 2nd ed., Alg. 7.4/7.5 and 3.5/3.6), hand-written on Float64Array.
 *
 * Direction: the two-loop recursion d = −H_k g with the initial inverse Hessian
 *   H_k⁰ = γ_k M⁻¹,   γ_k = sᵀy / (yᵀ M⁻¹ y)   (the newest pair),
 * i.e. the usual scaled identity measured in the metric M. Without a preconditioner M = I and
 * this is the textbook γ_k I. With M the Gram matrix of a Sobolev inner product, L-BFGS
 * becomes a quasi-Newton method in that Hilbert space and its iteration count stops
 * depending on the grid when the objective's conditioning comes from the same operator.
 *
 * Line search: bracketing then zoom with safeguarded cubic interpolation (N&W §3.5), on
 * φ(α) = f(x + αd). Near a minimum f(x + αd) − f(x) falls below the rounding error of f, so
 * Armijo's test becomes noise; we then also accept the approximate Wolfe conditions of
 * Hager & Zhang (2005): φ(α) ≤ φ(0) + ε|φ(0)| and σφ'(0) ≤ φ'(α) ≤ (1 − 2c₁)|φ'(0)|, which
 * use only derivatives (accurate to rounding) and let the gradient reach ~1e-10.
 *
 * Memory: the history ring (2·m·n numbers) and a few work vectors are allocated once per
 * call; an iteration allocates nothing.
 */

import { normInf } from './linalg.ts';

/** Returns f(x) and writes ∇f(x) into g. */
export type ValueAndGradient = (x: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  history?: number;            // default 20
  maxIterations?: number;      // default 5000
  gradTol?: number;            // stop when stopNorm(g) <= gradTol
  stopNorm?: (g: Float64Array) => number;                       // default ‖g‖_∞
  precondition?: (g: Float64Array, out: Float64Array) => void;  // apply H0 = M⁻¹ (SPD), the metric
  onIteration?: (it: number, f: number, gnorm: number) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
  gnorm: number;
  history: { f: number; gnorm: number }[];
}

/** Line-search constants (N&W's recommended values for quasi-Newton methods). */
const C1 = 1e-4;
const C2 = 0.9;
/** Relative slack in f for the approximate-Wolfe branch (≈ 4500 ulps of f: above the rounding
 *  of a sum over thousands of terms, far below any decrease Armijo could still resolve). */
const EPS_F = 1e-12;
const MAX_LINE_EVALS = 30;

function dot(a: Float64Array, b: Float64Array, n: number, offA = 0, offB = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offA + i]! * b[offB + i]!;
  return s;
}

/**
 * Minimiser of the cubic through (a, fa, da), (b, fb, db) (N&W eq. 3.59), or NaN when the
 * cubic has no real minimiser (the caller then bisects or extrapolates).
 */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const den = db - da + 2 * d2;
  if (den === 0) return NaN;
  return b - (b - a) * (db + d2 - d1) / den;
}

/**
 * Minimise f by L-BFGS with a strong-Wolfe line search.
 *
 * Arguments: fg writes ∇f and returns f; x0 is not modified.
 * Returns: the last iterate, its value and stop-norm of the gradient, the counts, whether the
 * gradient test was met and why the iteration stopped ('gradient tolerance', 'iteration cap',
 * 'line search failed', 'non-finite value').
 */
export function lbfgs(fg: ValueAndGradient, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = Math.max(1, opts.history ?? 20);
  const maxIt = opts.maxIterations ?? 5000;
  const gradTol = opts.gradTol ?? 1e-8;
  const stopNorm = opts.stopNorm ?? normInf;
  const pre = opts.precondition;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const q = new Float64Array(n), yv = new Float64Array(n);
  const xt = new Float64Array(n), gt = new Float64Array(n);   // line-search trial point
  const xlo = new Float64Array(n), glo = new Float64Array(n); // best Armijo point of the zoom
  const S = new Float64Array(m * n), Y = new Float64Array(m * n);
  const rho = new Float64Array(m), alp = new Float64Array(m);
  const hist = new Float64Array(2 * (maxIt + 1));
  let head = 0, count = 0;  // ring: newest pair at (head − 1) mod m
  let gamma = 1;            // sᵀy / yᵀM⁻¹y of the newest pair

  let evaluations = 1;
  let f = fg(x, g);
  let gnorm = stopNorm(g);
  hist[0] = f; hist[1] = gnorm;
  let it = 0;
  let reason = '';
  if (!Number.isFinite(f) || !Number.isFinite(gnorm)) reason = 'non-finite value';
  else if (gnorm <= gradTol) reason = 'gradient tolerance';

  // ---- line search state (closure over the work vectors, no allocation) -------------------
  let fT = 0, fLo = 0;
  const evalAt = (alpha: number): number => {
    for (let i = 0; i < n; i++) xt[i] = x[i]! + alpha * d[i]!;
    evaluations++;
    fT = fg(xt, gt);
    return Number.isFinite(fT) ? dot(gt, d, n) : NaN;
  };
  const saveLo = (): void => { xlo.set(xt); glo.set(gt); fLo = fT; };
  // line-search constants of the current search (closures below are created once per call)
  let f0 = 0, dphi0 = 0, evals = 0;
  const sufficient = (a: number, phi: number, dphi: number): boolean =>
    phi <= f0 + C1 * a * dphi0 ||
    (phi <= f0 + EPS_F * Math.abs(f0) && dphi <= (1 - 2 * C1) * Math.abs(dphi0));
  const curvature = (dphi: number): boolean => Math.abs(dphi) <= -C2 * dphi0;

  /** zoom on [lo, hi] (lo is the best sufficient-decrease point so far, possibly α = 0). */
  const zoom = (lo: number, phiLo: number, dLo: number, hi: number, phiHi: number, dHi: number, loSaved: boolean): boolean => {
    while (evals < MAX_LINE_EVALS) {
      const w = Math.abs(hi - lo);
      if (w <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      let a = Number.isFinite(phiHi) && Number.isFinite(dHi) ? cubicMin(lo, phiLo, dLo, hi, phiHi, dHi) : NaN;
      const left = Math.min(lo, hi), right = Math.max(lo, hi);
      // safeguard: stay 10 % inside the bracket, else bisect
      if (!(a >= left + 0.1 * w && a <= right - 0.1 * w)) a = 0.5 * (lo + hi);
      const dphi = evalAt(a); evals++;
      const phi = fT;
      if (!Number.isFinite(phi) || !Number.isFinite(dphi) || !sufficient(a, phi, dphi) || phi >= phiLo) {
        hi = a; phiHi = Number.isFinite(phi) ? phi : Infinity; dHi = dphi;
      } else {
        if (curvature(dphi)) return true;
        if (dphi * (hi - lo) >= 0) { hi = lo; phiHi = phiLo; dHi = dLo; }
        lo = a; phiLo = phi; dLo = dphi; saveLo(); loSaved = true;
      }
    }
    if (loSaved && lo > 0) { xt.set(xlo); gt.set(glo); fT = fLo; return true; } // Armijo point
    return false;
  };

  /** Strong-Wolfe search from α₀; on success leaves the accepted point in (xt, gt, fT). */
  const lineSearch = (alpha0: number, fStart: number, slope: number): boolean => {
    f0 = fStart; dphi0 = slope; evals = 0;
    let aPrev = 0, phiPrev = f0, dPrev = dphi0;
    let a = alpha0;
    for (let i = 0; evals < MAX_LINE_EVALS; i++) {
      const dphi = evalAt(a); evals++;
      const phi = fT;
      if (!Number.isFinite(phi) || !Number.isFinite(dphi)) {
        // overshoot into a non-finite region: treat as a bracket end
        return zoom(aPrev, phiPrev, dPrev, a, Infinity, NaN, aPrev > 0);
      }
      if (!sufficient(a, phi, dphi) || (i > 0 && phi >= phiPrev)) {
        return zoom(aPrev, phiPrev, dPrev, a, phi, dphi, aPrev > 0);
      }
      if (curvature(dphi)) return true;
      if (dphi >= 0) { saveLo(); return zoom(a, phi, dphi, aPrev, phiPrev, dPrev, true); }
      // still descending steeply: extrapolate (cubic, clamped to [α + 0.01Δ, 10α]); the
      // current point becomes the bracket's left end, so (xlo, glo) always hold α_prev > 0
      saveLo();
      const lo = a + 0.01 * (a - aPrev), hi = 10 * a;
      let next = cubicMin(aPrev, phiPrev, dPrev, a, phi, dphi);
      if (!(next >= lo && next <= hi)) next = hi;
      aPrev = a; phiPrev = phi; dPrev = dphi; a = next;
    }
    if (aPrev > 0) { xt.set(xlo); gt.set(glo); fT = fLo; return true; }
    return false;
  };

  // ---- main loop ----------------------------------------------------------------------------
  while (reason === '') {
    if (it >= maxIt) { reason = 'iteration cap'; break; }
    // two-loop recursion: d = −H g
    q.set(g);
    for (let j = 0; j < count; j++) {
      const k = (head - 1 - j + m) % m;
      const a = rho[k]! * dot(S, q, n, k * n, 0);
      alp[k] = a;
      const off = k * n;
      for (let i = 0; i < n; i++) q[i] = q[i]! - a * Y[off + i]!;
    }
    if (pre) pre(q, d); else d.set(q);
    if (count > 0) for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    for (let j = count - 1; j >= 0; j--) {
      const k = (head - 1 - j + m) % m;
      const off = k * n;
      const b = rho[k]! * dot(Y, d, n, off, 0);
      const c = alp[k]! - b;
      for (let i = 0; i < n; i++) d[i] = d[i]! + c * S[off + i]!;
    }
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
    let slope0 = dot(g, d, n);
    if (!(slope0 < 0)) {
      // not a descent direction (lost positive definiteness): restart from H0
      count = 0; head = 0;
      if (pre) pre(g, d); else d.set(g);
      for (let i = 0; i < n; i++) d[i] = -d[i]!;
      slope0 = dot(g, d, n);
      if (!(slope0 < 0)) { reason = 'line search failed'; break; }
    }
    // first step without curvature information: keep the trial step at most 1 in max-norm
    const alpha0 = count === 0 ? Math.min(1, 1 / Math.max(normInf(d), 1e-300)) : 1;
    let ok = lineSearch(alpha0, f, slope0);
    if (!ok && count > 0) {
      // retry once along the preconditioned steepest descent, memory cleared
      count = 0; head = 0;
      if (pre) pre(g, d); else d.set(g);
      for (let i = 0; i < n; i++) d[i] = -d[i]!;
      slope0 = dot(g, d, n);
      ok = slope0 < 0 && lineSearch(Math.min(1, 1 / Math.max(normInf(d), 1e-300)), f, slope0);
    }
    if (!ok) { reason = 'line search failed'; break; }

    // new pair s = x⁺ − x, y = g⁺ − g; kept (in the ring slot `head`, which holds the oldest
    // pair when the ring is full) only if its curvature sᵀy is safely positive
    let sy = 0, yy = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      const s = xt[i]! - x[i]!, y = gt[i]! - g[i]!;
      sy += s * y; yy += y * y; ss += s * s;
    }
    const keep = sy > Number.EPSILON * Math.sqrt(ss * yy) && sy > 0;
    if (keep) {
      const off = head * n;
      for (let i = 0; i < n; i++) {
        const y = gt[i]! - g[i]!;
        S[off + i] = xt[i]! - x[i]!; Y[off + i] = y; yv[i] = y;
      }
    }
    x.set(xt); g.set(gt); f = fT;
    it++;
    gnorm = stopNorm(g);
    hist[2 * it] = f; hist[2 * it + 1] = gnorm;
    opts.onIteration?.(it, f, gnorm);
    if (keep) {
      rho[head] = 1 / sy;
      // γ = sᵀy / yᵀM⁻¹y: q is free here, use it for M⁻¹y
      if (pre) { pre(yv, q); gamma = sy / dot(yv, q, n); }
      else gamma = sy / yy;
      head = (head + 1) % m; if (count < m) count++;
    }
    if (!Number.isFinite(f) || !Number.isFinite(gnorm)) reason = 'non-finite value';
    else if (gnorm <= gradTol) reason = 'gradient tolerance';
  }

  const history: { f: number; gnorm: number }[] = [];
  for (let k = 0; k <= it; k++) history.push({ f: hist[2 * k]!, gnorm: hist[2 * k + 1]! });
  return { x, f, iterations: it, evaluations, converged: reason === 'gradient tolerance', reason, gnorm, history };
}
