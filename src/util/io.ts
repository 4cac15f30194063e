/**
 * Every file depthlimit reads from or writes for a user goes through here.
 *
 * Output: paths are checked before any work starts (`checkOutputDir`, `checkOutputFile`: a
 * writable folder on a real file system, not a file, reachable), and files are written to a
 * temporary name and renamed, so a crash or bad input never leaves a half-written file behind.
 * Input: `readUserFile` reads a regular file of bounded size with one-line reasons.
 */
import {
  accessSync, closeSync, constants, mkdirSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync,
  statfsSync, writeFileSync, type Stats,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { quote, UserError } from './errors.ts';

/** A path in a message: as typed when short, else capped by quote (a 5,000-character path is not echoed whole). */
export const shownPath = (p: string): string => (p.length <= 80 && !/[\u0000-\u001f\u007f]/.test(p) ? p : quote(p));

/** Why a file-system call failed, in words (an errno code alone is not a message). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EROFS': return 'read-only file system';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'EISDIR': return 'is a folder, not a file';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENAMETOOLONG': return 'the name is too long';
    case 'EEXIST': return 'already exists';
    case 'EBUSY': return 'the resource is busy';
    default: return ((e as Error | undefined)?.message ?? String(e)).split('\n')[0]!;
  }
}

/**
 * Kernel pseudo-filesystems: writing there is never meant, and Node 20's recursive mkdirSync
 * never returns under /proc. Path prefixes catch the usual mounts, statfs magic numbers
 * (linux/magic.h) catch them mounted elsewhere.
 */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'], [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x1cd1, 'devpts'], [0xcafe4a11, 'bpf'], [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'], [0x65735543, 'fusectl'], [0x42494e4d, 'binfmt_misc'], [0x19800202, 'mqueue'],
]);

const under = (p: string, root: string) => p === root || p.startsWith(root + sep);

function pseudoFs(abs: string, existing: string): string | undefined {
  let real = existing;
  try { real = realpathSync(existing); } catch { /* keep the path as given */ }
  const root = PSEUDO_ROOTS.find((r) => under(abs, r) || under(real, r));
  if (root) return root;
  try {
    const kind = PSEUDO_FS.get(Number(statfsSync(real).type));
    if (kind) return `a ${kind} mount`;
  } catch { /* statfs unsupported: the prefixes above are the check */ }
  return undefined;
}

/** The deepest existing path on the way to abs, and its stats (UserError when unreachable). */
function deepestExisting(abs: string, label: string): { path: string; stats: Stats } {
  let p = abs;
  for (;;) {
    try {
      return { path: p, stats: statSync(p) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: an ancestor is a file; walking up finds it and says so below.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p) throw new UserError(`${label}: ${fsReason(e)}`);
      p = dirname(p);
    }
  }
}

function nonEmptyPath(path: string, what: string): string {
  if (typeof path !== 'string' || path.trim() === '') throw new UserError(`${what}: the path is empty`);
  if (path.includes('\0')) throw new UserError(`${what}: the path contains a NUL character`);
  return resolve(path);
}

/**
 * Check that `dir` is (or can be made) a writable folder on a real file system, without
 * creating anything: call it before any work starts. `what` names the option (e.g. '--out').
 */
export function checkOutputDir(dir: string, what = 'output folder'): void {
  const abs = nonEmptyPath(dir, what);
  const label = `${what} ${shownPath(dir)}`;
  const { path, stats } = deepestExisting(abs, label);
  if (!stats.isDirectory()) {
    throw new UserError(path === abs ? `${label} is a file, not a folder` : `${label}: ${shownPath(path)} is a file, not a folder`);
  }
  const pseudo = pseudoFs(abs, path);
  if (pseudo) throw new UserError(`${label} is on a kernel pseudo-filesystem (${pseudo}); choose a folder on disk`);
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UserError(`${label}: ${path === abs ? '' : `${shownPath(path)}: `}${fsReason(e)}`);
  }
}

/** Check that `file` can be written as a regular file (its folder by `checkOutputDir`). */
export function checkOutputFile(file: string, what = 'output file'): void {
  const abs = nonEmptyPath(file, what);
  let stats: Stats | undefined;
  try { stats = statSync(abs); } catch { /* absent (the usual case) or unreachable: the folder check says why */ }
  if (stats?.isDirectory()) throw new UserError(`${what} ${shownPath(file)} is a folder, not a file`);
  if (stats && !stats.isFile()) throw new UserError(`${what} ${shownPath(file)} is not a regular file`);
  checkOutputDir(dirname(abs), `${what} ${shownPath(file)}: folder`);
}

/**
 * Check a folder and the files a command will write into it (`what` names the option), before
 * any work: a set such as derivation.{txt,tex,json} is then written whole or not at all, not cut
 * short at a name that is taken by a folder.
 */
export function checkOutputFiles(dir: string, names: readonly string[], what = 'output folder'): void {
  checkOutputDir(dir, what);
  for (const n of names) checkOutputFile(join(dir, n), what);
}

/** mkdir -p after `checkOutputDir`; a failure is a UserError with its reason. */
export function ensureDir(dir: string, what = 'output folder'): void {
  checkOutputDir(dir, what);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create ${what} ${shownPath(dir)}: ${fsReason(e)}`);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDir(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`cannot write ${shownPath(path)}: ${fsReason(e)}`);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Input files larger than this are refused: every input depthlimit reads is text a person wrote or a run saved. */
export const MAX_INPUT_BYTES = 64 * 2 ** 20;

/**
 * The text of a user's input file (`what` names it: 'proof file', '--data'), or a one-line
 * UserError: no such file, a folder, not a regular file (a device such as /dev/zero, a pipe),
 * unreadable, or larger than `maxBytes` (read with a cap, so /proc files cannot run away).
 */
export function readUserFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): string {
  const abs = nonEmptyPath(path, what);
  const label = `${what} ${shownPath(path)}`;
  let stats: Stats;
  try { stats = statSync(abs); } catch (e) {
    throw new UserError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${label}: no such file` : `${label}: ${fsReason(e)}`);
  }
  if (stats.isDirectory()) throw new UserError(`${label} is a folder, not a file`);
  if (!stats.isFile()) throw new UserError(`${label} is not a regular file (a device, pipe or socket)`);
  if (stats.size > maxBytes) throw new UserError(`${label} is too large (${stats.size} bytes; at most ${maxBytes})`);
  let fd: number;
  try { fd = openSync(abs, 'r'); } catch (e) { throw new UserError(`${label}: ${fsReason(e)}`); }
  try {
    // read in chunks up to maxBytes + 1: a file's stated size (0 for /proc files) is not trusted
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(maxBytes + 1 - n, Math.max(stats.size + 1, 1 << 16)));
      const k = readSync(fd, buf, 0, buf.length, null);
      if (k === 0) break;
      chunks.push(buf.subarray(0, k));
      n += k;
      if (n > maxBytes) throw new UserError(`${label} is too large (more than ${maxBytes} bytes)`);
    }
    return Buffer.concat(chunks, n).toString('utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${label}: ${fsReason(e)}`);
  } finally {
    closeSync(fd);
  }
}
