/**
 * The spectrum of the time-derivative regulariser (Meganet opTimeDer / eigLap1D, CLAIMS C33).
 *
 * n weight values θ_0 … θ_{n−1} spaced h apart, D the (n−1)×n forward difference
 * (Dθ)_k = θ_{k+1} − θ_k and L = D/h (Meganet's opTimeDer: diff(θ)/h). LᵀL is h⁻² times the
 * Neumann Laplacian tridiag(−1, [1, 2, …, 2, 1], −1), diagonalised by the DCT-II:
 *     λ_k(LᵀL) = (4/h²) sin²(kπ/(2n)),  k = 0 … n−1
 * (λ_0 = 0: constants are not penalised; for h = T/n and fixed k, λ_k → (kπ/T)², the Neumann
 * eigenvalues of −d²/dt² on [0, T]).
 *
 * Which scaling is meant. The regularisers in use are multiples of ‖Lθ‖² = h⁻² Σ|Δθ|²:
 *  - Meganet tikhonovReg(opTimeDer, α): (α/2)‖Lθ‖², Hessian α LᵀL, no outer h;
 *  - Haber–Ruthotto: (1/(2h)) Σ‖Δθ‖² = (h/2)‖Lθ‖², Hessian h LᵀL (a Riemann sum of ½∫|θ'|²);
 *  - this project's Γ-objective (Thorpe–van Gennip, T = 1): n Σ|Δθ|² = h‖Lθ‖², Hessian 2h LᵀL,
 *    and the step-size study's (α/Δθ) Σ|Δθ|² = α h ‖Lθ‖².
 * C33 states the spectrum of LᵀL itself; the claim also measures the matrix of the project's
 * own quadratic form, assembled from its values, against h·λ_k (its Hessian is twice that).
 */
import { eigenvalues } from '../numeric/eig.ts';
import { EPS } from '../util/approx.ts';
import { UserError } from '../util/errors.ts';
import { cellPenalty } from './gamma/regulariser.ts';

/** The formula (4/h²) sin²(kπ/(2n)), k = 0 … n−1 (ascending). */
export function neumannEigenvalues(n: number, h: number): number[] {
  return Array.from({ length: n }, (_, k) => (4 / (h * h)) * Math.sin((k * Math.PI) / (2 * n)) ** 2);
}

/** LᵀL (n×n, row-major) for L = D/h, D the (n−1)×n forward difference: built from D, not from the tridiagonal. */
export function timeDerivativeGram(n: number, h: number): Float64Array {
  const D = new Float64Array((n - 1) * n);
  for (let k = 0; k < n - 1; k++) { D[k * n + k] = -1 / h; D[k * n + k + 1] = 1 / h; }
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n - 1; k++) s += D[k * n + i]! * D[k * n + j]!;
    A[i * n + j] = s;
  }
  return A;
}

/**
 * The symmetric matrix A of a quadratic form Q(θ) = θᵀAθ on ℝⁿ, from values only
 * (polarisation): A_ii = Q(e_i), A_ij = [Q(e_i + e_j) − Q(e_i) − Q(e_j)]/2.
 */
export function quadraticFormMatrix(n: number, Q: (theta: Float64Array) => number): Float64Array {
  const e = new Float64Array(n), diag = new Float64Array(n), A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) { e[i] = 1; diag[i] = Q(e); e[i] = 0; A[i * n + i] = diag[i]!; }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    e[i] = 1; e[j] = 1;
    const a = (Q(e) - diag[i]! - diag[j]!) / 2;
    e[i] = 0; e[j] = 0;
    A[i * n + j] = a; A[j * n + i] = a;
  }
  return A;
}

/** The penalty of a periodic (wrap-around) difference, h Σ_k |θ_{k+1 mod n} − θ_k|²/h²: C33's negative control. */
export function periodicPenalty(n: number, h: number): (theta: Float64Array) => number {
  return (th) => { let s = 0; for (let k = 0; k < n; k++) { const d = th[(k + 1) % n]! - th[k]!; s += d * d; } return s / h; };
}

export interface SpectrumComparison {
  label: string;
  n: number;
  h: number;
  /** The multiple c of LᵀL whose spectrum is expected: the form's matrix should be c·LᵀL. */
  scale: number;
  /** Dense eigen-solve (ascending) and c·(4/h²) sin²(kπ/(2n)). */
  computed: number[];
  formula: number[];
  /** max_k |computed − formula| / max_k formula. */
  relError: number;
  /** The backward-error bound 10·n·ε (relative to ‖A‖₂ = max eigenvalue). */
  tolerance: number;
}

/** Dense eigen-solve of A against c·(4/h²) sin²(kπ/(2n)). */
export function compareSpectrum(label: string, A: Float64Array, n: number, h: number, scale: number): SpectrumComparison {
  const s = eigenvalues(A, n);
  let norm = 0;
  for (let i = 0; i < n; i++) { let r = 0; for (let j = 0; j < n; j++) r += Math.abs(A[i * n + j]!); norm = Math.max(norm, r); }
  for (let i = 0; i < n; i++) {
    // a symmetric matrix has a real spectrum: an imaginary part beyond rounding means A is not symmetric
    if (Math.abs(s.im[i]!) > 1e3 * n * EPS * norm) throw new UserError(`${label}: complex eigenvalue ${s.re[i]} ± ${Math.abs(s.im[i]!)}i of a matrix that should be symmetric`);
  }
  const computed = Array.from(s.re).sort((a, b) => a - b);
  const formula = neumannEigenvalues(n, h).map((v) => scale * v);
  const top = Math.max(...formula);
  const relError = Math.max(...computed.map((v, k) => Math.abs(v - formula[k]!))) / top;
  return { label, n, h, scale, computed, formula, relError, tolerance: 10 * n * EPS };
}

export interface RegulariserSpectrumData {
  comparisons: SpectrumComparison[];
}

/**
 * C33's comparisons for each n: LᵀL itself (h = T/n, T = `T`) and the matrix of the project's
 * Γ-objective regulariser n Σ|Δθ|² (T = 1, so h = 1/n; expected h·LᵀL). With `periodic` (the
 * negative control) the second form is replaced by the wrap-around difference penalty.
 */
export function regulariserSpectra(depths: number[], T: number, periodic = false): RegulariserSpectrumData {
  const comparisons = depths.flatMap((n) => {
    if (!Number.isInteger(n) || n < 2) throw new UserError(`regulariser spectrum: n must be an integer ≥ 2, got ${n}`);
    const h = T / n, h1 = 1 / n;
    const form = periodic ? periodicPenalty(n, h1) : cellPenalty(n, 1);
    return [
      compareSpectrum(`LᵀL, L = D/h (h = ${T}/${n})`, timeDerivativeGram(n, h), n, h, 1),
      compareSpectrum(periodic ? `periodic penalty h Σ|Δθ|²/h² (n = ${n})` : `Γ-objective n Σ|Δθ|² (n = ${n}, h = 1/n)`, quadraticFormMatrix(n, form), n, h1, h1),
    ];
  });
  return { comparisons };
}
