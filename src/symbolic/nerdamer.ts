/**
 * nerdamer 1.1.13 with its Calculus add-on, loaded on first use, with one speed fix that changes
 * no answer. `Symbol.prototype.collectSymbols` ends in `collected.sort(sort_fn)`, and nearly every
 * caller passes no comparator: the default sort then converts BOTH operands to text at EVERY
 * comparison (ECMAScript's SortCompare), and a term's text is a recursive print of the whole
 * term. nerdamer calls it for every hash it updates, on every insertion into a sum, so expand
 * and diff spent much of their time printing the same terms again. The fix prints each term once
 * and sorts by those texts: the same comparisons (code-unit order of the same strings, undefined
 * last) in a stable sort, hence the same order (a stable sort's output is determined by its
 * comparisons), provided printing is pure, which it is (text() reads a symbol, never writes it).
 * It applies only when collectSymbols still reads as in 1.1.13 (otherwise nerdamer is used
 * unchanged: slower, still right); test/symbolic/nerdamer.test.ts compares both on real input.
 */
import type Nerdamer from 'nerdamer';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** How collectSymbols of 1.1.13 treats its comparator (null means the default, as undefined). */
export const DEFAULT_SORT = ['if(sort_fn === null)', 'sort_fn = undefined;', 'return collected.sort(sort_fn);'];

/** Keeps the order (a stable sort with every pair equal): collectSymbols' own sort, made a no-op. */
const KEEP_ORDER = (): number => 0;

/**
 * `items` sorted as `items.sort()` sorts them (undefined last, the rest by their strings in
 * code-unit order, stable), each item converted to its string once; in place, like sort.
 */
export function sortByText<T>(items: T[]): T[] {
  const keyed: { key: string; item: T }[] = [];
  let undefs = 0;
  for (const item of items) {
    if (item === undefined) undefs++;
    else keyed.push({ key: String(item), item });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach((k, i) => { items[i] = k.item; });
  for (let i = keyed.length; i < keyed.length + undefs; i++) items[i] = undefined as T;
  return items;
}

interface CollectSymbols { (this: unknown, fn?: unknown, opt?: unknown, sortFn?: unknown, expandSymbol?: unknown): unknown[] }
type Proto = { collectSymbols: CollectSymbols };

interface Loaded { nerdamer: typeof Nerdamer; proto: Proto; original: CollectSymbols; keyed?: CollectSymbols }
let loaded: Loaded | undefined;

/** The keyed-sort collectSymbols over `original`, when original reads as expected. */
function keyedCollectSymbols(original: CollectSymbols): CollectSymbols | undefined {
  const source = original.toString();
  if (!DEFAULT_SORT.every((s) => source.includes(s)) || source.split('.sort(').length !== 2) return undefined;
  return function (this: unknown, fn?: unknown, opt?: unknown, sortFn?: unknown, expandSymbol?: unknown) {
    if (sortFn !== undefined && sortFn !== null) return original.call(this, fn, opt, sortFn, expandSymbol);
    return sortByText(original.call(this, fn, opt, KEEP_ORDER, expandSymbol));
  };
}

function load(): Loaded {
  if (!loaded) {
    const nd = require('nerdamer') as typeof Nerdamer;
    require('nerdamer/Calculus.js');
    const proto = (nd as unknown as { getCore(): { Symbol: { prototype: Proto } } }).getCore().Symbol.prototype;
    const original = proto.collectSymbols;
    const keyed = keyedCollectSymbols(original);
    if (keyed) proto.collectSymbols = keyed;
    loaded = { nerdamer: nd, proto, original, ...(keyed ? { keyed } : {}) };
  }
  return loaded;
}

/** nerdamer with Calculus (diff), and the keyed sort when it applies. */
export function nerdamer(): typeof Nerdamer {
  return load().nerdamer;
}

/** Whether the keyed sort is in place (false: a nerdamer version whose collectSymbols differs). */
export function keyedSortApplied(): boolean {
  return load().keyed !== undefined;
}

/** Run `f` with nerdamer's own collectSymbols (for the test that compares both), then restore. */
export function withOriginalSort<T>(f: () => T): T {
  const l = load();
  l.proto.collectSymbols = l.original;
  try {
    return f();
  } finally {
    if (l.keyed) l.proto.collectSymbols = l.keyed;
  }
}
