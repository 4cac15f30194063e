/**
 * `depthlimit stability`: Jacobian eigenvalues along a trajectory of Zhang's separately
 * discretised net with the Euler/RK4 stability verdicts per layer, the stability claims
 * (C26, C28–C32), or the step-size study (C27).
 */
import { getActivation } from '../numeric/activations.ts';
import { positiveInt, quote, UserError } from '../util/errors.ts';
import { fmt, table } from '../util/format.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { finiteNumber, seedOf } from './args.ts';
import { jacobianCost, withinBudget } from './budget.ts';
import { flag, str, type CommandSpec } from './spec.ts';

const STUDIES = ['jacobian', 'checks', 'step-size'] as const;

function num(opts: Parameters<CommandSpec['run']>[0], key: string, fallback: number, check: (v: number) => boolean, what: string): number {
  const s = str(opts, key);
  if (s === undefined) return fallback;
  const v = finiteNumber(s, `--${key}`);
  if (!check(v)) throw new UserError(`--${key} must be ${what}, got ${quote(s)}`);
  return v;
}

export const command: CommandSpec = {
  name: 'stability',
  summary: 'Jacobian eigenvalues along a trajectory (Euler/RK4 stability), stability checks, step-size study',
  usage: 'stability [--study jacobian|checks|step-size] [--method euler|rk4] [--d N] [--T t] [--nth N] [--ny N] [--scale s] [--symmetric s] [--gamma g] [--activation tanh] [--seed N] [--full] [--json]',
  options: {
    study: { type: 'string', description: `what to run: ${STUDIES.join(', ')}`, default: 'jacobian' },
    method: { type: 'string', description: 'state propagation: euler or rk4 (default rk4 for jacobian, euler for step-size)' },
    d: { type: 'string', description: 'state dimension (jacobian)', default: '4' },
    T: { type: 'string', description: 'final time', default: '5' },
    nth: { type: 'string', description: 'weight intervals nTh (coarse grid)', default: '4' },
    ny: { type: 'string', description: 'state steps nY (fine grid)', default: '16' },
    scale: { type: 'string', description: 'size of the antisymmetric part of K_j', default: '1' },
    symmetric: { type: 'string', description: 'size of the random (non-antisymmetric) part of K_j', default: '0' },
    gamma: { type: 'string', description: 'damping: K_j − γI', default: '0' },
    activation: { type: 'string', description: 'σ: tanh, softplus, identity, cubic', default: 'tanh' },
    seed: { type: 'string', description: 'PRNG seed', default: String(DEFAULT_SEED) },
    full: { type: 'boolean', description: 'full mode (step-size study, checks)' },
  },
  examples: ['stability', 'stability --method euler --gamma 0.2 --ny 8', 'stability --study checks', 'stability --study step-size --json'],
  async run(opts) {
    const study = str(opts, 'study') ?? 'jacobian';
    if (!(STUDIES as readonly string[]).includes(study)) throw new UserError(`unknown study ${quote(study)} (known: ${STUDIES.join(', ')})`);
    const seed = seedOf(str(opts, 'seed'));
    const json = flag(opts, 'json'), full = flag(opts, 'full');
    const progress = (line: string) => { if (!json || !process.stderr.isTTY) process.stderr.write(line + '\n'); };

    if (study === 'checks') {
      const [{ controlCell, inGoodStanding, outcomeCells, runClaims }, { claims: stabilityClaims }] = await Promise.all([import('../claims/run.ts'), import('../claims/stability.ts')]);
      const keep = ['C26', 'C28', 'C29', 'C30', 'C31', 'C32'];
      const results = await runClaims(stabilityClaims.filter((c) => keep.includes(c.id)), {
        mode: full ? 'full' : 'quick', seed, onProgress: (e) => { if (!e.result) progress(`running ${e.key} ...`); },
      });
      if (json) console.log(JSON.stringify(results.map((r) => ({ key: r.key, title: r.claim.title, evidence: { ...r.evidence, data: undefined }, control: r.control.verdict, seconds: r.seconds })), null, 2));
      else {
        console.log(table(['claim', 'verdict', 'measured', 'expected', 'control', 'detail'], results.map((r) => [
          r.key, ...outcomeCells(r.evidence).slice(0, 3), controlCell(r.control),
          (r.evidence.verdict === 'crashed' ? r.evidence.error : r.evidence.detail ?? '').slice(0, 90),
        ])));
      }
      return results.every(inGoodStanding) ? 0 : 1;
    }

    if (study === 'step-size') {
      const { stepSizeStudy, QUICK_STEP_SIZE, FULL_STEP_SIZE } = await import('../experiments/step-size.ts');
      const cfg = { ...(full ? FULL_STEP_SIZE : QUICK_STEP_SIZE), seed };
      const method = str(opts, 'method') ?? cfg.method;
      if (method !== 'rk4' && method !== 'euler') throw new UserError(`unknown method ${quote(method)} (known: euler, rk4)`);
      cfg.method = method;
      const r = stepSizeStudy(cfg, progress);
      if (json) console.log(JSON.stringify(r));
      else {
        console.log(`step-size study: ${cfg.dataset} (${cfg.nTrain} train / ${cfg.nValid} validation), width ${cfg.width}, T = ${cfg.T}, nTh = ${cfg.nTh} weight intervals, ${cfg.method}`);
        console.log(table(['nY', 'h', 'train acc', 'valid acc', 'finest θ at this nY', 'sup|K_nY − K_nY/2|', 'loss', 'iterations'], r.levels.map((l) => [
          String(l.nY), fmt(l.h), fmt(l.trainAccuracy), fmt(l.validAccuracy), fmt(l.transferAccuracy), Number.isNaN(l.weightChange) ? '–' : fmt(l.weightChange), fmt(l.loss), String(l.iterations),
        ])));
      }
      return 0;
    }

    // Jacobian spectra along a trajectory.
    const method = str(opts, 'method') ?? 'rk4';
    if (method !== 'euler' && method !== 'rk4') throw new UserError(`unknown method ${quote(method)} (known: euler, rk4)`);
    const d = positiveInt(str(opts, 'd') ?? '4', '--d');
    if (d > 12) throw new UserError(`--d must be at most 12 (dense eigenvalues of small matrices), got ${d}`);
    const nTh = positiveInt(str(opts, 'nth') ?? '4', '--nth'), nY = positiveInt(str(opts, 'ny') ?? '16', '--ny');
    withinBudget([{ option: '--ny', value: nY }, { option: '--nth', value: nTh }], ([y, th]) => jacobianCost(d, th!, y!));
    const T = num(opts, 'T', 5, (v) => v > 0, 'a positive number');
    const scale = num(opts, 'scale', 1, () => true, 'a finite number');
    const symmetric = num(opts, 'symmetric', 0, () => true, 'a finite number');
    const gamma = num(opts, 'gamma', 0, () => true, 'a finite number');
    const act = getActivation(str(opts, 'activation') ?? 'tanh');
    const { imaginaryAxisBoundary, jacobianAlongTrajectory, randomZhangWeights, rk4StabilityModulus, zhangResnet } = await import('../experiments/stability.ts');
    const net = zhangResnet(d, act, method, { T, nTh, nY });
    const theta = randomZhangWeights(d, nTh, seed, { scale, symmetric, gamma });
    const x0 = Float64Array.from({ length: d }, (_, i) => 0.5 * Math.cos(1 + i));
    const s = jacobianAlongTrajectory(net, theta, x0, act);
    const amp = method === 'rk4' ? s.rk4 : s.euler;
    const summary = {
      continuousStable: s.maxRe.every((v) => v <= 1e-12),
      discreteStable: amp.every((v) => v <= 1 + 1e-12),
      maxRe: Math.max(...s.maxRe), maxAmplification: Math.max(...amp),
      rk4ImaginaryEdge: imaginaryAxisBoundary(rk4StabilityModulus).boundary,
    };
    if (json) { console.log(JSON.stringify({ ...s, summary })); return 0; }
    console.log(`Zhang net: d = ${d}, ${method}, T = ${T}, nTh = ${nTh}, nY = ${nY} (h = ${fmt(net.h)}), K_j = ${scale}·antisym + ${symmetric}·random − ${gamma}·I, σ = ${act.name}`);
    console.log(table(['k', 't_k', 'max Re λ(J)', 'max |Im λ|', 'max |1+hλ|', 'max |R(hλ)|'], s.t.map((t, k) => [
      String(k), fmt(t), fmt(s.maxRe[k]!), fmt(Math.max(...s.im[k]!.map(Math.abs))), fmt(s.euler[k]!), fmt(s.rk4[k]!),
    ])));
    console.log(`continuous: max Re λ = ${fmt(summary.maxRe)} (${summary.continuousStable ? 'stable' : 'UNSTABLE'}); ${method}: max amplification ${fmt(summary.maxAmplification)} (${summary.discreteStable ? 'stable' : 'UNSTABLE'}); RK4 imaginary-axis edge ${summary.rk4ImaginaryEdge.toFixed(6)} = 2√2`);
    return 0;
  },
};
