/**
 * Layer maps, componentwise, from a small spec:
 * - 'ff': the near-identity feedforward layer x⁺ = σ_ε((I + εA(t))x + εβ(t)), σ_ε(z) = z + ε g(z)
 *   elementwise (Ruseckas), g an expression in z (and t) or 'generic' (jets g(x), g′(x), …);
 * - 'residual': x⁺ = x + ε·act(A x + b) elementwise, act default tanh(z);
 * - 'map': any user map Φ_ε(x, t), components separated by ';', in x1…xd (or x when d = 1),
 *   the step eps and the time t.
 * A and β: omitted → symbolic (d = 1: a, b; else a11…add, b1…bd; d ≥ 10: a1_1…), otherwise text with rows
 * separated by ';' and entries by ',' (numbers, symbols, functions of t). d is --dim, or the
 * size of A or β when given.
 * The map is built by substituting parsed trees into parsed trees (z := the layer's argument),
 * never by text replacement, and every symbol of every part is classified (names.ts).
 */
import { ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode, type MathNode } from './mathjs.ts';
import { quote, UserError } from '../util/errors.ts';
import { checkTeXNames, classifySymbols, parametersOf, type Role, type SymbolContext } from './names.ts';
import { exprText, freeSymbols, nodeCount, parseExpression, substitute } from './parse.ts';
import { texOf, texVector } from './render.ts';
import { polyOf } from './series.ts';
import { buildRungeKuttaMap, RK_LAYERS, type RungeKuttaKind } from './vector/runge-kutta.ts';

export type LayerKind = 'ff' | 'residual' | 'map' | RungeKuttaKind;

export interface LayerSpec {
  layer: LayerKind;
  /** Dimension d ≥ 1; for 'map', the number of components (checked when given); else inferred from A or β. */
  dim?: number;
  /** g(z) for 'ff' ('generic' for jets), the activation act(z) for 'residual'. */
  g?: string;
  A?: string;
  /** 'ff' only: W = I + εA + ε²B (rows by ';', entries by ','; 'symbolic' for b11…bdd). */
  B?: string;
  beta?: string;
  /** For 'map': components separated by ';'. */
  map?: string;
  /** For 'heun' | 'midpoint' | 'rk4': the field f(x, t) the block steps, components separated by ';'. */
  f?: string;
}

export interface LayerMap {
  kind: LayerKind;
  d: number;
  stateVars: string[];
  /** Φ_ε components as text in stateVars, 'eps', 't' and parameters; generic g written g(…). */
  components: string[];
  /** The same components as validated trees. */
  nodes: MathNode[];
  /** Generic g: the argument z_i of g in component i. */
  genericArgs?: MathNode[];
  /** Parameters (symbolic constants) appearing in the map. */
  params: string[];
  /** Whether the map depends on t explicitly. */
  timeDependent: boolean;
  /** Generic g: jets are g{k} (d = 1) or g{k}_{i}. */
  generic: boolean;
  /** Human-readable description (one line). */
  description: string;
  /** The map in TeX (the layer formula with its A, β and g). */
  tex: string;
}

export const EPS = 'eps';
export const TIME = 't';
/**
 * Largest layer map (expression nodes over all components) derive accepts: the mathjs route
 * of the verification costs about 1 ms per node on 2 cores, so this keeps a derivation under
 * about 20 s; a larger map is refused in one line rather than left to run for minutes.
 */
export const MAX_MAP_NODES = 20_000;

function checkSize(nodes: MathNode[], what: string): void {
  const n = nodes.reduce((s, m) => s + nodeCount(m), 0);
  if (n > MAX_MAP_NODES) throw new UserError(`${what} has ${n} expression nodes; derive accepts at most ${MAX_MAP_NODES} (its verification would take minutes)`);
}

export function stateVarsOf(d: number): string[] {
  return d === 1 ? ['x'] : Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

/** Jet symbols of a generic g (g0, g1_2, …) are the engine's own names. */
const jetReserved = (s: string): string | undefined => (/^g\d+(_\d+)?$/.test(s) ? 'the jets g0, g1, g1_2, … of a generic g' : undefined);

/**
 * The default symbolic entry (i, j) of a d×d matrix named `m`: m11…mdd, and m1_1…md_d when
 * d ≥ 10 (without the underscore a111 would be both entry (1, 11) and entry (11, 1)).
 */
const entryName = (m: string, i: number, j: number, d: number): string => (d < 10 ? `${m}${i + 1}${j + 1}` : `${m}${i + 1}_${j + 1}`);
const defaultA = (d: number): string[][] => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (d === 1 ? 'a' : entryName('a', i, j, d))));
const defaultBeta = (d: number): string[] => Array.from({ length: d }, (_, i) => (d === 1 ? 'b' : `b${i + 1}`));
/** --B symbolic: b11…bdd (d = 1: bb, as b is β). */
const defaultB = (d: number): string[][] => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (d === 1 ? 'bb' : entryName('b', i, j, d))));
const isSymbolic = (text: string | undefined): boolean => text === undefined || text.trim() === '' || text.trim() === 'symbolic';

const coefficientContext = (what: string, reserved: SymbolContext['reserved'] = jetReserved): SymbolContext => ({ what, allows: 'coefficients may depend on t and parameters', t: true, reserved });

/** Parse '1,2;3,4' into a d×d array of entry texts (validated expressions in t and parameters). */
export function parseMatrix(text: string | undefined, d: number, what: string, _stateVars?: string[]): string[][] {
  if (isSymbolic(text)) return defaultA(d);
  const rows = text!.split(';').map((r) => r.split(',').map((s) => s.trim()));
  if (rows.length !== d || rows.some((r) => r.length !== d)) {
    throw new UserError(`${what}: expected a ${d}×${d} matrix (rows separated by ';', entries by ','), got ${rows.length} row(s) of ${rows.map((r) => r.length).join('/')}`);
  }
  rows.forEach((r, i) => r.forEach((s, j) => checkCoefficient(s, `${what}[${i + 1},${j + 1}]`)));
  return rows;
}

/** Parse 'b1; b2' or '1, 2' into d entries. */
export function parseVector(text: string | undefined, d: number, what: string, _stateVars?: string[]): string[] {
  if (isSymbolic(text)) return defaultBeta(d);
  const entries = text!.split(/[;,]/).map((s) => s.trim());
  if (entries.length !== d) throw new UserError(`${what}: expected ${d} entries, got ${entries.length}`);
  entries.forEach((s, i) => checkCoefficient(s, `${what}[${i + 1}]`));
  return entries;
}

function checkCoefficient(s: string, what: string): Map<string, Role> {
  return classifySymbols(parseExpression(s, { what }), s, coefficientContext(what));
}

/**
 * d from --dim (then --A and --beta are checked against it by parseMatrix/parseVector), else
 * from the size of --A or --beta; an A and a β of different sizes are a UserError.
 */
export function layerDimension(spec: LayerSpec): number {
  const sizes: [string, number][] = [];
  if (spec.dim !== undefined) sizes.push(['--dim', spec.dim]);
  else {
    if (!isSymbolic(spec.A)) sizes.push(['--A', spec.A!.split(';').length]);
    if (!isSymbolic(spec.beta)) sizes.push(['--beta', spec.beta!.split(/[;,]/).length]);
  }
  const d = sizes[0]?.[1] ?? 1;
  if (!Number.isInteger(d) || d < 1) throw new UserError(`--dim must be a positive integer, got ${sizes[0]![0] === '--dim' ? d : `${d} (from ${sizes[0]![0]})`}`);
  const other = sizes.find(([, n]) => n !== d);
  if (other) {
    const say = ([w, n]: [string, number]): string => (w === '--dim' ? `--dim is ${n}` : w === '--A' ? `--A has ${n} row(s)` : `--beta has ${n} entries`);
    throw new UserError(`dimensions disagree: ${say(sizes[0]!)} but ${say(other)}`);
  }
  return d;
}

const paren = (m: MathNode): MathNode => new ParenthesisNode(m);
const op = (o: string, fn: string, a: MathNode, b: MathNode): MathNode => new OperatorNode(o as '+', fn as 'add', [a, b]);
const sym = (s: string): MathNode => new SymbolNode(s);

/** Build the layer map. Throws UserError on bad dimensions, names or text. */
export function buildLayer(spec: LayerSpec): LayerMap {
  const m = buildLayerMap(spec);
  // every name of the map (user parameters beside the state x1…xd) must print as its own TeX
  checkTeXNames([...m.stateVars, ...new Set(m.nodes.flatMap((n) => freeSymbols(n)))], m.kind === 'map' ? '--map' : 'the layer');
  return m;
}

function buildLayerMap(spec: LayerSpec): LayerMap {
  if (spec.layer === 'map') return buildUserMap(spec);
  if ((RK_LAYERS as readonly string[]).includes(spec.layer)) {
    const rk = buildRungeKuttaMap(spec.layer as RungeKuttaKind, spec.f, spec.dim, stateVarsOf, jetReserved);
    checkSize(rk.nodes, 'the block map');
    return { kind: spec.layer, d: rk.d, stateVars: rk.stateVars, components: rk.nodes.map(exprText), nodes: rk.nodes, params: rk.params, timeDependent: rk.timeDependent, generic: false, description: rk.description, tex: rk.tex };
  }
  const d = layerDimension(spec);
  const xs = stateVarsOf(d);
  const A = parseMatrix(spec.A, d, '--A');
  const beta = parseVector(spec.beta, d, '--beta');
  const roles = new Map<string, Role>();
  const note = (m: Map<string, Role>): void => { for (const [s, r] of m) roles.set(s, r); };
  // The default symbolic entries are the engine's names: the same name written in another part
  // (b1 in --A, a11 in --beta or g) would silently be the same symbol, so it is refused.
  const owner = new Map<string, string>([
    ...(isSymbolic(spec.A) ? defaultA(d).flat().map((s): [string, string] => [s, 'A']) : []),
    ...(isSymbolic(spec.beta) ? defaultBeta(d).map((s): [string, string] => [s, 'beta']) : []),
    ...(spec.B !== undefined && isSymbolic(spec.B) ? defaultB(d).flat().map((s): [string, string] => [s, 'B']) : []),
  ]);
  const reservedIn = (part: string) => (s: string): string | undefined => jetReserved(s) ?? (owner.has(s) && owner.get(s) !== part
    ? `the default symbolic entry of ${owner.get(s)}; give --${owner.get(s)} to use it as your own parameter` : undefined);
  const An = A.map((r, i) => r.map((s, j) => {
    const n = parseExpression(s, { what: `--A[${i + 1},${j + 1}]` });
    note(classifySymbols(n, s, coefficientContext('--A', reservedIn('A'))));
    return n;
  }));
  if (spec.B !== undefined && spec.layer !== 'ff') throw new UserError('--B (W = I + eps A + eps^2 B) applies to --layer ff only');
  const Bn = spec.B === undefined ? undefined : parseMatrixB(spec.B, d).map((r, i) => r.map((s, j) => {
    const n = parseExpression(s, { what: `--B[${i + 1},${j + 1}]` });
    note(classifySymbols(n, s, coefficientContext('--B', reservedIn('B'))));
    return n;
  }));
  const betaN = beta.map((s, i) => {
    const n = parseExpression(s, { what: `--beta[${i + 1}]` });
    note(classifySymbols(n, s, coefficientContext('--beta', reservedIn('beta'))));
    return n;
  });
  // lin_i = Σ_j A_ij x_j + β_i
  const lin = (i: number): MathNode => [...An[i]!.map((a, j) => op('*', 'multiply', paren(a), sym(xs[j]!))), paren(betaN[i]!)]
    .reduce((acc, t) => op('+', 'add', acc, t));
  const gText = (spec.g ?? (spec.layer === 'ff' ? '-gamma*z^3' : 'tanh(z)')).trim();
  const generic = gText === 'generic';
  if (generic && spec.layer !== 'ff') throw new UserError('--g generic is only available for --layer ff (jets at the state x)');
  let gNode: MathNode | undefined;
  if (!generic) {
    const what = spec.layer === 'ff' ? '--g' : '--g (the activation)';
    gNode = parseExpression(gText, { what });
    note(classifySymbols(gNode, gText, {
      what, allows: `${spec.layer === 'ff' ? 'g' : 'the activation'} is a function of z (and t) with parameters`, z: true, t: true,
      reserved: reservedIn('g'),
    }));
  }
  const genericArgs: MathNode[] = [];
  const nodes = xs.map((x, i) => {
    const withG = (arg: MathNode): MathNode => substitute(gNode!, new Map([['z', arg]]));
    if (spec.layer === 'ff') {
      let z = op('+', 'add', sym(x), op('*', 'multiply', sym(EPS), paren(lin(i))));
      if (Bn) {
        // + ε² (B x)_i
        const bx = Bn[i]!.map((b, j) => op('*', 'multiply', paren(b), sym(xs[j]!))).reduce((acc, t) => op('+', 'add', acc, t));
        z = op('+', 'add', z, op('*', 'multiply', op('^', 'pow', sym(EPS), new ConstantNode(2)), paren(bx)));
      }
      if (generic) genericArgs.push(z);
      const gz = generic ? new FunctionNode(sym('g'), [z]) : withG(z);
      return op('+', 'add', paren(z), op('*', 'multiply', sym(EPS), paren(gz)));
    }
    return op('+', 'add', sym(x), op('*', 'multiply', sym(EPS), paren(withG(lin(i)))));
  });
  checkSize(nodes, 'the layer map');
  const components = nodes.map(exprText);
  for (const n of nodes) if (freeSymbols(n).includes('z')) throw new Error(`layer map still contains z: ${exprText(n)}`);
  const params = parametersOf(roles);
  const timeDependent = [...roles.values()].includes('t');
  const description = spec.layer === 'ff'
    ? `near-identity FF layer x+ = sigma_eps((I + eps A${Bn ? ' + eps^2 B' : ''})x + eps beta), sigma_eps(z) = z + eps g(z), g(z) = ${generic ? 'generic' : gText}, d = ${d}`
    : `residual layer x+ = x + eps act(A x + b), act(z) = ${gText}, d = ${d}`;
  const texN = (n: MathNode): string => texOf(polyOf(n));
  const texA = d === 1 ? texN(An[0]![0]!) : `\\begin{pmatrix} ${An.map((r) => r.map(texN).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
  const texB = texVector(betaN.map(texN));
  const gTeX = generic ? 'g(z)' : texN(gNode!);
  const X = d === 1 ? 'x' : '\\mathbf{x}';
  const tex = spec.layer === 'ff'
    ? `${X}^{+} = z + \\varepsilon\\, g(z),\\quad z = (I + \\varepsilon A${Bn ? ' + \\varepsilon^{2} B' : ''})${X} + \\varepsilon \\beta${generic ? '\\ (g\\ \\text{generic})' : `,\\quad g(z) = ${gTeX}`},\\quad A = ${texA},\\quad \\beta = ${texB}`
    : `${X}^{+} = ${X} + \\varepsilon\\, \\sigma(A${X} + b),\\quad \\sigma(z) = ${gTeX},\\quad A = ${texA},\\quad b = ${texB}`;
  const texWithB = Bn ? `${tex},\\quad B = ${d === 1 ? texN(Bn[0]![0]!) : `\\begin{pmatrix} ${Bn.map((r) => r.map(texN).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`}` : tex;
  return {
    kind: spec.layer, d, stateVars: xs, components, nodes, ...(generic ? { genericArgs } : {}),
    params, timeDependent, generic, description, tex: texWithB,
  };
}

/** --B: a d×d matrix; 'symbolic' gives the entries b11…bdd (d = 1: bb, as b is β). */
export function parseMatrixB(text: string, d: number): string[][] {
  if (isSymbolic(text)) return defaultB(d);
  return parseMatrix(text, d, '--B');
}

function buildUserMap(spec: LayerSpec): LayerMap {
  const text = spec.map ?? '';
  const comps = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (comps.length === 0) throw new UserError('--map: no components (separate components with ";")');
  const d = comps.length;
  if (spec.dim !== undefined && spec.dim !== d) throw new UserError(`--map has ${d} component(s) but --dim is ${spec.dim}`);
  const xs = stateVarsOf(d);
  const roles = new Map<string, Role>();
  const nodes = comps.map((c, i) => {
    const what = `--map component ${i + 1}`;
    const node = parseExpression(c, { what });
    for (const [s, r] of classifySymbols(node, c, {
      what, allows: `the map is written in ${xs.join(', ')}, eps, t and parameters`, state: xs, t: true, eps: true, reserved: jetReserved,
    })) roles.set(s, r);
    return node;
  });
  if (!roles.has(EPS)) throw new UserError(`--map: the map must depend on the step "${EPS}" (e.g. "x + eps*sin(x)"), got ${quote(text)}`);
  checkSize(nodes, '--map');
  const components = nodes.map(exprText);
  const X = d === 1 ? 'x' : '\\mathbf{x}';
  const tex = `${X}^{+} = ${texVector(nodes.map((n) => texOf(polyOf(n))))}`;
  return {
    kind: 'map', d, stateVars: xs, components, nodes, params: parametersOf(roles),
    timeDependent: roles.has(TIME), generic: false, description: `user map x+ = (${comps.join('; ')}), d = ${d}`, tex,
  };
}
