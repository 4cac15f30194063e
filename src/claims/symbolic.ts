import type { Claim } from './types.ts';

/** Claims of the symbolic family (see CLAIMS.md). */
export const claims: Claim[] = [];
