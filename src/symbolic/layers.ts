/**
 * Layer maps as text, componentwise, from a small spec:
 * - 'ff': the near-identity feedforward layer x⁺ = σ_ε((I + εA(t))x + εβ(t)), σ_ε(z) = z + ε g(z)
 *   elementwise (Ruseckas), g an expression in z or 'generic' (jets g(x), g′(x), …);
 * - 'residual': x⁺ = x + ε·act(A x + b) elementwise, act default tanh(z);
 * - 'map': any user map Φ_ε(x, t), components separated by ';', in x1…xd (or x when d = 1),
 *   the step eps and the time t.
 * A and β: omitted → symbolic (d = 1: a, b; else a11…add, b1…bd); otherwise text with rows
 * separated by ';' and entries by ',' (numbers, symbols, functions of t).
 */
import { UserError } from '../util/errors.ts';
import { freeSymbols, parseExpression } from './parse.ts';
import { texOf, texVector } from './render.ts';
import { polyOf } from './series.ts';

export type LayerKind = 'ff' | 'residual' | 'map';

export interface LayerSpec {
  layer: LayerKind;
  /** Dimension d (1…4); for 'map', the number of components (checked when given). */
  dim?: number;
  /** g(z) for 'ff' ('generic' for jets), the activation act(z) for 'residual'. */
  g?: string;
  A?: string;
  beta?: string;
  /** For 'map': components separated by ';'. */
  map?: string;
}

export interface LayerMap {
  kind: LayerKind;
  d: number;
  stateVars: string[];
  /** Φ_ε components as text in stateVars, 'eps', 't' and parameters; generic g written g(…). */
  components: string[];
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
export const MAX_DIM = 4;

export function stateVarsOf(d: number): string[] {
  return d === 1 ? ['x'] : Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

const isReservedName = (s: string, stateVars: string[]): boolean => s === EPS || stateVars.includes(s) || /^g\d+(_\d+)?$/.test(s);

/** Parse '1,2;3,4' into a d×d array of entry texts (validated expressions in t and constants). */
export function parseMatrix(text: string | undefined, d: number, what: string, stateVars: string[]): string[][] {
  if (text === undefined || text.trim() === '' || text.trim() === 'symbolic') {
    return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (d === 1 ? 'a' : `a${i + 1}${j + 1}`)));
  }
  const rows = text.split(';').map((r) => r.split(',').map((s) => s.trim()));
  if (rows.length !== d || rows.some((r) => r.length !== d)) {
    throw new UserError(`${what}: expected a ${d}×${d} matrix (rows separated by ';', entries by ','), got ${rows.length} row(s) of ${rows.map((r) => r.length).join('/')}`);
  }
  rows.forEach((r, i) => r.forEach((s, j) => checkCoefficient(s, `${what}[${i + 1},${j + 1}]`, stateVars)));
  return rows;
}

/** Parse 'b1; b2' or '1, 2' into d entries. */
export function parseVector(text: string | undefined, d: number, what: string, stateVars: string[]): string[] {
  if (text === undefined || text.trim() === '' || text.trim() === 'symbolic') {
    return Array.from({ length: d }, (_, i) => (d === 1 ? 'b' : `b${i + 1}`));
  }
  const entries = text.split(/[;,]/).map((s) => s.trim());
  if (entries.length !== d) throw new UserError(`${what}: expected ${d} entries, got ${entries.length}`);
  entries.forEach((s, i) => checkCoefficient(s, `${what}[${i + 1}]`, stateVars));
  return entries;
}

function checkCoefficient(s: string, what: string, stateVars: string[]): void {
  const node = parseExpression(s, { what });
  for (const v of freeSymbols(node)) {
    if (isReservedName(v, stateVars)) throw new UserError(`${what}: "${v}" is reserved (coefficients may use t and constants only)`);
  }
}

/** Substitute z := (arg) in an expression of z (textual, on word boundaries). */
function applyZ(g: string, arg: string): string {
  return g.replace(/\bz\b/g, `(${arg})`);
}

/** Build the layer map. Throws UserError on bad dimensions, names or text. */
export function buildLayer(spec: LayerSpec): LayerMap {
  if (spec.layer === 'map') return buildUserMap(spec);
  const d = spec.dim ?? 1;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DIM) throw new UserError(`--dim must be an integer 1…${MAX_DIM}, got ${spec.dim}`);
  const xs = stateVarsOf(d);
  const A = parseMatrix(spec.A, d, '--A', xs);
  const beta = parseVector(spec.beta, d, '--beta', xs);
  const lin = (i: number): string => [...A[i]!.map((a, j) => `(${a})*${xs[j]}`), `(${beta[i]})`].join(' + ');
  let gText = spec.g ?? (spec.layer === 'ff' ? '-gamma*z^3' : 'tanh(z)');
  const generic = gText.trim() === 'generic';
  if (generic && spec.layer !== 'ff') throw new UserError('--g generic is only available for --layer ff (jets at the state x)');
  if (!generic) {
    const node = parseExpression(gText, { what: '--g' });
    for (const v of freeSymbols(node)) {
      if (isReservedName(v, xs) || v === TIME) throw new UserError(`--g: use z as the variable of g; "${v}" is not allowed in g`);
    }
    gText = gText.trim();
  }
  const components = xs.map((x, i) => {
    if (spec.layer === 'ff') {
      const z = `${x} + ${EPS}*(${lin(i)})`;
      return generic ? `(${z}) + ${EPS}*g(${z})` : `(${z}) + ${EPS}*(${applyZ(gText, z)})`;
    }
    return `${x} + ${EPS}*(${applyZ(gText, lin(i))})`;
  });
  const params = collectParams(components, xs);
  const timeDependent = components.some((c) => freeSymbols(parseExpression(c, { functions: ['g'] })).includes(TIME));
  const description = spec.layer === 'ff'
    ? `near-identity FF layer x+ = sigma_eps((I + eps A)x + eps beta), sigma_eps(z) = z + eps g(z), g(z) = ${generic ? 'generic' : gText}, d = ${d}`
    : `residual layer x+ = x + eps ${gText.replace(/\bz\b/g, '(A x + b)')}, d = ${d}`;
  const texE = (e: string): string => texOf(polyOf(parseExpression(e)));
  const texA = d === 1 ? texE(A[0]![0]!) : `\\begin{pmatrix} ${A.map((r) => r.map(texE).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
  const texB = texVector(beta.map(texE));
  const gTeX = generic ? 'g(z)' : texOf(polyOf(parseExpression(gText)));
  const X = d === 1 ? 'x' : '\\mathbf{x}';
  const tex = spec.layer === 'ff'
    ? `${X}^{+} = z + \\varepsilon\\, g(z),\\quad z = (I + \\varepsilon A)${X} + \\varepsilon \\beta${generic ? '\\ (g\\ \\text{generic})' : `,\\quad g(z) = ${gTeX}`},\\quad A = ${texA},\\quad \\beta = ${texB}`
    : `${X}^{+} = ${X} + \\varepsilon\\, \\sigma(A${X} + b),\\quad \\sigma(z) = ${gTeX},\\quad A = ${texA},\\quad b = ${texB}`;
  return { kind: spec.layer, d, stateVars: xs, components, params, timeDependent, generic, description, tex };
}

function collectParams(components: string[], xs: string[]): string[] {
  const s = new Set<string>();
  for (const c of components) for (const v of freeSymbols(parseExpression(c, { functions: ['g'] }))) s.add(v);
  return [...s].filter((v) => !xs.includes(v) && v !== EPS && v !== TIME).sort();
}

function buildUserMap(spec: LayerSpec): LayerMap {
  const text = spec.map ?? '';
  const comps = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (comps.length === 0) throw new UserError('--map: no components (separate components with ";")');
  const d = comps.length;
  if (d > MAX_DIM) throw new UserError(`--map: ${d} components; at most ${MAX_DIM} supported`);
  if (spec.dim !== undefined && spec.dim !== d) throw new UserError(`--map has ${d} component(s) but --dim is ${spec.dim}`);
  const xs = stateVarsOf(d);
  const all = new Set<string>();
  comps.forEach((c, i) => {
    const node = parseExpression(c, { what: `--map component ${i + 1}` });
    for (const v of freeSymbols(node)) all.add(v);
  });
  const other = d === 1 ? [] : ['x', ...Array.from({ length: 8 }, (_, i) => `x${i + 1}`).filter((v) => !xs.includes(v))];
  for (const v of all) {
    if (other.includes(v)) throw new UserError(`--map: state variable "${v}" does not exist for d = ${d} (use ${xs.join(', ')})`);
  }
  if (!all.has(EPS)) throw new UserError(`--map: the map must depend on the step "${EPS}" (e.g. "x + eps*sin(x)")`);
  const components = comps.map((c) => parseExpression(c).toString());
  const X = d === 1 ? 'x' : '\\mathbf{x}';
  const tex = `${X}^{+} = ${texVector(components.map((c) => texOf(polyOf(parseExpression(c)))))}`;
  return {
    kind: 'map', d, stateVars: xs, components, params: collectParams(components, xs),
    timeDependent: all.has(TIME), generic: false, description: `user map x+ = (${comps.join('; ')}), d = ${d}`, tex,
  };
}
