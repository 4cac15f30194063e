/**
 * Small dense linear algebra on row-major Float64Array (d ≲ 50: no blocking, no BLAS).
 * A matrix with `rows` × `cols` entries stores A[i][j] at index i·cols + j. Every routine that
 * returns a vector or matrix takes an optional caller-owned `out` so hot loops allocate nothing.
 */
import { UserError } from '../util/errors.ts';

/** The n × n identity. */
export function identity(n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** out = A x, A rows × cols. */
export function matvec(A: Float64Array, rows: number, cols: number, x: ArrayLike<number>, out: Float64Array = new Float64Array(rows)): Float64Array {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += A[o + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** out = Aᵀ y, A rows × cols (so out has `cols` entries). */
export function matTvec(A: Float64Array, rows: number, cols: number, y: ArrayLike<number>, out: Float64Array = new Float64Array(cols)): Float64Array {
  out.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const yi = y[i]!, o = i * cols;
    for (let j = 0; j < cols; j++) out[j] = out[j]! + (A[o + j]! * yi);
  }
  return out;
}

/** out = A B with A n × k and B k × m (out must not alias A or B). */
export function matmul(A: Float64Array, B: Float64Array, n: number, k: number, m: number, out: Float64Array = new Float64Array(n * m)): Float64Array {
  out.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l]!;
      if (a === 0) continue;
      const ob = l * m, oo = i * m;
      for (let j = 0; j < m; j++) out[oo + j] = out[oo + j]! + (a * B[ob + j]!);
    }
  }
  return out;
}

/** Aᵀ of an rows × cols matrix (cols × rows). */
export function transpose(A: Float64Array, rows: number, cols: number, out: Float64Array = new Float64Array(rows * cols)): Float64Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j]!;
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(x: ArrayLike<number>): number {
  // Scaled sum of squares: no overflow/underflow for extreme entries.
  let scale = 0, ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a === 0) continue;
    if (scale < a) { ssq = 1 + ssq * (scale / a) ** 2; scale = a; } else ssq += (a / scale) ** 2;
  }
  return scale * Math.sqrt(ssq);
}

export function normInf(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) { const a = Math.abs(x[i]!); if (a > m || Number.isNaN(a)) m = a; }
  return m;
}

/** Trace of an n × n matrix. */
export function trace(A: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += A[i * n + i]!;
  return s;
}

/** LU factors with partial pivoting: PA = LU packed in `lu` (unit lower L below the diagonal). */
export interface LU { n: number; lu: Float64Array; piv: Int32Array; sign: number; singular: boolean; }

/** Doolittle LU with partial pivoting (row swaps recorded in piv). A is not modified. */
export function luFactor(A: Float64Array, n: number): LU {
  if (A.length < n * n) throw new UserError(`luFactor: matrix has ${A.length} entries, need ${n}×${n}`);
  const lu = Float64Array.from(A.subarray(0, n * n));
  const piv = new Int32Array(n);
  let sign = 1, singular = false;
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k, max = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) { const a = Math.abs(lu[i * n + k]!); if (a > max) { max = a; p = i; } }
    if (max === 0) { singular = true; continue; }
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = lu[k * n + j]!; lu[k * n + j] = lu[p * n + j]!; lu[p * n + j] = t; }
      const t = piv[k]!; piv[k] = piv[p]!; piv[p] = t;
      sign = -sign;
    }
    const d = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const m = (lu[i * n + k]! /= d);
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - (m * lu[k * n + j]!);
    }
  }
  return { n, lu, piv, sign, singular };
}

/** Solve A x = b from LU factors. Throws UserError when A is singular. */
export function luSolve(f: LU, b: ArrayLike<number>, out: Float64Array = new Float64Array(f.n)): Float64Array {
  const { n, lu, piv } = f;
  if (f.singular) throw new UserError('solve: the matrix is singular');
  for (let i = 0; i < n; i++) out[i] = b[piv[i]!]!;
  for (let i = 0; i < n; i++) { let s = out[i]!; for (let j = 0; j < i; j++) s -= lu[i * n + j]! * out[j]!; out[i] = s; }
  for (let i = n - 1; i >= 0; i--) { let s = out[i]!; for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * out[j]!; out[i] = s / lu[i * n + i]!; }
  return out;
}

/** Solve A x = b (LU with partial pivoting). */
export function solve(A: Float64Array, n: number, b: ArrayLike<number>, out?: Float64Array): Float64Array {
  return luSolve(luFactor(A, n), b, out);
}

/** det A from the LU factorisation (exactly 0 for a structurally singular pivot). */
export function det(A: Float64Array, n: number): number {
  const f = luFactor(A, n);
  if (f.singular) return 0;
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  return d;
}

/** log|det A| (no overflow for large n); −Infinity when singular. */
export function logAbsDet(A: Float64Array, n: number): number {
  const f = luFactor(A, n);
  if (f.singular) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(f.lu[i * n + i]!));
  return s;
}
