import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eigenvalues, spectralAbscissa, spectralRadius, symmetricEigenpairs } from '../../src/numeric/eig.ts';
import { makeRng } from '../../src/util/prng.ts';
import { UserError } from '../../src/util/errors.ts';
import { EPS } from '../helpers.ts';

type C = [number, number];

/** Max over the known eigenvalues of the distance to the nearest unused computed one. */
function spectrumDistance(known: C[], got: { re: Float64Array; im: Float64Array }): number {
  const used = new Array(got.re.length).fill(false);
  let worst = 0;
  for (const [a, b] of known) {
    let best = Infinity, bi = -1;
    for (let i = 0; i < got.re.length; i++) {
      if (used[i]) continue;
      const d = Math.hypot(got.re[i]! - a, got.im[i]! - b);
      if (d < best) { best = d; bi = i; }
    }
    used[bi] = true;
    worst = Math.max(worst, best);
  }
  return worst;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return c;
}

/** A = L T L⁻¹ with T block upper triangular (known spectrum, 2×2 blocks [[a,b],[−b,a]] give
 *  a ± ib) and L unit lower triangular (inverse by forward substitution): a nonnormal matrix. */
function withSpectrum(blocks: C[], rng: ReturnType<typeof makeRng>): { a: Float64Array; n: number; known: C[] } {
  const n = blocks.reduce((s, [, b]) => s + (b === 0 ? 1 : 2), 0);
  const T = new Float64Array(n * n);
  const known: C[] = [];
  let i = 0;
  for (const [re, im] of blocks) {
    if (im === 0) { T[i * n + i] = re; known.push([re, 0]); i += 1; }
    else {
      T[i * n + i] = re; T[(i + 1) * n + i + 1] = re; T[i * n + i + 1] = im; T[(i + 1) * n + i] = -im;
      known.push([re, im], [re, -im]); i += 2;
    }
  }
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) if (T[r * n + c] === 0) T[r * n + c] = rng.uniform(-1, 1);
  const L = new Float64Array(n * n), Linv = new Float64Array(n * n);
  for (let r = 0; r < n; r++) { L[r * n + r] = 1; for (let c = 0; c < r; c++) L[r * n + c] = rng.uniform(-1, 1); }
  // L⁻¹ column by column: L y = e_c.
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) {
    let s = r === c ? 1 : 0;
    for (let k = 0; k < r; k++) s -= L[r * n + k]! * Linv[k * n + c]!;
    Linv[r * n + c] = s;
  }
  return { a: matmul(matmul(L, T, n), Linv, n), n, known };
}

const norm1 = (a: Float64Array) => a.reduce((s, v) => s + Math.abs(v), 0);

test('eig: diagonal, 1×1 and a 2×2 rotation (exact spectra)', () => {
  const d = eigenvalues([3, 0, 0, 0, -1, 0, 0, 0, 2], 3);
  assert.equal(Array.from(d.re), [3, 2, -1]);
  assert.equal(Array.from(d.im), [0, 0, 0]);
  const one = eigenvalues([-7.5], 1);
  assert.is(one.re[0], -7.5);
  const rot = eigenvalues([0.5, -2, 2, 0.5], 2); // 0.5 ± 2i
  assert.ok(spectrumDistance([[0.5, 2], [0.5, -2]], rot) <= 4 * EPS * 4);
});

test('eig: nonnormal matrices with known real and complex spectra, d = 2…8', () => {
  const rng = makeRng(11);
  const cases: C[][] = [
    [[1, 0], [-2, 0]],
    [[0.3, 1.7], [-1, 0]],
    [[2, 0], [-0.5, 3], [1e-3, 0], [0, 1]],
    [[1, 2], [1, 0.5], [-3, 0], [4, 0]],
    [[-0.2, 1], [-0.2, 2], [-0.2, 3], [0.7, 0], [-0.7, 0]],
  ];
  for (const blocks of cases) {
    const { a, n, known } = withSpectrum(blocks, rng);
    const got = eigenvalues(a, n);
    // Backward stable: error ≈ ε‖A‖ × eigenvalue condition number; these L T L⁻¹ with |L_ij| ≤ 1
    // have conditions ≲ 1e3, so 1e4 ε‖A‖ is a safe bound.
    const tol = 1e4 * EPS * norm1(a);
    const dist = spectrumDistance(known, got);
    assert.ok(dist <= tol, `n=${n}: distance ${dist} > ${tol}`);
    // Conjugate pairs: imaginary parts sum to zero, real parts to the trace.
    let tr = 0, sre = 0, sim = 0;
    for (let i = 0; i < n; i++) { tr += a[i * n + i]!; sre += got.re[i]!; sim += got.im[i]!; }
    assert.ok(Math.abs(sim) <= tol && Math.abs(sre - tr) <= n * tol);
  }
});

test('eig: companion matrix of (x−1)(x−2)(x−3)(x²+4): roots 1, 2, 3, ±2i', () => {
  // (x−1)(x−2)(x−3) = x³ − 6x² + 11x − 6; times (x² + 4): x⁵ − 6x⁴ + 15x³ − 30x² + 44x − 24.
  const c = [-6, 15, -30, 44, -24]; // coefficients of x⁴ … x⁰
  const n = 5, a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) a[j] = -c[j]!;
  for (let i = 1; i < n; i++) a[i * n + i - 1] = 1;
  const got = eigenvalues(a, n);
  // Well-separated simple roots of a degree-5 polynomial with coefficients ≲ 44: condition ≲ 1e3.
  assert.ok(spectrumDistance([[1, 0], [2, 0], [3, 0], [0, 2], [0, -2]], got) <= 1e3 * EPS * 100);
});

test('eig: random antisymmetric matrices have purely imaginary spectra (normal, κ = 1)', () => {
  const rng = makeRng(5);
  for (const n of [3, 6, 8]) {
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const v = rng.normal(); k[i * n + j] = v; k[j * n + i] = -v; }
    const s = eigenvalues(k, n);
    // Normal matrix: eigenvalue error ≤ backward error ≈ small multiple of ε‖K‖.
    assert.ok(Math.abs(spectralAbscissa(s)) <= 100 * EPS * norm1(k));
    assert.ok(spectralRadius(s) > 0.1);
  }
});

test('eig: a 3×3 Jordan block is resolved to (ε‖A‖)^{1/3}', () => {
  const a = [2, 1, 0, 0, 2, 1, 0, 0, 2];
  const got = eigenvalues(a, 3);
  assert.ok(spectrumDistance([[2, 0], [2, 0], [2, 0]], got) <= 10 * Math.cbrt(EPS * 5));
});

test('eig: negative control — a wrong spectrum is detected by the same distance', () => {
  const { a, n } = withSpectrum([[1, 0], [0.3, 1.7]], makeRng(2));
  const got = eigenvalues(a, n);
  assert.ok(spectrumDistance([[1, 0], [0.3, 1.6], [0.3, -1.6]], got) > 0.05);
});

test('eig: bad input is a UserError', () => {
  assert.throws(() => eigenvalues([1, 2, 3], 2), (e: unknown) => e instanceof UserError);
  assert.throws(() => eigenvalues([1, NaN, 0, 1], 2), (e: unknown) => e instanceof UserError && /non-finite/.test((e as Error).message));
});

/** Q diag(λ) Qᵀ with Q a seeded orthogonal matrix (Gram–Schmidt of a normal matrix). */
function symmetricWithSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length, rng = makeRng(seed), q: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(n).map(() => rng.normal());
    for (const u of q) { let c = 0; for (let i = 0; i < n; i++) c += v[i]! * u[i]!; for (let i = 0; i < n; i++) v[i] = v[i]! - c * u[i]!; }
    const nv = Math.hypot(...v);
    q.push(v.map((x) => x / nv));
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += q[k]![i]! * lambda[k]! * q[k]![j]!; a[i * n + j] = s; }
  return a;
}

test('symmetricEigenpairs: known spectrum (with a repeated and a zero eigenvalue), residuals and orthonormality at rounding level', () => {
  const lambda = [3, -1, 0, 2, 2, 1e-3, 5, 0.5];
  const n = lambda.length, a = symmetricWithSpectrum(lambda, 11);
  const { values, vectors } = symmetricEigenpairs(a, n);
  const sorted = [...lambda].sort((x, y) => x - y);
  // Weyl: |λ̂ − λ| ≤ ‖E‖₂ ≈ n ε ‖A‖ (‖A‖ = 5), the construction itself rounds at ≈ n ε ‖A‖ too
  for (let k = 0; k < n; k++) assert.ok(Math.abs(values[k]! - sorted[k]!) <= 100 * n * EPS * 5, `λ_${k}: ${values[k]} vs ${sorted[k]}`);
  for (let k = 0; k < n; k++) {
    const v = vectors[k]!;
    let res = 0;
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!; res = Math.max(res, Math.abs(s - values[k]! * v[i]!)); }
    assert.ok(res <= 100 * n * EPS * 5, `‖Av − λv‖ = ${res} for λ = ${values[k]}`);
    for (let m = 0; m <= k; m++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += v[i]! * vectors[m]![i]!;
      // the repeated eigenvalue 2 gets an orthonormal pair, not the same vector twice
      assert.ok(Math.abs(c - (m === k ? 1 : 0)) <= 1e-12, `v_${k}·v_${m} = ${c}`);
    }
  }
});

test('symmetricEigenpairs: a nonsymmetric matrix is refused', () => {
  assert.throws(() => symmetricEigenpairs([1, 2, 0, 1], 2), (e: unknown) => e instanceof UserError && /not symmetric/.test((e as Error).message));
});

test.run();
