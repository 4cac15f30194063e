/**
 * ResNet layer = forward Euler: x⁺ = x + h f(t, x, θ_l), e.g. f = σ(Kx + b). Order 1.
 *
 * Discrete adjoint (CLAIMS C2): p_l = p_{l+1} (I + h ∂f/∂x), ∂L/∂θ_l = h p_{l+1} ∂f/∂θ.
 */
import type { ParamField, Scheme } from './types.ts';

export function makeEuler(field: ParamField): Scheme {
  const d = field.dim;
  const k = new Float64Array(d);
  return {
    name: 'euler', order: 1, field, stageTimes: [0],
    step(t, h, x, th, to, out) {
      field.eval(t, x, th, to, k);
      for (let i = 0; i < d; i++) out[i] = x[i]! + h * k[i]!;
    },
    stepTangent(t, h, x, th, to, dx, dth, dto, out) {
      field.jvp(t, x, th, to, dx, dth, dto, k);
      for (let i = 0; i < d; i++) out[i] = dx[i]! + h * k[i]!;
    },
    stepAdjoint(t, h, x, th, to, pNext, outP, g, go) {
      field.vjp(t, x, th, to, pNext, k, g, go, h);
      for (let i = 0; i < d; i++) outP[i] = pNext[i]! + h * k[i]!;
    },
    // the record is the field's at x (Euler has no inner stages)
    taped: field.taped && {
      tapeSize: field.taped.tapeSize,
      stepTaped(t, h, x, th, to, out, tape, tapeo) {
        field.taped!.evalTaped(t, x, th, to, k, tape, tapeo);
        for (let i = 0; i < d; i++) out[i] = x[i]! + h * k[i]!;
      },
      stepAdjointTaped(t, h, x, th, to, pNext, outP, g, go, tape, tapeo) {
        field.taped!.vjpTaped(t, x, th, to, pNext, k, g, go, h, tape, tapeo);
        for (let i = 0; i < d; i++) outP[i] = pNext[i]! + h * k[i]!;
      },
    },
  };
}
