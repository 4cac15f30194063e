/**
 * The layer spec a researcher writes, checked once for the API and the CLI alike (`derive`
 * and `depthlimit derive` accept the same fields with the same errors). Light: no engine here.
 */
import type { LayerKind, LayerSpec } from '../symbolic/layers.ts';
import { quote, UserError } from '../util/errors.ts';

/** A layer as text: the fields of `depthlimit derive`. */
export interface DeriveSpec {
  /** 'ff' (default; Ruseckas' near-identity layer), 'residual' (x + ε act(Ax + b)) or 'map' (implied by `map`). */
  layer?: LayerKind;
  /** g(z) of the FF layer ('generic' for jets g, g′, …), or the residual activation act(z). */
  g?: string;
  /** Dimension d ≥ 1 (for a map: checked against its component count). */
  dim?: number;
  /** Matrix A: rows separated by ';', entries by ','; numbers, symbols, functions of t. Default symbolic a11… */
  A?: string;
  /** FF only: W = I + εA + ε²B; rows by ';', entries by ','; 'symbolic' for b11… (d = 1: bb). */
  B?: string;
  /** Vector β: entries separated by ';' or ','. Default symbolic b1… */
  beta?: string;
  /** A layer map Φ_ε, components separated by ';', in x1…xd (x when d = 1), eps and t. */
  map?: string;
  /** For layer 'heun', 'midpoint' or 'rk4': the field f(x, t) one step of the block applies, components separated by ';'. */
  f?: string;
}

const KEYS = ['layer', 'g', 'dim', 'A', 'B', 'beta', 'map', 'f'] as const;

/** Own enumerable keys not in `allowed`: a UserError naming them (catches typos such as `gama`). */
export function checkKeys(obj: object, allowed: readonly string[], what: string): void {
  const bad = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (bad.length) throw new UserError(`${what}: unknown field${bad.length > 1 ? 's' : ''} ${bad.map((k) => `'${k}'`).join(', ')} (known: ${allowed.join(', ')})`);
}

/** Validate a DeriveSpec and resolve its layer kind. UserError on anything ambiguous. */
export function layerSpecOf(spec: DeriveSpec): LayerSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new UserError('the layer must be an object such as { layer: "ff", g: "tanh(z)", dim: 2 } or { map: "x + eps*sin(x)" }');
  }
  checkKeys(spec, KEYS, 'layer');
  for (const k of ['layer', 'g', 'A', 'B', 'beta', 'map', 'f'] as const) {
    if (spec[k] !== undefined && typeof spec[k] !== 'string') throw new UserError(`--${k} must be text, got ${typeof spec[k]}`);
  }
  const layerName = spec.layer ?? 'ff';
  if (!['ff', 'residual', 'map', 'heun', 'midpoint', 'rk4'].includes(layerName)) throw new UserError(`--layer must be ff, residual, map, heun, midpoint or rk4, got ${quote(layerName)}`);
  const rk = ['heun', 'midpoint', 'rk4'].includes(layerName);
  if (rk && (spec.map !== undefined || spec.g !== undefined || spec.A !== undefined || spec.B !== undefined || spec.beta !== undefined)) {
    throw new UserError(`--layer ${layerName} steps the field --f; --map/--g/--A/--B/--beta do not apply`);
  }
  if (spec.f !== undefined && !rk) throw new UserError('--f (the field of a Runge-Kutta block) needs --layer heun, midpoint or rk4');
  if (spec.map !== undefined && layerName === 'residual') throw new UserError('--map cannot be combined with --layer residual');
  // a map implies layer 'map' (a default 'ff' cannot be told apart from an explicit one)
  const layer: LayerKind = spec.map !== undefined ? 'map' : layerName;
  if (layer === 'map' && spec.map === undefined) throw new UserError('--layer map needs --map "component1; component2; ..."');
  if (layer === 'map' && (spec.g !== undefined || spec.A !== undefined || spec.beta !== undefined || spec.B !== undefined)) {
    throw new UserError('--g/--A/--B/--beta do not apply to --layer map (write them into --map)');
  }
  if (spec.B !== undefined && layer !== 'ff') throw new UserError('--B (W = I + eps A + eps^2 B) applies to --layer ff only');
  if (spec.dim !== undefined && !(Number.isInteger(spec.dim) && spec.dim >= 1)) throw new UserError(`--dim must be a positive integer, got ${spec.dim}`);
  return {
    layer,
    ...(spec.dim !== undefined ? { dim: spec.dim } : {}),
    ...(spec.g !== undefined ? { g: spec.g } : {}),
    ...(spec.A !== undefined ? { A: spec.A } : {}),
    ...(spec.B !== undefined ? { B: spec.B } : {}),
    ...(spec.beta !== undefined ? { beta: spec.beta } : {}),
    ...(spec.map !== undefined ? { map: spec.map } : {}),
    ...(spec.f !== undefined ? { f: spec.f } : {}),
  };
}
