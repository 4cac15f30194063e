/**
 * Activation functions as (σ, σ′) pairs of scalar functions: pluggable into every scheme
 * (ResNet σ(Kx + b), the near-identity FF layer's g) and into the costate's Jacobians.
 */
import { quote, UserError } from '../util/errors.ts';

export interface Activation {
  name: string;
  /** σ(z) */
  sigma(z: number): number;
  /** σ′(z) */
  dsigma(z: number): number;
  /** TeX of σ(z) */
  tex: string;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  tanh: {
    name: 'tanh', tex: '\\tanh z',
    sigma: Math.tanh,
    dsigma: (z) => { const c = Math.cosh(z); return Number.isFinite(c) ? 1 / (c * c) : 0; },
  },
  /** Smooth ReLU: softplus log(1 + eᶻ), σ′ = logistic. */
  softplus: { name: 'softplus', tex: '\\log(1 + e^{z})', sigma: softplus, dsigma: logistic },
  /** Ruseckas' cubic nonlinearity g(z) = −z³/3 (the small-signal tanh, slide 14). */
  cubic: { name: 'cubic', tex: '-z^3/3', sigma: (z) => -(z * z * z) / 3, dsigma: (z) => -z * z },
  /** The identity (linear networks: closed forms for tests and the Gaussian entropy case). */
  identity: { name: 'identity', tex: 'z', sigma: (z) => z, dsigma: () => 1 },
};

/** The activation called `name`, else a UserError listing the known ones. */
export function getActivation(name: string): Activation {
  // own keys only: 'constructor' or '__proto__' must not find Object.prototype's members
  const a = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (!a) throw new UserError(`unknown activation ${quote(name)} (known: ${Object.keys(ACTIVATIONS).join(', ')})`);
  return a;
}

/** An activation from compiled scalar functions (e.g. g and g′ from the symbolic layer). */
export function customActivation(name: string, sigma: (z: number) => number, dsigma: (z: number) => number, tex = name): Activation {
  return { name, sigma, dsigma, tex };
}
