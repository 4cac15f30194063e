/**
 * Polynomials over atoms → one straight-line JS function, without a text round trip (mathjs
 * parsing of 100 kB expressions costs seconds). Every atom is computed once into a local
 * (common subexpressions are the atoms), then each output is a sum of monomials.
 */
import { UserError } from '../util/errors.ts';
import * as P from './poly.ts';
import { toNumber } from './rational.ts';

const JS_FN: Record<string, (a: string) => string> = {
  sin: (a) => `Math.sin(${a})`, cos: (a) => `Math.cos(${a})`, tan: (a) => `Math.tan(${a})`,
  sinh: (a) => `Math.sinh(${a})`, cosh: (a) => `Math.cosh(${a})`, tanh: (a) => `Math.tanh(${a})`,
  exp: (a) => `Math.exp(${a})`, log: (a) => `Math.log(${a})`,
  atan: (a) => `Math.atan(${a})`, asin: (a) => `Math.asin(${a})`, acos: (a) => `Math.acos(${a})`,
  inv: (a) => `(1/(${a}))`,
};

/** out[i] = polys[i](args), args in the order of vars; symbols not in vars are a UserError. */
export function compilePolys(polys: readonly P.Poly[], vars: readonly string[]): (args: ArrayLike<number>, out: Float64Array) => void {
  const lines: string[] = [];
  const local = new Map<number, string>();
  const idx = new Map(vars.map((v, i) => [v, i]));
  const atomJs = (a: P.Atom): string => {
    const have = local.get(a.id);
    if (have) return have;
    let src: string;
    if (a.fn === 'sym') {
      const i = idx.get(a.name);
      if (i === undefined) {
        if (a.name === 'e') src = 'Math.E';
        else throw new UserError(`unknown symbol "${a.name}" (no value given)`);
      } else src = `a[${i}]`;
    } else {
      const arg = polyJs(a.arg!);
      if (a.fn === 'pow') src = `Math.pow(${arg}, ${toNumber(a.p!)})`;
      else {
        const f = JS_FN[a.fn];
        if (!f) throw new UserError(`cannot compile function ${a.fn}`);
        src = f(arg);
      }
    }
    const name = `v${local.size}`;
    lines.push(`const ${name} = ${src};`);
    local.set(a.id, name);
    return name;
  };
  const factor = (a: P.Atom, e: number): string => {
    const v = atomJs(a);
    const k = Math.abs(e);
    const prod = k === 1 ? v : k <= 6 ? Array(k).fill(v).join('*') : `Math.pow(${v}, ${k})`;
    return e > 0 ? prod : `(1/(${prod}))`;
  };
  const polyJs = (p: P.Poly): string => {
    if (P.isZero(p)) return '0';
    const terms = P.sortedTerms(p).map((t) => {
      const c = toNumber(t.c);
      const fs = P.sortedFactors(t.m).map(([a, e]) => factor(a, e));
      return fs.length === 0 ? `(${c})` : c === 1 ? fs.join('*') : `(${c})*${fs.join('*')}`;
    });
    return `(${terms.join(' + ')})`;
  };
  const outs = polys.map((p, i) => `out[${i}] = ${polyJs(p)};`);
  return new Function('a', 'out', `"use strict";\n${lines.join('\n')}\n${outs.join('\n')}`) as (args: ArrayLike<number>, out: Float64Array) => void;
}
