/**
 * Backprop as Hamiltonian mechanics, symbolically (Ruseckas, slides 6–12). For dx/dt = F(x, q, t)
 * with costate (row vector) a:
 *   costate        −da/dt = a ∂F/∂x
 *   Lagrangian     𝓛 = a·ẋ − a·F,  momentum ∂𝓛/∂ẋ = a
 *   Euler–Lagrange ∂𝓛/∂a − d/dt ∂𝓛/∂ȧ = ẋ − F = 0,   ∂𝓛/∂x − d/dt ∂𝓛/∂ẋ = −a ∂F/∂x − ȧ = 0
 *   Hamiltonian    H = a·ẋ − 𝓛 = a·F;  ẋ = ∂H/∂a,  ȧ = −∂H/∂x
 *   gradient       δL/δq = a ∂F/∂q
 *   divergence     Σ ∂ẋ_i/∂x_i + Σ ∂ȧ_i/∂a_i = tr F′ − tr F′ = 0  (Liouville)
 * Every identity is checked exactly in the polynomial algebra; the Jacobian is recomputed by a
 * second engine (mathjs derivative) and by central differences at seeded random points.
 */
import type { MathNode } from './mathjs.ts';
import { quote, UserError } from '../util/errors.ts';
import { DEFAULT_SEED, makeRng } from '../util/prng.ts';
import { checkTeXNames, classifySymbols } from './names.ts';
import { NAME_RULE, freeSymbols, isConstantName, nodeCount, parseExpression } from './parse.ts';
import { mathjsDerivatives } from './taylor-mathjs.ts';
import { compilePolys } from './poly-compile.ts';
import * as P from './poly.ts';
import { prettyText, texOf, texVector, symbolTeX } from './render.ts';
import { polyOf } from './series.ts';
import { MAX_MAP_NODES, stateVarsOf } from './layers.ts';

/** holds: true, false (refutes), or 'unavailable' (the route could not run: unknown, not refuted). */
export interface HamiltonianCheck { name: string; holds: boolean | 'unavailable'; how: string }

export interface HamiltonianResult {
  d: number;
  stateVars: string[];
  costateVars: string[];
  params: string[];
  field: string[];
  /** da_i/dt = −Σ_j a_j ∂F_j/∂x_i. */
  costate: string[];
  lagrangian: string;
  eulerLagrange: { x: string[]; a: string[] };
  hamiltonian: string;
  hamilton: { xdot: string[]; adot: string[] };
  /** δL/δq_k = Σ_i a_i ∂F_i/∂q_k. */
  gradient: Record<string, string>;
  divergence: string;
  tex: { costate: string; lagrangian: string; hamiltonian: string; hamilton: string; gradient: string; divergence: string };
  verification: { verdict: 'proved' | 'refuted' | 'unknown'; checks: HamiltonianCheck[]; seed: number };
}

const TIME = 't';

/** Names the construction uses for the costate a, the velocities ẋ, ȧ. */
function costateNames(xs: string[]): string[] {
  const as = xs.length === 1 ? ['a'] : xs.map((_, i) => `a${i + 1}`);
  return [...as, ...xs.map((x) => `${x}dot`), ...as.map((a) => `${a}dot`)];
}

/**
 * Derive the Hamiltonian structure of dx/dt = F. `field` components in x1…xd (x when d = 1);
 * params: the symbols q to differentiate the loss by (default: every other symbol except t).
 */
export function hamiltonianOf(field: readonly string[], opts: { params?: string[]; seed?: number; dim?: number } = {}): HamiltonianResult {
  const d = field.length;
  if (d === 0) throw new UserError('--field: no components (separate components with ";")');
  if (d > 6) throw new UserError(`--field: ${d} components; at most 6 supported`);
  if (opts.dim !== undefined && opts.dim !== d) throw new UserError(`--field has ${d} component(s) but --dim is ${opts.dim}`);
  const xs = stateVarsOf(d);
  const costate = new Set(costateNames(xs));
  const nodes = field.map((c, i) => {
    const what = `--field component ${i + 1}`;
    const node = parseExpression(c, { what });
    classifySymbols(node, c, {
      what, allows: `the field is written in ${xs.join(', ')}, t and parameters`, state: xs, t: true,
      reserved: (s) => (costate.has(s) ? 'the costate and velocity names a, a1, …, x1dot, a1dot, …' : undefined),
    });
    return node;
  });
  const symbols = [...new Set(nodes.flatMap((n) => freeSymbols(n)))];
  checkTeXNames([...costate, ...xs, ...symbols], '--field');
  if (opts.params !== undefined && !Array.isArray(opts.params)) throw new UserError(`--params must be a list of names such as ["w", "b"], got ${typeof opts.params}`);
  // the field's parameters: a name listed that is not one of them (a typo, or the constant pi or
  // e) would get the gradient 0, or a derivative by a constant, without a word
  const fieldParams = symbols.filter((s) => !xs.includes(s) && s !== TIME && !isConstantName(s)).sort();
  for (const q of opts.params ?? []) {
    if (typeof q !== 'string' || !NAME_RULE.test(q)) throw new UserError(`--params: ${quote(String(q))} is not a symbol name (ASCII letters and digits, parts joined by single underscores)`);
    if (xs.includes(q) || q === TIME || /^x\d*$/.test(q)) throw new UserError(`--params: ${quote(q)} is a state or time variable`);
    if (costate.has(q)) throw new UserError(`--params: ${quote(q)} is reserved for the costate/velocities`);
    if (isConstantName(q)) throw new UserError(`--params: ${quote(q)} is a constant (${q === 'pi' ? 'π' : "Euler's number"}), not a parameter`);
    if (!fieldParams.includes(q)) throw new UserError(`--params: ${quote(q)} does not appear in the field (its parameters: ${fieldParams.join(', ') || 'none'})`);
  }
  const size = nodes.reduce((s, n) => s + nodeCount(n), 0);
  if (size > MAX_MAP_NODES) throw new UserError(`--field has ${size} expression nodes; at most ${MAX_MAP_NODES} (its verification would take minutes)`);
  const Fp = nodes.map((n) => polyOf(n));
  return hamiltonianCore(Fp, xs, { ...opts, nodes });
}

/**
 * The same for a field given as polynomials (e.g. a generic F whose components are symbols with
 * declared derivatives, P.declareJet). `nodes` (parsed text) enables the second-engine and
 * finite-difference Jacobian checks.
 */
export function hamiltonianCore(Fp: P.Poly[], xs: string[], opts: { params?: string[]; seed?: number; nodes?: MathNode[] } = {}): HamiltonianResult {
  const d = Fp.length;
  const as = d === 1 ? ['a'] : xs.map((_, i) => `a${i + 1}`);
  const xdots = xs.map((x) => `${x}dot`), adots = as.map((a) => `${a}dot`);
  const reserved = new Set(costateNames(xs));
  const syms = new Set<string>();
  for (const p of Fp) P.symbolsOf(p, syms);
  for (const s of syms) {
    if (/^x\d*$/.test(s) && !xs.includes(s)) throw new UserError(`--field: ${quote(s)} is not a state variable for d = ${d} (use ${xs.join(', ')})`);
    if (reserved.has(s)) throw new UserError(`--field: ${quote(s)} is reserved for the costate/velocities`);
  }
  const params = opts.params ?? [...syms].filter((s) => !xs.includes(s) && s !== TIME).sort();
  for (const q of params) if (xs.includes(q) || q === TIME) throw new UserError(`--params: ${quote(q)} is a state or time variable`);

  const A = as.map(P.symbol), Xd = xdots.map(P.symbol), Ad = adots.map(P.symbol);
  const dot = (u: P.Poly[], v: P.Poly[]): P.Poly => P.add(...u.map((ui, i) => P.mul(ui, v[i]!)));
  const J = Fp.map((Fi) => xs.map((x) => P.d(Fi, x))); // J[i][j] = ∂F_i/∂x_j

  const costate = xs.map((_, i) => P.neg(P.add(...as.map((_, j) => P.mul(A[j]!, J[j]![i]!)))));
  const L = P.sub(dot(A, Xd), dot(A, Fp));
  // Total time derivative along (x, a) with velocities ẋ, ȧ.
  const ddt = (p: P.Poly): P.Poly => P.add(
    ...xs.map((x, i) => P.mul(P.d(p, x), Xd[i]!)), ...as.map((a, i) => P.mul(P.d(p, a), Ad[i]!)), P.d(p, TIME));
  const elA = as.map((a, i) => P.sub(P.d(L, a), ddt(P.d(L, adots[i]!))));
  const elX = xs.map((x, i) => P.sub(P.d(L, x), ddt(P.d(L, xdots[i]!))));
  const H = dot(A, Fp);
  const xdot = as.map((a) => P.d(H, a));
  const adot = xs.map((x) => P.neg(P.d(H, x)));
  const grad = new Map(params.map((q) => [q, P.add(...Fp.map((Fi, i) => P.mul(A[i]!, P.d(Fi, q))))]));
  const divergence = P.add(...xs.map((x, i) => P.d(xdot[i]!, x)), ...as.map((a, i) => P.d(adot[i]!, a)));

  // Exact identities.
  const checks: HamiltonianCheck[] = [];
  const allZero = (ps: P.Poly[]): boolean => ps.every(P.isZero);
  const sub0 = (v: P.Poly[], w: P.Poly[]): P.Poly[] => v.map((vi, i) => P.sub(vi, w[i]!));
  checks.push({ name: 'EL in a: xdot - F = 0', holds: allZero(sub0(elA, sub0(Xd, Fp))), how: 'exact' });
  checks.push({ name: 'EL in x: -a dF/dx - adot = 0 (costate)', holds: allZero(sub0(elX, sub0(costate, Ad))), how: 'exact' });
  checks.push({ name: 'momentum dL/dxdot = a', holds: allZero(sub0(xdots.map((v) => P.d(L, v)), A)), how: 'exact' });
  const onShell = P.subs(P.sub(dot(A, Xd), L), new Map(xdots.map((v, i) => [v, Fp[i]!])));
  checks.push({ name: 'Legendre: a.xdot - L = a.F on xdot = F', holds: P.isZero(P.sub(onShell, H)), how: 'exact' });
  checks.push({ name: "Hamilton: xdot = dH/da = F", holds: allZero(sub0(xdot, Fp)), how: 'exact' });
  checks.push({ name: 'Hamilton: adot = -dH/dx = costate', holds: allZero(sub0(adot, costate)), how: 'exact' });
  checks.push({ name: 'Liouville: phase-space divergence = 0', holds: P.isZero(divergence), how: 'exact' });
  if (opts.nodes) checks.push(...jacobianChecks(opts.nodes, Fp, J, xs, opts.seed ?? DEFAULT_SEED));

  const verdict = checks.some((c) => c.holds === false) ? 'refuted' : checks.some((c) => c.holds !== true) ? 'unknown' : 'proved';
  const txt = (p: P.Poly): string => prettyText(p);
  return {
    d, stateVars: xs, costateVars: as, params,
    field: Fp.map(txt), costate: costate.map(txt), lagrangian: txt(L),
    eulerLagrange: { x: elX.map(txt), a: elA.map(txt) },
    hamiltonian: txt(H), hamilton: { xdot: xdot.map(txt), adot: adot.map(txt) },
    gradient: Object.fromEntries([...grad].map(([q, p]) => [q, txt(p)])),
    divergence: txt(divergence),
    tex: {
      costate: `-\\dot{${d === 1 ? 'a' : '\\mathbf{a}'}}^{\\top} = ${texVector(costate.map((c) => texOf(P.neg(c))))}`,
      lagrangian: `\\mathcal{L} = ${texOf(L)}`,
      hamiltonian: `H = ${texOf(H)}`,
      hamilton: `\\dot{${d === 1 ? 'x' : '\\mathbf{x}'}} = \\frac{\\partial H}{\\partial ${d === 1 ? 'a' : '\\mathbf{a}'}} = ${texVector(xdot.map(texOf))},\\quad \\dot{${d === 1 ? 'a' : '\\mathbf{a}'}} = -\\frac{\\partial H}{\\partial ${d === 1 ? 'x' : '\\mathbf{x}'}} = ${texVector(adot.map(texOf))}`,
      gradient: params.length ? params.map((q) => `\\frac{\\delta L}{\\delta ${symbolTeX(q)}} = ${texOf(grad.get(q)!)}`).join(',\\quad ') : '\\text{no parameters}',
      divergence: `\\sum_i \\frac{\\partial \\dot{x}_i}{\\partial x_i} + \\sum_i \\frac{\\partial \\dot{a}_i}{\\partial a_i} = ${texOf(divergence)}`,
    },
    verification: { verdict, checks, seed: opts.seed ?? DEFAULT_SEED },
  };
}

/**
 * ∂F/∂x by a second engine (mathjs derivative) and by central differences, at random points.
 * The quotients D(h) and D(h/2) (h = 1e-4) are Richardson-extrapolated, (4D(h/2) − D(h))/3,
 * error ≈ h⁴|F⁽⁵⁾| + ε|F|/h ≲ 1e-11 for O(1) data, so the tolerance is 1e-6 relative, plus
 * |D(h) − D(h/2)| (≈ 3/4 of D(h)'s own truncation error h²|F‴|/6): near a singularity
 * (x^(1/3) at x = 0.05) F‴ is large and the quotient is no evidence, where a fixed 1e-6 refuted
 * a correct Jacobian.
 */
function jacobianChecks(nodes: MathNode[], Fp: P.Poly[], J: P.Poly[][], xs: string[], seed: number): HamiltonianCheck[] {
  const syms = new Set<string>(xs);
  for (const p of Fp) P.symbolsOf(p, syms);
  syms.add(TIME);
  const vars = [...syms];
  const rng = makeRng(seed);
  const d = xs.length;
  const Jc = compilePolys(J.flat(), vars);
  const Fc = compilePolys(Fp, vars);
  let mathjsOk = true, fdOk = true, maxFd = 0, available = true, why = '';
  let Jm: ((a: ArrayLike<number>) => number)[] = [];
  try {
    Jm = nodes.flatMap((n) => xs.map((x) => mathjsDerivatives(n, x, 1, vars, false)[1]!));
  } catch (e) {
    available = false;
    why = (e as Error).message.split('\n')[0] ?? '';
  }
  const pt = new Float64Array(vars.length), jv = new Float64Array(d * d), fp = new Float64Array(d), fm = new Float64Array(d);
  const fp2 = new Float64Array(d), fm2 = new Float64Array(d);
  let used = 0;
  for (let s = 0; s < 8; s++) {
    for (let q = 0; q < vars.length; q++) pt[q] = rng.uniform(-0.9, 0.9);
    Jc(pt, jv);
    if (!jv.every(Number.isFinite)) continue;
    used++;
    for (let j = 0; j < d; j++) {
      const k = vars.indexOf(xs[j]!), h = 1e-4, x0 = pt[k]!;
      pt[k] = x0 + h; Fc(pt, fp);
      pt[k] = x0 - h; Fc(pt, fm);
      pt[k] = x0 + h / 2; Fc(pt, fp2);
      pt[k] = x0 - h / 2; Fc(pt, fm2);
      pt[k] = x0;
      for (let i = 0; i < d; i++) {
        const d1 = (fp[i]! - fm[i]!) / (2 * h), d2 = (fp2[i]! - fm2[i]!) / h, ex = jv[i * d + j]!;
        const scale = Math.max(1, Math.abs(ex));
        const err = Math.abs((4 * d2 - d1) / 3 - ex) / scale;
        maxFd = Math.max(maxFd, err);
        if (!(err <= 1e-6 + Math.abs(d1 - d2) / scale)) fdOk = false;
        if (available) {
          const m = Jm[i * d + j]!(pt);
          if (!(Math.abs(m - ex) <= 1e-10 * Math.max(1, Math.abs(ex)))) mathjsOk = false;
        }
      }
    }
  }
  return [
    { name: 'dF/dx = mathjs derivative (second engine)', holds: !available || used === 0 ? 'unavailable' : mathjsOk, how: available ? `${used} random points, relative 1e-10` : `unavailable: ${why}` },
    { name: 'dF/dx = central differences', holds: used === 0 ? 'unavailable' : fdOk, how: `${used} random points, max rel err ${maxFd.toExponential(2)} (Richardson, h = 1e-4; tol 1e-6 + |D(h) - D(h/2)|)` },
  ];
}

/** Plain-text report. */
export function hamiltonianText(r: HamiltonianResult): string {
  const L: string[] = [];
  const xs = r.stateVars, as = r.costateVars;
  L.push(`field dx/dt = F(x, q, t), d = ${r.d}, parameters q: ${r.params.join(', ') || 'none'}`);
  r.field.forEach((f, i) => L.push(`  d${xs[i]}/dt = ${f}`));
  L.push('', 'costate (adjoint) equation -da/dt = a dF/dx:');
  r.costate.forEach((c, i) => L.push(`  d${as[i]}/dt = ${c}`));
  L.push('', `Lagrangian L = a.xdot - a.F = ${r.lagrangian}`);
  L.push('Euler-Lagrange: dL/da - d/dt dL/dadot = 0:', ...r.eulerLagrange.a.map((e) => `  ${e} = 0`));
  L.push('                dL/dx - d/dt dL/dxdot = 0:', ...r.eulerLagrange.x.map((e) => `  ${e} = 0`));
  L.push('', `Hamiltonian H = a.F = ${r.hamiltonian}`);
  r.hamilton.xdot.forEach((e, i) => L.push(`  d${xs[i]}/dt = dH/d${as[i]} = ${e}`));
  r.hamilton.adot.forEach((e, i) => L.push(`  d${as[i]}/dt = -dH/d${xs[i]} = ${e}`));
  L.push('', 'parameter gradient dL/dq = a dF/dq:');
  for (const [q, g] of Object.entries(r.gradient)) L.push(`  dL/d${q} = ${g}`);
  L.push('', `phase-space divergence = ${r.divergence}${r.divergence === '0' ? ' (Liouville)' : ''}`);
  L.push('', `verification: ${r.verification.verdict} (seed ${r.verification.seed})`);
  for (const c of r.verification.checks) L.push(`  ${c.holds === true ? 'ok  ' : c.holds === false ? 'FAIL' : 'n/a '} ${c.name} (${c.how})`);
  return L.join('\n') + '\n';
}

/** TeX equations, one per line. */
export function hamiltonianTeX(r: HamiltonianResult): string[] {
  return [r.tex.costate, r.tex.lagrangian, r.tex.hamiltonian, r.tex.hamilton, r.tex.gradient, r.tex.divergence];
}
