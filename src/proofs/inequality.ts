/**
 * Inequality steps `<= e` / `>= e`: seeded random points look for a violation (a refutation
 * with both sides); a proof needs a `sos:` certificate c with larger − smaller ≡ c, decided by
 * checkIdentity, where c is manifestly nonnegative on the declared domains.
 */
import type { MathNode } from '../symbolic/mathjs.ts';
import { compileScalar } from '../symbolic/compile.ts';
import { checkIdentity, NUMERIC_TOL, type IdentityResult } from '../symbolic/identity.ts';
import { parseExpression } from '../symbolic/parse.ts';
import { makeRng } from '../util/prng.ts';
import { describe, fmtNum } from './describe.ts';
import type { Block } from './parse.ts';

/** Random points for an inequality step. */
const INEQUALITY_SAMPLES = 256;

/** lo ≤ hi: sampling for violations, and the sos certificate for a proof. */
export function checkInequality(
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
  const certNode = parseExpression(certificate, { symbols: vars });
  const nonneg = realOnDomains(certNode, block) && manifestlyNonnegative(certNode, block);
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

/** Functions defined only on part of the real line (a certificate may not rely on them). */
const PARTIAL = new Set(['log', 'asin', 'acos', 'acosh', 'atanh', 'tan', 'sec', 'csc', 'cot', 'csch', 'coth']);

/**
 * The certificate is a real number at every point of the declared domains (up to poles), so an
 * identity with it says something there: every sqrt and fractional power has a manifestly
 * nonnegative argument. Without this, `sqrt(x)^2` would "certify" x ≥ 0 for any real x.
 */
export function realOnDomains(node: MathNode, block: Block): boolean {
  let ok = true;
  node.traverse((m) => {
    const n = m as MathNode & Record<string, unknown>;
    if (m.type === 'FunctionNode') {
      const name = (n['fn'] as { name?: string }).name ?? '';
      if (PARTIAL.has(name)) ok = false;
      if (name === 'sqrt' && !manifestlyNonnegative((n['args'] as MathNode[])[0]!, block)) ok = false;
    } else if (m.type === 'OperatorNode' && n['fn'] === 'pow') {
      let e = (n['args'] as MathNode[])[1] as MathNode & Record<string, unknown>;
      while (e.type === 'ParenthesisNode') e = e['content'] as MathNode & Record<string, unknown>;
      const integer = e.type === 'ConstantNode' && Number.isInteger(e['value']);
      if (!integer && !manifestlyNonnegative((n['args'] as MathNode[])[0]!, block)) ok = false;
    }
  });
  return ok;
}

