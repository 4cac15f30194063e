/**
 * Generic explicit Runge–Kutta layer from a Butcher tableau (a, b, c), with its exact discrete
 * adjoint. Heun, explicit midpoint and RK4 are instances (one small module each).
 *
 * Forward:  Y_i = x + h Σ_{j<i} a_ij k_j,  k_i = f(t + c_i h, Y_i, θ_{s(i)}),  x⁺ = x + h Σ b_i k_i,
 * where s(i) is the index of c_i in the scheme's distinct `stageTimes`.
 * Adjoint (reverse sweep over the stages, λ = p⁺):
 *     w_i = h b_i λ + h Σ_{j>i} a_ji μ_j,   μ_i = w_i ∂f/∂x(Y_i),   ∂L/∂θ_{s(i)} += w_i ∂f/∂θ(Y_i),
 *     p = λ + Σ_i μ_i.
 * (This is the transpose of the tangent map; as a method for the costate it is the partitioned
 * RK partner of (a, b, c), Hairer–Lubich–Wanner VI.4, so it keeps the forward order when all b_i ≠ 0.)
 */
import type { ParamField, Scheme } from './types.ts';

export interface Tableau {
  name: string;
  order: number;
  /** strictly lower-triangular: a[i][j] for j < i */
  a: readonly (readonly number[])[];
  b: readonly number[];
  c: readonly number[];
}

export function makeExplicitRK(tab: Tableau, field: ParamField): Scheme {
  const s = tab.b.length, d = field.dim, P = field.paramDim;
  const stageTimes = [...new Set(tab.c)].sort((x, y) => x - y);
  const sIdx = tab.c.map((ci) => stageTimes.indexOf(ci));
  const a = tab.a.map((row) => Float64Array.from(row)), b = Float64Array.from(tab.b), c = Float64Array.from(tab.c);
  const Y = Array.from({ length: s }, () => new Float64Array(d));
  const K = Array.from({ length: s }, () => new Float64Array(d));
  const W = new Float64Array(d);
  const ft = field.taped, fts = ft?.tapeSize ?? 0;

  /** Y_i and k_i of every stage; with a tape, Y_i at tape[tapeo + i·d …) and the field's records after them. */
  const stages = (t: number, h: number, x: Float64Array, th: Float64Array, to: number, tape: Float64Array | null, tapeo: number) => {
    for (let i = 0; i < s; i++) {
      const Yi = Y[i]!, ai = a[i]!;
      Yi.set(x);
      for (let j = 0; j < i; j++) {
        const aij = ai[j] ?? 0;
        if (aij === 0) continue;
        const Kj = K[j]!, ha = h * aij;
        for (let m = 0; m < d; m++) Yi[m] = Yi[m]! + (ha * Kj[m]!);
      }
      if (tape) {
        tape.set(Yi, tapeo + i * d);
        ft!.evalTaped(t + c[i]! * h, Yi, th, to + sIdx[i]! * P, K[i]!, tape, tapeo + s * d + i * fts);
      } else field.eval(t + c[i]! * h, Yi, th, to + sIdx[i]! * P, K[i]!);
    }
  };
  /** out = x + h Σ b_i k_i */
  const combine = (h: number, x: Float64Array, out: Float64Array) => {
    out.set(x);
    for (let i = 0; i < s; i++) {
      const hb = h * b[i]!, Ki = K[i]!;
      if (hb !== 0) for (let m = 0; m < d; m++) out[m] = out[m]! + (hb * Ki[m]!);
    }
  };
  /** The reverse sweep over the stages (Y_i set); with a tape, the field's vjp reads its records. */
  const sweep = (t: number, h: number, th: Float64Array, to: number, pNext: Float64Array, outP: Float64Array,
    gr: Float64Array | null, go: number, tape: Float64Array | null, tapeo: number) => {
    // K is reused to hold μ_i (the slopes are no longer needed once the Y_i are known).
    outP.set(pNext);
    for (let i = s - 1; i >= 0; i--) {
      const hb = h * b[i]!;
      for (let m = 0; m < d; m++) W[m] = hb * pNext[m]!;
      for (let j = i + 1; j < s; j++) {
        const aji = a[j]![i] ?? 0;
        if (aji === 0) continue;
        const mu = K[j]!, ha = h * aji;
        for (let m = 0; m < d; m++) W[m] = W[m]! + (ha * mu[m]!);
      }
      if (tape) ft!.vjpTaped(t + c[i]! * h, Y[i]!, th, to + sIdx[i]! * P, W, K[i]!, gr, go + sIdx[i]! * P, 1, tape, tapeo + s * d + i * fts);
      else field.vjp(t + c[i]! * h, Y[i]!, th, to + sIdx[i]! * P, W, K[i]!, gr, go + sIdx[i]! * P, 1);
      const mu = K[i]!;
      for (let m = 0; m < d; m++) outP[m] = outP[m]! + mu[m]!;
    }
  };

  return {
    name: tab.name, order: tab.order, field, stageTimes,
    step(t, h, x, th, to, out) {
      stages(t, h, x, th, to, null, 0);
      combine(h, x, out);
    },
    stepTangent(t, h, x, th, to, dx, dth, dto, out) {
      stages(t, h, x, th, to, null, 0);
      // K now holds the stage slopes; reuse it for the tangent slopes δk_i (Y stays valid).
      for (let i = 0; i < s; i++) {
        W.set(dx);
        const ai = a[i]!;
        for (let j = 0; j < i; j++) {
          const aij = ai[j] ?? 0;
          if (aij === 0) continue;
          const dKj = K[j]!, ha = h * aij;
          for (let m = 0; m < d; m++) W[m] = W[m]! + (ha * dKj[m]!);
        }
        field.jvp(t + c[i]! * h, Y[i]!, th, to + sIdx[i]! * P, W, dth, dto + sIdx[i]! * P, K[i]!);
      }
      out.set(dx);
      for (let i = 0; i < s; i++) {
        const hb = h * b[i]!, dKi = K[i]!;
        if (hb !== 0) for (let m = 0; m < d; m++) out[m] = out[m]! + (hb * dKi[m]!);
      }
    },
    stepAdjoint(t, h, x, th, to, pNext, outP, gr, go) {
      stages(t, h, x, th, to, null, 0);
      sweep(t, h, th, to, pNext, outP, gr, go, null, 0);
    },
    // the record: the stage states Y_i (s·d), then the field's record at each stage (s·fts)
    taped: ft && {
      tapeSize: s * (d + fts),
      stepTaped(t, h, x, th, to, out, tape, tapeo) {
        stages(t, h, x, th, to, tape, tapeo);
        combine(h, x, out);
      },
      stepAdjointTaped(t, h, _x, th, to, pNext, outP, gr, go, tape, tapeo) {
        for (let i = 0; i < s; i++) {
          const Yi = Y[i]!, o = tapeo + i * d;
          for (let m = 0; m < d; m++) Yi[m] = tape[o + m]!; // no subarray view per layer
        }
        sweep(t, h, th, to, pNext, outP, gr, go, tape, tapeo);
      },
    },
  };
}
