/**
 * Where the CPU time of `npm start` and of the claim tests goes: CPU seconds (user + system of
 * this process, `process.cpuUsage()`) per built-in derivation pass, per notebook and per claim
 * (check and negative control apart), in one mode. CPU, not wall clock, so the numbers mean
 * something on a shared, loaded machine. Usage:
 *   node --import tsx bench/profile.ts [quick|full] [--only notebooks|claims|derivations]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mode = (process.argv[2] === 'quick' ? 'quick' : 'full') as 'quick' | 'full';
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx > 0 ? process.argv[onlyIdx + 1] : undefined;
const seed = 20191029;

const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const rows: [string, number][] = [];
async function measure<T>(label: string, f: () => T | Promise<T>): Promise<T> {
  const c0 = cpu();
  const r = await f();
  const dt = cpu() - c0;
  rows.push([label, dt]);
  console.log(`${dt.toFixed(2).padStart(7)} s CPU  ${label}`);
  return r;
}

const tmp = mkdtempSync(join(tmpdir(), 'dl-profile-'));
try {
  await measure('import of the claim registry and notebooks', async () => {
    await import('../src/claims/index.ts');
    await import('../notebooks/index.ts');
  });
  if (!only || only === 'derivations') {
    const { writeDerivations } = await import('../src/symbolic/builtin.ts');
    await measure('derivations (writeDerivations)', () => writeDerivations(tmp, seed));
  }
  if (!only || only === 'notebooks') {
    const { notebooks } = await import('../notebooks/index.ts');
    const { runNotebook } = await import('../src/report/notebook.ts');
    for (const nb of notebooks) {
      await measure(`notebook ${nb.name}`, async () => {
        const r = await runNotebook(nb, { mode, seed, log: () => {} });
        if (r.error) console.log(`   (failed: ${r.error})`);
      });
    }
  }
  if (!only || only === 'claims') {
    const { allClaims, claimKey } = await import('../src/claims/index.ts');
    for (const c of allClaims()) {
      const ctx = { mode, seed };
      await measure(`claim ${claimKey(c)} check`, () => c.check(ctx));
      await measure(`claim ${claimKey(c)} control`, () => c.negativeControl.check(ctx));
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const total = rows.reduce((s, [, t]) => s + t, 0);
console.log(`\n${mode} mode: ${total.toFixed(1)} s CPU in all; the largest:`);
for (const [l, t] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${t.toFixed(2).padStart(7)} s  ${(100 * t / total).toFixed(0).padStart(3)}%  ${l}`);
