/**
 * depthlimit as a user gets it: `npm pack` (its `prepare` builds dist/), the tarball installed
 * into an empty folder offline from the npm cache (which `npm ci` filled), and there, at once:
 * the README's plain-JavaScript example (examples/library.mjs) run by plain `node`, a TypeScript
 * file type-checked against the shipped declarations (with a deliberate error that must be the
 * only one), and `npx depthlimit --version` / `derive`. The slowest test of the suite (the build
 * and the install are most of it).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = process.cwd();
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
const tmp = mkdtempSync(join(tmpdir(), 'depthlimit-pack-'));
const app = join(tmp, 'app');

interface Run { code: number | null; stdout: string; stderr: string }
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * npm in the user's folder: none of the enclosing `npm test`'s npm_* settings (they name this
 * checkout), and offline: npm serves every request from its cache or fails (ENOTCACHED).
 */
const npmEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || k === 'npm_config_cache'));
Object.assign(npmEnv, { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

interface Packed { filename: string; integrity: string; files: { path: string }[] }
let packed: Packed | undefined;
let installed = false;
let userRuns: Record<'script' | 'types' | 'version' | 'require' | 'derive', Promise<Run>> | undefined;
let gridRuns: Promise<GridRuns> | undefined;

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('npm pack builds dist/ and ships the library, declarations, bin and proofs, and no test, bench or fixture file', async () => {
  const r = await run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
  assert.is(r.code, 0, r.stderr);
  const json = r.stdout.slice(r.stdout.search(/^\[/m)); // anything the prepare script printed comes first
  packed = (JSON.parse(json) as Packed[])[0]!;
  const files = packed.files.map((f) => f.path);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CITATION.cff', 'bin/depthlimit.mjs', 'dist/index.js', 'dist/cli.js', 'dist/types/src/index.d.ts', 'proofs/continuum-limit.md', 'data/gamma-data.csv']) {
    assert.ok(files.includes(f), `${f} is missing from the tarball`);
  }
  // the repository's development folders, and test or fixture files anywhere (dist/types/src/ is the declarations' tree)
  const stray = files.filter((f) => /^(test|tests|bench|examples|src|notebooks|scripts)\/|(^|\/)fixtures?\/|\.test\.|\.tsbuildinfo$/.test(f));
  assert.equal(stray, [], 'development files in the tarball');
  const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|CITATION\.cff|bin\/depthlimit\.mjs|dist\/[\w./-]+\.(js|d\.ts)|proofs\/[\w-]+\.md|data\/[\w-]+\.csv)$/.test(f));
  assert.equal(unexpected, [], 'files outside the declared layout');
  // every chunk a compiled module imports (statically or lazily) is in the tarball
  const missing: string[] = [];
  for (const f of files.filter((p) => p.startsWith('dist/') && p.endsWith('.js'))) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = posix.normalize(posix.join(posix.dirname(f), m[1]!));
      if (!files.includes(target)) missing.push(`${f} → ${target}`);
    }
  }
  assert.equal(missing, [], 'imports of files the tarball lacks');
});

/**
 * The user's folder gets a lockfile: the tarball plus the production entries of this project's
 * package-lock.json (same versions, URLs and integrity hashes), so `npm ci --offline` takes
 * every package from the cache by its hash and never needs registry metadata.
 */
function consumerLock(tarball: string, integrity: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const self = lock.packages['']!;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version, resolved: spec, integrity, license: self['license'],
      dependencies: self['dependencies'], bin: self['bin'], engines: self['engines'],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && entry['dev'] !== true) packages[path] = entry;
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

/** A grid small enough for a test (2 points, each task a process of its own), as a user writes it. */
const GRID = { name: 'small', experiment: 'depth-error', axes: { scheme: ['euler', 'rk4'], g: ['tanh(z)'], seed: [3], N: [8] } };
interface GridRuns { run: Run; sbatch: Run; script: string; tasks: Run[]; collect: Run; local?: Buffer; merged?: Buffer }

/**
 * The installed CLI's grid, both routes: `grid run` on 2 threads, and the job script `grid sbatch`
 * writes, run by sh once per array index as SLURM would run it (no SLURM needed: the #SBATCH
 * lines are comments to sh), then `grid collect`.
 */
async function gridRoutes(): Promise<GridRuns> {
  const dl = (...args: string[]) => run(process.execPath, [join(app, 'node_modules', '.bin', 'depthlimit'), 'grid', ...args], app, npmEnv);
  writeFileSync(join(app, 'grid.json'), JSON.stringify(GRID));
  const [r, sbatch] = await Promise.all([dl('run', 'grid.json', '--out', 'local', '--workers', '2'), dl('sbatch', 'grid.json', '--out', 'array')]);
  const script = join(app, 'array', 'small.sbatch');
  const tasks = [];
  for (const i of [1, 0]) tasks.push(await run('sh', [script], app, { ...npmEnv, SLURM_ARRAY_TASK_ID: String(i) })); // out of order, as an array finishes
  const collect = await dl('collect', 'grid.json', '--out', 'array');
  const read = (f: string) => { try { return readFileSync(join(app, f)); } catch { return undefined; } };
  return { run: r, sbatch, script: read('array/small.sbatch')?.toString('utf8') ?? '', tasks, collect, local: read('local/small.json'), merged: read('array/small.json') };
}

const CHECK_TS = `import { certifyOrder, defineClaim, derive, sweep, type Evidence, type OrderCertificate } from 'depthlimit';

const dv = derive({ layer: 'ff', g: 'tanh(z)', dim: 2 }, { order: 2 });
const tex: string = dv.ode.tex;
const f: (t: number, x: Float64Array, out: Float64Array) => void = dv.ode.compile({ a11: 1, a12: 0, a21: 0, a22: 1, b1: 0, b2: 0 });
const cert: OrderCertificate = certifyOrder(sweep({ map: 'x + eps*sin(x)', x0: [0.5], depths: '8..64' }));
const verdict: 'order' | 'at least' | 'inconclusive' = cert.verdict;
const evidence: Evidence = { verdict: 'holds', measured: cert.slope, expected: 1, toleranceReason: 'CI half-width' };
defineClaim({ id: 'c', statement: 's', check: () => evidence, negativeControl: { description: 'd', check: () => ({ ...evidence, verdict: 'fails' }) } });
// @ts-expect-error: a layer is 'ff', 'residual' or 'map' (unused, i.e. an error, if the types were loose)
derive({ layer: 'cnn' });
const wrong: string = cert.slope; // deliberate type error: the only diagnostic allowed
void [tex, f, verdict, wrong];
`;

test('the tarball installs into an empty folder offline from the npm cache', async () => {
  assert.ok(packed, 'npm pack failed (see above)');
  mkdirSync(app);
  const tarball = join(tmp, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { [pkg.name]: `file:../${packed.filename}` } }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumerLock(`../${packed.filename}`, integrity), null, 2));
  const r = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app, npmEnv);
  assert.is(r.code, 0, /ENOTCACHED/.test(r.stderr)
    ? `a dependency is not in the npm cache (run npm ci in the checkout first): ${r.stderr.split('\n').find((l) => /ENOTCACHED|request to/.test(l))}`
    : r.stderr);
  assert.equal(readdirSync(join(app, 'node_modules', pkg.name)).sort(), ['CITATION.cff', 'LICENSE', 'README.md', 'bin', 'data', 'dist', 'package.json', 'proofs']);
  installed = true;

  // the user's runs, concurrently (each test below awaits its own)
  copyFileSync(join(ROOT, 'examples', 'library.mjs'), join(app, 'library.mjs'));
  writeFileSync(join(app, 'check.ts'), CHECK_TS);
  // a strict consumer: every declaration file checked (ours and those of the packages they name:
  // mathjs, plotly, playwright-core), no @types/node (ours need none); the DOM lib is needed by
  // plotly's Data/Layout, which the figure API's specs use
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', lib: ['es2022', 'dom'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
      skipLibCheck: false, types: [],
    },
    files: ['check.ts'],
  }));
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  userRuns = {
    script: run(process.execPath, ['library.mjs'], app, npmEnv),
    types: run(process.execPath, [tsc, '-p', '.'], app, npmEnv),
    version: run('npx', ['--offline', 'depthlimit', '--version'], app, npmEnv),
    // CommonJS: Node 20.19+ loads the ES module from require() (no top-level await in its graph)
    require: run(process.execPath, ['-e', "const { derive, version } = require('depthlimit'); process.stdout.write(`${typeof derive} ${version}`)"], app, npmEnv),
    derive: run('npx', ['--offline', 'depthlimit', 'derive', '--layer', 'ff', '--g', 'tanh(z)', '--dim', '2', '--order', '2'], app, npmEnv),
  };
  gridRuns = gridRoutes();
});

test('plain node runs the README example from the installed package: TeX, a certified order, a claim whose control fails', async () => {
  assert.ok(installed && userRuns, 'not installed');
  const r = await userRuns.script;
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  // F1 = Ax + β + g(x) for σ_ε((I + εA)x + εβ), σ_ε(z) = z + ε tanh(z)
  assert.match(lines[0]!, /^dx\/dt = \\begin\{pmatrix\} b_\{1\} \+ a_\{11\} x_\{1\} \+ a_\{12\} x_\{2\} \+ \\tanh\\left\(x_\{1\}\\right\) \\\\ /);
  assert.match(lines[1]!, /^f_2\[1\] = .*\(1\/2\)\*b1\*sech\(x1\)\*\*2/); // SymPy syntax (**)
  assert.is(lines[2], 'verification: proved');
  // x + ε sin(x) is forward Euler on dx/dt = sin(x): first order
  assert.match(lines[3]!, /^x \+ eps\*sin\(x\): order 1, slope /);
  const claim = /^claim sin-layer: holds, slope ([\d.]+); control: fails, slope (-?[\d.]+); in good standing: true$/.exec(lines[4] ?? '');
  assert.ok(claim, lines[4]);
  assert.ok(Math.abs(Number(claim[1]) - 1) < 0.1, 'the claim measures slope ≈ 1');
  assert.ok(Number(claim[2]) < 0.5, 'the 2h control does not converge (its error plateaus at |x(2) − x(1)|)');
  // README's "Use as a library" shows this very script and what it printed
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const shown = /<!-- example: examples\/library\.mjs -->\n```js\n([\s\S]*?)```\n<!-- \/example -->\n[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
  assert.ok(shown, 'README has no example block for examples/library.mjs');
  assert.fixture(shown[1]!, readFileSync(join(ROOT, 'examples', 'library.mjs'), 'utf8'));
  assert.fixture(shown[2]!, r.stdout);
});

test('a TypeScript file type-checks against the shipped declarations (skipLibCheck off); the deliberate error is the only one', async () => {
  assert.ok(installed && userRuns, 'not installed');
  const r = await userRuns.types;
  const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  const line = CHECK_TS.split('\n').findIndex((l) => l.includes('deliberate type error')) + 1;
  assert.equal(errors, [`check.ts(${line},7): error TS2322: Type 'number' is not assignable to type 'string'.`]);
  assert.is(r.code, 2);
});

test('npx depthlimit --version and derive run the installed bin', async () => {
  assert.ok(installed && userRuns, 'not installed');
  const v = await userRuns.version;
  assert.is(v.code, 0, v.stderr);
  assert.is(v.stdout, `${pkg.version}\n`);
  const d = await userRuns.derive;
  assert.is(d.code, 0, d.stderr);
  assert.match(d.stdout, /^ {2}dx1\/dt = b1 \+ a11\*x1 \+ a12\*x2 \+ tanh\(x1\)$/m);
  assert.match(d.stdout, /^ {2}dx2\/dt = b2 \+ a21\*x1 \+ a22\*x2 \+ tanh\(x2\)$/m);
  assert.match(d.stdout, /^verification: proved/m);
  assert.not.match(d.stderr, /warning|error/i);
});

test('the installed grid runs on worker threads and as a job array (the script sbatch writes), both giving the sources\' bytes', async () => {
  assert.ok(installed && gridRuns, 'not installed');
  const g = await gridRuns;
  assert.is(g.run.code, 0, g.run.stderr);
  assert.is(g.sbatch.code, 0, g.sbatch.stderr);
  // the job line runs the package's own bin: an installed package has neither src/ nor tsx
  const bin = join(app, 'node_modules', pkg.name, 'bin', 'depthlimit.mjs');
  assert.ok(g.script.split('\n').some((l) => l.startsWith('exec ') && l.includes(` ${bin} grid task `)), g.script);
  g.tasks.forEach((t) => assert.is(t.code, 0, `array task: ${t.stderr}`));
  assert.is(g.collect.code, 0, g.collect.stderr);
  assert.ok(g.local && g.merged && g.local.equals(g.merged), 'grid run and the array + collect wrote the same bytes');
  // the same points computed by the sources in this process: the bundle changes no number
  const { gridFileText, runPoint } = await import('../src/grid/grid.ts');
  const points = await Promise.all([0, 1].map((i) => runPoint(GRID, i)));
  assert.fixture(g.local.toString('utf8'), gridFileText(GRID, points));
});

test('a CommonJS script can require() the package', async () => {
  assert.ok(installed && userRuns, 'not installed');
  const r = await userRuns.require;
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `function ${pkg.version}`);
});

test.run();
