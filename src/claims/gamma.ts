/**
 * Claims of the Thorpe–van Gennip family on training (C17–C22, C23 'training', C24, C25):
 * the depth regulariser is consistent, bounded energy gives equicontinuity, and minimal
 * energies, minimisers, boundary quotients and scaled gradients converge at certified rates
 * as depth doubles. Each negative control runs the same check on a broken variant (the wrong
 * grid convention, a Lipschitz instead of a Hölder-½ bound, a mis-specified limit, no
 * difference term, an interior quotient, an unscaled gradient, κ = 1 instead of 1.5, an
 * augmented state) that must fail.
 */
import type { Claim, ClaimContext, Evidence } from './types.ts';
import { CERTIFY_REASON, certifyOrder, describeCertificate, type OrderCertificate } from '../numeric/certify.ts';
import { claimSweep as sharedClaimSweep, claimSweepConfig, claimSweepTop, doublings, toyModel, type SweepEvidence } from '../experiments/gamma/sweep.ts';
import { differencePenalty, holderRatio, randomParameters, regulariserConsistency, SINE } from '../experiments/gamma/regulariser.ts';
import { claimGradientErrors } from '../experiments/gamma/continuum.ts';
import { parabolaBound } from '../experiments/gamma/isotonic.ts';
import { toyVariant, variantEvidence, type VariantEvidence } from '../experiments/gamma/variants.ts';
import { multilevel, type LevelResult } from '../experiments/gamma/train.ts';

const THORPE = 'Thorpe & van Gennip 2023 (S4); rates and details inferred (CLAIMS.md §2)';

const hOf = (ns: number[]) => ns.map((n) => 1 / n);
const ladder = (label: string, n: number[], c: OrderCertificate) => ({ label, n, h: c.h, err: c.err, certificate: c });

function ordersEvidence(runs: { label: string; n: number[]; certificate: OrderCertificate }[], extra: Partial<Evidence> = {}): Evidence {
  const ok = runs.every((r) => r.certificate.verdict === 'order');
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: runs.map((r) => r.certificate.slope.toFixed(3)).join(', '),
    expected: runs.map((r) => r.certificate.expected).join(', '),
    tolerance: 'certifyOrder', toleranceReason: CERTIFY_REASON,
    detail: runs.map((r) => `${r.label}: ${describeCertificate(r.certificate)}`).join('; '),
    data: runs.map((r) => ladder(r.label, r.n, r.certificate)),
    ...extra,
  };
}

// The C19–C21 sweep is shared (deterministic): computed once per mode.
const sweeps = new Map<string, { levels: LevelResult[]; evidence: SweepEvidence }>();
function claimSweepRun(ctx: ClaimContext): { levels: LevelResult[]; evidence: SweepEvidence } {
  let r = sweeps.get(ctx.mode);
  if (!r) {
    r = sharedClaimSweep(ctx.mode);
    sweeps.set(ctx.mode, r);
  }
  return r;
}
const claimSweep = (ctx: ClaimContext): SweepEvidence => claimSweepRun(ctx).evidence;
const variants = new Map<string, VariantEvidence>();
function variant(ctx: ClaimContext, key: 'kappa1.5' | 'kappa1' | 'kappa0.5' | 'nodiff'): VariantEvidence {
  const k = `${ctx.mode}/${key}`;
  let v = variants.get(k);
  if (!v) {
    const depths = doublings(4, claimSweepTop(ctx.mode));
    // κ = 1 is the C19–C21 sweep itself (toyModel(), the same depths and optimiser): reuse it
    v = key === 'kappa1' ? variantEvidence(claimSweepRun(ctx).levels, 2 /* d = 1: P = d² + d */)
      : key === 'nodiff' ? toyVariant(1, 0, depths) : toyVariant(key === 'kappa1.5' ? 1.5 : 0.5, 1e-3, depths);
    variants.set(k, v);
  }
  return v;
}

// ---------------------------------------------------------------- C17
function c17Evidence(ctx: ClaimContext, kappa: number): Evidence {
  const ns = doublings(8, ctx.mode === 'quick' ? 256 : 1024);
  const nodes = regulariserConsistency(ns, 'nodes', kappa), cells = regulariserConsistency(ns, 'cells', kappa);
  const scale = kappa === 1 ? 'n' : `n^${kappa}`;
  return ordersEvidence([
    { label: `nodes i/n (n differences), ${scale}Σ|ΔK|²`, n: ns, certificate: certifyOrder(hOf(ns), nodes.error, 2) },
    { label: `cell centres (k+½)/n (n−1 differences, the objective), ${scale}Σ|ΔK|²`, n: ns, certificate: certifyOrder(hOf(ns), cells.error, 1) },
  ], { data: { nodes, cells, exact: SINE.exact, kappa } });
}

const c17: Claim = {
  id: 'C17', title: 'the difference regulariser is consistent: order 2 on nodes, order 1 on cell centres',
  source: THORPE, family: 'thorpe',
  statement: 'n\\sum_i |K(s_{i+1}) - K(s_i)|^2 \\to \\int_0^1 |K\'|^2 = 2\\pi^2\\ (K = \\sin 2\\pi t):\\ O(n^{-2})\\ \\text{on } s_i = i/n,\\ O(n^{-1})\\ \\text{on } s_k = (k+\\frac12)/n',
  figures: ['gamma-regulariser-consistency'],
  check: (ctx) => c17Evidence(ctx, 1),
  negativeControl: {
    description: 'the difference term scaled by 1/n instead of n ((1/n)Σ|ΔK|² → 0, not ∫|K\'|²): neither convention converges, so it must fail',
    check: (ctx) => c17Evidence(ctx, -1),
  },
};

// ---------------------------------------------------------------- C18
function c18Evidence(ctx: ClaimContext, exponent: number): Evidence {
  const n = ctx.mode === 'quick' ? 128 : 512, P = 6;
  const iid = holderRatio(randomParameters(n, P, ctx.seed, 'iid'), n, P, exponent);
  const walk = holderRatio(randomParameters(n, P, ctx.seed + 1, 'walk'), n, P, exponent);
  // the toy minimiser at n = 64 from the shared C19–C21 sweep (toy model, multilevel from n = 4)
  const last = claimSweepRun(ctx).levels.find((l) => l.n === 64)!;
  const tr = holderRatio(last.theta, last.n, 2, exponent);
  const worst = Math.max(iid, walk, tr);
  // Cauchy–Schwarz is exact arithmetic; rounding in the ratio is a few ulps
  const tol = 1 + 1e-12;
  return {
    verdict: worst <= tol ? 'holds' : 'fails',
    measured: worst, expected: '≤ 1', tolerance: tol, toleranceReason: 'Cauchy–Schwarz bound; 1e-12 absorbs rounding in the ratio',
    detail: `max ratio: i.i.d. ${iid.toFixed(4)}, random walk ${walk.toFixed(4)}, trained (n = ${last.n}) ${tr.toFixed(4)}; exponent ${exponent}`,
    data: { n, iid, walk, trained: tr, exponent },
  };
}

const c18: Claim = {
  id: 'C18', title: 'discrete Hölder-½ bound: |K_j − K_i| ≤ √((j−i)/n)·√(nΣ|ΔK|²)',
  source: THORPE, family: 'thorpe',
  statement: '|K_j - K_i| \\le \\sqrt{(j-i)/n}\\,\\Big(n \\sum_k |K_{k+1} - K_k|^2\\Big)^{1/2}',
  check: (ctx) => c18Evidence(ctx, 0.5),
  negativeControl: {
    description: 'replace √((j−i)/n) by (j−i)/n (a Lipschitz bound, false for rough parameters): the ratio exceeds 1',
    check: (ctx) => c18Evidence(ctx, 1),
  },
};

// ---------------------------------------------------------------- C19
function c19Evidence(ctx: ClaimContext, wrongLimit: boolean): Evidence {
  const e = claimSweep(ctx);
  let vsRef = e.certificates.energyVsDeepest;
  const refN = e.depths.slice(0, -1);
  if (wrongLimit) {
    // the limit of a mis-specified problem: every regulariser weight doubled
    const c = claimSweepConfig(ctx.mode);
    const deep = e.depths[e.depths.length - 1]!;
    const m = toyModel(2e-3);
    const other = multilevel(m, c.data, [4, 8, 16, 32, 64, 128].filter((n) => n <= deep), { optimizer: 'h1' });
    const ref = other[other.length - 1]!.energy;
    vsRef = certifyOrder(hOf(refN), e.levels.slice(0, -1).map((l) => Math.abs(l.energy - ref)), 1);
  }
  const ev = ordersEvidence([
    { label: '|E_n* − E_2n*|', n: e.depths.slice(0, -1), certificate: e.certificates.energyCauchy },
    { label: wrongLimit ? '|E_n* − Ẽ*| (mis-specified limit)' : '|E_n* − Ē|, Ē = 2E_N* − E_{N/2}*', n: refN, certificate: vsRef },
  ]);
  if (!e.allConverged) { ev.verdict = 'fails'; ev.detail += '; not every level reached the stopping rule'; }
  ev.data = { ladders: ev.data, levels: e.levels };
  return ev;
}

const c19: Claim = {
  id: 'C19', title: 'minimal energies converge as depth grows, at rate ≈ 1/n',
  source: THORPE, family: 'thorpe',
  statement: '\\min E_n \\to \\min E_\\infty:\\ |E_n^* - E_{2n}^*| = O(1/n)',
  figures: ['gamma-energy-convergence'],
  check: (ctx) => c19Evidence(ctx, false),
  negativeControl: {
    description: 'compare E_n* with the minimal energy of a mis-specified limit (regulariser weights doubled): the gap levels off, so the rate must fail',
    check: (ctx) => c19Evidence(ctx, true),
  },
};

// ---------------------------------------------------------------- C20
function c20Evidence(ctx: ClaimContext, noDifference: boolean): Evidence {
  const e = noDifference ? undefined : claimSweep(ctx);
  if (e) {
    const runs = [
      { label: 'L² distance of consecutive minimisers', n: e.depths.slice(0, -1), certificate: e.certificates.minimiserL2 },
      { label: 'sup distance of consecutive minimisers', n: e.depths.slice(0, -1), certificate: e.certificates.minimiserSup },
      ...(e.certificates.readoutCauchy ? [{ label: 'readout (w, c)', n: e.depths.slice(0, -1), certificate: e.certificates.readoutCauchy }] : []),
    ];
    const ev = ordersEvidence(runs);
    ev.data = { ladders: ev.data, profiles: e.profiles };
    return ev;
  }
  const v = variant(ctx, 'nodiff');
  const ns = v.depths.slice(0, -1);
  return ordersEvidence([{ label: 'sup distance, no difference term', n: ns, certificate: certifyOrder(hOf(ns), v.supCauchy, 1) }]);
}

const c20: Claim = {
  id: 'C20', title: 'minimisers converge: interpolated K_n, b_n and the readout, at rate ≈ 1/n',
  source: THORPE, family: 'thorpe',
  statement: '\\|\\hat K_n - \\hat K_{2n}\\|_{L^2},\\ \\|\\hat K_n - \\hat K_{2n}\\|_{\\infty},\\ |W_n - W_{2n}| = O(1/n)',
  figures: ['gamma-minimiser-convergence', 'gamma-minimiser-profiles'],
  check: (ctx) => c20Evidence(ctx, false),
  negativeControl: {
    description: 'drop the difference term (smooth = 0): minimisers jump and consecutive ones stay O(1) apart, so the rate must fail',
    check: (ctx) => c20Evidence(ctx, true),
  },
};

// ---------------------------------------------------------------- C21
function c21Evidence(ctx: ClaimContext, interior: boolean): Evidence {
  const e = claimSweep(ctx);
  const q = interior ? e.interior : e.neumann;
  return ordersEvidence([{
    label: interior ? 'interior quotient n(K_{m+1} − K_m), m = n/2 − 1' : 'boundary quotients max|n(θ_1 − θ_0)|, |n(θ_{n−1} − θ_{n−2})|',
    n: e.depths, certificate: certifyOrder(hOf(e.depths), q, 1),
  }]);
}

const c21: Claim = {
  id: 'C21', title: 'minimisers satisfy the natural (Neumann) boundary condition: n(K_1 − K_0) → 0 at O(1/n)',
  source: THORPE, family: 'thorpe',
  statement: 'n(K_1 - K_0) \\to 0,\\quad n(K_{n-1} - K_{n-2}) \\to 0 \\quad (K\'(0) = K\'(1) = 0)',
  figures: ['gamma-neumann'],
  check: (ctx) => c21Evidence(ctx, false),
  negativeControl: {
    description: 'the same test on the interior quotient, which tends to K\'(½) ≠ 0: must fail',
    check: (ctx) => c21Evidence(ctx, true),
  },
};

// ---------------------------------------------------------------- C22
function c22Evidence(ctx: ClaimContext, scaled: boolean): Evidence {
  // one ladder for the check and the control (the same gradients, compared with and without n)
  const r = claimGradientErrors(ctx.mode);
  const ev = ordersEvidence([{ label: scaled ? 'max_k |n ∂E_n/∂θ_k − δE/δθ(t_k)|' : 'unscaled ∂E_n/∂θ_k vs δE/δθ', n: r.n, certificate: certifyOrder(hOf(r.n), scaled ? r.scaled : r.unscaled, 1) }]);
  ev.detail += `; gradient scale ${r.gradientScale.toFixed(3)}; smooth K, b = u + v cos πt (Neumann), GAMMA data (${r.samples} rows)`;
  return ev;
}

const c22: Claim = {
  id: 'C22', title: 'the scaled discrete gradient n∂E_n/∂θ⁽ⁱ⁾ converges to the continuum L² gradient at O(1/n)',
  source: THORPE, family: 'thorpe',
  statement: 'n\\,\\partial E_n/\\partial K^{(i)} \\to 2\\alpha(K - K\'\') + \\tfrac1S\\sum_s (p_s \\odot \\sigma\'(K X_s + b)) X_s^{\\top}\\ \\text{at } t_i',
  figures: ['gamma-scaled-gradient'],
  check: (ctx) => c22Evidence(ctx, true),
  negativeControl: {
    description: 'omit the factor n (compare ∂E_n/∂θ itself with the L² gradient): the error stays O(1)',
    check: (ctx) => c22Evidence(ctx, false),
  },
};

// ---------------------------------------------------------------- C23 training
function c23Evidence(ctx: ClaimContext, withDifference: boolean): Evidence {
  const v = variant(ctx, withDifference ? 'kappa1' : 'nodiff');
  // H¹ seminorm ∝ n ⟺ 1/seminorm = O(h): certified order 1
  const growth = certifyOrder(hOf(v.depths), v.h1Seminorm.map((s) => 1 / s), 1);
  const sup = v.supCauchy[v.supCauchy.length - 1]!;
  // without the difference term consecutive toy minimisers differ by ≈ 2.59 in sup (n = 16 … 1024): a jump-sized amount
  const rough = sup > 0.5;
  const ok = growth.verdict === 'order' && rough;
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: `seminorm growth slope ${growth.slope.toFixed(3)}; last sup distance ${sup.toFixed(3)}`,
    expected: 'seminorm ∝ n (slope 1); sup distance O(1) (> 0.5)',
    tolerance: 'certifyOrder; 0.5', toleranceReason: `${CERTIFY_REASON}; 0.5 separates a moving jump (sup distance ≈ 2.59 on this problem for n ≥ 16) from O(1/n) Cauchy distances (≤ 0.1 with the difference term)`,
    detail: `${withDifference ? 'with' : 'without'} the difference term: ${describeCertificate(growth)}; seminorms ${v.h1Seminorm.map((s) => s.toPrecision(3)).join(', ')}`,
    data: v,
  };
}

const c23: Claim = {
  id: 'C23', part: 'training', title: 'without the difference penalty, trained minimisers are rough: the H¹ seminorm grows like n and they do not converge',
  source: THORPE, family: 'thorpe',
  statement: '\\text{smooth} = 0:\\ n\\sum_k |K_{k+1}^* - K_k^*|^2 \\sim n,\\quad \\|\\hat K_n^* - \\hat K_{2n}^*\\|_\\infty \\not\\to 0',
  figures: ['gamma-minimiser-profiles'],
  check: (ctx) => c23Evidence(ctx, false),
  negativeControl: {
    description: 'the same test with the difference term (α = 1e−3): the seminorm stays bounded, so it must fail',
    check: (ctx) => c23Evidence(ctx, true),
  },
};

// ---------------------------------------------------------------- C24
function c24Evidence(ctx: ClaimContext, flatKappa: 'kappa1.5' | 'kappa1'): Evidence {
  const ns = doublings(8, ctx.mode === 'quick' ? 256 : 1024);
  const slopes = [0.5, 1, 1.5].map((kappa) => {
    const r = ns.map((n) => differencePenalty(SINE.K, n, 'nodes', kappa) / SINE.exact);
    const k = r.length - 1;
    return { kappa, ratios: r, slope: Math.log(r[k]! / r[k - 1]!) / Math.log(ns[k]! / ns[k - 1]!) };
  });
  // nodes convention: ratio = n^{κ−1}(1 + O(n⁻²)), so the finest local slope is κ − 1 to ~1e-4
  const ratioOk = slopes.every((s) => Math.abs(s.slope - (s.kappa - 1)) < 1e-3);
  const v = variant(ctx, flatKappa);
  const tv = certifyOrder(hOf(v.depths), v.totalVariation, 0.5);
  return {
    verdict: ratioOk && tv.verdict === 'order' ? 'holds' : 'fails',
    measured: `ratio slopes ${slopes.map((s) => s.slope.toFixed(4)).join(', ')}; TV slope ${tv.slope.toFixed(3)}`,
    expected: 'ratio slopes κ − 1 = −0.5, 0, 0.5; TV of κ = 1.5 minimisers → 0 at order ½',
    tolerance: '1e-3; certifyOrder', toleranceReason: `ratio: O(n⁻²) quadrature error of the node sums; TV: ${CERTIFY_REASON}`,
    detail: `${flatKappa === 'kappa1.5' ? 'κ = 1.5' : 'κ = 1'} minimisers: TV ${v.totalVariation.map((t) => t.toPrecision(3)).join(', ')}; ${describeCertificate(tv)}`,
    data: { ratios: { n: ns, series: slopes }, tv: { kappa: flatKappa, ...v, certificate: tv } },
  };
}

const c24: Claim = {
  id: 'C24', title: 'the exponent κ of the difference term is critical: ratio ∝ $n^{\\kappa - 1}$, minimisers flatten for κ > 1',
  source: THORPE, family: 'thorpe',
  statement: 'n^{\\kappa}\\sum|\\Delta K|^2 = n^{\\kappa-1}\\big(\\textstyle\\int|K\'|^2 + o(1)\\big);\\ \\kappa = \\tfrac32:\\ \\mathrm{TV}(K_n^*) \\to 0',
  figures: ['gamma-kappa'],
  check: (ctx) => c24Evidence(ctx, 'kappa1.5'),
  negativeControl: {
    description: 'the flattening test on κ = 1 minimisers, whose total variation has a positive limit: must fail',
    check: (ctx) => c24Evidence(ctx, 'kappa1'),
  },
};

// ---------------------------------------------------------------- C25
function c25Evidence(ctx: ClaimContext, augmented: boolean): Evidence {
  const r = parabolaBound(augmented, doublings(4, ctx.mode === 'quick' ? 16 : 128));
  const minLoss = Math.min(...r.loss);
  const premise = augmented || r.maxStepLipschitz.every((m) => m < 1);
  const ok = premise && minLoss >= r.residual && r.converged.every(Boolean);
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: minLoss, expected: `≥ ${r.residual.toPrecision(6)} (isotonic residual)`,
    tolerance: 0, toleranceReason: 'an exact inequality for every monotone predictor (h·|K|·Lip σ < 1 checked)',
    detail: `${augmented ? 'augmented d = 2' : 'd = 1'}: loss ${r.loss.map((l) => l.toPrecision(4)).join(', ')}; max h|K| ${Math.max(...r.maxStepLipschitz).toFixed(3)}`,
    data: r,
  };
}

const c25: Claim = {
  id: 'C25', title: 'in d = 1 a residual net is monotone: min E_n ≥ the isotonic-regression residual',
  source: THORPE, family: 'thorpe',
  statement: 'd = 1,\\ h\\,|K|\\,\\mathrm{Lip}\\,\\sigma < 1:\\ \\min E_n \\ge \\min_{f \\text{ monotone}} \\tfrac1S\\sum_s \\tfrac12 (f(x_s) - y_s)^2',
  check: (ctx) => c25Evidence(ctx, false),
  negativeControl: {
    description: 'augment the state to d = 2 (x ↦ (x, 0)): the net is no longer monotone and beats the bound, so it must fail',
    check: (ctx) => c25Evidence(ctx, true),
  },
};

/** Claims of the gamma family (see CLAIMS.md). */
export const claims: Claim[] = [c17, c18, c19, c20, c21, c22, c23, c24, c25];
