/**
 * Bench (on demand): are the exported SVG/PNG/PDF byte-identical when the machine is loaded?
 * Exports the figures of a run's notebook records once with nothing added (run 0), then `runs`
 * more times while `busy` node processes spin on the cores, and prints, per run, how many files
 * differ from run 0 (or from the export in $REFERENCE; issue 15: the same command gives the
 * same bytes). Figures join the export notebook by notebook, GAP_MS apart, as in npm start.
 *   [REFERENCE=dir] [GAP_MS=1000] node --import tsx bench/export-determinism.ts [runs=5] [busy=4] [records=out/notebooks]
 * The records are a run's notebooks/*.json (`npm start -- --quick` writes out/notebooks/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport, prepareFigures } from '../src/figures/export.ts';
import type { FigureEntry } from '../src/report/notebook.ts';
import { chromiumAvailable, chromiumHint } from '../src/figures/browser.ts';

const runs = Number(process.argv[2] ?? 5);
const busy = Number(process.argv[3] ?? 4);
const records = process.argv[4] ?? 'out/notebooks';
if (!chromiumAvailable()) { console.log(chromiumHint()); process.exit(1); }
if (!existsSync(records)) { console.log(`no notebook records in ${records} (run \`npm start -- --quick\` first)`); process.exit(2); }
// one batch of figures per notebook, added as npm start adds them (each as its notebook ends)
const batches = readdirSync(records).filter((f) => f.endsWith('.json')).sort()
  .map((f) => prepareFigures((JSON.parse(readFileSync(join(records, f), 'utf8')) as { figures?: FigureEntry[] }).figures ?? []))
  .filter((b) => b.length);
const count = batches.reduce((n, b) => n + b.length, 0);
const root = mkdtempSync(join(tmpdir(), 'depthlimit-determinism-'));
const STATIC = ['svg', 'png', 'pdf'] as const;
/** Pause between notebooks' batches: the browser starts with the first and draws while more come. */
const GAP_MS = Number(process.env['GAP_MS'] ?? 1000);
/** Compare with this export's files (e.g. one made on an idle machine, or before a change) instead of run 0. */
const given = process.env['REFERENCE'];
const start = performance.now();

async function exportTo(name: string): Promise<string> {
  const dir = join(root, name);
  const session = openExport({ outDir: dir, formats: [...STATIC], seed: 1, command: 'bench', log: () => {} }, batches.some((b) => b.some((f) => f.tex)), count);
  for (const b of batches) {
    session.add(b);
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  const r = await session.finish();
  if (r.staticExport !== 'done') throw new Error(`export ${name}: ${r.staticExport} ${r.staticError ?? ''}`);
  return dir;
}

/** Files of `dir` whose bytes differ from the reference's, by format. */
function differing(ref: string, dir: string): Record<(typeof STATIC)[number], string[]> {
  const out = { svg: [] as string[], png: [] as string[], pdf: [] as string[] };
  for (const f of readdirSync(ref).sort()) {
    const ext = f.slice(f.lastIndexOf('.') + 1) as (typeof STATIC)[number];
    if (STATIC.includes(ext) && !readFileSync(join(ref, f)).equals(readFileSync(join(dir, f)))) out[ext].push(f);
  }
  return out;
}

const spinners: ChildProcess[] = [];
const stop = () => { for (const p of spinners) p.kill('SIGKILL'); };
process.on('exit', stop);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { stop(); process.exit(130); });
try {
  console.log(`${count} figures in ${batches.length} batches from ${records}; files in ${root}`);
  const idle = await exportTo('run0');
  const ref = given ?? idle;
  const totals = { svg: 0, png: 0, pdf: 0 };
  const report = (r: number, dir: string, t0: number) => {
    const d = differing(ref, dir);
    for (const x of STATIC) totals[x] += d[x].length;
    console.log(`run ${r} (${r ? busy : 0} busy processes, load average ${loadavg()[0]!.toFixed(1)}, ${((performance.now() - t0) / 1000).toFixed(0)} s): ` +
      STATIC.map((x) => `${d[x].length} ${x}`).join(', ') + ' differ' + (d.png.length ? `: ${d.png.join(' ')}` : ''));
  };
  if (given) report(0, idle, start);
  for (let i = 0; i < busy; i++) spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  for (let r = 1; r <= runs; r++) {
    const t0 = performance.now();
    report(r, await exportTo(`run${r}`), t0);
  }
  const any = STATIC.some((x) => totals[x] > 0);
  console.log(`total: ${STATIC.map((x) => `${totals[x]} ${x}`).join(', ')} differ from ${given ?? 'run 0'}${any ? ` (kept in ${root})` : ''}`);
  if (!any) rmSync(root, { recursive: true, force: true });
} finally {
  stop();
}
