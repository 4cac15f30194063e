/**
 * Truncated power-series arithmetic in ε over exact polynomial coefficients (poly.ts): the fast
 * route to the ε-expansion of a layer map. The expression tree is walked once; each node becomes
 * its series [c0, …, cK].
 *
 * Products are Cauchy products truncated at K. A one-argument function of a series
 * s = s0 + δ (δ = O(ε)) is composed by Taylor's formula in one variable,
 *   f(s0 + δ) = Σ_{k≤K} f^{(k)}(s0) δ^k / k!,
 * so only univariate derivatives f^{(k)}(U) are ever differentiated (cached per f), never the
 * whole map. A generic g (no formula) becomes its jet: g^{(k)}(x_i) ↦ the symbol g{k}_{i}.
 * The independent check is repeated differentiation of the whole map in ε (verify.ts).
 */
import type { MathNode } from './mathjs.ts';
import { UserError } from '../util/errors.ts';
import * as P from './poly.ts';
import { mulR, parseRatText, ratText, signR, smallIntR, type Rat } from './rational.ts';
import { constantRat, exprText, parseExpression, substitute } from './parse.ts';
import { quote } from '../util/errors.ts';

export type Series = P.Poly[];

export interface SeriesContext {
  /** Truncation order K. */
  order: number;
  /** The expansion variable; '' when expanding nothing (plain parsing into a polynomial). */
  eps: string;
  /** Generic functions: name → (k, argument c0) ↦ jet polynomial of g^{(k)} there. */
  generic?: ReadonlyMap<string, (k: number, at: P.Poly) => P.Poly>;
  /** What is expanded, for error messages (e.g. '--map component 1'). */
  what?: string;
}

const DUMMY = 'U__';
const derivCache = new Map<string, P.Poly[]>();

/** f^{(k)}(U) for k = 0…K (cached), f a function name or 'pow:p/q'. */
function univariateDerivatives(f: string, K: number): P.Poly[] {
  let ds = derivCache.get(f);
  if (!ds) {
    const U = P.symbol(DUMMY);
    const f0 = f.startsWith('pow:') ? P.powRat(U, parseRatText(f.slice(4))) : P.fnAtom(f, U);
    ds = [f0];
    derivCache.set(f, ds);
  }
  while (ds.length <= K) ds.push(P.d(ds[ds.length - 1]!, DUMMY));
  return ds.slice(0, K + 1);
}


const zeros = (K: number): Series => Array.from({ length: K + 1 }, () => P.zero());
const constantSeries = (c: P.Poly, K: number): Series => [c, ...Array.from({ length: K }, () => P.zero())];
const isConstantSeries = (s: Series): boolean => s.slice(1).every(P.isZero);

/** Truncated Cauchy product. */
export function mulSeries(a: Series, b: Series): Series {
  const K = a.length - 1;
  const out = zeros(K);
  for (let m = 0; m <= K; m++) {
    const terms: P.Poly[] = [];
    for (let j = 0; j <= m; j++) if (!P.isZero(a[j]!) && !P.isZero(b[m - j]!)) terms.push(P.mul(a[j]!, b[m - j]!));
    out[m] = P.add(...terms);
  }
  return out;
}

/** f(s0 + δ) = Σ_k f^{(k)}(s0) δ^k/k!, given dk[k] = f^{(k)}(s0). */
function compose(dk: P.Poly[], s: Series): Series {
  const K = s.length - 1;
  const delta: Series = s.map((c, j) => (j === 0 ? P.zero() : c));
  const out = zeros(K);
  out[0] = dk[0]!;
  let power: Series = delta;
  let invFact: Rat = [1, 1];
  for (let k = 1; k <= K; k++) {
    if (k > 1) power = mulSeries(power, delta);
    invFact = mulR(invFact, [1, k]);
    if (P.isZero(dk[k]!)) continue;
    const c = P.scale(dk[k]!, invFact);
    for (let m = k; m <= K; m++) if (!P.isZero(power[m]!)) out[m] = P.add(out[m]!, P.mul(c, power[m]!));
  }
  return out;
}

/**
 * f(s) by composition. A function that is not analytic where the argument sits at ε = 0 (log,
 * a pole, a fractional power of an argument that vanishes there) has no expansion in integer
 * powers of ε: that is a UserError naming the subexpression, not a division by zero.
 */
function composeNamed(f: string, s: Series, node?: MathNode, ctx?: SeriesContext): Series {
  const K = s.length - 1;
  const at = new Map([[DUMMY, s[0]!]]);
  if (isConstantSeries(s)) return constantSeries(P.subs(univariateDerivatives(f, 0)[0]!, at), K);
  try {
    return compose(univariateDerivatives(f, K).map((dk) => P.subs(dk, at)), s);
  } catch (e) {
    if (e instanceof UserError && P.isZero(s[0]!) && ctx) throw noExpansion(node, ctx, 'its argument vanishes there');
    throw e;
  }
}

function noExpansion(node: MathNode | undefined, ctx: SeriesContext, why: string): UserError {
  const sub = node ? `${quote(exprText(node))} ` : '';
  return new UserError(`${ctx.what ? `${ctx.what}: ` : ''}${sub}has no expansion in integer powers of ${ctx.eps} at ${ctx.eps} = 0 (${why}); the layer map must be smooth in ${ctx.eps}`);
}

/** The ε-series of a validated expression, truncated at ctx.order. */
export function seriesOf(node: MathNode, ctx: SeriesContext): Series {
  const K = ctx.order;
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': return constantSeries(P.constant(constantRat(node)), K);
    case 'SymbolNode': {
      const name = n['name'] as string;
      if (ctx.eps && name === ctx.eps) {
        const s = zeros(K);
        if (K >= 1) s[1] = P.one();
        return s;
      }
      return constantSeries(P.symbol(name), K);
    }
    case 'ParenthesisNode': return seriesOf(n['content'] as MathNode, ctx);
    case 'OperatorNode': {
      const args = n['args'] as MathNode[];
      switch (n['fn'] as string) {
        case 'add': { const a = seriesOf(args[0]!, ctx), b = seriesOf(args[1]!, ctx); return a.map((c, j) => P.add(c, b[j]!)); }
        case 'subtract': { const a = seriesOf(args[0]!, ctx), b = seriesOf(args[1]!, ctx); return a.map((c, j) => P.sub(c, b[j]!)); }
        case 'unaryMinus': return seriesOf(args[0]!, ctx).map(P.neg);
        case 'unaryPlus': return seriesOf(args[0]!, ctx);
        case 'multiply': return mulSeries(seriesOf(args[0]!, ctx), seriesOf(args[1]!, ctx));
        case 'divide': {
          const b = seriesOf(args[1]!, ctx);
          if (isConstantSeries(b) && P.isZero(b[0]!)) throw new UserError(`${ctx.what ? `${ctx.what}: ` : ''}division by zero in ${quote(exprText(node))}`);
          return mulSeries(seriesOf(args[0]!, ctx), powerSeries(b, [-1, 1], node, ctx));
        }
        case 'pow': {
          const ex = seriesOf(args[1]!, ctx);
          // e^w = exp(w)
          if (isEuler(args[0]!)) return composeNamed('exp', ex, node, ctx);
          const base = seriesOf(args[0]!, ctx);
          const p = isConstantSeries(ex) ? P.constantValue(ex[0]!) : undefined;
          if (p) return powerSeries(base, p, node, ctx);
          // b^p with a symbolic or ε-dependent exponent: exp(p log b).
          return composeNamed('exp', mulSeries(ex, composeNamed('log', base, node, ctx)), node, ctx);
        }
      }
      break;
    }
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      const arg = seriesOf((n['args'] as MathNode[])[0]!, ctx);
      const jet = ctx.generic?.get(name);
      if (jet) return compose(Array.from({ length: K + 1 }, (_, k) => jet(k, arg[0]!)), arg);
      return composeNamed(name, arg, node, ctx);
    }
  }
  throw new UserError(`series: unsupported ${node.type}`);
}

/** e (Euler's number), possibly parenthesised. */
function isEuler(node: MathNode): boolean {
  let m = node as MathNode & Record<string, unknown>;
  while (m.type === 'ParenthesisNode') m = m['content'] as MathNode & Record<string, unknown>;
  return m.type === 'SymbolNode' && m['name'] === 'e';
}

/** base^p for a rational p: repeated products for natural p, composition with U^p otherwise. */
function powerSeries(base: Series, p: Rat, node?: MathNode, ctx?: SeriesContext): Series {
  const K = base.length - 1;
  const n = smallIntR(p);
  if (n !== undefined && n >= 0 && n <= 16) {
    let out = constantSeries(P.one(), K);
    for (let j = 0; j < n; j++) out = mulSeries(out, base);
    return out;
  }
  if (isConstantSeries(base)) return constantSeries(P.powRat(base[0]!, p), K);
  if (P.isZero(base[0]!) && ctx && !(n !== undefined && n >= 0)) {
    throw noExpansion(node, ctx, signR(p) < 0 ? 'a pole: it divides by a term that vanishes there' : `a fractional power (${ratText(p)}) of a base that vanishes there`);
  }
  return composeNamed(`pow:${ratText(p)}`, base, node, ctx);
}

/** Parse-tree → polynomial (no expansion variable). */
export function polyOf(node: MathNode, generic?: SeriesContext['generic']): P.Poly {
  return seriesOf(node, { order: 0, eps: '', ...(generic ? { generic } : {}) })[0]!;
}

/**
 * [c0 … c_order] of an expression in v by exact power-series arithmetic, as text (mathjs/nerdamer
 * readable). Prefer this to cas.taylorCoefficients (nerdamer differentiation, which is slower and
 * wrong on some inputs, e.g. the ε⁴ term of a softplus layer). UserError when v = 0 is a pole.
 */
export function seriesCoefficients(text: string, v: string, order: number): string[] {
  return seriesOf(parseExpression(text), { order, eps: v }).map(P.polyText);
}

/** ∂expr/∂v as text, by the exact polynomial engine (no nerdamer: exact constants, no name clashes). */
export function derivativeText(text: string, v: string, what?: string): string {
  return P.polyText(P.d(polyOf(parseExpression(text, what ? { what } : {})), v));
}

/** expr with the symbol `name` replaced by the expression `by`, in the parsed tree (text in, text out). */
export function substituteText(text: string, name: string, by: string): string {
  return exprText(substitute(parseExpression(text, { functions: ['g'] }), new Map([[name, parseExpression(by, { functions: ['g'] })]])));
}
