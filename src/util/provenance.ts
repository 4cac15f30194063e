/**
 * Provenance written beside every figure and result: what made it (the command line), the
 * seed, the package version and the git commit. No timestamp, so the same command gives the
 * same files byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageInfo, packageRoot } from './package-root.ts';

export interface Provenance {
  command: string;
  seed: number | null;
  package: string;
  version: string;
  /**
   * `git rev-parse HEAD`, with `-dirty` when the work tree has uncommitted changes; 'unknown'
   * outside a checkout (an installed package has no .git of its own; its version says which it is).
   */
  commit: string;
  node: string;
}

let commit: string | undefined;

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
}

/** The git commit of the source tree (cached; 'unknown' when git or the repository is missing). */
export function gitCommit(): string {
  if (commit !== undefined) return commit;
  const root = packageRoot();
  // Installed under a user's project: git would report the user's repository, not ours.
  if (!existsSync(join(root, '.git'))) return (commit = 'unknown');
  try {
    const head = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']).length > 0;
    commit = dirty ? `${head}-dirty` : head;
  } catch {
    commit = 'unknown';
  }
  return commit;
}

/** The command line as typed, e.g. `depthlimit figures --from r.json` or `npm start`. */
export function commandLine(argv: string[] = process.argv): string {
  const npm = process.env['npm_lifecycle_event'];
  const args = argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)));
  if (npm === 'start') return ['npm start', ...args].join(' ');
  if (npm && npm !== 'test') return [`npm run ${npm}`, ...(args.length ? ['--', ...args] : [])].join(' ');
  const script = argv[1] ? argv[1].replace(packageRoot() + '/', '') : 'node';
  const name = /src\/cli\.ts$|bin\/depthlimit/.test(script) ? 'depthlimit' : script;
  return [name, ...args].join(' ');
}

export function provenance(opts: { command?: string; seed?: number | null } = {}): Provenance {
  const p = packageInfo();
  return {
    command: opts.command ?? commandLine(), seed: opts.seed ?? null,
    package: p.name, version: p.version, commit: gitCommit(), node: process.version,
  };
}
