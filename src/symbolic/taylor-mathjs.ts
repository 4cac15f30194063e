/**
 * The second, independent route to Taylor coefficients: mathjs's symbolic `derivative`
 * (a different engine from our polynomial algebra and from nerdamer) applied k times to the
 * whole expression in ε, ε := 0 substituted, each coefficient compiled to JS. The results are
 * unsimplified trees, so they are compared with route 1 at random points, never printed.
 */
import { ConstantNode, derivative, type MathNode } from 'mathjs/number';
import { UserError } from '../util/errors.ts';
import { compileNode } from './compile.ts';
import { parseExpression } from './parse.ts';

/** c_j(args) = (∂^j expr/∂v^j)|_{v=0} / j!, j = 0…k, compiled over vars (v must not be among them). */
export function taylorByMathjs(expr: string, v: string, k: number, vars: readonly string[]): ((args: ArrayLike<number>) => number)[] {
  let node: MathNode = parseExpression(expr, { allowConstants: true });
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
