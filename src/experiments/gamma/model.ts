/**
 * The Γ-training model from plain options: the `gamma` command's flags and the API's
 * `trainGamma` fields go through this one validation (GAMMA.md's problem with data, CLAIMS
 * §2.7's toy otherwise; λ = μ = α when α is given).
 */
import { getActivation } from '../../numeric/activations.ts';
import { quote, UserError } from '../../util/errors.ts';
import type { GammaModel, Readout } from './objective.ts';

export interface GammaModelOptions {
  /** Sets λ = μ = α (not with lambda/mu). */
  alpha?: number;
  /** Weight λ of (1/n) Σ|K|² + (1/n) Σ|b|² (default 1e-3). */
  lambda?: number;
  /** Weight μ of n^κ Σ(|ΔK|² + |Δb|²) (default 1e-3; 0 drops it). */
  mu?: number;
  /** Exponent κ of the difference term (default 1). */
  kappa?: number;
  /** σ: tanh (default), softplus, cubic, identity. */
  activation?: string;
  /** 'fixed' (w, c given; default with data) or 'learned' (ridge readoutRidge; default for the toy). */
  readout?: 'fixed' | 'learned';
  /** Fixed readout w (default 1, −1 for d = 2, else all ones) and offset c (default 0). */
  w?: readonly number[];
  c?: number;
  /** Ridge on a learned readout (default 1e-4). */
  readoutRidge?: number;
}

/**
 * The model for data with d inputs. `flag` prefixes option names in messages ('--' for the
 * CLI). UserError on a non-positive weight, both α and λ/μ, a bad readout or activation, w or c
 * with a learned readout, a readout ridge with a fixed one.
 */
export function gammaModel(o: GammaModelOptions, d: number, withData: boolean, flag = ''): GammaModel {
  const positive = (v: number | undefined, name: string, allowZero = false): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) throw new UserError(`${flag}${name} must be ${allowZero ? '≥ 0' : '> 0'} (the regulariser needs it), got ${v}`);
    return v;
  };
  const alpha = positive(o.alpha, 'alpha');
  let lambda = positive(o.lambda, 'lambda');
  let mu = positive(o.mu, 'mu', true);
  if (alpha !== undefined && (lambda !== undefined || mu !== undefined)) throw new UserError(`give either ${flag}alpha or ${flag}lambda/${flag}mu, not both`);
  lambda ??= alpha ?? 1e-3;
  mu ??= alpha ?? 1e-3;
  const kappa = o.kappa ?? 1;
  if (!(Number.isFinite(kappa) && kappa > 0)) throw new UserError(`${flag}kappa must be > 0, got ${kappa}`);
  const activation = getActivation(o.activation ?? 'tanh');
  const kind = o.readout ?? (withData ? 'fixed' : 'learned');
  // a fixed readout's w, c and a learned one's ridge would be silently ignored by the other kind
  if (kind === 'learned' && (o.w !== undefined || o.c !== undefined)) {
    throw new UserError(`${flag}w and ${flag}c set a fixed readout (${flag}readout fixed); the learned readout${withData ? '' : ' (the default for the toy)'} starts from w = 1, c = 0`);
  }
  if (kind === 'fixed' && o.readoutRidge !== undefined) {
    throw new UserError(`${flag}${flag === '--' ? 'readout-ridge' : 'readoutRidge'} is the ridge of a learned readout (${flag}readout learned); the fixed readout${withData ? ' (the default with data)' : ''} has none`);
  }
  let readout: Readout;
  if (kind === 'fixed') {
    const w = o.w ?? (d === 2 ? [1, -1] : Array<number>(d).fill(1));
    if (w.length !== d) throw new UserError(`${flag}w has ${w.length} entries, the data have d = ${d} inputs`);
    if (!w.every(Number.isFinite)) throw new UserError(`${flag}w has a non-finite entry`);
    const c = o.c ?? 0;
    if (!Number.isFinite(c)) throw new UserError(`${flag}c is not finite (${c})`);
    readout = { kind: 'fixed', w: Float64Array.from(w), c };
  } else if (kind === 'learned') {
    const ridge = positive(o.readoutRidge ?? 1e-4, flag === '--' ? 'readout-ridge' : 'readoutRidge')!;
    readout = { kind: 'learned', ridge, w0: new Float64Array(d).fill(1), c0: 0 };
  } else throw new UserError(`${flag}readout must be fixed or learned, got ${quote(String(kind))}`);
  return { activation, kappa, regK: { ridge: lambda, smooth: mu }, regB: { ridge: lambda, smooth: mu }, readout };
}
