/**
 * The parametrised vector fields the schemes discretise (see types.ts for the conventions).
 *
 *  - resnetField:  f(x; K, b) = σ(Kx + b)  (Haber–Ruthotto, Thorpe–van Gennip), optionally
 *    batched over S samples sharing θ (state = S stacked d-vectors);
 *  - ruseckasField: F(x; A, β) = Ax + β + g(x)  (Ruseckas' proposed ODE, g elementwise);
 *  - hamiltonianNetField: the Hamiltonian network ẋ = Kσ(Kᵀp + b), ṗ = −Kσ(Kᵀx + b) of
 *    Ruthotto–Haber on (x, p), as a separable field (Störmer–Verlet's input).
 * θ is stored row-major: the matrix first, then the vector; P = d² + d (d·w + w for the
 * Hamiltonian network's K ∈ ℝ^{d×w}, the same layout when w = d).
 */
import type { Activation } from '../activations.ts';
import type { ParamField, SeparableField } from './types.ts';
import { UserError, positiveInt } from '../../util/errors.ts';

/**
 * f(x; K, b) = σ(Kx + b), Jacobian diag(σ′(z)) K with z = Kx + b.
 * Arguments: d per-sample dimension, σ, samples S (default 1): the state is S·d long.
 */
export function resnetField(d: number, act: Activation, opts: { samples?: number } = {}): ParamField {
  positiveInt(d, 'resnet field: dimension');
  const S = positiveInt(opts.samples ?? 1, 'resnet field: samples');
  const P = d * d + d, n = S * d;
  // U holds u = w ⊙ σ′(z) of every sample, D the recomputed σ′(z) of the untaped vjp
  const z = new Float64Array(d), U = new Float64Array(n), D = new Float64Array(n);
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
  /**
   * out_s = σ(K x_s + b) for every sample s and, with a tape, σ′ of the same z at tape[tapeo …).
   * z_i = b_i + Σ_j K_ij x_sj (j in order) for two rows at a time: x_sj is loaded once for both.
   */
  const evalInto = (x: Float64Array, th: Float64Array, to: number, out: Float64Array, tape: Float64Array | null, tapeo: number) => {
    const dd = d, SS = S, bo = to + d * d; // locals: the loops below read them every iteration
    for (let s = 0, xo = 0; s < SS; s++, xo += dd) {
      let i = 0;
      for (let r = to; i + 1 < dd; i += 2, r += 2 * dd) {
        let z0 = th[bo + i]!, z1 = th[bo + i + 1]!;
        for (let j = 0; j < dd; j++) {
          const xj = x[xo + j]!;
          z0 += th[r + j]! * xj;
          z1 += th[r + dd + j]! * xj;
        }
        out[xo + i] = sigma(z0);
        out[xo + i + 1] = sigma(z1);
        if (tape) { tape[tapeo + xo + i] = dsigma(z0); tape[tapeo + xo + i + 1] = dsigma(z1); }
      }
      if (i < dd) {
        let zi = th[bo + i]!;
        for (let j = 0, r = to + i * dd; j < dd; j++) zi += th[r + j]! * x[xo + j]!;
        out[xo + i] = sigma(zi);
        if (tape) tape[tapeo + xo + i] = dsigma(zi);
      }
    }
  };
  /**
   * The vjp given σ′(z) of every sample at ds[dso …): outX_s = Kᵀ(w_s ⊙ σ′(z_s)), and
   * ∂K_ij += scale Σ_s u_si x_sj, ∂b_i += scale Σ_s u_si. The θ sums run entry by entry with
   * the samples in order, the same additions in the same order as accumulating sample by
   * sample into g, but in a register.
   */
  const vjpWith = (x: Float64Array, th: Float64Array, to: number, w: Float64Array, outX: Float64Array,
    g: Float64Array | null, go: number, scale: number, ds: Float64Array, dso: number) => {
    const dd = d, SS = S, u = U; // locals: the loops below read them every iteration
    for (let s = 0, xo = 0; s < SS; s++, xo += dd) {
      for (let i = 0; i < dd; i++) u[xo + i] = w[xo + i]! * ds[dso + xo + i]!;
      // (Kᵀu)_j for two j at a time (u_i loaded once for both sums, each summed over i in order)
      let j = 0;
      for (; j + 1 < dd; j += 2) {
        let a0 = 0, a1 = 0;
        for (let i = 0, k = to + j; i < dd; i++, k += dd) {
          const ui = u[xo + i]!;
          a0 += ui * th[k]!;
          a1 += ui * th[k + 1]!;
        }
        outX[xo + j] = a0; outX[xo + j + 1] = a1;
      }
      if (j < dd) {
        let acc = 0;
        for (let i = 0, k = to + j; i < dd; i++, k += dd) acc += u[xo + i]! * th[k]!;
        outX[xo + j] = acc;
      }
    }
    if (!g) return;
    const gb = go + dd * dd;
    for (let i = 0; i < dd; i++) {
      const r = go + i * dd;
      // ∂K_ij for two j at a time: each sample's scale·u_si is formed once for both sums (each
      // keeps its own additions in sample order); ∂b_i follows in its own loop
      let j = 0;
      for (; j + 1 < dd; j += 2) {
        let a0 = g[r + j]!, a1 = g[r + j + 1]!;
        for (let s = 0, ui = i, xj = j; s < SS; s++, ui += dd, xj += dd) {
          const su = scale * u[ui]!;
          a0 += su * x[xj]!;
          a1 += su * x[xj + 1]!;
        }
        g[r + j] = a0; g[r + j + 1] = a1;
      }
      if (j < dd) {
        let acc = g[r + j]!;
        for (let s = 0, ui = i, xj = j; s < SS; s++, ui += dd, xj += dd) acc += (scale * u[ui]!) * x[xj]!;
        g[r + j] = acc;
      }
      let acc = g[gb + i]!;
      for (let s = 0, ui = i; s < SS; s++, ui += dd) acc += scale * u[ui]!;
      g[gb + i] = acc;
    }
  };
  return {
    name: `resnet-${act.name}`, dim: n, paramDim: P,
    eval(_t, x, th, to, out) {
      evalInto(x, th, to, out, null, 0);
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
        for (let i = 0; i < d; i++) D[xo + i] = dsigma(z[i]!);
      }
      vjpWith(x, th, to, w, outX, g, go, scale, D, 0);
    },
    // the record is σ′(z) of every sample (S·d numbers): the vjp then skips z = Kx + b and σ′
    taped: {
      tapeSize: n,
      evalTaped(_t, x, th, to, out, tape, tapeo) {
        evalInto(x, th, to, out, tape, tapeo);
      },
      vjpTaped(_t, x, th, to, w, outX, g, go, scale, tape, tapeo) {
        vjpWith(x, th, to, w, outX, g, go, scale, tape, tapeo);
      },
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

/**
 * F(u; K, b) = K σ(Kᵀu + b) on ℝ^d, K ∈ ℝ^{d×w} (row-major), b ∈ ℝ^w: the force of a
 * Hamiltonian network (∇ of Φ(Kᵀu + b), Φ' = σ). With z = Kᵀu + b, s = σ(z), c = Kᵀw:
 *   jvp: K(σ'(z) ⊙ (Kᵀv + δKᵀu + δb)) + δK s;
 *   vjp: w ∂F/∂u = K(σ'(z) ⊙ c),  ∂(w·F)/∂K_ij = w_i s_j + u_i σ'(z_j) c_j,  ∂(w·F)/∂b_j = σ'(z_j) c_j.
 */
export function hamiltonianForceField(d: number, width: number, act: Activation): ParamField {
  positiveInt(d, 'Hamiltonian network: dimension');
  const w = positiveInt(width, 'Hamiltonian network: width');
  const dw = d * w;
  const z = new Float64Array(w), s = new Float64Array(w), c = new Float64Array(w);
  const { sigma, dsigma } = act;
  // z = Kᵀu + b, s = σ(z)
  const pre = (u: Float64Array, th: Float64Array, to: number) => {
    for (let j = 0; j < w; j++) {
      let acc = th[to + dw + j]!;
      for (let i = 0; i < d; i++) acc += th[to + i * w + j]! * u[i]!;
      z[j] = acc;
      s[j] = sigma(acc);
    }
  };
  return {
    name: `hamiltonian-force-${act.name}`, dim: d, paramDim: dw + w,
    eval(_t, u, th, to, out) {
      pre(u, th, to);
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < w; j++) acc += th[to + i * w + j]! * s[j]!;
        out[i] = acc;
      }
    },
    jvp(_t, u, th, to, v, dth, dto, out) {
      pre(u, th, to);
      for (let j = 0; j < w; j++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += th[to + i * w + j]! * v[i]!;
        if (dth) {
          for (let i = 0; i < d; i++) acc += dth[dto + i * w + j]! * u[i]!;
          acc += dth[dto + dw + j]!;
        }
        c[j] = dsigma(z[j]!) * acc;
      }
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < w; j++) {
          acc += th[to + i * w + j]! * c[j]!;
          if (dth) acc += dth[dto + i * w + j]! * s[j]!;
        }
        out[i] = acc;
      }
    },
    vjp(_t, u, th, to, wv, outX, g, go, scale) {
      pre(u, th, to);
      for (let j = 0; j < w; j++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += wv[i]! * th[to + i * w + j]!;
        c[j] = dsigma(z[j]!) * acc;       // σ'(z_j) (Kᵀw)_j
      }
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < w; j++) acc += th[to + i * w + j]! * c[j]!;
        outX[i] = acc;
      }
      if (g) {
        for (let i = 0; i < d; i++) {
          const r = go + i * w, wi = wv[i]!, ui = u[i]!;
          for (let j = 0; j < w; j++) g[r + j] = g[r + j]! + scale * (wi * s[j]! + ui * c[j]!);
        }
        for (let j = 0; j < w; j++) g[go + dw + j] = g[go + dw + j]! + scale * c[j]!;
      }
    },
  };
}

/** −f: every product negated (the kick ṗ = −F(x) of a Hamiltonian network). */
export function negatedField(f: ParamField): ParamField {
  return {
    name: `-${f.name}`, dim: f.dim, paramDim: f.paramDim,
    eval(t, x, th, to, out) { f.eval(t, x, th, to, out); for (let i = 0; i < f.dim; i++) out[i] = -out[i]!; },
    jvp(t, x, th, to, v, dth, dto, out) { f.jvp(t, x, th, to, v, dth, dto, out); for (let i = 0; i < f.dim; i++) out[i] = -out[i]!; },
    vjp(t, x, th, to, w, outX, g, go, scale) { f.vjp(t, x, th, to, w, outX, g, go, -scale); for (let i = 0; i < f.dim; i++) outX[i] = -outX[i]!; },
  };
}

/**
 * The stacked field of ẋ = drift(t, p, θ), ṗ = kick(t, x, θ) on y = (x, p) (x first), with its
 * split kept for Störmer–Verlet. Both halves have dimension n and the same θ.
 */
export function separableField(drift: ParamField, kick: ParamField, name = `separable(${drift.name}, ${kick.name})`): SeparableField {
  if (drift.dim !== kick.dim || drift.paramDim !== kick.paramDim) {
    throw new UserError(`a separable field needs halves of one size: drift has dimension ${drift.dim} and ${drift.paramDim} parameters, kick ${kick.dim} and ${kick.paramDim}`);
  }
  const n = drift.dim;
  // halves of y and of the direction/cotangent, copied in (no subarray views per call)
  const x = new Float64Array(n), p = new Float64Array(n), vx = new Float64Array(n), vp = new Float64Array(n), o = new Float64Array(n);
  const halves = (y: Float64Array, a: Float64Array, b: Float64Array) => { for (let i = 0; i < n; i++) { a[i] = y[i]!; b[i] = y[n + i]!; } };
  return {
    name, dim: 2 * n, paramDim: drift.paramDim, split: { half: n, drift, kick },
    eval(t, y, th, to, out) {
      halves(y, x, p);
      drift.eval(t, p, th, to, o); out.set(o, 0);
      kick.eval(t, x, th, to, o); out.set(o, n);
    },
    jvp(t, y, th, to, v, dth, dto, out) {
      halves(y, x, p); halves(v, vx, vp);
      drift.jvp(t, p, th, to, vp, dth, dto, o); out.set(o, 0);
      kick.jvp(t, x, th, to, vx, dth, dto, o); out.set(o, n);
    },
    vjp(t, y, th, to, w, outY, g, go, scale) {
      halves(y, x, p); halves(w, vx, vp);
      // w·f = w_x·drift(p) + w_p·kick(x)
      drift.vjp(t, p, th, to, vx, o, g, go, scale); outY.set(o, n);
      kick.vjp(t, x, th, to, vp, o, g, go, scale); outY.set(o, 0);
    },
  };
}

/**
 * The Hamiltonian network of Ruthotto–Haber, ẋ = Kσ(Kᵀp + b), ṗ = −Kσ(Kᵀx + b), on the stacked
 * state (x, p) ∈ ℝ^{2d}, θ = (K ∈ ℝ^{d×w} row-major, b ∈ ℝ^w).
 */
export function hamiltonianNetField(d: number, width: number, act: Activation): SeparableField {
  const F = hamiltonianForceField(d, width, act);
  return separableField(F, negatedField(F), `hamiltonian-${act.name}`);
}
