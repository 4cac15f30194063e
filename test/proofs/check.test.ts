import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkProofFile, manifestlyNonnegative, tailSlope } from '../../src/proofs/check.ts';
import { realOnDomains } from '../../src/proofs/inequality.ts';
import { foldZeroConstants } from '../../src/proofs/expand.ts';
import { parseProofFile, readProofFile } from '../../src/proofs/parse.ts';
import { diff } from '../../src/symbolic/cas.ts';
import { parseExpression } from '../../src/symbolic/parse.ts';

const FIX = 'test/fixtures/proofs/';
const check = (name: string) => checkProofFile(readProofFile(FIX + name));
const inline = (body: string) => checkProofFile(parseProofFile(`\`\`\`derivation t\n${body}\n\`\`\`\n`, 'inline.md'));
/** Round-off allowance for re-evaluating short polynomials in double precision. */
const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

test('wrong step: refuted at that step only, with a counterexample that replays independently', () => {
  const r = check('wrong-step.md');
  assert.equal(r.steps.map((s) => s.verdict), ['proved', 'refuted']);
  assert.not.ok(r.ok);
  const s = r.steps[1]!;
  assert.is(s.line, 16);
  const ce = s.counterexample!;
  assert.ok(ce, 'a counterexample');
  const { a, b, gamma: g, x } = ce.point as Record<string, number>;
  // C13's correction, and the fixture's sign-flipped version, written here by hand.
  const right = -a! * a! * x! / 2 - a! * b! / 2 - a! * g! * x! ** 3 - 1.5 * b! * g! * x! ** 2 - 1.5 * g! * g! * x! ** 5;
  const wrong = right + 2 * a! * g! * x! ** 3;
  assert.ok(close(ce.lhs, right), `lhs ${ce.lhs} vs ${right}`);
  assert.ok(close(ce.rhs, wrong), `rhs ${ce.rhs} vs ${wrong}`);
  assert.ok(Math.abs(ce.lhs - ce.rhs) > 1e-6);
  // Both CAS routes find the same nonzero residual −2aγx³.
  for (const route of s.routes) assert.is(route.zero, false, route.name);
});

test('wrong order term: O(eps^3) claimed where the remainder is O(eps^2) is refuted, directly and through a chain', () => {
  const r = check('wrong-order.md');
  assert.equal(r.steps.map((s) => `${s.block}/${s.step}:${s.verdict}`), ['direct/1:refuted', 'chained/1:proved', 'chained/2:refuted']);
  for (const s of [r.steps[0]!, r.steps[2]!]) {
    const ce = s.counterexample!;
    assert.ok(ce && ce.point['eps']! > 0, 'the counterexample is a point on the eps ladder');
    const { a, b, gamma: g, x, eps: e } = ce.point as Record<string, number>;
    const u = a! * x! + b!;
    const z = (1 + e! * a!) * x! + e! * b!;
    assert.ok(close(ce.lhs, z - e! * g! * z ** 3), 'lhs is the layer map');
    assert.ok(close(ce.rhs, x! + e! * (u - g! * x! ** 3)), 'rhs is the Euler step');
    // The gap is exactly −γ(3ε²x²u + 3ε³xu² + ε⁴u³): the ε² term the claim dropped.
    const gap = -g! * (3 * e! ** 2 * x! ** 2 * u + 3 * e! ** 3 * x! * u * u + e! ** 4 * u ** 3);
    assert.ok(Math.abs(ce.lhs - ce.rhs - gap) <= 1e-14, `gap ${ce.lhs - ce.rhs} vs ${gap}`);
    // Numerically the difference falls like eps^2, not eps^3.
    assert.ok(s.ladder && Math.abs(s.ladder.slope - 2) < 0.3 && s.ladder.slope < 2.5, `slope ${s.ladder?.slope}`);
  }
  assert.match(r.steps[2]!.detail, /checked against the chain start/);
});

test('tail slope: a v¹ term hidden under large v⁵ terms is seen at the small end of the ladder', () => {
  const v = [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625];
  const err = v.map((h) => 1e-3 * h + 1e3 * h ** 5);
  assert.ok(Math.abs(tailSlope({ v, err })! - 1) < 0.2, String(tailSlope({ v, err })));
  assert.ok(Math.abs(tailSlope({ v, err: v.map((h) => 3 * h ** 3) })! - 3) < 1e-9);
  // Below round-off there is no slope to read.
  assert.is(tailSlope({ v, err: v.map(() => 1e-16) }), undefined);
  const r = check('hidden-order.md');
  const s = r.steps[0]!;
  assert.is(s.verdict, 'refuted');
  assert.ok(s.ladder!.slope > 1.5, `the fitted slope ${s.ladder!.slope} alone would pass`);
  assert.match(s.detail, /fitted slope [2-9]\.\d+, tail slope 1\.\d+ \(need ≥ 1\.5\)/);
  assert.ok(s.counterexample && s.counterexample.point['t']! > 0 && Math.abs(s.counterexample.lhs - s.counterexample.rhs) > 1e-6);
});

test('inequalities: a false one is refuted with both sides, a true one needs a certificate', () => {
  const f = check('false-inequality.md');
  assert.is(f.steps[0]!.verdict, 'refuted');
  const ce = f.steps[0]!.counterexample!;
  const { d1, d2 } = ce.point as Record<string, number>;
  assert.ok(close(ce.lhs, (d1! + d2!) ** 2) && close(ce.rhs, 1.5 * (d1! * d1! + d2! * d2!)));
  assert.ok(ce.lhs > ce.rhs);

  assert.is(check('no-certificate.md').steps[0]!.verdict, 'unknown');
  // True inequality, wrong certificate (identity fails): unknown, not refuted.
  const w = inline('let d1, d2: real\n(d1 + d2)^2\n<= 2*(d1^2 + d2^2)\n  sos: (d1 + d2)^2');
  assert.is(w.steps[0]!.verdict, 'unknown');
  // Right identity but not manifestly nonnegative (a negative coefficient): unknown.
  const n = inline('let d1, d2: real\n(d1 + d2)^2\n<= 2*(d1^2 + d2^2)\n  sos: 2*d1^2 + 2*d2^2 - (d1 + d2)^2');
  assert.is(n.steps[0]!.verdict, 'unknown');
  // sqrt(x)^2 is x only where sqrt is real: it certifies nothing for a real x.
  const sq = inline('let x: real\nx^2\n<= x^2 + (x + 1)^2\n  sos: sqrt(x^2 + 2*x + 1)^2');
  assert.is(sq.steps[0]!.verdict, 'unknown', sq.steps[0]!.detail);
  assert.is(inline('let x: real\nx^2\n<= x^2 + (x + 1)^2\n  sos: (x + 1)^2').steps[0]!.verdict, 'proved');
  const sqp = inline('let x: real\nlet p: positive\nx^2\n<= x^2 + p\n  sos: sqrt(p)^2');
  assert.is(sqp.steps[0]!.verdict, 'proved', sqp.steps[0]!.detail);
  const ok = inline('let d1, d2: real\n(d1 + d2)^2\n<= 2*(d1^2 + d2^2)\n  sos: (d1 - d2)^2');
  assert.is(ok.steps[0]!.verdict, 'proved');
  // >= reads the other way round.
  const ge = inline('let d1, d2: real\n2*(d1^2 + d2^2)\n>= (d1 + d2)^2\n  sos: (d1 - d2)^2');
  assert.is(ge.steps[0]!.verdict, 'proved');
});

test('unknown: numerically consistent, symbolically undecided by one of the two routes', () => {
  const r = check('undecided.md');
  const s = r.steps[0]!;
  assert.is(s.verdict, 'unknown');
  assert.not.ok(r.ok);
  assert.ok(s.routes.some((x) => x.zero === 'undecided'));
  assert.ok(s.numeric.samples >= 10 && s.numeric.maxRelErr < 1e-12, String(s.numeric.maxRelErr));
  assert.is(s.counterexample, undefined);
});

test('engines that disagree without a separating point give unknown, not refuted', () => {
  // algebrite leaves (1/h)^κ·h² − (1/h)^(κ−1)·h unsimplified (≠0); nerdamer reduces it to 0; the
  // two sides agree to round-off at every point: the step is true, and not proved either.
  const r = inline('let k1, h: positive\nlet kappa: [0.5, 1.5]\n(1/h)^kappa*h^2*k1^2\n= (1/h)^(kappa - 1)*h*k1^2');
  const st = r.steps[0]!;
  assert.is(st.verdict, 'unknown');
  assert.ok(st.routes.some((x) => x.zero === true) && st.routes.some((x) => x.zero === false), 'the routes disagree');
  assert.is(st.counterexample, undefined);
  assert.match(st.detail, /^the symbolic routes disagree and no point separates the two sides/);
  // with a real error both engines see it and a point separates the sides: still refuted
  const w = inline('let k1, h: positive\nlet kappa: [0.5, 1.5]\n(1/h)^kappa*h^2*k1^2\n= (1/h)^(kappa - 1)*h*k1^2 + h^2');
  assert.is(w.steps[0]!.verdict, 'refuted');
  assert.ok(w.steps[0]!.counterexample);
});

test('manifestlyNonnegative follows the declared domains', () => {
  const pf = parseProofFile('```derivation t\nlet x: real\nlet p: positive\nlet s: small\nx\n= x\n```\n', 'n.md');
  const b = pf.blocks[0]!;
  const nn = (s: string) => manifestlyNonnegative(parseExpression(s), b);
  assert.ok(nn('x^2 + 3*(x - p)^4'));
  assert.ok(nn('p*x^2/sqrt(p) + exp(x)'));
  assert.not.ok(nn('x'));
  assert.not.ok(nn('x^3'));
  assert.not.ok(nn('-(x^2)'));
  assert.not.ok(nn('x^2 - 1'));
  assert.ok(nn('p^3'));
  assert.ok(nn('s*x^2'));
  const real = (t: string) => realOnDomains(parseExpression(t), b);
  assert.not.ok(real('sqrt(x)^2'));
  assert.ok(real('sqrt(p)^2 + sqrt(x^2)'));
  assert.not.ok(real('x^(1/2)'));
  assert.ok(real('p^(1/2) + x^3'));
  assert.not.ok(real('log(p)'));
});

test('series steps: a correct expansion is proved by both routes and a ladder of the right slope', () => {
  const r = inline('let x: real\nlet h: small\nexp(h*x)\n= 1 + h*x + h^2*x^2/2 + O(h^3)');
  const s = r.steps[0]!;
  assert.is(s.verdict, 'proved', s.detail);
  assert.ok(s.routes.every((x) => x.zero === true));
  assert.ok(s.ladder!.slope > 2.5, `slope ${s.ladder!.slope}`);
  // One order too many is refuted.
  const bad = inline('let x: real\nlet h: small\nexp(h*x)\n= 1 + h*x + h^2*x^2/2 + O(h^4)');
  assert.is(bad.steps[0]!.verdict, 'refuted');
});

test('D(expr, v) is cross-checked against difference quotients', () => {
  const r = inline('let x, a: real\nD(tanh(a*x)^2, x)\n= 2*a*tanh(a*x)*sech(a*x)^2');
  const s = r.steps[0]!;
  assert.is(s.verdict, 'proved', s.detail);
  assert.is(s.derivatives.length, 1);
  assert.ok(s.derivatives[0]!.ok && s.derivatives[0]!.maxRelErr < 1e-8, String(s.derivatives[0]!.maxRelErr));
});

test('negative control: a wrong CAS derivative is caught by the difference-quotient route', () => {
  // A "CAS" that drops the factor 2 of every square's derivative: the symbolic routes then agree
  // with a wrong rhs, and only the difference quotients can tell.
  const wrong = (expr: string, v: string) => (expr === 'x ^ 2' && v === 'x' ? 'x' : diff(expr, v));
  const pf = parseProofFile('```derivation t\nlet x: real\nD(x^2, x)\n= x\n```\n', 'w.md');
  const r = checkProofFile(pf, { differentiate: wrong });
  const s = r.steps[0]!;
  assert.is(s.verdict, 'unknown', s.detail);
  assert.not.ok(s.derivatives[0]!.ok);
  assert.match(s.detail, /disagrees with difference quotients/);
  assert.is(checkProofFile(pf).steps[0]!.verdict, 'refuted');
  // a derivative that is never finite where the quotients are compares nothing: not ok
  const nan = (expr: string, v: string) => (expr === 'x ^ 2' && v === 'x' ? 'sqrt(-1 - x^2)' : diff(expr, v));
  assert.not.ok(checkProofFile(pf, { differentiate: nan }).steps[0]!.derivatives[0]!.ok);
});

test('foldZeroConstants replaces only exact values at 0 (and log 1)', () => {
  assert.is(foldZeroConstants('tanh(0) + 2 * cosh(0) * x + log(1) + sech((0))'), '0 + 2 * 1 * x + 0 + 1');
  assert.is(foldZeroConstants('tanh(x) + cos(1) + log(0.5)'), 'tanh(x) + cos(1) + log(0.5)');
});

test('same seed, same verdicts and counterexamples', () => {
  const a = check('wrong-step.md'), b = check('wrong-step.md');
  assert.equal(a.steps[1]!.counterexample, b.steps[1]!.counterexample);
});

test.run();
