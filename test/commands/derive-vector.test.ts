import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { cli } from '../helpers.ts';
import { componentwise } from '../../src/symbolic/vector/derive-vector.ts';
import * as P from '../../src/symbolic/poly.ts';

test('derive --vector: the vector form, the tree form and an exact check; --tex lines are KaTeX-clean', async () => {
  const r = await cli(['derive', '--g', 'generic', '--dim', '2', '--order', '3', '--vector']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /\n {2}F2 = g'\(x\) ⊙ \(A x \+ β\)\n/);
  assert.match(r.out, /\n {2}f2 = F2 - \(1\/2\) F1'·F1\n/);
  assert.match(r.out, /vector-form check: agree \(at d = 2/);
  const tex = await cli(['derive', '--g', 'tanh(z)', '--beta', 'sin(t)', '--order', '3', '--vector', '--tex']);
  assert.is(tex.code, 0, tex.error);
  const lines = tex.out.trim().split('\n');
  assert.ok(lines.some((l) => l.includes('\\odot')));
  for (const line of lines) katex.renderToString(line, { throwOnError: true, displayMode: true });
  const js = JSON.parse((await cli(['derive', '--layer', 'residual', '--dim', '2', '--vector', '--json'])).out);
  assert.is(js.vector.modified.text[1], "-(1/2) σ'(A x + b) ⊙ A σ(A x + b)");
});

test('--B: W = I + εA + ε²B gives the same F_k and f_k as the equivalent --map (exact), d = 1 and 2', () => {
  const pairs: [Parameters<typeof componentwise>[0], string][] = [
    [{ layer: 'ff', g: '-gamma*z^3', B: 'c' }, 'x + eps*(a*x + b) + eps^2*c*x + eps*(-gamma*(x + eps*(a*x + b) + eps^2*c*x)^3)'],
    [{ layer: 'ff', g: 'tanh(z)', dim: 2, B: 'c11, c12; c21, c22' },
      'x1 + eps*(a11*x1 + a12*x2 + b1) + eps^2*(c11*x1 + c12*x2) + eps*tanh(x1 + eps*(a11*x1 + a12*x2 + b1) + eps^2*(c11*x1 + c12*x2)); ' +
      'x2 + eps*(a21*x1 + a22*x2 + b2) + eps^2*(c21*x1 + c22*x2) + eps*tanh(x2 + eps*(a21*x1 + a22*x2 + b2) + eps^2*(c21*x1 + c22*x2))'],
  ];
  for (const [spec, map] of pairs) {
    const withB = componentwise(spec, 3), viaMap = componentwise({ layer: 'map', map }, 3);
    for (const [mine, theirs] of [[withB.F, viaMap.F], [withB.f, viaMap.f]] as const) {
      mine.forEach((v, j) => v.forEach((c, i) => assert.ok(P.equal(c, theirs[j]![i]!), `${map.slice(0, 30)} term ${j + 1}[${i + 1}]`)));
    }
    // control: B missing from the map → F_2 differs
    const noB = componentwise({ layer: 'map', map: map.replace(/ \+ eps\^2\*\(?c[^)]*?\)?(?=\)| \+ eps\*)/g, '') }, 2);
    assert.not.ok(noB.F[1]!.every((c, i) => P.equal(c, withB.F[1]![i]!)), 'control: the map without B must differ at ε²');
  }
});

test('--B is checked: only for ff, a d×d matrix, exit 2 with one line', async () => {
  const r = await cli(['derive', '--layer', 'residual', '--B', '1']);
  assert.is(r.code, 2);
  assert.match(r.error!, /--B .* applies to --layer ff only/);
  const s = await cli(['derive', '--dim', '2', '--B', '1, 2']);
  assert.is(s.code, 2);
  assert.match(s.error!, /--B: expected a 2×2 matrix/);
  const v = await cli(['derive', '--g', 'generic', '--B', 'symbolic', '--order', '3', '--vector']);
  assert.is(v.code, 0, v.error);
  assert.match(v.out, /F2 = B x \+ g'\(x\) ⊙ \(A x \+ β\)/);
  assert.match(v.out, /vector-form check: agree/);
});

test('--layer heun|midpoint|rk4 --f: the block\'s modified equation; bad input is one line, exit 2', async () => {
  const r = await cli(['derive', '--layer', 'midpoint', '--f', 'sin(x)', '--order', '3', '--vector']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /f3 = -\(1\/6\) f'·f'·f - \(1\/24\) f''\(f, f\)/);
  assert.match(r.out, /verification: proved/);
  for (const [args, msg] of [
    [['--layer', 'rk4'], /needs --f/],
    [['--f', 'sin(x)'], /--f .* needs --layer heun, midpoint or rk4/],
    [['--layer', 'heun', '--f', 'x + eps'], /eps is the step of the layer map/],
    [['--layer', 'rk4', '--f', 'sin(x)', '--A', '1'], /do not apply/],
    [['--layer', 'heun', '--f', 'x1; x2', '--dim', '3'], /2 component\(s\) but --dim is 3/],
  ] as const) {
    const b = await cli(['derive', ...args]);
    assert.is(b.code, 2, args.join(' '));
    assert.match(b.error!, msg);
  }
});

test.run();
