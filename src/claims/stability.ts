/**
 * Claims of the stability family (CLAIMS.md §Z: C26–C32, and C10 from Ruseckas): separately
 * discretised weights, Jacobian spectra, explicit-method stability, Hamiltonian/Verlet networks,
 * the step-size study and discrete-beats-continuous. Each check wires experiments to a verdict;
 * the mathematics lives in src/experiments and src/numeric.
 */
import type { Claim, ClaimContext, Evidence, Mode } from './types.ts';
import { CERTIFY_REASON, certifyOrder, describeCertificate, type OrderCertificate } from '../numeric/certify.ts';
import { dopri5 } from '../numeric/ode/dopri5.ts';
import {
  antisymmetricGrowth, dampedSpectrum, eulerStabilityModulus, imaginaryAxisBoundary, linearRegime,
  pwLinearLadder, rk4StabilityModulus, type RegimeResult,
} from '../experiments/stability.ts';
import {
  explicitEulerHamiltonian, hamiltonianField, randomHamiltonianNet, stackedEnergy, verletBackward, verletForward,
  type HamiltonianNet,
} from '../numeric/verlet.ts';
import { stepSizeStudy, QUICK_STEP_SIZE, FULL_STEP_SIZE, type StepSizeConfig } from '../experiments/step-size.ts';
import { diskAnnulusExperiment, QUICK_DISK_ANNULUS, FULL_DISK_ANNULUS, type DiskAnnulusConfig } from '../experiments/disk-annulus.ts';
import { EPS } from '../util/approx.ts';
import { makeRng } from '../util/prng.ts';

const ZHANG = 'Q. Zhang 2019 (S5); Haber & Ruthotto 2017; Meganet ResNN/ResNNrk4 (S6)';

// ---------------------------------------------------------------- C26
/** RK4/Euler ladders with piecewise-linear weights (nTh = 5 intervals). */
function c26Ladders(ctx: ClaimContext, misalignedOrder: number) {
  const full = ctx.mode === 'full';
  const dyadic = full ? [4, 8, 16, 32, 64, 128, 256, 512, 1024] : [4, 8, 16, 32, 64, 128, 256];
  const aligned = (full ? [1, 2, 4, 8, 16, 32, 64, 128] : [1, 2, 4, 8, 16, 32]).map((k) => 5 * k);
  const opts = { nTh: 5, seed: ctx.seed };
  const runs = [
    { label: 'Euler', expected: 1, ladder: pwLinearLadder('euler', dyadic, opts) },
    { label: 'RK4, state grid ⊇ weight nodes', expected: 4, ladder: pwLinearLadder('rk4', aligned, opts) },
    { label: 'RK4, kinks inside steps', expected: misalignedOrder, ladder: pwLinearLadder('rk4', dyadic, opts) },
  ];
  return runs.map((r) => ({ ...r, certificate: certifyOrder(r.ladder.h, r.ladder.err, r.expected, { scale: r.ladder.scale, floor: r.ladder.floor }) }));
}

function c26Evidence(runs: ReturnType<typeof c26Ladders>): Evidence {
  const ok = runs.every((r) => r.certificate.verdict === 'order');
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: runs.map((r) => r.certificate.slope.toFixed(2)).join(', '),
    expected: runs.map((r) => r.expected).join(', '),
    tolerance: 'certifyOrder',
    toleranceReason: `each slope must be certified "order p": ${CERTIFY_REASON}`,
    detail: runs.map((r) => `${r.label}: ${describeCertificate(r.certificate)}`).join('; '),
    data: runs.map((r) => ({ label: r.label, expected: r.expected, nY: r.ladder.nY, h: r.ladder.h, err: r.ladder.err, certificate: r.certificate })),
  };
}

const c26: Claim = {
  id: 'C26', title: 'orders with piecewise-linear weights: Euler 1, RK4 aligned 4, RK4 with kinks inside steps 2',
  source: ZHANG, family: 'zhang',
  statement: '\\theta(t)\\ \\text{piecewise linear on } n_\\theta = 5 \\text{ intervals}: \\ |Y_{n_Y}(T) - Y(T)| = O(h_Y^{p}),\\ p = 1\\ (\\text{Euler}),\\ 4\\ (\\text{RK4, aligned}),\\ 2\\ (\\text{RK4, kinks inside steps})',
  figures: ['rk4-pw-linear-orders'],
  check: (ctx) => c26Evidence(c26Ladders(ctx, 2)),
  negativeControl: {
    description: 'declare order 4 for RK4 with weight kinks inside steps: certification must refuse it',
    check: (ctx) => c26Evidence(c26Ladders(ctx, 4)),
  },
};

// ---------------------------------------------------------------- C28
function c28Evidence(ctx: ClaimContext, perturb: number): Evidence {
  const seeds = ctx.mode === 'full' ? 20 : 3;
  const runs = Array.from({ length: seeds }, (_, k) => dampedSpectrum(6, 0.25, ctx.seed + k, perturb));
  const imagOk = runs.every((r) => r.maxAbsRe <= r.roundoffBound);
  const rangeOk = runs.every((r) => r.reRange[0] >= r.bound[0] - r.roundoffBound && r.reRange[1] <= r.bound[1] + r.roundoffBound);
  const worst = runs.reduce((a, r) => (r.maxAbsRe / r.roundoffBound > a.maxAbsRe / a.roundoffBound ? r : a));
  return {
    verdict: imagOk && rangeOk ? 'holds' : 'fails',
    measured: worst.maxAbsRe,
    expected: 0,
    tolerance: worst.roundoffBound,
    toleranceReason: 'max|Re λ(DK)| ≤ 10·d·ε‖DK‖₁·√(max D/min D): backward error of QR times the eigenvalue condition of a matrix similar (by D^{1/2}) to a normal one',
    detail: `Re λ(D(K−γI)) ∈ [${worst.reRange.map((v) => v.toFixed(4)).join(', ')}] vs bound [${worst.bound.map((v) => v.toFixed(4)).join(', ')}] (${seeds} seeds, d = 6, γ = 0.25)${imagOk ? '' : '; real parts appear'}${rangeOk ? '' : '; range violated'}`,
    data: runs,
  };
}

const c28: Claim = {
  id: 'C28', title: 'antisymmetric K gives imaginary spectra of DK; K − γI gives Re λ ∈ [−γ max D, −γ min D]',
  source: ZHANG, family: 'zhang',
  statement: 'K = -K^{\\top},\\ D = \\operatorname{diag}(d_i) > 0 \\Rightarrow \\operatorname{Re}\\lambda(DK) = 0,\\quad \\operatorname{Re}\\lambda\\big(D(K-\\gamma I)\\big) \\in [-\\gamma \\max_i d_i,\\ -\\gamma \\min_i d_i]',
  figures: ['jacobian-eigenvalues'],
  check: (ctx) => c28Evidence(ctx, 0),
  negativeControl: {
    description: 'add a symmetric part 0.3·S to K: real parts appear and the range bound breaks',
    check: (ctx) => c28Evidence(ctx, 0.3),
  },
};

// ---------------------------------------------------------------- C29
/** |R(iy)| for the RK3 polynomial 1 + z + z²/2 + z³/6 (the control's wrong stability function). */
function rk3Modulus(re: number, im: number): number {
  const zr = re, zi = im;
  const z2r = zr * zr - zi * zi, z2i = 2 * zr * zi;
  const z3r = z2r * zr - z2i * zi, z3i = z2r * zi + z2i * zr;
  return Math.hypot(1 + zr + z2r / 2 + z3r / 6, zi + z2i / 2 + z3i / 6);
}

function c29Evidence(ctx: ClaimContext, rk4Modulus: (re: number, im: number) => number): Evidence {
  const target = 2 * Math.SQRT2;
  const rk4 = imaginaryAxisBoundary(rk4Modulus, { yMax: 4, dy: ctx.mode === 'full' ? 0.001 : 0.01 });
  const euler = imaginaryAxisBoundary(eulerStabilityModulus, { yMax: 4, dy: 0.01 });
  const eulerAbove = euler.scan.modulus.every((m) => m > 1);
  // Growth of ‖Y_N‖/‖Y_0‖ for Ẏ = KY, K = [[0, −μ], [μ, 0]], μ = 1, T = 10 fixed.
  const T = 10, hs = ctx.mode === 'full' ? [1, 0.5, 0.25, 0.1, 0.05, 0.01] : [1, 0.5, 0.1, 0.01];
  const growth = hs.flatMap((h) => (['euler', 'rk4'] as const).map((m) => antisymmetricGrowth(m, 1, h, Math.round(T / h))));
  // Euler: growth = (1 + h²)^{N/2} > 1, → 1 like exp(T h/2); RK4 with h ≤ 2√2: ≤ 1.
  const growthOk = growth.every((g) => Math.abs(g.growth - g.predicted) <= 1e3 * EPS * g.N * g.predicted
    && (g.method === 'euler' ? g.growth > 1 : g.growth <= 1 + 1e3 * EPS * g.N));
  const beyond = antisymmetricGrowth('rk4', 1, 2.9, 20);
  const boundaryErr = Math.abs(rk4.boundary - target);
  const ok = eulerAbove && Number.isNaN(euler.boundary) && boundaryErr <= 1e-12 && growthOk && beyond.growth > 1;
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: rk4.boundary,
    expected: target,
    tolerance: 1e-12,
    toleranceReason: 'bisection to 1e-13 plus the rounding ε of |R| − 1 divided by d|R(iy)|/dy = y⁵/72 ≈ 2.5 at the edge',
    detail: `Euler |1+iz| > 1 on all ${euler.scan.y.length} scanned z ∈ (0, 4]: ${eulerAbove}; RK4 edge ${rk4.boundary} (|R(2.8i)| = ${rk4StabilityModulus(0, 2.8).toFixed(4)}, |R(2.9i)| = ${rk4StabilityModulus(0, 2.9).toFixed(4)}); growth over T = 10 matches |R(ihμ)|^N: ${growthOk}; RK4 at hμ = 2.9 grows ×${beyond.growth.toExponential(2)} in 20 steps`,
    data: { rk4Scan: rk4.scan, eulerScan: euler.scan, growth, beyond },
  };
}

const c29: Claim = {
  id: 'C29', title: 'explicit-method stability on the imaginary axis: Euler never, RK4 iff |z| ≤ 2√2',
  source: ZHANG, family: 'zhang',
  statement: '|1 + iz| = \\sqrt{1+z^2} > 1\\ (z \\neq 0),\\qquad |R(iz)| \\le 1 \\iff |z| \\le 2\\sqrt{2},\\ R(z) = \\textstyle\\sum_{k=0}^{4} z^k/k!',
  figures: ['jacobian-eigenvalues'],
  check: (ctx) => c29Evidence(ctx, rk4StabilityModulus),
  negativeControl: {
    description: 'use the RK3 stability polynomial in place of RK4: its imaginary-axis edge is √3, not 2√2',
    check: (ctx) => c29Evidence(ctx, rk3Modulus),
  },
};

// ---------------------------------------------------------------- C30
function integrateLinear(K: readonly number[], y0: Float64Array, T: number): Float64Array {
  const f = (_t: number, y: Float64Array, out: Float64Array) => { out[0] = K[0]! * y[0]! + K[1]! * y[1]!; out[1] = K[2]! * y[0]! + K[3]! * y[1]!; };
  return dopri5(f, 0, T, y0, { rtol: 1e-12, atol: 1e-14 }).x;
}

function c30Evidence(regimes: { name: string; K: number[] }[]): Evidence {
  const T = 5;
  const runs: RegimeResult[] = regimes.map((r) => linearRegime(r.name, r.K, T, integrateLinear));
  const rtol = 1e-9; // DOPRI5 at rtol 1e-12 over ~100 steps: global relative error ≲ 1e-10
  const match = runs.map((r) => Math.max(Math.abs(r.normRatio / r.predicted - 1), Math.abs(r.distanceRatio / r.predicted - 1)));
  const kind = (r: RegimeResult) => (r.normRatio > 1 + rtol ? 'exploding' : r.normRatio < 1 - rtol ? 'vanishing' : 'conservative');
  const ok = match.every((m) => m <= rtol) && runs.every((r) => kind(r) === r.name);
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: Math.max(...match),
    expected: 0,
    tolerance: rtol,
    toleranceReason: 'relative deviation of ‖Y(T)‖/‖Y(0)‖ and of the distance ratio from e^{Re λ T}; DOPRI5 at rtol 1e-12 gives ≲ 1e-10',
    detail: runs.map((r, i) => `${r.name}: ratio ${r.normRatio.toPrecision(6)} vs e^{Re λ T} = ${r.predicted.toPrecision(6)} (distance ×${r.distanceRatio.toPrecision(6)}; dev ${match[i]!.toExponential(1)})`).join('; '),
    data: runs,
  };
}

const c30: Claim = {
  id: 'C30', title: 'three linear regimes: exploding, vanishing (inputs merge), norm-preserving',
  source: ZHANG, family: 'zhang',
  statement: '\\dot Y = KY,\\ K = aI + \\omega J:\\ \\|Y(T)\\| = e^{aT}\\|Y(0)\\|,\\ a = \\operatorname{Re}\\lambda > 0\\ \\text{explodes},\\ < 0\\ \\text{vanishes},\\ = 0\\ \\text{preserves}',
  check: () => c30Evidence([
    { name: 'exploding', K: [0.3, -1, 1, 0.3] },
    { name: 'vanishing', K: [-0.3, -1, 1, -0.3] },
    { name: 'conservative', K: [0, -1, 1, 0] },
  ]),
  negativeControl: {
    description: 'a non-normal K = [[−0.1, 4], [0, −0.1]]: eigenvalues alone do not predict the norm (transient growth)',
    check: () => c30Evidence([{ name: 'vanishing', K: [-0.1, 4, 0, -0.1] }]),
  },
};

// ---------------------------------------------------------------- C31, C32
const X0 = [0.5, -0.3], P0 = [0.2, 0.4];
function hamNet(seed: number): HamiltonianNet { return randomHamiltonianNet(2, 4, makeRng(seed)); }

function exactFlowEnergyDrift(net: HamiltonianNet, T: number, samples: number): { t: number[]; H: number[] } {
  const f = hamiltonianField(net);
  let y: Float64Array = Float64Array.from([...X0, ...P0]);
  const t = [0], H = [stackedEnergy(net, y)];
  for (let k = 1; k <= samples; k++) {
    y = dopri5(f, ((k - 1) * T) / samples, (k * T) / samples, y, { rtol: 1e-12, atol: 1e-14 }).x;
    t.push((k * T) / samples); H.push(stackedEnergy(net, y));
  }
  return { t, H };
}

function energyLadder(net: HamiltonianNet, T: number, Ns: number[], method: 'verlet' | 'euler') {
  return Ns.map((N) => {
    const r = method === 'verlet' ? verletForward(net, X0, P0, T / N, N, { energy: true }) : explicitEulerHamiltonian(net, X0, P0, T / N, N, { energy: true });
    const e = r.energy!;
    let m = 0;
    for (let k = 0; k < e.length; k++) m = Math.max(m, Math.abs(e[k]! - e[0]!));
    return { N, h: T / N, err: m, energy: N <= 200 ? Array.from(e) : undefined };
  });
}

function c31Evidence(ctx: ClaimContext, method: 'verlet' | 'euler'): Evidence {
  const net = hamNet(ctx.seed), T = 5;
  const exact = exactFlowEnergyDrift(net, T, ctx.mode === 'full' ? 200 : 20);
  const ptp = Math.max(...exact.H) - Math.min(...exact.H);
  const Ns = ctx.mode === 'full' ? [50, 100, 200, 400, 800, 1600, 3200] : [50, 100, 200, 400, 800];
  const ladder = energyLadder(net, T, Ns, method);
  const cert: OrderCertificate = certifyOrder(ladder.map((l) => l.h), ladder.map((l) => l.err), 2, { scale: Math.abs(exact.H[0]!) });
  const exactTol = 1e-9; // DOPRI5 at rtol 1e-12, ~10² steps, |∇H| = O(1): energy error ≲ 1e-10
  const ok = ptp <= exactTol && cert.verdict === 'order';
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: cert.slope,
    expected: 2,
    tolerance: `certifyOrder; exact-flow ptp H ≤ ${exactTol}`,
    toleranceReason: 'Verlet is symplectic: H̃ = H + O(h²) is conserved, so max_k |H_k − H_0| = O(h²) (certified); the exact flow conserves H up to DOPRI5 error',
    detail: `exact flow ptp H = ${ptp.toExponential(2)} over T = ${T}; ${method} energy error ${describeCertificate(cert)}`,
    data: { exact, ladder, certificate: cert },
  };
}

const c31: Claim = {
  id: 'C31', title: 'Hamiltonian network: energy conserved by the flow; Verlet energy error O(h²)',
  source: 'Ruthotto & Haber 2019 (via S8)', family: 'zhang',
  statement: '\\dot x = K\\sigma(K^{\\top}p + b),\\ \\dot p = -K\\sigma(K^{\\top}x + b):\\ H = \\Phi(K^{\\top}p+b) + \\Phi(K^{\\top}x+b)\\ \\text{conserved};\\ \\max_k |H_k - H_0| = O(h^2)\\ \\text{(Verlet)}',
  figures: ['verlet-energy'],
  check: (ctx) => c31Evidence(ctx, 'verlet'),
  negativeControl: {
    description: 'explicit Euler on the same network: the energy error is O(h), not O(h²)',
    check: (ctx) => c31Evidence(ctx, 'euler'),
  },
};

function c32Evidence(ctx: ClaimContext, method: 'verlet' | 'euler'): Evidence {
  const net = hamNet(ctx.seed + 1), T = 5;
  const Ns = ctx.mode === 'full' ? [25, 50, 100, 200, 400, 800, 1600, 3200, 6400] : [25, 50, 100, 200, 400, 800];
  const rows = Ns.map((N) => {
    const h = T / N;
    let back;
    if (method === 'verlet') {
      const f = verletForward(net, X0, P0, h, N);
      back = verletBackward(net, f.x, f.p, h, N);
    } else {
      const f = explicitEulerHamiltonian(net, X0, P0, h, N);
      back = explicitEulerHamiltonian(net, f.x, f.p, -h, N);
    }
    let err = 0;
    for (let i = 0; i < 2; i++) err = Math.max(err, Math.abs(back.x[i]! - X0[i]!), Math.abs(back.p[i]! - P0[i]!));
    return { N, h, err, bound: 10 * N * EPS };
  });
  const ok = rows.every((r) => r.err <= r.bound);
  const worst = rows.reduce((a, r) => (r.err / r.bound > a.err / a.bound ? r : a));
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: worst.err,
    expected: 0,
    tolerance: worst.bound,
    toleranceReason: 'err_N ≤ 10·N·ε (|state| ≈ 1): each step commits a few ulps, carried back by the bounded fixed-T inverse flow — at most linear growth in N',
    detail: rows.map((r) => `N=${r.N}: ${r.err.toExponential(1)}`).join(', '),
    data: rows,
  };
}

const c32: Claim = {
  id: 'C32', title: 'Verlet networks are exactly reversible: input reconstructed to rounding, growing at most linearly',
  source: 'Haber & Ruthotto 2017; Chang et al. 2018 (reversible architectures)', family: 'zhang',
  statement: '\\Psi_{-h}^{N}\\big(\\Psi_h^{N}(x_0, p_0)\\big) = (x_0, p_0)\\ \\text{exactly};\\ \\text{in floating point } \\lesssim N\\varepsilon',
  figures: ['verlet-energy'],
  check: (ctx) => c32Evidence(ctx, 'verlet'),
  negativeControl: {
    description: 'explicit Euler reversed with −h is not its own inverse: O(h) reconstruction error',
    check: (ctx) => c32Evidence(ctx, 'euler'),
  },
};

// ---------------------------------------------------------------- C27
/** C27's study for a mode and seed (the notebook draws this same, cached, result). */
export function c27Config(mode: Mode, seed: number, shuffleLabels = false): StepSizeConfig {
  return { ...(mode === 'full' ? FULL_STEP_SIZE : QUICK_STEP_SIZE), seed, shuffleLabels };
}

function c27Evidence(ctx: ClaimContext, shuffleLabels: boolean): Evidence {
  const cfg = c27Config(ctx.mode, ctx.seed, shuffleLabels);
  const r = stepSizeStudy(cfg);
  const L = r.levels, last = L[L.length - 1]!, prev = L[L.length - 2]!;
  const valid = L.map((l) => l.validAccuracy), changes = L.slice(1).map((l) => l.weightChange);
  const plateau = Math.abs(last.validAccuracy - prev.validAccuracy);
  const chance = 1 / r.classes;
  const checks = {
    // 1.96·√(0.25/n_valid) ≈ 0.07 for 200 points: differences below 0.05 are within sampling noise
    plateau: plateau <= 0.05,
    noDegradation: last.validAccuracy >= Math.max(...valid) - 0.05,
    // well above chance 1/C: at least halfway from chance to perfect
    meaningful: last.validAccuracy >= chance + 0.5 * (1 - chance),
    weightsConverge: changes[changes.length - 1]! <= 0.5 * Math.max(...changes),
    // the finest weights run with the coarsest step must not beat the fine propagation (typically
    // they are much worse: Zhang's trend; when the coarse net is already good the gap is ~0)
    coarseStepsNotBetter: last.transferAccuracy >= L[0]!.transferAccuracy - 0.01,
  };
  const failed = Object.entries(checks).filter(([, v]) => !v).map(([k]) => k);
  return {
    verdict: failed.length ? 'fails' : 'holds',
    measured: last.validAccuracy,
    expected: `≥ ${(chance + 0.5 * (1 - chance)).toFixed(2)}, plateau`,
    tolerance: 0.05,
    toleranceReason: 'accuracy differences ≤ 0.05 count as a plateau (binomial 95% half-width ≈ 0.07 on 200 validation points); weight change must fall to ≤ ½ its maximum',
    detail: `${cfg.dataset}, nTh = ${cfg.nTh}, nY = ${cfg.nYs.join(',')}: valid ${valid.map((v) => v.toFixed(3)).join(' → ')}; sup|ΔK| ${changes.map((c) => c.toExponential(1)).join(' → ')}; finest weights at each nY: ${L.map((l) => l.transferAccuracy.toFixed(3)).join(' → ')}${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
    data: r,
  };
}

const c27: Claim = {
  id: 'C27', title: 'classification stabilises and trained weight functions converge as the state step shrinks (fixed weight grid)',
  source: ZHANG, family: 'zhang',
  statement: String.raw`\theta \text{ on a fixed grid},\ h_Y = T/n_Y \to 0:\ \text{accuracy plateaus and } \sup_t |K_{n_Y}(t) - K_{2n_Y}(t)| \to 0`,
  figures: ['step-size-study'],
  check: (ctx) => c27Evidence(ctx, false),
  negativeControl: {
    description: 'shuffle the training and validation labels: nothing to learn, validation accuracy stays at chance',
    check: (ctx) => c27Evidence(ctx, true),
  },
};

// ---------------------------------------------------------------- C10
/** C10's experiment for a mode (its control clips the ResNet); the notebook draws this same, cached, result. */
export function c10Config(mode: Mode, clipLipschitz?: number): DiskAnnulusConfig {
  const base = mode === 'full' ? FULL_DISK_ANNULUS : QUICK_DISK_ANNULUS;
  return clipLipschitz === undefined ? base : { ...base, clipLipschitz };
}

function c10Evidence(ctx: ClaimContext, clipLipschitz?: number): Evidence {
  const r = diskAnnulusExperiment(c10Config(ctx.mode, clipLipschitz));
  const c = r.collision, perPoint = 1 / r.gridPoints;
  const checks = {
    odeMisclassifies: r.ode.gridAccuracy < 1,
    odeResolved: Math.abs((r.ode.refinedGridAccuracy ?? NaN) - r.ode.gridAccuracy) <= 5 * perPoint,
    resnetBeatsOde: r.resnet.gridAccuracy > r.ode.gridAccuracy,
    collisionFound: c !== null,
    // a collision: images equal to rounding, secant h|f(y)−f(y′)|/|y−y′| = 1, and the layer's h·Lip ≥ 1
    collisionValid: c !== null && c.imageGap <= 1e-10 * (1 + Math.hypot(...c.image)) && c.trajectoryGap <= 1e-9 * (1 + Math.hypot(...c.image)) && Math.abs(c.secant - 1) <= 1e-8 && c.hLip >= 1,
  };
  const failed = Object.entries(checks).filter(([, v]) => !v).map(([k]) => k);
  return {
    verdict: failed.length ? 'fails' : 'holds',
    measured: c ? c.hLip : 'no collision',
    expected: '≥ 1',
    tolerance: 'secant = 1 ± 1e-8',
    toleranceReason: 'an Euler layer with h·Lip(f) < 1 is injective; a collision forces h|f(y) − f(y′)| = |y − y′|, i.e. secant 1 (to Newton tolerance 1e-13 over |y − y′| ≳ 1e-3)',
    detail: `grid accuracy (${r.gridPoints} points): neural ODE ${(100 * r.ode.gridAccuracy).toFixed(2)}% (2·nY: ${(100 * (r.ode.refinedGridAccuracy ?? NaN)).toFixed(2)}%), ResNet (nY = ${r.resnet.nY}, h = ${r.resnet.h}) ${(100 * r.resnet.gridAccuracy).toFixed(2)}%; ` +
      (c ? `collision after layer ${c.layer}: x = (${c.x.map((v) => v.toFixed(3)).join(', ')}), x′ = (${c.xPrime.map((v) => v.toFixed(3)).join(', ')}), image gap ${c.imageGap.toExponential(1)} (forward from the inputs: ${c.trajectoryGap.toExponential(1)}), secant ${c.secant.toFixed(12)}, h·Lip ${c.hLip.toFixed(3)}` : 'no collision found') +
      (failed.length ? `; failed: ${failed.join(', ')}` : ''),
    data: r,
  };
}

/** The control's bound on h‖K‖₂ per ResNet layer (< 1: every layer injective). */
export const C10_CLIP = 0.9;

const c10: Claim = {
  id: 'C10', title: 'discrete can beat continuous: a coarse ResNet separates disk from annulus, a neural ODE cannot; collisions need h·Lip ≥ 1',
  source: 'Ruseckas 2019, slides 17–18 (S3); Dupont et al. 2019', family: 'ruseckas',
  statement: String.raw`\Phi(y) = y + h f(y),\ h\,\mathrm{Lip}(f) < 1 \Rightarrow \Phi \text{ injective};\ \text{a neural ODE flow is a homeomorphism of } \mathbb{R}^2 \text{ and misclassifies part of the region}`,
  figures: ['disk-annulus'],
  check: (ctx) => c10Evidence(ctx),
  negativeControl: {
    description: 'clip every ResNet layer to h‖K‖₂ ≤ 0.9 (injective layers): no collision exists and the ResNet no longer beats the ODE',
    check: (ctx) => c10Evidence(ctx, C10_CLIP),
  },
};

export const claims: Claim[] = [c10, c26, c27, c28, c29, c30, c31, c32];
