/**
 * The built-in claim registry (C1…C39, in CLAIMS.md order). Heavy: it imports every claim
 * family and through them the symbolic and numeric trees, so commands load it with
 * `await import()` and the public surface never re-exports it. The runner is ./run.ts.
 */
import { claimKey, type Claim } from './types.ts';
import { claims as symbolic } from './symbolic.ts';
import { claims as hamiltonian } from './hamiltonian.ts';
import { claims as convergence } from './convergence.ts';
import { claims as stability } from './stability.ts';
import { claims as gamma } from './gamma.ts';
import { claims as memoryFree } from './memory-free.ts';
import { claims as ruseckas } from './ruseckas.ts';
import { claims as zhang } from './zhang.ts';
import { claims as pmp } from './pmp.ts';
import { claims as training } from './training.ts';

export * from './types.ts';
export * from './run.ts';

const idNumber = (c: Claim): number => Number(c.id.slice(1));

/**
 * Every claim family with the module that defines it: the one list `allClaims` concatenates, so
 * no family can run without its module keying its cached outcome (src/util/cache.ts; a family
 * missing here was recomputed on every warm run).
 */
const FAMILIES: [Claim[], string][] = [
  [symbolic, './symbolic.ts'], [hamiltonian, './hamiltonian.ts'], [convergence, './convergence.ts'], [stability, './stability.ts'],
  [gamma, './gamma.ts'], [ruseckas, './ruseckas.ts'], [zhang, './zhang.ts'], [memoryFree, './memory-free.ts'],
  [pmp, './pmp.ts'], [training, './training.ts'],
];

/** The URL of the module that registers `c` (a built-in claim), or undefined. */
export function claimModule(c: Claim): string | undefined {
  const f = FAMILIES.find(([list]) => list.includes(c));
  return f ? new URL(f[1], import.meta.url).href : undefined;
}

export function allClaims(): Claim[] {
  const all = FAMILIES.flatMap(([list]) => list);
  const seen = new Set<string>();
  for (const c of all) {
    if (!/^C([1-9]|[1-3][0-9])$/.test(c.id)) throw new Error(`claim id ${c.id} is not C1…C39`);
    const k = claimKey(c);
    if (seen.has(k)) throw new Error(`claim ${k} registered twice`);
    seen.add(k);
  }
  return all.sort((a, b) => idNumber(a) - idNumber(b) || claimKey(a).localeCompare(claimKey(b)));
}
