/** The symbolic figures (owner: the symbolic engineer). See FigureSpec in registry.ts for how to add one. */
import type { FigureSpec } from './registry.ts';
import { csvTable } from './csv.ts';
import { logLogConvergence } from './style.ts';
import { certifyOrder } from '../numeric/certify.ts';
import { modifiedEquationLadders, type ModifiedLadders } from '../symbolic/ladders.ts';

export const figures: FigureSpec[] = [
  {
    name: 'modified-equation-ladder',
    title: 'One layer vs the time-ε flow of its truncated modified field: local error O(ε^{k+1})',
    size: 'single',
    build: (d: ModifiedLadders) => logLogConvergence(
      d.series.map((s) => ({
        label: s.k === 1 ? '$\\text{ODE } f_1\\ (k = 1)$' : `$\\text{modified, } k = ${s.k}$`,
        h: s.eps, err: s.err, certificate: certifyOrder(s.eps, s.err, s.expected),
      })),
      { xTitle: '$\\varepsilon$', yTitle: '$\\|\\varphi_\\varepsilon(f^{(k)}) - \\Phi_\\varepsilon\\|_\\infty$', referenceSlopes: d.series.map((s) => s.expected) },
    ),
    csv: (d: ModifiedLadders) => csvTable(['k', 'eps', 'flow_residual'], d.series.flatMap((s) => s.eps.map((e, i) => [s.k, e, s.err[i]]))),
    sample: (): ModifiedLadders => modifiedEquationLadders({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 3, 7, 6),
  } satisfies FigureSpec<ModifiedLadders>,
];
