/**
 * Every notebook registered in notebooks/index.ts runs in quick mode without error, and every
 * TeX string it records (display, inline in prose, tables, captions) parses in KaTeX: checked
 * here independently of the runtime check in NotebookContext. Then, where Debian's Jupyter is
 * installed (CI installs it), every one is executed cell by cell by nbclient (the engine of
 * `jupyter nbconvert --execute`), each in its own tslab kernel, its displayed math and tables
 * equal to the record `runNotebook` made for the same seed and mode: the same records, run once
 * in this file (the kernel's run is its own, in another process).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { notebooks } from '../../notebooks/index.ts';
import { runNotebook, type Notebook, type NotebookRecord } from '../../src/report/notebook.ts';
import { splitMath } from '../../src/report/tex.ts';
import { prepareFigures } from '../../src/figures/export.ts';
import { writeJupyterNotebooks } from '../../src/report/jupyter.ts';
import { builtinNotebookFiles } from '../../src/report/write-jupyter.ts';
import { expectedDisplays, type Ipynb } from './jupyter-helpers.ts';

const SEED = 1;
const records = new Map<Notebook, Promise<NotebookRecord>>();
/** A notebook's quick-mode record, run once in this file (the KaTeX test and the Jupyter comparison read it). */
function recordOf(nb: Notebook): Promise<NotebookRecord> {
  if (!records.has(nb)) records.set(nb, runNotebook(nb, { mode: 'quick', seed: SEED, log: () => {} }));
  return records.get(nb)!;
}

/** Every TeX string of a record, with where it came from. */
function texStrings(rec: NotebookRecord): { tex: string; display: boolean; where: string }[] {
  const out: { tex: string; display: boolean; where: string }[] = [];
  const prose = (s: string, where: string) => { for (const p of splitMath(s, where)) if (p.kind === 'math') out.push({ tex: p.tex, display: p.display, where }); };
  prose(rec.title, 'title');
  prose(rec.summary, 'summary');
  rec.blocks.forEach((b, i) => {
    const where = `block ${i} (${b.kind})`;
    if (b.kind === 'tex') out.push({ tex: b.tex, display: true, where });
    else if (b.kind === 'text') prose(b.markdown, where);
    else if (b.kind === 'section') prose(b.title, where);
    else if (b.kind === 'table') [...b.header, ...b.rows.flat(), b.caption ?? ''].forEach((c) => typeof c === 'string' && prose(c, where));
    else if (b.kind === 'figure' && b.caption) prose(b.caption, where);
  });
  return out;
}

for (const nb of notebooks) {
  test(`notebook ${nb.name}: runs in quick mode; KaTeX parses all its TeX; its figures build`, async () => {
    const rec = await recordOf(nb);
    assert.is(rec.error, undefined, `notebook failed: ${rec.error}`);
    assert.ok(rec.blocks.length > 0, 'it recorded something');
    const bad = texStrings(rec).flatMap(({ tex, display, where }) => {
      try { katex.renderToString(tex, { throwOnError: true, displayMode: display }); return []; } catch (e) { return [`${where}: ${tex}: ${(e as Error).message}`]; }
    });
    assert.equal(bad, [], bad.join('\n'));
    assert.is(prepareFigures(rec.figures.map((f, i) => ({ ...f, id: `f${i}` }))).length, rec.figures.length);
  });
}

test('notebook names are unique', () => {
  const names = notebooks.map((n) => n.name);
  assert.is(new Set(names).size, names.length);
});

const root = resolve('.');
const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-jupyter-test-'));

// ---- executed by Jupyter (nbclient, the engine of `jupyter nbconvert --execute`, and the tslab kernel from node_modules) ----
// Installed = jupyter-nbconvert on PATH (a file lookup; `jupyter-nbconvert --version` cost a Python start-up, ~0.7 s CPU).
// An installed but broken Jupyter now fails the test below instead of skipping it.
const nbconvertExe = (process.env['PATH'] ?? '').split(':').filter((d) => d !== '').map((d) => join(d, 'jupyter-nbconvert')).find((f) => existsSync(f));
const haveJupyter = nbconvertExe !== undefined;
const CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** The Python that runs Jupyter: jupyter-nbconvert's own interpreter (its `#!` line), which imports nbclient and nbformat. */
function jupyterPython(exe: string): string {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(exe, 'utf8').split('\n', 1)[0]!);
  if (!m) return 'python3';
  return m[1]!.endsWith('/env') && m[2] ? m[2] : m[1]!;
}

/**
 * Executes each notebook given (argv: concurrency, output folder, notebooks) with nbclient, the
 * engine behind `jupyter nbconvert --execute` (its ExecutePreprocessor is nbclient's
 * NotebookClient): each in its own fresh kernel started in the notebook's folder, cell by cell,
 * stopping at the first cell that raises; the executed notebook is written under the same name
 * and one JSON line per notebook says whether it ran through. One Python process for all (the
 * nbconvert CLI cost ≈ 1.3 s of Python CPU per call and ≈ 0.8 s per notebook for its exporter
 * machinery, ≈ 8.6 s for two calls over the 7 notebooks; this ≈ 3.6 s), `concurrency` kernels at once.
 */
const EXECUTE_PY = `
import asyncio, json, os, sys
import nbformat
from nbclient import NotebookClient

async def run(sem, src, out):
    async with sem:
        nb = nbformat.read(src, as_version=4)
        try:
            await NotebookClient(nb, timeout=300, resources={'metadata': {'path': os.path.dirname(src)}}).async_execute()
        except Exception as e:
            return {'path': src, 'error': f'{type(e).__name__}: {e}'}
        nbformat.write(nb, out)
        return {'path': src, 'error': None}

async def main(concurrency, out_dir, paths):
    sem = asyncio.Semaphore(concurrency)
    for r in await asyncio.gather(*(run(sem, p, os.path.join(out_dir, os.path.basename(p))) for p in paths)):
        print(json.dumps(r), flush=True)

asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3:]))
`;

/**
 * Every notebook's own outcome (undefined: it ran through and its executed copy is in `outDir`;
 * else the error, with the first failing cell's traceback) from one nbclient process, with a
 * private kernel spec for tslab in `jupyterPath` (no global `tslab install` needed).
 */
function execute(ipynbs: string[], outDir: string, jupyterPath: string, concurrency: number): Promise<Map<string, string | undefined>> {
  return new Promise((res) => {
    const p = spawn(jupyterPython(nbconvertExe!), ['-c', EXECUTE_PY, String(concurrency), outDir, ...ipynbs], {
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PATH: `${join(root, 'node_modules', '.bin')}:${process.env['PATH']}` },
    });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => {
      const out = new Map<string, string | undefined>();
      for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
        const r = JSON.parse(line) as { path: string; error: string | null };
        out.set(r.path, r.error ?? undefined);
      }
      // a notebook without its line (the process died): the process's own exit code and stderr
      for (const f of ipynbs) if (!out.has(f)) out.set(f, `no outcome (exit code ${code}): ${stderr}`);
      res(out);
    });
  });
}

// Skipped (and counted so) without Debian's jupyter-nbconvert; .ci/run installs it, and under CI=1 its absence fails.
const jupyterTest = haveJupyter ? test : CI ? test : test.skip;
if (!haveJupyter && !CI) console.log('  jupyter-nbconvert not found: the Jupyter execution test is skipped (apt-get install -y jupyter-nbconvert jupyter-notebook python3-ipykernel)');

jupyterTest('every built-in notebook runs cell by cell in Jupyter (tslab kernel), showing the math and tables runNotebook records', async () => {
  assert.ok(haveJupyter, 'jupyter-nbconvert is required under CI (.ci/run installs it)');
  const jp = join(tmp, 'jupyter');
  mkdirSync(join(jp, 'kernels', 'tslab'), { recursive: true });
  writeFileSync(join(jp, 'kernels', 'tslab', 'kernel.json'), JSON.stringify({
    argv: [join(root, 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript',
  }));
  const entries = builtinNotebookFiles(root);
  const dir = join(tmp, 'ipynb');
  const paths = await writeJupyterNotebooks(entries, dir, { mode: 'quick', seed: SEED, root });
  // one nbclient process, a kernel per notebook, as many at once as there are cores
  const outDir = join(tmp, 'executed');
  mkdirSync(outDir);
  const results = await execute(paths, outDir, jp, Math.min(availableParallelism(), paths.length));
  for (const [i, e] of entries.entries()) {
    const err = results.get(paths[i]!);
    assert.is(err, undefined, `${e.notebook.name}: execution failed: ${err}`);
    const out = JSON.parse(readFileSync(join(outDir, basename(paths[i]!)), 'utf8')) as Ipynb;
    const outputs = out.cells.flatMap((c) => c.outputs ?? []);
    assert.is(outputs.filter((o) => o.output_type === 'error').length, 0, `${e.notebook.name}: a cell raised`);
    const shown = outputs.filter((o) => o.output_type === 'display_data').flatMap((o) => Object.entries(o.data ?? {}).map(([m, v]) => [m, Array.isArray(v) ? v.join('') : v] as [string, string]));
    const ref = await recordOf(e.notebook);
    assert.is(ref.error, undefined, `${e.notebook.name} failed under runNotebook: ${ref.error}`);
    const want = expectedDisplays(ref);
    const got = shown.filter(([m, s]) => (m === 'text/latex' || m === 'text/markdown') && !/^\*(Figure |.*\d ms\*$)/.test(s) && !/^## Results/.test(s) && !/^\*[^*]+\*$/.test(s));
    assert.equal(got, want.filter(([, s]) => !/^\*[^*]+\*$/.test(s)), `${e.notebook.name}: Jupyter showed other math or tables than runNotebook recorded`);
    const figures = shown.filter(([m, s]) => m === 'text/html' && s.includes('window.drawAligned(')).length;
    assert.is(figures, ref.figures.length, `${e.notebook.name}: every figure drawn`);
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
