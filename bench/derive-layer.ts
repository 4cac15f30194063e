/**
 * The layer of the derive cost table, shared by bench/derive-cell.ts and (as text, see
 * bench/derive_sympy.py) SymPy: tanh FF layer in dimension d; symbolic A (a11…) and β (b1…),
 * or numeric A_ij = ((i + 2j) mod 5) − 2, β_i = (i mod 3) − 1 (i, j from 0).
 */
import type { LayerSpec } from '../src/symbolic/layers.ts';

export const numericA = (d: number): number[][] => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => ((i + 2 * j) % 5) - 2));
export const numericBeta = (d: number): number[] => Array.from({ length: d }, (_, i) => (i % 3) - 1);

export function benchLayer(d: number, mode: 'symbolic' | 'numeric'): LayerSpec {
  const spec: LayerSpec = { layer: 'ff', g: 'tanh(z)', dim: d };
  if (mode === 'numeric') {
    spec.A = numericA(d).map((r) => r.join(',')).join(';');
    spec.beta = numericBeta(d).join(';');
  }
  return spec;
}

/** The point where both engines evaluate f_k[1]: symbols sorted by name, values (−1)^j·0.1·(1 + j mod 7), j their rank. */
export function benchPoint(vars: readonly string[]): Record<string, number> {
  const sorted = [...vars].sort();
  return Object.fromEntries(sorted.map((v, j) => [v, (-1) ** j * 0.1 * (1 + (j % 7))]));
}
