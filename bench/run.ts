/**
 * `npm run bench [-- NAME …]`: run the benchmarks one after another (default: all of them),
 * each in its own process so one's JIT and heap do not colour the next. Every bench prints
 * its own medians and its ratio against the peer. Exit code 1 if any bench failed.
 */
import { spawnSync } from 'node:child_process';

const ALL = ['derive', 'rational', 'sweep', 'export', 'gamma', 'startup', 'adjoint-tape', 'knn'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = names.filter((n) => !ALL.includes(n));
if (unknown.length) {
  process.stderr.write(`depthlimit: error: unknown bench ${unknown.join(', ')} (choose from ${ALL.join(', ')})\n`);
  process.exit(2);
}
const failed: string[] = [];
for (const name of names) {
  console.log(`\n=== bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${name} (exit ${r.status ?? r.signal})`);
}
if (failed.length) console.log(`\nfailed: ${failed.join(', ')}`);
process.exitCode = failed.length ? 1 : 0;
