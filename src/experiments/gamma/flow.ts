/**
 * Gradient flow on E_n, the training dynamics of Marion et al. (2024) and of C37/C38:
 *
 *   dθ_k/dτ = −η ∂E_n/∂θ_k,   η = 1/(n δ²)   (δ the residual's step),
 *
 * integrated by explicit Euler in the training time τ with a fixed step Δτ. The rate η makes
 * the training time depth-independent: one layer's gradient is O(δ), so the output moves by
 * Σ_k η|∂f/∂θ_k|² ≈ η n δ² = O(1) per unit τ (δ = 1/n: η = n, Marion's scaling; δ = 1/√n:
 * η = 1). Why not trainLevel's L-BFGS: the claim is about gradient flow; a line search picks
 * steps that change with n, so the trained nets at n and 2n would not be the same flow at the
 * same time τ (L-BFGS stays the optimiser of the Γ-experiments, where only the minimiser counts).
 * The value and gradient are the objective's (objective.ts); nothing here allocates per step.
 */
import type { DepthObjective } from './objective.ts';

export interface FlowOptions {
  /** Training time τ reached (default 1). */
  tau?: number;
  /** Euler steps in τ (default 40). */
  steps?: number;
  /** Rate η (default 1/(n δ²), see the module comment; the caller passes it with δ). */
  rate: number;
  /** Called with θ at τ = 0 and after every step (read-only view, valid during the call). */
  onStep?: (theta: Float64Array, step: number) => void;
  /**
   * Negative controls only: rewrite the gradient in place before the step (e.g. a backprop that
   * files layer k's gradient under another layer, or iid per-layer noise).
   */
  corrupt?: (g: Float64Array, step: number) => void;
  /** When given (length S), receives the network outputs at the final θ. */
  outputs?: Float64Array;
}

export interface FlowResult {
  theta: Float64Array;
  /** E_n at τ = 0 and after every step. */
  energy: number[];
}

/** Explicit-Euler gradient flow from θ₀ (not modified). */
export function gradientFlow(ob: DepthObjective, theta0: Float64Array, opts: FlowOptions): FlowResult {
  const tau = opts.tau ?? 1, steps = opts.steps ?? 40;
  if (theta0.length !== ob.size) throw new Error(`gradientFlow: θ₀ has ${theta0.length} numbers, E_${ob.n} needs ${ob.size}`);
  const theta = theta0.slice(), g = new Float64Array(ob.size), dt = (tau / steps) * opts.rate;
  const energy: number[] = [];
  opts.onStep?.(theta, 0);
  for (let s = 0; s < steps; s++) {
    energy.push(ob.fg(theta, g));
    opts.corrupt?.(g, s);
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - dt * g[i]!;
    opts.onStep?.(theta, s + 1);
  }
  // the last energy needs no gradient: a forward pass, which also gives the outputs (the same
  // sums in the same order as fg's value, so the same bits)
  energy.push(ob.parts(theta, opts.outputs).total);
  return { theta, energy };
}
