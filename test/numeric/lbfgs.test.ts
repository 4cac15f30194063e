import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lbfgs, type ValueAndGradient } from '../../src/numeric/lbfgs.ts';
import { normInf } from '../../src/numeric/linalg.ts';
import { h1Metric } from '../../src/numeric/h1.ts';
import { makeRng } from '../../src/util/prng.ts';

/** Extended Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimiser (1, …, 1), f* = 0. */
const rosenbrock: ValueAndGradient = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!, b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * a * x[i]! - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
};

test('Rosenbrock N = 2 from (−1.2, 1): reaches (1, 1)', () => {
  const r = lbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { gradTol: 1e-10 });
  assert.ok(r.converged, r.reason);
  // at a minimiser with Hessian cond ≈ 2.5e3, |x − x*| ≲ cond·‖g‖ ≈ 1e-6 at most
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-6, `x = ${r.x}`);
  assert.ok(r.iterations < 100, `iterations ${r.iterations}`);
  assert.ok(r.f < 1e-14, `f = ${r.f}`);
});

test('Rosenbrock N = 100 from the standard start: reaches (1, …, 1)', () => {
  const x0 = new Float64Array(100);
  for (let i = 0; i < 100; i++) x0[i] = i % 2 === 0 ? -1.2 : 1;
  const r = lbfgs(rosenbrock, x0, { gradTol: 1e-9 });
  assert.ok(r.converged, r.reason);
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-6);
  // the history is monotone: each accepted step satisfies sufficient decrease
  for (let k = 1; k < r.history.length; k++) assert.ok(r.history[k]!.f <= r.history[k - 1]!.f * (1 + 1e-12) + 1e-300);
  assert.is(r.history.length, r.iterations + 1);
});

test('every accepted step satisfies the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9) or their approximate form', () => {
  // Record every evaluation; iterate k is the evaluation whose value is history[k].f. With
  // s = x_{k+1} − x_k = α d the line-search conditions, multiplied by α > 0, read
  //   f_{k+1} ≤ f_k + c₁ g_k·s (Armijo)   and   |g_{k+1}·s| ≤ c₂ |g_k·s| (strong curvature),
  // and the approximate-Wolfe alternative f_{k+1} ≤ f_k + 1e-12|f_k|, g_{k+1}·s ≤ (1 − 2c₁)|g_k·s|.
  const evals: { x: Float64Array; f: number; g: Float64Array }[] = [];
  const fg: ValueAndGradient = (x, g) => { const f = rosenbrock(x, g); evals.push({ x: x.slice(), f, g: g.slice() }); return f; };
  const x0 = new Float64Array(20);
  for (let i = 0; i < 20; i++) x0[i] = i % 2 === 0 ? -1.2 : 1;
  const r = lbfgs(fg, x0, { gradTol: 1e-9, history: 5 });
  assert.ok(r.converged, r.reason);
  const iterate = (f: number) => { for (let j = evals.length - 1; j >= 0; j--) if (evals[j]!.f === f) return evals[j]!; throw new Error(`no evaluation with f = ${f}`); };
  const c1 = 1e-4, c2 = 0.9;
  for (let k = 0; k < r.iterations; k++) {
    const a = iterate(r.history[k]!.f), b = iterate(r.history[k + 1]!.f);
    let gs0 = 0, gs1 = 0;
    for (let i = 0; i < x0.length; i++) { const s = b.x[i]! - a.x[i]!; gs0 += a.g[i]! * s; gs1 += b.g[i]! * s; }
    assert.ok(gs0 < 0, `iteration ${k}: not a descent step (g·s = ${gs0})`);
    const armijo = b.f <= a.f + c1 * gs0;
    const approx = b.f <= a.f + 1e-12 * Math.abs(a.f) && gs1 <= (1 - 2 * c1) * Math.abs(gs0);
    assert.ok(armijo || approx, `iteration ${k}: sufficient decrease fails (${b.f} vs ${a.f} + ${c1 * gs0})`);
    assert.ok(Math.abs(gs1) <= c2 * Math.abs(gs0) * (1 + 1e-12), `iteration ${k}: curvature |${gs1}| > ${c2}·|${gs0}|`);
  }
});

/** f = ½ xᵀAx − bᵀx with A = M_H1 + diag(d); exact minimiser A⁻¹b from a dense solve. */
function quadratic(n: number, a: number, c: number, diag: Float64Array, b: Float64Array) {
  const M = h1Metric(n, [a], [c]);
  const Ax = new Float64Array(n);
  const fg: ValueAndGradient = (x, g) => {
    M.multiply(x, Ax);
    let f = 0;
    for (let i = 0; i < n; i++) { Ax[i] = Ax[i]! + diag[i]! * x[i]!; g[i] = Ax[i]! - b[i]!; f += 0.5 * x[i]! * Ax[i]! - b[i]! * x[i]!; }
    return f;
  };
  // dense Gaussian elimination (independent of the Thomas solve)
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let v = 0;
    if (i === j) v = a + c * (n === 1 ? 0 : i === 0 || i === n - 1 ? 1 : 2) + diag[i]!;
    else if (Math.abs(i - j) === 1) v = -c;
    return v;
  }));
  const rhs = Array.from(b);
  for (let k = 0; k < n; k++) for (let i = k + 1; i < n; i++) {
    const l = A[i]![k]! / A[k]![k]!;
    for (let j = k; j < n; j++) A[i]![j] = A[i]![j]! - l * A[k]![j]!;
    rhs[i] = rhs[i]! - l * rhs[k]!;
  }
  const xs = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i]!;
    for (let j = i + 1; j < n; j++) s -= A[i]![j]! * xs[j]!;
    xs[i] = s / A[i]![i]!;
  }
  return { fg, xs, M };
}

test('well-conditioned quadratic: converges to the exact minimiser', () => {
  const n = 30, rng = makeRng(3);
  const diag = rng.fillUniform(new Float64Array(n), 1, 2), b = rng.fillUniform(new Float64Array(n), -1, 1);
  const { fg, xs } = quadratic(n, 1, 0.5, diag, b);
  const r = lbfgs(fg, new Float64Array(n), { gradTol: 1e-13 });
  assert.ok(r.converged, r.reason);
  // cond(A) ≤ 5 / 1 so |x − x*|∞ ≤ 5·‖g‖-ish; 1e-12 leaves room for rounding
  let e = 0; for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(r.x[i]! - xs[i]!));
  assert.ok(e < 1e-12, `error ${e}`);
  // m ≥ n: L-BFGS on a quadratic terminates in O(n) iterations (finite termination with exact
  // line searches; Wolfe steps add a few)
  assert.ok(r.iterations <= 2 * n, `iterations ${r.iterations}`);
});

test('badly conditioned quadratic: the right preconditioner (H¹ metric) fixes it', () => {
  const n = 400, rng = makeRng(5);
  // A = 1e-3 I + 40 n² ... : the discrete H¹ operator a I + c L with c/a = 1e6·n, cond ≈ 4e8·n... plus a
  // bounded diagonal perturbation, so M⁻¹A has condition ≤ 1 + max(diag)/a = 3
  const a = 1e-3, c = 1e3, diag = rng.fillUniform(new Float64Array(n), 0, 2e-3), b = rng.fillUniform(new Float64Array(n), -1, 1);
  const { fg, xs, M } = quadratic(n, a, c, diag, b);
  const tol = 1e-9;
  const pre = lbfgs(fg, new Float64Array(n), { gradTol: tol, precondition: (g, out) => M.apply(g, out) });
  const plain = lbfgs(fg, new Float64Array(n), { gradTol: tol, maxIterations: 1000 });
  assert.ok(pre.converged, pre.reason);
  assert.ok(pre.iterations <= 15, `preconditioned iterations ${pre.iterations}`);
  // the plain method must be far slower (or not converge at all): that is the point
  assert.ok(plain.iterations >= 10 * pre.iterations, `plain ${plain.iterations} vs preconditioned ${pre.iterations}`);
  // ‖x − x*‖ ≤ ‖A⁻¹‖‖g‖ ≤ ‖g‖/λ_min(A) with λ_min ≥ a, times √n for ∞ → 2 norms
  let e = 0; for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(pre.x[i]! - xs[i]!));
  assert.ok(e <= Math.sqrt(n) * tol / a, `error ${e}`);
});

test('h1Metric: apply inverts multiply', () => {
  const n = 17, P = 3, rng = makeRng(9);
  const M = h1Metric(n, [0.1, 1, 2], [5, 0, 100], [0.5, 3]);
  const v = rng.fillUniform(new Float64Array(n * P + 2), -1, 1), Mv = new Float64Array(v.length), w = new Float64Array(v.length);
  M.multiply(v, Mv);
  M.apply(Mv, w);
  let e = 0; for (let i = 0; i < v.length; i++) e = Math.max(e, Math.abs(w[i]! - v[i]!));
  // cond(M) ≤ (0.1 + 400)/0.1: rounding ≲ cond·ε ≈ 1e-12
  assert.ok(e < 1e-11, `error ${e}`);
});

test('stops at the iteration cap and says so; starting at a minimiser takes 0 iterations', () => {
  const r = lbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 3 });
  assert.is(r.iterations, 3);
  assert.not.ok(r.converged);
  assert.is(r.reason, 'iteration cap');
  const s = lbfgs(rosenbrock, Float64Array.from([1, 1]));
  assert.is(s.iterations, 0);
  assert.ok(s.converged);
  assert.is(normInf(Float64Array.from([1, -3, 2])), 3);
});

test('a barrier objective (NaN outside its domain): the line search backs off and converges', () => {
  // f = −Σ log(1 − x_i²) + Σ x_i, finite only on (−1, 1)^n; minimiser solves 2x/(1 − x²) = −1
  const fg: ValueAndGradient = (x, g) => {
    let f = 0;
    for (let i = 0; i < x.length; i++) {
      const u = 1 - x[i]! * x[i]!;
      f += -Math.log(u) + x[i]!;      // NaN for u < 0: outside the domain
      g[i] = 2 * x[i]! / u + 1;
    }
    return f;
  };
  const r = lbfgs(fg, Float64Array.from([0.95, -0.5, 0.3]), { gradTol: 1e-12 });
  assert.ok(r.converged, r.reason);
  // 2x = −(1 − x²) ⇔ x² − 2x − 1 = 0: the root in (−1, 1) is 1 − √2; f'' ≈ 3.4 so |x − x*| ≲ ‖g‖/3
  for (const v of r.x) assert.ok(Math.abs(v - (1 - Math.sqrt(2))) < 1e-12, `x = ${v}`);
});

test.run();
