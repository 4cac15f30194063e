#!/usr/bin/env node
// The build (`npm run build`; `prepare` runs it on `npm install` of a checkout, `npm ci` and
// `npm pack`): esbuild bundles the library (src/index.ts → dist/index.js), the CLI
// (src/cli.ts → dist/cli.js) and the grid's worker threads (src/grid/worker.ts →
// dist/grid-worker.js) as ESM for Node 20, split so that every `await import()` becomes a
// lazy chunk; mathjs is bundled (tree-shaken to the factories src/symbolic/mathjs.ts uses); the
// other dependencies stay external (read as files, spawned, or required lazily at run time).
// Meanwhile tsc writes the declarations (tsconfig.build.json) into dist/types/ (src/index.d.ts
// the entry), unless they are newer than every source and config file (then they are kept: tsc
// is most of a build's time); incrementally when its state in .depthlimit-cache/ matches them.
// Usage: node scripts/build.mjs [--quiet] [--clean]   (--clean: rebuild the declarations too)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const quiet = process.argv.includes('--quiet');
const clean = process.argv.includes('--clean');
const log = (s) => { if (!quiet) console.log(s); };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// esbuild and typescript are devDependencies: `npm install` of a checkout and `npm ci` have them.
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('depthlimit build: esbuild is missing (run `npm install` in the checkout first)');
  process.exit(1);
}

const BUNDLED = new Set(['mathjs']);
// src/symbolic/mathjs-number.ts requires mathjs's CommonJS build from source; its plugin makes
// the bundle import the same factories statically (tree-shaken). tsx (a devDependency, as esbuild) reads it.
const { tsImport } = await import('tsx/esm/api');
const { bundleMathjsNumber } = await tsImport('../src/symbolic/mathjs-number.ts', import.meta.url);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((n) => !BUNDLED.has(n))
  .flatMap((n) => [n, `${n}/*`]);

const t0 = performance.now();
const dist = join(root, 'dist');
const types = join(dist, 'types');
const stamp = join(types, 'src', 'index.d.ts');
const mtime = (f) => statSync(f).mtimeMs;
// the declarations' sources: src/ and what it imports from beside it (the built-in notebooks)
const sources = ['src', 'notebooks'].map((d) => join(root, d));
const newestInput = Math.max(
  ...['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => mtime(join(root, f))),
  ...sources.flatMap((d) => [d, ...readdirSync(d, { recursive: true }).map((f) => join(d, String(f)))]).map(mtime),
);
const typesFresh = !clean && existsSync(stamp) && mtime(stamp) > newestInput;
// tsc's incremental state (outside dist/: not shipped) re-emits only what changed (≈3 s CPU
// instead of ≈12 s). It is trusted only while every declaration it records is in dist/types/
// (so a deleted dist/ or a --clean build re-emits everything).
const buildInfo = join(root, '.depthlimit-cache', 'declarations.tsbuildinfo');
/** The declaration files tsc's state says it wrote: one per source of the program. */
const recordedDeclarations = () => {
  const real = realpathSync(root);
  const list = JSON.parse(readFileSync(buildInfo, 'utf8')).fileNames.map((f) => resolvePath(dirname(buildInfo), f))
    .filter((f) => f.startsWith(real + sep) && !f.includes(`${sep}node_modules${sep}`) && f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(types, relative(real, f)).replace(/\.ts$/, '.d.ts'));
  if (!list.includes(stamp)) throw new Error('not the state of these declarations');
  return list;
};
let incremental = false;
try { incremental = !clean && recordedDeclarations().every((f) => existsSync(f)); } catch { /* none, unreadable or foreign: a full emit */ }
if (!incremental) rmSync(buildInfo, { force: true });
for (const e of existsSync(dist) ? readdirSync(dist) : []) if (!((typesFresh || incremental) && e === 'types')) rmSync(join(dist, e), { recursive: true, force: true });

// tsc runs beside esbuild. A failed run removes the stamp, so the next build emits again (not
// noEmitOnError: with it, tsc type-checks the whole program again however little changed).
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const declarations = typesFresh ? Promise.resolve(0)
  : new Promise((resolve) => spawn(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', buildInfo], { stdio: 'inherit' })
    .on('close', resolve));

const result = await esbuild.build({
  absWorkingDir: root,
  // grid-worker: the threads of `depthlimit grid run` (src/grid/grid.ts names it when bundled)
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', 'grid-worker': 'src/grid/worker.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // whitespace and syntax only: identifiers keep their names, so the stack of an internal
  // error (exit 1) stays readable; full minification saves little start-up time on top
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  external,
  plugins: [bundleMathjsNumber],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
log(`esbuild: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KB in dist/ (${((performance.now() - t0) / 1000).toFixed(2)} s)`);

if (typesFresh) {
  log('tsc: declarations in dist/types/ are newer than the sources: kept (--clean rebuilds them)');
  process.exit(0);
}
if ((await declarations) !== 0) {
  rmSync(stamp, { force: true });
  console.error('depthlimit build: declarations failed (tsc -p tsconfig.build.json)');
  process.exit(1);
}
// Declarations of sources that were deleted or left the program since the last emit.
const recorded = new Set(recordedDeclarations());
for (const f of readdirSync(types, { recursive: true }).map((f) => join(types, String(f))).filter((f) => f.endsWith('.d.ts'))) {
  if (!recorded.has(f)) rmSync(f);
}
// The sources import './x.ts'; tsc keeps that in declarations, which older TypeScript versions
// refuse in a .d.ts. './x.js' resolves to './x.d.ts' in every version that reads `exports`.
for (const f of readdirSync(types, { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(join(types, f), 'utf8');
  const fixed = text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g, '$1$2$3.js$2');
  if (fixed !== text) writeFileSync(join(types, f), fixed);
}
const now = new Date();
utimesSync(stamp, now, now);
log(`tsc: declarations in dist/types/ (${((performance.now() - t0) / 1000).toFixed(2)} s since the start)`);
