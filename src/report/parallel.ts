/**
 * `npm start`'s notebooks and claims on a worker pool (piscina, one thread per core by
 * default), with the result cache (src/util/cache.ts) shared by every worker.
 *
 * The units of work are a notebook and each half of a claim (its check, its negative control).
 * A claim whose registered figures a notebook draws depends on that notebook: it starts once the
 * notebook has stored the experiment in the cache folder, and then reads it instead of
 * computing it again; likewise a control starts after its check (controls reuse the check's
 * sample or runs), possibly on another worker. Without a cache
 * folder (`--no-cache`: memory only, per worker) a notebook and its dependants run in one worker,
 * in order, so the experiment is still computed once. Ready work starts longest chain first,
 * by the seconds each task took when it last ran (`<cache>/task-times.json`; a warm run, which
 * reads its results, keeps them), else by the previous run's timings.json (scheduling only: the results and every
 * output file depend neither on it nor on the number of workers). Notebook records are handed
 * over as soon as the last notebook ends (`startOnPool`), so figures can be exported while the
 * remaining claims run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { claimKey, type Claim, type Mode } from '../claims/types.ts';
import { claimModule } from '../claims/index.ts';
import type { ClaimResult, Outcome } from '../claims/run.ts';
import { defaultProofFiles } from '../proofs/files.ts';
import type { Notebook, NotebookRecord } from './notebook.ts';
import type { OnProgress } from './progress.ts';
import { cachedResult, notebookModule, type ClaimOutcome, type ClaimPart, type GroupInput, type GroupOutput, type Task, type TaskResult } from './worker.ts';
import { filesDigest, type CacheStats } from '../util/cache.ts';
import { writeFileAtomic } from '../util/io.ts';
import { packageRoot, workerExecArgv } from '../util/package-root.ts';

/**
 * sha256 of what a run reads as data, not code, under `root`: proofs/*.md (the proofs notebook
 * checks them) and every file in data/ (the gamma benchmark's CSV). Part of every notebook's and
 * claim's key: editing the data reruns them (the experiments inside key their own data files).
 */
export function dataDigest(root = packageRoot()): string {
  const files = (list: () => string[]) => { try { return list(); } catch { return []; } }; // a folder that is not there: no files
  return filesDigest([
    ...files(() => defaultProofFiles(join(root, 'proofs'))),
    ...files(() => readdirSync(join(root, 'data'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(root, 'data', e.name)).sort()),
  ]);
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
  /** Each notebook's record as soon as it has ended (or was read from the cache), in the order they end. */
  onNotebook?: (rec: NotebookRecord) => void;
}

export interface PoolRunResult {
  records: NotebookRecord[];
  claims: ClaimResult[];
  notebookSeconds: Record<string, number>;
  seconds: number;
  workers: number;
  /** The workers' cache lookups (experiments read or computed inside tasks). */
  cache: CacheStats;
}

/** Words a notebook's source quotes (figure names it draws are among them). */
function quotedNames(name: string): Set<string> {
  const p = notebookModule(name);
  if (!p) return new Set();
  return new Set([...readFileSync(p, 'utf8').matchAll(/['"]([a-z0-9-]+)['"]/g)].map((m) => m[1]!));
}

/**
 * Groups of tasks: each notebook with the claims drawing its figures, then every other claim; a
 * claim as its two halves, check then control (a control may reuse what its check computed).
 */
export function groupTasks(notebooks: Notebook[], claims: Claim[]): Task[][] {
  const groups = notebooks.map((n) => ({ names: quotedNames(n.name), tasks: [{ kind: 'notebook', name: n.name }] as Task[] }));
  const alone: Task[][] = [];
  for (const c of claims) {
    const module = claimModule(c);
    const halves: Task[] = (['evidence', 'control'] as const).map((part) => ({ kind: 'claim', key: claimKey(c), part, ...(module ? { module } : {}) }));
    const g = groups.find((x) => (c.figures ?? []).some((f) => x.names.has(f)));
    if (g) g.tasks.push(...halves); else alone.push(halves);
  }
  return [...groups.map((g) => g.tasks), ...alone];
}

/** A task's (or its result's) name in the scheduling hints: the notebook, or the claim key and half. */
const hintName = (t: Task | TaskResult): string => (t.kind === 'notebook' ? `notebook ${t.name}` : `${t.key} ${'part' in t ? t.part : t.outcome.part}`);

/**
 * The committed fallback hints (scripts/task-times.json, a cold full run's task-times.json on 2
 * cores): a fresh clone, whose cache and out/ are empty, would otherwise start the tasks in
 * registry order (measured: the longest notebook, discrete-vs-continuous, then started at 20 s,
 * and the run ended with one worker idle for 5 s while the other ran C27's control after it).
 */
export const FALLBACK_HINTS = join(packageRoot(), 'scripts', 'task-times.json');

/**
 * Seconds each task took when it last ran (not when it was read from the cache): `<cache>/task-times.json`
 * with a cache folder, else the previous run's timings.json (a claim's time split evenly between
 * its halves), else `fallback`. Unknown: first, it may be long.
 */
export function previousSeconds(hints: string | undefined, timings: string | undefined, fallback = FALLBACK_HINTS): { cost: (t: Task) => number; known: Record<string, number> } {
  const read = <T>(f: string | undefined, none: T): T => { try { return f ? JSON.parse(readFileSync(f, 'utf8')) as T : none; } catch { return none; } };
  const known = read<Record<string, number>>(hints, {}); // written back: only what ran here
  const prev = read<{ notebooks?: Record<string, number>; claims?: Record<string, number> }>(timings, {});
  const committed = read<Record<string, number>>(fallback, {});
  return {
    known,
    cost: (t) => {
      const k = known[hintName(t)];
      if (typeof k === 'number') return k;
      const s = t.kind === 'notebook' ? prev.notebooks?.[t.name] : prev.claims?.[t.key];
      // 0 s: read from the cache in that run, not a measurement
      if (s !== undefined && s !== 0) return t.kind === 'notebook' ? s : s / 2;
      const c = committed[hintName(t)];
      return typeof c === 'number' ? c : 1e9;
    },
  };
}

/** Write the hints back with the tasks that ran this time (a scheduling aid: a failed write is ignored). */
function saveHints(path: string, known: Record<string, number>): void {
  try {
    writeFileAtomic(path, JSON.stringify(known, Object.keys(known).sort(), 1) + '\n');
  } catch { /* next run schedules by the previous timings */ }
}

/** A list of tasks one worker runs in order, and the unit it waits for. */
export interface Unit { tasks: Task[]; after?: Unit; priority: number; waiting: number; dependants: Unit[] }

/**
 * Units of `groups`. With a cache folder each task alone: a claim's check after the group's
 * notebook (or first, in a group without one), its control after its check, each reading what
 * came before from the cache folder. Without one, each group whole, in one worker.
 */
export function poolUnits(groups: Task[][], sharedCache: boolean, cost: (t: Task) => number): Unit[] {
  const out: Unit[] = [];
  const unit = (tasks: Task[], after?: Unit): Unit => {
    const u: Unit = { tasks, priority: tasks.reduce((a, t) => a + cost(t), 0), waiting: after ? 1 : 0, dependants: [], ...(after ? { after } : {}) };
    after?.dependants.push(u);
    out.push(u);
    return u;
  };
  for (const g of groups) {
    if (!sharedCache) { unit(g); continue; }
    const head = g[0]!.kind === 'notebook' ? unit([g[0]!]) : undefined;
    const checks = new Map<string, Unit>();
    for (const t of head ? g.slice(1) : g) {
      if (t.kind !== 'claim') continue;
      const u = unit([t], t.part === 'control' ? checks.get(t.key) ?? head : head);
      if (t.part === 'evidence') checks.set(t.key, u);
    }
  }
  // a unit's priority is the longest chain it starts (dependants come after what they wait for)
  for (const u of [...out].reverse()) u.priority += Math.max(0, ...u.dependants.map((d) => d.priority));
  return out;
}

export interface PoolRun {
  /** Every notebook's record (report order) as soon as the last notebook has ended. */
  notebooks: Promise<{ records: NotebookRecord[]; notebookSeconds: Record<string, number> }>;
  /** Everything, once every claim has run too. */
  done: Promise<PoolRunResult>;
}

/** `startOnPool`, awaited whole. */
export async function runOnPool(o: PoolRunOptions): Promise<PoolRunResult> {
  const run = startOnPool(o);
  await run.notebooks.catch(() => {}); // its failure is done's failure
  return run.done;
}

/** Start the notebooks and claims on the pool (see the module comment); nothing is awaited here. */
export function startOnPool(o: PoolRunOptions): PoolRun {
  const t0 = performance.now();
  const workers = Math.max(1, o.workers ?? availableParallelism());
  const hints = typeof o.cache === 'string' ? join(o.cache, 'task-times.json') : undefined;
  const { cost, known } = previousSeconds(hints, o.previousTimings);
  const data = dataDigest();
  const byKey = new Map(o.claims.map((c) => [claimKey(c), c]));
  const records = new Map<string, NotebookRecord>(), notebookSeconds: Record<string, number> = {};
  const halves = new Map<string, Partial<Record<ClaimPart, ClaimOutcome>>>();
  const total = o.notebooks.length + 2 * o.claims.length;
  let done = 0;
  const common = { mode: o.mode, seed: o.seed, cache: o.cache, data };
  let notebooksReady!: (v: { records: NotebookRecord[]; notebookSeconds: Record<string, number> }) => void;
  const notebooks = new Promise<{ records: NotebookRecord[]; notebookSeconds: Record<string, number> }>((resolve) => { notebooksReady = resolve; });
  const notebooksEnded = () => {
    if (records.size === o.notebooks.length) notebooksReady({ records: o.notebooks.map((n) => records.get(n.name)!), notebookSeconds });
  };
  let measured = false;
  const lookups: CacheStats = { hits: 0, misses: 0, damaged: 0, uncacheable: 0 };
  const take = (r: TaskResult, ran = false) => {
    done++;
    if (ran) { known[hintName(r)] = r.kind === 'notebook' ? r.seconds : r.outcome.seconds; measured = true; }
    if (r.kind === 'notebook') {
      for (const line of r.log) o.log?.(`[${r.name}] ${line}`);
      records.set(r.name, r.record);
      notebookSeconds[r.name] = r.seconds;
      o.onNotebook?.(r.record);
      o.onProgress?.({ stage: 'claims', done, total, label: `notebook ${r.name}${r.record.error ? ' FAILED' : ''}` });
      notebooksEnded();
    } else {
      const h = halves.get(r.key) ?? {};
      h[r.outcome.part] = r.outcome;
      halves.set(r.key, h);
      o.onProgress?.({ stage: 'claims', done, total, label: `${r.key} ${r.outcome.part === 'evidence' ? 'check' : 'negative control'}` });
    }
  };
  notebooksEnded(); // no notebooks at all

  const run = async (): Promise<PoolRunResult> => {
    // what is stored is read here: a warm run starts no worker
    const all = poolUnits(groupTasks(o.notebooks, o.claims), typeof o.cache === 'string', cost);
    const ready: Unit[] = [], left = new Set<Unit>();
    for (const u of all) {
      u.tasks = u.tasks.filter((t) => {
        const hit = cachedResult(t, common);
        if (hit) take(hit);
        return !hit;
      });
      if (u.tasks.length) left.add(u);
    }
    // a unit read whole from the cache does not hold up its dependants
    for (const u of all) if (!left.has(u)) for (const d of u.dependants) d.waiting--;
    for (const u of left) if (u.waiting === 0) ready.push(u);
    const release = (u: Unit) => { for (const d of u.dependants) if (--d.waiting === 0 && left.has(d)) ready.push(d); };
    if (!left.size) return finish();
    const pool = new Piscina({
      filename: new URL('./worker-entry.mjs', import.meta.url).href, minThreads: Math.min(workers, left.size), maxThreads: workers, idleTimeout: 1000,
      execArgv: workerExecArgv(),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let running = 0, failed = false;
        const next = () => {
          if (failed) return;
          if (!left.size) { resolve(); return; }
          // at most one unit per worker in flight, so the longest ready chain starts first
          ready.sort((a, b) => b.priority - a.priority);
          while (running < workers && ready.length) {
            const u = ready.shift()!;
            running++;
            (pool.run({ tasks: u.tasks, ...common } satisfies GroupInput) as Promise<GroupOutput>).then(({ results, cache }) => {
              running--;
              for (const k of Object.keys(lookups) as (keyof CacheStats)[]) lookups[k] += cache[k];
              // a result another worker stored meanwhile comes back with 0 s: not a measurement
              for (const r of results) take(r, (r.kind === 'notebook' ? r.seconds : r.outcome.seconds) > 0);
              left.delete(u);
              release(u);
              next();
            }, (e: unknown) => { failed = true; reject(e); });
          }
        };
        next();
      });
    } finally {
      await pool.destroy();
      if (hints && measured) saveHints(hints, known);
    }
    return finish();
  };
  const finish = (): PoolRunResult => ({
    // report order, whatever order they finished in
    records: o.notebooks.map((n) => records.get(n.name)!),
    claims: o.claims.map((c) => {
      const key = claimKey(c), h = halves.get(key)!;
      return { key, claim: byKey.get(key)!, evidence: h.evidence!.outcome as Outcome, control: h.control!.outcome as Outcome, seconds: h.evidence!.seconds + h.control!.seconds };
    }),
    notebookSeconds, seconds: (performance.now() - t0) / 1000, workers, cache: lookups,
  });
  const doneP = run();
  return { notebooks: Promise.race([notebooks, doneP.then(() => notebooks)]), done: doneP };
}
