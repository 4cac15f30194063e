/**
 * Eigenvalues of small real nonsymmetric matrices (d ≲ 10): balancing, reduction to upper
 * Hessenberg form by stabilised elementary similarity transforms, then Francis' implicit
 * double-shift QR iteration (EISPACK balanc/elmhes/hqr). Complex eigenvalues come in conjugate
 * pairs (re ± i·im), which a real double shift keeps in real arithmetic.
 *
 * Backward stable: the computed eigenvalues are exact for A + E with ‖E‖ ≈ ε‖A‖, so a simple
 * eigenvalue is accurate to about ε‖A‖ times its condition number (a Jordan block of size k
 * only to about (ε‖A‖)^{1/k}).
 */
import { UserError } from '../util/errors.ts';
import { EPS } from '../util/approx.ts';
import { luFactor, luSolve } from './linalg.ts';

export interface Spectrum {
  /** Real parts, sorted by decreasing real part, then decreasing imaginary part. */
  re: Float64Array;
  /** Imaginary parts; conjugate pairs appear as (+b, −b) next to each other. */
  im: Float64Array;
}

/** Maximum QR sweeps per eigenvalue before giving up (EISPACK uses 30). */
const MAX_SWEEPS = 60;

/**
 * Eigenvalues of the n×n row-major matrix `a` (not modified).
 *
 * Throws: UserError when the size does not match or an entry is not finite; Error if the QR
 * iteration fails to converge (never observed for finite input of this size).
 */
export function eigenvalues(a: ArrayLike<number>, n: number): Spectrum {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) {
    throw new UserError(`eigenvalues: expected an ${n}×${n} matrix (${n * n} entries), got ${a.length}`);
  }
  const h = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) throw new UserError(`eigenvalues: non-finite entry ${v} at (${Math.floor(i / n)}, ${i % n})`);
    h[i] = v;
  }
  balance(h, n);
  toHessenberg(h, n);
  const re = new Float64Array(n), im = new Float64Array(n);
  hessenbergQR(h, n, re, im);
  return sortSpectrum(re, im);
}

/**
 * Eigenpairs of a real symmetric n×n matrix (row-major, not modified): the eigenvalues from
 * {@link eigenvalues}, ascending; each eigenvector by inverse iteration, (A − σI) y = v with σ
 * the eigenvalue moved by a few ulps of ‖A‖ (so the LU pivots stay nonzero), then
 * Gram–Schmidt against the earlier vectors of the same cluster (eigenvalues within
 * n·ε·‖A‖·10⁴), so a repeated eigenvalue gets an orthonormal basis. Vectors have unit 2-norm.
 * For a symmetric matrix each eigenvalue is accurate to ≈ n ε ‖A‖ (Weyl); the vectors of
 * eigenvalues separated by gap g are accurate to ≈ n ε ‖A‖ / g.
 *
 * Throws: UserError when `a` is not symmetric (to 1e-12 relative) or not n×n.
 */
export function symmetricEigenpairs(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array[] } {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) throw new UserError(`symmetricEigenpairs: expected an ${n}×${n} matrix, got ${a.length} entries`);
  let norm = 0;
  for (let i = 0; i < n; i++) { let r = 0; for (let j = 0; j < n; j++) r += Math.abs(a[i * n + j]!); norm = Math.max(norm, r); }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    if (Math.abs(a[i * n + j]! - a[j * n + i]!) > 1e-12 * norm) throw new UserError(`symmetricEigenpairs: the matrix is not symmetric at (${i}, ${j})`);
  }
  const values = Float64Array.from(eigenvalues(a, n).re).sort();
  const vectors: Float64Array[] = [];
  const shifted = new Float64Array(n * n), y = new Float64Array(n);
  const cluster = 1e4 * n * EPS * Math.max(norm, Number.MIN_VALUE);
  for (let k = 0; k < n; k++) {
    const sigma = values[k]! + 8 * EPS * Math.max(norm, Number.MIN_VALUE);
    for (let i = 0; i < n * n; i++) shifted[i] = a[i]!;
    for (let i = 0; i < n; i++) shifted[i * n + i] = shifted[i * n + i]! - sigma;
    const lu = luFactor(shifted, n);
    // a start vector with every component nonzero and no symmetry (deterministic)
    let v: Float64Array = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 0.618033988749895) % 1));
    const same = vectors.filter((_, j) => Math.abs(values[j]! - values[k]!) <= cluster);
    for (let it = 0; it < 3; it++) {
      orthogonalise(v, same);
      if (!lu.singular) { luSolve(lu, v, y); v = Float64Array.from(y); }
      orthogonalise(v, same);
      const nv = Math.hypot(...v);
      for (let i = 0; i < n; i++) v[i] = v[i]! / nv;
    }
    vectors.push(v);
  }
  return { values, vectors };
}

/** v −= Σ (v·q) q over orthonormal q. */
function orthogonalise(v: Float64Array, qs: Float64Array[]): void {
  for (const q of qs) {
    let c = 0;
    for (let i = 0; i < v.length; i++) c += v[i]! * q[i]!;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! - c * q[i]!;
  }
}

/** Largest real part of the spectrum (the continuous-time stability indicator). */
export function spectralAbscissa(s: Spectrum): number {
  let m = -Infinity;
  for (let i = 0; i < s.re.length; i++) m = Math.max(m, s.re[i]!);
  return m;
}

/** Largest modulus |λ| (the spectral radius). */
export function spectralRadius(s: Spectrum): number {
  let m = 0;
  for (let i = 0; i < s.re.length; i++) m = Math.max(m, Math.hypot(s.re[i]!, s.im[i]!));
  return m;
}

function sortSpectrum(re: Float64Array, im: Float64Array): Spectrum {
  const idx = Array.from(re, (_, i) => i).sort((i, j) => re[j]! - re[i]! || im[j]! - im[i]!);
  return { re: Float64Array.from(idx, (i) => re[i]!), im: Float64Array.from(idx, (i) => im[i]!) };
}

/** Diagonal similarity by powers of 2 (exact in floating point) so rows and columns have
 *  comparable norms: improves the accuracy of badly scaled matrices. */
function balance(a: Float64Array, n: number): void {
  const RADIX = 2, SQRDX = 4;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let r = 0, c = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(a[j * n + i]!);
        r += Math.abs(a[i * n + j]!);
      }
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1, g = r / RADIX;
      while (c < g) { f *= RADIX; c *= SQRDX; }
      g = r * RADIX;
      while (c > g) { f /= RADIX; c /= SQRDX; }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        const gi = 1 / f;
        for (let j = 0; j < n; j++) a[i * n + j]! *= gi;
        for (let j = 0; j < n; j++) a[j * n + i]! *= f;
      }
    }
  }
}

/** Reduction to upper Hessenberg form by Gaussian elimination with partial pivoting
 *  (similarity transforms); entries below the subdiagonal are set to zero. */
function toHessenberg(a: Float64Array, n: number): void {
  for (let m = 1; m < n - 1; m++) {
    let x = 0, piv = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(a[j * n + m - 1]!) > Math.abs(x)) { x = a[j * n + m - 1]!; piv = j; }
    }
    if (piv !== m) {
      for (let j = m - 1; j < n; j++) swap(a, piv * n + j, m * n + j);
      for (let j = 0; j < n; j++) swap(a, j * n + piv, j * n + m);
    }
    if (x === 0) continue;
    for (let i = m + 1; i < n; i++) {
      let y = a[i * n + m - 1]!;
      if (y === 0) continue;
      y /= x;
      a[i * n + m - 1] = 0;
      for (let j = m; j < n; j++) a[i * n + j]! -= y * a[m * n + j]!;
      for (let j = 0; j < n; j++) a[j * n + m]! += y * a[j * n + i]!;
    }
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!; a[i] = a[j]!; a[j] = t;
}

/** Francis double-shift QR on an upper Hessenberg matrix (destroyed); writes eigenvalues. */
function hessenbergQR(a: Float64Array, n: number, wr: Float64Array, wi: Float64Array): void {
  const A = (i: number, j: number): number => a[i * n + j]!;
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A(i, j));
  let nn = n - 1, t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 0) {
    let its = 0, l: number;
    do {
      // Look for a single small subdiagonal element: it splits the matrix.
      for (l = nn; l >= 1; l--) {
        s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(A(l, l - 1)) <= EPS * s) { a[l * n + l - 1] = 0; break; }
      }
      x = A(nn, nn);
      if (l === nn) {                       // one root found
        wr[nn] = x + t; wi[nn] = 0; nn--;
      } else {
        y = A(nn - 1, nn - 1);
        w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {                 // two roots: the trailing 2×2 block
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? z : -z);
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = z; wi[nn] = -z;
          }
          nn -= 2;
        } else {
          if (its === MAX_SWEEPS) throw new Error(`eigenvalues: QR iteration did not converge (n = ${n})`);
          if (its === 10 || its === 20 || its === 40) { // exceptional (ad hoc) shift breaks cycles
            t += x;
            for (let i = 0; i <= nn; i++) a[i * n + i]! -= x;
            s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          its++;
          // Form the shift and look for two consecutive small subdiagonal elements.
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = x - z;
            s = y - z;
            p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s;
            r = A(m + 2, m + 1);
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s; q /= s; r /= s;
            if (m === l) break;
            const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
            if (u <= EPS * v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i * n + i - 2] = 0;
            if (i !== m + 2) a[i * n + i - 3] = 0;
          }
          // Double QR step on rows l..nn and columns m..nn (Householder reflectors of size 3).
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = k !== nn - 1 ? A(k + 2, k - 1) : 0;
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) { p /= x; q /= x; r /= x; }
            }
            const norm = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? norm : -norm;
            if (s === 0) continue;
            if (k === m) {
              if (l !== m) a[k * n + k - 1] = -A(k, k - 1);
            } else a[k * n + k - 1] = -s * x;
            p += s;
            x = p / s; y = q / s; z = r / s;
            q /= p; r /= p;
            for (let j = k; j <= nn; j++) {       // row modification
              p = A(k, j) + q * A(k + 1, j);
              if (k !== nn - 1) { p += r * A(k + 2, j); a[(k + 2) * n + j]! -= p * z; }
              a[(k + 1) * n + j]! -= p * y;
              a[k * n + j]! -= p * x;
            }
            const mmin = nn < k + 3 ? nn : k + 3;
            for (let i = l; i <= mmin; i++) {      // column modification
              p = x * A(i, k) + y * A(i, k + 1);
              if (k !== nn - 1) { p += z * A(i, k + 2); a[i * n + k + 2]! -= p * r; }
              a[i * n + k + 1]! -= p * q;
              a[i * n + k]! -= p;
            }
          }
        }
      }
    } while (l < nn - 1);
  }
}
