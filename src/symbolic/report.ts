/**
 * A derivation as plain text, as a TeX document (KaTeX-clean display equations), and as JSON.
 */
import { fmt } from '../util/format.ts';
import { verdictText, type Derivation } from './derive.ts';
import { SLOPE_TOL, type Ladder } from './verify.ts';

const ladderLine = (name: string, l: Ladder): string =>
  `${name}: slope ${Number.isFinite(l.slope) ? l.slope.toFixed(2) : 'exact (at round-off floor)'} (expected ${l.expected}, accept >= ${l.expected - SLOPE_TOL}), ` +
  `err ${fmt(l.err[0]!)} -> ${fmt(l.err[l.err.length - 1]!)} over eps ${fmt(l.eps[0]!)} -> ${fmt(l.eps[l.eps.length - 1]!)}: ${l.ok ? 'ok' : 'FAILS'}`;

/** Plain text. */
export function derivationText(r: Derivation): string {
  const xs = r.stateVars;
  const L: string[] = [];
  L.push(`${r.title}, order ${r.order}`);
  L.push(`  ${r.description}`);
  if (r.params.length) L.push(`  parameters: ${r.params.join(', ')}${r.timeDependent ? '; depends on t (t_n = n eps)' : ''}`);
  L.push('', 'Taylor coefficients, Phi_eps(x) = x + eps F1 + eps^2 F2 + ...:');
  r.pretty.coefficients.slice(1).forEach((v, j) => v.forEach((c, i) => L.push(`  F${j + 1}[${xs[i]}] = ${c}`)));
  L.push('', 'continuum-limit ODE, dx/dt = F1(x, t):');
  r.pretty.coefficients[1]!.forEach((c, i) => L.push(`  d${xs[i]}/dt = ${c}`));
  const fsum = Array.from({ length: r.order }, (_, j) => (j === 0 ? 'f1' : j === 1 ? `eps f2` : `eps^${j} f${j + 1}`)).join(' + ');
  L.push('', `modified equation, f_eps = ${fsum} (time-eps flow = Phi_eps + O(eps^${r.order + 1})):`);
  r.pretty.modified.forEach((v, j) => v.forEach((c, i) => L.push(`  f${j + 1}[${xs[i]}] = ${c}`)));
  const v = r.verification;
  L.push('', `verification: ${verdictText(v)} (seed ${v.seed})`);
  for (const rt of v.routes) L.push(`  ${rt.name}: ${rt.agree === true ? 'agree' : rt.agree === false ? 'DISAGREE' : 'unavailable'} (${rt.how})`);
  if (v.numeric) {
    L.push(`  ${ladderLine('series ladder |Phi - truncated series|', v.numeric.series)}`);
    L.push(`  ${ladderLine('flow ladder |flow_eps(f_eps) - Phi|', v.numeric.flow)}`);
    if (v.numeric.samples === 0) L.push('  ladders: no sample point (map not finite or near a singularity at every draw), so they check nothing');
  }
  if (v.counterexample) L.push(`  counterexample: ${JSON.stringify(v.counterexample)}`);
  return L.join('\n') + '\n';
}

/** TeX: one display equation per line (each KaTeX-parsable on its own). */
export function derivationTeX(r: Derivation): string[] {
  const eqs: string[] = [];
  eqs.push(r.tex.map);
  r.tex.coefficients.forEach((c, j) => eqs.push(`F_{${j + 1}} = ${c}`));
  eqs.push(r.tex.ode);
  eqs.push(r.tex.modified);
  return eqs;
}

/** A standalone LaTeX document body (amsmath). */
export function derivationTeXDocument(r: Derivation): string {
  return [
    `% ${r.title}, order ${r.order}; verification: ${verdictText(r.verification)}`,
    ...derivationTeX(r).map((e) => `\\[\n${e}\n\\]`),
    '',
  ].join('\n');
}

/** JSON-safe object (Infinity → null). */
export function derivationJson(r: Derivation): unknown {
  return JSON.parse(JSON.stringify({ ...r, texEquations: derivationTeX(r) }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}
