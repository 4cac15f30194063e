/**
 * Where Chromium is, and whether it is there: a leaf of its own (node builtins only), so option
 * parsing (src/figures/formats.ts) can ask without loading the browser module.
 */
import { existsSync } from 'node:fs';

/** Debian's chromium; override with DEPTHLIMIT_CHROMIUM=/path/to/chromium (read at each call). */
export const chromiumPath = (): string => process.env['DEPTHLIMIT_CHROMIUM'] ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}
