/**
 * `npm start`'s notebooks and claims on a worker pool (piscina, one thread per core by
 * default), with the result cache (src/util/cache.ts) shared by every worker.
 *
 * Tasks are grouped so that work which shares an experiment runs in one worker, in order: a
 * claim whose registered figures a notebook draws joins that notebook's group (the notebook
 * computes the experiment, the claim then reads it from the cache). Groups start longest
 * first, by the previous run's timings.json when there is one (scheduling only: the results
 * and every output file do not depend on it, nor on the number of workers).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { claimKey, type Claim, type Mode } from '../claims/types.ts';
import { claimModule } from '../claims/index.ts';
import type { ClaimResult, Outcome } from '../claims/run.ts';
import { defaultProofFiles } from '../proofs/files.ts';
import type { Notebook, NotebookRecord } from './notebook.ts';
import type { OnProgress } from './progress.ts';
import { cachedResult, notebookModule, type GroupInput, type Task, type TaskResult } from './worker.ts';

/** sha256 of the proofs/*.md a run reads as data (the proofs notebook checks them). */
export function dataDigest(): string {
  const h = createHash('sha256');
  try {
    for (const f of defaultProofFiles()) h.update(`${f}\n`).update(readFileSync(f));
  } catch { h.update('no proofs'); }
  return h.digest('hex');
}

export interface PoolRunOptions {
  notebooks: Notebook[];
  claims: Claim[];
  mode: Mode;
  seed: number;
  /** Threads (default: the machine's available parallelism). */
  workers?: number;
  /** Cache folder, null = memory only, 'off' = none. */
  cache: string | null | 'off';
  /** The previous run's timings.json (scheduling hint), if any. */
  previousTimings?: string;
  onProgress?: OnProgress;
  log?: (line: string) => void;
}

export interface PoolRunResult {
  records: NotebookRecord[];
  claims: ClaimResult[];
  notebookSeconds: Record<string, number>;
  seconds: number;
  workers: number;
}

/** Words a notebook's source quotes (figure names it draws are among them). */
function quotedNames(name: string): Set<string> {
  const p = notebookModule(name);
  if (!p) return new Set();
  return new Set([...readFileSync(p, 'utf8').matchAll(/['"]([a-z0-9-]+)['"]/g)].map((m) => m[1]!));
}

/** Groups of tasks: each notebook with the claims drawing its figures, then every other claim alone. */
export function groupTasks(notebooks: Notebook[], claims: Claim[]): Task[][] {
  const groups = notebooks.map((n) => ({ names: quotedNames(n.name), tasks: [{ kind: 'notebook', name: n.name }] as Task[] }));
  const alone: Task[][] = [];
  for (const c of claims) {
    const module = claimModule(c);
    const t: Task = { kind: 'claim', key: claimKey(c), ...(module ? { module } : {}) };
    const g = groups.find((x) => (c.figures ?? []).some((f) => x.names.has(f)));
    if (g) g.tasks.push(t); else alone.push([t]);
  }
  return [...groups.map((g) => g.tasks), ...alone];
}

function previousSeconds(path: string | undefined): (t: Task) => number {
  let prev: { notebooks?: Record<string, number>; claims?: Record<string, number> } = {};
  try { if (path) prev = JSON.parse(readFileSync(path, 'utf8')); } catch { /* no hint */ }
  // unknown tasks first: they may be long
  return (t) => (t.kind === 'notebook' ? prev.notebooks?.[t.name] : prev.claims?.[t.key]) ?? 1e9;
}

export async function runOnPool(o: PoolRunOptions): Promise<PoolRunResult> {
  const t0 = performance.now();
  const workers = Math.max(1, o.workers ?? availableParallelism());
  const groups = groupTasks(o.notebooks, o.claims);
  const cost = previousSeconds(o.previousTimings);
  const order = groups.map((g, i) => ({ g, i, s: g.reduce((a, t) => a + cost(t), 0) })).sort((a, b) => b.s - a.s || a.i - b.i);
  const data = dataDigest();
  const byKey = new Map(o.claims.map((c) => [claimKey(c), c]));
  const records = new Map<string, NotebookRecord>(), outcomes = new Map<string, ClaimResult>(), notebookSeconds: Record<string, number> = {};
  const total = o.notebooks.length + o.claims.length;
  let done = 0;
  const common = { mode: o.mode, seed: o.seed, cache: o.cache, data };
  // what is stored is read here: a warm run starts no worker
  const stored: TaskResult[] = [];
  const pending = order.map(({ g }) => g.filter((t) => {
    const hit = cachedResult(t, common);
    if (hit) stored.push(hit);
    return !hit;
  })).filter((g) => g.length);
  const pool = pending.length ? new Piscina({ filename: new URL('./worker-entry.mjs', import.meta.url).href, minThreads: Math.min(workers, pending.length), maxThreads: workers, idleTimeout: 1000 }) : undefined;
  try {
    await Promise.all([Promise.resolve(stored), ...pending.map((g) => pool!.run({ tasks: g, ...common } satisfies GroupInput) as Promise<TaskResult[]>)].map(async (p) => {
      const results = await p;
      for (const r of results) {
        done++;
        if (r.kind === 'notebook') {
          for (const line of r.log) o.log?.(`[${r.name}] ${line}`);
          records.set(r.name, r.record);
          notebookSeconds[r.name] = r.seconds;
          o.onProgress?.({ stage: 'claims', done, total, label: `notebook ${r.name}${r.record.error ? ' FAILED' : ''}` });
        } else {
          const c = byKey.get(r.key)!;
          outcomes.set(r.key, { key: r.key, claim: c, evidence: r.outcome.evidence as Outcome, control: r.outcome.control as Outcome, seconds: r.outcome.seconds });
          o.onProgress?.({ stage: 'claims', done, total, label: r.key });
        }
      }
    }));
  } finally {
    await pool?.destroy();
  }
  return {
    // report order, whatever order they finished in
    records: o.notebooks.map((n) => records.get(n.name)!),
    claims: o.claims.map((c) => outcomes.get(claimKey(c))!),
    notebookSeconds, seconds: (performance.now() - t0) / 1000, workers,
  };
}
