import { join } from 'node:path';
import { quote, UserError } from '../util/errors.ts';
import { checkOutputFiles, readUserFile, writeFileAtomic } from '../util/io.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { parseList, seedOf } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

export const command: CommandSpec = {
  name: 'hamiltonian',
  summary: 'costate, Lagrangian, Euler-Lagrange, Hamiltonian, parameter gradient, Liouville (symbolic, verified)',
  usage: 'hamiltonian --field "F1; F2" | --derivation DIR/derivation.json [--params q1,q2] [--dim d] [--tex] [--json] [--out DIR]',
  options: {
    field: { type: 'string', description: 'vector field F(x,q,t): components separated by ";" in x1..xd (x when d = 1) and t' },
    derivation: { type: 'string', description: 'use the continuum ODE F1 of a derivation.json written by `derive --out`' },
    params: { type: 'string', description: 'comma-separated parameters q for dL/dq (default: every other symbol)' },
    dim: { type: 'string', description: 'expected dimension (checked against the field)' },
    tex: { type: 'boolean', description: 'print TeX (one display equation per line)' },
    out: { type: 'string', description: 'write hamiltonian.txt/.tex/.json into DIR (atomically)' },
    seed: { type: 'string', description: 'seed of the random-point checks', default: String(DEFAULT_SEED) },
  },
  examples: [
    'hamiltonian --field "w11*x1 + w12*x2 + b1 - gamma*x1^3; w21*x1 + w22*x2 + b2 - gamma*x2^3"',
    'hamiltonian --field "tanh(k*x) + c" --tex',
    'hamiltonian --derivation out/derivations/ff-cubic-d2/derivation.json --json',
  ],
  async run(opts) {
    const fieldText = str(opts, 'field'), file = str(opts, 'derivation');
    if ((fieldText === undefined) === (file === undefined)) throw new UserError('give exactly one of --field "..." or --derivation FILE');
    const out = str(opts, 'out');
    if (out !== undefined) checkOutputFiles(out, ['hamiltonian.txt', 'hamiltonian.tex', 'hamiltonian.json'], '--out');
    let components: string[];
    if (file !== undefined) {
      const text = readUserFile(file, '--derivation');
      let j: unknown;
      try { j = JSON.parse(text); } catch (e) { throw new UserError(`--derivation ${file} is not valid JSON: ${(e as Error).message.split('\n')[0]}`); }
      const ode = j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as { ode?: unknown }).ode : undefined;
      if (!Array.isArray(ode) || ode.length === 0 || !ode.every((c) => typeof c === 'string' && c.trim() !== '')) {
        throw new UserError(`--derivation ${file}: expected an object with "ode": [component strings] (a derivation.json written by derive --out), got ${
          j === null ? 'null' : Array.isArray(j) ? 'an array' : typeof j !== 'object' ? typeof j : ode === undefined ? 'no "ode"' : '"ode" of the wrong shape'}`);
      }
      if (ode.some((c: string) => /\bg\d/.test(c))) throw new UserError(`--derivation ${file}: a generic g has no formula to differentiate; derive with a concrete --g`);
      components = ode as string[];
    } else components = fieldText!.split(';').map((s) => s.trim()).filter((s) => s !== '');
    const dimText = str(opts, 'dim');
    const dim = dimText === undefined ? undefined : Number(dimText);
    if (dimText !== undefined && (!Number.isInteger(dim) || dim! < 1)) throw new UserError(`--dim must be a positive integer, got ${quote(dimText!)}`);
    const seed = seedOf(str(opts, 'seed'));
    const paramsText = str(opts, 'params');
    const params = paramsText === undefined ? undefined : parseList(paramsText, '--params');
    const { hamiltonianOf, hamiltonianTeX, hamiltonianText } = await import('../symbolic/hamiltonian.ts');
    const r = hamiltonianOf(components, { seed, ...(params ? { params } : {}), ...(dim !== undefined ? { dim } : {}) });
    if (out !== undefined) {
      writeFileAtomic(join(out, 'hamiltonian.txt'), hamiltonianText(r));
      writeFileAtomic(join(out, 'hamiltonian.tex'), hamiltonianTeX(r).map((e) => `\\[\n${e}\n\\]`).join('\n') + '\n');
      writeFileAtomic(join(out, 'hamiltonian.json'), JSON.stringify(r, null, 2) + '\n');
    }
    if (flag(opts, 'json')) console.log(JSON.stringify(r, null, 2));
    else if (flag(opts, 'tex')) console.log(hamiltonianTeX(r).join('\n'));
    else process.stdout.write(hamiltonianText(r));
    return r.verification.verdict === 'refuted' ? 1 : 0;
  },
};
