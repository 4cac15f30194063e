/**
 * Benchmark: export of 10 figures in all formats (HTML, SVG, PNG 300 dpi, PDF) through ONE
 * headless Chromium session. Target < 5 s. Peer: the naive way, one browser launch per
 * figure (same code path, `exportFigures` called per figure), median of `peerRuns`.
 *   node --import tsx bench/export.ts [runs=5] [peerRuns=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportFigures } from '../src/figures/export.ts';
import { allFigures } from '../src/figures/registry.ts';
import { assignFigureIds, type FigureEntry } from '../src/report/notebook.ts';
import { chromiumAvailable, chromiumHint } from '../src/figures/browser.ts';

const runs = Number(process.argv[2] ?? 5);
const peerRuns = Number(process.argv[3] ?? 3);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

if (!chromiumAvailable()) {
  console.log(chromiumHint());
  process.exit(1);
}
// 10 figures: the registered specs in order (repeated if fewer than 10), from their samples
// (samples are computed once, outside the timed region: some run a small experiment)
const specs = allFigures();
const base: FigureEntry[] = assignFigureIds(Array.from({ length: 10 }, (_, i) => {
  const f = specs[i % specs.length]!;
  return { figure: f.name, data: f.sample() };
}));
const entries = (): FigureEntry[] => base.map((e) => ({ ...e }));
const names = entries().map((e) => e.id).join(', ');

const phases: Partial<Record<'launch' | 'load' | 'draw', number>>[] = [];

async function once(split: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'depthlimit-bench-'));
  try {
    const t0 = performance.now();
    if (split) for (const e of entries()) await exportFigures([e], { outDir: dir, log: () => {} });
    else {
      const timings = {};
      await exportFigures(entries(), { outDir: dir, log: () => {}, timings });
      phases.push(timings);
    }
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`figures: ${names}`);
await once(false); // warm the file cache (plotly.min.js, MathJax) and the Chromium binary
const one: number[] = [];
for (let i = 0; i < runs; i++) {
  one.push(await once(false));
  console.log(`  one browser, run ${i + 1}/${runs}: ${one[i]!.toFixed(2)} s  (load avg ${loadavg()[0]!.toFixed(1)})`);
}
const peers: number[] = [];
for (let i = 0; i < peerRuns; i++) {
  peers.push(await once(true));
  console.log(`  one browser per figure, run ${i + 1}/${peerRuns}: ${peers[i]!.toFixed(2)} s  (load avg ${loadavg()[0]!.toFixed(1)})`);
}
const peer = median(peers);
const m = median(one);
console.log(`export of 10 figures (html,svg,png,pdf), one Chromium session: median ${m.toFixed(2)} s over ${runs} runs (min ${Math.min(...one).toFixed(2)}, max ${Math.max(...one).toFixed(2)}); target < 5 s: ${m < 5 ? 'met' : 'NOT met'}`);
const ph = (k: 'launch' | 'load' | 'draw') => median(phases.slice(1).map((p) => p[k] ?? NaN)).toFixed(2);
console.log(`  phases (median): browser launch ${ph('launch')} s, plotly+MathJax ready ${ph('load')} s, 10 figures drawn ${ph('draw')} s`);
console.log(`peer, one browser per figure: median ${peer.toFixed(2)} s over ${peerRuns} runs; ratio of medians ${(peer / m).toFixed(1)}× slower`);
