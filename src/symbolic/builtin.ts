/**
 * The built-in derivations `npm start` prints and writes: FF layer with cubic g (d = 1, 2, to
 * order 3), generic g (d = 1), the residual tanh layer (d = 2), tanh nets as instances through the
 * scaling x = s u (Δt = s², γ = 1/3), and the Hamiltonian structure of the cubic ODE. Each is
 * verified as it is produced (derive.ts, hamiltonian.ts).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/io.ts';
import { cached } from '../util/cache.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { derive, type Derivation } from './derive.ts';
import { hamiltonianOf, hamiltonianTeX, hamiltonianText, type HamiltonianResult } from './hamiltonian.ts';
import { parseExpression } from './parse.ts';
import * as P from './poly.ts';
import { derivationJson, derivationTeX, derivationText } from './report.ts';
import { prettyText, texOf } from './render.ts';
import { seriesOf } from './series.ts';

export interface BuiltinDerivation {
  /** File stem under out/derivations/. */
  name: string;
  title: string;
  verdict: 'proved' | 'refuted' | 'unknown';
  text: string;
  /** Display equations, each KaTeX-parsable. */
  tex: string[];
  json: unknown;
}

/** The scaled tanh layer Ψ_s(u) = tanh((1 + s²w) s u + s³b)/s as a series in s, and its reading. */
export function tanhScaling(order = 5): { coefficients: string[]; tex: string[]; identified: boolean } {
  const z = '(u + s^2*(w*u + b))';
  // s·Ψ_s is analytic at s = 0; its s^{j+1} coefficient is Ψ's s^j coefficient.
  const ser = seriesOf(parseExpression('tanh((1 + s^2*w)*s*u + s^3*b)'), { order: order + 1, eps: 's' }).slice(1);
  const ff = seriesOf(parseExpression(`${z} - s^2*${z}^3/3`), { order, eps: 's' });
  // Identified with the FF layer (Δt = s², γ = 1/3) through s³; they differ first at s⁴ = Δt².
  const identified = [0, 1, 2, 3].every((j) => P.equal(ser[j]!, ff[j]!)) && !P.equal(ser[4]!, ff[4]!);
  return {
    coefficients: ser.map(prettyText),
    tex: [
      `\\frac{1}{s}\\tanh\\big((I + s^2 w)\\, s u + s^3 b\\big) = ${ser.map((c, j) => (P.isZero(c) ? '' : `${j === 0 ? '' : `s^{${j}}`}\\left(${texOf(c)}\\right)`)).filter(Boolean).join(' + ')} + O(s^{${order + 1}})`,
      `\\Delta t = s^2:\\quad u^{+} = z - \\frac{\\Delta t}{3} z^3 + O(\\Delta t^2),\\quad z = u + \\Delta t\\,(w u + b),\\quad \\dot u = w u + b - \\frac{u^3}{3}`,
    ],
    identified,
  };
}

/** The built-in derivation results (verified as produced). */
export function builtinDerivations(seed: number = DEFAULT_SEED): BuiltinDerivation[] {
  const out: BuiltinDerivation[] = [];
  const fromDerivation = (name: string, dv: Derivation): void => {
    out.push({ name, title: dv.title, verdict: dv.verification.verdict, text: derivationText(dv), tex: derivationTeX(dv), json: derivationJson(dv) });
  };
  fromDerivation('ff-cubic-d1', derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 3, { seed }));
  fromDerivation('ff-cubic-d2', derive({ layer: 'ff', dim: 2, g: '-gamma*z^3' }, 3, { seed }));
  fromDerivation('ff-generic-d1', derive({ layer: 'ff', dim: 1, g: 'generic' }, 3, { seed }));
  fromDerivation('residual-tanh-d2', derive({ layer: 'residual', dim: 2, g: 'tanh(z)' }, 3, { seed }));

  const ts = tanhScaling();
  out.push({
    name: 'tanh-scaling', title: 'tanh nets as instances: x = s u, W = I + s^2 w, B = s^3 b, dt = s^2, gamma = 1/3',
    verdict: ts.identified ? 'proved' : 'refuted',
    text: [
      'tanh layer on scaled states: Psi_s(u) = tanh((1 + s^2 w) s u + s^3 b)/s, series in s:',
      ...ts.coefficients.map((c, j) => `  [s^${j}] ${c}`),
      `identified with the FF layer z - (dt/3) z^3, z = u + dt (w u + b), dt = s^2, through s^3 (first difference at s^4 = dt^2): ${ts.identified ? 'yes (exact)' : 'NO'}`,
      'continuum limit: du/dt = w u + b - u^3/3',
    ].join('\n') + '\n',
    tex: ts.tex, json: ts,
  });

  const ham: HamiltonianResult = hamiltonianOf(['w11*x1 + w12*x2 + b1 - gamma*x1^3', 'w21*x1 + w22*x2 + b2 - gamma*x2^3'], { seed });
  out.push({ name: 'hamiltonian-cubic-d2', title: 'Hamiltonian structure of the cubic ODE, d = 2', verdict: ham.verification.verdict, text: hamiltonianText(ham), tex: hamiltonianTeX(ham), json: ham });
  return out;
}

/**
 * Write each built-in derivation as NAME.txt, NAME.tex and NAME.json under `<outDir>/derivations/`
 * (atomically). Returns the derivations and the written paths.
 */
export function writeDerivations(outDir: string, seed: number = DEFAULT_SEED): { derivations: BuiltinDerivation[]; files: string[] } {
  // through the result cache when one is on (npm start): keyed by this module and what it imports
  const derivations = cached('builtin-derivations', { seed }, import.meta.url, () => builtinDerivations(seed));
  const files: string[] = [];
  const dir = join(outDir, 'derivations');
  for (const dv of derivations) {
    const base = join(dir, dv.name);
    writeFileAtomic(`${base}.txt`, dv.text);
    writeFileAtomic(`${base}.tex`, `% ${dv.title}; verification: ${dv.verdict}\n${dv.tex.map((e) => `\\[\n${e}\n\\]`).join('\n')}\n`);
    writeFileAtomic(`${base}.json`, JSON.stringify(dv.json, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    files.push(`${base}.txt`, `${base}.tex`, `${base}.json`);
  }
  return { derivations, files };
}
