import type { Claim } from './types.ts';

/** Claims of the gamma family (see CLAIMS.md). */
export const claims: Claim[] = [];
