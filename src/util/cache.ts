/**
 * A content-addressed cache of results (experiments, claim outcomes, notebook records, static
 * figure files), so that a re-run recomputes only what changed and one result is shared by
 * the notebook, the claim and the figure that need it.
 *
 * The key of an entry is sha256 over: the kind of result, its inputs (canonical JSON of the
 * config, mode, seed), and the CODE that made it: the text of the module that computes it
 * and of every module it imports, transitively (relative imports followed on disk; packages by
 * name@version), plus the Node version. Editing a scheme therefore invalidates every result
 * whose module imports it, and nothing else. Files a computation reads as DATA are not code:
 * its caller puts their `filesDigest` into the input (the gamma benchmark's CSV, proofs/*.md).
 *
 * An entry is one file `<dir>/<key[0..2]>/<key>.json` holding the encoded value and the sha256
 * of that text. It is written to a temporary name and renamed (never half-written); on read
 * a wrong key, a wrong hash, bad JSON or an unknown tag is a miss: the value is recomputed and
 * the entry rewritten, never trusted. Values are encoded losslessly (NaN, ±Infinity, −0,
 * undefined members and Float64Array survive; JSON alone would turn NaN into null), so a warm
 * run writes the same bytes as a cold one.
 *
 * Nothing is cached unless a process turns it on (`useCache`): `npm start` does (folder
 * `.depthlimit-cache`, or `--cache DIR`; `--no-cache` leaves results in memory only).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { packageRoot } from './package-root.ts';

export const DEFAULT_CACHE_DIR = '.depthlimit-cache';

// ------------------------------------------------------------------ the code a result depends on

// static and dynamic imports, and require / require.resolve of a literal name: a package loaded
// by name at run time (MathJax's file, mathjs/number) is code the result depends on too
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire(?:\.resolve)?\s*\(\s*)['"]([^'"\n]+)['"]/g;
const closureMemo = new Map<string, string[]>();
/** Source texts read once per process (a run's closures overlap heavily; files do not change mid-run). */
const texts = new Map<string, string | null>();
function sourceText(f: string): string | null {
  let t = texts.get(f);
  if (t === undefined) {
    try { t = readFileSync(f, 'utf8'); } catch { t = null; }
    texts.set(f, t);
  }
  return t;
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const p of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try { if (statSync(p).isFile()) return p; } catch { /* try the next form */ }
  }
  return undefined;
}

/** `name@version` of installed packages, read once per process (as the source texts). */
const packageIds = new Map<string, string>();
/** `name@version` of a bare import (scoped names kept whole), or the name when not installed. */
function packageId(spec: string): string {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  let id = packageIds.get(name);
  if (id === undefined) {
    try {
      const v = (JSON.parse(readFileSync(join(packageRoot(), 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
      id = `${name}@${v ?? '?'}`;
    } catch {
      id = name;
    }
    packageIds.set(name, id);
  }
  return id;
}

/**
 * A file's direct imports: relative ones resolved on disk, packages as name@version. Read once
 * per process, as its text: every key's closure walks the same modules, and re-reading them
 * (a regex over the text, a stat per relative import, a package.json per bare one) was most
 * of the ≈ 0.2–0.45 s CPU each thread of a cold `npm start` spent on code keys.
 */
const importsMemo = new Map<string, { files: string[]; packages: string[] }>();
function importsOf(f: string): { files: string[]; packages: string[] } {
  let out = importsMemo.get(f);
  if (!out) {
    out = { files: [], packages: [] };
    const text = sourceText(f);
    if (text !== null && !/\.json$/.test(f)) {
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) { const r = resolveRelative(f, spec); if (r) out.files.push(r); }
        else if (!spec.startsWith('node:') && /^[@a-z]/i.test(spec)) out.packages.push(packageId(spec));
      }
    }
    importsMemo.set(f, out);
  }
  return out;
}

/**
 * Every source file `entry` reaches through relative imports (itself included), sorted, and
 * the packages it imports by name@version. Import lines in comments count too: harmless, a
 * few more files hashed.
 */
export function sourceClosure(entry: string): { files: string[]; packages: string[] } {
  const start = entry.startsWith('file:') ? fileURLToPath(entry) : resolve(entry);
  const files = new Set<string>(), packages = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const next = importsOf(f);
    todo.push(...next.files);
    for (const p of next.packages) packages.add(p);
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/**
 * sha256 of the code behind `entries` (module URLs or paths): file texts, packages, Node
 * version; null when an entry is not a file on disk (e.g. a module bundled into dist/), so
 * its results are not cached rather than keyed by the wrong code.
 */
export function codeHash(entries: readonly string[]): string | null {
  const id = entries.join('\n');
  const memo = closureMemo.get(id);
  if (memo) return memo[0]!;
  for (const e of entries) if (!existsSync(e.startsWith('file:') ? fileURLToPath(e) : e)) return null;
  const h = createHash('sha256').update(`node ${process.version}\n`);
  // paths relative to the first module's folder: the same tree hashes alike wherever it lies
  const first = entries[0] ?? '.';
  const root = dirname(first.startsWith('file:') ? fileURLToPath(first) : resolve(first));
  const files = new Set<string>(), packages = new Set<string>();
  for (const e of entries) {
    const c = sourceClosure(e);
    c.files.forEach((f) => files.add(f));
    c.packages.forEach((p) => packages.add(p));
  }
  for (const f of [...files].sort()) {
    const text = sourceText(f) ?? '(unreadable)';
    h.update(`file ${relative(root, f)} ${text.length}\n`).update(text);
  }
  for (const p of [...packages].sort()) h.update(`package ${p}\n`);
  const out = h.digest('hex');
  closureMemo.set(id, [out]);
  return out;
}

/**
 * sha256 of files read as data (each one's path and bytes, in the order given; a missing file
 * hashes as missing): part of the input of a result computed from them, so that editing the data
 * invalidates the result as editing its code does.
 */
export function filesDigest(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    let body: Buffer | null = null;
    try { body = readFileSync(f); } catch { /* hashed as missing */ }
    h.update(`${relative(packageRoot(), f)} ${body ? body.length : 'missing'}\n`);
    if (body) h.update(body);
  }
  return h.digest('hex');
}

// ------------------------------------------------------------------ lossless encoding

class Uncacheable extends Error {}

/** A JSON-ready copy of `v` with tags { $t, v } for what JSON cannot hold. */
function encode(v: unknown): unknown {
  if (v === undefined) return { $t: 'u' };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $t: 'n', v: 'NaN' };
    if (v === Infinity) return { $t: 'n', v: 'Infinity' };
    if (v === -Infinity) return { $t: 'n', v: '-Infinity' };
    if (Object.is(v, -0)) return { $t: 'n', v: '-0' };
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return Array.from(v, encode);
  if (v instanceof Float64Array) return { $t: 'f64', v: Array.from(v, encode) };
  if (v instanceof Int32Array) return { $t: 'i32', v: Array.from(v) };
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Uncacheable(`a ${proto?.constructor?.name ?? 'class'} instance`);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = encode(x);
    return '$t' in o ? { $t: 'o', v: o } : o;
  }
  throw new Uncacheable(`a ${typeof v}`);
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('$t' in o) {
    switch (o['$t']) {
      case 'u': return undefined;
      case 'n': {
        const n = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 }[o['v'] as string];
        if (n === undefined) throw new Error('bad number tag');
        return n;
      }
      case 'f64': return Float64Array.from((o['v'] as unknown[]).map(decode) as number[]);
      case 'i32': return Int32Array.from(o['v'] as number[]);
      case 'o': return decodeObject(o['v'] as Record<string, unknown>);
      default: throw new Error(`unknown tag ${String(o['$t'])}`);
    }
  }
  return decodeObject(o);
}

function decodeObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decode(x);
  return out;
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** Canonical JSON of an input spec (keys sorted), so {a, b} and {b, a} are the same key. */
function canonical(v: unknown): string {
  return JSON.stringify(encode(v), (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x);
}

// ------------------------------------------------------------------ the store

export interface CacheStats { hits: number; misses: number; damaged: number; uncacheable: number }

export class ResultCache {
  /** Decoded values are never shared: each read decodes the stored text afresh (callers may mutate). */
  private readonly memory = new Map<string, string>();
  readonly stats: CacheStats = { hits: 0, misses: 0, damaged: 0, uncacheable: 0 };

  /** `dir` null: in this process's memory only (`--no-cache`). */
  constructor(readonly dir: string | null, private readonly log: (line: string) => void = () => {}) {}

  /** The key of a result of `kind` from `input`, made by the code of `modules` (URLs or paths). */
  key(kind: string, input: unknown, modules: readonly string[]): string | null {
    const code = codeHash(modules);
    if (code === null) return null;
    try {
      return sha(`${kind}\n${code}\n${canonical(input)}`);
    } catch (e) {
      if (e instanceof Uncacheable) return null; // an input with a function in it: computed every time
      throw e;
    }
  }

  private path(key: string): string { return join(this.dir!, key.slice(0, 2), `${key}.json`); }

  /** The stored text of `key`, or undefined when absent or damaged (a damaged file is removed). */
  private read(key: string): string | undefined {
    const mem = this.memory.get(key);
    if (mem !== undefined) return mem;
    if (!this.dir) return undefined;
    const p = this.path(key);
    if (!existsSync(p)) return undefined;
    try {
      const e = JSON.parse(readFileSync(p, 'utf8')) as { key?: unknown; sha256?: unknown; body?: unknown };
      if (e.key !== key || typeof e.body !== 'string' || e.sha256 !== sha(e.body)) throw new Error('key or hash does not match');
      decode(JSON.parse(e.body)); // a body that does not decode is damaged too
      this.memory.set(key, e.body);
      return e.body;
    } catch (err) {
      this.stats.damaged++;
      this.log(`cache: damaged entry ${key.slice(0, 12)} (${(err as Error).message.split('\n')[0]}): recomputed`);
      rmSync(p, { force: true });
      return undefined;
    }
  }

  private write(key: string, body: string): void {
    this.memory.set(key, body);
    if (!this.dir) return;
    const p = this.path(key);
    try {
      mkdirSync(dirname(p), { recursive: true });
      // pid and thread: workers of one process write concurrently
      const tmp = `${p}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key, sha256: sha(body), body }));
      renameSync(tmp, p);
    } catch (err) {
      this.log(`cache: cannot write ${p}: ${(err as Error).message.split('\n')[0]}`); // a result not cached is still right
    }
  }

  /** The cached value, or undefined. */
  get<T>(key: string): T | undefined {
    const body = this.read(key);
    if (body === undefined) return undefined;
    this.stats.hits++;
    return decode(JSON.parse(body)) as T;
  }

  /** Store `value` (silently skipped when it holds something that cannot be encoded, e.g. a function). */
  put(key: string, value: unknown): void {
    let body: string;
    try { body = JSON.stringify(encode(value)); } catch (e) {
      if (e instanceof Uncacheable) { this.stats.uncacheable++; return; }
      throw e;
    }
    this.write(key, body);
  }

  /** `compute()` unless a result for (kind, input, code of modules) is stored. */
  run<T>(kind: string, input: unknown, modules: readonly string[], compute: () => T): T {
    const key = this.key(kind, input, modules);
    if (key === null) return compute();
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    this.stats.misses++;
    const value = compute();
    this.put(key, value);
    return value;
  }

  async runAsync<T>(kind: string, input: unknown, modules: readonly string[], compute: () => Promise<T>): Promise<T> {
    const key = this.key(kind, input, modules);
    if (key === null) return compute();
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    this.stats.misses++;
    const value = await compute();
    this.put(key, value);
    return value;
  }
}

let active: ResultCache | null = null;

/** Turn caching on for this process (a folder, or null for memory only), or off (`off`). */
export function useCache(dir: string | null | 'off', log?: (line: string) => void): ResultCache | null {
  active = dir === 'off' ? null : new ResultCache(dir, log);
  return active;
}

/** The cache this process uses, or null. */
export function activeCache(): ResultCache | null { return active; }

/**
 * `compute()`, or its stored result when caching is on and (kind, input, the code of `module`
 * and its imports) was computed before. `module` is the caller's `import.meta.url`.
 */
export function cached<T>(kind: string, input: unknown, module: string, compute: () => T): T {
  return active ? active.run(kind, input, [module], compute) : compute();
}

/** `cached` for an asynchronous computation. */
export function cachedAsync<T>(kind: string, input: unknown, module: string, compute: () => Promise<T>): Promise<T> {
  return active ? active.runAsync(kind, input, [module], compute) : compute();
}
