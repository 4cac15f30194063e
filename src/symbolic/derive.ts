/**
 * The continuum limit of a layer: Taylor coefficients F_0…F_k of Φ_ε in ε, the ODE dx/dt = F_1,
 * and the modified equation f_ε = f_1 + ε f_2 + … + ε^{k−1} f_k whose time-ε flow equals Φ_ε to
 * O(ε^{k+1}), with its verification (run every time):
 *   route 1  truncated power-series arithmetic over exact polynomials (series.ts), the result;
 *   route 2  mathjs `derivative`: repeated differentiation of the whole map in ε (an
 *            independent engine), compared with route 1 at random points;
 *   flow     the exact flow of f_ε by elementary differentials reproduces F_1…F_k exactly;
 *   numeric  series and flow ladders with slope k+1 (verify.ts).
 * Verdict: proved — all agree; refuted — a disagreement, with a counterexample; unknown — route 2
 * unavailable (mathjs failed, or no sampled point where the map is finite) or the ladders had no
 * sample point, while everything else agrees. No order or dimension is refused as such: the
 * cost estimate (commands/budget.ts deriveCost) is checked against the time budget before any
 * work. Where a route is too costly at high order (mathjs's derivative trees grow ~6× per order)
 * it is cut short, and `skipped` and the printed verdict (verdictText) say so.
 */
import { UserError } from '../util/errors.ts';
import { DEFAULT_SEED, makeRng } from '../util/prng.ts';
import { compileVectorField } from './compile.ts';
import { compilePolys } from './poly-compile.ts';
import { MAX_DERIVATIVE_NODES, taylorByMathjs } from './taylor-mathjs.ts';
import { EPS, TIME, buildLayer, layerDimension, type LayerMap, type LayerSpec } from './layers.ts';
import { flowSeries, modifiedEquation, type Vec } from './modified.ts';
import { ParenthesisNode, type MathNode } from './mathjs.ts';
import { exprText, parseExpression, substitute } from './parse.ts';
import * as P from './poly.ts';
import { prettyText, texVector } from './render.ts';
import { TEX_LINE_CHARS, readableTeX, readableText } from './readable.ts';
import { polyOf, seriesOf } from './series.ts';
import { jetEvaluators, verifyNumerically, type NumericVerification } from './verify.ts';
import type { Field } from '../numeric/types.ts';
import { BUDGET, DERIVE_SECONDS, deriveCost, withinBudget } from '../commands/budget.ts';

/** A smooth stand-in for a generic g in numeric checks: g_test(z) = sin(z) + z²/5 − z/7. */
export const G_TEST = 'sin(z) + z^2/5 - z/7';

export interface RouteCheck { name: string; agree: boolean | 'unavailable'; how: string }

export interface DerivationVerification {
  verdict: 'proved' | 'refuted' | 'unknown';
  routes: RouteCheck[];
  numeric: NumericVerification;
  counterexample?: unknown;
  seed: number;
  /** Routes (or the orders of a route) not run because of their cost, each with why; empty when every route ran in full. */
  skipped: string[];
}

/** The verdict as printed: 'proved', or e.g. 'proved (2 of 3 routes in full; mathjs route: F_8 skipped: …)'. */
export function verdictText(v: DerivationVerification): string {
  if (!v.skipped.length) return v.verdict;
  return `${v.verdict} (${3 - v.skipped.length} of 3 routes in full; ${v.skipped.join('; ')})`;
}

export interface Derivation {
  title: string;
  description: string;
  spec: LayerSpec & { order: number };
  d: number;
  order: number;
  stateVars: string[];
  params: string[];
  timeDependent: boolean;
  generic: boolean;
  /** Φ_ε components. */
  map: string[];
  /** F_0…F_k: machine-readable text (jets as g0_1 …). */
  coefficients: string[][];
  /** dx/dt = F_1. */
  ode: string[];
  /** f_1…f_k. */
  modified: string[][];
  /** Readable text (jets as g'(x1)). */
  pretty: { coefficients: string[][]; modified: string[][] };
  tex: { map: string; coefficients: string[]; ode: string; modified: string };
  /** No wall-clock times here: a derivation is saved as files that must not change between runs. */
  verification: DerivationVerification;
}

export function jetName(k: number, i: number, d: number): string {
  return d === 1 ? `g${k}` : `g${k}_${i + 1}`;
}

/**
 * Derive the continuum limit and modified equation of a layer to order k.
 * Throws UserError on bad input, order out of range, or a map that is not near-identity.
 */
export function derive(spec: LayerSpec, order: number, opts: { seed?: number; samples?: number; verify?: boolean; budgetSeconds?: number } = {}): Derivation {
  if (!Number.isInteger(order) || order < 1) throw new UserError(`--order must be a positive integer, got ${order}`);
  // The budget is checked on d before the layer is built (a symbolic A alone has d² entries).
  const d0 = spec.layer === 'map' ? (spec.map ?? '').split(';').filter((c) => c.trim() !== '').length : layerDimension(spec);
  withinBudget([{ option: '--order', value: order, shown: `${order} (d = ${d0})` }, { option: '--dim', value: d0 }],
    ([k, dd]) => deriveCost(dd!, k!), { bytes: BUDGET.bytes, seconds: opts.budgetSeconds ?? DERIVE_SECONDS }, 'raise it with --budget-seconds');
  const layer = buildLayer(spec);
  const { d, stateVars: xs } = layer;
  const seed = opts.seed ?? DEFAULT_SEED;

  const F = taylorCoefficients(layer, order);
  const f = modifiedEquation(F, xs, layer.timeDependent ? TIME : undefined);

  const coefficients = [xs.slice(), ...F.map((v) => v.map(P.polyText))];
  const modified = f.map((v) => v.map(P.polyText));
  const verification = opts.verify === false
    ? { verdict: 'unknown' as const, routes: [], numeric: undefined as unknown as NumericVerification, seed, skipped: [] }
    : verifyDerivation(layer, F, f, order, seed, opts.samples ?? 6);

  const vecTeX = (v: Vec): string => texVector(v.map(readableTeX));
  const title = layer.kind === 'ff' ? `FF layer, g = ${layer.generic ? 'generic' : spec.g ?? '-gamma*z^3'}, d = ${d}`
    : layer.kind === 'residual' ? `residual layer ${spec.g ?? 'tanh(z)'}, d = ${d}` : layer.kind === 'map' ? `map, d = ${d}` : `${layer.kind} block of f = (${spec.f}), d = ${d}`;
  return {
    title,
    description: layer.description,
    spec: { ...spec, order },
    d, order, stateVars: xs, params: layer.params, timeDependent: layer.timeDependent, generic: layer.generic,
    map: layer.components,
    coefficients,
    ode: coefficients[1]!,
    modified,
    pretty: { coefficients: [xs.slice(), ...F.map((v) => v.map(readableText))], modified: f.map((v) => v.map(readableText)) },
    tex: {
      map: layer.tex,
      coefficients: F.map(vecTeX),
      ode: `\\dot{${texX(d)}} = ${vecTeX(F[0]!)}`,
      // A scalar term is parenthesised after a power of ε (a pmatrix already groups a vector).
      modified: modifiedTeX(f.map((v, j) => `${j === 0 ? '' : j === 1 ? '\\varepsilon ' : `\\varepsilon^{${j}} `}${j > 0 && d === 1 ? `\\left(${vecTeX(v)}\\right)` : vecTeX(v)}`), order),
    },
    verification,
  };
}

/**
 * Route 1: F_1…F_k of Φ_ε (F[j−1] = F_j) by power-series arithmetic over exact polynomials;
 * a generic g becomes its jets at x_i. Throws UserError when Φ_0 ≠ x (not near-identity).
 */
export function taylorCoefficients(layer: LayerMap, order: number): Vec[] {
  const { d, stateVars: xs } = layer;
  const generic = layer.generic
    ? new Map([['g', (k: number, at: P.Poly): P.Poly => {
      const i = xs.findIndex((x) => P.equal(P.symbol(x), at));
      if (i < 0) throw new UserError('generic g: its argument must be x_i at ε = 0');
      const name = jetName(k, i, d);
      P.declareJet(name, xs[i]!, jetName(k + 1, i, d));
      return P.symbol(name);
    }]])
    : undefined;
  const series = layer.nodes.map((node, i) =>
    seriesOf(node, { order, eps: EPS, what: layer.kind === 'map' ? `--map component ${i + 1}` : `component ${i + 1} of the layer map`, ...(generic ? { generic } : {}) }));
  series.forEach((s, i) => {
    if (!P.equal(s[0]!, P.symbol(xs[i]!))) {
      throw new UserError(`not near-identity: at eps = 0 component ${i + 1} is ${prettyText(s[0]!)}, not ${xs[i]}; no continuum limit`);
    }
  });
  return Array.from({ length: order }, (_, j) => series.map((s) => s[j + 1]!));
}

/** f_ε in TeX: one line when short, else one aligned row per order (long ones break further inside). */
function modifiedTeX(summands: string[], order: number): string {
  const tail = `O(\\varepsilon^{${order}})`;
  const oneLine = `f_\\varepsilon = ${[...summands, tail].join(' + ')}`;
  if (oneLine.length <= TEX_LINE_CHARS) return oneLine;
  return `f_\\varepsilon = \\begin{aligned}&${summands.join(' \\\\ &+ ')} \\\\ &+ ${tail}\\end{aligned}`;
}

const texX = (d: number): string => (d === 1 ? 'x' : '\\mathbf{x}');

/** Route 2, flow check and numeric ladders; see the module comment. */
export function verifyDerivation(layer: LayerMap, F: Vec[], f: Vec[], k: number, seed: number, samples: number): DerivationVerification {
  const t0 = performance.now();
  const { d, stateVars: xs } = layer;
  const t = layer.timeDependent ? TIME : undefined;
  const routes: RouteCheck[] = [];

  // Flow by elementary differentials must reproduce F_1…F_k exactly.
  const tf = performance.now();
  const flow = flowSeries(f, xs, t, k);
  if (process.env['DEPTHLIMIT_PROFILE']) process.stderr.write(`flowSeries ${(performance.now() - tf).toFixed(0)} ms\n`);
  const flowOk = flow.every((v, j) => v.every((c, i) => P.equal(c, F[j]![i]!)));
  routes.push({ name: 'flow of f_eps by elementary differentials = F_1..F_k', agree: flowOk, how: 'exact' });

  // Route 2: mathjs derivative, repeated differentiation in ε of the whole map, compared with
  // route 1 at random points (relative 1e-9: both are O(1)-term evaluations in double, errors
  // ~1e-14; a wrong coefficient is off by O(1)).
  let mapForCas = layer.components;
  if (layer.generic) {
    // g(z_i) = Σ_{m≤k} g_m(x_i) (z_i − x_i)^m / m!  is exact through ε^k since z_i − x_i = O(ε).
    mapForCas = layer.genericArgs!.map((arg, i) => {
      const zi = exprText(arg);
      const dz = `((${zi}) - ${xs[i]})`;
      const terms = Array.from({ length: k + 1 }, (_, m) =>
        m === 0 ? jetName(0, i, d) : `${jetName(m, i, d)}*${Array(m).fill(dz).join('*')}/${factorial(m)}`);
      return `(${zi}) + ${EPS}*(${terms.join(' + ')})`;
    });
  }
  const rng = makeRng(seed ^ 0x5a5a);
  let agree = true, available = true, why = '', uncompared = '', reached = k;
  try {
    const symSet = new Set<string>([...xs, TIME, ...layer.params]);
    if (layer.generic) for (let i = 0; i < d; i++) for (let m = 0; m <= k; m++) symSet.add(jetName(m, i, d));
    for (const v of F) for (const c of v) for (const sym of P.symbolsOf(c)) symSet.add(sym);
    const vars = [...symSet];
    const pt = new Float64Array(vars.length);
    for (let i = 0; i < d; i++) {
      const theirs = taylorByMathjs(mapForCas[i]!, EPS, k, [...vars, EPS].filter((v) => v !== EPS), MAX_DERIVATIVE_NODES);
      reached = Math.min(reached, theirs.length - 1);
      for (let j = 1; j < theirs.length; j++) {
        const mineF = compilePolys([F[j - 1]![i]!], vars), one = new Float64Array(1);
        const mine = (p: Float64Array): number => (mineF(p, one), one[0]!);
        let compared = 0;
        for (let s = 0; s < 8; s++) {
          for (let q = 0; q < vars.length; q++) pt[q] = rng.uniform(-0.9, 0.9);
          const a = mine(pt), b = theirs[j]!(pt);
          // mathjs evaluates sigmoid/softplus by their definitions, which overflow (softplus(1e20)
          // = log(1 + e^1e20) = Infinity) where the compiled, stable forms do not: a point where
          // mathjs is not finite compares nothing; one where only the power series is not is a disagreement
          if (!Number.isFinite(b)) continue;
          compared++;
          if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)))) {
            agree = false;
            why = `F_${j} component ${i + 1}: ${a} (power series) vs ${b} (mathjs) at ${vars.map((v, q) => `${v}=${pt[q]!.toFixed(3)}`).join(', ')}`;
          }
        }
        if (compared === 0) uncompared ||= `F_${j} component ${i + 1}`;
      }
    }
  } catch (e) {
    available = false;
    why = (e as Error).message.split('\n')[0] ?? '';
  }
  // Skipping every point (map not finite anywhere sampled) compares nothing: not a check.
  if (available && agree && uncompared) { available = false; why = `${uncompared}: no sampled point where it is finite`; }
  const skipped: string[] = [];
  const through = reached < k ? `F_1..F_${reached}, ` : '';
  if (available && reached < k) skipped.push(`mathjs route: F_${reached + 1}${reached + 1 < k ? `..F_${k}` : ''} skipped (its ${reached + 1}-fold derivative tree would exceed ${MAX_DERIVATIVE_NODES} nodes)`);
  routes.push({
    name: 'mathjs repeated differentiation in eps = power-series route',
    agree: available ? agree : 'unavailable',
    how: !available ? `unavailable: ${why}` : agree ? `${through}at 8 random points per coefficient (relative 1e-9)` : why,
  });

  if (process.env['DEPTHLIMIT_PROFILE']) process.stderr.write(`route 2 ${(performance.now() - t0).toFixed(0)} ms\n`);
  // Numeric ladders.
  const gTestDerivs: string[] = [];
  if (layer.generic) {
    let g = polyOf(parseExpression(G_TEST));
    for (let m = 0; m <= k + 2; m++) { gTestDerivs.push(P.polyText(g)); g = P.d(g, 'z'); }
  }
  const jetSet = new Set<string>();
  for (const v of [...F, ...f]) for (const c of v) for (const s of P.symbolsOf(c)) if (/^g\d+/.test(s)) jetSet.add(s);
  const mapNumeric = layer.generic ? layer.nodes.map((n) => exprText(instantiateG(n, parseExpression(G_TEST)))) : layer.components;
  const numeric = verifyNumerically({
    d, stateVars: xs, map: mapNumeric,
    F, f,
    params: layer.params, jets: [...jetSet].sort(),
    ...(layer.generic ? { jetValue: jetEvaluators(gTestDerivs) } : {}),
    timeDependent: layer.timeDependent,
  }, k, seed, samples);
  const numericPass = numeric.series.ok && numeric.flow.ok;
  let verdict: DerivationVerification['verdict'];
  if (!flowOk || routes[1]!.agree === false || !numericPass) verdict = 'refuted';
  // Ladders over zero points (all redrawn: not finite or near a singularity) pass vacuously.
  else if (routes[1]!.agree === 'unavailable' || numeric.samples === 0) verdict = 'unknown';
  else verdict = 'proved';
  const out: DerivationVerification = { verdict, routes, numeric, seed, skipped };
  if (verdict === 'refuted') out.counterexample = numeric.counterexample ?? why;
  return out;
}

function factorial(m: number): number { return m <= 1 ? 1 : m * factorial(m - 1); }

/** Replace every g(arg) by the test function with z := arg, in the tree. */
function instantiateG(node: MathNode, g: MathNode): MathNode {
  return node.transform((m: MathNode) => {
    const f = m as MathNode & { fn?: { name?: string }; args?: MathNode[] };
    if (m.type !== 'FunctionNode' || f.fn?.name !== 'g') return m;
    return new ParenthesisNode(substitute(g, new Map([['z', instantiateG(f.args![0]!, g)]])));
  });
}

/**
 * The ODE dx/dt = F_1(x, t) as a numeric Field, with parameter values (all must be given).
 * Throws UserError for a generic g or missing parameter values.
 */
export function compileOde(dv: Derivation, values: Record<string, number> = {}): Field {
  return compileModified(dv, 0, 1, values);
}

/** The truncated modified field f_ε = Σ_{j≤m} ε^{j−1} f_j for a numeric ε, as a Field. */
export function compileModified(dv: Derivation, eps: number, terms: number = dv.order, values: Record<string, number> = {}): Field {
  if (dv.generic) throw new UserError('a generic g has no numeric value; derive with a concrete --g');
  for (const p of dv.params) if (!Object.hasOwn(values, p)) throw new UserError(`no value for parameter ${p}`);
  const comps = dv.stateVars.map((_, i) =>
    dv.modified.slice(0, terms).map((v, j) => `(${eps})^${j}*(${v[i]})`).join(' + '));
  return compileVectorField(comps, dv.stateVars, TIME, values);
}
