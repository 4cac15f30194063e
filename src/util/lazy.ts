/**
 * Heavy CommonJS packages (nerdamer, algebrite, katex) load on first use, not when a module that
 * may need them is imported: `import 'depthlimit'` and `depthlimit --help` stay cheap. Their
 * callers are synchronous, so the accessor is `require` (from `createRequire`), which resolves
 * from this package's location in the source tree and in the compiled dist/ alike.
 * Asynchronous paths (playwright-core) use `await import()` instead.
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
