/**
 * The second, independent route to Taylor coefficients: mathjs's symbolic `derivative`
 * (a different engine from our polynomial algebra and from nerdamer) applied k times to the
 * whole expression in ε, ε := 0 substituted, each coefficient compiled to JS. The results are
 * unsimplified trees, so they are compared with route 1 at random points, never printed.
 */
import { ConstantNode, OperatorNode, ParenthesisNode, derivative, type MathNode } from './mathjs.ts';
import { UserError } from '../util/errors.ts';
import { compileNode } from './compile.ts';
import { parseExpression } from './parse.ts';

/** c_j(args) = (∂^j expr/∂v^j)|_{v=0} / j!, j = 0…k, compiled over vars (v must not be among them). */
export function taylorByMathjs(expr: string, v: string, k: number, vars: readonly string[]): ((args: ArrayLike<number>) => number)[] {
  // u^n (n a small natural literal) → u·u·…·u: mathjs differentiates u^n into u^(n−1−1−…),
  // which turns into 0^(−1)·0 = NaN at ε = 0 once the exponent goes negative.
  let node: MathNode = parseExpression(expr, { allowConstants: true }).transform((m) => {
    const op = m as MathNode & { fn?: string; args?: MathNode[] };
    if (m.type !== 'OperatorNode' || op.fn !== 'pow') return m;
    const [base, ex] = op.args as [MathNode, MathNode];
    const n = ex.type === 'ConstantNode' ? (ex as unknown as { value: unknown }).value : undefined;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 12) return m;
    // Fresh copies: mathjs's derivative goes wrong when one node object appears twice in a tree.
    const b = (): MathNode => new ParenthesisNode(base.cloneDeep());
    let prod: MathNode = b();
    for (let j = 1; j < n; j++) prod = new OperatorNode('*', 'multiply', [prod, b()]);
    return new ParenthesisNode(prod);
  });
  const out: ((args: ArrayLike<number>) => number)[] = [];
  let fact = 1;
  for (let j = 0; j <= k; j++) {
    if (j > 0) {
      try {
        node = derivative(node, v, { simplify: false }) as MathNode;
      } catch (e) {
        throw new UserError(`mathjs derivative failed: ${(e as Error).message.split('\n')[0]}`);
      }
      fact *= j;
    }
    const at0 = node.transform((m) => ((m as MathNode & { name?: string }).type === 'SymbolNode' && (m as unknown as { name: string }).name === v ? new ConstantNode(0) : m));
    const f = compileNode(at0, vars);
    const scale = 1 / fact;
    out.push((a) => scale * f(a));
  }
  return out;
}
