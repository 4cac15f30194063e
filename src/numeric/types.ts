/**
 * Shared numeric vocabulary. State vectors are Float64Array; a vector field writes into a
 * caller-owned output so hot loops never allocate.
 */

/** dx/dt = f(t, x): writes f(t, x) into `out` (out never aliases x). */
export type Field = (t: number, x: Float64Array, out: Float64Array) => void;
