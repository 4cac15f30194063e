/** Where the repository's proof files live. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.ts';

/** The package's proofs/ directory (shipped in the tarball). */
export const PROOFS_DIR = join(packageRoot(), 'proofs');

/** Every proofs/*.md except the format's README, sorted. */
export function defaultProofFiles(dir = PROOFS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort().map((f) => join(dir, f));
}
