/**
 * Every notebook `npm start` runs, in report order (maintained by the lead). Each entry is the
 * default export of `notebooks/<name>.ts` (`export default defineNotebook({...})`).
 */
import type { Notebook } from '../src/report/notebook.ts';
import continuumLimit from './continuum-limit.ts';
import convergence from './convergence.ts';
import gammaConvergence from './gamma-convergence.ts';
import hamiltonianView from './hamiltonian-view.ts';
import stabilityRk4 from './stability-rk4.ts';
import discreteVsContinuous from './discrete-vs-continuous.ts';
import proofs from './proofs.ts';

export const notebooks: Notebook[] = [
  continuumLimit,
  hamiltonianView,
  convergence,
  gammaConvergence,
  stabilityRk4,
  discreteVsContinuous,
  proofs,
];
