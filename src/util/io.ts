/**
 * Output files are written to a temporary name and renamed, so a crash or bad input never
 * leaves a half-written file behind.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from './errors.ts';

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(`cannot write to output directory ${dir}: ${(e as Error).message.split('\n')[0]}`);
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
    throw new UserError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
