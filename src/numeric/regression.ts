/**
 * Ordinary least squares with standard errors, and Student's t distribution: the statistics
 * under the order certificate (certify.ts).
 */

export interface LinearFit {
  /** Coefficients, one per column. */
  coef: number[];
  /** Standard error of each coefficient: √(σ̂² (XᵀX)⁻¹_jj); ∞ without residual degrees of freedom. */
  se: number[];
  /** Residual degrees of freedom n − k. */
  dof: number;
  /** Residual sum of squares. */
  ssr: number;
}

/**
 * Least squares y ≈ Σ_j coef_j · X_j by modified Gram–Schmidt QR (X given by columns, n ≥ k
 * rows, full column rank). σ̂² = max(SSR / (n − k), floor²): `floor` is the smallest
 * per-point error the data can carry (its round-off), so exactly fitted data do not get a
 * zero-width interval.
 */
export function linearFit(X: ArrayLike<number>[], y: ArrayLike<number>, floor = 0): LinearFit {
  const k = X.length, n = y.length;
  const Q = X.map((c) => Float64Array.from(c));
  const R = Array.from({ length: k }, () => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    const qj = Q[j]!;
    for (let i = 0; i < j; i++) {
      const qi = Q[i]!;
      let d = 0;
      for (let t = 0; t < n; t++) d += qi[t]! * qj[t]!;
      R[i]![j] = d;
      for (let t = 0; t < n; t++) qj[t] = qj[t]! - d * qi[t]!;
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += qj[t]! * qj[t]!;
    norm = Math.sqrt(norm);
    R[j]![j] = norm;
    for (let t = 0; t < n; t++) qj[t] = qj[t]! / norm;
  }
  // coef = R⁻¹ Qᵀ y; (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ, whose diagonal is the row sums of squares of R⁻¹.
  const Rinv = Array.from({ length: k }, () => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    Rinv[j]![j] = 1 / R[j]![j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += R[i]![m]! * Rinv[m]![j]!;
      Rinv[i]![j] = -s / R[i]![i]!;
    }
  }
  const qty = Q.map((q) => { let s = 0; for (let t = 0; t < n; t++) s += q[t]! * y[t]!; return s; });
  const coef = Array.from({ length: k }, (_, i) => { let s = 0; for (let j = i; j < k; j++) s += Rinv[i]![j]! * qty[j]!; return s; });
  let ssr = 0;
  for (let t = 0; t < n; t++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += coef[j]! * X[j]![t]!;
    ssr += (y[t]! - f) ** 2;
  }
  const dof = n - k;
  const sigma2 = dof > 0 ? Math.max(ssr / dof, floor * floor) : Infinity;
  const se = Rinv.map((row) => { let s = 0; for (let j = 0; j < k; j++) s += row[j]! * row[j]!; return Math.sqrt(sigma2 * s); });
  return { coef, se, dof, ssr };
}

/** The q-quantile of Student's t with ν degrees of freedom (bisection on the exact CDF). */
export function studentTQuantile(q: number, nu: number): number {
  if (!(q > 0 && q < 1) || !(nu > 0)) throw new RangeError(`studentTQuantile(${q}, ${nu})`);
  if (q === 0.5) return 0;
  if (q < 0.5) return -studentTQuantile(1 - q, nu);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, nu) < q) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-14 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, nu) < q) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with ν degrees of freedom: 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, nu: number): number {
  const x = nu / (nu + t * t);
  const tail = 0.5 * regularizedBeta(x, nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    f *= d * c;
    num = -((a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (Math.exp(lnFront) * f) / a;
}

/** ln Γ(z), z > 0 (Lanczos, g = 7, n = 9: ~1e-15 relative). */
export function logGamma(z: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  z -= 1;
  let s = c[0]!;
  for (let i = 1; i < g + 2; i++) s += c[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}
