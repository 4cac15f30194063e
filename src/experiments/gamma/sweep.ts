/**
 * The Γ-convergence depth sweep and what it shows (CLAIMS.md C19–C21): minimal energies,
 * minimisers and their boundary quotients across depths n, each ladder with a certified rate.
 * Pure functions: configuration in, data out (figures and claims read the data).
 */
import { certifyOrder, type OrderCertificate } from '../../numeric/certify.ts';
import { UserError } from '../../util/errors.ts';
import { join } from 'node:path';
import { doublings } from '../depth-sweep.ts';
import { packageRoot } from '../../util/package-root.ts';
import { cached } from '../../util/cache.ts';
import { getActivation } from '../../numeric/activations.ts';
import { loadDataset, toyDataset, type Dataset } from './data.ts';
import { gammaBenchModel, type GammaModel } from './objective.ts';
import { interpolant, multilevel, type LevelResult, type Optimizer, type SweepOptions } from './train.ts';

/**
 * CLAIMS.md §2.7's toy model: tanh, α = 1e−3 on K and b (ridge and smooth), learned readout
 * with ridge 1e−4 starting from w = (1, …, 1), c = 0 (all ones: a zero readout entry would
 * leave its state channel at a saddle, never trained).
 */
export function toyModel(alpha = 1e-3, kappa = 1, smooth = alpha, d = 1): GammaModel {
  return {
    activation: getActivation('tanh'), kappa,
    regK: { ridge: alpha, smooth }, regB: { ridge: alpha, smooth },
    readout: { kind: 'learned', ridge: 1e-4, w0: new Float64Array(d).fill(1), c0: 0 },
  };
}

/** Depths lo, 2lo, …, ≤ hi: the one doubling list (depth-sweep.ts), re-exported for gamma callers. */
export { doublings };

/** The benchmark's data file (a cached result computed from it keys its bytes: `filesDigest`). */
export const BENCH_DATA = join(packageRoot(), 'data', 'gamma-data.csv');

/**
 * The GAMMA.md benchmark problem. Its data file ships with the package (data/, see package.json
 * files) and is found from the package root, not the working directory, so the gamma claim and
 * notebook run from any folder and from the installed package.
 */
export function benchProblem(path = BENCH_DATA): { model: GammaModel; data: Dataset } {
  return { model: gammaBenchModel(getActivation('tanh')), data: loadDataset(path) };
}


/**
 * L² and sup norms on [0, 1] of the difference of the piecewise-linear cell-centre
 * interpolants of two layer-parameter vectors (all P slots: ‖·‖_{L²} = (Σ_j ∫(Δθ_j)²)^{1/2},
 * sup = max_j sup_t |Δθ_j|). Exact: both interpolants are linear between the merged
 * breakpoints, where ∫(linear)² = (τ/3)(a² + ab + b²).
 */
export function interpolantDistance(a: Float64Array, na: number, b: Float64Array, nb: number, P: number): { l2: number; sup: number } {
  const bps: number[] = [0, 1];
  for (let k = 0; k < na; k++) bps.push((k + 0.5) / na);
  for (let k = 0; k < nb; k++) bps.push((k + 0.5) / nb);
  bps.sort((x, y) => x - y);
  const at = (th: Float64Array, n: number, j: number, t: number): number => interpolant(th, n, P, j, t);
  let ss = 0, sup = 0;
  for (let j = 0; j < P; j++) {
    let prev = at(a, na, j, 0) - at(b, nb, j, 0);
    sup = Math.max(sup, Math.abs(prev));
    for (let i = 1; i < bps.length; i++) {
      const t = bps[i]!, tau = t - bps[i - 1]!;
      const cur = at(a, na, j, t) - at(b, nb, j, t);
      ss += (tau / 3) * (prev * prev + prev * cur + cur * cur);
      sup = Math.max(sup, Math.abs(cur));
      prev = cur;
    }
  }
  return { l2: Math.sqrt(ss), sup };
}

/** Per level, what a table or figure needs (no parameter vectors). */
export interface LevelSummary {
  n: number; iterations: number; evaluations: number; converged: boolean; reason: string;
  energy: number; loss: number; scaledGradient: number;
  /** max_j |n(θ_1 − θ_0)|, max_j |n(θ_{n−1} − θ_{n−2})| and the interior quotient at the middle. */
  neumannLeft: number; neumannRight: number; interiorQuotient: number;
}

export interface SweepEvidence {
  depths: number[];
  optimizer: Optimizer;
  levels: LevelSummary[];
  /** Cauchy ladders over consecutive depths (index i: depths[i] vs depths[i+1]). */
  energyCauchy: number[];
  minimiserL2: number[];
  minimiserSup: number[];
  /** |readout_n − readout_{2n}| (max norm) when learned, else empty. */
  readoutCauchy: number[];
  /** |E_n* − Ē| against the deepest level N, Richardson-extrapolated for its own O(1/N)
   *  error: Ē = 2E_N* − E_{N/2}* (the Cauchy ladder certifies that order independently);
   *  index i: depths[i], i < last. */
  energyVsDeepest: number[];
  /** max(|left|, |right|) boundary quotients, and the interior one. */
  neumann: number[];
  interior: number[];
  certificates: {
    energyCauchy: OrderCertificate; energyVsDeepest: OrderCertificate;
    minimiserL2: OrderCertificate; minimiserSup: OrderCertificate;
    readoutCauchy?: OrderCertificate; neumann: OrderCertificate;
  };
  allConverged: boolean;
  /** Minimisers' first slot K_11(t_k) at each depth (for the overlay figure). */
  profiles: { n: number; t: number[]; K: number[] }[];
}

/** Boundary and interior difference quotients of a minimiser (all P slots). */
function quotients(th: Float64Array, n: number, P: number): { left: number; right: number; interior: number } {
  let left = 0, right = 0, interior = 0;
  if (n < 2) return { left, right, interior };
  const m = Math.floor(n / 2) - 1;
  for (let j = 0; j < P; j++) {
    left = Math.max(left, Math.abs(n * (th[P + j]! - th[j]!)));
    right = Math.max(right, Math.abs(n * (th[(n - 1) * P + j]! - th[(n - 2) * P + j]!)));
    if (m >= 0 && m + 1 < n) interior = Math.max(interior, Math.abs(n * (th[(m + 1) * P + j]! - th[m * P + j]!)));
  }
  return { left, right, interior };
}

function summarise(levels: LevelResult[], P: number): LevelSummary[] {
  return levels.map((r) => {
    const q = quotients(r.theta, r.n, P);
    return {
      n: r.n, iterations: r.iterations, evaluations: r.evaluations, converged: r.converged, reason: r.reason,
      energy: r.energy, loss: r.parts.loss, scaledGradient: r.scaledGradient,
      neumannLeft: q.left, neumannRight: q.right, interiorQuotient: q.interior,
    };
  });
}

/**
 * Evidence for C19–C21 from a multilevel sweep (depths should double). Rates are certified
 * against order 1 with h = 1/n (the Cauchy ladder at depth n uses h = 1/n).
 */
export function sweepEvidence(levels: LevelResult[], P: number): SweepEvidence {
  const depths = levels.map((l) => l.n);
  const last = levels[levels.length - 1]!;
  const energyCauchy: number[] = [], minimiserL2: number[] = [], minimiserSup: number[] = [], readoutCauchy: number[] = [];
  const energyVsDeepest: number[] = [];
  for (let i = 0; i + 1 < levels.length; i++) {
    const a = levels[i]!, b = levels[i + 1]!;
    energyCauchy.push(Math.abs(a.energy - b.energy));
    const dist = interpolantDistance(a.theta, a.n, b.theta, b.n, P);
    minimiserL2.push(dist.l2); minimiserSup.push(dist.sup);
    const ea = a.theta.length - a.n * P;
    if (ea > 0) {
      let m = 0;
      for (let k = 0; k < ea; k++) m = Math.max(m, Math.abs(a.theta[a.n * P + k]! - b.theta[b.n * P + k]!));
      readoutCauchy.push(m);
    }
  }
  const penultimate = levels[levels.length - 2];
  const extrapolated = penultimate ? 2 * last.energy - penultimate.energy : last.energy;
  for (let i = 0; i + 1 < levels.length; i++) energyVsDeepest.push(Math.abs(levels[i]!.energy - extrapolated));
  const summary = summarise(levels, P);
  const neumann = summary.map((s) => Math.max(s.neumannLeft, s.neumannRight));
  const interior = summary.map((s) => s.interiorQuotient);
  const hC = depths.slice(0, -1).map((n) => 1 / n);
  const hAll = depths.map((n) => 1 / n);
  const cert = (h: number[], e: number[]) => certifyOrder(h, e, 1);
  return {
    depths, optimizer: levels[0]?.optimizer ?? 'h1', levels: summary,
    energyCauchy, minimiserL2, minimiserSup, readoutCauchy, energyVsDeepest, neumann, interior,
    certificates: {
      energyCauchy: cert(hC, energyCauchy), energyVsDeepest: cert(hC, energyVsDeepest),
      minimiserL2: cert(hC, minimiserL2), minimiserSup: cert(hC, minimiserSup),
      ...(readoutCauchy.length ? { readoutCauchy: cert(hC, readoutCauchy) } : {}),
      neumann: cert(hAll, neumann),
    },
    allConverged: levels.every((l) => l.converged),
    profiles: levels.map((l) => ({
      n: l.n,
      t: Array.from({ length: l.n }, (_, k) => (k + 0.5) / l.n),
      K: Array.from({ length: l.n }, (_, k) => l.theta[k * P]!),
    })),
  };
}

/** Run the multilevel sweep and collect the evidence. */
export function gammaSweep(model: GammaModel, data: Dataset, depths: number[], opts: SweepOptions = {}): { levels: LevelResult[]; evidence: SweepEvidence } {
  // 4, 6, 8 turned the toy's certified order-1 ladders inconclusive: the evidence is built for n → 2n
  depths.forEach((n, i) => {
    if (i > 0 && n !== 2 * depths[i - 1]!) throw new UserError(`depths must double (e.g. 4,8,16 or 4..1024): the Cauchy ladders compare n with 2n and the deepest energy is extrapolated as 2E_N − E_{N/2}; got ${depths[i - 1]} then ${n}`);
  });
  const levels = multilevel(model, data, depths, opts);
  return { levels, evidence: sweepEvidence(levels, data.d * data.d + data.d) };
}

/**
 * Deepest level of the claims' sweeps: quick (tests) and full (figures). Quick reaches 512: up
 * to 64 the L² distance of consecutive minimisers has a steady local slope 1.00014 (a term that
 * is not yet asymptotic at that resolution), so a ladder stopping at 128 cannot certify order 1;
 * from 128 on the deviation halves per level, as the next term h² predicts.
 */
export const claimSweepTop = (mode: 'quick' | 'full'): number => (mode === 'quick' ? 512 : 1024);

/** The quick (tests) and full (figures) configurations of the claims' sweep. */
export function claimSweepConfig(mode: 'quick' | 'full'): { model: GammaModel; data: Dataset; depths: number[] } {
  return { model: toyModel(), data: toyDataset(), depths: doublings(4, claimSweepTop(mode)) };
}

/** The C19–C21 sweep of a mode: computed once, shared by the claims and the notebook (src/util/cache.ts). */
export function claimSweep(mode: 'quick' | 'full'): { levels: LevelResult[]; evidence: SweepEvidence } {
  return cached('gamma-claim-sweep', { mode }, import.meta.url, () => {
    const c = claimSweepConfig(mode);
    return gammaSweep(c.model, c.data, c.depths);
  });
}
