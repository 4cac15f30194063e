/**
 * The mathjs/number factories the instance in ./mathjs.ts is built from, required (CommonJS) on
 * first use: see there why. Bundles (dist/ by scripts/build.mjs, the interactive page's script)
 * replace this module by `bundleMathjsNumber`'s static imports of the same factories, which
 * esbuild tree-shakes.
 */
import type { create, derivativeDependencies, erfDependencies, parseDependencies } from 'mathjs/number';
import { lazyRequire } from '../util/lazy.ts';

export interface MathjsFactories {
  create: typeof create;
  parseDependencies: typeof parseDependencies;
  derivativeDependencies: typeof derivativeDependencies;
  erfDependencies: typeof erfDependencies;
}
const FACTORIES: (keyof MathjsFactories)[] = ['create', 'parseDependencies', 'derivativeDependencies', 'erfDependencies'];

export const mathjsNumber = lazyRequire<MathjsFactories>('mathjs/number');

/** An esbuild plugin (typed here without esbuild, a devDependency): this module's bundled form. */
export const bundleMathjsNumber = {
  name: 'mathjs-number-static',
  setup(build: { onLoad(o: { filter: RegExp }, load: () => { contents: string; loader: 'ts' }): void }): void {
    build.onLoad({ filter: /[\\/]src[\\/]symbolic[\\/]mathjs-number\.ts$/ }, () => ({
      loader: 'ts',
      contents: `import { ${FACTORIES.join(', ')} } from 'mathjs/number';\nexport const mathjsNumber = () => ({ ${FACTORIES.join(', ')} });\n`,
    }));
  },
};
