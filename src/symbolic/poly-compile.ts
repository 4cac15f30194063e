/**
 * Polynomials over atoms → one straight-line JS function, without a text round trip (mathjs
 * parsing of 100 kB expressions costs seconds). Every atom is computed once into a local
 * (common subexpressions are the atoms), then each output is a sum of monomials.
 */
import { quote, UserError } from '../util/errors.ts';
import { constantJs, JS_FUNCTIONS, makeFunction } from './compile.ts';
import * as P from './poly.ts';
import { toNumber } from './rational.ts';

const inv = (a: string): string => `(1/(${a}))`;

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
        const c = constantJs(a.name);
        if (c === undefined) throw new UserError(`unknown symbol ${quote(a.name)} (no value given)`);
        src = c;
      } else src = `a[${i}]`;
    } else {
      const arg = polyJs(a.arg!);
      if (a.fn === 'pow') src = `Math.pow(${arg}, ${toNumber(a.p!)})`;
      else {
        const f = a.fn === 'inv' ? inv : JS_FUNCTIONS.get(a.fn);
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
  return makeFunction(['a', 'out'], `${lines.join('\n')}\n${outs.join('\n')}`);
}
