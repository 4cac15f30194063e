/**
 * The discrete H¹ metric of a depth regulariser and its O(n) inverse.
 *
 * A layer-wise parameter θ_k (k = 0…n−1, P numbers per layer, layer-major: θ[k·P + j]) with
 * regulariser Σ_j [a_j/2 · Σ_k θ_{k,j}² + c_j/2 · Σ_k (θ_{k+1,j} − θ_{k,j})²] has Hessian
 *   M_j = a_j I + c_j L,   L = tridiag(−1, [1, 2, …, 2, 1], −1)   (−Δ with Neumann ends),
 * independently for every slot j. For the Thorpe–van Gennip regulariser
 * α[n^κ Σ|Δθ|² + (1/n) Σ|θ|²] this is a = 2α/n, c = 2α n^κ; for GAMMA.md's λ/μ form
 * a = 2λ/n, c = 2μn. M_j is SPD (a_j > 0) and tridiagonal, so M⁻¹g costs one LDLᵀ (Thomas)
 * solve per slot: O(nP) per application, factors computed once.
 *
 * Trailing "global" parameters (a learned readout) get the diagonal metric a_j only.
 */

export interface H1Metric {
  /** Layers n and numbers per layer P. */
  n: number; P: number;
  /** Number of trailing global parameters. */
  extra: number;
  /** out = M⁻¹ g (out may not alias g). */
  apply(g: Float64Array, out: Float64Array): void;
  /** out = M g (for tests and for the H¹ norm). */
  multiply(v: Float64Array, out: Float64Array): void;
}

/**
 * Build the metric M = blockdiag_j(a_j I + c_j L) ⊕ diag(extraDiag).
 *
 * Arguments: n layers; a, c of length P (a_j > 0, c_j ≥ 0); extraDiag > 0 for trailing
 * globals. Throws (a programming error, not user input) when a_j ≤ 0 or extraDiag ≤ 0.
 */
export function h1Metric(n: number, a: ArrayLike<number>, c: ArrayLike<number>, extraDiag: ArrayLike<number> = []): H1Metric {
  const P = a.length;
  if (c.length !== P) throw new Error('h1Metric: a and c must have the same length');
  // LDLᵀ of each tridiagonal: D (pivots) and the subdiagonal multipliers ℓ.
  const D = new Float64Array(n * P), Lm = new Float64Array(n * P);
  for (let j = 0; j < P; j++) {
    const aj = a[j]!, cj = c[j]!;
    if (!(aj > 0) || !(cj >= 0)) throw new Error(`h1Metric: need a > 0, c ≥ 0 (slot ${j}: a=${aj}, c=${cj})`);
    for (let k = 0; k < n; k++) {
      const lap = n === 1 ? 0 : (k === 0 || k === n - 1 ? 1 : 2);
      const diag = aj + cj * lap;
      if (k === 0) { D[j * n] = diag; continue; }
      const l = -cj / D[j * n + k - 1]!;
      Lm[j * n + k] = l;
      D[j * n + k] = diag - l * l * D[j * n + k - 1]!;
    }
  }
  const extra = extraDiag.length;
  const ed = Float64Array.from(extraDiag);
  for (let i = 0; i < extra; i++) if (!(ed[i]! > 0)) throw new Error('h1Metric: extra diagonal must be > 0');
  const base = n * P;
  return {
    n, P, extra,
    apply(g, out) {
      for (let j = 0; j < P; j++) {
        const dOff = j * n;
        // forward: L z = g, then back: D Lᵀ x = z
        out[j] = g[j]!;
        for (let k = 1; k < n; k++) out[k * P + j] = g[k * P + j]! - Lm[dOff + k]! * out[(k - 1) * P + j]!;
        out[(n - 1) * P + j] = out[(n - 1) * P + j]! / D[dOff + n - 1]!;
        for (let k = n - 2; k >= 0; k--) {
          out[k * P + j] = out[k * P + j]! / D[dOff + k]! - Lm[dOff + k + 1]! * out[(k + 1) * P + j]!;
        }
      }
      for (let i = 0; i < extra; i++) out[base + i] = g[base + i]! / ed[i]!;
    },
    multiply(v, out) {
      for (let j = 0; j < P; j++) {
        const aj = a[j]!, cj = c[j]!;
        for (let k = 0; k < n; k++) {
          const x = v[k * P + j]!;
          let lap = 0;
          if (k > 0) lap += x - v[(k - 1) * P + j]!;
          if (k < n - 1) lap += x - v[(k + 1) * P + j]!;
          out[k * P + j] = aj * x + cj * lap;
        }
      }
      for (let i = 0; i < extra; i++) out[base + i] = ed[i]! * v[base + i]!;
    },
  };
}
