/**
 * Rendering polynomials for people: plain text with jets shown as g(x), g'(x), and KaTeX-clean
 * TeX (reciprocal hyperbolic/trigonometric powers printed as sech/csch/sec/csc, negative powers
 * of symbols and sums as fractions).
 */
import * as P from './poly.ts';
import { ratText } from './rational.ts';

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'zeta', 'eta', 'theta', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega',
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

/** TeX of a symbol: a12 ↦ a_{12}, beta1 ↦ \beta_{1}, eps ↦ \varepsilon, jets ↦ g'(x_{1}). */
export function symbolTeX(name: string): string {
  const m = JET.exec(name);
  if (m) {
    const k = Number(m[1]);
    const at = m[2] ? `x_{${m[2]}}` : 'x';
    return `g${k <= 3 ? "'".repeat(k) : `^{(${k})}`}(${at})`;
  }
  if (name === 'eps') return '\\varepsilon';
  const dotted = /^(\w+?)dot$/.exec(name);
  if (dotted) return `\\dot{${symbolTeX(dotted[1]!)}}`;
  const s = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  const base = s ? s[1]! : name;
  const sub = s ? s[2]! : '';
  const b = GREEK.has(base) ? `\\${base}` : base.length > 1 ? `\\mathrm{${base}}` : base;
  return sub ? `${b}_{${sub}}` : b;
}

/** Plain text of a polynomial with readable jets. */
export function prettyText(p: P.Poly): string {
  return P.polyText(p).replace(/\bg(\d+)(?:_(\d+))?\b/g, (m) => symbolText(m));
}

const RECIP: Record<string, string> = { cosh: '\\operatorname{sech}', sinh: '\\operatorname{csch}', cos: '\\sec', sin: '\\csc' };
const FN_TEX: Record<string, string> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', sinh: '\\sinh', cosh: '\\cosh', tanh: '\\tanh', exp: '\\exp', log: '\\log',
  atan: '\\arctan', asin: '\\arcsin', acos: '\\arccos',
};

function wrap(tex: string): string { return `\\left(${tex}\\right)`; }

/** TeX of one factor a^e with e > 0 (the caller moves negative powers to a denominator). */
function factorTeX(a: P.Atom, e: number, recip = false): string {
  const pow = (base: string): string => (e === 1 ? base : `${base}^{${e}}`);
  if (a.fn === 'sym') return pow(symbolTeX(a.name));
  const arg = texOf(a.arg!);
  if (a.fn === 'inv') return pow(wrap(arg));
  if (a.fn === 'pow') {
    const p = a.p!;
    if (p[0] === 1 && p[1] === 2) return pow(`\\sqrt{${arg}}`);
    return `${wrap(arg)}^{${ratText([p[0] * e, p[1]])}}`;
  }
  const name = recip ? RECIP[a.fn]! : FN_TEX[a.fn] ?? `\\operatorname{${a.fn}}`;
  return e === 1 ? `${name}${wrap(arg)}` : `${name}^{${e}}${wrap(arg)}`;
}

/** KaTeX-clean TeX of a polynomial. */
export function texOf(p: P.Poly): string {
  if (P.isZero(p)) return '0';
  const parts: string[] = [];
  for (const t of P.sortedTerms(p)) {
    const num: string[] = [], den: string[] = [];
    for (const [a, e] of P.sortedFactors(t.m)) {
      if (e > 0) num.push(factorTeX(a, e));
      else if (a.fn !== 'sym' && RECIP[a.fn]) num.push(factorTeX(a, -e, true));
      else den.push(factorTeX(a, -e));
    }
    const negative = t.c[0] < 0;
    const cn = Math.abs(t.c[0]), cd = t.c[1];
    const numTeX = num.join(' ');
    const denTeX = den.join(' ');
    let body: string;
    if (cd === 1 && den.length === 0) body = cn === 1 && numTeX ? numTeX : `${cn}${numTeX ? ' ' + numTeX : ''}`;
    else {
      const top = cn === 1 ? '1' : `${cn}`;
      const bottom = [cd === 1 ? '' : `${cd}`, denTeX].filter(Boolean).join(' ');
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
