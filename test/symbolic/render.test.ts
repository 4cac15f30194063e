import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import katex from 'katex';
import { derive } from '../../src/symbolic/derive.ts';
import { derivationTeX } from '../../src/symbolic/report.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';
import * as P from '../../src/symbolic/poly.ts';
import { compilePolys } from '../../src/symbolic/poly-compile.ts';
import { symbolTeX, texOf } from '../../src/symbolic/render.ts';
import { polyOf } from '../../src/symbolic/series.ts';
import { UserError } from '../../src/util/errors.ts';

const katexOk = (tex: string): void => { katex.renderToString(tex, { throwOnError: true, displayMode: true }); };

/**
 * An evaluator for the TeX texOf prints, written here from the TeX conventions (not from
 * render.ts): sums of terms, factors separated by spaces, \frac, \sqrt, \left( \right), braces,
 * ^{…}, function names, numbers, and symbols looked up in `symbols` (TeX → value).
 */
function evalTeX(tex: string, symbols: Map<string, number>): number {
  let i = 0;
  const FN = new Map<string, (w: number) => number>([
    ['\\sin', Math.sin], ['\\cos', Math.cos], ['\\tan', Math.tan], ['\\sinh', Math.sinh], ['\\cosh', Math.cosh], ['\\tanh', Math.tanh],
    ['\\exp', Math.exp], ['\\log', Math.log], ['\\arctan', Math.atan], ['\\arcsin', Math.asin], ['\\arccos', Math.acos],
    ['\\sec', (w) => 1 / Math.cos(w)], ['\\csc', (w) => 1 / Math.sin(w)],
    ['\\operatorname{sech}', (w) => 1 / Math.cosh(w)], ['\\operatorname{csch}', (w) => 1 / Math.sinh(w)],
    ['\\operatorname{sigmoid}', (w) => 1 / (1 + Math.exp(-w))], ['\\operatorname{softplus}', (w) => Math.log(1 + Math.exp(w))],
    ['\\operatorname{erf}', erfRef],
  ]);
  const syms = [...symbols.keys()].sort((a, b) => b.length - a.length);
  const eat = (s: string): boolean => { if (tex.startsWith(s, i)) { i += s.length; return true; } return false; };
  const expect = (s: string): void => { if (!eat(s)) throw new Error(`expected ${s} at ${i}: ${tex.slice(i, i + 30)}`); };
  const group = (): number => { expect('{'); const v = sum(); expect('}'); return v; };
  const atom = (): number => {
    if (eat('\\frac')) { const a = group(); const b = group(); return a / b; }
    if (eat('\\sqrt')) return Math.sqrt(group());
    if (eat('\\left(')) { const v = sum(); expect('\\right)'); return v; }
    if (tex[i] === '{') return group();
    for (const [name, f] of FN) {
      if (tex.startsWith(name, i) && !/[A-Za-z]/.test(tex[i + name.length] ?? '')) {
        i += name.length;
        const k = eat('^') ? group() : 1;
        expect('\\left('); const w = sum(); expect('\\right)');
        return f(w) ** k;
      }
    }
    const num = /^\d+/.exec(tex.slice(i));
    if (num) { i += num[0].length; return Number(num[0]); }
    for (const s of syms) if (tex.startsWith(s, i)) { i += s.length; return symbols.get(s)!; }
    throw new Error(`cannot read TeX at ${i}: ${tex.slice(i, i + 30)}`);
  };
  const factor = (): number => { const b = atom(); return eat('^') ? b ** group() : b; };
  const term = (): number => {
    let v = factor();
    while (tex[i] === ' ' && !tex.startsWith(' + ', i) && !tex.startsWith(' - ', i)) { i++; v *= factor(); }
    return v;
  };
  const sum = (): number => {
    let v = eat('-') ? -term() : term();
    for (;;) {
      if (eat(' + ')) v += term();
      else if (eat(' - ')) v -= term();
      else return v;
    }
  };
  const v = sum();
  if (i !== tex.length) throw new Error(`trailing TeX at ${i}: ${tex.slice(i)}`);
  return v;
}

/** erf(w) = (2/√π) e^{−w²} Σ 2ⁿ w^{2n+1}/(1·3·…·(2n+1)): positive terms, no cancellation (|w| ≤ 10 here). */
function erfRef(w: number): number {
  if (Math.abs(w) > 10) return Math.sign(w);
  let s = 0, term = w;
  for (let n = 0; n < 400; n++) { s += term; term *= (2 * w * w) / (2 * n + 3); }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-w * w) * s;
}

const NAMES = ['x', 'x1', 'a12', 'beta', 'beta_1', 'alpha_max', 'gamma2_k', 'w_0_c', 'T', 'eps', 'pi', 'e'];

// Regression: 1/(x + 2) printed as (1/2)(1 + x/2), the inv factor above the fraction bar.
test('TeX of a reciprocal of a sum puts it below the fraction bar', () => {
  const tex = texOf(polyOf(parseExpression('1/(x + 2) + 3/(x - 1)^2')));
  const v = evalTeX(tex, new Map([['x', 0.3]]));
  assert.ok(Math.abs(v - (1 / 2.3 + 3 / 0.49)) < 1e-12, `${tex} = ${v}`);
});

test('every printed TeX parses in KaTeX and has the value of its polynomial (seeded random expressions)', () => {
  const leaf = fc.oneof(fc.constantFrom(...NAMES), fc.integer({ min: 1, max: 9 }).map(String), fc.constantFrom('0.5', '1.25', '3/7'));
  const fns = ['sin', 'cos', 'tanh', 'sech', 'exp', 'atan', 'sigmoid', 'softplus', 'erf', 'silu', 'sqrt', 'cosh', 'sec'];
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      fc.tuple(tie('expr'), fc.constantFrom('2', '3', '(-1)', '(1/2)', '(-1/2)')).map(([a, k]) => `(${a})^${k}`),
      fc.tuple(fc.constantFrom(...fns), tie('expr')).map(([f, a]) => `${f}(${a})`)),
  }));
  const values = new Map(NAMES.map((n, j) => [n, n === 'pi' ? Math.PI : n === 'e' ? Math.E : 0.3 + 0.11 * j]));
  const texValues = new Map([...values].map(([n, v]) => [symbolTeX(n), v]));
  const vars = NAMES.filter((n) => n !== 'pi' && n !== 'e');
  let checked = 0;
  fc.assert(fc.property(expr, (text) => {
    let p: P.Poly;
    try { p = polyOf(parseExpression(text)); } catch (e) {
      if (e instanceof UserError) return true; // e.g. division by an expression that is 0, a too-large expansion
      throw e;
    }
    const tex = texOf(p);
    katexOk(tex);
    const out = new Float64Array(1);
    compilePolys([p], vars)(vars.map((n) => values.get(n)!), out);
    if (!Number.isFinite(out[0]!) || Math.abs(out[0]!) > 1e8) return true;
    const v = evalTeX(tex, texValues);
    checked++;
    return Math.abs(v - out[0]!) <= 1e-9 * Math.max(1, Math.abs(out[0]!));
  }), { seed: 11, numRuns: 300 });
  assert.ok(checked > 150, `only ${checked} expressions compared`);
});

test('symbol names: TeX is valid for every name the identifier rule admits, and distinct names print distinctly', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,5}(_[A-Za-z0-9]{1,4}){0,2}$/);
  const seen = new Map<string, string>();
  fc.assert(fc.property(name, (n) => {
    const t = symbolTeX(n);
    katexOk(t);
    const other = seen.get(t);
    seen.set(t, n);
    return other === undefined || other === n;
  }), { seed: 5, numRuns: 500 });
});

// Regression: `derive --g 'z*a$b' --tex` printed \mathrm{a$b}, which KaTeX rejects.
test('derive --g "z*a$b": refused by the identifier rule (one line naming the rule); odd legal names print valid TeX', () => {
  try { derive({ layer: 'ff', g: 'z*a$b' }, 1); assert.unreachable('a$b accepted'); } catch (e) {
    assert.ok(e instanceof UserError);
    assert.match((e as Error).message, /symbol name "a\$b" .* not allowed .*letters/);
  }
  const r = derive({ layer: 'ff', dim: 1, g: 'alpha_max*z + Gamma*tanh(z)/k1_2 + c_x*z^2' }, 2);
  for (const tex of derivationTeX(r)) katexOk(tex);
});

test.run();
