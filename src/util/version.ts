/** The package version, from depthlimit's own package.json (util/package-root.ts finds it from src/ and from dist/). */
import { packageInfo } from './package-root.ts';

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
export const version: string = packageInfo().version;
