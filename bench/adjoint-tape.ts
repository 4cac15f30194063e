/**
 * Benchmark: the forward pass with trajectory plus the discrete adjoint (the loss-and-gradient
 * core) of the batched Zhang ResNets that dominate C10 and C27, with the adjoint reading the
 * forward's tape (σ′(z), RK stage states: numeric/schemes/types.ts) against the same net
 * recomputing them (its scheme with the taped form removed: what every adjoint did before
 * issue 15). Both give the same bits, asserted here. Rounds alternate the two so load from
 * other jobs hits both; prints medians and the ratio. Run: node --import tsx bench/adjoint-tape.ts
 */
import { getActivation } from '../src/numeric/activations.ts';
import { resnetField } from '../src/numeric/schemes/fields.ts';
import { makeEuler } from '../src/numeric/schemes/euler.ts';
import { makeRK4 } from '../src/numeric/schemes/rk4.ts';
import { makeZhangNet, type ZhangNet } from '../src/numeric/schemes/zhang.ts';
import { makeRng } from '../src/util/prng.ts';

const ROUNDS = 15, CALLS = 20;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const tanh = getActivation('tanh');

const cases = [
  { label: 'C10 neural ODE: RK4, 32 steps, width 2, 300 samples', method: 'rk4', w: 2, S: 300, nTh: 8, nY: 32, T: 4 },
  { label: 'C27 finest level: Euler, 64 steps, width 4, 400 samples', method: 'euler', w: 4, S: 400, nTh: 4, nY: 64, T: 5 },
] as const;

for (const c of cases) {
  const field = resnetField(c.w, tanh, { samples: c.S });
  const scheme = c.method === 'rk4' ? makeRK4(field) : makeEuler(field);
  const taped = makeZhangNet(scheme, c), peer = makeZhangNet({ ...scheme, taped: undefined }, c);
  const rng = makeRng(1);
  const theta = new Float64Array(taped.paramCount).map(() => 0.5 * rng.normal());
  const x0 = new Float64Array(taped.dim).map(() => rng.normal()), pN = new Float64Array(taped.dim).map(() => rng.normal());
  const traj = new Float64Array((c.nY + 1) * taped.dim), xN = new Float64Array(taped.dim), p0 = new Float64Array(taped.dim);
  const gradient = (net: ZhangNet, g: Float64Array) => {
    net.forward(theta, x0, xN, traj);
    g.fill(0);
    net.adjoint(theta, traj, pN, g, p0);
  };
  const gA = new Float64Array(theta.length), gB = new Float64Array(theta.length);
  gradient(taped, gA); gradient(peer, gB);
  if (gA.some((v, i) => !Object.is(v, gB[i]!))) throw new Error(`${c.label}: taped and recomputing gradients differ`);
  const tTape: number[] = [], tPeer: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [[peer, tPeer, gB], [taped, tTape, gA]] as const : [[taped, tTape, gA], [peer, tPeer, gB]] as const;
    for (const [net, out, g] of order) {
      const t0 = performance.now();
      for (let k = 0; k < CALLS; k++) gradient(net, g);
      out.push((performance.now() - t0) / CALLS);
    }
  }
  const a = median(tTape), b = median(tPeer);
  console.log(`${c.label}\n  forward + adjoint: taped ${a.toFixed(2)} ms, recomputing ${b.toFixed(2)} ms (medians of ${ROUNDS} rounds × ${CALLS}), ${(b / a).toFixed(2)}× faster, same bits`);
}
