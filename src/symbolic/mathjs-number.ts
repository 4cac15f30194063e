/**
 * The mathjs/number factories the instance in ./mathjs.ts is built from, required (CommonJS) on
 * first use: see there why. Bundles (dist/ by scripts/build.mjs, the interactive page's script)
 * replace this module by `bundleMathjsNumber`'s static imports of the same factories, which
 * esbuild tree-shakes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { create, derivativeDependencies, erfDependencies, parseDependencies } from 'mathjs/number';

export interface MathjsFactories {
  create: typeof create;
  parseDependencies: typeof parseDependencies;
  derivativeDependencies: typeof derivativeDependencies;
  erfDependencies: typeof erfDependencies;
}

/**
 * Where each factory lives in mathjs 15's CommonJS build (package-lock.json pins the version).
 * mathjs/number's entry builds every factory of the library (≈0.5 s CPU per process or thread);
 * these four files and what they import, ≈0.2 s. The same module objects: the entry re-exports them.
 */
const FILES: Record<keyof MathjsFactories, string> = {
  create: 'core/create.js',
  parseDependencies: 'entry/dependenciesNumber/dependenciesParse.generated.js',
  derivativeDependencies: 'entry/dependenciesNumber/dependenciesDerivative.generated.js',
  erfDependencies: 'entry/dependenciesNumber/dependenciesErf.generated.js',
};
const FACTORIES = Object.keys(FILES) as (keyof MathjsFactories)[];

let factories: MathjsFactories | undefined;
/** How the factories were loaded: from their files, or (a mathjs that moved them) the whole entry. */
export let mathjsLoadedFrom: 'files' | 'entry' | undefined;

export function mathjsNumber(): MathjsFactories {
  if (factories) return factories;
  const require = createRequire(import.meta.url);
  try {
    // the exports map hides lib/: resolve the package folder, then require the files by path
    const lib = join(dirname(require.resolve('mathjs/package.json')), 'lib', 'cjs');
    const f = Object.fromEntries(FACTORIES.map((k) => [k, (require(join(lib, FILES[k])) as Record<string, unknown>)[k]]));
    if (FACTORIES.some((k) => typeof f[k] !== 'function' && typeof f[k] !== 'object')) throw new Error('moved');
    mathjsLoadedFrom = 'files';
    return (factories = f as unknown as MathjsFactories);
  } catch {
    // another layout: the same factories from the public entry, slower to load
    mathjsLoadedFrom = 'entry';
    return (factories = require('mathjs/number') as MathjsFactories);
  }
}

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
