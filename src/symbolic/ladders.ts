/**
 * Data for the modified-equation figure: for a layer derived to order K, the flow residual
 * |flow_ε(f_ε^{(k)}) − Φ_ε| of the truncated modified field f^{(k)} = f_1 + … + ε^{k−1} f_k, for
 * k = 1 (the plain ODE) … K, over a ladder of ε. Theory: slope k + 1 (local error of a method
 * of order k). Certification happens in the figure (src/figures/symbolic.ts) with certifyOrder.
 */
import { derive } from './derive.ts';
import type { LayerSpec } from './layers.ts';
import { parseExpression } from './parse.ts';
import { polyOf } from './series.ts';
import { verifyNumerically } from './verify.ts';

export interface ModifiedLadders {
  title: string;
  /** One per k: eps ladder, flow residual, expected slope k + 1. */
  series: { k: number; eps: number[]; err: number[]; expected: number }[];
}

export function modifiedEquationLadders(spec: LayerSpec, K: number, seed: number, rungs = 8, eps0 = 0.2): ModifiedLadders {
  const r = derive(spec, K, { seed });
  const P = (s: string) => polyOf(parseExpression(s, { functions: [] }));
  const F = r.coefficients.slice(1).map((v) => v.map(P));
  const f = r.modified.map((v) => v.map(P));
  const series = [];
  for (let k = 1; k <= K; k++) {
    const v = verifyNumerically({
      d: r.d, stateVars: r.stateVars, map: r.map, F, f: f.slice(0, k), params: r.params, jets: [], timeDependent: r.timeDependent,
    }, k, seed, 6, eps0, rungs);
    series.push({ k, eps: v.flow.eps, err: v.flow.err, expected: k + 1 });
  }
  return { title: r.title, series };
}
