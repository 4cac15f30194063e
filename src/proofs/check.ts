/**
 * Checking a proof file step by step. Each step relates its expression to the one before it:
 *   `= e`            exact:  prev ≡ e, by checkIdentity (two CAS routes on the expanded
 *                    difference + seeded random evaluation inside the declared domains);
 *   `= e + O(v^k)`   series: prev − e = O(v^k), by checkSeriesIdentity (Taylor coefficients
 *                    0…k−1 of the difference vanish, and the difference falls like v^k over a
 *                    ladder of v);
 *   `<= e`, `>= e`   inequality: no violation at seeded random points, and — to be proved — a
 *                    `sos:` certificate c with e − prev ≡ c (checkIdentity) where c is manifestly
 *                    nonnegative on the declared domains (sums and products of squares, even
 *                    powers, nonnegative constants and symbols declared nonnegative).
 * Verdicts: proved / refuted (counterexample point with both values) / unknown (numerically
 * consistent, symbolically undecided). A file passes only when every step is proved.
 */
import { checkIdentity, type IdentityResult } from '../symbolic/identity.ts';
import { UserError } from '../util/errors.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { describe, fmtNum, short } from './describe.ts';
import { BlockExpander, type DerivativeCheck, type SymbolicSum } from './expand.ts';
import { checkInduction, inductionShape, type InductionResult } from './induction.ts';
import { checkInequality } from './inequality.ts';
import { where, type Block, type ProofFile, type Step } from './parse.ts';
import { checkSeriesStep, type SeriesResult } from './series.ts';

export { manifestlyNonnegative } from './inequality.ts';
export { tailSlope } from './series.ts';

export type Verdict = 'proved' | 'refuted' | 'unknown';

export interface StepResult {
  file: string;
  block: string;
  /** 1-based step number in the block. */
  step: number;
  line: number;
  relation: Step['relation'];
  order?: { variable: string; power: number };
  cites: string[];
  verdict: Verdict;
  /** One line: why, e.g. 'nerdamer expand: 0; algebrite expand: 0; 24 samples, max rel err 2e-16'. */
  detail: string;
  /** The expanded expressions compared (previous step, this step). */
  lhs: string;
  rhs: string;
  routes: IdentityResult['routes'];
  numeric: IdentityResult['numeric'];
  counterexample?: { point: Record<string, number>; lhs: number; rhs: number };
  ladder?: { v: number[]; err: number[]; slope: number };
  derivatives: DerivativeCheck[];
}

export interface FileResult {
  path: string;
  title: string;
  steps: StepResult[];
  proved: number;
  refuted: number;
  unknown: number;
  ok: boolean;
}

export interface CheckOptions {
  seed?: number;
  /** Random points per exact step (checkIdentity default 24). */
  samples?: number;
  /** The CAS derivative behind D(expr, v) (default: the symbolic layer's diff); for tests. */
  differentiate?: (expr: string, v: string) => string;
  /** Called before each block (progress). */
  onBlock?: (file: string, block: string) => void;
}

/**
 * Expand every step of a file first (so bad input fails before any work), then check.
 * Throws UserError naming file:line, block and step for unparseable or undeclared input.
 */
export function checkProofFile(pf: ProofFile, opts: CheckOptions = {}): FileResult {
  return checkPrepared(prepareProofFile(pf, opts), opts);
}

/** A proof file whose steps are expanded and validated, ready to check. */
export interface PreparedFile { file: ProofFile; blocks: Prepared[]; seed: number }

/**
 * Expand and validate every step (definitions, D(·,·), declared symbols, known functions,
 * one order variable per chain). Throws UserError naming file:line, block and step.
 */
export function prepareProofFile(pf: ProofFile, opts: CheckOptions = {}): PreparedFile {
  const seed = opts.seed ?? DEFAULT_SEED;
  return { file: pf, seed, blocks: pf.blocks.map((b) => prepareBlock(pf.path, b, seed + 1000 * b.index, opts.differentiate)) };
}

/**
 * Check prepared steps. A series step is checked against the step above it, unless it claims a
 * higher order than the chain has carried so far (`A = B + O(ε²) = C + O(ε³)` claims
 * A − C = O(ε³), which B cannot vouch for): then it is checked against the chain start.
 */
export function checkPrepared(prep: PreparedFile, opts: CheckOptions = {}): FileResult {
  const { file: pf, seed } = prep;
  const steps: StepResult[] = [];
  for (const p of prep.blocks) {
    opts.onBlock?.(pf.path, p.block.label);
    for (const chain of p.chains) {
      let carried = Infinity;
      for (let i = 1; i < chain.length; i++) {
        const cur = chain[i]!;
        const k = cur.step.order?.power;
        const fromStart = k !== undefined && k > carried;
        const ref = fromStart ? chain[0]! : chain[i - 1]!;
        const r = checkStep(pf.path, p, ref, cur, seed + 1000 * p.block.index + cur.step.index, opts);
        if (fromStart) r.detail = `checked against the chain start (the chain so far holds only to O(${cur.step.order!.variable}^${carried})); ${r.detail}`;
        steps.push(r);
        if (k !== undefined) carried = Math.min(carried, k);
      }
    }
  }
  const count = (v: Verdict) => steps.filter((s) => s.verdict === v).length;
  const proved = count('proved');
  return { path: pf.path, title: pf.title, steps, proved, refuted: count('refuted'), unknown: count('unknown'), ok: proved === steps.length };
}

interface Prepared {
  block: Block;
  expander: BlockExpander;
  chains: { step: Step; text: string; derivatives: DerivativeCheck[]; certificate?: string; sums: SymbolicSum[]; loc: string }[][];
}

function stepLabel(s: Step, stepsBefore: number): string | number {
  return s.relation === 'start' ? `${stepsBefore + 1} (chain start)` : s.index;
}

function prepareBlock(path: string, block: Block, seed: number, differentiate?: (expr: string, v: string) => string): Prepared {
  const expander = new BlockExpander(block, path, seed, differentiate);
  let last = 0;
  for (const c of block.chains) {
    const vars = new Set(c.steps.flatMap((st) => (st.order ? [st.order.variable] : [])));
    const first = c.steps.find((st) => st.order);
    if (vars.size > 1) {
      throw new UserError(`${where(path, first!.line, block.label, first!.index)}: one chain uses O(...) in two variables (${[...vars].join(', ')}); split it`);
    }
    const ineq = c.steps.find((st) => st.relation === '<=' || st.relation === '>=');
    if (first && ineq) {
      throw new UserError(`${where(path, ineq.line, block.label, ineq.index)}: a chain with an O(...) step cannot contain inequalities`);
    }
  }
  const chains = block.chains.map((c) => c.steps.map((step) => {
    const loc = where(path, step.line, block.label, stepLabel(step, last));
    if (step.relation !== 'start') last = step.index;
    if (step.order && !expander.symbols.includes(step.order.variable)) {
      throw new UserError(`${loc}: undeclared symbol '${step.order.variable}' in O(${step.order.variable}^${step.order.power})`);
    }
    const before = expander.derivatives.length;
    const { text, sums } = expander.expandWithSums(step.expr, loc);
    if (sums.length && (step.relation === '<=' || step.relation === '>=' || step.order)) {
      throw new UserError(`${loc}: a sum with symbolic limits can only be related by an exact step '= …' (checked by induction)`);
    }
    const certificate = step.certificate === undefined ? undefined : expander.expand(step.certificate, `${loc} (sos certificate)`);
    const derivatives = expander.derivatives.slice(before);
    return { step, text, derivatives, sums, loc, ...(certificate === undefined ? {} : { certificate }) };
  }));
  for (const c of chains) {
    for (let i = 1; i < c.length; i++) {
      const [a, b] = [c[i - 1]!, c[i]!];
      if ((a.sums.length || b.sums.length) && (b.step.relation !== '=' || b.step.order)) {
        throw new UserError(`${b.loc}: the step after a sum with symbolic limits must be an exact step '= …' (checked by induction)`);
      }
      if (a.sums.length || b.sums.length) inductionShape(a.text, b.text, [...a.sums, ...b.sums], expander.symbols, b.loc);
    }
  }
  return { block, expander, chains };
}

function describeInduction(r: InductionResult): string {
  const { variable: m, base, baseCase, step, explicit } = r.induction;
  const ce = r.counterexample;
  return `induction on ${m} ≥ ${base}: base ${m} = ${base}: ${describe(baseCase)}; step ${m} → ${m} + 1: ${describe(step)}; `
    + `sums added up for ${m} = ${explicit.ms[0]}…${explicit.ms[explicit.ms.length - 1]}: max rel err ${explicit.maxRelErr.toExponential(1)}`
    + (ce && Number.isInteger(ce.point[m]) ? `; counterexample ${Object.entries(ce.point).map(([k, v]) => `${k}=${fmtNum(v)}`).join(' ')}: lhs ${fmtNum(ce.lhs)} vs rhs ${fmtNum(ce.rhs)}` : '');
}

function checkStep(
  path: string, p: Prepared, prev: Prepared['chains'][number][number], cur: Prepared['chains'][number][number],
  seed: number, opts: CheckOptions,
): StepResult {
  const { step } = cur;
  const domains = p.expander.domains;
  const derivatives = [...prev.derivatives, ...cur.derivatives];
  let r: SeriesResult;
  let detail: string;
  if (prev.sums.length || cur.sums.length) {
    const sums = [...new Map([...prev.sums, ...cur.sums].map((s) => [s.name, s])).values()];
    const ind = checkInduction(prev.text, cur.text, sums, p.expander.symbols, domains, seed, cur.loc);
    r = ind;
    detail = describeInduction(ind);
  } else if (step.relation === '=' && step.order) {
    const { variable, power } = step.order;
    r = checkSeriesStep(prev.text, cur.text, variable, power, p.expander.symbols, domains, seed);
    detail = describe(r, r.ladder ? { v: variable, k: power, ladder: r.ladder, tail: r.tail } : undefined);
  } else if (step.relation === '=') {
    r = checkIdentity(prev.text, cur.text, { domains, seed, ...(opts.samples ? { samples: opts.samples } : {}) });
    detail = describe(r);
  } else {
    const [lo, hi] = step.relation === '<=' ? [prev.text, cur.text] : [cur.text, prev.text];
    ({ r, detail } = checkInequality(lo, hi, cur.certificate, p.block, domains, seed));
  }
  let verdict = r.verdict;
  // Refuted needs evidence that cannot be one engine's blind spot: a counterexample point, or
  // every route reducing the difference to a nonzero residual. One route at 0 and another not,
  // with the numbers agreeing, is a disagreement between engines (algebrite keeps (1/h)^κ·h
  // unsimplified, for one), not a refutation.
  if (verdict === 'refuted' && !r.counterexample && r.routes.some((x) => x.zero === true)) {
    verdict = 'unknown';
    detail = `the symbolic routes disagree and no point separates the two sides; ${detail}`;
  }
  // Proved means at least two independent CAS routes, and all of them, reduced the difference
  // to 0 (and the numerics agreed).
  const undecided = r.routes.filter((x) => x.zero !== true);
  if (verdict === 'proved' && (undecided.length || r.routes.length < 2)) {
    verdict = 'unknown';
    detail = `only ${r.routes.length - undecided.length} of ${Math.max(2, r.routes.length)} symbolic routes decided; ${detail}`;
  }
  const badDerivative = derivatives.find((d) => !d.ok);
  if (badDerivative && verdict === 'proved') {
    verdict = 'unknown';
    detail = `D(${short(badDerivative.f)}, ${badDerivative.v}) disagrees with difference quotients (rel ${badDerivative.maxRelErr.toExponential(1)}); ${detail}`;
  }
  return {
    file: path, block: p.block.label, step: step.index, line: step.line, relation: step.relation,
    ...(step.order ? { order: step.order } : {}), cites: p.block.cites,
    verdict, detail, lhs: prev.text, rhs: cur.text, routes: r.routes, numeric: r.numeric,
    ...(r.counterexample ? { counterexample: r.counterexample } : {}), ...(r.ladder ? { ladder: r.ladder } : {}),
    derivatives,
  };
}
