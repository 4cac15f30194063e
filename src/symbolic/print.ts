/**
 * One mathjs AST, three dialects. Each engine gets the expression rewritten into functions it
 * differentiates correctly:
 * - nerdamer: the canonical variant writes reciprocal functions as negative powers (sech u =
 *   cosh(u)^(−1)) so that expand can cancel them;
 * - algebrite: has no sech/csch/coth/sec/csc/cot and spells inverse functions arc…;
 * - js: straight-line JavaScript (Math.*), symbols mapped by the caller.
 */
import type { MathNode } from './mathjs.ts';

/** 'nerdamer-canonical': reciprocal functions as negative powers, so expand can cancel them. */
export type Dialect = 'nerdamer' | 'nerdamer-canonical' | 'algebrite';

function num(v: number, dialect: Dialect | 'js'): string {
  if (dialect === 'js') return Number.isInteger(v) ? `${v}` : `${v}`;
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const [m, ex] = s.split(/e/i) as [string, string];
  return `(${m}*10^(${Number(ex)}))`;
}

const ALGEBRITE_NAMES: Record<string, string> = {
  atan: 'arctan', asin: 'arcsin', acos: 'arccos', asinh: 'arcsinh', acosh: 'arccosh', atanh: 'arctanh',
};

/** Rewrite a function application into the dialect's safe vocabulary (argument already printed). */
function fnCall(name: string, a: string, dialect: Dialect): string {
  if (dialect === 'nerdamer' || dialect === 'nerdamer-canonical') {
    if (dialect === 'nerdamer-canonical') {
      const recip: Record<string, string> = { sech: 'cosh', csch: 'sinh', sec: 'cos', csc: 'sin' };
      if (recip[name]) return `(${recip[name]}(${a}))^(-1)`;
    }
    return `${name}(${a})`;
  }
  switch (name) {
    case 'sech': return `(1/cosh(${a}))`;
    case 'csch': return `(1/sinh(${a}))`;
    case 'coth': return `(cosh(${a})/sinh(${a}))`;
    case 'sec': return `(1/cos(${a}))`;
    case 'csc': return `(1/sin(${a}))`;
    case 'cot': return `(cos(${a})/sin(${a}))`;
    default: return `${ALGEBRITE_NAMES[name] ?? name}(${a})`;
  }
}

/** Print a validated AST for a CAS; every subexpression parenthesised (no precedence games). */
export function printFor(node: MathNode, dialect: Dialect): string {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': return num(n['value'] as number, dialect);
    case 'SymbolNode': {
      const name = n['name'] as string;
      if (name === 'e') return dialect === 'algebrite' ? 'exp(1)' : 'e';
      return name;
    }
    case 'ParenthesisNode': return printFor(n['content'] as MathNode, dialect);
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      const a = printFor((n['args'] as MathNode[])[0]!, dialect);
      return fnCall(name, a, dialect);
    }
    case 'OperatorNode': {
      const args = (n['args'] as MathNode[]).map((a) => printFor(a, dialect));
      switch (n['fn'] as string) {
        case 'add': return `(${args[0]}+${args[1]})`;
        case 'subtract': return `(${args[0]}-${args[1]})`;
        case 'multiply': return `(${args[0]}*${args[1]})`;
        case 'divide': return `(${args[0]}/${args[1]})`;
        case 'pow': {
          const base = (n['args'] as MathNode[])[0]!;
          if (dialect === 'algebrite' && base.type === 'SymbolNode' && (base as unknown as { name: string }).name === 'e') {
            return `exp(${args[1]})`;
          }
          return `(${args[0]})^(${args[1]})`;
        }
        case 'unaryMinus': return `(-${args[0]})`;
        case 'unaryPlus': return `${args[0]}`;
      }
    }
  }
  throw new Error(`printFor: unsupported node ${node.type}`);
}
