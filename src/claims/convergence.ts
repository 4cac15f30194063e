import type { Claim } from './types.ts';

/** Claims of the convergence family (see CLAIMS.md). */
export const claims: Claim[] = [];
