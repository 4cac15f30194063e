/**
 * The package version, read once from the nearest package.json named "depthlimit" above this
 * module: the same file in the source tree (src/util/) and in a bundled build (dist/), where
 * the relative path differs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (j.name === 'depthlimit' && typeof j.version === 'string') return j.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/**
 * The version of depthlimit (semantic versioning), as in its package.json.
 *
 * @example
 * ```ts
 * import { version } from 'depthlimit';
 * console.log(/^\d+\.\d+\.\d+/.test(version));
 * //> true
 * ```
 */
export const version: string = findVersion();
