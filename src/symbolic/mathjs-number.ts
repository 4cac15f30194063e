/**
 * The mathjs/number factories the instance in ./mathjs.ts is built from, required (CommonJS) on
 * first use: see there why. Bundles (dist/ by scripts/build.mjs, the interactive page's script)
 * replace this module by `bundleMathjsNumber`'s static imports of the same factories, which
 * esbuild tree-shakes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { create, FactoryFunctionMap } from 'mathjs/number';

export interface MathjsFactories {
  create: typeof create;
  /** What `create` builds the instance from: parse, derivative and erf with all they depend on. */
  factories: FactoryFunctionMap;
}

/**
 * The 40 factories of parse, derivative and erf with everything they depend on, in the order
 * mathjs/number's parseDependencies, derivativeDependencies and erfDependencies list them (the
 * order `create` imports them), and where each lives in mathjs 15's CommonJS build
 * (package-lock.json pins the version). Not those *Dependencies maps themselves: every map's
 * file requires lib/cjs/factoriesNumber.js, which requires every factory of the library (475
 * files, ≈ 0.25 s CPU per process or thread, up to 1 s on busy cores); these files and what they
 * import are 82 (0.30 → 0.16 s CPU for import, parse and derivative, paired medians under load).
 *   'file:createX': the factory of that file, the very object the entry re-exports;
 *   'number:xNumber': factoriesNumber.js's own `factory(x, ['typed'], ({ typed }) => typed(xNumber))`
 *     of the plain number function (lib/cjs/plain/number/), rebuilt here as it writes it;
 *   'none:noX': factoriesNumber.js's `factory(x, [], () => noX)` (utils/noop.js: throws "No … implementation").
 */
const FACTORIES: Record<string, string> = {
  Node: 'expression/node/Node.js:createNode',
  subset: 'none:noSubset',
  AccessorNode: 'expression/node/AccessorNode.js:createAccessorNode',
  ArrayNode: 'expression/node/ArrayNode.js:createArrayNode',
  matrix: 'none:noMatrix',
  AssignmentNode: 'expression/node/AssignmentNode.js:createAssignmentNode',
  ResultSet: 'type/resultset/ResultSet.js:createResultSet',
  BlockNode: 'expression/node/BlockNode.js:createBlockNode',
  ConditionalNode: 'expression/node/ConditionalNode.js:createConditionalNode',
  typed: 'core/function/typed.js:createTyped',
  isBounded: 'function/utils/isBounded.js:createIsBounded',
  ConstantNode: 'expression/node/ConstantNode.js:createConstantNode',
  FunctionAssignmentNode: 'expression/node/FunctionAssignmentNode.js:createFunctionAssignmentNode',
  SymbolNode: 'expression/node/SymbolNode.js:createSymbolNode',
  FunctionNode: 'expression/node/FunctionNode.js:createFunctionNode',
  size: 'function/matrix/size.js:createSize',
  IndexNode: 'expression/node/IndexNode.js:createIndexNode',
  ObjectNode: 'expression/node/ObjectNode.js:createObjectNode',
  OperatorNode: 'expression/node/OperatorNode.js:createOperatorNode',
  ParenthesisNode: 'expression/node/ParenthesisNode.js:createParenthesisNode',
  RangeNode: 'expression/node/RangeNode.js:createRangeNode',
  RelationalNode: 'expression/node/RelationalNode.js:createRelationalNode',
  number: 'type/number.js:createNumber',
  numeric: 'function/utils/numeric.js:createNumeric',
  parse: 'expression/parse.js:createParse',
  equalScalar: 'function/relational/equalScalar.js:createEqualScalarNumber',
  equal: 'function/relational/equal.js:createEqualNumber',
  isZero: 'number:isZeroNumber',
  replacer: 'json/replacer.js:createReplacer',
  resolve: 'function/algebra/resolve.js:createResolve',
  simplifyConstant: 'function/algebra/simplifyConstant.js:createSimplifyConstant',
  add: 'number:addNumber',
  divide: 'number:divideNumber',
  multiply: 'number:multiplyNumber',
  pow: 'number:powNumber',
  subtract: 'number:subtractNumber',
  simplifyCore: 'function/algebra/simplifyCore.js:createSimplifyCore',
  simplify: 'function/algebra/simplify.js:createSimplify',
  derivative: 'function/algebra/derivative.js:createDerivative',
  erf: 'function/special/erf.js:createErf',
};
/** What a factory may depend on besides other factories: the instance's own parts. */
const PROVIDED = new Set(['math', 'mathWithTransform', 'config']);
/** The entry's maps, for the bundle and the fallback. */
const MAPS = ['parseDependencies', 'derivativeDependencies', 'erfDependencies'];

interface Factory {
  (scope: object): unknown;
  isFactory?: boolean;
  fn?: string;
  dependencies?: string[];
}
type FactoryOf = (name: string, dependencies: string[], create: (deps: Record<string, unknown>) => unknown) => Factory;

/** factoriesNumber.js's createNumberFactory: the typed-function of a plain number function (its .signature). */
const numberFactory = (factory: FactoryOf, name: string, fn: unknown): Factory | undefined =>
  typeof fn === 'function' ? factory(name, ['typed'], ({ typed }) => (typed as (f: unknown) => unknown)(fn)) : undefined;
/** factoriesNumber.js's stand-in for what mathjs/number lacks (matrix, subset): a function that throws. */
const noneFactory = (factory: FactoryOf, name: string, fn: unknown): Factory | undefined =>
  typeof fn === 'function' ? factory(name, [], () => fn) : undefined;

let factories: MathjsFactories | undefined;
/** How the factories were loaded: from their files, or (a mathjs that moved them) the whole entry. */
export let mathjsLoadedFrom: 'files' | 'entry' | undefined;

export function mathjsNumber(): MathjsFactories {
  if (factories) return factories;
  const require = createRequire(import.meta.url);
  try {
    // the exports map hides lib/: resolve the package folder, then require the files by path
    const lib = join(dirname(require.resolve('mathjs/package.json')), 'lib', 'cjs');
    const from = (file: string) => require(join(lib, file)) as Record<string, unknown>;
    const factory = from('utils/factory.js').factory as FactoryOf;
    const f: Record<string, Factory> = {};
    for (const [name, where] of Object.entries(FACTORIES)) {
      const [file, key] = where.split(':') as [string, string];
      const made = file === 'number' ? numberFactory(factory, name, from('plain/number/index.js')[key])
        : file === 'none' ? noneFactory(factory, name, from('utils/noop.js')[key])
        : from(file)[key] as Factory | undefined;
      if (made?.isFactory !== true || made.fn !== name) throw new Error('moved');
      f[`create${name[0]!.toUpperCase()}${name.slice(1)}`] = made;
    }
    // nothing a factory needs is missing (a later mathjs whose derivative needs one more
    // function falls back to the entry here instead of failing at its first call)
    const names = new Set(Object.keys(FACTORIES));
    for (const x of Object.values(f)) {
      if (!(x.dependencies ?? []).every((d) => d.startsWith('?') || names.has(d) || PROVIDED.has(d))) throw new Error('moved');
    }
    const { create: make } = from('core/create.js');
    if (typeof make !== 'function') throw new Error('moved');
    mathjsLoadedFrom = 'files';
    return (factories = { create: make as typeof create, factories: f as unknown as FactoryFunctionMap });
  } catch {
    // another layout: the same factories from the public entry, slower to load
    mathjsLoadedFrom = 'entry';
    const entry = require('mathjs/number') as Record<string, unknown>;
    return (factories = { create: entry.create as typeof create, factories: Object.fromEntries(MAPS.map((k) => [k, entry[k]])) as FactoryFunctionMap });
  }
}

/** An esbuild plugin (typed here without esbuild, a devDependency): this module's bundled form. */
export const bundleMathjsNumber = {
  name: 'mathjs-number-static',
  setup(build: { onLoad(o: { filter: RegExp }, load: () => { contents: string; loader: 'ts' }): void }): void {
    build.onLoad({ filter: /[\\/]src[\\/]symbolic[\\/]mathjs-number\.ts$/ }, () => ({
      loader: 'ts',
      contents: `import { create, ${MAPS.join(', ')} } from 'mathjs/number';\nexport const mathjsNumber = () => ({ create, factories: { ${MAPS.join(', ')} } });\n`,
    }));
  },
};
