import { join } from 'node:path';
import { quote, UserError } from '../util/errors.ts';
import { checkOutputFiles, writeFileAtomic } from '../util/io.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { DERIVE_SECONDS } from './budget.ts';
import { layerSpecOf, type DeriveSpec } from '../api/spec.ts';
import { seedOf } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

export const command: CommandSpec = {
  name: 'derive',
  summary: 'continuum-limit ODE and modified equation of a layer (symbolic, verified every run)',
  usage: 'derive [--layer ff|residual|map|heun|midpoint|rk4] [--g EXPR|generic] [--map "c1; c2"] [--f "f1; f2"] [--dim d] [--order k] [--budget-seconds s] [--A M] [--B M] [--beta v] [--vector] [--tex] [--json] [--out DIR]',
  options: {
    layer: { type: 'string', description: 'ff (near-identity feedforward), residual (x + eps act(Ax+b)), map, or a Runge-Kutta block of a field --f: heun, midpoint, rk4', default: 'ff' },
    f: { type: 'string', description: 'the field f(x, t) of a heun/midpoint/rk4 block: components by ";" in x1..xd (x when d = 1), t and parameters' },
    g: { type: 'string', description: "g(z) (or g(z, t)) of the FF layer ('generic' for jets g, g', ...), or the residual activation act(z); elementary functions, sigmoid, softplus, erf, silu/swish, constants pi and e" },
    map: { type: 'string', description: 'user map Phi_eps, components separated by ";" in x1..xd (x when d = 1), eps and t' },
    dim: { type: 'string', description: 'dimension d >= 1 (default: the size of --A or --beta, else 1; for --map: checked against the component count)' },
    order: { type: 'string', description: 'order k >= 1 of the modified equation (any k and d: the cost is estimated first and checked against --budget-seconds)', default: '2' },
    'budget-seconds': { type: 'string', description: 'time a derivation may take by its cost estimate; a larger job is refused before any work', default: String(DERIVE_SECONDS) },
    A: { type: 'string', description: 'matrix A: rows by ";", entries by "," (numbers, symbols, functions of t); default symbolic a11..' },
    B: { type: 'string', description: 'ff only: W = I + eps A + eps^2 B; rows by ";", entries by ","; "symbolic" for b11.. (d = 1: bb)' },
    beta: { type: 'string', description: 'vector beta: entries by ";" or ","; default symbolic b1..' },
    vector: { type: 'boolean', description: 'also the vector form valid for every d (A, beta, elementwise g^(j), ⊙) and f_k through elementary differentials of F1, F2, ...; checked exactly against the componentwise result' },
    tex: { type: 'boolean', description: 'print TeX (one display equation per line) instead of text' },
    out: { type: 'string', description: 'write derivation.txt/.tex/.json into DIR (atomically)' },
    seed: { type: 'string', description: 'seed of the numeric verification', default: String(DEFAULT_SEED) },
  },
  examples: [
    'derive --layer ff --g=-gamma*z^3 --dim 2 --order 2 --tex',
    'derive --layer ff --g generic --order 3',
    'derive --layer residual --dim 2 --A "0,1;-1,0" --beta "0;0"',
    'derive --layer map --map "x1 + eps*tanh(x2); x2 - eps*x1" --order 4',
    'derive --layer ff --dim 2 --A "sin(t), 1; 0, -1" --beta "cos(t); 0" --json',
    'derive --layer ff --g generic --dim 2 --order 3 --vector',
    'derive --layer ff --g tanh(z) --B symbolic --vector',
    'derive --layer heun --f "sin(x)" --order 3 --vector',
  ],
  async run(opts) {
    const dimText = str(opts, 'dim');
    const dim = dimText === undefined ? undefined : Number(dimText);
    if (dimText !== undefined && (!Number.isInteger(dim) || dim! < 1)) throw new UserError(`--dim must be a positive integer, got ${quote(dimText!)}`);
    const order = Number(str(opts, 'order') ?? '2');
    const seed = seedOf(str(opts, 'seed'));
    const budgetText = str(opts, 'budget-seconds') ?? String(DERIVE_SECONDS);
    const budgetSeconds = Number(budgetText);
    if (!(budgetSeconds > 0) || !Number.isFinite(budgetSeconds)) throw new UserError(`--budget-seconds must be a positive number, got ${quote(budgetText)}`);
    // the same checks as the API's derive (one validation for both)
    const text = (k: string) => (str(opts, k) !== undefined ? { [k]: str(opts, k)! } : {});
    const spec = layerSpecOf({
      ...text('layer'), ...text('g'), ...text('A'), ...text('B'), ...text('beta'), ...text('map'), ...text('f'), ...(dim !== undefined ? { dim } : {}),
    } as DeriveSpec);
    const out = str(opts, 'out');
    if (out !== undefined) checkOutputFiles(out, ['derivation.txt', 'derivation.tex', 'derivation.json'], '--out');
    const [{ derive }, { derivationJson, derivationTeX, derivationTeXDocument, derivationText }] = await Promise.all([
      import('../symbolic/derive.ts'), import('../symbolic/report.ts'),
    ]);
    // No "deriving ..." line first: bad input must leave exactly one stderr line (the error).
    const t0 = performance.now();
    const r = derive(spec, order, { seed, budgetSeconds });
    const v = flag(opts, 'vector') ? (await import('../symbolic/vector/derive-vector.ts')).deriveVector(spec, order) : undefined;
    const vr = v ? await import('../symbolic/vector/report.ts') : undefined;
    const report = derivationText(r) + (v ? vr!.vectorText(v) : '');
    const json = v ? { ...(derivationJson(r) as object), vector: v } : derivationJson(r);
    const tex = [...derivationTeX(r), ...(v ? vr!.vectorTeX(v) : [])];
    // the time goes to stderr only: the written files and stdout are the same on every run
    if (!flag(opts, 'json')) process.stderr.write(`derived and verified in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
    if (out !== undefined) {
      writeFileAtomic(join(out, 'derivation.txt'), report);
      writeFileAtomic(join(out, 'derivation.tex'), derivationTeXDocument(r) + (v ? vr!.vectorTeX(v).map((e) => `\\[\n${e}\n\\]\n`).join('') : ''));
      writeFileAtomic(join(out, 'derivation.json'), JSON.stringify(json, null, 2) + '\n');
    }
    if (flag(opts, 'json')) console.log(JSON.stringify(json, null, 2));
    else if (flag(opts, 'tex')) console.log(tex.join('\n'));
    else process.stdout.write(report);
    if (v && !v.check.agree) return 1;
    if (r.verification.verdict === 'unknown') process.stderr.write('warning: verification inconclusive (a route was unavailable or a check had no usable sample point)\n');
    return r.verification.verdict === 'refuted' ? 1 : 0;
  },
};
