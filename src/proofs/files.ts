/** Where the repository's proof files live. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's proofs/ directory. */
export const PROOFS_DIR = fileURLToPath(new URL('../../proofs/', import.meta.url));

/** Every proofs/*.md except the format's README, sorted. */
export function defaultProofFiles(dir = PROOFS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort().map((f) => join(dir, f));
}
