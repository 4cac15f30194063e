/** The convergence figures (owner: the convergence engineer). See FigureSpec in registry.ts for how to add one. */
import type { FigureSpec } from './registry.ts';

export const figures: FigureSpec[] = [];
