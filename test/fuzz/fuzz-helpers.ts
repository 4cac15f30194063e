/**
 * The fuzz harness's child process (test/fuzz/cli.test.ts forks it once, with its own temporary
 * working folder, and kills it when one input overruns the time cap). It runs each input
 * in-process, as `depthlimit` would, and answers with what a user would see:
 *   { kind: 'cli', argv }          → exit code, stdout (capped), the error line (a UserError) or
 *                                    the stack of anything else (a bug: exit 1 in the CLI);
 *   { kind: 'derive', g, order }   → the FF derivation of g, checked against an independent
 *                                    route: mathjs repeated differentiation in ε of the layer map
 *                                    x⁺ = x + ε(ax + b) + ε g(x + ε(ax + b)) built here from the
 *                                    parsed g (not by buildLayer), at random points.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { all as mathjsAll, create as mathjsCreate } from 'mathjs';
import { main } from '../../src/cli.ts';
import { UserError } from '../../src/util/errors.ts';
import { derive } from '../../src/symbolic/derive.ts';
import { parseExpression, substitute } from '../../src/symbolic/parse.ts';
import { activationsByDefinition, taylorByMathjs } from '../../src/symbolic/taylor-mathjs.ts';
import { makeRng } from '../../src/util/prng.ts';

export interface CliReply { code?: number; out: string; error?: string; bug?: string; ms: number }
export interface DeriveReply { verdict?: string; error?: string; bug?: string; mismatch?: string; compared: number; ms: number }

/**
 * The whole of mathjs (every factory) for the evaluator below: `create` and `all` required from
 * their CommonJS files, the very objects `require('mathjs')` exports (as src/symbolic/mathjs-number.ts
 * requires its four). `import { create, all } from 'mathjs'` also built the entry's default
 * instance of every function, file by file through tsx's ESM hooks: ≈3.6 s CPU of this child for
 * nothing the test uses; these two files ≈0.45 s. (Evaluations agree to the bit: 4,800 checked.)
 */
function fullMathjs(): ReturnType<typeof mathjsCreate> {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('mathjs/package.json')), 'lib', 'cjs');
  let m: { create: typeof mathjsCreate; all: NonNullable<typeof mathjsAll> };
  try {
    m = { create: (require(join(lib, 'core', 'create.js')) as { create: typeof mathjsCreate }).create, all: require(join(lib, 'factoriesAny.js')) };
  } catch {
    m = require('mathjs'); // a mathjs that moved them: the same objects from its entry, slower to load
  }
  return m.create(m.all);
}
const math = fullMathjs();

async function runCli(argv: string[]): Promise<CliReply> {
  const chunks: string[] = [];
  let kept = 0;
  // the cap holds for one large write too (a whole JSON or HTML on stdout): every reply crosses the IPC channel
  const keep = (s: string) => { if (kept < 4000) { chunks.push(s.slice(0, 4000 - kept)); kept += Math.min(s.length, 4000 - kept); } };
  const out = process.stdout.write.bind(process.stdout), err = process.stderr.write.bind(process.stderr), log = console.log, warn = console.warn;
  process.stdout.write = ((s: string | Uint8Array) => (keep(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  console.log = (...a: unknown[]) => keep(a.map(String).join(' ') + '\n');
  console.warn = () => {};
  const t0 = performance.now();
  try {
    const code = await main(argv);
    return { code, out: chunks.join(''), ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof UserError) return { code: 2, out: chunks.join(''), error: e.message, ms };
    return { out: chunks.join(''), bug: (e as Error)?.stack ?? String(e), ms };
  } finally {
    process.stdout.write = out; process.stderr.write = err; console.log = log; console.warn = warn;
  }
}

/** The coefficient text of a derivation evaluated by mathjs (activations by their definitions). */
const evaluator = (text: string) => math.compile(activationsByDefinition(parseExpression(text, { functions: [] })).toString());

function deriveCheck(g: string, order: number, seed: number): DeriveReply {
  const t0 = performance.now();
  let r;
  try {
    r = derive({ layer: 'ff', dim: 1, g }, order, { seed });
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof UserError) return { error: e.message, compared: 0, ms };
    return { bug: (e as Error)?.stack ?? String(e), compared: 0, ms };
  }
  // The map, built from the parsed g: z := x + ε(ax + b), every occurrence of z in the tree.
  const pre = parseExpression('(x + eps*(a*x + b))', { functions: [] });
  const gOfPre = substitute(parseExpression(g, { functions: [] }), new Map([['z', pre]]));
  // implicit products printed as *: `c z` with z substituted would read c((…)), a call of c
  const full = `(x + eps*(a*x + b)) + eps*(${gOfPre.toString({ implicit: 'show' })})`;
  const vars = ['x', 'a', 'b', ...(r.timeDependent ? ['t'] : []), ...r.params.filter((p) => p !== 'a' && p !== 'b')];
  const theirs = taylorByMathjs(full, 'eps', order, vars);
  const rng = makeRng(seed);
  const pt = new Float64Array(vars.length);
  let compared = 0;
  for (let j = 1; j <= order; j++) {
    const mine = evaluator(r.coefficients[j]![0]!);
    for (let s = 0; s < 4; s++) {
      for (let q = 0; q < vars.length; q++) pt[q] = rng.uniform(-0.9, 0.9);
      // A Map: mathjs refuses object scopes with names such as hasOwnProperty.
      const scope = new Map<string, number>([['pi', Math.PI], ['e', Math.E]]);
      vars.forEach((v, q) => scope.set(v, pt[q]!));
      const a = Number(mine.evaluate(scope)), b = theirs[j]!(pt);
      if (!Number.isFinite(a) && !Number.isFinite(b)) continue;
      compared++;
      // Both sides are O(1)-term double evaluations (errors ~1e-14); a wrong coefficient is off by O(1).
      if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))) {
        return { verdict: r.verification.verdict, mismatch: `F_${j}: ${a} (derive) vs ${b} (mathjs) at ${vars.map((v, q) => `${v}=${pt[q]!.toFixed(3)}`).join(', ')}`, compared, ms: performance.now() - t0 };
      }
    }
  }
  return { verdict: r.verification.verdict, compared, ms: performance.now() - t0 };
}

process.on('message', async (m: { id: number; kind: 'cli'; argv: string[] } | { id: number; kind: 'derive'; g: string; order: number; seed: number }) => {
  let reply: CliReply | DeriveReply;
  try {
    reply = m.kind === 'cli' ? await runCli(m.argv) : deriveCheck(m.g, m.order, m.seed);
  } catch (e) {
    reply = { out: '', bug: `in the harness itself: ${(e as Error)?.stack ?? String(e)}`, compared: 0, ms: 0 };
  }
  process.send!({ id: m.id, ...reply });
});
process.send!({ ready: true });
