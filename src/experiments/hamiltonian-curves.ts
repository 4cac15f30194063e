/**
 * Curves for the Hamiltonian figures and notebook (data only): the costate a(t) next to
 * discrete backprop p_l, the continuous H(t) next to the discrete H_l, and phase-space volume
 * along the flow. Same seeded problem as hamiltonian-checks.ts.
 */
import { costate, quadraticLoss } from '../numeric/costate.ts';
import { det } from '../numeric/linalg.ts';
import { dopri5 } from '../numeric/ode/dopri5.ts';
import { makeRng } from '../util/prng.ts';
import { baseProblem, tiedEulerHamiltonian, traceJacobian } from './hamiltonian-checks.ts';

export interface Series { label: string; t: number[]; values: number[][] }

export interface HamiltonianCurves {
  /** a(t) (dense costate) and H(t) on a fine grid */
  continuous: { t: number[]; a: number[][]; H: number[] };
  /** Euler ResNets with tied weights: p_l and H_l = p_{l+1}·f(x_l) at t_l */
  discrete: { N: number; t: number[]; p: number[][]; H: number[] }[];
}

export function hamiltonianCurves(seed: number, depths: number[] = [8, 32], points = 200): HamiltonianCurves {
  const p = baseProblem(seed), d = p.d, loss = quadraticLoss(p.y);
  const sol = costate({ field: p.field, thetaOf: (_t, o) => o.set(p.theta), x0: p.x0, T: p.T, lossGrad: loss.grad });
  const t: number[] = [], a: number[][] = [], H: number[] = [], buf = new Float64Array(d);
  for (let k = 0; k <= points; k++) {
    const tk = (k * p.T) / points;
    t.push(tk); a.push(Array.from(sol.costate.eval(tk, buf))); H.push(sol.hamiltonian(tk));
  }
  const discrete = depths.map((N) => {
    const { ps, H: Hl } = tiedEulerHamiltonian(p, N);
    const tl: number[] = [], pl: number[][] = [];
    for (let l = 0; l <= N; l++) {
      tl.push((l * p.T) / N);
      pl.push(Array.from(ps.subarray(l * d, (l + 1) * d)));
    }
    return { N, t: tl, p: pl, H: Hl };
  });
  return { continuous: { t, a, H }, discrete };
}

export interface PhaseSpaceVolume {
  t: number[];
  /** det ∂x(t)/∂x(0) from the variational equation */
  detState: number[];
  /** exp ∫₀ᵗ Tr J ds */
  expTrace: number[];
  /** det ∂(x, a)(t)/∂(x, a)(0) of the joint (state, costate) flow: 1 by Liouville */
  detJoint: number[];
}

/** Phase-space volume along the flow: state volume follows exp ∫ Tr J, joint (x, a) volume stays 1. */
export function phaseSpaceVolume(seed: number, points = 40): PhaseSpaceVolume {
  const p = baseProblem(seed), d = p.d, n = 2 * d;
  const x = new Float64Array(d), a = new Float64Array(d), v = new Float64Array(d), col = new Float64Array(d), e = new Float64Array(d), g = new Float64Array(d);
  const xp = new Float64Array(d), xm = new Float64Array(d), gp = new Float64Array(d), gm = new Float64Array(d);
  const rng = makeRng(seed + 5);
  // z = (x, a, M (n×n), s): ẋ = F, ȧ = −a J, Ṁ = A(x, a) M with the joint Jacobian, ṡ = Tr J
  const size = n + n * n + 1;
  const joint = (t: number, z: Float64Array, o: Float64Array) => {
    for (let i = 0; i < d; i++) { x[i] = z[i]!; a[i] = z[d + i]!; }
    p.field.eval(t, x, p.theta, 0, col);
    for (let i = 0; i < d; i++) o[i] = col[i]!;
    p.field.vjp(t, x, p.theta, 0, a, g, null, 0, 0);
    for (let i = 0; i < d; i++) o[d + i] = -g[i]!;
    // tangent of (x, a) along column j of M: δẋ = J δx; δȧ = −(δa J + a ∂(J)/∂x δx) — the second
    // term by a central difference of the cotangent product in x (step 1e-6: O(1e-12) error)
    const hh = 1e-6;
    for (let j = 0; j < n; j++) {
      const o0 = n + j;
      for (let i = 0; i < d; i++) v[i] = z[o0 + i * n]!;
      p.field.jvp(t, x, p.theta, 0, v, null, 0, col);
      for (let i = 0; i < d; i++) o[o0 + i * n] = col[i]!;
      for (let i = 0; i < d; i++) v[i] = z[o0 + (d + i) * n]!;
      p.field.vjp(t, x, p.theta, 0, v, g, null, 0, 0);
      for (let i = 0; i < d; i++) { xp[i] = x[i]! + hh * z[o0 + i * n]!; xm[i] = x[i]! - hh * z[o0 + i * n]!; }
      p.field.vjp(t, xp, p.theta, 0, a, gp, null, 0, 0);
      p.field.vjp(t, xm, p.theta, 0, a, gm, null, 0, 0);
      for (let i = 0; i < d; i++) o[o0 + (d + i) * n] = -(g[i]! + (gp[i]! - gm[i]!) / (2 * hh));
    }
    o[n + n * n] = traceJacobian(p.field, t, x, p.theta, e, col);
  };
  const z0 = new Float64Array(size);
  z0.set(p.x0);
  for (let i = 0; i < d; i++) z0[d + i] = rng.normal();
  for (let i = 0; i < n; i++) z0[n + i * n + i] = 1;
  const sol = dopri5(joint, 0, p.T, z0, { rtol: 1e-10, atol: 1e-10, dense: true });
  const out: PhaseSpaceVolume = { t: [], detState: [], expTrace: [], detJoint: [] };
  const z = new Float64Array(size), M = new Float64Array(n * n), Mx = new Float64Array(d * d);
  for (let k = 0; k <= points; k++) {
    const t = (k * p.T) / points;
    sol.dense!.eval(t, z);
    M.set(z.subarray(n, n + n * n));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Mx[i * d + j] = M[i * n + j]!;
    out.t.push(t); out.detState.push(det(Mx, d)); out.expTrace.push(Math.exp(z[n + n * n]!)); out.detJoint.push(det(M, n));
  }
  return out;
}
