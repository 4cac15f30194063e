/**
 * The CONTRACT every Scheme must satisfy (Meganet's abstract integrator tests), as a function
 * that registers uvu tests for one scheme instance:
 *
 *  1. Taylor test: for L(u) = ½|x_N(u) − y|² and a random direction v in (x_0, θ), the
 *     remainder |L(u + δv) − L(u) − δ ∇L·v| falls like δ² (certified order 2). A gradient
 *     that is wrong in any direction leaves an O(δ) remainder (checked as a control).
 *  2. Dot-product (transpose) test: ⟨w, M v⟩ = ⟨Mᵀ w, v⟩ for the linearised map
 *     M: (δx_0, δθ) ↦ δx_N (stepTangent) and its adjoint (stepAdjoint), to ~1e-10 relative.
 *  3. Finite differences: central differences of L along v agree with ∇L·v (error O(δ²) + ε/δ).
 *  4. Declared order: the final-state error against a tight DOPRI5 solution of the scheme's ODE
 *     (parameters sampled from smooth θ(t)) has certified order `scheme.order`.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Scheme } from '../../../src/numeric/schemes/types.ts';
import { layerParamCount } from '../../../src/numeric/schemes/types.ts';
import { backward, forward, forwardFinal, sampleParams, tangent } from '../../../src/numeric/schemes/net.ts';
import { dopri5 } from '../../../src/numeric/ode/dopri5.ts';
import { certifyOrder, describeCertificate } from '../../../src/numeric/certify.ts';
import { makeRng } from '../../../src/util/prng.ts';

export interface ContractInstance {
  label: string;
  scheme: Scheme;
  /** smooth parameters θ(t) (P entries) */
  thetaOf: (t: number, out: Float64Array) => void;
  x0: Float64Array;
  T: number;
  /** depths for the order check (default 4 … 512) */
  depths?: number[];
}

export function contract(test: Test, inst: ContractInstance): void {
  const { scheme, T, x0 } = inst;
  const d = scheme.field.dim, N = 9, depth = { N, T };
  const rng = makeRng(4242);
  const theta = sampleParams(scheme, depth, inst.thetaOf);
  // roughen the parameters so that every stage and layer parameter matters independently
  for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + 0.3 * rng.normal();
  const y = new Float64Array(d).map(() => rng.normal());
  const vx = new Float64Array(d).map(() => rng.normal());
  const vth = new Float64Array(theta.length).map(() => rng.normal());

  const loss = (xa: Float64Array, th: Float64Array) => {
    const xN = forwardFinal(scheme, xa, th, depth);
    let s = 0;
    for (let i = 0; i < d; i++) s += 0.5 * (xN[i]! - y[i]!) ** 2;
    return s;
  };
  const gradDotV = () => {
    const xs = forward(scheme, x0, theta, depth);
    const pN = new Float64Array(d);
    for (let i = 0; i < d; i++) pN[i] = xs[N * d + i]! - y[i]!;
    const { ps, gTheta } = backward(scheme, xs, theta, depth, pN);
    let g = 0;
    for (let i = 0; i < d; i++) g += ps[i]! * vx[i]!;
    for (let i = 0; i < theta.length; i++) g += gTheta[i]! * vth[i]!;
    return g;
  };
  const shifted = (delta: number) => loss(x0.map((v, i) => v + delta * vx[i]!), theta.map((v, i) => v + delta * vth[i]!));

  test(`${inst.label}: Taylor test, remainder of order 2 (and O(δ) for a wrong gradient)`, () => {
    const L0 = loss(x0, theta), g = gradDotV();
    const deltas: number[] = [], rem: number[] = [], remWrong: number[] = [];
    for (let k = 0; k < 14; k++) {
      const delta = 0.1 * 2 ** -k, Ld = shifted(delta);
      deltas.push(delta);
      rem.push(Math.abs(Ld - L0 - delta * g));
      remWrong.push(Math.abs(Ld - L0 - delta * g * (1 + 1e-2)));
    }
    const c = certifyOrder(deltas, rem, 2, { scale: Math.abs(L0) });
    assert.is(c.verdict, 'order', describeCertificate(c));
    const w = certifyOrder(deltas, remWrong, 2, { scale: Math.abs(L0) });
    assert.is.not(w.verdict, 'order', `a 1 % wrong gradient must not pass: ${describeCertificate(w)}`);
  });

  test(`${inst.label}: dot-product test of stepTangent against stepAdjoint`, () => {
    const xs = forward(scheme, x0, theta, depth);
    const dxs = tangent(scheme, xs, theta, depth, vx, vth);
    const w = new Float64Array(d).map(() => rng.normal());
    const { ps, gTheta } = backward(scheme, xs, theta, depth, w);
    let lhs = 0, rhs = 0, mag = 0;
    for (let i = 0; i < d; i++) { lhs += w[i]! * dxs[N * d + i]!; rhs += ps[i]! * vx[i]!; mag += Math.abs(ps[i]! * vx[i]!); }
    for (let i = 0; i < theta.length; i++) { rhs += gTheta[i]! * vth[i]!; mag += Math.abs(gTheta[i]! * vth[i]!); }
    // both sides are sums of the same products in different order: error ≲ (#terms)·ε·Σ|terms|
    assert.ok(Math.abs(lhs - rhs) <= 1e-10 * mag, `⟨w,Mv⟩ = ${lhs}, ⟨Mᵀw,v⟩ = ${rhs}`);
    assert.ok(gTheta.length === N * layerParamCount(scheme));
  });

  test(`${inst.label}: central finite differences agree with the adjoint gradient`, () => {
    const g = gradDotV(), delta = 1e-5;
    const fd = (shifted(delta) - shifted(-delta)) / (2 * delta);
    // truncation δ²|L'''|/6 ≈ 1e-10 plus round-off ε|L|/δ ≈ 1e-11·|L|
    const L0 = loss(x0, theta);
    assert.ok(Math.abs(fd - g) <= 1e-7 * (Math.abs(g) + Math.abs(L0)), `fd ${fd} vs adjoint ${g}`);
  });

  test(`${inst.label}: certified order ${scheme.order} against the ODE (DOPRI5 reference)`, () => {
    const P = scheme.field.paramDim, th = new Float64Array(P);
    const field = (t: number, x: Float64Array, out: Float64Array) => { inst.thetaOf(t, th); scheme.field.eval(t, x, th, 0, out); };
    const ref = dopri5(field, 0, T, x0, { rtol: 1e-13, atol: 1e-13 }).x;
    const hs: number[] = [], errs: number[] = [];
    for (const n of inst.depths ?? [4, 8, 16, 32, 64, 128, 256, 512]) {
      const xN = forwardFinal(scheme, x0, sampleParams(scheme, { N: n, T }, inst.thetaOf), { N: n, T });
      let e = 0;
      for (let i = 0; i < d; i++) e = Math.max(e, Math.abs(xN[i]! - ref[i]!));
      hs.push(T / n); errs.push(e);
    }
    const c = certifyOrder(hs, errs, scheme.order);
    assert.is(c.verdict, 'order', describeCertificate(c));
  });
}
