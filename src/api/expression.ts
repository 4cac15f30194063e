/**
 * Expression objects: what the public API returns instead of bare strings. One expression, four
 * views: the engine's text (which every depthlimit function and command reads back), KaTeX-clean
 * TeX, SymPy syntax for `sympy.sympify`, and a compiled JavaScript function over Float64Array.
 *
 * The text is the truth; the polynomial behind TeX and compile() is parsed from it once, on
 * first use, by the engine's own parser (symbolic/parse.ts, series.ts), so nothing here is a
 * second implementation of the algebra.
 */
import { compilePolys } from '../symbolic/poly-compile.ts';
import { exprText, parseExpression } from '../symbolic/parse.ts';
import { activationsByDefinition } from '../symbolic/taylor-mathjs.ts';
import * as P from '../symbolic/poly.ts';
import { texOf, texVector } from '../symbolic/render.ts';
import { polyOf } from '../symbolic/series.ts';
import { UserError } from '../util/errors.ts';

/** The time variable of every expression (bound to the `t` argument of a compiled function). */
const TIME = 't';

/** What every expression object shows: its text in three languages, and its symbols. */
export interface ExpressionViews {
  /** The engine's text: mathjs/nerdamer syntax (`^` for powers), readable by every depthlimit function. */
  readonly text: string;
  /** KaTeX-clean TeX. */
  readonly tex: string;
  /** SymPy syntax that `sympy.sympify` accepts (`**` for powers, `Symbol('gamma')` for names SymPy reserves). */
  readonly sympy: string;
  /** Free symbols, sorted. */
  readonly symbols: readonly string[];
  /** The symbols bound to `x[0]`, `x[1]`, … of a compiled function, in that order. */
  readonly state: readonly string[];
  /** Symbols that need a value to compile: every free symbol except the state and `t`, sorted. */
  readonly params: readonly string[];
  /** The text. */
  toString(): string;
}

/**
 * A scalar expression in the state variables, the time `t` and parameters.
 *
 * @example
 * ```ts
 * import { derive } from 'depthlimit';
 * const f = derive({ layer: 'map', map: 'x + eps*(a*x - x^3)' }, { order: 1 }).ode.components[0];
 * console.log(f.text);
 * console.log(f.tex);
 * console.log(f.sympy);
 * console.log(f.compile({ a: 2 })(0, [0.5]));
 * //> a*x - x^3
 * //> a x - x^{3}
 * //> a*x - x**3
 * //> 0.875
 * ```
 */
export interface Expression extends ExpressionViews {
  /**
   * A fast JS function `(t, x) => value`, the parameters fixed at `values`. It allocates nothing
   * per call. Throws UserError when a parameter has no finite value, a value names no
   * parameter, or the expression holds a generic g (it has no numeric value).
   */
  compile(values?: Record<string, number>): (t: number, x: ArrayLike<number>) => number;
}

/**
 * A vector of expressions (a field, a map, a coefficient F_j), one per state component. Its
 * `text` joins the components with `'; '` (the syntax of the CLI's `--map` / `--field`), its
 * `tex` is a column vector (pmatrix; the single entry when d = 1), its `sympy` is
 * `Matrix([c1, c2, ...])`, its symbols and params are the union of its components'.
 */
export interface VectorExpression extends ExpressionViews {
  readonly components: readonly Expression[];
  /**
   * A fast JS field `(t, x, out) => void` writing every component into `out` (the numeric
   * convention of depthlimit: Float64Array state, caller-owned output, no allocation per call).
   * Same errors as {@link Expression.compile}.
   */
  compile(values?: Record<string, number>): (t: number, x: ArrayLike<number>, out: Float64Array) => void;
}

/** How an expression was made: its state variables and what its parameters may be called. */
export interface ExpressionContext {
  state: readonly string[];
  /** Parameter names the owner knows (values for these are accepted even where a component lacks them). */
  ownerParams?: readonly string[];
  /** The expression may hold a generic g (its jets g0_1 …, or g(…) in a layer map). */
  generic?: boolean;
}

// --- SymPy ------------------------------------------------------------------------------------

/** The engine's function names; SymPy spells every one of them the same way with the same meaning. */
const SYMPY_FUNCTIONS = new Set([
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth',
  'exp', 'log', 'sqrt', 'atan', 'asin', 'acos', 'erf',
]);
/**
 * Names `sympify` reads as plain symbols in every SymPy version: one lowercase letter with
 * optional digits (x1, a12, t), the step eps, the jets g0_1. Everything else (gamma, beta and
 * zeta are SymPy functions, lambda is a Python keyword, E, I, N, O, Q, S are SymPy objects, and
 * new versions add names) is written Symbol('name'), which is always a symbol.
 */
const PLAIN = /^(?:[a-z]\d*|eps|g\d+(?:_\d+)?)$/;
const CONSTANTS: ReadonlyMap<string, string> = new Map([['pi', 'pi'], ['e', 'E']]);
/** A jet of a generic g: g{k} (d = 1, at x) or g{k}_{i} (at x_i), the k-th derivative of g there. */
const JET_NAME = /^g(\d+)(?:_(\d+))?$/;

function sympyJet(k: number, i: string | undefined): string {
  const x = i === undefined ? 'x' : `x${i}`;
  const g = `Function('g')(${x})`;
  return k === 0 ? g : k === 1 ? `Derivative(${g}, ${x})` : `Derivative(${g}, (${x}, ${k}))`;
}

/**
 * SymPy syntax of one expression in the engine's text. With `generic`, g(…) is SymPy's
 * undefined function g and a jet g{k}_{i} is the k-th derivative of g at x_i.
 */
export function sympyOf(text: string, generic = false): string {
  // SymPy has erf but no sigmoid, softplus, silu/swish: write them by their definitions.
  if (/\b(sigmoid|softplus|silu|swish)\s*\(/.test(text)) text = exprText(activationsByDefinition(parseExpression(text, { functions: generic ? ['g'] : [] })));
  return text
    .replace(/(?<![\w.])([A-Za-z_]\w*)(\s*\()?/g, (_m, name: string, paren: string | undefined) => {
      if (paren) {
        if (SYMPY_FUNCTIONS.has(name)) return `${name}(`;
        if (generic && name === 'g') return `Function('g')(`;
        throw new Error(`sympyOf: no SymPy spelling for function ${name}`);
      }
      const constant = CONSTANTS.get(name);
      if (constant !== undefined) return constant;
      const jet = generic ? JET_NAME.exec(name) : null;
      if (jet) return sympyJet(Number(jet[1]), jet[2]);
      return PLAIN.test(name) ? name : `Symbol('${name}')`;
    })
    .replace(/\^/g, '**');
}

// --- implementation ---------------------------------------------------------------------------

const JET = /^g\d+(?:_\d+)?$/;

function checkValues(values: Record<string, number>, params: readonly string[], known: ReadonlySet<string>): void {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new UserError(`compile: the values must be an object such as { a: 1 }, got ${values === null ? 'null' : Array.isArray(values) ? 'an array' : typeof values}`);
  for (const k of Object.keys(values)) {
    if (!known.has(k)) throw new UserError(`value given for '${k}', which is not a parameter (parameters: ${[...known].sort().join(', ') || 'none'})`);
    if (!Number.isFinite(values[k])) throw new UserError(`parameter ${k}: value ${values[k]} is not finite`);
  }
  for (const p of params) {
    if (!Object.hasOwn(values, p)) throw new UserError(`no value for parameter ${p} (give it in compile({ ${p}: ... }))`);
  }
}

class Scalar implements Expression {
  readonly text: string;
  readonly state: readonly string[];
  #ctx: ExpressionContext;
  #poly: P.Poly | undefined;
  #symbols: string[] | undefined;

  constructor(text: string, ctx: ExpressionContext, poly?: P.Poly) {
    this.text = text;
    this.state = ctx.state;
    this.#ctx = ctx;
    this.#poly = poly;
  }

  /** The polynomial, parsed once from the text by the engine's parser. */
  get poly(): P.Poly {
    this.#poly ??= polyOf(parseExpression(this.text, { allowConstants: true, functions: this.#ctx.generic ? ['g'] : [], what: 'expression' }));
    return this.#poly;
  }
  get tex(): string { return texOf(this.poly); }
  get sympy(): string { return sympyOf(this.text, this.#ctx.generic); }
  get symbols(): readonly string[] {
    this.#symbols ??= [...P.symbolsOf(this.poly)].sort();
    return this.#symbols;
  }
  get params(): readonly string[] { return this.symbols.filter((s) => !this.state.includes(s) && s !== TIME); }
  compile(values: Record<string, number> = {}): (t: number, x: ArrayLike<number>) => number {
    const f = compileVector([this], this.#ctx, values);
    const out = new Float64Array(1);
    return (t, x) => { f(t, x, out); return out[0]!; };
  }
  toString(): string { return this.text; }
  toJSON(): string { return this.text; }
}

/** One straight-line function for all components (shared subexpressions computed once). */
function compileVector(comps: readonly Scalar[], ctx: ExpressionContext, values: Record<string, number>): (t: number, x: ArrayLike<number>, out: Float64Array) => void {
  const params = [...new Set(comps.flatMap((c) => c.params))].sort();
  if (ctx.generic && (params.some((p) => JET.test(p)) || comps.some((c) => /\bg\s*\(/.test(c.text)))) {
    throw new UserError('a generic g has no numeric value; derive with a concrete g to compile');
  }
  checkValues(values, params, new Set([...params, ...(ctx.ownerParams ?? [])]));
  const d = ctx.state.length;
  const vars = [...ctx.state, TIME, ...params];
  const fn = compilePolys(comps.map((c) => c.poly), vars);
  const args = new Float64Array(vars.length);
  params.forEach((p, i) => { args[d + 1 + i] = values[p]!; });
  return (t, x, out) => {
    if (x.length !== d) throw new UserError(`state has ${x.length} entries, expected ${d} (${ctx.state.join(', ')})`);
    // a shorter out would drop the components it cannot hold (typed arrays ignore such writes)
    if (out.length < comps.length) throw new UserError(`out has ${out.length} entries, expected at least ${comps.length}`);
    for (let i = 0; i < d; i++) args[i] = x[i]!;
    args[d] = t;
    fn(args, out);
  };
}

class Vector implements VectorExpression {
  readonly components: readonly Scalar[];
  readonly state: readonly string[];
  #ctx: ExpressionContext;
  #tex: string | undefined;

  constructor(components: readonly Scalar[], ctx: ExpressionContext, tex?: string) {
    this.components = components;
    this.state = ctx.state;
    this.#ctx = ctx;
    this.#tex = tex;
  }
  get generic(): boolean { return this.#ctx.generic ?? false; }
  get text(): string { return this.components.map((c) => c.text).join('; '); }
  get tex(): string {
    this.#tex ??= texVector(this.components.map((c) => c.tex));
    return this.#tex;
  }
  get sympy(): string { return `Matrix([${this.components.map((c) => c.sympy).join(', ')}])`; }
  get symbols(): readonly string[] { return [...new Set(this.components.flatMap((c) => c.symbols))].sort(); }
  get params(): readonly string[] { return this.symbols.filter((s) => !this.state.includes(s) && s !== TIME); }
  compile(values: Record<string, number> = {}): (t: number, x: ArrayLike<number>, out: Float64Array) => void {
    return compileVector(this.components, this.#ctx, values);
  }
  toString(): string { return this.text; }
  toJSON(): string[] { return this.components.map((c) => c.text); }
}

/** An expression object from the engine's text (validated lazily, on first TeX/compile). */
export function scalarExpression(text: string, ctx: ExpressionContext): Expression {
  return new Scalar(text, ctx);
}

/** A vector expression from component texts; `tex` when the engine already typeset it. */
export function vectorExpression(texts: readonly string[], ctx: ExpressionContext, tex?: string): VectorExpression {
  return new Vector(texts.map((t) => new Scalar(t, ctx)), ctx, tex);
}

/** The polynomial behind an expression made here (for api modules that need the algebra). */
export function polyOfExpression(e: Expression): P.Poly {
  if (!(e instanceof Scalar)) throw new UserError('not an expression made by depthlimit');
  return e.poly;
}

/** Was this vector made from a generic-g derivation (jets, no numeric value)? */
export function isGenericExpression(v: VectorExpression): boolean {
  return v instanceof Vector && v.generic;
}
