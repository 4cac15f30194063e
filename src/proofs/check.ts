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
import type { MathNode } from 'mathjs/number';
import { compileScalar } from '../symbolic/compile.ts';
import { taylorCoefficients } from '../symbolic/cas.ts';
import { checkIdentity, checkSeriesIdentity, NUMERIC_TOL, type IdentityResult } from '../symbolic/identity.ts';
import { parseExpression } from '../symbolic/parse.ts';
import { UserError } from '../util/errors.ts';
import { DEFAULT_SEED, makeRng } from '../util/prng.ts';
import { BlockExpander, foldZeroConstants, type DerivativeCheck } from './expand.ts';
import { where, type Block, type ProofFile, type Step } from './parse.ts';

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
  seconds: number;
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
  /** Called before each block (progress). */
  onBlock?: (file: string, block: string) => void;
}

/** Random points for an inequality step. */
const INEQUALITY_SAMPLES = 256;

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
  return { file: pf, seed, blocks: pf.blocks.map((b) => prepareBlock(pf.path, b, seed + 1000 * b.index)) };
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
  chains: { step: Step; text: string; derivatives: DerivativeCheck[]; certificate?: string }[][];
}

function stepLabel(s: Step, stepsBefore: number): string | number {
  return s.relation === 'start' ? `${stepsBefore + 1} (chain start)` : s.index;
}

function prepareBlock(path: string, block: Block, seed: number): Prepared {
  const expander = new BlockExpander(block, path, seed);
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
    const text = expander.expand(step.expr, loc);
    const certificate = step.certificate === undefined ? undefined : expander.expand(step.certificate, `${loc} (sos certificate)`);
    const derivatives = expander.derivatives.slice(before);
    return { step, text, derivatives, ...(certificate === undefined ? {} : { certificate }) };
  }));
  return { block, expander, chains };
}

function checkStep(
  path: string, p: Prepared, prev: Prepared['chains'][number][number], cur: Prepared['chains'][number][number],
  seed: number, opts: CheckOptions,
): StepResult {
  const t0 = performance.now();
  const { step } = cur;
  const domains = p.expander.domains;
  const derivatives = [...prev.derivatives, ...cur.derivatives];
  let r: IdentityResult & { ladder?: { v: number[]; err: number[]; slope: number } };
  let detail: string;
  if (step.relation === '=' && step.order) {
    const { variable, power } = step.order;
    r = checkSeriesIdentity(prev.text, cur.text, variable, power, { domains, seed });
    if (r.routes.some((x) => x.zero === 'undecided')) r = redecideCoefficients(r, prev.text, cur.text, variable, power, domains, seed);
    const tail = r.ladder ? tailSlope(r.ladder) : undefined;
    const tailFails = tail !== undefined && tail < power - 0.5;
    if (tailFails) r = { ...r, verdict: 'refuted' };
    if (r.verdict === 'refuted') {
      const ce = ladderCounterexample(r, prev.text, cur.text, variable, p.expander.symbols, domains, seed);
      if (ce) r = { ...r, counterexample: ce };
    }
    detail = describe(r, r.ladder ? { v: variable, k: power, ladder: r.ladder, tail } : undefined);
  } else if (step.relation === '=') {
    r = checkIdentity(prev.text, cur.text, { domains, seed, ...(opts.samples ? { samples: opts.samples } : {}) });
    detail = describe(r);
  } else {
    const [lo, hi] = step.relation === '<=' ? [prev.text, cur.text] : [cur.text, prev.text];
    ({ r, detail } = checkInequality(lo, hi, cur.certificate, p.block, domains, seed));
  }
  let verdict = r.verdict;
  // Proved means both CAS routes reduced the difference to 0 (and the numerics agreed).
  const undecided = r.routes.filter((x) => x.zero !== true);
  if (verdict === 'proved' && undecided.length) {
    verdict = 'unknown';
    detail = `only ${r.routes.length - undecided.length} of ${r.routes.length} symbolic routes decided; ${detail}`;
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
    derivatives, seconds: (performance.now() - t0) / 1000,
  };
}

function short(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function describe(r: IdentityResult, series?: { v: string; k: number; ladder: { v: number[]; slope: number }; tail: number | undefined }): string {
  const routes = r.routes.map((x) => `${x.name.replace(/ \([^)]*\)/, '')}: ${x.zero === true ? '0' : x.zero === false ? `≠0 (${short(x.residual, 50)})` : 'undecided'}`);
  const ce = r.counterexample
    ? `; counterexample ${Object.entries(r.counterexample.point).map(([k, v]) => `${k}=${fmtNum(v)}`).join(' ')}: lhs ${fmtNum(r.counterexample.lhs)} vs rhs ${fmtNum(r.counterexample.rhs)}`
    : '';
  if (series) {
    const { v, k, ladder } = series;
    const head = `Taylor coefficients ${v}^0…${v}^${k - 1} of the difference: ${routes.join(', ')}`;
    const tail = series.tail === undefined ? 'at the round-off floor' : series.tail.toFixed(2);
    const lad = `ladder ${v} = ${fmtNum(ladder.v[0]!)}…${fmtNum(ladder.v[ladder.v.length - 1]!)} at ${r.numeric.samples} points: fitted slope ${ladder.slope.toFixed(2)}, tail slope ${tail} (need ≥ ${k - 0.5})`;
    return `${head}; ${lad}${ce}`;
  }
  return `${routes.join('; ')}; ${r.numeric.samples} samples, max rel err ${r.numeric.maxRelErr.toExponential(1)}${ce}`;
}

const fmtNum = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));

/**
 * Local log-log slope of the ladder at its small end: the last pair of rungs whose errors both
 * stand above round-off. The fitted slope of the symbolic layer averages over v = 0.2 … and can
 * be dominated by pre-asymptotic high-order terms (a missing v¹ term hidden under large v⁵
 * terms fits a slope near 5); the tail cannot.
 */
export function tailSlope(ladder: { v: number[]; err: number[] }): number | undefined {
  // Differences of O(1) quantities: round-off is ~1e-15, so above 1e-11 a ratio of two errors
  // is accurate to 1e-4 relative, far inside the 0.5 margin on the slope.
  const ABOVE_ROUNDOFF = 1e-11;
  for (let j = ladder.err.length - 1; j >= 1; j--) {
    const a = ladder.err[j - 1]!, b = ladder.err[j]!;
    if (a > ABOVE_ROUNDOFF && b > ABOVE_ROUNDOFF && Number.isFinite(a) && Number.isFinite(b)) {
      return Math.log(a / b) / Math.log(ladder.v[j - 1]! / ladder.v[j]!);
    }
  }
  return undefined;
}

/**
 * A refuted series step gets a counterexample made of the step's own expressions: among the
 * symbolic layer's point (if any) and a few seeded points from the declared domains, the one
 * with the largest |lhs − rhs| at the smallest rung of the ladder where that difference stands
 * above round-off, with lhs and rhs evaluated there, so a reader can replay it.
 */
function ladderCounterexample(
  r: IdentityResult & { ladder?: { v: number[]; err: number[]; slope: number } },
  lhs: string, rhs: string, v: string, symbols: string[], domains: Record<string, [number, number]>, seed: number,
): IdentityResult['counterexample'] {
  if (r.counterexample && r.counterexample.point[v] !== undefined) return r.counterexample;
  const fl = compileScalar(lhs, symbols), fr = compileScalar(rhs, symbols);
  const vi = symbols.indexOf(v);
  const mid = (s: string) => (domains[s]![0] + domains[s]![1]) / 2;
  const points: Float64Array[] = [];
  if (r.counterexample) points.push(new Float64Array(symbols.map((s) => r.counterexample!.point[s] ?? mid(s))));
  const rng = makeRng(seed);
  for (let k = 0; k < 12; k++) points.push(new Float64Array(symbols.map((s) => rng.uniform(domains[s]![0], domains[s]![1]))));
  const rungs = r.ladder?.v ?? [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625];
  let best: { p: Float64Array; h: number; l: number; r: number } | undefined;
  for (const h of rungs) {
    let rungBest: typeof best;
    for (const p of points) {
      p[vi] = h;
      const L = fl(p), R = fr(p);
      const d = Math.abs(L - R);
      if (d > NUMERIC_TOL * Math.max(1, Math.abs(L), Math.abs(R)) && (!rungBest || d > Math.abs(rungBest.l - rungBest.r))) {
        rungBest = { p: p.slice(), h, l: L, r: R };
      }
    }
    if (rungBest) best = rungBest;
  }
  if (!best) return r.counterexample;
  return { point: Object.fromEntries(symbols.map((s, i) => [s, best!.p[i]!])), lhs: best.l, rhs: best.r };
}

/**
 * Re-decide the Taylor coefficients of a series step whose CAS route was undecided only because
 * a coefficient kept constants such as tanh(0): fold them (exactly) and decide each coefficient
 * with checkIdentity. The numeric ladder of the first check is kept.
 */
function redecideCoefficients(
  r: IdentityResult & { ladder?: { v: number[]; err: number[]; slope: number } },
  lhs: string, rhs: string, v: string, k: number, domains: Record<string, [number, number]>, seed: number,
): typeof r {
  const coeffs = taylorCoefficients(`(${lhs})-(${rhs})`, v, k - 1).map(foldZeroConstants);
  const per = coeffs.map((c) => (c === '0' ? undefined : checkIdentity(c, '0', { domains, seed, samples: 8 })));
  const routes = r.routes.map((route, which) => {
    if (route.zero !== 'undecided') return route;
    let zero: boolean | 'undecided' = true;
    const res: string[] = [];
    per.forEach((c, j) => {
      const z = c?.routes[which]?.zero ?? true;
      if (z === false) zero = false;
      else if (z === 'undecided' && zero === true) zero = 'undecided';
      if (z !== true) res.push(`[${v}^${j}] ${c!.routes[which]!.residual}`);
    });
    return { ...route, name: `${route.name}, constants folded`, zero, residual: res.join('; ') || '0' };
  });
  const verdict: IdentityResult['verdict'] = r.verdict === 'refuted' || routes.some((x) => x.zero === false)
    ? 'refuted' : routes.some((x) => x.zero === true) ? 'proved' : 'unknown';
  return { ...r, routes, verdict };
}

/** lo ≤ hi: sampling for violations, and the sos certificate for a proof. */
function checkInequality(
  lo: string, hi: string, certificate: string | undefined, block: Block, domains: Record<string, [number, number]>, seed: number,
): { r: IdentityResult; detail: string } {
  const vars = block.symbols.map((s) => s.name);
  const fl = compileScalar(lo, vars), fh = compileScalar(hi, vars);
  const rng = makeRng(seed);
  const p = new Float64Array(vars.length);
  let used = 0, worst = -Infinity;
  let counterexample: IdentityResult['counterexample'];
  for (let k = 0; k < INEQUALITY_SAMPLES; k++) {
    vars.forEach((v, i) => { const [a, b] = domains[v]!; p[i] = rng.uniform(a, b); });
    const l = fl(p), h = fh(p);
    if (!Number.isFinite(l) || !Number.isFinite(h)) continue;
    used++;
    // Same round-off allowance as checkIdentity's equality test.
    const excess = (l - h) / Math.max(1, Math.abs(l), Math.abs(h));
    if (excess > worst) worst = excess;
    if (excess > NUMERIC_TOL && !counterexample) {
      counterexample = { point: Object.fromEntries(vars.map((v, i) => [v, p[i]!])), lhs: l, rhs: h };
    }
  }
  const numeric = { samples: used, maxRelErr: Math.max(0, worst) };
  const sampled = `${used} samples, max violation ${Math.max(0, worst).toExponential(1)}`;
  if (counterexample) {
    return { r: { verdict: 'refuted', routes: [], numeric, counterexample }, detail: `violated; ${sampled}; counterexample ${Object.entries(counterexample.point).map(([k, v]) => `${k}=${fmtNum(v)}`).join(' ')}: smaller side ${fmtNum(counterexample.lhs)} vs larger side ${fmtNum(counterexample.rhs)}` };
  }
  if (certificate === undefined) {
    return { r: { verdict: 'unknown', routes: [], numeric }, detail: `no sos certificate (numerically consistent: ${sampled})` };
  }
  const id = checkIdentity(`(${hi}) - (${lo})`, certificate, { domains, seed });
  const nonneg = manifestlyNonnegative(parseExpression(certificate, { symbols: vars }), block);
  const routes = [...id.routes, { name: 'certificate manifestly ≥ 0', zero: nonneg, residual: nonneg ? '' : 'not a sum of squares / nonnegative terms' }];
  // A wrong certificate does not refute the inequality (no sample violated it): unknown.
  const verdict: IdentityResult['verdict'] = id.verdict === 'proved' && nonneg ? 'proved' : 'unknown';
  const detail = `larger − smaller ≡ certificate: ${describe(id)}; certificate ${nonneg ? 'manifestly ≥ 0' : 'NOT manifestly ≥ 0'}; ${sampled}`;
  return { r: { verdict, routes, numeric }, detail };
}

/**
 * Syntactic nonnegativity on the declared domains: nonnegative constants and symbols, even
 * integer powers, nonnegative bases to any power, sqrt/exp/cosh/sech, and sums, products and
 * quotients of such terms.
 */
export function manifestlyNonnegative(node: MathNode, block: Block): boolean {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': return (n['value'] as number) >= 0;
    case 'SymbolNode': {
      const d = block.symbols.find((s) => s.name === n['name']);
      return d !== undefined && d.domain.lo >= 0;
    }
    case 'ParenthesisNode': return manifestlyNonnegative(n['content'] as MathNode, block);
    case 'FunctionNode': {
      const name = (n['fn'] as { name?: string }).name ?? '';
      return ['sqrt', 'exp', 'cosh', 'sech'].includes(name);
    }
    case 'OperatorNode': {
      const args = n['args'] as MathNode[];
      switch (n['fn']) {
        case 'add': case 'multiply': case 'divide': return args.every((a) => manifestlyNonnegative(a, block));
        case 'unaryPlus': return manifestlyNonnegative(args[0]!, block);
        case 'pow': {
          let e = args[1] as MathNode & Record<string, unknown>;
          while (e.type === 'ParenthesisNode') e = e['content'] as MathNode & Record<string, unknown>;
          const even = e.type === 'ConstantNode' && Number.isInteger(e['value']) && (e['value'] as number) % 2 === 0;
          return even || manifestlyNonnegative(args[0]!, block);
        }
        default: return false;
      }
    }
    default: return false;
  }
}
