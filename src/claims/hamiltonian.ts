import type { Claim } from './types.ts';

/** Claims of the hamiltonian family (see CLAIMS.md). */
export const claims: Claim[] = [];
