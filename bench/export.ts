/**
 * Benchmark: the static export (SVG, PNG 300 dpi, PDF; HTML and data files too) of the figures
 * of a fixed set of notebook records, through ONE headless Chromium session, as CPU per figure:
 * node's own (process.cpuUsage) plus Chromium's, read from /proc/<pid>/stat of every process
 * the browser runs (browser, zygotes, GPU, renderers) between the steps of each figure's
 * drawing (`drawProbe` in src/figures/export.ts). CPU is the figure that means something on
 * the shared 2 cores; wall time is printed beside it.
 *   - phases: one tab, so each step's CPU is its own: plotly draw (with the count of extra
 *     redraws drawAligned needed), PNG screenshot, PDF print, SVG serialisation, and the file
 *     writes between figures; launch + page load separately. Then Chromium's part of each phase
 *     by thread (bench/export-cpu.ts: the renderer's main thread runs plotly, its workers
 *     raster; the GPU process's viz thread composites and reads screenshots back; the
 *     browser's main thread encodes the PNG), which says where a cut could come from.
 *   - totals: the default tabs (what `npm start` runs): wall and CPU per figure.
 *   - peer (same process): one browser per figure, the first 5 figures (`--no-peer` skips it).
 * Records: `--from DIR` reads DIR/*.json notebook records (`npm start` writes out/notebooks/);
 * without it the notebooks run once in quick mode (outside every timed region).
 *   node --import tsx bench/export.ts [runs=5] [--from out/notebooks] [--no-peer]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawProbe, exportPrepared, prepareFigures, type DrawStep, type PreparedFigure } from '../src/figures/export.ts';
import { assignFigureIds, runNotebook, type NotebookRecord } from '../src/report/notebook.ts';
import { chromiumAvailable, chromiumHint } from '../src/figures/browser.ts';
import { ChromiumCpu, cpuSeconds } from './export-cpu.ts';
import { DEFAULT_SEED } from '../src/util/prng.ts';
import { notebooks } from '../notebooks/index.ts';

const args = process.argv.slice(2);
const from = args.includes('--from') ? args[args.indexOf('--from') + 1] : undefined;
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

if (!chromiumAvailable()) {
  console.log(chromiumHint());
  process.exit(1);
}

const records: NotebookRecord[] = from
  ? readdirSync(from).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(from, f), 'utf8')) as NotebookRecord)
  : await Promise.all(notebooks.map((nb) => runNotebook(nb, { mode: 'quick', seed: DEFAULT_SEED, log: () => {} })));
const figures = prepareFigures(assignFigureIds(records.flatMap((r) => r.figures)));
const n = figures.length;

type Phase = 'launch+load' | 'draw' | 'png' | 'pdf' | 'svg' | 'writes' | 'close';
interface Cost { wall: number; node: number; chromium: number }
interface Run { total: Cost; phases: Map<Phase, Cost>; threads: Map<Phase, Record<string, number>>; redraws: number; redrawn: number }

/** One export of every figure to a fresh folder, with CPU read at each step of each figure. */
async function once(figs: PreparedFigure[], tabs?: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'depthlimit-bench-'));
  const chromium = new ChromiumCpu();
  const phases = new Map<Phase, Cost>();
  const threads = new Map<Phase, Record<string, number>>();
  let redraws = 0, redrawn = 0;
  const t0 = performance.now(), n0 = process.cpuUsage();
  let mark = { wall: t0, node: 0, chromium: 0 }, markThreads: Record<string, number> = {};
  const lap = (phase: Phase) => {
    const chromiumNow = chromium.sample(), threadsNow = chromium.sampleByThread();
    const now = { wall: performance.now(), node: cpuSeconds(process.cpuUsage(n0)) - chromium.overhead, chromium: chromiumNow };
    const c = phases.get(phase) ?? { wall: 0, node: 0, chromium: 0 };
    phases.set(phase, { wall: c.wall + (now.wall - mark.wall) / 1000, node: c.node + now.node - mark.node, chromium: c.chromium + now.chromium - mark.chromium });
    const t = threads.get(phase) ?? {};
    for (const [k, v] of Object.entries(threadsNow)) t[k] = (t[k] ?? 0) + v - (markThreads[k] ?? 0);
    threads.set(phase, t);
    mark = now;
    markThreads = threadsNow;
  };
  const STEP: Record<DrawStep, Phase> = { start: 'writes', draw: 'draw', png: 'png', pdf: 'pdf', svg: 'svg' };
  let started = false;
  drawProbe.step = (_id, step, r) => {
    if (step === 'start') chromium.rescan();
    lap(step === 'start' && !started ? 'launch+load' : STEP[step]);
    started = true;
    if (step === 'draw' && r) { redraws += r; redrawn++; }
  };
  const old = process.env['DEPTHLIMIT_EXPORT_TABS'];
  if (tabs) process.env['DEPTHLIMIT_EXPORT_TABS'] = String(tabs);
  try {
    await exportPrepared(figs, { outDir: dir, log: () => {} });
  } finally {
    drawProbe.step = undefined;
    if (tabs) { if (old === undefined) delete process.env['DEPTHLIMIT_EXPORT_TABS']; else process.env['DEPTHLIMIT_EXPORT_TABS'] = old; }
    rmSync(dir, { recursive: true, force: true });
  }
  lap('close'); // Chromium's part after its last sample is not seen (see ChromiumCpu)
  const total = [...phases.values()].reduce((a, c) => ({ wall: a.wall + c.wall, node: a.node + c.node, chromium: a.chromium + c.chromium }), { wall: 0, node: 0, chromium: 0 });
  return { total, phases, threads, redraws, redrawn };
}

const ms = (s: number) => `${(s * 1000).toFixed(0).padStart(5)} ms`;
const load = () => `load avg ${loadavg()[0]!.toFixed(1)}`;
console.log(`${n} figures from ${records.length} notebook records (${from ? from : 'quick notebooks run here'}), all formats; ${runs} runs each after a warm-up run`);
await once(figures, 1); // warm the file cache and the profile's V8 code cache

const oneTab: Run[] = [];
for (let i = 0; i < runs; i++) {
  oneTab.push(await once(figures, 1));
  const t = oneTab[i]!.total;
  console.log(`  one tab, run ${i + 1}/${runs}: wall ${t.wall.toFixed(2)} s, CPU node ${t.node.toFixed(2)} s + Chromium ${t.chromium.toFixed(2)} s  (${load()})`);
}
const r0 = oneTab[0]!;
console.log(`phases, one tab (medians; CPU = node + Chromium, per figure; ${r0.redrawn} of ${n} figures needed ${r0.redraws} extra plotly redraws in all):`);
console.log(`  ${'phase'.padEnd(12)} ${'wall'.padStart(8)} ${'CPU node'.padStart(9)} ${'Chromium'.padStart(9)} ${'CPU/figure'.padStart(11)}`);
for (const phase of ['launch+load', 'draw', 'png', 'pdf', 'svg', 'writes', 'close'] as Phase[]) {
  const m = (k: keyof Cost) => median(oneTab.map((r) => r.phases.get(phase)?.[k] ?? 0));
  const per = ['launch+load', 'close'].includes(phase) ? '' : ms((m('node') + m('chromium')) / n);
  console.log(`  ${phase.padEnd(12)} ${m('wall').toFixed(2).padStart(6)} s ${m('node').toFixed(2).padStart(7)} s ${m('chromium').toFixed(2).padStart(7)} s ${per.padStart(11)}`);
}

const groups = [...new Set(oneTab.flatMap((r) => [...r.threads.values()].flatMap((t) => Object.keys(t))))];
const PHASES: Phase[] = ['launch+load', 'draw', 'png', 'pdf', 'svg', 'writes', 'close'];
const byThread = groups.map((g) => ({ g, s: PHASES.map((p) => median(oneTab.map((r) => r.threads.get(p)?.[g] ?? 0))) }))
  .map((row) => ({ ...row, total: row.s.reduce((a, b) => a + b, 0) })).filter((row) => row.total >= 0.05).sort((a, b) => b.total - a.total);
console.log(`Chromium's CPU by process and thread, one tab (medians, seconds; threads under 0.05 s left out):`);
console.log(`  ${'thread'.padEnd(20)} ${PHASES.map((p) => p.padStart(11)).join(' ')} ${'all'.padStart(7)}`);
for (const { g, s: v, total } of byThread) console.log(`  ${g.padEnd(20)} ${v.map((x) => x.toFixed(2).padStart(11)).join(' ')} ${total.toFixed(2).padStart(7)}`);

const tabs: Run[] = [];
for (let i = 0; i < runs; i++) {
  tabs.push(await once(figures));
  const t = tabs[i]!.total;
  console.log(`  default tabs, run ${i + 1}/${runs}: wall ${t.wall.toFixed(2)} s, CPU node ${t.node.toFixed(2)} s + Chromium ${t.chromium.toFixed(2)} s  (${load()})`);
}
const med = (rs: Run[], k: keyof Cost) => median(rs.map((r) => r.total[k]));
const cpu = (rs: Run[]) => median(rs.map((r) => r.total.node + r.total.chromium));
console.log(`export of ${n} figures, one tab:      wall ${med(oneTab, 'wall').toFixed(2)} s, CPU ${cpu(oneTab).toFixed(2)} s (node ${med(oneTab, 'node').toFixed(2)} + Chromium ${med(oneTab, 'chromium').toFixed(2)}), ${ms(cpu(oneTab) / n).trim()} CPU per figure`);
console.log(`export of ${n} figures, default tabs: wall ${med(tabs, 'wall').toFixed(2)} s, CPU ${cpu(tabs).toFixed(2)} s (node ${med(tabs, 'node').toFixed(2)} + Chromium ${med(tabs, 'chromium').toFixed(2)}), ${ms(cpu(tabs) / n).trim()} CPU per figure`);

// peer: one browser session per figure (the same code called per figure), the first 5 figures
if (args.includes('--no-peer')) process.exit(0);
const few = figures.slice(0, 5);
const peerRuns: number[] = [], sessionRuns: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  let c = 0;
  for (const f of few) { const r = await once([f], 1); c += r.total.node + r.total.chromium; }
  peerRuns.push(c / few.length);
  const r = await once(few, 1);
  sessionRuns.push((r.total.node + r.total.chromium) / few.length);
}
console.log(`peer, first ${few.length} figures: one browser per figure ${ms(median(peerRuns)).trim()} CPU per figure, one session ${ms(median(sessionRuns)).trim()}; ratio ${(median(peerRuns) / median(sessionRuns)).toFixed(1)}×`);
