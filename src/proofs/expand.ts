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
import { ConstantNode, parse, ParenthesisNode, SymbolNode, type MathNode } from '../symbolic/mathjs.ts';
import { diff } from '../symbolic/cas.ts';
import { compileScalar } from '../symbolic/compile.ts';
import { checkImplicitProducts, exprText, isConstantName, KNOWN_FUNCTIONS, parseExpression, parseTree, RESERVED_SYMBOLS } from '../symbolic/parse.ts';
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

/**
 * A sum Σ_{k=lo}^{hi} term with a symbolic limit, kept whole (the step that contains it is checked
 * by induction, src/proofs/induction.ts); in the expanded text it stands as the symbol `name`.
 */
export interface SymbolicSum { name: string; term: string; k: string; lo: string; hi: string }

/** Sums with integer limits are written out; more terms than this is a mistake, not a proof. */
const MAX_SUM_TERMS = 256;

/** Expands the steps of one block; `loc` prefixes every error. */
export class BlockExpander {
  readonly symbols: string[];
  /** Symbolic sums met so far, by placeholder name (one per distinct sum). */
  readonly sums = new Map<string, SymbolicSum>();
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
      // The CAS reads these (i, tau, E, …) as constants; found late, the step would crash.
      if (RESERVED_SYMBOLS.includes(d.name)) throw new UserError(`${path}:${d.line}: block ${block.label}: '${d.name}' is reserved by the CAS (a constant or special name) and cannot be a symbol`);
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
    const { text: s, sums } = this.expandWithSums(text, loc);
    if (sums.length) throw new UserError(`${loc}: a sum with symbolic limits is only allowed in the expressions of an exact step '= …' (checked by induction), in ${quote(text)}`);
    return s;
  }

  /**
   * Like expand, but a sum with a symbolic limit is kept whole: it appears in the text as its
   * placeholder symbol, and is returned in `sums`.
   */
  expandWithSums(text: string, loc: string): { text: string; sums: SymbolicSum[] } {
    const node = parseTree(text, loc);
    // 1/2x, z/2z, e^2z read two ways; the expanded text below is explicit, so check the raw tree.
    checkImplicitProducts(node, text, loc);
    const out = this.walk(node, new Map(), loc, text);
    const s = exprText(out);
    const used = new Set(out.filter((n) => n.type === 'SymbolNode').map((n) => (n as Ast)['name'] as string));
    const sums = [...this.sums.values()].filter((x) => used.has(x.name));
    // Final validation by the symbolic layer's own parser (known functions, declared symbols).
    try {
      parseExpression(s, { symbols: [...this.symbols, ...sums.map((x) => x.name)], what: loc });
    } catch (e) {
      throw new UserError((e as Error).message.split('\n')[0]!);
    }
    return { text: s, sums };
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
        if (name === 'sum') return this.sum(rawArgs, env, loc, text);
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

  /**
   * sum(term, k, lo, hi) = Σ_{k=lo}^{hi} term. Integer limits: written out term by term (empty
   * when hi < lo). A symbolic limit: kept whole as a placeholder symbol (see SymbolicSum).
   */
  private sum(rawArgs: MathNode[], env: Map<string, MathNode>, loc: string, text: string): MathNode {
    if (rawArgs.length !== 4) throw new UserError(`${loc}: sum takes four arguments, sum(term, k, lo, hi), in ${quote(text)}`);
    const kNode = rawArgs[1] as Ast;
    const k = kNode.type === 'SymbolNode' ? (kNode['name'] as string) : '';
    if (!k || !this.symbols.includes(k) || env.has(k)) {
      throw new UserError(`${loc}: the index of a sum must be a declared symbol, got ${quote(rawArgs[1]!.toString())} in ${quote(text)}`);
    }
    const lo = this.walk(rawArgs[2]!, env, loc, text), hi = this.walk(rawArgs[3]!, env, loc, text);
    const loV = integerValue(lo), hiV = integerValue(hi);
    if (loV !== undefined && hiV !== undefined) {
      if (hiV - loV + 1 > MAX_SUM_TERMS) throw new UserError(`${loc}: sum of ${hiV - loV + 1} terms written out (at most ${MAX_SUM_TERMS}); use a symbolic limit, in ${quote(text)}`);
      const terms: MathNode[] = [];
      for (let v = loV; v <= hiV; v++) {
        const bound = new Map(env).set(k, new ParenthesisNode(new ConstantNode(v)));
        terms.push(new ParenthesisNode(this.walk(rawArgs[0]!, bound, loc, text)));
      }
      return terms.length ? new ParenthesisNode(parse(terms.map((t) => exprText(t)).join(' + '))) : new ConstantNode(0);
    }
    for (const [what, node] of [['lower limit', lo], ['upper limit', hi]] as const) {
      if (node.filter((n) => n.type === 'SymbolNode' && (n as Ast)['name'] === k).length) {
        throw new UserError(`${loc}: the ${what} of a sum contains its index ${k}, in ${quote(text)}`);
      }
    }
    const body = exprText(this.walk(rawArgs[0]!, env, loc, text));
    const info = { term: body, k, lo: exprText(lo), hi: exprText(hi) };
    const key = JSON.stringify(info);
    let found = [...this.sums.values()].find((x) => JSON.stringify({ term: x.term, k: x.k, lo: x.lo, hi: x.hi }) === key);
    if (!found) {
      let j = this.sums.size, name = `sum${j}`;
      while (this.symbols.includes(name) || this.defs.has(name)) name = `sum${++j}`;
      found = { name, ...info };
      this.sums.set(name, found);
    }
    return new SymbolNode(found.name);
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
    const fNode = this.walk(rawArgs[0]!, env, loc, text);
    if (fNode.filter((n) => n.type === 'SymbolNode' && this.sums.has((n as Ast)['name'] as string)).length) {
      throw new UserError(`${loc}: D(…) of a sum with symbolic limits is not supported; differentiate the term instead, in ${quote(text)}`);
    }
    const f = exprText(fNode);
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

/** The value of a node without symbols, when it is an integer (a sum's concrete limit). */
function integerValue(node: MathNode): number | undefined {
  if (node.filter((n) => n.type === 'SymbolNode').length) return undefined;
  const v = compileScalar(exprText(node), [])(new Float64Array(0));
  return Number.isInteger(v) ? v : undefined;
}

/** Parenthesise a node unless it is atomic, so substitution never changes precedence. */
function paren(m: MathNode): MathNode {
  return m.type === 'ParenthesisNode' || m.type === 'SymbolNode' || m.type === 'ConstantNode' ? m : new ParenthesisNode(m);
}
