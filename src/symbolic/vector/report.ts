/** The vector form as text lines and KaTeX-clean display equations (long ones broken with aligned). */
import type { VectorForm } from './derive-vector.ts';

export function vectorText(v: VectorForm): string {
  const L: string[] = [''];
  if (v.coefficients && v.modified) {
    L.push(v.legend.startsWith('in elementary') ? 'the block through elementary differentials of its field f (every d):' : 'vector form, valid for every d:');
    L.push(`  (${v.legend.split('. ')[0]})`);
    v.coefficients.text.forEach((s, j) => L.push(`  F${j + 1} = ${s}`));
    v.modified.text.forEach((s, j) => L.push(`  f${j + 1} = ${s}`));
    L.push('');
  }
  L.push('modified equation through the elementary differentials of F1, F2, ... (any map; F\' the Jacobian, F\'\'(u, v) the second derivative):');
  v.trees.text.forEach((s, j) => L.push(`  f${j + 1} = ${s}`));
  L.push(`vector-form check: ${v.check.agree ? 'agree' : 'DISAGREE'} (${v.check.detail})`);
  return L.join('\n') + '\n';
}

/** Display equations; a right-hand side longer than `width` characters is broken at top-level + and −. */
export function vectorTeX(v: VectorForm, width = 160): string[] {
  const eqs: string[] = [];
  const eq = (lhs: string, rhs: string): string => {
    if (rhs.length <= width) return `${lhs} = ${rhs}`;
    const lines = breakTopLevel(rhs, width);
    return `\\begin{aligned} ${lhs} &= ${lines.join(' \\\\ &\\quad ')} \\end{aligned}`;
  };
  v.coefficients?.tex.forEach((s, j) => eqs.push(eq(`F_{${j + 1}}`, s)));
  v.modified?.tex.forEach((s, j) => eqs.push(eq(`f_{${j + 1}}`, s)));
  v.trees.tex.forEach((s, j) => eqs.push(eq(`f_{${j + 1}}`, s)));
  return eqs;
}

/** Split a TeX sum at its top-level ' + ' / ' - ' (outside any brackets) into lines of about `width` characters. */
export function breakTopLevel(tex: string, width: number): string[] {
  const cuts: number[] = [];
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i]!;
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (depth === 0 && (c === '+' || c === '-') && tex[i - 1] === ' ' && tex[i + 1] === ' ') cuts.push(i - 1);
  }
  const lines: string[] = [];
  let start = 0, last = 0;
  for (const cut of [...cuts, tex.length]) {
    if (cut - start > width && last > start) { lines.push(tex.slice(start, last).trim()); start = last; }
    last = cut;
  }
  lines.push(tex.slice(start).trim());
  return lines;
}
