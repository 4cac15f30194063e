/** The hamiltonian figures (owner: the hamiltonian engineer). See FigureSpec in registry.ts for how to add one. */
import type { FigureSpec } from './registry.ts';

export const figures: FigureSpec[] = [];
