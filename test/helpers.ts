/** Shared test oracles and helpers. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.ts';
import { UserError } from '../src/util/errors.ts';

export { approxEqual, maxAbsDiff, EPS } from '../src/util/approx.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Run the CLI in a child process (slow: use sparingly), in the project folder or in `cwd` (the
 * CLI and tsx are then found by absolute paths). Returns code, stdout, stderr.
 */
export function cliProcess(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli.ts'), ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26, ...(cwd ? { cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run the CLI in-process, capturing stdout; a UserError becomes { code: 2, error }. */
export async function cli(args: string[]): Promise<{ code: number; out: string; error?: string }> {
  const chunks: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  const origLog = console.log;
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  console.log = (...a: unknown[]) => { chunks.push(a.map(String).join(' ') + '\n'); };
  try {
    const code = await main(args);
    return { code, out: chunks.join('') };
  } catch (e) {
    if (e instanceof UserError) return { code: 2, out: chunks.join(''), error: e.message };
    throw e;
  } finally {
    process.stdout.write = orig;
    process.stderr.write = origErr;
    console.log = origLog;
  }
}
