/**
 * The text front end of the symbolic layer: mathjs parses, and we validate, so that no CAS
 * ever sees a name it would silently misread (nerdamer reads an unknown `g(x)` as `g*x` and
 * returns unknown functions unevaluated).
 *
 * Accepted: numbers (finite, read exactly from their digits), symbols (ASCII letters, digits and
 * single underscores, starting with a letter), the constants pi and e, + − * / ^ (and implicit
 * multiplication where it cannot be read two ways), parentheses, and the one-argument smooth
 * functions of SMOOTH_FUNCTIONS. Rejected with a one-line UserError: malformed text, non-smooth
 * functions (abs, relu, max, …: no Taylor expansion at their kink, so no ε-series), unknown
 * functions, reserved names (E, i, Infinity, …), implicit products that read two ways (1/2x,
 * z/2z, e^2z), assignments, matrices, comparisons, and inputs past the size limits below.
 * Every error quotes the user's text through `quote` (capped, one line).
 */
import { OperatorNode, ParenthesisNode, parse, type MathNode } from './mathjs.ts';
import { quote, UserError } from '../util/errors.ts';
import { fromDecimalText, fromNumber, eqR, type Rat } from './rational.ts';

export type { MathNode };

/** Elementary one-argument functions every layer of the symbolic engine supports (and nerdamer). */
export const KNOWN_FUNCTIONS: readonly string[] = [
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot',
  'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth',
  'exp', 'log', 'sqrt',
  'atan', 'asin', 'acos',
];
// Not offered: asinh, acosh, atanh. nerdamer differentiates them wrongly, and their log/sqrt
// forms hit nerdamer bugs ((u + sqrt(w))^(-1) differentiates wrongly; (1−u)^(−1) + (1+u)^(−1)
// overflows its stack), so the engine has no reliable route for them.

/**
 * Smooth activations beyond the elementary functions (derive, hamiltonian, compile):
 * sigmoid(w) = 1/(1 + e^{−w}), softplus(w) = log(1 + e^w), silu(w) = swish(w) = w·sigmoid(w),
 * erf(w) = (2/√π) ∫₀^w e^{−s²} ds (exact GELU: z (1 + erf(z/√2))/2).
 */
export const ACTIVATION_FUNCTIONS: readonly string[] = ['sigmoid', 'softplus', 'silu', 'swish', 'erf'];

export const SMOOTH_FUNCTIONS: readonly string[] = [...KNOWN_FUNCTIONS, ...ACTIVATION_FUNCTIONS];

/** Functions refused because they are not smooth: where the Taylor expansion fails. */
export const NON_SMOOTH: ReadonlyMap<string, string> = new Map([
  ['abs', 'abs(w) = |w| has a kink at w = 0'],
  ['relu', 'relu(w) = max(w, 0) has a kink at w = 0'],
  ['leakyrelu', 'a leaky ReLU has a kink at w = 0'],
  ['leaky_relu', 'a leaky ReLU has a kink at w = 0'],
  ['hardtanh', 'hardtanh has kinks at w = ±1'],
  ['softsign', 'softsign(w) = w/(1 + |w|) has a jump in its second derivative at w = 0'],
  ['elu', 'elu has a jump in its second derivative at w = 0'],
  ['selu', 'selu has a kink at w = 0'],
  ['max', 'max has a kink where its arguments are equal'],
  ['min', 'min has a kink where its arguments are equal'],
  ['sign', 'sign jumps at w = 0'],
  ['heaviside', 'the Heaviside step jumps at w = 0'],
  ['step', 'a step function jumps'],
  ['floor', 'floor jumps at every integer'],
  ['ceil', 'ceil jumps at every integer'],
  ['round', 'round jumps at every half-integer'],
  ['fix', 'fix jumps at every integer'],
  ['mod', 'mod jumps'],
]);

/** Names that mean a constant: pi and e (Euler's number; e^w is exp(w)). */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([['pi', Math.PI], ['e', Math.E]]);
export const isConstantName = (s: string): boolean => CONSTANTS.has(s);

/** Names a user may not use as symbols (other CAS constants or mathjs specials), with the reason. */
export const RESERVED_SYMBOLS: readonly string[] = [
  'E', 'i', 'PI', 'Infinity', 'NaN', 'nan', 'inf', 'Inf', 'infinity', 'INF', 'NAN', 'null', 'true', 'false', 'phi', 'tau', 'LN2', 'LN10',
  'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2', 'undefined', 'version',
];
const RESERVED = new Set(RESERVED_SYMBOLS);

/**
 * The identifier rule: ASCII letters and digits, parts joined by single underscores, starting
 * with a letter (a, a12, beta_1, x_max). Such names print as valid TeX (render.ts symbolTeX).
 */
export const NAME_RULE = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;
/** Longest symbol name accepted. */
export const MAX_NAME = 64;

/** Longest expression text accepted (characters). */
export const MAX_CHARS = 2_000_000;
/** Deepest nesting accepted (parentheses, powers, products): every walker here recurses. */
export const MAX_DEPTH = 200;
/** A sum with more top-level terms than this is parsed term by term into a balanced tree. */
const CHUNK_TERMS = 64;

const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

interface ParseOptions {
  /** When given, every free symbol must be one of these (the constants pi and e always may). */
  symbols?: readonly string[];
  /** What the text is, for error messages (e.g. '--g', 'component 2 of --map'). */
  what?: string;
  /** Extra function names allowed (e.g. the generic 'g' of a layer). */
  functions?: readonly string[];
  /** Restrict the smooth functions to these (default SMOOTH_FUNCTIONS). */
  smooth?: readonly string[];
  /** No effect: the constants pi and e are always accepted (kept so older callers compile). */
  allowConstants?: boolean;
}

type Ast = MathNode & Record<string, unknown>;

/**
 * Parse and validate an expression.
 *
 * Throws UserError on malformed text, unknown or non-smooth functions, non-finite numbers,
 * reserved names, ambiguous implicit products, inputs past MAX_CHARS/MAX_DEPTH, or (when
 * opts.symbols is given) undeclared symbols.
 */
export function parseExpression(text: string, opts: ParseOptions = {}): MathNode {
  const what = opts.what ?? 'expression';
  if (typeof text !== 'string' || text.trim() === '') throw new UserError(`${what}: empty expression`);
  if (text.length > MAX_CHARS) throw new UserError(`${what}: expression of ${text.length} characters is too long (at most ${MAX_CHARS})`);
  if (text.includes('|')) {
    throw new UserError(`${what}: |…| in ${quote(text)} is an absolute value, which is not smooth (kink at 0): no Taylor expansion there, so no ε-series`);
  }
  const node = parseText(text, what);
  const fns = new Set([...(opts.smooth ?? SMOOTH_FUNCTIONS), ...(opts.functions ?? [])]);
  const allowed = opts.symbols ? new Set(opts.symbols) : undefined;
  validate(node, text, what, fns, allowed);
  return node;
}

/**
 * The tree of `text` without validation (for callers that accept more syntax, e.g. the proof
 * format's D(f, x)): the same size limits, balanced long sums and exact numerals.
 */
export function parseTree(text: string, what: string): MathNode {
  if (text.length > MAX_CHARS) throw new UserError(`${what}: expression of ${text.length} characters is too long (at most ${MAX_CHARS})`);
  return parseText(text, what);
}

/** What to write for a typeset symbol (the parser reads − as an unknown character, π as a name). */
const TYPESET: ReadonlyMap<string, string> = new Map([
  ['−', '-'], ['–', '-'], ['—', '-'], ['×', '*'], ['·', '*'], ['⋅', '*'], ['÷', '/'], ['√', 'sqrt(…)'],
  ['²', '^2'], ['³', '^3'], ['π', 'pi'], ['ℯ', 'e'], ['∞', 'a finite number'],
]);

/**
 * mathjs parse, with two changes for large inputs: a bracketed group longer than LARGE_GROUP
 * characters is parsed on its own (recursively) and spliced in, and a sum of more than
 * CHUNK_TERMS top-level terms is parsed term by term into a balanced tree; then the depth limit
 * (iterative) and the exact literals. mathjs builds a left-deep tree for a sum, so a 50,000-term
 * sum would otherwise be 50,000 levels deep for every recursive walker after it. Refused first:
 * typeset symbols (with what to write instead) and #, which mathjs reads as a comment.
 */
function parseText(text: string, what: string): MathNode {
  const typeset = /[−–—×·⋅÷√²³πα-ωℯ∞]/u.exec(text)?.[0];
  if (typeset !== undefined) {
    // typeset symbols (pasted from a paper or a PDF) are not operators here: say what to write
    throw new UserError(`${what}: ${quote(typeset)} in ${quote(text)} is a typeset symbol; write ${TYPESET.get(typeset) ?? 'a Greek letter by its name (alpha, beta_1)'} instead`);
  }
  if (text.includes('#')) throw new UserError(`${what}: # in ${quote(text)} would start a comment (the rest of the text ignored); remove it`);
  const node = parsePiece(text, text, what, 0);
  checkDepth(node, text, what);
  return node;
}

const LARGE_GROUP = 4096;

function parsePiece(source: string, text: string, what: string, level: number): MathNode {
  if (level > MAX_DEPTH) throw new UserError(`${what}: ${quote(text)} is nested more than ${MAX_DEPTH} levels deep`);
  // Large bracketed groups → placeholders __P0__, … (not user names: those start with a letter).
  const groups: MathNode[] = [];
  let reduced = source;
  if (source.length > LARGE_GROUP) {
    let out = '', depth = 0, open = -1, last = 0;
    for (let i = 0; i < source.length; i++) {
      const c = source[i]!;
      if (c === '(') { if (depth++ === 0) open = i; }
      else if (c === ')' && depth > 0 && --depth === 0 && i - open > LARGE_GROUP) {
        out += `${source.slice(last, open + 1)}__P${groups.length}__)`;
        groups.push(parsePiece(source.slice(open + 1, i), text, what, level + 1));
        last = i + 1;
      }
    }
    reduced = out + source.slice(last);
  }
  const terms = splitTopLevelSum(reduced);
  const parseOne = (s: string): MathNode => {
    let n: MathNode;
    try {
      n = parse(s);
    } catch (e) {
      // A position inside a piece is not a position in the user's text: drop it.
      const msg = e instanceof RangeError ? 'nested too deeply' : (e as Error).message.split('\n')[0]!.replace(s === text ? /$^/ : / \(char \d+\)/, '');
      // Python's and Fortran's power operator: say what to write instead of where parsing stopped
      const hint = /\*\s*\*/.test(s) ? ' (write powers with ^, as in z^2: ** is not an operator here)' : '';
      throw new UserError(`${what}: cannot parse ${quote(text)}: ${msg}${hint}`);
    }
    checkDepth(n, text, what);
    attachExactLiterals(n, s, text, what);
    return n;
  };
  let node: MathNode;
  if (terms.length <= CHUNK_TERMS) node = parseOne(reduced);
  else {
    const parts = terms.map(({ negative, s }) => {
      const n = parseOne(s);
      return negative ? new OperatorNode('-', 'unaryMinus', [new ParenthesisNode(n)]) : n;
    });
    // A balanced tree of sums: depth log2(terms), so every recursive walker is safe.
    const build = (lo: number, hi: number): MathNode => (hi - lo === 1 ? parts[lo]!
      : new OperatorNode('+', 'add', [build(lo, (lo + hi) >> 1), build((lo + hi) >> 1, hi)]));
    node = build(0, parts.length);
  }
  if (groups.length === 0) return node;
  return node.transform((m: MathNode) => {
    const g = m.type === 'SymbolNode' ? /^__P(\d+)__$/.exec((m as Ast)['name'] as string) : null;
    return g ? groups[Number(g[1])]! : m;
  });
}

/**
 * The top-level terms of a sum with their signs, split at + and − outside brackets that are
 * binary operators (not a sign after an operator, not the exponent sign of 1e-5).
 */
function splitTopLevelSum(text: string): { negative: boolean; s: string }[] {
  const out: { negative: boolean; s: string }[] = [];
  let depth = 0, start = 0, negative = false, prev = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if ((c === '+' || c === '-') && depth === 0 && /[\w$.)!']/.test(prev) && !isExponentSign(text, i)) {
      out.push({ negative, s: text.slice(start, i) });
      negative = c === '-';
      start = i + 1;
    }
    if (c.trim() !== '') prev = c;
  }
  out.push({ negative, s: text.slice(start) });
  return out;
}

/** Is the + or − at i the exponent sign of a number literal (1e-5, 2.5E+3)? */
function isExponentSign(text: string, i: number): boolean {
  const e = i - 1;
  if (e < 1 || (text[e] !== 'e' && text[e] !== 'E')) return false;
  let k = e - 1;
  while (k >= 0 && /[0-9.]/.test(text[k]!)) k--;
  return k < e - 1 && (k < 0 || !/[\w$]/.test(text[k]!));
}

/** Number of nodes of a tree (iterative). */
export function nodeCount(root: MathNode): number {
  let count = 0;
  const stack: MathNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    count++;
    n.forEach((c: MathNode) => { stack.push(c); });
  }
  return count;
}

/** Children in source order (mathjs forEach visits the direct children left to right). */
function children(n: MathNode): MathNode[] {
  const out: MathNode[] = [];
  n.forEach((c: MathNode) => { out.push(c); });
  return out;
}

/** Iterative depth check, before any recursive walk. */
function checkDepth(root: MathNode, text: string, what: string): void {
  const stack: [MathNode, number][] = [[root, 1]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new UserError(`${what}: ${quote(text)} is nested more than ${MAX_DEPTH} levels deep`);
    for (const c of children(n)) stack.push([c, depth + 1]);
  }
}

/** Exact values of literals a double cannot hold (more than 17 significant digits). */
const EXACT = new WeakMap<MathNode, { value: Rat; text: string }>();

const LITERAL = /[A-Za-z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F][\w$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]*|(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/g;

/**
 * Attach the exact value of every numeral whose double differs from what was written (mathjs
 * reads numbers as doubles). Numerals and ConstantNodes are matched in source order.
 */
function attachExactLiterals(root: MathNode, source: string, text: string, what: string): void {
  const literals: string[] = [];
  for (const m of source.matchAll(LITERAL)) if (m[1] !== undefined) literals.push(m[1]);
  const constants: Ast[] = [];
  const stack: MathNode[] = [root];
  while (stack.length) {
    const n = stack.pop()! as Ast;
    if (n.type === 'ConstantNode' && typeof n['value'] === 'number') constants.push(n);
    const cs = children(n);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]!);
  }
  const matched = literals.length === constants.length;
  literals.forEach((lit, i) => {
    const exact = fromDecimalText(lit);
    const v = matched ? constants[i]!['value'] as number : Number(lit);
    if (!Number.isFinite(v)) return; // validate reports non-finite numbers
    // fromDecimalText reads decimal exponents up to ±400; past that a finite double is no longer
    // the number written (1e-401 underflows to 0), so it is refused rather than read as its double
    if (exact === undefined) throw new UserError(`${what}: the number ${quote(lit)} in ${quote(text)} has a decimal exponent out of range (a double holds about 1e-308 to 1e308)`);
    if (v === 0 && !eqR(exact, [0, 1])) throw new UserError(`${what}: the number ${quote(lit)} in ${quote(text)} underflows to 0 in double precision`);
    if (eqR(exact, fromNumber(v))) return;
    if (!matched) throw new UserError(`${what}: cannot read the number ${quote(lit)} in ${quote(text)} exactly`);
    EXACT.set(constants[i]!, { value: exact, text: lit });
  });
}

/** The exact rational value of a validated ConstantNode (its digits, not only its double). */
export function constantRat(node: MathNode): Rat {
  return EXACT.get(node)?.value ?? fromNumber((node as Ast)['value'] as number);
}

/** Text of a validated tree that parseExpression reads back to the same tree (exact numerals kept). */
export function exprText(node: MathNode): string {
  return node.toString({
    implicit: 'show', parenthesis: 'keep',
    handler: (n: MathNode) => {
      const e = EXACT.get(n);
      return e ? e.text : undefined;
    },
  } as object);
}

/**
 * Replace symbols by trees, simultaneously, in the tree (never in text: `2z` has no word
 * boundary before z). Each replacement is parenthesised, so precedence cannot change; the
 * replaced nodes are shared, not copied, so their exact literals stay attached.
 */
export function substitute(node: MathNode, values: ReadonlyMap<string, MathNode>): MathNode {
  return node.transform((m: MathNode) => {
    if (m.type !== 'SymbolNode') return m;
    const by = values.get((m as Ast)['name'] as string);
    return by ? new ParenthesisNode(by) : m;
  });
}

function validate(node: MathNode, text: string, what: string, fns: Set<string>, allowed: Set<string> | undefined): void {
  const n = node as Ast;
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'];
      if (typeof v !== 'number') throw new UserError(`${what}: unsupported constant ${quote(String(v))} in ${quote(text)}`);
      if (!Number.isFinite(v)) throw new UserError(`${what}: non-finite number in ${quote(text)}`);
      return;
    }
    case 'SymbolNode': {
      const name = n['name'] as string;
      checkName(name, text, what, fns);
      if (allowed && !allowed.has(name) && !isConstantName(name)) {
        const list = [...allowed].join(', ') || 'none';
        throw new UserError(`${what}: unknown symbol ${quote(name)} in ${quote(text)} (allowed: ${list.length > 200 ? `${list.slice(0, 200)}…` : list})`);
      }
      return;
    }
    case 'ParenthesisNode':
      validate(n['content'] as MathNode, text, what, fns, allowed);
      return;
    case 'OperatorNode': {
      const fn = n['fn'] as string;
      if (!OPERATORS.has(fn)) throw new UserError(`${what}: unsupported operator ${quote(n['op'] as string)} in ${quote(text)}`);
      checkImplicit(n, text, what);
      for (const a of n['args'] as MathNode[]) validate(a, text, what, fns, allowed);
      return;
    }
    case 'FunctionNode': {
      const fnNode = n['fn'] as Ast;
      const name = fnNode.type === 'SymbolNode' ? (fnNode['name'] as string) : '';
      const args = n['args'] as MathNode[];
      const nonSmooth = NON_SMOOTH.get(name);
      if (nonSmooth !== undefined) {
        throw new UserError(`${what}: ${name} is not smooth (${nonSmooth}): no Taylor expansion of the needed order there, so no ε-series; use a smooth function (tanh, sigmoid, softplus, erf, silu)`);
      }
      if (!fns.has(name)) {
        const hint = args.length === 1 && name && NAME_RULE.test(name) ? `; for a product write ${name}*(…)` : '';
        throw new UserError(`${what}: unknown function ${quote(name || fnNode.toString())} in ${quote(text)} (known: ${[...fns].join(' ')}${hint})`);
      }
      if (args.length !== 1) throw new UserError(`${what}: ${name} takes one argument, got ${args.length} in ${quote(text)}`);
      validate(args[0]!, text, what, fns, allowed);
      return;
    }
    default:
      throw new UserError(`${what}: unsupported syntax (${node.type}) in ${quote(text)}`);
  }
}

/** A symbol's name: the identifier rule, not a function name, not reserved. */
function checkName(name: string, text: string, what: string, fns: Set<string>): void {
  if (!NAME_RULE.test(name)) {
    throw new UserError(`${what}: symbol name ${quote(name)} in ${quote(text)} is not allowed (names are ASCII letters and digits, parts joined by single underscores, starting with a letter)`);
  }
  if (name.length > MAX_NAME) throw new UserError(`${what}: symbol name ${quote(name)} is longer than ${MAX_NAME} characters`);
  if (RESERVED.has(name)) {
    const why = /^(nan|inf|infinity)$/i.test(name) ? 'not a finite number'
      : name === 'E' ? "a constant in the CAS; Euler's number is e" : name === 'PI' ? 'a constant in the CAS; write pi' : 'a constant or special name in the CAS';
    throw new UserError(`${what}: reserved name ${quote(name)} in ${quote(text)} (${why})`);
  }
  if (fns.has(name) || NON_SMOOTH.has(name)) throw new UserError(`${what}: ${quote(name)} is a function; write ${name}(…) in ${quote(text)}`);
}

const isImplicit = (m: Ast): boolean => m.type === 'OperatorNode' && m['fn'] === 'multiply' && m['implicit'] === true;
const isOp = (m: Ast, fn: string): boolean => m.type === 'OperatorNode' && m['fn'] === fn;

/**
 * Implicit products that read two ways are refused: `1/2x` (mathjs: (1/2)·x; also read 1/(2x)),
 * `z/2z` (mathjs: z/(2z); also read (z/2)·z), `e^2z` (mathjs: e²·z; also read e^(2z)).
 */
function checkImplicit(n: Ast, text: string, what: string): void {
  // A parenthesised operand is explicit: (1/2)x and z/(2z) are fine.
  const [a, b] = n['args'] as [Ast, Ast | undefined];
  let sub: string | undefined;
  if (isImplicit(n) && (isOp(a, 'divide') || isOp(a, 'pow'))) sub = n.toString();
  else if (isOp(n, 'divide') && b && isImplicit(b)) sub = n.toString();
  if (sub !== undefined) {
    throw new UserError(`${what}: ${quote(sub)} in ${quote(text)} reads two ways (an implicit product next to / or ^); write the product with * and parentheses`);
  }
}

/** checkImplicit on every operator of a tree (iterative), for callers that parse with mathjs directly. */
export function checkImplicitProducts(root: MathNode, text: string, what: string): void {
  const stack: MathNode[] = [root];
  while (stack.length) {
    const n = stack.pop()! as Ast;
    if (n.type === 'OperatorNode') checkImplicit(n, text, what);
    n.forEach((c: MathNode) => { stack.push(c); });
  }
}

/** The free symbols of an expression (function names excluded), sorted, without duplicates. */
export function freeSymbols(text: string | MathNode): string[] {
  const node = typeof text === 'string' ? parseExpression(text, { functions: ['g'] }) : text;
  const out = new Set<string>();
  const walk = (m: MathNode): void => {
    const r = m as Ast;
    if (m.type === 'SymbolNode') out.add(r['name'] as string);
    else if (m.type === 'FunctionNode') for (const a of r['args'] as MathNode[]) walk(a);
    else if (m.type === 'OperatorNode') for (const a of r['args'] as MathNode[]) walk(a);
    else if (m.type === 'ParenthesisNode') walk(r['content'] as MathNode);
  };
  walk(node);
  return [...out].sort();
}
