/**
 * nerdamer, restricted to what it does correctly: diff, expand, substitution and toTeX (with a
 * KaTeX post-pass). Never simplify/factor (they return wrong answers, TOOLING §1). Its internal
 * crashes become UserErrors naming the expression.
 */
import { TextMemo } from '../util/memo.ts';
import { seriesCoefficients } from './series.ts';
import { quote, UserError } from '../util/errors.ts';
import { KNOWN_FUNCTIONS } from './parse.ts';
import { nerdamer } from './nerdamer.ts';

const KNOWN = new Set(KNOWN_FUNCTIONS);

/** Reject unknown function names (nerdamer would silently read them as products or tuples). */
function guard(expr: string): string {
  for (const m of expr.matchAll(/([A-Za-z_][A-Za-z_0-9]*)\s*\(/g)) {
    if (!KNOWN.has(m[1]!)) throw new UserError(`unknown or non-differentiable function ${quote(m[1]!)} in ${quote(expr)}`);
  }
  return expr;
}

/**
 * nerdamer has crash bugs (stack overflow on some sums of reciprocals, TypeErrors on some
 * names): report them as one line attributed to it, never its raw internals.
 */
function safe<T>(what: string, expr: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`the CAS (nerdamer) failed to ${what} ${quote(expr)} (its internal ${(e as Error).name ?? 'error'})`);
  }
}

// Numbers are matched first so that the exponent of 1e5 is never read as a name.
const TOKEN = /(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g;
const PLACEHOLDER = /\bqq(\d+)q\b/g;

/**
 * nerdamer reads some names as its own (constructor, toString and hasOwnProperty crash it;
 * E, sum, vector, … have meanings), and it turns e and pi into rational approximations inside
 * expand (and inside diff of log(exp(x) + 1)): 325368125/119696244 for e. So for each call every
 * symbol is renamed to qq0q, qq1q, …, pi to the free symbol qqpiq, e to the free symbol qqeq and
 * exp(w) to qqeq^(w) (exact: nothing in diff or expand needs the value of e except log e = 1,
 * which is folded back), and everything is renamed back in the result. Function names (followed
 * by "(") stay.
 */
class Renamer {
  private readonly to = new Map<string, string>();
  private readonly from: string[] = [];
  name(s: string): string {
    if (s === 'pi') return 'qqpiq';
    if (s === 'e') return 'qqeq';
    let r = this.to.get(s);
    if (r === undefined) { r = `qq${this.from.length}q`; this.to.set(s, r); this.from.push(s); }
    return r;
  }
  in(expr: string): string {
    return expPowers(expr).replace(TOKEN, (m, num: string | undefined, id: string | undefined, paren: string | undefined) => (num !== undefined || paren ? m : this.name(id!)));
  }
  out(expr: string): string {
    return expr.replace(/\blog\(qqeq\)/g, '1').replace(/\bqqeq\b/g, 'e').replace(/\bqqpiq\b/g, 'pi')
      .replace(PLACEHOLDER, (m, i: string) => this.from[Number(i)] ?? m);
  }
}

/** exp(w) → e^(w), parentheses matched (e is then renamed like any symbol). */
function expPowers(expr: string): string {
  let out = '', i = 0;
  for (;;) {
    const m = /\bexp\s*\(/g;
    m.lastIndex = i;
    const hit = m.exec(expr);
    if (!hit) return out + expr.slice(i);
    out += `${expr.slice(i, hit.index)}e^(`;
    i = hit.index + hit[0].length;
  }
}

/** Evaluate `expr` with substitutions, reusing nerdamer's first expression slot (no growth). */
export function nd(expr: string, subs?: Record<string, string>): string {
  const r = new Renamer();
  const s = subs ? Object.fromEntries(Object.entries(subs).map(([k, v]) => [r.name(k), r.in(v)])) : undefined;
  return r.out(safe('evaluate', expr, () => nerdamer()(r.in(expr), s, [], 1).toString()));
}

/** diff and expand by input text (both depend on the text alone: a fresh Renamer per call). */
const memo = new TextMemo();

/** ∂expr/∂v. */
export function diff(expr: string, v: string): string {
  return memo.get(`diff ${v} ${expr}`, () => {
    const r = new Renamer();
    return r.out(safe('differentiate', expr, () => nerdamer().diff(r.in(guard(expr)), r.name(v)).toString()));
  });
}

/** Fully expanded form (a sum of products); '0' iff nerdamer cancels everything. */
export function expand(expr: string): string {
  return memo.get(`expand ${expr}`, () => {
    const r = new Renamer();
    return r.out(safe('expand', expr, () => (nerdamer() as unknown as { expand(s: string): { toString(): string } }).expand(r.in(guard(expr))).toString()));
  });
}

/** Substitute symbols by expressions (simultaneously, as nerdamer does). */
export function substitute(expr: string, values: Record<string, string>): string {
  const v: Record<string, string> = {};
  for (const [k, s] of Object.entries(values)) v[k] = `(${guard(s)})`;
  return nd(guard(expr), v);
}

/**
 * [c0 … c_order], c_k = (∂^k expr/∂v^k)|_{v=0} / k!. The exact power-series engine
 * (series.ts) is tried first: nerdamer's derivatives are wrong for some inputs (asinh, nested
 * reciprocals, a softplus layer's ε⁴ term). Repeated nerdamer differentiation is the fallback
 * where the series engine cannot expand (e.g. a pole at v = 0); `forNerdamer` is the same
 * expression printed for nerdamer when the caller has it (print.ts), else `expr`.
 */
export function taylorCoefficients(expr: string, v: string, order: number, forNerdamer = expr): string[] {
  try {
    return seriesCoefficients(expr, v, order);
  } catch {
    return taylorByDifferentiation(forNerdamer, v, order);
  }
}

/** The nerdamer route: repeated differentiation, then substitution v = 0. */
export function taylorByDifferentiation(expr: string, v: string, order: number): string[] {
  let cur = guard(expr);
  const out: string[] = [];
  let fact = 1;
  for (let k = 0; k <= order; k++) {
    if (k > 0) {
      cur = diff(cur, v);
      fact *= k;
    }
    const at0 = nd(cur, { [v]: '0' });
    out.push(at0 === '0' ? '0' : expand(`(${at0})/${fact}`));
  }
  return out;
}

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'zeta', 'eta', 'theta', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

/**
 * KaTeX-clean TeX of an expression. Optional `symbols` maps a symbol name to its TeX (e.g. a jet
 * symbol g1_2 ↦ g'(x_2)); other names get subscripts from trailing digits (a12 ↦ a_{12}).
 */
export function toTeX(expr: string, symbols: Record<string, string> = {}): string {
  // Placeholders keep nerdamer from mangling names we render ourselves.
  const names = Object.keys(symbols).sort((a, b) => b.length - a.length);
  let e = guard(expr);
  const ph: Record<string, string> = {};
  names.forEach((name, i) => {
    const p = `zzq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
    ph[p] = symbols[name]!;
    e = e.replace(new RegExp(`\\b${name}\\b`, 'g'), p);
  });
  let tex = safe('render', e, () => nerdamer()(e, undefined, [], 1).toTeX());
  tex = tex
    .replace(/\\mathrm\{(sech|csch)\}/g, '\\operatorname{$1}')
    .replace(/\\mathrm\{(tanh|sinh|cosh|coth|sin|cos|tan|sec|csc|cot|exp|log|arctan|arcsin|arccos)\}/g, '\\$1')
    .replace(/\\mathrm\{(asinh|acosh|atanh)\}/g, '\\operatorname{$1}')
    .replace(/\\mathrm\{atan\}/g, '\\arctan').replace(/\\mathrm\{asin\}/g, '\\arcsin').replace(/\\mathrm\{acos\}/g, '\\arccos')
    .replace(/\\cdot\s*/g, '\\, ')
    .replace(/vmatrix/g, 'pmatrix');
  // Symbols: nerdamer prints most names verbatim and greek ones as \beta; add subscripts.
  tex = tex.replace(/(\\?)\b([A-Za-z]+)_?\{?(\d+)\}?(?![\w{])/g, (m, bs: string, base: string, digits: string) => {
    if (bs || base.startsWith('zzq')) return m;
    const b = base === 'eps' ? '\\varepsilon' : GREEK.has(base) ? `\\${base}` : base;
    return `${b}_{${digits}}`;
  });
  tex = tex.replace(/(^|[^\\A-Za-z])eps(?![A-Za-z])/g, '$1\\varepsilon ');
  for (const [p, t] of Object.entries(ph)) tex = tex.replace(new RegExp(p, 'g'), `{${t}}`);
  return tex;
}
