/**
 * The folder of depthlimit's own package.json: the repository root in a checkout (modules run
 * from src/) and the installed package folder (modules bundled into dist/). The relative path
 * from a module differs between the two, so walk up from this module to the first
 * package.json named "depthlimit".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * Whether this code runs from the TypeScript sources (a checkout, through tsx) rather than
 * bundled into dist/ (the installed package, or `npx depthlimit` in a checkout). What differs
 * between the two is the files beside the code: a worker thread's entry module, and the command
 * line that runs the CLI again (a SLURM job script).
 */
export const fromSource = (): boolean => import.meta.url.endsWith('.ts');

/**
 * Node flags for a worker thread whose entry is src/report/worker-entry.mjs (the notebook/claim
 * pool, and the grid's pool from source): the main thread's, without `--import tsx`. A worker inherits
 * them, so it loaded tsx once for that flag and again in worker-entry.mjs, which registers tsx
 * in the thread itself (the inherited flag's hooks do not serve the thread's dynamic imports
 * of .ts modules): ≈ 0.2 s CPU per worker for nothing.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--import' && argv[i + 1] === 'tsx') { i++; continue; }
    if (argv[i] !== '--import=tsx') out.push(argv[i]!);
  }
  return out;
}

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: unknown }).name === 'depthlimit') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json named depthlimit above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** name and version from that package.json (read once). */
let info: { name: string; version: string } | undefined;
export function packageInfo(): { name: string; version: string } {
  info ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  return info;
}
