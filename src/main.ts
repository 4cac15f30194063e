/**
 * `npm start`: the main job on built-in defaults. It writes the verified built-in derivations
 * (out/derivations/), runs every notebook, runs the claim table (C1…C39 with negative
 * controls), exports every figure (HTML, SVG, PNG, PDF) in one browser session, and writes
 * out/report.html, and every notebook as a Jupyter notebook (out/jupyter/NAME.ipynb, same source). Wall-clock times go to the terminal and out/timings.json only: every other
 * file is byte-identical for the same command, seed and commit. Options: `npm start -- --quick`
 * (test-sized runs), `--out DIR`; `npm start -- --help` lists every option (src/start-options.ts).
 * Exit code: 0 when every derivation is proved, every notebook ran and every claim holds with a
 * failing control; 1 otherwise (the report still lists what went wrong); 2 on bad input.
 */
import { join } from 'node:path';
import { notebooks } from '../notebooks/index.ts';
import { buildReport, reportSummary } from './report/report.ts';
import { consoleProgress, type ConsoleProgress, type ProgressEvent } from './report/progress.ts';
import { writeDerivations } from './symbolic/builtin.ts';
import { UserError } from './util/errors.ts';
import { parseStartArgs, START_USAGE } from './start-options.ts';
import { ensureDir } from './util/io.ts';
import { packageRoot } from './util/package-root.ts';
import { availableParallelism } from 'node:os';
import { useCache } from './util/cache.ts';
import { startOnPool } from './report/parallel.ts';
import { startNotebookExport } from './report/outputs.ts';

async function main(): Promise<number> {
  const options = parseStartArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(START_USAGE);
    return 0;
  }
  const { outDir, seed, mode, cacheDir } = options;
  const workers = options.workers ?? availableParallelism();
  ensureDir(outDir, '--out');
  if (cacheDir !== null) ensureDir(cacheDir, '--cache');
  const cache = useCache(cacheDir, (line) => console.log(line));
  const t0 = performance.now();

  // The notebooks and claims start first, on the worker pool; this thread meanwhile writes the
  // derivations, the API reference and the Jupyter notebooks. Each notebook's figures go to the
  // browser as soon as that notebook ends, so the export runs beside the rest of the pool.
  const { allClaims } = await import('./claims/index.ts');
  let progress: ConsoleProgress | undefined;
  const early: ProgressEvent[] = []; // the pool's and the export's progress, shown once the earlier stages have printed
  const show = (e: ProgressEvent) => (progress ? progress(e) : early.push(e));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const command = `npm start${mode === 'quick' ? ' -- --quick' : ''}`;
  const figures = startNotebookExport({ outDir, command, seed, cache, log, onFigure: (done, total, label) => show({ stage: 'figures', done, total, label }) });
  const pool = startOnPool({
    notebooks, claims: allClaims(), mode, seed, workers, cache: cacheDir, onProgress: show, onNotebook: figures.add,
    previousTimings: join(outDir, 'timings.json'), log,
  });
  const since = t0 / 1000;
  let report, derivations;
  try {
    console.log(`depthlimit: ${mode} run, seed ${seed}, writing to ${outDir}/`);
    console.log('\n== Built-in derivations (each verified by two routes and a numeric ladder) ==');
    ({ derivations } = writeDerivations(outDir, seed));
    for (const d of derivations) console.log(`\n-- ${d.title} [${d.verdict}]\n${d.text.trimEnd()}`);
    console.log(`\nderivations written to ${outDir}/derivations/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    console.log('\n== API reference (TypeDoc over the TSDoc of src/index.ts) ==');
    const tApi = performance.now();
    const { writeApiReference } = await import('./report/api-docs.ts');
    const api = await writeApiReference(join(outDir, 'api'), cache);
    for (const w of api.warnings) console.log(`  ${w}`);
    console.log(api.dir ? `wrote ${join(api.dir, 'index.html')} in ${((performance.now() - tApi) / 1000).toFixed(1)} s` : `API reference not written: ${api.skipped}`);

    console.log('\n== Jupyter notebooks (cut from notebooks/*.ts; open with the tslab kernel, README) ==');
    const { writeJupyterNotebooks } = await import('./report/jupyter.ts');
    const { builtinNotebookFiles } = await import('./report/write-jupyter.ts');
    const ipynb = await writeJupyterNotebooks(builtinNotebookFiles(), join(outDir, 'jupyter'), { mode, seed, root: packageRoot() });
    console.log(`wrote ${ipynb.length} notebooks to ${join(outDir, 'jupyter')}/`);

    console.log(`\n== Notebooks (${notebooks.length}), claims, figures, report (on ${workers} worker${workers === 1 ? '' : 's'}, started first) ==`);
    progress = consoleProgress();
    early.forEach(progress);
    const ran = await pool.notebooks;
    const claimResults = pool.done.then((r) => r.claims), ranElsewhere = pool.done.then((r) => ({ notebooks: r.notebookSeconds, seconds: r.seconds, workers: r.workers, since }));
    for (const p of [claimResults, ranElsewhere]) p.catch(() => {}); // a pool failure is thrown where they are awaited, or by the finally below
    report = await buildReport({ notebooks: ran.records, claimResults, derivations, outDir, mode, seed, onProgress: progress, cache, ranElsewhere, command, started: figures });
  } finally {
    if (!report) await figures.abandon(); // never leave the browser running when this run failed
    progress?.stop();
    await pool.done.catch(() => {}); // never leave workers running, even when this thread failed (a pool failure itself was thrown above)
  }
  console.log(`\n${reportSummary(report)}`);
  const unproved = derivations.filter((d) => d.verdict !== 'proved');
  for (const d of unproved) console.log(`  problem: derivation ${d.name}: ${d.verdict}`);
  if (cache) {
    // this thread's lookups (whole notebooks and claims read before the pool starts, derivations,
    // figure files, API reference) and the workers' (experiments inside the tasks they ran)
    const w = (await pool.done).cache, st = cache.stats;
    const [read, computed, damaged] = [st.hits + w.hits, st.misses + w.misses, st.damaged + w.damaged];
    console.log(`cache ${cacheDir ?? '(memory only: --no-cache)'}: ${read} results read, ${computed} computed${damaged ? `, ${damaged} damaged entries recomputed` : ''}`);
  }
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const problems = unproved.length + report.problems.length;
  return problems ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  if (e instanceof UserError) {
    process.stderr.write(`depthlimit: error: ${e.message.split('\n')[0]}\n`);
    process.exitCode = 2;
  } else throw e;
}
