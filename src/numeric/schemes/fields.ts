/**
 * The parametrised vector fields the schemes discretise (see types.ts for the conventions).
 *
 *  - resnetField:  f(x; K, b) = σ(Kx + b)  (Haber–Ruthotto, Thorpe–van Gennip), optionally
 *    batched over S samples sharing θ (state = S stacked d-vectors);
 *  - ruseckasField: F(x; A, β) = Ax + β + g(x)  (Ruseckas' proposed ODE, g elementwise).
 * θ is stored row-major: the d×d matrix first, then the d-vector; P = d² + d.
 */
import type { Activation } from '../activations.ts';
import type { ParamField } from './types.ts';
import { positiveInt } from '../../util/errors.ts';

/**
 * f(x; K, b) = σ(Kx + b), Jacobian diag(σ′(z)) K with z = Kx + b.
 * Arguments: d per-sample dimension, σ, samples S (default 1): the state is S·d long.
 */
export function resnetField(d: number, act: Activation, opts: { samples?: number } = {}): ParamField {
  positiveInt(d, 'resnet field: dimension');
  const S = positiveInt(opts.samples ?? 1, 'resnet field: samples');
  const P = d * d + d;
  const z = new Float64Array(d), u = new Float64Array(d);
  const { sigma, dsigma } = act;
  // z = K x_s + b for sample s (x offset xo).
  const pre = (x: Float64Array, xo: number, th: Float64Array, to: number) => {
    for (let i = 0; i < d; i++) {
      let acc = th[to + d * d + i]!;
      const r = to + i * d;
      for (let j = 0; j < d; j++) acc += th[r + j]! * x[xo + j]!;
      z[i] = acc;
    }
  };
  return {
    name: `resnet-${act.name}`, dim: S * d, paramDim: P,
    eval(_t, x, th, to, out) {
      for (let s = 0; s < S; s++) {
        const xo = s * d;
        pre(x, xo, th, to);
        for (let i = 0; i < d; i++) out[xo + i] = sigma(z[i]!);
      }
    },
    jvp(_t, x, th, to, v, dth, dto, out) {
      for (let s = 0; s < S; s++) {
        const xo = s * d;
        pre(x, xo, th, to);
        for (let i = 0; i < d; i++) {
          let acc = 0;
          const r = to + i * d;
          for (let j = 0; j < d; j++) acc += th[r + j]! * v[xo + j]!;
          if (dth) {
            const dr = dto + i * d;
            for (let j = 0; j < d; j++) acc += dth[dr + j]! * x[xo + j]!;
            acc += dth[dto + d * d + i]!;
          }
          out[xo + i] = dsigma(z[i]!) * acc;
        }
      }
    },
    vjp(_t, x, th, to, w, outX, g, go, scale) {
      for (let s = 0; s < S; s++) {
        const xo = s * d;
        pre(x, xo, th, to);
        for (let i = 0; i < d; i++) u[i] = w[xo + i]! * dsigma(z[i]!);
        for (let j = 0; j < d; j++) {
          let acc = 0;
          for (let i = 0; i < d; i++) acc += u[i]! * th[to + i * d + j]!;
          outX[xo + j] = acc;
        }
        if (g) {
          for (let i = 0; i < d; i++) {
            const su = scale * u[i]!;
            const r = go + i * d;
            for (let j = 0; j < d; j++) g[r + j] = g[r + j]! + (su * x[xo + j]!);
            g[go + d * d + i] = g[go + d * d + i]! + su;
          }
        }
      }
    },
  };
}

/** F(x; A, β) = Ax + β + g(x), Jacobian A + diag(g′(x)). */
export function ruseckasField(d: number, g: Activation): ParamField {
  positiveInt(d, 'Ruseckas field: dimension');
  const P = d * d + d;
  const { sigma, dsigma } = g;
  return {
    name: `ruseckas-${g.name}`, dim: d, paramDim: P,
    eval(_t, x, th, to, out) {
      for (let i = 0; i < d; i++) {
        let acc = th[to + d * d + i]! + sigma(x[i]!);
        const r = to + i * d;
        for (let j = 0; j < d; j++) acc += th[r + j]! * x[j]!;
        out[i] = acc;
      }
    },
    jvp(_t, x, th, to, v, dth, dto, out) {
      for (let i = 0; i < d; i++) {
        let acc = dsigma(x[i]!) * v[i]!;
        const r = to + i * d;
        for (let j = 0; j < d; j++) acc += th[r + j]! * v[j]!;
        if (dth) {
          const dr = dto + i * d;
          for (let j = 0; j < d; j++) acc += dth[dr + j]! * x[j]!;
          acc += dth[dto + d * d + i]!;
        }
        out[i] = acc;
      }
    },
    vjp(_t, x, th, to, w, outX, gr, go, scale) {
      for (let j = 0; j < d; j++) {
        let acc = w[j]! * dsigma(x[j]!);
        for (let i = 0; i < d; i++) acc += w[i]! * th[to + i * d + j]!;
        outX[j] = acc;
      }
      if (gr) {
        for (let i = 0; i < d; i++) {
          const sw = scale * w[i]!;
          const r = go + i * d;
          for (let j = 0; j < d; j++) gr[r + j] = gr[r + j]! + (sw * x[j]!);
          gr[go + d * d + i] = gr[go + d * d + i]! + sw;
        }
      }
    },
  };
}

/**
 * A parameter-free field (P = 0) from a compiled f(t, x) and its Jacobian J(t, x) (d×d,
 * row-major), e.g. from the symbolic layer's compileVectorField + compiled ∂F/∂x: lets every
 * scheme, the costate and the adjoint gap run on a field given as text.
 */
export function plainField(d: number, f: (t: number, x: Float64Array, out: Float64Array) => void,
  jacobian: (t: number, x: Float64Array, J: Float64Array) => void, name = 'field'): ParamField {
  positiveInt(d, 'field dimension');
  const J = new Float64Array(d * d);
  return {
    name, dim: d, paramDim: 0,
    eval: (t, x, _th, _to, out) => f(t, x, out),
    jvp(t, x, _th, _to, v, _dth, _dto, out) {
      jacobian(t, x, J);
      for (let i = 0; i < d; i++) { let s = 0; for (let j = 0; j < d; j++) s += J[i * d + j]! * v[j]!; out[i] = s; }
    },
    vjp(t, x, _th, _to, w, outX) {
      jacobian(t, x, J);
      for (let j = 0; j < d; j++) { let s = 0; for (let i = 0; i < d; i++) s += w[i]! * J[i * d + j]!; outX[j] = s; }
    },
  };
}
