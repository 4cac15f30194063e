/**
 * The text front end of the symbolic layer: mathjs parses, and we validate, so that no CAS
 * ever sees a name it would silently misread (nerdamer reads an unknown `g(x)` as `g*x` and
 * returns unknown functions unevaluated).
 *
 * Accepted: numbers (finite), symbols, + − * / ^ (and implicit multiplication), parentheses,
 * and the one-argument elementary functions of KNOWN_FUNCTIONS. Rejected with a UserError:
 * malformed text, other functions (abs, max, sign: non-differentiable or unknown), reserved
 * names (e, E, i, pi: the CASes treat them as constants, nerdamer even as a rational
 * approximation of π), assignments, matrices, comparisons.
 */
import { parse, type MathNode } from './mathjs.ts';
import { UserError } from '../util/errors.ts';

export type { MathNode };

/** Elementary one-argument functions every layer of the symbolic engine supports. */
export const KNOWN_FUNCTIONS: readonly string[] = [
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot',
  'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth',
  'exp', 'log', 'sqrt',
  'atan', 'asin', 'acos',
];
// Not offered: asinh, acosh, atanh. nerdamer differentiates them wrongly, and their log/sqrt
// forms hit nerdamer bugs ((u + sqrt(w))^(-1) differentiates wrongly; (1−u)^(−1) + (1+u)^(−1)
// overflows its stack), so the engine has no reliable route for them.

/** Names a user may not use as symbols (CAS constants or mathjs specials). */
export const RESERVED_SYMBOLS: readonly string[] = [
  'e', 'E', 'i', 'pi', 'PI', 'Infinity', 'NaN', 'nan', 'inf', 'Inf', 'infinity', 'INF', 'NAN', 'null', 'true', 'false', 'phi', 'tau', 'LN2', 'LN10',
  'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2', 'undefined', 'version',
];

const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

interface ParseOptions {
  /** When given, every free symbol must be one of these. */
  symbols?: readonly string[];
  /** What the text is, for error messages (e.g. '--g', 'component 2 of --map'). */
  what?: string;
  /** Extra function names allowed (e.g. the generic 'g' of a layer). */
  functions?: readonly string[];
  /** Allow the reserved name 'e' (Euler's number) and others, as produced by the CAS. */
  allowConstants?: boolean;
}

/**
 * Parse and validate an expression.
 *
 * Throws UserError on malformed text, unknown function names, non-finite numbers, reserved or
 * (when opts.symbols is given) undeclared symbols.
 */
export function parseExpression(text: string, opts: ParseOptions = {}): MathNode {
  const what = opts.what ?? 'expression';
  if (typeof text !== 'string' || text.trim() === '') throw new UserError(`${what}: empty expression`);
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new UserError(`${what}: cannot parse "${text}": ${(e as Error).message.split('\n')[0]}`);
  }
  const fns = new Set([...KNOWN_FUNCTIONS, ...(opts.functions ?? [])]);
  const allowed = opts.symbols ? new Set(opts.symbols) : undefined;
  validate(node, text, what, fns, allowed, opts.allowConstants ?? false);
  return node;
}

function validate(
  node: MathNode, text: string, what: string, fns: Set<string>, allowed: Set<string> | undefined, allowConstants: boolean,
): void {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'];
      if (typeof v !== 'number') throw new UserError(`${what}: unsupported constant ${String(v)} in "${text}"`);
      if (!Number.isFinite(v)) throw new UserError(`${what}: non-finite number in "${text}"`);
      return;
    }
    case 'SymbolNode': {
      const name = n['name'] as string;
      if (!allowConstants && RESERVED_SYMBOLS.includes(name)) {
        const why = /^(nan|inf|infinity)$/i.test(name) ? 'not a finite number' : 'a constant in the CAS; write its value, e.g. 3.141592653589793';
        throw new UserError(`${what}: reserved name "${name}" in "${text}" (${why})`);
      }
      if (allowed && !allowed.has(name) && !(allowConstants && name === 'e')) {
        throw new UserError(`${what}: unknown symbol "${name}" in "${text}" (allowed: ${[...allowed].join(', ') || 'none'})`);
      }
      return;
    }
    case 'ParenthesisNode':
      validate(n['content'] as MathNode, text, what, fns, allowed, allowConstants);
      return;
    case 'OperatorNode': {
      const fn = n['fn'] as string;
      if (!OPERATORS.has(fn)) throw new UserError(`${what}: unsupported operator "${n['op'] as string}" in "${text}"`);
      for (const a of n['args'] as MathNode[]) validate(a, text, what, fns, allowed, allowConstants);
      return;
    }
    case 'FunctionNode': {
      const fnNode = n['fn'] as MathNode & { name?: string };
      const name = fnNode.type === 'SymbolNode' ? fnNode.name ?? '' : '';
      if (!fns.has(name)) {
        throw new UserError(
          `${what}: unknown or non-differentiable function "${name || fnNode.toString()}" in "${text}" (known: ${[...fns].join(' ')})`,
        );
      }
      const args = n['args'] as MathNode[];
      if (args.length !== 1) throw new UserError(`${what}: ${name} takes one argument, got ${args.length} in "${text}"`);
      validate(args[0]!, text, what, fns, allowed, allowConstants);
      return;
    }
    default:
      throw new UserError(`${what}: unsupported syntax (${node.type}) in "${text}"`);
  }
}

/** The free symbols of an expression (function names excluded), sorted, without duplicates. */
export function freeSymbols(text: string | MathNode): string[] {
  const node = typeof text === 'string' ? parse(text) : text;
  const out = new Set<string>();
  const walk = (m: MathNode): void => {
    const r = m as MathNode & Record<string, unknown>;
    if (m.type === 'SymbolNode') out.add(r['name'] as string);
    else if (m.type === 'FunctionNode') for (const a of r['args'] as MathNode[]) walk(a);
    else if (m.type === 'OperatorNode') for (const a of r['args'] as MathNode[]) walk(a);
    else if (m.type === 'ParenthesisNode') walk(r['content'] as MathNode);
  };
  walk(node);
  return [...out].sort();
}
