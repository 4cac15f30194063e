/**
 * Complex-step differentiation of a tanh ResNet (Euler layers x⁺ = x + h tanh(Kx + b)):
 * an independent route to gradients at machine precision (Squire & Trapp 1998):
 * ∂L/∂u_k = Im L(u + iδ e_k)/δ with δ = 1e-30, no subtractive cancellation.
 * Used by the claims C2 and C39 as the reference the hand-written adjoints must match.
 */

/** tanh(a + ib) = (sinh 2a + i sin 2b)/(cosh 2a + cos 2b); writes [re, im] into out at o. */
export function complexTanh(a: number, b: number, out: Float64Array, o: number): void {
  if (Math.abs(a) > 20) { out[o] = Math.sign(a); out[o + 1] = 0; return; }
  const den = Math.cosh(2 * a) + Math.cos(2 * b);
  out[o] = Math.sinh(2 * a) / den;
  out[o + 1] = Math.sin(2 * b) / den;
}

/**
 * Forward pass of the Euler tanh ResNet in complex arithmetic. θ layout as net.ts (N layers,
 * P = d² + d per layer: K row-major then b). Real and imaginary parts are separate arrays.
 * Returns x_N as [re (d), im (d)].
 */
export function complexEulerTanh(
  d: number, N: number, h: number,
  x0re: Float64Array, x0im: Float64Array, thRe: Float64Array, thIm: Float64Array,
): { re: Float64Array; im: Float64Array } {
  const P = d * d + d;
  const xr = Float64Array.from(x0re), xi = Float64Array.from(x0im), t = new Float64Array(2 * d);
  for (let l = 0; l < N; l++) {
    const o = l * P;
    for (let r = 0; r < d; r++) {
      let zr = thRe[o + d * d + r]!, zi = thIm[o + d * d + r]!;
      for (let j = 0; j < d; j++) {
        const kr = thRe[o + r * d + j]!, ki = thIm[o + r * d + j]!;
        zr += kr * xr[j]! - ki * xi[j]!;
        zi += kr * xi[j]! + ki * xr[j]!;
      }
      complexTanh(zr, zi, t, 2 * r);
    }
    for (let r = 0; r < d; r++) { xr[r] = xr[r]! + h * t[2 * r]!; xi[r] = xi[r]! + h * t[2 * r + 1]!; }
  }
  return { re: xr, im: xi };
}

/**
 * Complex-step gradient of L = ½|x_N − y|² with respect to x_0 and every θ entry.
 * Im(½(x_N − y)²) = (Re x_N − y)·Im x_N exactly for the analytic continuation.
 */
export function complexStepGradient(d: number, N: number, h: number, x0: Float64Array, theta: Float64Array, y: Float64Array): { gx: Float64Array; gTheta: Float64Array } {
  const delta = 1e-30;
  const zeroX = new Float64Array(d), zeroTh = new Float64Array(theta.length);
  const L = (x0im: Float64Array, thIm: Float64Array) => {
    const r = complexEulerTanh(d, N, h, x0, x0im, theta, thIm);
    let s = 0;
    for (let i = 0; i < d; i++) s += (r.re[i]! - y[i]!) * r.im[i]!;
    return s / delta;
  };
  const gx = new Float64Array(d), gTheta = new Float64Array(theta.length);
  for (let k = 0; k < d; k++) { zeroX[k] = delta; gx[k] = L(zeroX, zeroTh); zeroX[k] = 0; }
  for (let k = 0; k < theta.length; k++) { zeroTh[k] = delta; gTheta[k] = L(zeroX, zeroTh); zeroTh[k] = 0; }
  return { gx, gTheta };
}

/**
 * ∇_x of the scalar H(x) = p·g(x) for the Euler tanh layer g(x) = x + h tanh(Kx + b) (or the
 * vector field f(x) = tanh(Kx + b) when `fieldOnly`), by complex step in each coordinate.
 */
export function complexStepLayerGradient(d: number, h: number, x: Float64Array, theta: Float64Array, to: number, p: Float64Array, out: Float64Array, fieldOnly = false): Float64Array {
  const delta = 1e-30, t = new Float64Array(2 * d);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let r = 0; r < d; r++) {
      let zr = theta[to + d * d + r]!;
      for (let j = 0; j < d; j++) zr += theta[to + r * d + j]! * x[j]!;
      const zi = theta[to + r * d + k]! * delta;
      complexTanh(zr, zi, t, 2 * r);
      // Im of g_r(x + iδ e_k) = δ[r = k] + h Im tanh (the layer map), or Im tanh alone
      s += p[r]! * ((fieldOnly ? 0 : r === k ? delta : 0) + (fieldOnly ? 1 : h) * t[2 * r + 1]!);
    }
    out[k] = s / delta;
  }
  return out;
}
