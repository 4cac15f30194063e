/**
 * Every symbol of a parsed expression gets one role, wherever it occurs in the tree: a state
 * variable (x or x1…xd), the activation variable z of g, the time t, the step eps, a constant
 * (pi, e), or a parameter (declared, or inferred as "everything else"). A symbol that fits no
 * role of its context, or that reads two ways, is refused with the reason, never guessed:
 *   - a role the context does not have (x in g, z in a map, eps in A);
 *   - a state variable that does not exist for this d (x3 when d = 2, x1 when d = 1);
 *   - a juxtaposition of role names that mathjs reads as one parameter (zt, xz, epsx, x1x2),
 *     or a role name with digits that reads as a product or power (z2, eps2, pi2);
 *   - epsilon, which looks like the step but is not it;
 *   - names reserved by the context (jets g0, g1_2; costate a1, x1dot; default A/β entries).
 */
import type { MathNode } from './mathjs.ts';
import { quote, UserError } from '../util/errors.ts';
import { freeSymbols, isConstantName } from './parse.ts';
import { symbolTeX } from './render.ts';

export type Role = 'state' | 'z' | 't' | 'eps' | 'constant' | 'parameter';

export interface SymbolContext {
  /** What the text is, for messages ('--g', '--map component 2'). */
  what: string;
  /** What the expression may depend on, for messages ('g is a function of z and t'). */
  allows: string;
  /** State variables of this d (x, or x1…xd); empty when states are not allowed. */
  state?: readonly string[];
  z?: boolean;
  t?: boolean;
  eps?: boolean;
  /** When given, the only parameters allowed (others refused); otherwise inferred. */
  params?: readonly string[];
  /** Names reserved in this context: the reason, or undefined when the name is free. */
  reserved?: (name: string) => string | undefined;
}

/** Role names that juxtapose into an ambiguous symbol. */
const WORDS = ['eps', 'pi', 'x', 'z', 't', 'e'];

/**
 * How a name splits into two or more of `words` (and, with `digits`, runs of digits after the
 * first word), e.g. zt → z, t; xy → x, y; undefined when it does not.
 */
export function splitName(name: string, words: readonly string[], digits = false): string[] | undefined {
  const split = (i: number): string[] | undefined => {
    if (i === name.length) return [];
    const run = digits && i > 0 ? /^\d+/.exec(name.slice(i)) : null;
    if (run) {
      const rest = split(i + run[0].length);
      if (rest) return [run[0], ...rest];
    }
    for (const w of words) {
      if (w !== '' && name.startsWith(w, i)) {
        const rest = split(i + w.length);
        if (rest) return [w, ...rest];
      }
    }
    return undefined;
  };
  const parts = split(0);
  return parts && parts.length >= 2 ? parts : undefined;
}

/**
 * How a name splits into role names and digits (e.g. zt → z·t, z2 → z·2), if it reads as a
 * product; undefined otherwise. t0 and e1 are common parameter names and read one way.
 */
export function juxtaposition(name: string): string[] | undefined {
  return /^(t|e)\d+$/.test(name) ? undefined : splitName(name, WORDS, true);
}

/**
 * The role of every free symbol of `node` (parsed from `text`) in context `ctx`.
 * Throws UserError (one line, the reason) for a symbol that has no role or reads two ways.
 */
export function classifySymbols(node: MathNode, text: string, ctx: SymbolContext): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const s of freeSymbols(node)) roles.set(s, roleOf(s, text, ctx));
  return roles;
}

function roleOf(s: string, text: string, ctx: SymbolContext): Role {
  const where = `${ctx.what}: ${quote(s)} in ${quote(text)}`;
  if (isConstantName(s)) return 'constant';
  const reserved = ctx.reserved?.(s);
  if (reserved !== undefined) throw new UserError(`${where} is reserved (${reserved})`);
  if (s === 'z') {
    if (ctx.z) return 'z';
    throw new UserError(`${where}: z is the variable of g, which does not appear here (${ctx.allows})`);
  }
  if (s === 't') {
    if (ctx.t) return 't';
    throw new UserError(`${where}: t is the time, which does not appear here (${ctx.allows})`);
  }
  if (s === 'eps') {
    if (ctx.eps) return 'eps';
    throw new UserError(`${where}: eps is the step of the layer map, which does not appear here (${ctx.allows})`);
  }
  const state = ctx.state ?? [];
  if (/^x\d*$/.test(s)) {
    if (state.includes(s)) return 'state';
    if (state.length === 0) throw new UserError(`${where} is a state variable, which does not appear here (${ctx.allows})`);
    throw new UserError(`${where} is not a state variable for d = ${state.length} (use ${state.join(', ')})`);
  }
  if (ctx.params?.includes(s)) return 'parameter';
  if (s === 'epsilon') throw new UserError(`${where} looks like the step but is not it: the step is written eps (rename the parameter otherwise)`);
  const parts = juxtaposition(s);
  if (parts) {
    throw new UserError(`${where} reads two ways: as ${parts.join('*')} or as one parameter named ${s}; write ${parts.join('*')} (or a power with ^), or name the parameter with an underscore (${parts[0]}_${s.slice(parts[0]!.length)})`);
  }
  if (ctx.params) throw new UserError(`${where} is not declared (${ctx.allows}; parameters: ${ctx.params.join(', ') || 'none'})`);
  return 'parameter';
}

/** The parameters of a classification, sorted. */
export function parametersOf(roles: ReadonlyMap<string, Role>): string[] {
  return [...roles].filter(([, r]) => r === 'parameter').map(([s]) => s).sort();
}

/**
 * Two names that print as the same TeX (x1 and x_1 are both x_{1}, alpha1 and alpha_1 both
 * α_{1}) would make the TeX of a result read as another formula: refused, naming both.
 */
export function checkTeXNames(names: Iterable<string>, what: string): void {
  const seen = new Map<string, string>();
  for (const s of names) {
    const tex = symbolTeX(s);
    const other = seen.get(tex);
    if (other !== undefined && other !== s) throw new UserError(`${what}: ${quote(other)} and ${quote(s)} both print as ${tex} in TeX; rename one of them`);
    seen.set(tex, s);
  }
}
