/**
 * A thin adapter between the proof format and the symbolic layer: it turns a step's text into a
 * plain expression the engines accept, by
 *   - substituting the block's definitions (`def F := …`, `def g(z) := …`, by AST, never by
 *     string replacement, so `g` in `g1` or in `tanh` is never touched),
 *   - evaluating `D(expr, v)` (∂expr/∂v) with the symbolic layer's `diff`, and
 *   - rejecting undeclared symbols, unknown functions and unsupported syntax with a UserError
 *     that names file:line, block and step.
 * The parsing of steps needs two-argument calls (`D(f, x)`, `g(u, v)`), which the symbolic
 * layer's parseExpression refuses by design, so this file parses with mathjs directly and hands
 * every finished expression back to parseExpression for the final validation.
 *
 * Each derivative is also checked against a Richardson-extrapolated central difference at a few
 * seeded points: a second, numeric route, since both symbolic routes of checkIdentity would
 * otherwise trust the same nerdamer derivative.
 */
import { parse, ParenthesisNode, type MathNode } from '../symbolic/mathjs.ts';
import { diff } from '../symbolic/cas.ts';
import { compileScalar } from '../symbolic/compile.ts';
import { checkImplicitProducts, exprText, isConstantName, KNOWN_FUNCTIONS, parseExpression, parseTree } from '../symbolic/parse.ts';
import { quote, UserError } from '../util/errors.ts';
import { makeRng } from '../util/prng.ts';
import { splitName } from '../symbolic/names.ts';
import type { Block } from './parse.ts';

const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
const KNOWN = new Set(KNOWN_FUNCTIONS);

/** A derivative D(f, v) evaluated during expansion, with its numeric cross-check. */
export interface DerivativeCheck {
  f: string;
  v: string;
  result: string;
  /** max relative gap between the symbolic derivative and the extrapolated difference quotient. */
  maxRelErr: number;
  ok: boolean;
}

/**
 * Difference-quotient agreement threshold. Richardson on central differences with h = 1e-3 leaves
 * a truncation error ~h⁴·|f⁽⁵⁾| ≈ 1e-12 and a round-off error ~ε·|f|/h ≈ 1e-13·|f| on O(1)
 * inputs; 1e-6 covers derivatives a few orders larger than the function without false alarms.
 */
const FD_TOL = 1e-6;

type Ast = MathNode & Record<string, unknown>;

/** Expands the steps of one block; `loc` prefixes every error. */
export class BlockExpander {
  readonly symbols: string[];
  readonly domains: Record<string, [number, number]>;
  readonly derivatives: DerivativeCheck[] = [];
  private readonly defs: Map<string, { params: string[]; body: MathNode; line: number }>;
  private readonly cache = new Map<string, MathNode>();
  private readonly active: string[] = [];
  private rngSeed: number;

  /**
   * `differentiate` is the CAS derivative (the symbolic layer's `diff`); tests pass a wrong one
   * to show that the difference-quotient route catches it.
   */
  constructor(
    private readonly block: Block, private readonly path: string, seed: number,
    private readonly differentiate: (expr: string, v: string) => string = diff,
  ) {
    this.symbols = block.symbols.map((s) => s.name);
    this.domains = Object.fromEntries(block.symbols.map((s) => [s.name, [s.domain.lo, s.domain.hi] as [number, number]]));
    this.rngSeed = seed;
    this.defs = new Map();
    for (const d of block.symbols) {
      if (KNOWN.has(d.name) || d.name === 'D' || d.name === 'O' || isConstantName(d.name)) {
        throw new UserError(`${path}:${d.line}: block ${block.label}: '${d.name}' is a built-in name${isConstantName(d.name) ? ` (the constant ${d.name === 'pi' ? 'π' : 'e'})` : ''} and cannot be a symbol`);
      }
    }
    for (const d of block.definitions) {
      if (KNOWN.has(d.name) || d.name === 'D' || d.name === 'O') {
        throw new UserError(`${this.locDef(d.line)}: '${d.name}' is a built-in name and cannot be redefined`);
      }
      const body = parseTree(d.body, `${this.locDef(d.line)} of ${d.name}`);
      this.defs.set(d.name, { params: d.params, body, line: d.line });
    }
  }

  private locDef(line: number): string {
    return `${this.path}:${line}: block ${this.block.label}, definition`;
  }

  /**
   * The step text as a plain, validated expression over the declared symbols.
   * `loc` is e.g. `proofs/x.md:12: block 2, step 3`.
   */
  expand(text: string, loc: string): string {
    const node = parseTree(text, loc);
    // 1/2x, z/2z, e^2z read two ways; the expanded text below is explicit, so check the raw tree.
    checkImplicitProducts(node, text, loc);
    const out = this.walk(node, new Map(), loc, text);
    const s = exprText(out);
    // Final validation by the symbolic layer's own parser (known functions, declared symbols).
    try {
      parseExpression(s, { symbols: this.symbols, what: loc });
    } catch (e) {
      throw new UserError((e as Error).message.split('\n')[0]!);
    }
    return s;
  }

  private walk(node: MathNode, env: Map<string, MathNode>, loc: string, text: string): MathNode {
    const n = node as Ast;
    switch (node.type) {
      case 'ConstantNode': {
        if (typeof n['value'] !== 'number' || !Number.isFinite(n['value'])) {
          throw new UserError(`${loc}: unsupported constant ${String(n['value'])} in ${quote(text)}`);
        }
        return node;
      }
      case 'ParenthesisNode':
        return new ParenthesisNode(this.walk(n['content'] as MathNode, env, loc, text));
      case 'SymbolNode': {
        const name = n['name'] as string;
        const bound = env.get(name);
        if (bound) return bound;
        const def = this.defs.get(name);
        if (def) {
          if (def.params.length) throw new UserError(`${loc}: '${name}' takes ${def.params.length} argument(s): write ${name}(${def.params.join(', ')})`);
          return this.definition(name, [], loc, text);
        }
        if (!this.symbols.includes(name)) {
          const parts = splitName(name, this.symbols);
          const hint = parts ? `; for a product write ${parts.join('*')}` : '';
          const [n, as] = name.length > 40 ? [quote(name, 40), 'NAME'] : [`'${name}'`, name];
          throw new UserError(`${loc}: undeclared symbol ${n} in ${quote(text)} (declare it with let ${as}: real, or def ${as} := …${hint})`);
        }
        return node;
      }
      case 'OperatorNode': {
        if (!OPERATORS.has(n['fn'] as string)) throw new UserError(`${loc}: unsupported operator ${quote(n['op'] as string)} in ${quote(text)}`);
        const args = (n['args'] as MathNode[]).map((a) => this.walk(a, env, loc, text));
        const clone = node.clone() as Ast;
        clone['args'] = args.map(paren);
        return clone;
      }
      case 'FunctionNode': {
        const fn = n['fn'] as Ast;
        const name = fn.type === 'SymbolNode' ? (fn['name'] as string) : '';
        const rawArgs = n['args'] as MathNode[];
        if (name === 'D') return this.derivative(rawArgs, env, loc, text);
        const args = rawArgs.map((a) => this.walk(a, env, loc, text));
        if (this.defs.has(name)) return this.definition(name, args, loc, text);
        if (KNOWN.has(name)) {
          if (args.length !== 1) throw new UserError(`${loc}: ${name} takes one argument, got ${args.length} in ${quote(text)}`);
          const clone = node.clone() as Ast;
          clone['args'] = args;
          return clone;
        }
        throw new UserError(
          `${loc}: unknown function '${name || fn.toString()}' in ${quote(text)} (known: ${KNOWN_FUNCTIONS.join(' ')}, D(expr, v), and the block's defs)`,
        );
      }
      default:
        throw new UserError(`${loc}: unsupported syntax (${node.type}) in ${quote(text)}`);
    }
  }

  /** A definition applied to already-expanded arguments; 0-ary ones are cached. */
  private definition(name: string, args: MathNode[], loc: string, text: string): MathNode {
    const def = this.defs.get(name)!;
    if (args.length !== def.params.length) {
      throw new UserError(`${loc}: '${name}' takes ${def.params.length} argument(s), got ${args.length} in ${quote(text)}`);
    }
    if (args.length === 0 && this.cache.has(name)) return this.cache.get(name)!;
    if (this.active.includes(name)) throw new UserError(`${loc}: definition of '${name}' refers to itself (${[...this.active, name].join(' → ')})`);
    this.active.push(name);
    try {
      const env = new Map(def.params.map((p, i) => [p, paren(args[i]!)]));
      const body = new ParenthesisNode(this.walk(def.body, env, `${loc} (in def ${name}, line ${def.line})`, `def ${name}`));
      if (args.length === 0) this.cache.set(name, body);
      return body;
    } finally {
      this.active.pop();
    }
  }

  /** D(f, v) = ∂f/∂v by the CAS, cross-checked by difference quotients. */
  private derivative(rawArgs: MathNode[], env: Map<string, MathNode>, loc: string, text: string): MathNode {
    if (rawArgs.length !== 2) throw new UserError(`${loc}: D takes two arguments, D(expr, v), in ${quote(text)}`);
    // The variable: a declared symbol, possibly reached through a definition's parameter.
    let vNode = rawArgs[1] as Ast;
    if (vNode.type === 'SymbolNode' && env.has(vNode['name'] as string)) vNode = env.get(vNode['name'] as string) as Ast;
    while (vNode.type === 'ParenthesisNode') vNode = vNode['content'] as Ast;
    const vName = vNode.type === 'SymbolNode' ? (vNode['name'] as string) : undefined;
    if (!vName || !this.symbols.includes(vName)) {
      throw new UserError(`${loc}: the second argument of D must be a declared symbol, got ${quote(rawArgs[1]!.toString())} in ${quote(text)}`);
    }
    const f = exprText(this.walk(rawArgs[0]!, env, loc, text));
    let result: string;
    try {
      result = this.differentiate(f, vName);
    } catch (e) {
      throw new UserError(`${loc}: ${(e as Error).message.split('\n')[0]}`);
    }
    this.derivatives.push(this.crossCheck(f, vName, result));
    return new ParenthesisNode(parse(result));
  }

  /** Richardson-extrapolated central differences of f against the symbolic derivative. */
  private crossCheck(f: string, v: string, df: string): DerivativeCheck {
    const vars = this.symbols;
    const fn = compileScalar(f, vars);
    const dfn = compileScalar(df, vars);
    const rng = makeRng(this.rngSeed++);
    const j = vars.indexOf(v);
    const p = new Float64Array(vars.length);
    let maxRelErr = 0, used = 0;
    const h = 1e-3;
    for (let k = 0; k < 4; k++) {
      vars.forEach((s, i) => { const [lo, hi] = this.domains[s]!; p[i] = rng.uniform(lo, hi); });
      const x = p[j]!;
      const at = (t: number) => { p[j] = x + t; const y = fn(p); p[j] = x; return y; };
      const d1 = (at(h) - at(-h)) / (2 * h);
      const d2 = (at(h / 2) - at(-h / 2)) / h;
      const fd = (4 * d2 - d1) / 3;
      const sym = dfn(p);
      // A quotient that is not finite (the stencil left the function's domain) is no evidence; a
      // symbolic value that is not finite where the quotient is, is a disagreement.
      if (!Number.isFinite(fd)) continue;
      used++;
      if (!Number.isFinite(sym)) { maxRelErr = Infinity; continue; }
      const scale = Math.max(1, Math.abs(sym), Math.abs(fn(p)));
      maxRelErr = Math.max(maxRelErr, Math.abs(fd - sym) / scale);
    }
    // No usable point compared nothing: not a pass.
    return { f, v, result: df, maxRelErr: used ? maxRelErr : Infinity, ok: used > 0 && maxRelErr <= FD_TOL };
  }
}

/**
 * Exact values of the known functions at 0 (and log at 1): the constants a Taylor coefficient
 * at v = 0 leaves behind. nerdamer's expand keeps a lone `tanh(0)` unevaluated, which would
 * leave its route undecided on an otherwise decided coefficient; folding them is exact.
 */
const AT_ZERO: Record<string, number> = {
  sin: 0, tan: 0, sinh: 0, tanh: 0, atan: 0, asin: 0, asinh: 0, atanh: 0, sqrt: 0,
  cos: 1, cosh: 1, sec: 1, sech: 1, exp: 1,
};

/** Replace f(0) (and log(1)) by its exact value; everything else unchanged. */
export function foldZeroConstants(expr: string): string {
  const folded = parse(expr).transform((m) => {
    if (m.type !== 'FunctionNode') return m;
    const f = m as unknown as { fn: { name?: string }; args: MathNode[] };
    let a = f.args[0] as Ast | undefined;
    while (a && a.type === 'ParenthesisNode') a = a['content'] as Ast;
    if (!a || f.args.length !== 1 || a.type !== 'ConstantNode') return m;
    const name = f.fn.name ?? '';
    const v = a['value'];
    if (v === 0 && name in AT_ZERO) return parse(String(AT_ZERO[name]));
    if (v === 1 && name === 'log') return parse('0');
    return m;
  });
  return folded.toString({ implicit: 'show', parenthesis: 'keep' });
}

/** Parenthesise a node unless it is atomic, so substitution never changes precedence. */
function paren(m: MathNode): MathNode {
  return m.type === 'ParenthesisNode' || m.type === 'SymbolNode' || m.type === 'ConstantNode' ? m : new ParenthesisNode(m);
}
