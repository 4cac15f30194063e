/**
 * Symbolic results → straight-line JavaScript, compiled once with `new Function` (50–125 ns per
 * evaluation, TOOLING §2) so no expression is ever interpreted per point. Integer powers are
 * unrolled into products (exact and faster than Math.pow for small exponents).
 */
import { erf, type MathNode } from './mathjs.ts';
import type { Field } from '../numeric/types.ts';
import { quote, UserError } from '../util/errors.ts';
import { CONSTANTS, parseExpression } from './parse.ts';

/**
 * Functions compiled code calls that Math lacks (passed in as H): the activations, in forms that
 * do not overflow (softplus(w) = max(w, 0) + log1p(e^{−|w|})); erf is mathjs's (W. J. Cody's
 * rational approximations, about 1e-16 relative).
 */
export const HELPERS = Object.freeze({
  sigmoid: (w: number): number => (w >= 0 ? 1 / (1 + Math.exp(-w)) : Math.exp(w) / (1 + Math.exp(w))),
  softplus: (w: number): number => Math.max(w, 0) + Math.log1p(Math.exp(-Math.abs(w))),
  silu: (w: number): number => w * (w >= 0 ? 1 / (1 + Math.exp(-w)) : Math.exp(w) / (1 + Math.exp(w))),
  erf: (w: number): number => erf(w) as number,
});

/** JS source of each function applied to an argument's source. */
export const JS_FUNCTIONS: ReadonlyMap<string, (a: string) => string> = new Map<string, (a: string) => string>([
  ['sin', (a) => `Math.sin(${a})`], ['cos', (a) => `Math.cos(${a})`], ['tan', (a) => `Math.tan(${a})`],
  ['sec', (a) => `(1/Math.cos(${a}))`], ['csc', (a) => `(1/Math.sin(${a}))`], ['cot', (a) => `(1/Math.tan(${a}))`],
  ['sinh', (a) => `Math.sinh(${a})`], ['cosh', (a) => `Math.cosh(${a})`], ['tanh', (a) => `Math.tanh(${a})`],
  ['sech', (a) => `(1/Math.cosh(${a}))`], ['csch', (a) => `(1/Math.sinh(${a}))`], ['coth', (a) => `(1/Math.tanh(${a}))`],
  ['exp', (a) => `Math.exp(${a})`], ['log', (a) => `Math.log(${a})`], ['sqrt', (a) => `Math.sqrt(${a})`],
  ['atan', (a) => `Math.atan(${a})`], ['asin', (a) => `Math.asin(${a})`], ['acos', (a) => `Math.acos(${a})`],
  ['asinh', (a) => `Math.asinh(${a})`], ['acosh', (a) => `Math.acosh(${a})`], ['atanh', (a) => `Math.atanh(${a})`],
  ['sigmoid', (a) => `H.sigmoid(${a})`], ['softplus', (a) => `H.softplus(${a})`], ['erf', (a) => `H.erf(${a})`],
  ['silu', (a) => `H.silu(${a})`], ['swish', (a) => `H.silu(${a})`],
]);

/** The JS source of a constant (Math.PI, Math.E). */
export const constantJs = (name: string): string | undefined => (name === 'pi' ? 'Math.PI' : name === 'e' ? 'Math.E' : undefined);

/** A function of the given parameters with body `body`, which may call the helpers H. */
export function makeFunction<F>(params: string[], body: string): F {
  return new Function('H', `"use strict"; return function (${params.join(', ')}) {\n${body}\n};`)(HELPERS) as F;
}

/** JS source of one expression; `sym` maps a symbol name to a JS expression (or undefined). */
export function jsSource(node: MathNode, sym: (name: string) => string | undefined): string {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'] as number;
      return v < 0 ? `(${v})` : `${v}`;
    }
    case 'SymbolNode': {
      const name = n['name'] as string;
      const s = sym(name);
      if (s !== undefined) return s;
      const c = constantJs(name);
      if (c !== undefined) return c;
      throw new UserError(`unknown symbol ${quote(name)} (no value given)`);
    }
    case 'ParenthesisNode': return jsSource(n['content'] as MathNode, sym);
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      const f = JS_FUNCTIONS.get(name);
      if (!f) throw new UserError(`unknown function ${quote(name)}`);
      return f(jsSource((n['args'] as MathNode[])[0]!, sym));
    }
    case 'OperatorNode': {
      const argNodes = n['args'] as MathNode[];
      const a = argNodes.map((m) => jsSource(m, sym));
      switch (n['fn'] as string) {
        case 'add': return `(${a[0]}+${a[1]})`;
        case 'subtract': return `(${a[0]}-${a[1]})`;
        case 'multiply': return `(${a[0]}*${a[1]})`;
        case 'divide': return `(${a[0]}/${a[1]})`;
        case 'unaryMinus': return `(-${a[0]})`;
        case 'unaryPlus': return `${a[0]}`;
        case 'pow': return powSource(argNodes, a as [string, string]);
      }
    }
  }
  throw new UserError(`cannot compile ${node.type}`);
}

/** Integer exponent of a pow node, if it is a literal (possibly negated, possibly parenthesised). */
function integerExponent(node: MathNode): number | undefined {
  let m = node as MathNode & Record<string, unknown>;
  while (m.type === 'ParenthesisNode') m = m['content'] as MathNode & Record<string, unknown>;
  if (m.type === 'ConstantNode' && Number.isInteger(m['value'])) return m['value'] as number;
  if (m.type === 'OperatorNode' && m['fn'] === 'unaryMinus') {
    const k = integerExponent((m['args'] as MathNode[])[0]!);
    return k === undefined ? undefined : -k;
  }
  return undefined;
}

function powSource(nodes: MathNode[], a: [string, string]): string {
  const base = nodes[0]!;
  let b = base as MathNode & Record<string, unknown>;
  while (b.type === 'ParenthesisNode') b = b['content'] as MathNode & Record<string, unknown>;
  if (b.type === 'SymbolNode' && b['name'] === 'e' && a[0] === 'Math.E') return `Math.exp(${a[1]})`;
  const k = integerExponent(nodes[1]!);
  if (k !== undefined && Math.abs(k) <= 8) {
    if (k === 0) return '1';
    const prod = `(${Array(Math.abs(k)).fill(`__b`).join('*')})`;
    // An IIFE-free unroll: bind the base once through a comma-free arrow would allocate, so
    // repeat the base when it is a plain identifier/number and use Math.pow otherwise.
    if (/^[A-Za-z_$][\w$]*(\[\d+\])?$|^\(?-?[\d.]+\)?$/.test(a[0])) {
      const p = prod.replace(/__b/g, a[0]);
      return k > 0 ? p : `(1/${p})`;
    }
    return `Math.pow(${a[0]},${k})`;
  }
  return `Math.pow(${a[0]},${a[1]})`;
}

function parseForCompile(expr: string, allowed: readonly string[], what: string): MathNode {
  return parseExpression(expr, { symbols: allowed, what });
}

/** A scalar function of `vars` (args in that order). UserError on symbols not in vars. */
export function compileScalar(expr: string, vars: readonly string[]): (args: ArrayLike<number>) => number {
  const node = parseForCompile(expr, vars, 'compileScalar');
  return compileNode(node, vars);
}

/** Compile an already-validated AST over vars (args in that order). */
export function compileNode(node: MathNode, vars: readonly string[]): (args: ArrayLike<number>) => number {
  const idx = new Map(vars.map((v, i) => [v, i]));
  const src = jsSource(node, (name) => (idx.has(name) ? `a[${idx.get(name)}]` : undefined));
  return makeFunction(['a'], `return ${src};`);
}

/** out[i] = components[i](args) with args in the order of vars; one straight-line function. */
export function compileField(components: readonly (string | MathNode)[], vars: readonly string[]): (args: Float64Array, out: Float64Array) => void {
  const idx = new Map(vars.map((v, i) => [v, i]));
  const lines = components.map((c, i) => {
    const node = typeof c === 'string' ? parseForCompile(c, vars, `component ${i + 1}`) : c;
    return `out[${i}] = ${jsSource(node, (name) => (idx.has(name) ? `a[${idx.get(name)}]` : undefined))};`;
  });
  return makeFunction(['a', 'out'], lines.join('\n'));
}

/**
 * The numeric Field convention f(t, x, out) (src/numeric/types.ts): state vars x[0..d-1] in the
 * order of stateVars, the time symbol (default 't') bound to t, constants inlined as literals.
 */
export function compileVectorField(
  components: readonly string[], stateVars: readonly string[], timeVar = 't', constants: Record<string, number> = {},
): Field {
  if (components.length !== stateVars.length) {
    throw new UserError(`field has ${components.length} components but ${stateVars.length} state variables`);
  }
  for (const [k, v] of Object.entries(constants)) {
    if (!Number.isFinite(v)) throw new UserError(`constant ${k} is not finite (${v})`);
  }
  const idx = new Map(stateVars.map((v, i) => [v, i]));
  const allowed = [...stateVars, timeVar, ...Object.keys(constants)];
  const sym = (name: string): string | undefined => {
    if (idx.has(name)) return `x[${idx.get(name)}]`;
    if (name === timeVar) return 't';
    if (Object.hasOwn(constants, name)) return `(${constants[name]})`;
    return undefined;
  };
  const lines = components.map((c, i) => `out[${i}] = ${jsSource(parseForCompile(c, allowed, `component ${i + 1}`), sym)};`);
  return makeFunction<Field>(['t', 'x', 'out'], lines.join('\n'));
}
