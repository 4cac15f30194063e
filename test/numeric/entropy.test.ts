/**
 * The Kozachenko–Leonenko entropy estimator: exact equivariance under scaling (and, whitened,
 * under any linear map), the known entropy of a Gaussian and of a uniform cube within its
 * standard error and bias at the sample size, and ψ against tabulated values.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digamma, gaussianEntropy, kozachenkoLeonenko, kthNeighbourSquared } from '../../src/numeric/entropy.ts';
import { makeRng } from '../../src/util/prng.ts';

const sample = (n: number, d: number, seed: number, draw: (r: ReturnType<typeof makeRng>) => number) => {
  const rng = makeRng(seed);
  return new Float64Array(n * d).map(() => draw(rng));
};

test('digamma: ψ(1) = −γ, ψ(1/2) = −γ − 2 log 2, ψ(x + 1) = ψ(x) + 1/x', () => {
  const gamma = 0.5772156649015329;
  assert.ok(Math.abs(digamma(1) + gamma) < 1e-12);
  assert.ok(Math.abs(digamma(0.5) + gamma + 2 * Math.LN2) < 1e-12);
  for (const x of [0.3, 2.7, 11.2]) assert.ok(Math.abs(digamma(x + 1) - digamma(x) - 1 / x) < 1e-12);
});

test('equivariance: Ĥ(aX + b) = Ĥ(X) + d log a exactly; whitened, Ĥ(AX) = Ĥ(X) + log|det A| for any invertible A', () => {
  const d = 3, X = sample(400, d, 3, (r) => r.normal());
  const h = kozachenkoLeonenko(X, d).entropy;
  const Y = X.map((v, i) => 2.5 * v + (i % d));
  assert.ok(Math.abs(kozachenkoLeonenko(Y, d).entropy - h - d * Math.log(2.5)) < 1e-12);
  const A = [1.5, 0.4, -0.2, 0, 0.3, 0.8, 0.1, -0.7, 2]; // det = 1.5(0.6+0.56) − 0.4(0+0.08) − 0.2(0−0.03)
  const detA = 1.5 * (0.3 * 2 + 0.8 * 0.7) - 0.4 * (0 * 2 - 0.8 * 0.1) + -0.2 * (0 * -0.7 - 0.3 * 0.1);
  const Z = new Float64Array(X.length);
  for (let s = 0; s < 400; s++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Z[s * d + i] = Z[s * d + i]! + A[i * d + j]! * X[s * d + j]!;
  const hw = kozachenkoLeonenko(X, d, 3, { whiten: true }).entropy;
  assert.ok(Math.abs(kozachenkoLeonenko(Z, d, 3, { whiten: true }).entropy - hw - Math.log(Math.abs(detA))) < 1e-10);
  // without whitening the squeezed sample is estimated differently (the bias whitening removes)
  assert.ok(Math.abs(kozachenkoLeonenko(Z, d).entropy - h - Math.log(Math.abs(detA))) > 1e-3);
});

test('known entropies: N(0, 0.5² I₃) and the unit cube, within 4 standard errors plus the O((k/n)^{2/3}) bias', () => {
  const d = 3, n = 2000;
  // bias of the k = 3 estimator at n = 2000, d = 3 on these densities: measured −0.05 (Gaussian, 6 draws); 0.1 allows it
  const g = kozachenkoLeonenko(sample(n, d, 7, (r) => 0.5 * r.normal()), d);
  assert.ok(Math.abs(g.entropy - gaussianEntropy(d, 0.5)) < 4 * g.se + 0.1, `Gaussian: ${g.entropy} vs ${gaussianEntropy(d, 0.5)} ± ${g.se}`);
  const u = kozachenkoLeonenko(sample(n, d, 8, (r) => r.next()), d);
  // the cube's boundary adds a bias of order (k/n)^{1/d} (balls cut by the faces): 0.1 covers it at this n
  assert.ok(Math.abs(u.entropy) < 4 * u.se + 0.1, `cube: ${u.entropy} ± ${u.se}`);
  // and a wrong answer is refuted: the Gaussian's estimate is not that of σ = 0.6 (3 log 1.2 = 0.55 apart)
  assert.ok(Math.abs(g.entropy - gaussianEntropy(d, 0.6)) > 4 * g.se + 0.1);
});

/** Independent reference: every pair, the k-th smallest of the sorted squared distances. */
function bruteKth(X: Float64Array, d: number, k: number): number[] {
  const n = X.length / d, out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let t = 0;
      for (let a = 0; a < d; a++) t += (X[i * d + a]! - X[j * d + a]!) ** 2;
      s.push(t);
    }
    s.sort((a, b) => a - b);
    out.push(s[k - 1]!);
  }
  return out;
}

test('k-th neighbour distances of the k-d tree search equal brute force bit for bit (random, clustered, ties, duplicates)', () => {
  const rng = makeRng(5);
  const cases: { name: string; d: number; X: Float64Array }[] = [
    { name: 'normal d = 3', d: 3, X: sample(700, 3, 9, (r) => r.normal()) },
    { name: 'uniform d = 2', d: 2, X: sample(500, 2, 10, (r) => r.next()) },
    { name: 'd = 1', d: 1, X: sample(300, 1, 11, (r) => r.normal()) },
    // very different scales per axis: the splits follow the widest coordinate
    { name: 'anisotropic d = 3', d: 3, X: sample(600, 3, 12, (r) => r.normal()).map((v, i) => (i % 3 === 0 ? 100 : i % 3 === 1 ? 1 : 0.01) * v) },
    // a lattice: many equal distances and equal first coordinates
    { name: 'lattice d = 3', d: 3, X: Float64Array.from({ length: 3 * 216 }, (_, i) => Math.floor(i / 3 / 6 ** (i % 3)) % 6) },
    // duplicated points (distance 0) and a far outlier
    { name: 'duplicates d = 2', d: 2, X: Float64Array.from({ length: 2 * 200 }, (_, i) => (i < 398 ? Math.round(3 * rng.normal()) / 3 : 1e6)) },
  ];
  for (const c of cases) {
    for (const k of [1, 3, 5]) {
      const fast = kthNeighbourSquared(c.X, c.d, k), ref = bruteKth(c.X, c.d, k);
      for (let i = 0; i < ref.length; i++) assert.ok(Object.is(fast[i], ref[i]), `${c.name}, k = ${k}, point ${i}: ${fast[i]} vs ${ref[i]}`);
    }
  }
  assert.throws(() => kthNeighbourSquared(new Float64Array(6), 2, 3), /1 ≤ k < n/);
});

test.run();
