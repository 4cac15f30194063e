/**
 * Rendering polynomials for people: plain text with jets shown as g(x), g'(x), and KaTeX-clean
 * TeX (reciprocal hyperbolic/trigonometric powers printed as sech/csch/sec/csc, negative powers
 * of symbols and sums as fractions).
 */
import * as P from './poly.ts';
import { absR, isIntegerR, mulR, negR, rat, ratText, signR } from './rational.ts';

/** Greek letter names KaTeX knows as \name (lower and upper case). */
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'varpi', 'rho', 'varrho', 'sigma', 'varsigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);

const JET = /^g(\d+)(?:_(\d+))?$/;

/** Text name of a symbol: jets become g(x1), g'(x1), g''(x1), g^(4)(x1). */
export function symbolText(name: string): string {
  const m = JET.exec(name);
  if (!m) return name;
  const k = Number(m[1]);
  const at = m[2] ? `x${m[2]}` : 'x';
  return `g${k <= 3 ? "'".repeat(k) : `^(${k})`}(${at})`;
}

/** TeX of one name part: Greek letters as \alpha, one letter as itself, digits, else \mathrm{…}. */
function partTeX(s: string): string {
  if (s === 'eps') return '\\varepsilon';
  if (GREEK.has(s)) return `\\${s}`;
  return s.length === 1 || /^\d+$/.test(s) ? s : `\\mathrm{${s}}`;
}

/**
 * TeX of a symbol, for every name the identifier rule admits (letters and digits, parts joined
 * by single underscores): a12 ↦ a_{12}, beta1 ↦ \beta_{1}, x_max ↦ x_{\mathrm{max}},
 * alpha_1_k ↦ \alpha_{1,k}, eps ↦ \varepsilon, pi ↦ \pi, x1dot ↦ \dot{x}_{1}, jets ↦ g'(x_{1}).
 * Any other character is escaped (\text{…} would not be math); the parser refuses such names.
 */
export function symbolTeX(name: string): string {
  const m = JET.exec(name);
  if (m) {
    const k = Number(m[1]);
    const at = m[2] ? `x_{${m[2]}}` : 'x';
    return `g${k <= 3 ? "'".repeat(k) : `^{(${k})}`}(${at})`;
  }
  if (!/^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/.test(name)) return `\\mathrm{${name.replace(/[^A-Za-z0-9]/g, (c) => `\\char${c.codePointAt(0)}`)}}`;
  const dotted = /^([A-Za-z]+?)(\d*)dot$/.exec(name);
  if (dotted && name.length > 3) {
    const body = `\\dot{${partTeX(dotted[1]!)}}`;
    return dotted[2] ? `${body}_{${dotted[2]}}` : body;
  }
  const [head, ...rest] = name.split('_') as [string, ...string[]];
  const hm = /^([A-Za-z]+?)(\d+)$/.exec(head);
  const base = hm ? hm[1]! : head;
  const subs = [...(hm ? [hm[2]!] : []), ...rest].map(partTeX);
  const b = partTeX(base);
  return subs.length ? `${b}_{${subs.join(',')}}` : b;
}

/** Plain text of a polynomial with readable jets. */
export function prettyText(p: P.Poly): string {
  return P.polyText(p).replace(/\bg(\d+)(?:_(\d+))?\b/g, (m) => symbolText(m));
}

const RECIP: ReadonlyMap<string, string> = new Map([['cosh', '\\operatorname{sech}'], ['sinh', '\\operatorname{csch}'], ['cos', '\\sec'], ['sin', '\\csc']]);
const FN_TEX: ReadonlyMap<string, string> = new Map([
  ['sin', '\\sin'], ['cos', '\\cos'], ['tan', '\\tan'], ['sinh', '\\sinh'], ['cosh', '\\cosh'], ['tanh', '\\tanh'], ['exp', '\\exp'], ['log', '\\log'],
  ['atan', '\\arctan'], ['asin', '\\arcsin'], ['acos', '\\arccos'], ['erf', '\\operatorname{erf}'],
  ['sigmoid', '\\operatorname{sigmoid}'], ['softplus', '\\operatorname{softplus}'],
]);

function wrap(tex: string): string { return `\\left(${tex}\\right)`; }

/**
 * TeX of one factor a^e with e > 0 (the caller moves negative powers to a denominator; for a
 * pow atom w^p with p < 0 it passes flip, and the factor is printed as w^{−p}).
 */
function factorTeX(a: P.Atom, e: number, recip = false, flip = false): string {
  const pow = (base: string): string => (e === 1 ? base : `${base}^{${e}}`);
  if (a.fn === 'sym') return pow(symbolTeX(a.name));
  const arg = texOf(a.arg!);
  if (a.fn === 'inv') return pow(wrap(arg));
  if (a.fn === 'pow') {
    const p = flip ? negR(a.p!) : a.p!;
    if (ratText(p) === '1/2') return pow(`\\sqrt{${arg}}`);
    // A lone symbol or number needs no \\left( \\right).
    const base = /^(\\[A-Za-z]+|[A-Za-z0-9]+)(_\{[^{}]*\})?$/.test(arg) ? `{${arg}}` : wrap(arg);
    return `${base}^{${ratText(mulR(p, rat(e)))}}`;
  }
  const name = recip ? RECIP.get(a.fn)! : FN_TEX.get(a.fn) ?? `\\operatorname{${a.fn}}`;
  return e === 1 ? `${name}${wrap(arg)}` : `${name}^{${e}}${wrap(arg)}`;
}

/** KaTeX-clean TeX of a polynomial. */
export function texOf(p: P.Poly): string {
  if (P.isZero(p)) return '0';
  const parts: string[] = [];
  for (const t of P.sortedTerms(p)) {
    const num: string[] = [], den: string[] = [];
    for (const [a, e] of P.sortedFactors(t.m)) {
      // inv(w)^e is 1/w^e: its base w goes below the fraction bar for e > 0 (and above for e < 0).
      if (a.fn === 'inv') (e > 0 ? den : num).push(factorTeX(a, Math.abs(e)));
      else if (a.fn === 'pow' && signR(a.p!) < 0) (e > 0 ? den : num).push(factorTeX(a, Math.abs(e), false, true));
      else if (e > 0) num.push(factorTeX(a, e));
      else if (a.fn !== 'sym' && RECIP.has(a.fn)) num.push(factorTeX(a, -e, true));
      else den.push(factorTeX(a, -e));
    }
    const negative = signR(t.c) < 0;
    const c = absR(t.c);
    const cn = `${c[0]}`, cd = `${c[1]}`;
    const numTeX = num.join(' ');
    const denTeX = den.join(' ');
    let body: string;
    if (isIntegerR(c) && den.length === 0) body = cn === '1' && numTeX ? numTeX : `${cn}${numTeX ? ' ' + numTeX : ''}`;
    else {
      const top = cn;
      const bottom = [cd === '1' ? '' : cd, denTeX].filter(Boolean).join(' ');
      body = `\\frac{${top}}{${bottom}}${numTeX ? ' ' + numTeX : ''}`;
    }
    parts.push(parts.length === 0 ? (negative ? `-${body}` : body) : negative ? ` - ${body}` : ` + ${body}`);
  }
  return parts.join('');
}

/** A column vector in TeX. */
export function texVector(entries: string[]): string {
  return entries.length === 1 ? entries[0]! : `\\begin{pmatrix} ${entries.join(' \\\\ ')} \\end{pmatrix}`;
}
