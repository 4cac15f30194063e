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
