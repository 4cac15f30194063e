/**
 * Load a researcher's own module (a claims file, a notebook) from any folder: `.js`/`.mjs` by
 * plain `import()`, `.ts`/`.mts` through tsx's `tsImport` when tsx is installed (it is in a
 * development checkout; an installed package does not ship it, so a TypeScript file there gets
 * one line saying how to load it). Every failure a user can cause is a UserError naming the file.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from './errors.ts';
import { shownPath } from './io.ts';

const JS = new Set(['.js', '.mjs']);
const TS = new Set(['.ts', '.mts']);

export async function loadUserModule(path: string, what = 'file'): Promise<Record<string, unknown>> {
  if (path.trim() === '') throw new UserError(`${what}: empty path`);
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UserError(`${what}: no such file ${shownPath(path)}`);
  if (!statSync(abs).isFile()) throw new UserError(`${what}: ${shownPath(path)} is not a regular file`);
  const ext = extname(abs);
  if (!JS.has(ext) && !TS.has(ext)) throw new UserError(`${what}: ${shownPath(path)} must be a .js, .mjs, .ts or .mts file`);
  const url = pathToFileURL(abs).href;
  let tsImport: ((specifier: string, parent: string) => Promise<unknown>) | undefined;
  if (TS.has(ext)) {
    try {
      ({ tsImport } = (await import('tsx/esm/api')) as { tsImport: typeof tsImport });
    } catch {
      throw new UserError(`${what}: ${path} is TypeScript: install tsx (npm i -D tsx) to load it, or pass the compiled .js`);
    }
  }
  let ns: Record<string, unknown>;
  try {
    ns = (tsImport ? await tsImport(url, import.meta.url) : await import(url)) as Record<string, unknown>;
  } catch (e) {
    // Whatever the module throws while loading (a syntax error, a UserError from defineClaim)
    // names the file the same way on the .js and the .ts path.
    // esbuild (through tsx) says 'Transform failed with 1 error:' first and the reason on the next line.
    const lines = ((e as Error)?.message ?? String(e)).split('\n').filter((l) => l.trim() !== '');
    const first = (/^Transform failed/.test(lines[0] ?? '') && lines[1] ? lines[1] : lines[0] ?? '').slice(0, 300);
    throw new UserError(`${what}: cannot load ${path}: ${first}`);
  }
  // Outside an ESM package ("type": "module") tsx compiles a .ts file to CommonJS: its exports
  // then arrive as the namespace's default, marked __esModule. Unwrap them, or the file's
  // default export would be found at .default.default.
  const cjs = ns['default'] as Record<string, unknown> | undefined;
  return tsImport && cjs && typeof cjs === 'object' && cjs['__esModule'] === true ? { ...cjs } : ns;
}
