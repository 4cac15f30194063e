/**
 * The second, independent route to derivatives: mathjs's symbolic `derivative` (a different
 * engine from our polynomial algebra and from nerdamer), applied k times to the whole
 * expression, each result compiled to JS. The results are unsimplified trees, so they are
 * compared with route 1 at random points, never printed.
 *
 * mathjs knows the elementary functions but not the activations, so they are rewritten first,
 * by their definitions, written here independently of poly.ts's derivative rules:
 *   sigmoid(u) = 1/(1 + e^{−u}),  softplus(u) = log(1 + e^u),  silu(u) = swish(u) = u/(1 + e^{−u}),
 *   erf(u) = erf(s) + Σ_{m=1}^{k} (2/√π) (−1)^{m−1} H_{m−1}(s) e^{−s²} (u − s)^m / m!
 * (H_n the Hermite polynomials, erf^{(m)} = (2/√π) (−1)^{m−1} H_{m−1} e^{−s²}), with a fresh
 * symbol s bound to u's value at the evaluation point: there the first k derivatives of the
 * polynomial equal those of erf(u).
 */
import { ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode, derivative, parse, type MathNode } from './mathjs.ts';
import { UserError } from '../util/errors.ts';
import { compileNode } from './compile.ts';
import { nodeCount, parseExpression, substitute } from './parse.ts';

const DEFINITIONS: ReadonlyMap<string, string> = new Map([
  ['sigmoid', '1/(1 + exp(-(U)))'],
  ['softplus', 'log(1 + exp(U))'],
  ['silu', '(U)/(1 + exp(-(U)))'],
  ['swish', '(U)/(1 + exp(-(U)))'],
]);

/** Physicists' Hermite polynomials H_0…H_n in s, as text: H_{j+1} = 2s H_j − 2j H_{j−1}. */
function hermite(n: number): string[] {
  const H = ['1', '2*s'];
  for (let j = 1; H.length <= n; j++) H.push(`(2*s*(${H[j]}) - ${2 * j}*(${H[j - 1]}))`);
  return H.slice(0, n + 1);
}

function erfPolynomial(k: number): string {
  const H = hermite(Math.max(0, k - 1));
  let fact = 1;
  const terms = ['erf(s)'];
  for (let m = 1; m <= k; m++) {
    fact *= m;
    terms.push(`(2/sqrt(pi))*(${m % 2 ? 1 : -1})*(${H[m - 1]})*exp(-s^2)*(U - s)^${m}/${fact}`);
  }
  return terms.join(' + ');
}

/** sigmoid, softplus, silu, swish replaced by their definitions in exp and log (for engines without them: mathjs, SymPy). */
export function activationsByDefinition(node: MathNode): MathNode {
  return node.transform((m: MathNode) => {
    if (m.type !== 'FunctionNode') return m;
    const f = m as unknown as { fn: MathNode & { name: string }; args: MathNode[] };
    const def = DEFINITIONS.get(f.fn.name);
    const args = f.args.map(activationsByDefinition);
    return def !== undefined ? new ParenthesisNode(substitute(parse(def), new Map([['U', args[0]!]]))) : new FunctionNode(f.fn, args);
  });
}

/** A tree mathjs can differentiate k times, and the erf anchors s_j with the arguments they stand for. */
export function forMathjs(node: MathNode, k: number): { node: MathNode; anchors: { name: string; arg: MathNode }[] } {
  const anchors: { name: string; arg: MathNode }[] = [];
  const rewrite = (n: MathNode): MathNode => n.transform((m: MathNode) => {
    if (m.type !== 'FunctionNode') return m;
    const f = m as unknown as { fn: MathNode & { name: string }; args: MathNode[] };
    const arg = rewrite(f.args[0]!);
    const def = DEFINITIONS.get(f.fn.name);
    if (def !== undefined) return new ParenthesisNode(substitute(parse(def), new Map([['U', arg]])));
    if (f.fn.name === 'erf') {
      const name = `_s${anchors.length}`; // not a user name (names start with a letter)
      anchors.push({ name, arg: f.args[0]! });
      return new ParenthesisNode(substitute(parse(erfPolynomial(k)), new Map<string, MathNode>([['U', arg], ['s', new SymbolNode(name)]])));
    }
    return new FunctionNode(f.fn, [arg]);
  });
  return { node: rewrite(node), anchors };
}

/**
 * u^n (n a small natural literal) → u·u·…·u: mathjs differentiates u^n into u^(n−1−1−…),
 * which turns into 0^(−1)·0 = NaN at ε = 0 once the exponent goes negative.
 */
function unrollPowers(node: MathNode): MathNode {
  return node.transform((m) => {
    const op = m as MathNode & { fn?: string; args?: MathNode[] };
    if (m.type !== 'OperatorNode' || op.fn !== 'pow') return m;
    const [base, ex] = op.args as [MathNode, MathNode];
    const n = ex.type === 'ConstantNode' ? (ex as unknown as { value: unknown }).value : undefined;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 12) return m;
    // Fresh copies: mathjs's derivative goes wrong when one node object appears twice in a tree.
    const b = (): MathNode => new ParenthesisNode(unrollPowers(base).cloneDeep());
    let prod: MathNode = b();
    for (let j = 1; j < n; j++) prod = new OperatorNode('*', 'multiply', [prod, b()]);
    return new ParenthesisNode(prod);
  });
}

const substituteZero = (node: MathNode, v: string): MathNode =>
  node.transform((m) => (m.type === 'SymbolNode' && (m as unknown as { name: string }).name === v ? new ConstantNode(0) : m));

/**
 * Largest derivative tree mathjs is asked to build and compile: unsimplified repeated
 * differentiation multiplies the tree by about 6 per order (tanh layer, d = 1: 0.3 M nodes at
 * ε⁷, 1.9 M at ε⁸, 1.5 s to build and seconds more to compile), so beyond this the route stops.
 */
export const MAX_DERIVATIVE_NODES = 600_000;

/**
 * ∂^j node/∂v^j for j = 0…k by mathjs, compiled over vars. With `atZero`, v is set to 0 after
 * differentiating (and v must not be among vars); otherwise v is one of vars. With `maxNodes`,
 * stops early (fewer than k + 1 results) when the next tree is predicted (by the growth of the
 * last step) to exceed it.
 */
export function mathjsDerivatives(node: MathNode, v: string, k: number, vars: readonly string[], atZero: boolean, maxNodes = Infinity): ((args: ArrayLike<number>) => number)[] {
  const { node: rewritten, anchors } = forMathjs(node, k);
  const all = [...vars, ...anchors.map((a) => a.name)];
  const anchorAt = anchors.map((a) => compileNode(atZero ? substituteZero(a.arg, v) : a.arg, vars));
  const buf = new Float64Array(all.length);
  const bind = (f: (a: ArrayLike<number>) => number) => (args: ArrayLike<number>): number => {
    for (let i = 0; i < vars.length; i++) buf[i] = args[i]!;
    for (let j = 0; j < anchorAt.length; j++) buf[vars.length + j] = anchorAt[j]!(args);
    return f(buf);
  };
  let cur = unrollPowers(rewritten);
  const out: ((args: ArrayLike<number>) => number)[] = [];
  let size = Number.isFinite(maxNodes) ? nodeCount(cur) : 0, growth = 1;
  for (let j = 0; j <= k; j++) {
    if (j > 0 && size * Math.max(growth, 2) > maxNodes) break;
    if (j > 0) {
      try {
        cur = derivative(cur, v, { simplify: false }) as MathNode;
      } catch (e) {
        throw new UserError(`mathjs derivative failed: ${(e as Error).message.split('\n')[0]}`);
      }
      if (Number.isFinite(maxNodes)) { const n = nodeCount(cur); growth = n / size; size = n; }
    }
    out.push(bind(compileNode(atZero ? substituteZero(cur, v) : cur, all)));
  }
  return out;
}

/**
 * c_j(args) = (∂^j expr/∂v^j)|_{v=0} / j!, j = 0…k, compiled over vars (v must not be among
 * them); fewer than k + 1 when the derivative trees outgrow maxNodes.
 */
export function taylorByMathjs(expr: string, v: string, k: number, vars: readonly string[], maxNodes = Infinity): ((args: ArrayLike<number>) => number)[] {
  const ds = mathjsDerivatives(parseExpression(expr, { functions: [] }), v, k, vars, true, maxNodes);
  let fact = 1;
  return ds.map((f, j) => {
    if (j > 0) fact *= j;
    const scale = 1 / fact;
    return (a: ArrayLike<number>) => scale * f(a);
  });
}
