/**
 * Ruseckas' near-identity feedforward layer (slides 15–16):
 *     x⁺ = σ_ε(W x + B),  W = I + εA,  B = εβ,  σ_ε(z) = z + ε g(z) elementwise,
 * with ε = h the layer step. Writing z = x + h(Ax + β): x⁺ = z + h g(z). It is a first-order
 * discretisation of dx/dt = F(x; A, β) = Ax + β + g(x) (the field `ruseckasField`), differing
 * from Euler by h² g′(x)(Ax + β) per layer. Order 1. θ_l = (A_l, β_l), one stage at c = 0.
 *
 * Tangent: δz = δx + h(A δx + δA x + δβ), δx⁺ = (1 + h g′(z)) ⊙ δz.
 * Adjoint: w = (1 + h g′(z)) ⊙ p⁺, p = w + h Aᵀw, ∂L/∂A += h w xᵀ, ∂L/∂β += h w.
 */
import type { Activation } from '../activations.ts';
import { ruseckasField } from './fields.ts';
import type { Scheme } from './types.ts';

export function makeFF(d: number, g: Activation): Scheme {
  const field = ruseckasField(d, g);
  const z = new Float64Array(d), w = new Float64Array(d), dz = new Float64Array(d);
  const { sigma, dsigma } = g;
  // z = x + h(Ax + β)
  const pre = (h: number, x: Float64Array, th: Float64Array, to: number) => {
    for (let i = 0; i < d; i++) {
      let acc = th[to + d * d + i]!;
      const r = to + i * d;
      for (let j = 0; j < d; j++) acc += th[r + j]! * x[j]!;
      z[i] = x[i]! + h * acc;
    }
  };
  return {
    name: 'ff', order: 1, field, stageTimes: [0],
    step(_t, h, x, th, to, out) {
      pre(h, x, th, to);
      for (let i = 0; i < d; i++) out[i] = z[i]! + h * sigma(z[i]!);
    },
    stepTangent(_t, h, x, th, to, dx, dth, dto, out) {
      pre(h, x, th, to);
      for (let i = 0; i < d; i++) {
        let acc = 0;
        const r = to + i * d;
        for (let j = 0; j < d; j++) acc += th[r + j]! * dx[j]!;
        if (dth) {
          const dr = dto + i * d;
          for (let j = 0; j < d; j++) acc += dth[dr + j]! * x[j]!;
          acc += dth[dto + d * d + i]!;
        }
        dz[i] = dx[i]! + h * acc;
      }
      for (let i = 0; i < d; i++) out[i] = (1 + h * dsigma(z[i]!)) * dz[i]!;
    },
    stepAdjoint(_t, h, x, th, to, pNext, outP, gr, go) {
      pre(h, x, th, to);
      for (let i = 0; i < d; i++) w[i] = (1 + h * dsigma(z[i]!)) * pNext[i]!;
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += w[i]! * th[to + i * d + j]!;
        outP[j] = w[j]! + h * acc;
      }
      if (gr) {
        for (let i = 0; i < d; i++) {
          const hw = h * w[i]!;
          const r = go + i * d;
          for (let j = 0; j < d; j++) gr[r + j] = gr[r + j]! + (hw * x[j]!);
          gr[go + d * d + i] = gr[go + d * d + i]! + hw;
        }
      }
    },
  };
}
