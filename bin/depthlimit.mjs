#!/usr/bin/env node
// Package bin: the compiled CLI (dist/cli.js, written by `npm run build`, which `prepare` runs on
// `npm install` of a checkout, `npm ci` and `npm pack`). In a checkout, dist/ older than src/
// gets one warning line: rebuild, or run the source with `npm run depthlimit -- ...`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const src = fileURLToPath(new URL('../src', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('depthlimit: error: dist/cli.js is missing: run `npm run build` in the checkout (or `npm run depthlimit -- ...`)\n');
  process.exit(2);
}
// (not for help or the version: stale text is harmless there, and they should start at once)
const quick = process.argv.slice(2).some((a) => ['--help', '-h', 'help', '--version', '-V'].includes(a)) || process.argv.length <= 2;
if (!quick && existsSync(src)) {
  const built = statSync(cli).mtimeMs;
  const stale = readdirSync(src, { recursive: true }).some((f) => statSync(join(src, String(f))).mtimeMs > built);
  if (stale) process.stderr.write('depthlimit: warning: dist/ is older than src/: run `npm run build` (or `npm run depthlimit -- ...` to run the source)\n');
}
const { runCli } = await import(new URL('../dist/cli.js', import.meta.url).href);
await runCli(process.argv.slice(2));
