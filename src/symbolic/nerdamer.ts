/**
 * nerdamer 1.1.13 with its Calculus add-on (and Algebra, which Calculus requires), loaded on first
 * use, with two speed fixes that change no answer. nerdamer keys every sum by its text (the hash),
 * recomputed at every insertion of a term, and
 *   1. `collectSymbols` ends in `collected.sort(sort_fn)`, nearly always without a comparator: the
 *      default sort converts BOTH operands to text at EVERY comparison (ECMAScript's SortCompare),
 *      and a term's text is a recursive print of the whole term. Fixed: each term printed once,
 *      then sorted by those texts: the same comparisons (code-unit order of the same strings,
 *      undefined last) in a stable sort, hence the same order, as printing is pure (text() reads
 *      a symbol, never writes it);
 *   2. the text of a sum (hash or print) collects its terms sorted as in 1, prints them, and sorts
 *      the printed texts again before joining them: the first sort cannot change the result (the
 *      joined sorted texts depend only on which texts there are). Fixed: collected unsorted.
 * Checking proofs/ spent about 30% of nerdamer's time in these prints. The package's files are read
 * and compiled as they are, with only those expressions replaced (as src/symbolic/algebrite.ts does
 * for Algebrite); a version whose text differs is loaded unchanged (slower, still right).
 * test/symbolic/nerdamer.test.ts compares both on real input.
 */
import type Nerdamer from 'nerdamer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';

const require = createRequire(import.meta.url);

/** The replaced expressions, as nerdamer 1.1.13's nerdamer.core.js spells them, and how often each occurs. */
export const PATCHES: readonly { find: string; replace: string; count: number }[] = [
  {
    find: 'return collected.sort(sort_fn);',
    replace: 'return sort_fn === undefined ? __depthlimitSortByText(collected) : collected.sort(sort_fn);',
    count: 1,
  },
  {
    find: 'value = obj.collectSymbols().map(function (x) {',
    replace: 'value = obj.collectSymbols(undefined, undefined, __depthlimitKeepOrder).map(function (x) {',
    count: 2,
  },
];

/**
 * `items.sort()` with each item converted to its string once (in place, like sort): undefined
 * last, the rest by their strings in code-unit order, ties in their order (a stable sort).
 */
const PRELUDE = `function __depthlimitSortByText(items) {
  var keyed = [], undefs = 0, i;
  for (i = 0; i < items.length; i++) { if (items[i] === undefined) undefs++; else keyed.push({ key: String(items[i]), item: items[i] }); }
  keyed.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
  for (i = 0; i < keyed.length; i++) items[i] = keyed[i].item;
  for (; i < keyed.length + undefs; i++) items[i] = undefined;
  return items;
}
function __depthlimitKeepOrder() { return 0; }
`;

/** The same in TypeScript, for the test that compares it with Array.prototype.sort. */
export const sortByText: <T>(items: T[]) => T[] = compileFunction(`${PRELUDE}return __depthlimitSortByText;`)() as <T>(items: T[]) => T[];

export interface LoadedNerdamer {
  nerdamer: typeof Nerdamer;
  /** true when both fixes were applied */
  readonly patched: boolean;
}

/**
 * A fresh nerdamer (its own core, with Algebra and Calculus attached to it), the fixes applied
 * unless `patch: false` or the package's text differs. Its files are compiled here with a
 * `require` that resolves the add-ons' `./nerdamer.core.js`, `./Algebra.js` and `./Calculus.js`
 * to this copy (the add-ons require each other: a module's exports are registered before it runs,
 * as Node does).
 */
export function loadNerdamer(options: { patch?: boolean } = {}): LoadedNerdamer {
  const corePath = require.resolve('nerdamer');
  const dir = dirname(corePath);
  const source = readFileSync(corePath, 'utf8');
  const patch = (options.patch ?? true) && PATCHES.every((p) => source.split(p.find).length === p.count + 1);
  const files: Record<string, string> = {
    './nerdamer.core.js': patch ? PATCHES.reduce((code, p) => code.split(p.find).join(p.replace), PRELUDE + source) : source,
    './Algebra.js': readFileSync(join(dir, 'Algebra.js'), 'utf8'),
    './Calculus.js': readFileSync(join(dir, 'Calculus.js'), 'utf8'),
  };
  const loaded = new Map<string, { exports: unknown }>();
  const load = (id: string): unknown => {
    const hit = loaded.get(id);
    if (hit) return hit.exports;
    const code = files[id];
    if (code === undefined) throw new Error(`nerdamer: unexpected require('${id}')`);
    const filename = join(dir, id);
    const module = { exports: {} as unknown };
    loaded.set(id, module);
    const wrapper = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
    wrapper.call(module.exports, module.exports, load, module, filename, dir);
    return module.exports;
  };
  const nd = load('./nerdamer.core.js') as typeof Nerdamer;
  load('./Calculus.js');
  return { nerdamer: nd, patched: patch };
}

let shared: LoadedNerdamer | undefined;
/** The process's nerdamer with Calculus (diff), loaded on first use. */
export function nerdamer(): typeof Nerdamer {
  return (shared ??= loadNerdamer()).nerdamer;
}

/** Whether the process's nerdamer has the fixes (false: a version whose text differs). */
export function nerdamerPatched(): boolean {
  return (shared ??= loadNerdamer()).patched;
}
