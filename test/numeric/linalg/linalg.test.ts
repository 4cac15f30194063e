import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { det, identity, logAbsDet, matmul, matTvec, matvec, norm2, normInf, solve, trace, transpose, dot } from '../../../src/numeric/linalg.ts';
import { makeRng } from '../../../src/util/prng.ts';
import { EPS } from '../../../src/util/approx.ts';
import { userError } from '../ode/helpers.ts';

const rng = makeRng(11);
const rand = (n: number) => new Float64Array(n).map(() => rng.normal());

test('matvec, matTvec and matmul agree with each other and with the transpose', () => {
  const A = rand(12), x = rand(4), y = rand(3);
  // ⟨y, Ax⟩ = ⟨Aᵀy, x⟩
  const lhs = dot(y, matvec(A, 3, 4, x)), rhs = dot(matTvec(A, 3, 4, y), x);
  assert.ok(Math.abs(lhs - rhs) < 1e-14 * (Math.abs(lhs) + 1));
  const B = rand(8), C = matmul(A, transpose(A, 3, 4), 3, 4, 3);
  assert.ok(Math.abs(C[1]! - C[3]!) < 1e-14, 'A Aᵀ is symmetric');
  const AB = matmul(transpose(A, 3, 4), B.subarray(0, 6), 4, 3, 2);
  assert.is(AB.length, 8);
  assert.equal(Array.from(matmul(identity(3), A, 3, 3, 4)), Array.from(A));
});

test('det: known values, products, permutation sign', () => {
  assert.is(det(new Float64Array([0, 1, 1, 0]), 2), -1);
  assert.is(det(new Float64Array([2, 0, 0, 0, 3, 0, 0, 0, 4]), 3), 24);
  assert.is(det(new Float64Array([1, 2, 2, 4]), 2), 0);
  const A = rand(16), B = rand(16);
  const prod = det(matmul(A, B, 4, 4, 4), 4), sep = det(A, 4) * det(B, 4);
  // LU backward error: relative ≈ n·ε·κ; 1e-12 covers κ ≲ 1e3 of these random matrices
  assert.ok(Math.abs(prod - sep) < 1e-12 * Math.abs(sep) + 1e-14, `${prod} vs ${sep}`);
  assert.ok(Math.abs(logAbsDet(A, 4) - Math.log(Math.abs(det(A, 4)))) < 1e-13);
});

test('solve: residual at round-off level (partial pivoting needed for a zero leading entry)', () => {
  const A = new Float64Array([0, 2, 1, 1, 1, 0, 3, 0, 1]), b = new Float64Array([1, 2, 3]);
  const x = solve(A, 3, b), r = matvec(A, 3, 3, x);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(r[i]! - b[i]!) < 10 * EPS * 4);
  const M = rand(25), c = rand(5), y = solve(M, 5, c);
  assert.ok(normInf(matvec(M, 5, 5, y).map((v, i) => v - c[i]!)) < 1e-12);
  assert.throws(() => solve(new Float64Array([1, 2, 2, 4]), 2, [1, 1]), userError(/singular/));
});

test('norms and trace', () => {
  assert.ok(Math.abs(norm2([3, 4]) - 5) < 4 * EPS * 5);
  assert.ok(Math.abs(norm2([3e200, 4e200]) / 5e200 - 1) < 4 * EPS, 'no overflow');
  assert.is(normInf([1, -7, 3]), 7);
  assert.is(trace(identity(5), 5), 5);
});

test.run();
