/**
 * A worker of the run pool (src/report/parallel.ts, piscina): runs a list of tasks (a notebook,
 * or one half of a claim: its check or its negative control) in order, with the result cache
 * of the main process's folder, and returns plain, cloneable results.
 */
import { pathToFileURL } from 'node:url';
import { claimKey, type Claim, type Mode } from '../claims/types.ts';
import { runClaimPart } from '../claims/run.ts';
import { activeCache, useCache, type CacheStats } from '../util/cache.ts';
import { runNotebook, type Notebook, type NotebookRecord } from './notebook.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.ts';

const NO_LOOKUPS: CacheStats = { hits: 0, misses: 0, damaged: 0, uncacheable: 0 };

/** Which half of a claim a task runs: its check, or its negative control. */
export type ClaimPart = 'evidence' | 'control';

/** A notebook by name, or half of a claim by key with the module that registers it (its family: loaded alone). */
export type Task = { kind: 'notebook'; name: string } | { kind: 'claim'; key: string; part: ClaimPart; module?: string };

export interface GroupInput {
  tasks: Task[];
  mode: Mode;
  seed: number;
  /** The cache folder, null for memory only, 'off' for none. */
  cache: string | null | 'off';
  /** Inputs that are data, not code (the proofs/*.md digest): part of every key. */
  data: string;
}

/** One half of a claim's outcomes, without the claim object (functions do not cross threads). */
export interface ClaimOutcome { key: string; part: ClaimPart; outcome: unknown; seconds: number }

export type TaskResult =
  | { kind: 'notebook'; name: string; record: NotebookRecord; seconds: number; log: string[] }
  | { kind: 'claim'; key: string; outcome: ClaimOutcome };

/** The file of a built-in notebook (notebooks/NAME.ts), or undefined. */
export function notebookModule(name: string): string | undefined {
  const p = join(packageRoot(), 'notebooks', `${name}.ts`);
  return existsSync(p) ? p : undefined;
}

let cacheFor: string | null | 'off' | undefined;

/** A worker loads only the modules its tasks need (the whole registry costs ~2 s CPU per thread). */
async function loadClaim(t: Extract<Task, { kind: 'claim' }>): Promise<Claim> {
  const list = t.module
    ? ((await import(t.module)) as { claims: Claim[] }).claims
    : (await import('../claims/index.ts')).allClaims();
  const c = list.find((x) => claimKey(x) === t.key);
  if (!c) throw new Error(`no claim ${t.key}`);
  return c;
}

async function loadNotebook(name: string): Promise<Notebook> {
  const mod = notebookModule(name);
  const nb = mod
    ? ((await import(pathToFileURL(mod).href)) as { default: Notebook }).default
    : (await import('../../notebooks/index.ts')).notebooks.find((n) => n.name === name);
  if (!nb) throw new Error(`no notebook ${name}`);
  return nb;
}

const now = () => performance.now() / 1000;

/** The cache key of a notebook's record: its module with what it imports, mode, seed, data; null: not cached. */
function notebookKey(name: string, g: Omit<GroupInput, 'tasks'>): string | null {
  const mod = notebookModule(name), cache = activeCache();
  return cache && mod ? cache.key('notebook', { name, mode: g.mode, seed: g.seed, data: g.data }, [mod]) : null;
}

/** The cache key of a claim half's outcome: its family's module with what it imports, part, mode, seed, data; null: not cached. */
function claimCacheKey(t: Extract<Task, { kind: 'claim' }>, g: Omit<GroupInput, 'tasks'>): string | null {
  const cache = activeCache();
  return cache && t.module ? cache.key('claim', { key: t.key, part: t.part, mode: g.mode, seed: g.seed, data: g.data }, [t.module]) : null;
}

/** A task's stored result, without running anything (the main thread asks before starting workers). */
export function cachedResult(t: Task, g: Omit<GroupInput, 'tasks'>): TaskResult | undefined {
  const cache = activeCache();
  if (!cache) return undefined;
  if (t.kind === 'notebook') {
    const k = notebookKey(t.name, g), record = k ? cache.get<NotebookRecord>(k) : undefined;
    return record ? { kind: 'notebook', name: t.name, record, seconds: 0, log: [] } : undefined;
  }
  const k = claimCacheKey(t, g), hit = k ? cache.get<{ outcome: unknown }>(k) : undefined;
  return hit ? { kind: 'claim', key: t.key, outcome: { key: t.key, part: t.part, outcome: hit.outcome, seconds: 0 } } : undefined;
}

/** Run one notebook; its record is cached unless it failed (a failure may be the machine's: rerun next time). */
async function notebookTask(name: string, g: Omit<GroupInput, 'tasks'>, log: (line: string) => void): Promise<NotebookRecord> {
  const nb = await loadNotebook(name);
  const rec = await runNotebook(nb, { mode: g.mode, seed: g.seed, log });
  const k = notebookKey(name, g);
  if (k && !rec.error) activeCache()!.put(k, rec);
  return rec;
}

/** Run one half of a claim; cached unless it crashed (a crash may be the machine's: rerun next time). */
async function claimTask(t: Extract<Task, { kind: 'claim' }>, g: Omit<GroupInput, 'tasks'>): Promise<ClaimOutcome> {
  const claim = await loadClaim(t);
  const t0 = now();
  const outcome = await runClaimPart(claim, t.part, { mode: g.mode, seed: g.seed });
  const k = claimCacheKey(t, g);
  if (k && outcome.verdict !== 'crashed') activeCache()!.put(k, { outcome });
  return { key: t.key, part: t.part, outcome, seconds: now() - t0 };
}

/** What a worker returns for a list of tasks: their results, and its cache's lookups while it ran them. */
export interface GroupOutput { results: TaskResult[]; cache: CacheStats }

export default async function runGroup(g: GroupInput): Promise<GroupOutput> {
  if (cacheFor !== g.cache) { useCache(g.cache); cacheFor = g.cache; }
  const before = { ...(activeCache()?.stats ?? NO_LOOKUPS) };
  const out: TaskResult[] = [];
  for (const t of g.tasks) {
    const hit = cachedResult(t, g); // another worker may have stored it meanwhile
    if (hit) { out.push(hit); continue; }
    if (t.kind === 'notebook') {
      const lines: string[] = [], t0 = now();
      const record = await notebookTask(t.name, g, (line) => lines.push(line));
      out.push({ kind: 'notebook', name: t.name, record, seconds: now() - t0, log: lines });
    } else {
      out.push({ kind: 'claim', key: t.key, outcome: await claimTask(t, g) });
    }
  }
  const after = activeCache()?.stats ?? NO_LOOKUPS;
  return { results: out, cache: { hits: after.hits - before.hits, misses: after.misses - before.misses, damaged: after.damaged - before.damaged, uncacheable: after.uncacheable - before.uncacheable } };
}
