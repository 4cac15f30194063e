/**
 * The project's one mathjs instance, built by `create` from only what it uses: the parser
 * (with its node classes), `derivative` (always called with `simplify: false`, which
 * evaluates nothing, so no function implementations are needed) and `erf`. Importing named functions
 * from 'mathjs/number' instead would build the whole library (≈0.8 s at start-up); from this
 * instance the bundler keeps only these factories.
 *
 * mathjs builds a function (its typed-function dispatch and every dependency) when it is first
 * read off the instance, which costs tens of milliseconds for `parse` and more for `derivative`.
 * So nothing is read at import: `import 'depthlimit'` pays for it on the first parse.
 *
 * From source (tsx: tests, `npm start`, the CLI, every worker thread), the 40 factories are
 * required as CommonJS on first use, each from its own file (./mathjs-number.ts): the ES build is
 * 651 files, each through tsx's loader hooks (≈1 s CPU per process or thread), and the CommonJS
 * entry, like its dependency maps, loads every factory of the library (≈0.3–0.5 s). The bundle
 * (scripts/build.mjs) swaps ./mathjs-number.ts for static imports of the same factories, which
 * esbuild tree-shakes.
 */
import type { MathJsInstance, MathNode } from 'mathjs/number';
import { mathjsNumber } from './mathjs-number.ts';

let math: MathJsInstance | undefined;
// erf (W. J. Cody's rational approximations) is the numeric erf of compiled code.
const instance = (): MathJsInstance => {
  if (math) return math;
  const { create, factories } = mathjsNumber();
  return (math = create(factories));
};

export const parse = (text: string): MathNode => instance().parse(text);
export const derivative = (...args: Parameters<MathJsInstance['derivative']>): MathNode => instance().derivative(...args);
export const erf = (x: number): number => instance().erf(x) as number;

/** A node class resolved at its first `new` (a constructor that returns an object yields that object). */
function lazyClass<C>(get: () => C): C {
  return function (...args: unknown[]) {
    return new (get() as unknown as new (...a: unknown[]) => object)(...args);
  } as unknown as C;
}
export const ConstantNode = lazyClass(() => instance().ConstantNode);
export const FunctionNode = lazyClass(() => instance().FunctionNode);
export const OperatorNode = lazyClass(() => instance().OperatorNode);
export const ParenthesisNode = lazyClass(() => instance().ParenthesisNode);
export const SymbolNode = lazyClass(() => instance().SymbolNode);
export type { MathNode };
