/**
 * Algebrite 1.4.0, loaded with one fix to its term sorter. `add_terms` (and two other sorters) sort a
 * slice of the evaluation stack and then rebuild the WHOLE stack array (slice + concat + concat),
 * and that array is 100,000 long (its frames live at the top end): every sum Algebrite
 * normalises copied 100,000 pointers. Checking proofs/ spent 20 of its 24 CPU seconds in those
 * copies. The fix writes the sorted slice back in place, which leaves the same contents in the
 * same array (nothing else holds a reference to `stack`). The package file is read and compiled
 * as is, with only those three expressions replaced; a version whose text differs is loaded
 * unchanged (slower, still right). test/symbolic/algebrite.test.ts compares both on real input.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction } from 'node:vm';

const require = createRequire(import.meta.url);

/** The expression that copies the whole stack, as algebrite 1.4.0's dist/algebrite.js spells it (3 times). */
export const SLOW_STACK_COPY = 'stack.slice(0, h).concat(subsetOfStack).concat(stack.slice(h + n))';
const OCCURRENCES = 3;
/** Its replacement: the same array with the sorted slice written back (so `stack = …` and `return stack = …` keep their meaning). */
const IN_PLACE = '__depthlimitWriteBack(stack, h, subsetOfStack)';
const WRITE_BACK = 'function __depthlimitWriteBack(s, h, sorted) { for (var k = 0; k < sorted.length; k++) s[h + k] = sorted[k]; return s; }\n';

/** The little of Algebrite's API depthlimit uses (it keeps global state: call clearall). */
export interface Algebrite {
  run(input: string): string;
  clearall(): void;
  /** true when the in-place sort was applied */
  readonly patched: boolean;
}

/** A fresh Algebrite instance (its own global state): the package's code with the in-place sort when it applies. */
export function loadAlgebrite(options: { patch?: boolean } = {}): Algebrite {
  const path = require.resolve('algebrite');
  const source = readFileSync(path, 'utf8');
  const parts = source.split(SLOW_STACK_COPY);
  const patch = (options.patch ?? true) && parts.length === OCCURRENCES + 1;
  const code = patch ? WRITE_BACK + parts.join(IN_PLACE) : source;
  const wrapper = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path });
  const module = { exports: {} as Record<string, unknown> };
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  Object.defineProperty(module.exports, 'patched', { value: patch, enumerable: false });
  return module.exports as unknown as Algebrite;
}

let shared: Algebrite | undefined;
/** The process's Algebrite (loaded on first use; callers `clearall()` before each run). */
export function algebrite(): Algebrite {
  return (shared ??= loadAlgebrite());
}
