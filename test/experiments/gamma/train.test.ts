import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interpolant, multilevel, prolong, resample, trainLevel } from '../../../src/experiments/gamma/train.ts';
import { benchProblem, interpolantDistance, doublings } from '../../../src/experiments/gamma/sweep.ts';
import { subsample } from '../../../src/experiments/gamma/data.ts';
import { depthObjective } from '../../../src/experiments/gamma/objective.ts';
import { isotonicFit, isotonicResidual, parabolaData } from '../../../src/experiments/gamma/isotonic.ts';
import { normInf } from '../../../src/numeric/linalg.ts';
import { makeRng } from '../../../src/util/prng.ts';

test('prolong: reproduces a linear function of t at interior fine centres, constant beyond the ends', () => {
  const n = 8, P = 2;
  const th = new Float64Array(n * P + 1);
  for (let k = 0; k < n; k++) { const t = (k + 0.5) / n; th[k * P] = 2 - 3 * t; th[k * P + 1] = 0.5 * t; }
  th[n * P] = 7;   // a learned readout is copied
  const f = prolong(th, n, P);
  assert.is(f.length, 2 * n * P + 1);
  assert.is(f[2 * n * P], 7);
  for (let j = 0; j < 2 * n; j++) {
    const t = (j + 0.5) / (2 * n);
    const tc = Math.min(Math.max(t, 0.5 / n), (n - 0.5) / n);   // constant extrapolation
    assert.ok(Math.abs(f[j * P]! - (2 - 3 * tc)) < 1e-14, `j=${j}`);
    assert.ok(Math.abs(f[j * P + 1]! - 0.5 * tc) < 1e-15);
  }
  // resample to 2n is prolong; to 3n it interpolates
  assert.equal(Array.from(resample(th, n, 2 * n, P)), Array.from(f));
  const r3 = resample(th, n, 24, P);
  assert.ok(Math.abs(r3[5 * P]! - (2 - 3 * (5.5 / 24))) < 1e-14);
  assert.is(interpolant(th, n, P, 0, 0), th[0]);
});

test('interpolantDistance: exact L² and sup against a fine midpoint rule', () => {
  const rng = makeRng(4), P = 2;
  const a = rng.fillUniform(new Float64Array(5 * P), -1, 1), b = rng.fillUniform(new Float64Array(12 * P), -1, 1);
  const d = interpolantDistance(a, 5, b, 12, P);
  const M = 200000;
  let ss = 0, sup = 0;
  for (let i = 0; i < M; i++) {
    const t = (i + 0.5) / M;
    for (let j = 0; j < P; j++) {
      const e = interpolant(a, 5, P, j, t) - interpolant(b, 12, P, j, t);
      ss += e * e / M; sup = Math.max(sup, Math.abs(e));
    }
  }
  // midpoint rule on a piecewise quadratic: error ≤ (1/24)·max|f''|·(1/M)²·(number of kinks)/M… < 1e-9
  assert.ok(Math.abs(d.l2 - Math.sqrt(ss)) < 1e-9, `${d.l2} vs ${Math.sqrt(ss)}`);
  assert.ok(d.sup >= sup && d.sup - sup < 1e-4, `${d.sup} vs ${sup}`);
});

test('H¹-preconditioned multilevel training on the GAMMA data (64 rows): every level converges, iterations depth-independent; plain grows', () => {
  const { model, data } = benchProblem();
  const small = subsample(data, 64);
  const depths = doublings(4, 256);
  const h1 = multilevel(model, small, depths, { optimizer: 'h1' });
  for (const l of h1) {
    assert.ok(l.converged, `n = ${l.n}: ${l.reason}`);
    // the stopping rule, recomputed independently from a fresh gradient
    const ob = depthObjective(model, small, l.n), g = new Float64Array(ob.size);
    const E = ob.fg(l.theta, g);
    assert.ok(l.n * normInf(g) <= 1e-7, `n = ${l.n}: n‖∇E‖ = ${l.n * normInf(g)}`);
    assert.ok(Math.abs(E - l.energy) <= 1e-15 * Math.abs(E));
  }
  const it = (n: number) => h1.find((l) => l.n === n)!.iterations;
  assert.ok(it(256) <= 2 * it(32), `h1 iterations ${h1.map((l) => l.iterations)}`);
  // plain L-BFGS from the same warm start at n = 64: conditioning ∝ n² shows
  const start = prolong(h1[3]!.theta, 32, 6);
  const plain = trainLevel(model, small, 64, start, { optimizer: 'plain', maxIterations: 3000 });
  assert.ok(plain.iterations > 2 * it(64), `plain ${plain.iterations} vs h1 ${it(64)}`);
});

test('isotonic regression (PAVA): monotone, block means, beats random monotone fits', () => {
  const rng = makeRng(8);
  const y = rng.fillUniform(new Float64Array(40), -1, 1);
  const f = isotonicFit(y);
  for (let i = 1; i < f.length; i++) assert.ok(f[i]! >= f[i - 1]!);
  const res = (g: ArrayLike<number>) => { let s = 0; for (let i = 0; i < y.length; i++) s += (g[i]! - y[i]!) ** 2; return s; };
  // each constant block equals the mean of its data (first-order condition)
  let i = 0;
  while (i < f.length) {
    let j = i; let s = 0;
    while (j < f.length && f[j] === f[i]) { s += y[j]!; j++; }
    assert.ok(Math.abs(s / (j - i) - f[i]!) < 1e-14);
    i = j;
  }
  for (let trial = 0; trial < 200; trial++) {
    const g = rng.fillUniform(new Float64Array(40), -1, 1).sort();
    assert.ok(res(g) >= res(f) - 1e-14);
  }
  // y = x² on a symmetric grid: best monotone fit of either direction; the residual is positive
  assert.ok(isotonicResidual(parabolaData()) > 0.03);
  assert.equal(Array.from(isotonicFit([1, 2, 3])), [1, 2, 3]);
  assert.equal(Array.from(isotonicFit([3, 1])), [2, 2]);
});

test.run();
