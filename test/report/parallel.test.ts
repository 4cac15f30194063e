/**
 * The worker pool and the result cache give the same files, byte for byte, as one worker with
 * nothing cached: a small subset of `npm start` (two notebooks, the cheap Hamiltonian claims,
 * quick mode, HTML figures) run with 1 worker cold, 2 workers cold, 2 workers warm and 1
 * worker warm. A warm run reruns nothing (every task read from the cache, no worker started);
 * a damaged notebook entry makes that notebook, and only it, run again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { notebooks } from '../../notebooks/index.ts';
import { allClaims } from '../../src/claims/index.ts';
import { buildReport } from '../../src/report/report.ts';
import { dataDigest, FALLBACK_HINTS, groupTasks, poolUnits, previousSeconds, runOnPool } from '../../src/report/parallel.ts';
import { workerExecArgv } from '../../src/util/package-root.ts';
import { useCache } from '../../src/util/cache.ts';

const SEED = 20191029;
const NOTEBOOKS = notebooks.filter((n) => n.name === "hamiltonian-view" || n.name === "continuum-limit");
const CLAIMS = allClaims().filter((c) => ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'].includes(c.id));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

async function run(outDir: string, cacheDir: string, workers: number) {
  const cache = useCache(cacheDir);
  try {
    const ran = await runOnPool({ notebooks: NOTEBOOKS, claims: CLAIMS, mode: 'quick', seed: SEED, workers, cache: cacheDir });
    await buildReport({
      notebooks: ran.records, claimResults: ran.claims, outDir, mode: 'quick', seed: SEED, formats: ['html'],
      command: 'parallel test', log: () => {}, cache, ranElsewhere: { notebooks: ran.notebookSeconds, seconds: ran.seconds, workers: ran.workers },
    });
    return ran;
  } finally {
    useCache('off');
  }
}

test('1 or 2 workers, cold or warm: byte-identical files (timings.json aside); warm reruns nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dl-parallel-'));
  try {
    const [cA, cB] = [join(root, 'cache-a'), join(root, 'cache-b')];
    const one = join(root, 'one'), two = join(root, 'two'), warm2 = join(root, 'warm2'), warm1 = join(root, 'warm1');
    const r1 = await run(one, cA, 1);
    await run(two, cB, 2);
    // scheduling hints: every task that ran, with its seconds; a warm run (nothing ran) leaves them as they were
    const hints = () => readFileSync(join(cB, 'task-times.json'), 'utf8');
    const cold = JSON.parse(hints()) as Record<string, number>;
    assert.equal(Object.keys(cold).sort(), [...NOTEBOOKS.map((n) => `notebook ${n.name}`), ...CLAIMS.flatMap((c) => [`${c.id} evidence`, `${c.id} control`])].sort());
    assert.ok(Object.values(cold).every((x) => x > 0), 'measured seconds');
    const w = await run(warm2, cB, 2);
    assert.equal(JSON.parse(hints()), cold, 'a warm run keeps the measured times');
    await run(warm1, cB, 1);
    assert.ok(r1.claims.every((c) => c.evidence.verdict === 'holds' && c.control.verdict === 'fails'), 'the claims themselves hold');
    assert.ok(Object.values(w.notebookSeconds).every((s) => s === 0) && w.claims.every((c) => c.seconds === 0), 'warm: every task came from the cache');
    const files = listFiles(one).filter((f) => f !== 'timings.json');
    assert.ok(files.length > 20, `${files.length} files written`);
    for (const other of [two, warm2, warm1]) {
      assert.equal(listFiles(other).filter((f) => f !== 'timings.json'), files, `same file list in ${relative(root, other)}`);
      for (const f of files) assert.ok(readFileSync(join(one, f)).equals(readFileSync(join(other, f))), `${f} differs between 1 worker cold and ${relative(root, other)}`);
    }
    // damage one stored notebook record: that notebook reruns (and gives the same files), nothing else does
    const recordEntry = readdirSync(cB, { recursive: true }).map(String).filter((f) => f.endsWith('.json'))
      .find((f) => readFileSync(join(cB, f), 'utf8').includes('\\"name\\":\\"hamiltonian-view\\",\\"title\\"'));
    assert.ok(recordEntry, 'the hamiltonian-view record is stored');
    writeFileSync(join(cB, recordEntry!), '{"key": "damaged');
    const again = join(root, 'again');
    const r = await run(again, cB, 2);
    assert.ok(r.notebookSeconds['hamiltonian-view']! > 0, 'the damaged notebook ran again');
    assert.is(r.notebookSeconds['continuum-limit'], 0, 'the other notebook came from the cache');
    assert.ok(r.claims.every((c) => c.seconds === 0), 'and every claim');
    for (const f of files) assert.ok(readFileSync(join(one, f)).equals(readFileSync(join(again, f))), `${f} differs after the rerun`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('workers get the main thread\'s Node flags without --import tsx (worker-entry.mjs registers tsx itself)', () => {
  assert.equal(workerExecArgv(['--import', 'tsx', '--max-old-space-size=4096']), ['--max-old-space-size=4096']);
  assert.equal(workerExecArgv(['--import=tsx', '--cpu-prof', '--import', './other.mjs']), ['--cpu-prof', '--import', './other.mjs']);
  assert.equal(workerExecArgv([]), []);
});

test('tasks that share an experiment run in one group: a claim joins the notebook that draws its figure', () => {
  const groups = groupTasks(notebooks, allClaims());
  const dvc = groups.find((g) => g.some((t) => t.kind === 'notebook' && t.name === 'discrete-vs-continuous'))!;
  const keys = dvc.filter((t) => t.kind === 'claim').map((t) => (t as { key: string }).key);
  assert.ok(keys.includes('C10') && keys.includes('C27'), `C10 (disk-annulus) and C27 (step-size-study) with their notebook: ${keys.join(', ')}`);
  const all = groups.flat();
  assert.is(all.length, notebooks.length + 2 * allClaims().length, 'every notebook, and each claim\'s check and control, exactly once');
});

test('every built-in claim is keyed by the code of its family (else a warm run recomputes it)', () => {
  const tasks = groupTasks([], allClaims()).flat();
  const unkeyed = tasks.filter((t) => t.kind === 'claim' && !t.module).map((t) => (t as { key: string }).key);
  assert.equal([...new Set(unkeyed)], [], `claims without a family module: ${unkeyed.join(', ')}`);
});

test('units: a claim\'s check waits for its notebook, its control for its check; the longest chain first; one unit per group without a cache folder', () => {
  const groups = groupTasks(notebooks.filter((n) => n.name === 'discrete-vs-continuous'), allClaims().filter((c) => ['C10', 'C27', 'C1'].includes(c.id)));
  const name = (u: { tasks: { kind: string; name?: string; key?: string; part?: string }[] }) => u.tasks.map((t) => (t.kind === 'notebook' ? t.name : `${t.key} ${t.part}`)).join(', ');
  const cost = (t: { kind: string; key?: string; part?: string }) => (t.kind === 'notebook' ? 10 : t.key === 'C27' && t.part === 'control' ? 6 : 1);
  const us = poolUnits(groups, true, cost as never);
  const by = new Map(us.map((u) => [name(u), u]));
  assert.is(us.length, 7);
  assert.is(by.get('C10 evidence')!.after, by.get('discrete-vs-continuous'));
  assert.is(by.get('C27 control')!.after, by.get('C27 evidence'));
  assert.is(by.get('C1 control')!.after, by.get('C1 evidence'));
  assert.is(by.get('C1 evidence')!.after, undefined);
  assert.is(by.get('discrete-vs-continuous')!.priority, 10 + 1 + 6, 'notebook, C27 check, C27 control');
  const whole = poolUnits(groups, false, cost as never);
  assert.equal(whole.map(name), ['discrete-vs-continuous, C10 evidence, C10 control, C27 evidence, C27 control', 'C1 evidence, C1 control']);
});

test('scheduling hints: this cache\'s measured times, else the previous timings.json, else the committed file (a fresh clone starts the longest notebook first)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dl-hints-'));
  try {
    const nb = (name: string) => ({ kind: 'notebook', name }) as never;
    const fresh = previousSeconds(join(dir, 'none.json'), join(dir, 'no-timings.json'));
    const committed = JSON.parse(readFileSync(FALLBACK_HINTS, 'utf8')) as Record<string, number>;
    // every built-in task is in the committed file, so none is "unknown" in a fresh clone
    const names = groupTasks(notebooks, allClaims()).flat().map((t) => (t.kind === 'notebook' ? `notebook ${t.name}` : `${t.key} ${t.part}`));
    assert.equal(names.filter((n) => committed[n] === undefined), [], 'tasks missing from scripts/task-times.json');
    assert.is(fresh.cost(nb('discrete-vs-continuous')), committed['notebook discrete-vs-continuous']);
    assert.ok(fresh.cost(nb('discrete-vs-continuous')) > fresh.cost(nb('hamiltonian-view')), 'the long notebook first');
    assert.equal(fresh.known, {}, 'the committed times are not written back as measured here');
    writeFileSync(join(dir, 'timings.json'), JSON.stringify({ notebooks: { 'hamiltonian-view': 99 } }));
    assert.is(previousSeconds(undefined, join(dir, 'timings.json')).cost(nb('hamiltonian-view')), 99, 'the previous run before the committed file');
    writeFileSync(join(dir, 'task-times.json'), JSON.stringify({ 'notebook hamiltonian-view': 7 }));
    assert.is(previousSeconds(join(dir, 'task-times.json'), join(dir, 'timings.json')).cost(nb('hamiltonian-view')), 7, 'this cache\'s measurement first');
    assert.is(previousSeconds(undefined, undefined, join(dir, 'none.json')).cost(nb('proofs')), 1e9, 'nothing known: first');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every notebook\'s and claim\'s key holds the data a run reads: proofs/*.md and data/* (an edit to either reruns them)', () => {
  const root = mkdtempSync(join(tmpdir(), 'dl-data-'));
  try {
    mkdirSync(join(root, 'proofs')); mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'proofs', 'step.md'), '# a proof\n'); writeFileSync(join(root, 'data', 'bench.csv'), 'x,y\n1,2\n');
    const before = dataDigest(root);
    assert.is(dataDigest(root), before);
    writeFileSync(join(root, 'data', 'bench.csv'), 'x,y\n1,3\n');
    const edited = dataDigest(root);
    assert.is.not(edited, before, 'the benchmark data edited');
    writeFileSync(join(root, 'proofs', 'step.md'), '# another proof\n');
    assert.is.not(dataDigest(root), edited, 'a proof edited');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test.run();
