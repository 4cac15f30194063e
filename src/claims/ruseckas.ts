/**
 * C15 (Ruseckas): the proposed ODE ẋ = wx + b − γx³ is bounded (solutions from any initial
 * data enter the stated ball and stay), and its FF layer's activation x − γΔt x³ is invertible
 * exactly below |x| < 1/√(3γΔt). The mathematics is in experiments/invariant-ball.ts.
 */
import type { Claim, ClaimContext, Evidence, Methods } from './types.ts';
import {
  BALL_RTOL, ballRadii, ballRuns, c15Problem, ffLayerRoundTrip, monotonicityThreshold, type BallProblem, type BallRadii, type BallRun, type FfRoundTrip,
} from '../experiments/invariant-ball.ts';
import { norm2 } from '../numeric/linalg.ts';
import { makeRng } from '../util/prng.ts';
import { cached } from '../util/cache.ts';

export const RUSECKAS_C15 = 'Ruseckas 2019, "Differential equations as models of deep neural networks", arXiv:1909.03767; the proposed ODE and its feedforward layer, talk slides 14–16 (S3); the ball and the threshold are inferred (CLAIMS.md C15)';

const PROBLEM_TEXT = 'ẋ = wx + b − γx³ (elementwise cube), d = 3, γ = 0.5, w = seeded antisymmetric + diag(1, 0.3, −0.5), b ~ N(0, I)';

// ---------------------------------------------------------------- the ball
/** C15/ball's data (the 'invariant-ball' figure) with its methods. */
export interface InvariantBallData {
  radii: BallRadii;
  /** d/(γρ²): from then on every solution is within ρ. */
  entryTime: number;
  runs: BallRun[];
  methods: Methods;
}

export function invariantBallData(mode: 'quick' | 'full', seed: number, linearDamping = false): InvariantBallData {
  // the check's runs are the continuum-limit notebook's figure: computed once (src/util/cache.ts)
  return cached('invariant-ball', { mode, seed, linearDamping }, import.meta.url, () => computeInvariantBall(mode, seed, linearDamping));
}

function computeInvariantBall(mode: 'quick' | 'full', seed: number, linearDamping: boolean): InvariantBallData {
  const p = c15Problem(seed);
  const opts = mode === 'full'
    ? { magnitudes: [0.01, 0.1, 1, 10, 100, 1e3, 1e4, 1e5], directions: 6, samples: 160 }
    : { magnitudes: [0.1, 1, 10, 100, 1e3, 1e4], directions: 2, samples: 60 };
  const { radii, runs } = ballRuns(p, { ...opts, T: 20, seed: seed + 1, ...(linearDamping ? { linearDamping } : {}) });
  return {
    radii, entryTime: p.d / (p.gamma * radii.entry ** 2), runs,
    methods: {
      claim: 'C15/ball', source: RUSECKAS_C15,
      scheme: `the ODE ${linearDamping ? 'with the cubic replaced by a linear damping −γx (control)' : PROBLEM_TEXT}`,
      solver: `DOPRI5 with dense output, rtol ${BALL_RTOL}, atol 1e-12, sampled at ${opts.samples} log-spaced times in [1e-8, 20]`,
      parameters: { d: p.d, gamma: p.gamma, T: 20, initialRadii: opts.magnitudes, directionsPerRadius: opts.directions },
      seed,
    },
  };
}

/** Relative slack on |x(t)| ≤ B(t): DOPRI5 at rtol 1e-10 in a flow that contracts outside the ball keeps |x| to ≲ 1e-9 relative. */
const BALL_SLACK = 1e-7;

function ballEvidence(d: InvariantBallData): Evidence {
  const worst = Math.max(...d.runs.map((r) => r.ratio));
  const entered = d.runs.every((r) => Number.isFinite(r.entered));
  const stays = d.runs.every((r) => r.afterEntry <= 1 + BALL_SLACK);
  const late = Math.max(...d.runs.flatMap((r) => r.r.filter((_, i) => r.t[i]! >= d.entryTime)));
  const ok = worst <= 1 + BALL_SLACK && entered && stays;
  const { radii } = d;
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: worst,
    expected: '≤ 1',
    tolerance: `1 + ${BALL_SLACK}`,
    toleranceReason: 'max over runs and times of |x(t)|/B(t), B(t) = max(ρ, (|x₀|⁻² + γt/d)^{−1/2}) from ṙ ≤ −(γ/2d)r³ for r ≥ ρ; slack 1e-7 for DOPRI5 at rtol 1e-10 (the flow contracts outside the ball, so errors do not grow)',
    detail: `R* = ${radii.invariant.toFixed(4)} (invariant), ρ = ${radii.entry.toFixed(4)} (entry), stated order √(dμ₊/γ) + (d|b|/γ)^{1/3} = ${radii.stated.toFixed(4)}, μ = ${radii.mu.toFixed(4)}, |b| = ${radii.bNorm.toFixed(4)}; ` +
      `${d.runs.length} runs with |x₀| from ${Math.min(...d.runs.map((r) => r.r0))} to ${Math.max(...d.runs.map((r) => r.r0))}: ` +
      `max_{t ≥ d/(γρ²) = ${d.entryTime.toPrecision(3)}} |x(t)| = ${late.toPrecision(6)} (${late <= radii.entry ? '≤' : '>'} ρ), ` +
      (entered ? `all inside B(R*) by t = ${Math.max(...d.runs.map((r) => r.entered)).toPrecision(3)} and staying (max |x|/R* after entry ${Math.max(...d.runs.map((r) => r.afterEntry)).toFixed(4)})` : `${d.runs.filter((r) => !Number.isFinite(r.entered)).length} runs never enter B(R*)`),
    data: d,
    methods: d.methods,
  };
}

const c15ball: Claim = {
  id: 'C15', part: 'ball', title: 'the proposed ODE is bounded: from any initial data, solutions enter the invariant ball and stay',
  source: RUSECKAS_C15, family: 'ruseckas',
  statement: String.raw`\dot x = wx + b - \gamma x^3:\ \ \tfrac{d}{dt}\tfrac{|x|^2}{2} \le \mu_+|x|^2 + |b||x| - \tfrac{\gamma}{d}|x|^4 \ \Rightarrow\ |x(t)| \le \max\!\big(\rho, \sqrt{d/(\gamma t)}\big)\ \forall x(0),\ \ B(R^*)\ \text{invariant},\ R^* \le \max\!\big(\sqrt{2d\mu_+/\gamma}, (2d|b|/\gamma)^{1/3}\big)`,
  figures: ['invariant-ball'],
  check: (ctx: ClaimContext) => ballEvidence(invariantBallData(ctx.mode, ctx.seed)),
  negativeControl: {
    description: 'the cubic −γx³ replaced by a linear damping −γx (ẋ = (w − γI)x + b): solutions grow with |x₀| and leave every ball',
    check: (ctx: ClaimContext) => ballEvidence(invariantBallData(ctx.mode, ctx.seed, true)),
  },
};

// ---------------------------------------------------------------- the layer's invertibility
/** C15/invertible's data: thresholds over (γ, Δt) and layer round trips along FF nets. */
export interface InvertibilityData {
  thresholds: { gamma: number; dt: number; threshold: number; predicted: number; relError: number }[];
  roundTrips: (FfRoundTrip & { r0: number })[];
  /** Δt below which 1/√(3γΔt) exceeds the invariant radius R* of C15's problem. */
  dtCover: number;
  radii: BallRadii;
  methods: Methods;
}

const GAMMAS = [0.5, 2], DTS = [0.1, 0.01, 1e-3, 1e-4];

export function invertibilityData(mode: 'quick' | 'full', seed: number, unscaled = false): InvertibilityData {
  const p: BallProblem = c15Problem(seed), radii = ballRadii(p);
  const thresholds = GAMMAS.flatMap((gamma) => DTS.map((dt) => {
    const threshold = monotonicityThreshold(gamma, dt, unscaled), predicted = 1 / Math.sqrt(3 * gamma * dt);
    return { gamma, dt, threshold, predicted, relError: Math.abs(threshold / predicted - 1) };
  }));
  // FF nets over T = 2 from states inside the invariant ball, at steps below 1/(3γR*²)
  const T = 2, Ns = mode === 'full' ? [40, 80, 160, 320, 640] : [40, 160], rng = makeRng(seed + 3);
  const roundTrips = Ns.flatMap((N) => [0.5, 1].map((frac) => {
    const x0 = new Float64Array(p.d).map(() => rng.normal()), s = (frac * radii.invariant) / norm2(x0);
    return { ...ffLayerRoundTrip(p, x0.map((v) => v * s), N, T, unscaled), r0: frac * radii.invariant };
  }));
  return {
    thresholds, roundTrips, dtCover: 1 / (3 * p.gamma * radii.invariant ** 2), radii,
    methods: {
      claim: 'C15/invertible', source: RUSECKAS_C15,
      scheme: `Ruseckas' FF layer x ↦ σ(Wx + B), W = I + Δt w, B = Δt b, σ(z) = z − γΔt z³${unscaled ? ' (control: σ(z) = z − γz³, Δt dropped)' : ''}; thresholds of the 1-D layer (w = 0, b = 0); round trips on ${PROBLEM_TEXT}`,
      solver: 'bisection on the sign of the layer tangent (stepTangent) to 1 ulp; each layer inverted by safeguarded Newton on (−z*, z*) and an LU solve with W',
      depths: Ns,
      parameters: { gammas: GAMMAS, dts: DTS, T, startRadii: 'R*/2 and R*' },
      seed,
    },
  };
}

/** |z*√(3γΔt) − 1|: bisection to 1 ulp, and the tangent 1 − 3γΔt z² rounded at ε near its root, where its slope is 2√(3γΔt): relative root error ≈ ε/2. */
const THRESHOLD_TOL = 1e-14;
/** Round-off units of one inverted layer: ≈ d + 3 roundings (pre-activation, σ, Newton's last step, the 3×3 solve), each ≤ ε·scale. */
const ROUND_TRIP_ULPS = 32;

function invertibleEvidence(d: InvertibilityData): Evidence {
  const worst = Math.max(...d.thresholds.map((t) => t.relError));
  const inRange = d.roundTrips.every((r) => r.maxPre < r.zStar);
  const exact = d.roundTrips.every((r) => r.ulps <= ROUND_TRIP_ULPS);
  const ok = worst <= THRESHOLD_TOL && inRange && exact;
  return {
    verdict: ok ? 'holds' : 'fails',
    measured: worst,
    expected: 0,
    tolerance: THRESHOLD_TOL,
    toleranceReason: `|z*·√(3γΔt) − 1| ≤ 1e-14: bisection to 1 ulp on the sign of 1 − 3γΔt z², whose rounding near the root moves it by ≈ ε/2 relative; each inverted layer within ${ROUND_TRIP_ULPS} units of ε·max(1, |x|)·‖W⁻¹‖_∞/min σ′ (a few roundings, times the two inverses' conditions)`,
    detail: `thresholds over γ ∈ {${GAMMAS.join(', ')}}, Δt ∈ {${DTS.join(', ')}}: z* = 1/√(3γΔt) to ${worst.toExponential(1)} (e.g. γ = ${d.thresholds[0]!.gamma}, Δt = ${d.thresholds[0]!.dt}: z* = ${d.thresholds[0]!.threshold.toPrecision(12)}); ` +
      `z* > R* = ${d.radii.invariant.toFixed(4)} once Δt < ${d.dtCover.toPrecision(3)}; ` +
      `FF round trips (${d.roundTrips.length} runs, Δt = ${[...new Set(d.roundTrips.map((r) => r.dt))].join(', ')}): max |z|/z* = ${((m) => (Number.isFinite(m) ? m.toFixed(3) : 'not finite (the net diverged)'))(Math.max(...d.roundTrips.map((r) => r.maxPre / r.zStar)))}, worst layer ${Math.max(...d.roundTrips.map((r) => r.ulps)).toPrecision(3)} units (max error ${Math.max(...d.roundTrips.map((r) => r.error)).toExponential(1)})`,
    data: d,
    methods: d.methods,
  };
}

const c15invertible: Claim = {
  id: 'C15', part: 'invertible', title: "the FF layer's activation x − γΔt x³ is invertible exactly below |x| < 1/√(3γΔt), a radius that covers the invariant ball for small Δt",
  source: RUSECKAS_C15, family: 'ruseckas',
  statement: String.raw`h(x) = x - \Delta t\,\gamma x^3:\ \ h'(x) = 1 - 3\gamma\Delta t\,x^2 > 0 \iff |x| < \frac{1}{\sqrt{3\gamma\Delta t}};\ \ x \mapsto h(Wx + B)\ \text{invertible while}\ |Wx + B|_\infty < \frac{1}{\sqrt{3\gamma\Delta t}}`,
  figures: ['ff-activation-threshold'],
  check: (ctx: ClaimContext) => invertibleEvidence(invertibilityData(ctx.mode, ctx.seed)),
  negativeControl: {
    description: 'the activation applied without its step, h(x) = x − γx³ (Δt dropped): it turns at 1/√(3γ), and layers whose pre-activations exceed that cannot be inverted',
    check: (ctx: ClaimContext) => invertibleEvidence(invertibilityData(ctx.mode, ctx.seed, true)),
  },
};

export const claims: Claim[] = [c15ball, c15invertible];
