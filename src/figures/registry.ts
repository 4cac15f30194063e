/**
 * The figure registry: every paper figure is a PURE function from saved result data to a
 * plotly spec (Observable Plot style). No figure recomputes an experiment; experiments return
 * data, notebooks and claims save it, and `build` only draws it.
 *
 * Domain engineers add their specs to `src/figures/<domain>.ts` (`export const figures`).
 */
import type { Data, Layout } from 'plotly.js-dist-min';
import { quote, someOf, UserError } from '../util/errors.ts';
import { figures as symbolic } from './symbolic.ts';
import { figures as hamiltonian } from './hamiltonian.ts';
import { figures as convergence } from './convergence.ts';
import { figures as stability } from './stability.ts';
import { figures as gamma } from './gamma.ts';
import { figures as generic } from './generic.ts';
import { figures as ruseckas } from './ruseckas.ts';
import { figures as zhang } from './zhang.ts';
import { figures as pmp } from './pmp.ts';
import { figures as training } from './training.ts';

export type { Data, Layout };

/** A plotly figure: traces and layout (width/height are set by the exporter from `size`). */
export interface PlotSpec {
  data: Data[];
  layout: Partial<Layout>;
}

/**
 * One registered paper figure.
 *
 * HOW TO ADD ONE (domain engineers): append to `figures` in `src/figures/<domain>.ts`:
 * ```ts
 * export const figures: FigureSpec[] = [{
 *   name: 'error-vs-depth', title: 'Error vs depth', size: 'single',
 *   build: (d: ErrVsDepth) => logLogConvergence(d.series, { xTitle: '$h = T/N$', yTitle: 'error' }),
 *   csv: (d) => toCsv(['h', 'err'], ...),                    // optional
 *   sample: () => sampleFromSeed(7),                           // REQUIRED, seeded, small
 * } satisfies FigureSpec<ErrVsDepth>];
 * ```
 * - `build` must be pure and deterministic: no I/O, no clock, no Math.random, no mutation of
 *   `data`. Use the house-style builders in `style.ts` (palette, fonts, log–log axes).
 * - `sample()` returns small SEEDED data of the same shape an experiment produces (use
 *   `makeRng(seed)` or a tiny closed-form ladder). The snapshot test
 *   (test/figures/specs.test.ts) builds every registered figure from it and compares with
 *   `test/figures/snapshots/<name>.json`; create yours once with
 *   `DEPTHLIMIT_UPDATE_SNAPSHOTS=1 node scripts/test.mjs test figures/specs` and COMMIT it
 *   (without that variable a missing snapshot fails, so CI never creates one).
 * - Axis titles, legend entries and annotations may be LaTeX when the WHOLE string is `$…$`
 *   (MathJax renders it in the page); the test checks that KaTeX parses it.
 */
export interface FigureSpec<D = any> {
  /** kebab-case, unique, e.g. 'error-vs-depth'; also the output file stem. */
  name: string;
  title: string;
  /** Paper column width: 'single' ≈ 3.4 in, 'double' ≈ 7 in (see style.ts SIZES). */
  size: 'single' | 'double';
  /** PURE: data → plotly spec. */
  build(data: D): { data: Data[]; layout: Partial<Layout> };
  /** Tabular data written beside the figure as <name>.csv (default: none, JSON always). */
  csv?(data: D): string;
  /** Small seeded sample data of the shape `build` expects: drives snapshot tests and `--sample`. */
  sample(): D;
}

const ALL: FigureSpec[] = [...generic, ...symbolic, ...hamiltonian, ...convergence, ...stability, ...gamma, ...ruseckas, ...zhang, ...pmp, ...training];

/** Every registered figure, checked once: kebab-case, unique names. */
export function allFigures(): FigureSpec[] {
  const seen = new Set<string>();
  for (const f of ALL) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.name)) throw new Error(`figure name '${f.name}' is not kebab-case`);
    if (seen.has(f.name)) throw new Error(`figure '${f.name}' registered twice`);
    seen.add(f.name);
  }
  return ALL;
}

export function figureNames(): string[] {
  return allFigures().map((f) => f.name);
}

/** The registered figure called `name`; UserError on an unknown name. */
export function getFigure(name: string): FigureSpec {
  const f = allFigures().find((s) => s.name === name);
  if (!f) {
    const names = figureNames();
    throw new UserError(`unknown figure ${quote(name)} (registered: ${names.length ? someOf(names) : 'none yet'}; figures --list shows them all)`);
  }
  return f;
}
