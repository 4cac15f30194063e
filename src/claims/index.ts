/**
 * The claim registry: every registered claim, in CLAIMS.md order, and the runner that turns a
 * thrown exception into a failing verdict (a claim check must never crash the table).
 */
import { claimKey, type Claim, type ClaimContext, type Evidence } from './types.ts';
import { claims as symbolic } from './symbolic.ts';
import { claims as hamiltonian } from './hamiltonian.ts';
import { claims as convergence } from './convergence.ts';
import { claims as stability } from './stability.ts';
import { claims as gamma } from './gamma.ts';

export * from './types.ts';

const idNumber = (c: Claim): number => Number(c.id.slice(1));

export function allClaims(): Claim[] {
  const all = [...symbolic, ...hamiltonian, ...convergence, ...stability, ...gamma];
  const seen = new Set<string>();
  for (const c of all) {
    if (!/^C([1-9]|[1-3][0-9])$/.test(c.id)) throw new Error(`claim id ${c.id} is not C1…C39`);
    const k = claimKey(c);
    if (seen.has(k)) throw new Error(`claim ${k} registered twice`);
    seen.add(k);
  }
  return all.sort((a, b) => idNumber(a) - idNumber(b) || claimKey(a).localeCompare(claimKey(b)));
}

export interface ClaimResult {
  key: string;
  claim: Claim;
  evidence: Evidence;
  control: Evidence;
  /** Wall-clock seconds of check + control: for the terminal, `claims --json` and
   *  out/timings.json, never for saved results (those are the same on every run). */
  seconds: number;
}

async function safely(f: () => Evidence | Promise<Evidence>): Promise<Evidence> {
  try {
    return await f();
  } catch (e) {
    return {
      verdict: 'fails', measured: 'exception', expected: 'evidence',
      toleranceReason: 'the check threw', detail: (e as Error).message.split('\n')[0] ?? String(e),
    };
  }
}

export async function runClaim(claim: Claim, ctx: ClaimContext): Promise<ClaimResult> {
  const t0 = performance.now();
  const evidence = await safely(() => claim.check(ctx));
  const control = await safely(() => claim.negativeControl.check(ctx));
  return { key: claimKey(claim), claim, evidence, control, seconds: (performance.now() - t0) / 1000 };
}

/** A claim is in good standing when it holds and its negative control does not. */
export function inGoodStanding(r: ClaimResult): boolean {
  return r.evidence.verdict === 'holds' && r.control.verdict === 'fails';
}
