/** Bounds of the symbolic engine, in a module of their own so the CLI can state them in its help without loading the engine. */

/** Highest order k supported (the elementary-differential check stops at ε⁴). */
export const MAX_ORDER = 4;
