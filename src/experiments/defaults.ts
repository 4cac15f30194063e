/**
 * Defaults and depth-list helpers of the experiments that the CLI needs before any experiment
 * loads (option help, argument parsing): this module imports nothing heavy, so `depthlimit
 * --help` stays fast. The experiment modules re-export what they own from here.
 */
import { UserError } from '../util/errors.ts';

/** The C12 problem (CLAIMS.md: d = 2, γ = 0.5, time-dependent w and b, T = 1): the default of `converge`. */
export const C12_PROBLEM = {
  g: '-gamma*z^3',
  A: ['-0.3', '1 + 0.5*sin(2*t)', '-1', '-0.2 + 0.3*cos(3*t)'],
  beta: ['0.5*cos(t)', '0.3*sin(2*t)'],
  constants: { gamma: 0.5 },
  x0: [1, -0.5],
  T: 1,
} as const;

/** Default depths of `adjoint-gap` (and the hamiltonian-view notebook): 4 … 512, doubling. */
export const ADJOINT_GAP_DEPTHS = [4, 8, 16, 32, 64, 128, 256, 512];

/** Depths must be a non-empty, strictly increasing list of positive integers. */
export function validateDepths(depths: readonly number[]): number[] {
  if (depths.length === 0) throw new UserError('depths: the list is empty');
  depths.forEach((N, i) => {
    if (!Number.isInteger(N) || N <= 0) throw new UserError(`depths: ${N} is not a positive integer (depth ${i + 1})`);
    if (i > 0 && N <= depths[i - 1]!) throw new UserError(`depths must increase strictly: ${depths[i - 1]} then ${N}`);
  });
  return [...depths];
}

/** Depths lo, 2lo, 4lo, …, ≤ hi. */
export function doublings(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let n = lo; n <= hi; n *= 2) out.push(n);
  return out;
}
