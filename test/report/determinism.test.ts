/**
 * Determinism: the same command gives the same files, byte for byte. The report builder runs
 * the same notebooks twice (quick mode, same seed, no claims, HTML figures only) into two
 * directories, and the built-in derivations are written twice; every file written must be
 * identical, except out/timings.json, the one file meant for wall-clock times. The notebooks
 * are those whose pages or data once carried timings: derivation times (continuum-limit),
 * adjoint-gap ladders (hamiltonian-view), per-level training times (gamma-convergence) and
 * step-size levels (discrete-vs-continuous).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { notebooks } from '../../notebooks/index.ts';
import { buildReport } from '../../src/report/report.ts';
import { writeDerivations } from '../../src/symbolic/builtin.ts';

const NOTEBOOKS = ['continuum-limit', 'hamiltonian-view', 'gamma-convergence', 'discrete-vs-continuous'];
/** The designated place for run times (relative path under the output directory). */
const TIMINGS = 'timings.json';
const SEED = 20191029;

/** Every file under `dir`, as sorted paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The first line where two texts differ, for the failure message. */
function firstLineDiff(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify((la[i] ?? '').slice(0, 160))} vs ${JSON.stringify((lb[i] ?? '').slice(0, 160))}`;
  }
  return 'same lines (line endings or trailing bytes differ)';
}

async function run(outDir: string): Promise<void> {
  const list = NOTEBOOKS.map((name) => {
    const nb = notebooks.find((n) => n.name === name);
    if (!nb) throw new Error(`notebook ${name} is not registered`);
    return nb;
  });
  const { derivations } = writeDerivations(outDir, SEED);
  const report = await buildReport({
    notebooks: list, derivations, claimResults: [], outDir, mode: 'quick', seed: SEED,
    formats: ['html'], command: 'determinism test', log: () => {},
  });
  assert.equal(report.problems, [], 'the runs themselves succeed');
}

test('two identical runs write byte-identical files (except timings.json)', async () => {
  const a = mkdtempSync(join(tmpdir(), 'depthlimit-det-a-'));
  const b = mkdtempSync(join(tmpdir(), 'depthlimit-det-b-'));
  try {
    await run(a);
    await run(b);
    const fa = listFiles(a), fb = listFiles(b);
    assert.ok(fa.includes(TIMINGS) && fb.includes(TIMINGS), 'run times are written to timings.json');
    assert.ok(fa.some((f) => f.startsWith('derivations/')) && fa.some((f) => f.startsWith('notebooks/')) && fa.some((f) => f.endsWith('.data.json')),
      'derivations, notebook pages and figure data were all written');
    assert.equal(fa, fb, 'both runs write the same set of files');
    const differing = fa.filter((f) => f !== TIMINGS && !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    const detail = differing.map((f) => `  ${f}: ${firstLineDiff(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'))}`);
    assert.equal(differing, [], `${differing.length} of ${fa.length} files differ between identical runs:\n${detail.join('\n')}`);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test.run();
