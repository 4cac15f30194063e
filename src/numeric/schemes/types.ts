/**
 * The Scheme interface: a deep network as a time-stepping scheme for an ODE, with its forward
 * map and its hand-written discrete adjoint (backprop).
 *
 * ## The continuous model
 * A `ParamField` is f(t, x, θ): the right-hand side of dx/dt = f(t, x, θ(t)), with x ∈ ℝᵈ and
 * parameters θ ∈ ℝᴾ (e.g. θ = (K, b) for f = σ(Kx + b), θ = (A, β) for Ruseckas'
 * F = Ax + β + g(x); P = 0 for a plain field). It supplies f and its two first-derivative
 * products: the tangent (Jacobian–vector) product and the cotangent (vector–Jacobian) product.
 *
 * ## The discrete network
 * N layers over [t0, t0 + T], h = T/N, t_l = t0 + l h. A `Scheme` is one layer
 *     x_{l+1} = Φ_h(t_l, x_l; θ_l),
 * e.g. ResNet/Euler Φ = x + h f(t, x, θ), Heun, explicit midpoint, RK4, or the near-identity FF
 * layer x⁺ = σ_h((I + hA)x + hβ). Every scheme declares its `order` p: for smooth θ(t) the net
 * converges to the ODE's flow with global error O(hᵖ).
 *
 * ## Parameter layout ("stage parameters")
 * A layer may evaluate f at several times within its step. A scheme lists the distinct ones as
 * fractions c_s of the step in `stageTimes` (Euler, FF: [0]; Heun: [0, 1]; midpoint: [0, ½];
 * RK4: [0, ½, 1]). Layer l carries one parameter vector per stage time, θ_{l,s} ≈ θ(t_l + c_s h),
 * so the flat parameter array of an N-layer net has N·S·P entries and
 *     θ_{l,s} = theta[(l·S + s)·P … (l·S + s + 1)·P).
 * How the half-step (and end-of-step) parameters are obtained is the caller's choice:
 *  - depth sweeps against an ODE sample θ(t) exactly at t_l + c_s h (`sampleParams` in net.ts);
 *  - nets trained with weights on the layer nodes t_0 … t_N tie them by linear interpolation,
 *    θ_{l,s} = (1 − c_s) θ(t_l) + c_s θ(t_{l+1}) (`nodesToStages`, as Meganet's ResNNrk4), and
 *    pull stage gradients back to the nodes with the transpose (`stagesToNodesGrad`).
 * The adjoint returns ∂L/∂θ_{l,s} for every stage parameter, so any such tying is a linear map
 * the caller composes with.
 *
 * ## The discrete adjoint
 * For L = L(x_N): p_N = ∂L/∂x_N and, layer by layer backward,
 *     p_l = p_{l+1} ∂Φ_h/∂x (t_l, x_l; θ_l),      ∂L/∂θ_l = p_{l+1} ∂Φ_h/∂θ_l,
 * (gradients are row vectors). For Euler this is C2's p_l = p_{l+1}(I + h ∂f/∂x),
 * ∂L/∂θ_l = h p_{l+1} ∂f/∂θ. `stepAdjoint` implements exactly the transpose of `stepTangent`
 * (checked by the dot-product test in test/numeric/schemes/contract.ts), not a discretisation
 * of the continuous costate: the difference between the two is the adjoint gap.
 *
 * ## Memory and re-entrancy
 * A scheme instance owns preallocated Float64Array scratch (made once by its factory), so the
 * per-layer calls allocate nothing. Consequently an instance is not re-entrant: make one
 * instance per concurrent use. Outputs never alias inputs. Offsets (`to`, `dto`, `go`) index
 * into flat arrays so that no subarray view is created per layer.
 */

/** A parametrised vector field f(t, x, θ) with its first derivatives. */
export interface ParamField {
  readonly name: string;
  /** State dimension d (for a batched field: samples × per-sample dimension). */
  readonly dim: number;
  /** Number P of parameters in θ (0 for a plain field). */
  readonly paramDim: number;
  /** out = f(t, x, θ), θ = theta[to … to + P). */
  eval(t: number, x: Float64Array, theta: Float64Array, to: number, out: Float64Array): void;
  /** out = ∂f/∂x · v + ∂f/∂θ · δθ, δθ = dtheta[dto … dto + P) (the θ term is skipped when dtheta is null). */
  jvp(t: number, x: Float64Array, theta: Float64Array, to: number, v: Float64Array,
    dtheta: Float64Array | null, dto: number, out: Float64Array): void;
  /**
   * outX = w ∂f/∂x (row vector w), and gTheta[go … go + P) += scale · w ∂f/∂θ
   * (skipped when gTheta is null). outX must not alias w.
   */
  vjp(t: number, x: Float64Array, theta: Float64Array, to: number, w: Float64Array,
    outX: Float64Array, gTheta: Float64Array | null, go: number, scale: number): void;
  /**
   * Optional "tape" (see Taped below): `tapeSize` numbers that `evalTaped` records at (x, θ) so
   * that `vjpTaped` at the same (x, θ) need not recompute them (for σ(Kx + b): σ′(z) per row).
   */
  readonly taped?: TapedField;
}

/**
 * The forward pass already computes what the backward pass needs (pre-activations, σ′(z), the
 * stage states of a Runge–Kutta layer); a tape keeps it so the adjoint does not recompute it.
 * Contract: `vjpTaped` (`stepAdjointTaped`) called with the arguments of a recorded
 * `evalTaped` (`stepTaped`) and that record gives EXACTLY the numbers of `vjp` (`stepAdjoint`):
 * the tape holds the same floating-point values the recomputation would produce, so results are
 * bit-identical (test/numeric/schemes/zhang.test.ts checks it). The caller owns the tape and
 * must not reuse a record for other inputs (ZhangNet checks θ and the trajectory).
 */
export interface TapedField {
  /** Numbers one evaluation records. */
  readonly tapeSize: number;
  /** out = f(t, x, θ) as `eval`, and the record into tape[tapeo … tapeo + tapeSize). */
  evalTaped(t: number, x: Float64Array, theta: Float64Array, to: number, out: Float64Array, tape: Float64Array, tapeo: number): void;
  /** `vjp` at the (t, x, θ) of the record at tape[tapeo …). */
  vjpTaped(t: number, x: Float64Array, theta: Float64Array, to: number, w: Float64Array,
    outX: Float64Array, gTheta: Float64Array | null, go: number, scale: number, tape: Float64Array, tapeo: number): void;
}

/** The taped form of a layer (see TapedField): what the adjoint needs, recorded by the forward step. */
export interface TapedScheme {
  readonly tapeSize: number;
  /** out = Φ_h as `step`, recording into tape[tapeo … tapeo + tapeSize). */
  stepTaped(t: number, h: number, x: Float64Array, theta: Float64Array, to: number, out: Float64Array, tape: Float64Array, tapeo: number): void;
  /** `stepAdjoint` at the (t, h, x, θ) of the record at tape[tapeo …). */
  stepAdjointTaped(t: number, h: number, x: Float64Array, theta: Float64Array, to: number,
    pNext: Float64Array, outP: Float64Array, gTheta: Float64Array | null, go: number, tape: Float64Array, tapeo: number): void;
}

/**
 * A separable field on the stacked state y = (x, p) ∈ ℝ^{2n}: ẋ = drift(t, p, θ), ṗ = kick(t, x, θ)
 * (both with the same θ), e.g. a Hamiltonian network with H(x, p) = T(p) + V(x). Störmer–Verlet
 * needs this split (numeric/schemes/verlet.ts); `eval`, `jvp` and `vjp` of the stacked field
 * are the plain ParamField view of the same system (its costate, reference solutions).
 */
export interface SeparableField extends ParamField {
  readonly split: { readonly half: number; readonly drift: ParamField; readonly kick: ParamField };
}

/** One layer of a deep network viewed as a one-step method for dx/dt = f(t, x, θ(t)). */
export interface Scheme {
  /** 'euler', 'heun', 'midpoint', 'rk4', 'ff', … */
  readonly name: string;
  /** Declared order p of the global error against the ODE of `field` (smooth parameters). */
  readonly order: number;
  /** The continuous model this layer discretises (its costate is the continuous adjoint). */
  readonly field: ParamField;
  /** Distinct parameter times within a step, as fractions c_s ∈ [0, 1] of h (see the layout above). */
  readonly stageTimes: readonly number[];
  /** out = Φ_h(t, x; θ_l), θ_l = the S·P stage parameters at theta[to …). */
  step(t: number, h: number, x: Float64Array, theta: Float64Array, to: number, out: Float64Array): void;
  /** out = ∂Φ/∂x δx + ∂Φ/∂θ_l δθ_l, δθ_l = dtheta[dto …) (θ term skipped when dtheta is null). */
  stepTangent(t: number, h: number, x: Float64Array, theta: Float64Array, to: number,
    dx: Float64Array, dtheta: Float64Array | null, dto: number, out: Float64Array): void;
  /**
   * Discrete adjoint of one layer: outP = p⁺ ∂Φ/∂x, and gTheta[go … go + S·P) += p⁺ ∂Φ/∂θ_l
   * (skipped when gTheta is null). Recomputes the layer's internal stages from x.
   */
  stepAdjoint(t: number, h: number, x: Float64Array, theta: Float64Array, to: number,
    pNext: Float64Array, outP: Float64Array, gTheta: Float64Array | null, go: number): void;
  /** Optional taped form (when the field has one): the adjoint reuses the forward's stages. */
  readonly taped?: TapedScheme;
}

/** Number of parameters of one layer (S·P). */
export function layerParamCount(s: Scheme): number {
  return s.stageTimes.length * s.field.paramDim;
}
