import type { Claim } from './types.ts';

/** Claims of the stability family (see CLAIMS.md). */
export const claims: Claim[] = [];
