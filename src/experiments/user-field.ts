/**
 * A researcher's vector field dx/dt = F(x, t; θ), given as text componentwise, compiled into the
 * schemes' ParamField (numeric/schemes/types.ts) so every scheme, its discrete adjoint and the
 * continuous costate run on it. The Jacobians ∂F/∂x and ∂F/∂θ are exact (differentiated in
 * the polynomial algebra, symbolic/poly.ts) and compiled to straight-line JS once.
 *
 * Symbols: the state x1…xd (x when d = 1), the time t, the trainable parameters θ (`params`,
 * read from the parameter array at run time) and named constants (values fixed at compile
 * time). Any other symbol is a UserError, as is a constant that is also a parameter.
 */
import type { ParamField } from '../numeric/schemes/types.ts';
import { compilePolys } from '../symbolic/poly-compile.ts';
import { stateVarsOf } from '../symbolic/layers.ts';
import { parseExpression } from '../symbolic/parse.ts';
import * as P from '../symbolic/poly.ts';
import { polyOf } from '../symbolic/series.ts';
import { UserError } from '../util/errors.ts';

export interface UserField {
  field: ParamField;
  d: number;
  stateVars: string[];
  /** θ in the order of the parameter array. */
  params: string[];
  /** F as text (as given, trimmed). */
  components: string[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Compile F(x, t; θ). UserError on bad text, unknown symbols or bad names/values. */
export function userField(components: readonly string[], opts: { params?: readonly string[]; constants?: Record<string, number>; what?: string } = {}): UserField {
  const what = opts.what ?? 'field';
  const comps = components.map((c) => c.trim());
  const d = comps.length;
  if (d === 0 || comps.some((c) => c === '')) throw new UserError(`${what}: empty component (separate components with ";")`);
  const xs = stateVarsOf(d);
  const params = [...(opts.params ?? [])];
  const constants = opts.constants ?? {};
  const constNames = Object.keys(constants);
  for (const q of params) {
    if (!NAME.test(q)) throw new UserError(`${what}: parameter name '${q}' is not a name`);
    if (xs.includes(q) || q === 't' || q === 'eps') throw new UserError(`${what}: parameter '${q}' is a state or time variable`);
    if (Object.hasOwn(constants, q)) throw new UserError(`${what}: '${q}' is given both as a parameter and as a constant`);
  }
  if (new Set(params).size !== params.length) throw new UserError(`${what}: a parameter is listed twice (${params.join(', ')})`);
  for (const k of constNames) {
    if (!NAME.test(k)) throw new UserError(`${what}: constant name '${k}' is not a name`);
    if (xs.includes(k) || k === 't' || k === 'eps') throw new UserError(`${what}: constant '${k}' clashes with a variable (${xs.join(', ')}, t)`);
    if (!Number.isFinite(constants[k])) throw new UserError(`${what}: constant ${k} is not finite (${constants[k]})`);
  }
  const vars = [...xs, 't', ...params, ...constNames];
  const F = comps.map((c, i) => polyOf(parseExpression(c, { symbols: vars, what: `${what} component ${i + 1}` })));
  const Fc = compilePolys(F, vars);
  const Jx = compilePolys(F.flatMap((Fi) => xs.map((x) => P.d(Fi, x))), vars);
  const Jq = compilePolys(F.flatMap((Fi) => params.map((q) => P.d(Fi, q))), vars);

  const NP = params.length, off = d + 1;
  const args = new Float64Array(vars.length);
  constNames.forEach((k, i) => { args[off + NP + i] = constants[k]!; });
  const jx = new Float64Array(d * d), jq = new Float64Array(d * NP);
  const load = (t: number, x: Float64Array, th: Float64Array, to: number): void => {
    for (let i = 0; i < d; i++) args[i] = x[i]!;
    args[d] = t;
    for (let k = 0; k < NP; k++) args[off + k] = th[to + k]!;
  };
  const field: ParamField = {
    name: `field(${comps.join('; ')})`, dim: d, paramDim: NP,
    eval(t, x, th, to, out) { load(t, x, th, to); Fc(args, out); },
    jvp(t, x, th, to, v, dth, dto, out) {
      load(t, x, th, to);
      Jx(args, jx);
      if (dth && NP) Jq(args, jq);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += jx[i * d + j]! * v[j]!;
        if (dth) for (let k = 0; k < NP; k++) s += jq[i * NP + k]! * dth[dto + k]!;
        out[i] = s;
      }
    },
    vjp(t, x, th, to, w, outX, g, go, scale) {
      load(t, x, th, to);
      Jx(args, jx);
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += w[i]! * jx[i * d + j]!;
        outX[j] = s;
      }
      if (g && NP) {
        Jq(args, jq);
        for (let k = 0; k < NP; k++) {
          let s = 0;
          for (let i = 0; i < d; i++) s += w[i]! * jq[i * NP + k]!;
          g[go + k] = g[go + k]! + scale * s;
        }
      }
    },
  };
  return { field, d, stateVars: xs, params, components: comps };
}
