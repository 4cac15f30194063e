/**
 * depthlimit: deep neural networks as differential equations, as a library.
 *
 * This file is the public surface; every other module is private and may move. Inputs are the
 * text the command line takes (one parser, one validation, one set of errors); results are
 * plain data plus expression objects (`text`, `tex`, `sympy`, `compile()`). Errors a caller can
 * cause are {@link UserError}s with a one-line message; anything else is a bug.
 *
 * Importing the package is cheap: the symbolic engine's parser (mathjs) loads at once, the
 * heavier packages (nerdamer, algebrite, KaTeX, Playwright) only when a function needs them.
 *
 * @packageDocumentation
 */
export { derive, type Derivation, type DeriveOptions, type DeriveSpec, type DerivationVerification, type VectorForm } from './api/derive.ts';
export type { Expression, ExpressionViews, VectorExpression } from './api/expression.ts';
export { hamiltonian, type HamiltonianCheck, type HamiltonianDerivation, type HamiltonianOptions } from './api/hamiltonian.ts';
export {
  certifyOrder, sweep,
  type CertifyOptions, type FieldSweepSpec, type Ladder, type LayerOrder, type LayerSweepSpec, type MapSweepSpec,
  type OrderCertificate, type SchemeSweepSpec, type SweepCommon, type SweepResult, type SweepSpec,
} from './api/sweep.ts';
export { claimTests, type ClaimTestOptions } from './claims/user-tests.ts';
export { defineClaim, type ClaimDefinition } from './claims/user.ts';
export { inGoodStanding, runClaims, type ClaimResult, type Crash, type Outcome, type RunOptions } from './claims/run.ts';
export type { Claim, ClaimContext, Evidence, Methods, Mode, Verdict } from './claims/types.ts';
export { UserError } from './util/errors.ts';
export { version } from './util/version.ts';
export {
  adjointGap, backprop, costate,
  type AdjointGapResult, type AdjointGapSpec, type BackpropResult, type BackpropSpec, type CostateResult, type CostateSpec,
  type GradientProblem, type Loss, type ParameterValue,
} from './api/adjoint.ts';
export { trainGamma, type GammaData, type GammaModelOptions, type GammaOptions, type GammaResult, type LevelSummary } from './api/gamma.ts';
export {
  exportFigures, figure, listFigures,
  type ExportFiguresOptions, type ExportResult, type Figure, type FigureInfo, type Format, type PlotSpec,
} from './api/figures.ts';
export {
  defineNotebook, runNotebook,
  type Block, type Notebook, type NotebookContext, type NotebookRecord, type NotebookRun, type RunNotebookOptions,
} from './api/notebook.ts';

// Types the public results refer to (so a caller can name them and the reference documents them).
export type { LayerKind, LayerSpec } from './symbolic/layers.ts';
export type { RungeKuttaKind } from './symbolic/vector/runge-kutta.ts';
export type { RouteCheck } from './symbolic/derive.ts';
export type { Ladder as VerificationLadder, NumericVerification } from './symbolic/verify.ts';
export type { OrderInference, OrderTarget } from './symbolic/order.ts';
export type { Against, Expectation, SweepScheme } from './experiments/depth-sweep.ts';
export { SCHEME_NAMES, type SchemeName } from './numeric/schemes/net.ts';
export type { DropReason } from './numeric/certify.ts';
export type { LevelResult, Optimizer } from './experiments/gamma/train.ts';
export type { ObjectiveParts } from './experiments/gamma/objective.ts';
export type { FigureEntry } from './report/notebook.ts';
