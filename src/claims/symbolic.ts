/**
 * Claims of the symbolic family: the Lagrangian/Hamiltonian form of backprop (C3, C11) and the
 * continuum limit of the near-identity FF layer (C12 symbolic part, C13, C14 symbolic part).
 * Each compares a STATED formula (typed here from CLAIMS.md, never produced by the code under
 * test) with the derived one, exactly in the polynomial algebra, plus numeric ladders; each
 * negative control states a deliberately wrong formula that must fail the same check.
 */
import type { Claim, ClaimContext, Evidence } from './types.ts';
import { derive } from '../symbolic/derive.ts';
import { hamiltonianCore, hamiltonianOf } from '../symbolic/hamiltonian.ts';
import { checkIdentity, logLogSlope } from '../symbolic/identity.ts';
import { parseExpression } from '../symbolic/parse.ts';
import * as P from '../symbolic/poly.ts';
import { polyOf, seriesOf } from '../symbolic/series.ts';
import { compileScalar } from '../symbolic/compile.ts';
import { makeRng } from '../util/prng.ts';
import { verifyNumerically } from '../symbolic/verify.ts';

const RUSECKAS = 'Ruseckas 2019, arXiv:1909.03767 (S3 slides 10–16)';
const poly = (s: string): P.Poly => polyOf(parseExpression(s));
const EXACT = 'exact polynomial identity (rational arithmetic): any nonzero residual is a real difference';

function exactEvidence(residuals: { what: string; residual: P.Poly }[], expected: string, data: unknown): Evidence {
  const bad = residuals.filter((r) => !P.isZero(r.residual));
  return {
    verdict: bad.length === 0 ? 'holds' : 'fails',
    measured: bad.length === 0 ? 'all residuals 0' : `${bad.length} nonzero residual(s)`,
    expected, tolerance: 0, toleranceReason: EXACT,
    ...(bad.length ? { detail: `${bad[0]!.what}: residual ${P.polyText(bad[0]!.residual).slice(0, 200)}` } : {}),
    data,
  };
}

// ---------------------------------------------------------------------------------------------
// C3: Euler–Lagrange and Hamilton form, generic F (symbols with declared derivatives) and cubic F.

/** A generic 2-vector field F_i(x, q): symbols F1, F2 with ∂F_i/∂x_j = F{i}_x{j}, ∂F_i/∂q = F{i}_q. */
function genericField(): P.Poly[] {
  const xs = ['x1', 'x2'];
  return [1, 2].map((i) => {
    xs.forEach((x, j) => P.declareJet(`F${i}`, x, `F${i}_x${j + 1}`));
    P.declareJet(`F${i}`, 'q', `F${i}_q`);
    return P.symbol(`F${i}`);
  });
}

function c3Check(adjointSign: 1 | -1): Evidence {
  const res: { what: string; residual: P.Poly }[] = [];
  const cases = [
    { name: 'generic F', r: hamiltonianCore(genericField(), ['x1', 'x2'], { params: ['q'] }), stated: (i: number) => `a1*F1_x${i} + a2*F2_x${i}` },
    { name: 'cubic F', r: hamiltonianOf(['w11*x1 + w12*x2 + b1 - gamma*x1^3', 'w21*x1 + w22*x2 + b2 - gamma*x2^3']),
      stated: (i: number) => `a1*w1${i} + a2*w2${i} - 3*gamma*x${i}^2*a${i}` },
  ];
  for (const { name, r, stated } of cases) {
    // Stated (CLAIMS.md C3): EL gives ẋ = F and −ȧ = a ∂F/∂x; ∂𝓛/∂ẋ = a; H = a·F; ẋ = ∂H/∂a; ȧ = −∂H/∂x.
    [1, 2].forEach((i) => {
      const adotStated = P.scale(poly(stated(i)), [-adjointSign, 1]); // ȧ_i = −(a ∂F/∂x)_i
      res.push({ what: `${name}: EL in x_${i} vs stated costate`, residual: P.sub(poly(r.eulerLagrange.x[i - 1]!), P.sub(adotStated, P.symbol(`a${i}dot`))) });
      res.push({ what: `${name}: Hamilton adot_${i} vs stated`, residual: P.sub(poly(r.hamilton.adot[i - 1]!), adotStated) });
      res.push({ what: `${name}: EL in a_${i} = xdot - F`, residual: P.sub(poly(r.eulerLagrange.a[i - 1]!), P.sub(P.symbol(`x${i}dot`), poly(r.field[i - 1]!))) });
      res.push({ what: `${name}: Hamilton xdot_${i} = F`, residual: P.sub(poly(r.hamilton.xdot[i - 1]!), poly(r.field[i - 1]!)) });
    });
    res.push({ what: `${name}: H = a.F`, residual: P.sub(poly(r.hamiltonian), poly(`a1*(${r.field[0]}) + a2*(${r.field[1]})`)) });
    res.push({ what: `${name}: divergence`, residual: poly(r.divergence) });
    if (r.verification.verdict !== 'proved') res.push({ what: `${name}: internal checks`, residual: P.one() });
  }
  return exactEvidence(res, 'EL = Hamilton = stated forward/adjoint equations; H = a.F; divergence 0', { residuals: res.map((r) => ({ what: r.what, zero: P.isZero(r.residual) })) });
}

const C3: Claim = {
  id: 'C3', title: 'Euler–Lagrange and Hamilton equations of 𝓛 = a·ẋ − a·F reproduce forward and adjoint equations',
  source: RUSECKAS, family: 'ruseckas',
  statement: '\\mathcal{L} = a\\cdot\\dot x - a\\cdot F:\\ \\dot x = F = \\partial H/\\partial a,\\ -\\dot a = a\\,\\partial F/\\partial x = \\partial H/\\partial x,\\ H = a\\cdot F',
  check: () => c3Check(1),
  negativeControl: { description: 'stated adjoint with the wrong sign (−ȧ = −a ∂F/∂x)', check: () => c3Check(-1) },
};

// ---------------------------------------------------------------------------------------------
// C11: the cubic adjoint, d = 3, plus the independent two-CAS identity check.

function c11Check(sign3: number, ctx: ClaimContext): Evidence {
  const d = 3;
  const field = Array.from({ length: d }, (_, i) =>
    `${Array.from({ length: d }, (_, j) => `w${i + 1}${j + 1}*x${j + 1}`).join(' + ')} + b${i + 1} - gamma*x${i + 1}^3`);
  const r = hamiltonianOf(field, { seed: ctx.seed });
  const res: { what: string; residual: P.Poly }[] = [];
  const identities: string[] = [];
  for (let i = 1; i <= d; i++) {
    // Stated: −ȧ_i = Σ_j a_j w_ji − 3γ x_i² a_i.
    const stated = `${Array.from({ length: d }, (_, j) => `a${j + 1}*w${j + 1}${i}`).join(' + ')} - ${sign3}*3*gamma*x${i}^2*a${i}`;
    const derived = `-(${r.costate[i - 1]})`;
    res.push({ what: `component ${i}`, residual: P.sub(poly(derived), poly(stated)) });
    const id = checkIdentity(derived, stated, { seed: ctx.seed + i, samples: 12 });
    identities.push(id.verdict);
    if (id.verdict !== 'proved') res.push({ what: `component ${i} (nerdamer/algebrite/numeric: ${id.verdict})`, residual: P.one() });
  }
  return exactEvidence(res, '−ȧ_i = Σ_j a_j w_ji − 3γ x_i² a_i', { identityVerdicts: identities, costate: r.costate });
}

const C11: Claim = {
  id: 'C11', title: 'adjoint of the cubic ODE: −ȧ_i = Σ_j a_j w_ji − 3γ x_i² a_i',
  source: RUSECKAS, family: 'ruseckas',
  statement: '-\\dot a_i = \\sum_j a_j w_{ji} - 3\\gamma x_i^2 a_i',
  check: (ctx) => c11Check(1, ctx),
  negativeControl: { description: 'stated adjoint with +3γ x_i² a_i (wrong sign)', check: (ctx) => c11Check(-1, ctx) },
};

// ---------------------------------------------------------------------------------------------
// C12 (symbolic): F1 = A x + β + g(x) and layer − Euler map = ε² g′(x)(A x + β) + O(ε³).

function c12Check(factor: string, ctx: ClaimContext): Evidence {
  const r = derive({ layer: 'ff', dim: 2, g: 'generic' }, 2, { seed: ctx.seed });
  const res: { what: string; residual: P.Poly }[] = [];
  for (let i = 1; i <= 2; i++) {
    const lin = `a${i}1*x1 + a${i}2*x2 + b${i}`;
    res.push({ what: `F1[${i}] = (Ax+beta)_${i} + g(x_${i})`, residual: P.sub(poly(r.ode[i - 1]!), poly(`${lin} + g0_${i}`)) });
    // Φ − Euler map = ε² F2 + O(ε³) (the Euler map x + ε F1 has no ε² term): F2 = g′(x)(Ax + β).
    res.push({ what: `F2[${i}] = ${factor} g'(x_${i})(Ax+beta)_${i}`, residual: P.sub(poly(r.coefficients[2]![i - 1]!), poly(`${factor}*g1_${i}*(${lin})`)) });
  }
  const ok = r.verification.verdict === 'proved';
  if (!ok) res.push({ what: `derivation verification ${r.verification.verdict}`, residual: P.one() });
  return exactEvidence(res, "F1 = Ax + β + g(x); Φ − Euler = ε² g′(x)(Ax+β) + O(ε³)", {
    seriesLadder: r.verification.numeric.series, flowLadder: r.verification.numeric.flow, F1: r.ode, F2: r.coefficients[2],
  });
}

const C12: Claim = {
  id: 'C12', part: 'symbolic', title: 'the FF layer is x + ε(Ax + β + g) + ε² g′(x)(Ax + β) + O(ε³): continuum ODE ẋ = Ax + β + g(x)',
  source: RUSECKAS, family: 'ruseckas',
  statement: '\\sigma_\\varepsilon((I+\\varepsilon A)x+\\varepsilon\\beta) = x + \\varepsilon(Ax+\\beta+g(x)) + \\varepsilon^2 g\'(x)(Ax+\\beta) + O(\\varepsilon^3)',
  check: (ctx) => c12Check('1', ctx),
  negativeControl: { description: 'stated second-order term ½ g′(x)(Ax+β) (wrong factor)', check: (ctx) => c12Check('1/2', ctx) },
};

// ---------------------------------------------------------------------------------------------
// C13: modified field F̃ = F + ε[g′(Ax+β) − ½F′F] (generic g, d = 2) and the exact 1-D cubic form;
// negative control: the field without −½F′F, whose flow misses the layer at O(ε²), not O(ε³).

function c13Check(ctx: ClaimContext): Evidence {
  const res: { what: string; residual: P.Poly }[] = [];
  const cubic = derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 2, { seed: ctx.seed });
  res.push({
    what: 'f2 (1-D cubic) vs the stated closed form',
    residual: P.sub(poly(cubic.modified[1]![0]!), poly('-a^2*x/2 - a*b/2 - a*gamma*x^3 - (3/2)*b*gamma*x^2 - (3/2)*gamma^2*x^5')),
  });
  const gen = derive({ layer: 'ff', dim: 2, g: 'generic' }, 2, { seed: ctx.seed });
  const F = [1, 2].map((i) => poly(`a${i}1*x1 + a${i}2*x2 + b${i} + g0_${i}`));
  for (let i = 1; i <= 2; i++) {
    // F′F, by hand: Σ_j ∂F_i/∂x_j F_j with ∂g0_i/∂x_i = g1_i.
    const dF = [1, 2].map((j) => poly(`a${i}${j} + ${i === j ? `g1_${i}` : '0'}`));
    const FpF = P.add(P.mul(dF[0]!, F[0]!), P.mul(dF[1]!, F[1]!));
    const stated = P.sub(poly(`g1_${i}*(a${i}1*x1 + a${i}2*x2 + b${i})`), P.scale(FpF, [1, 2]));
    res.push({ what: `f2[${i}] (generic g, d = 2) = g'(Ax+beta) - F'F/2`, residual: P.sub(poly(gen.modified[1]![i - 1]!), stated) });
  }
  for (const r of [cubic, gen]) if (r.verification.verdict !== 'proved') res.push({ what: `${r.title}: ${r.verification.verdict}`, residual: P.one() });
  const ev = exactEvidence(res, 'F̃ = F + ε[g′(Ax+β) − ½F′F]; 1-D cubic f2 as stated; flow ladder slope 3', {
    flowLadder: cubic.verification.numeric.flow, seriesLadder: cubic.verification.numeric.series,
  });
  return { ...ev, measured: `${ev.measured}; flow-ladder slope ${cubic.verification.numeric.flow.slope.toFixed(2)}` };
}

function c13Control(ctx: ClaimContext): Evidence {
  // The same 1-D cubic layer with the modified field missing −½F′F: f2 := F2.
  const r = derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 2, { seed: ctx.seed });
  const F1 = poly(r.ode[0]!), F2 = poly(r.coefficients[2]![0]!);
  const v = verifyNumerically({
    d: 1, stateVars: ['x'], map: r.map, F: [[F1], [F2]], f: [[F1], [F2]], params: r.params, jets: [], timeDependent: false,
  }, 2, ctx.seed);
  return {
    verdict: v.flow.ok ? 'holds' : 'fails',
    measured: v.flow.slope, expected: 3, tolerance: 0.5,
    toleranceReason: 'fitted log-log slope of |flow − layer| must reach k+1 = 3 within pre-asymptotic curvature 0.5',
    data: { flowLadder: v.flow },
  };
}

const C13: Claim = {
  id: 'C13', title: 'modified field of one FF layer: F̃ = F + Δt[g′(x)(wx+b) − ½F′F] + O(Δt²)',
  source: `${RUSECKAS}; modified equation inferred (CLAIMS.md C13)`, family: 'ruseckas',
  statement: "\\tilde F = F + \\Delta t\\,[g'(x)(wx+b) - \\tfrac12 F'(x)F(x)] + O(\\Delta t^2);\\ 1\\text{-D},\\ g=-\\gamma x^3:\\ F_2 = -\\tfrac{a^2x}{2} - \\tfrac{ab}{2} - a\\gamma x^3 - \\tfrac32 b\\gamma x^2 - \\tfrac32\\gamma^2x^5",
  check: (ctx) => c13Check(ctx),
  negativeControl: { description: 'modified field missing the −½F′F term (flow misses the layer at O(Δt²))', check: (ctx) => c13Control(ctx) },
};

// ---------------------------------------------------------------------------------------------
// C14 (symbolic): tanh nets through x = s u, W = I + s²w, B = s³b are the FF net with Δt = s²,
// γ = 1/3 up to O(s⁴) per layer: s·[tanh(W s u + B)/s − (z − s² z³/3)] = O(s⁵), z = u + s²(wu + b).

function c14Check(biasPower: number, ctx: ClaimContext): Evidence {
  const z = '(u + s^2*(w*u + b))';
  const lhs = `tanh((1 + s^2*w)*s*u + s^${biasPower}*b)`; // s × (tanh net layer on x = s u) / s
  const rhs = `s*(${z} - s^2*${z}^3/3)`; // s × FF layer with Δt = s², γ = 1/3
  const ser = seriesOf(parseExpression(`${lhs} - ${rhs}`), { order: 5, eps: 's' });
  const res = ser.slice(0, 5).map((c, j) => ({ what: `[s^${j}] of s·(tanh layer − FF layer)`, residual: c }));
  const leading = P.polyText(ser[5]!);
  // Numeric ladder on the unscaled difference tanh-layer/s − FF layer = O(s⁴).
  const f = compileScalar(`${lhs}/s - ${rhs}/s`, ['u', 'w', 'b', 's']);
  const rng = makeRng(ctx.seed);
  const pts = Array.from({ length: 6 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)] as const);
  const sv: number[] = [], err: number[] = [];
  for (let j = 0; j < 6; j++) {
    const s = 0.2 / 2 ** j;
    sv.push(s);
    err.push(Math.max(...pts.map(([u, w, b]) => Math.abs(f([u, w, b, s])))));
  }
  const slope = logLogSlope(sv, err);
  const ev = exactEvidence(res, 'difference O(s⁴) = O(Δt²) per layer: consistent with the FF net, Δt = s², γ = 1/3', {
    leadingCoefficient: leading, ladder: { s: sv, err, slope },
  });
  const numericOk = slope >= 4 - 0.5;
  return {
    ...ev, verdict: ev.verdict === 'holds' && numericOk ? 'holds' : 'fails',
    measured: `${ev.measured}; ladder slope ${slope.toFixed(2)}`, expected: 'exact zero through s^3; slope 4',
    toleranceReason: `${EXACT}; ladder slope must reach 4 within pre-asymptotic curvature 0.5`,
  };
}

const C14: Claim = {
  id: 'C14', part: 'symbolic', title: 'tanh nets on x = s u with weights I + s²w, biases s³b are the FF net with Δt = s², γ = 1/3',
  source: `${RUSECKAS}; tanh link inferred (CLAIMS.md C14)`, family: 'ruseckas',
  statement: '\\tanh\\big((I+s^2w)\\,s u + s^3 b\\big)/s = z - \\tfrac{s^2}{3} z^3 + O(s^4),\\quad z = u + s^2(wu+b),\\ \\Delta t = s^2',
  check: (ctx) => c14Check(3, ctx),
  negativeControl: { description: 'wrong scaling exponent: biases s²b instead of s³b', check: (ctx) => c14Check(2, ctx) },
};

export const claims: Claim[] = [C3, C11, C12, C13, C14];
