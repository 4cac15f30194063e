/** One-line descriptions of step evidence for tables, logs and the --json `detail` field. */
import type { IdentityResult } from '../symbolic/identity.ts';

export function short(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function describe(r: IdentityResult, series?: { v: string; k: number; ladder: { v: number[]; slope: number }; tail: number | undefined }): string {
  const routes = r.routes.map((x) => `${x.name.replace(/ \([^)]*\)/, '')}: ${x.zero === true ? '0' : x.zero === false ? `≠0 (${short(x.residual, 50)})` : 'undecided'}`);
  const ce = r.counterexample
    ? `; counterexample ${Object.entries(r.counterexample.point).map(([k, v]) => `${k}=${fmtNum(v)}`).join(' ')}: lhs ${fmtNum(r.counterexample.lhs)} vs rhs ${fmtNum(r.counterexample.rhs)}`
    : '';
  if (series) {
    const { v, k, ladder } = series;
    const head = `Taylor coefficients ${v}^0…${v}^${k - 1} of the difference: ${routes.join(', ')}`;
    const tail = series.tail === undefined ? 'at the round-off floor' : series.tail.toFixed(2);
    const lad = `ladder ${v} = ${fmtNum(ladder.v[0]!)}…${fmtNum(ladder.v[ladder.v.length - 1]!)} at ${r.numeric.samples} points: fitted slope ${ladder.slope.toFixed(2)}, tail slope ${tail} (need ≥ ${k - 0.5})`;
    return `${head}; ${lad}${ce}`;
  }
  return `${routes.join('; ')}; ${r.numeric.samples} samples, max rel err ${r.numeric.maxRelErr.toExponential(1)}${ce}`;
}

export const fmtNum = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));
