/**
 * Heavy CommonJS packages (nerdamer, algebrite, katex, playwright-core) load on first use, not
 * when a module that may need them is imported: `import 'depthlimit'` and `depthlimit --help` stay
 * cheap. The accessor is `require` (from `createRequire`), which resolves from this package's
 * location in the source tree and in the compiled dist/ alike; even for asynchronous callers it
 * beats `await import()`, which under tsx (source runs, the pool's threads) sends a CommonJS
 * package's files through the ESM loader's hooks and export lexer (playwright-core: ≈0.8 s CPU
 * against ≈0.4 s).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter that requires `id` on its first call (then any add-ons, e.g. nerdamer's Calculus) and caches it. */
export function lazyRequire<T>(id: string, ...addOns: string[]): () => T {
  let mod: T | undefined;
  return () => {
    if (mod === undefined) {
      mod = require(id) as T;
      for (const a of addOns) require(a);
    }
    return mod;
  };
}
