/**
 * derive and hamiltonian as a library: the same results and the same errors as the CLI (one
 * parser, one validation), expression objects over the engine's text.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derive, hamiltonian, UserError } from '../../src/index.ts';
import { cli } from '../helpers.ts';

const apiError = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof UserError) return e.message; throw e; }
  throw new Error('no error');
};

test('derive: toJSON() is `depthlimit derive --json`, toText() its plain output', async () => {
  const dv = derive({ layer: 'ff', g: 'tanh(z)', dim: 2, A: 'sin(t), 1; 0, -1' }, { order: 2, seed: 5 });
  const json = await cli(['derive', '--g', 'tanh(z)', '--dim', '2', '--A', 'sin(t), 1; 0, -1', '--order', '2', '--seed', '5', '--json']);
  assert.equal(JSON.parse(JSON.stringify(dv)), JSON.parse(json.out));
  const text = await cli(['derive', '--g', 'tanh(z)', '--dim', '2', '--A', 'sin(t), 1; 0, -1', '--order', '2', '--seed', '5']);
  assert.is(dv.toText(), text.out);
  // the expression objects carry the engine's text: F_{j+1}, f_{j+1}
  const j = JSON.parse(json.out) as { coefficients: string[][]; modified: string[][] };
  assert.equal(dv.coefficients.map((v) => v.components.map((c) => c.text)), j.coefficients.slice(1));
  assert.equal(dv.modified.map((v) => v.components.map((c) => c.text)), j.modified);
  assert.is(dv.ode, dv.coefficients[0]);
  assert.is(dv.ode.text, j.coefficients[1]!.join('; '));
});

test('derive: bad specs are the CLI\'s UserErrors, word for word', async () => {
  const pairs: [() => unknown, string[]][] = [
    [() => derive({ map: 'x + eps*x', g: 'z' }), ['derive', '--map', 'x + eps*x', '--g', 'z']],
    [() => derive({ layer: 'residual', map: 'x + eps*x' }), ['derive', '--layer', 'residual', '--map', 'x + eps*x']],
    [() => derive({ layer: 'map' }), ['derive', '--layer', 'map']],
    [() => derive({ layer: 'ff', g: 'max(z, 0)' }), ['derive', '--g', 'max(z, 0)']],
    [() => derive({ map: 'tanh(x) + eps*x' }), ['derive', '--map', 'tanh(x) + eps*x']],
    [() => derive({ g: 'tanh(z)' }, { order: 30 }), ['derive', '--g', 'tanh(z)', '--order', '30']],
    [() => derive({ layer: 'ff', dim: 9 }, { order: 8 }), ['derive', '--dim', '9', '--order', '8']],
    [() => derive({ layer: 'ff', dim: 6 }, { order: 7, budgetSeconds: 60 }), ['derive', '--dim', '6', '--order', '7', '--budget-seconds', '60']],
  ];
  for (const [f, args] of pairs) {
    const r = await cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(apiError(f), r.error);
  }
  assert.match(apiError(() => derive({ layer: 'ff', gamma: 1 } as never)), /unknown field 'gamma'/);
  assert.match(apiError(() => derive({ g: 'z' }, { ordr: 2 } as never)), /derive options: unknown field 'ordr'/);
  assert.match(apiError(() => derive('ff' as never)), /the layer must be an object/);
  assert.match(apiError(() => derive({ layer: 'ff', g: 3 } as never)), /--g must be text/);
});

test('hamiltonian: the CLI\'s report, expressions over the phase space, compiled costate = −∂H/∂x', async () => {
  const h = hamiltonian('w*x1 + b1 - gamma*x1^3 + x2; -x1 + tanh(k*x2)', { params: ['w', 'k'] });
  const r = await cli(['hamiltonian', '--field', 'w*x1 + b1 - gamma*x1^3 + x2; -x1 + tanh(k*x2)', '--params', 'w,k']);
  assert.is(h.toText(), r.out);
  assert.equal(Object.keys(h.gradient), ['w', 'k']);
  assert.equal(h.costate.state, ['x1', 'x2', 'a1', 'a2']);
  const values = { w: 0.7, b1: -0.2, gamma: 0.5, k: 1.3 };
  const adot = h.costate.compile(values), H = h.hamiltonian.compile(values);
  const z = [0.4, -0.6, 1.1, -0.8], out = new Float64Array(2);
  adot(0, z, out);
  for (let i = 0; i < 2; i++) {
    // central difference of H in x_i: truncation ~δ²|H'''| ≈ 1e-10, round-off ~1e-16/δ
    const dz = 1e-5, p = [...z], m = [...z];
    p[i] = p[i]! + dz; m[i] = m[i]! - dz;
    const fd = -(H(0, p) - H(0, m)) / (2 * dz);
    assert.ok(Math.abs(fd - out[i]!) < 1e-8, `da${i + 1}/dt: ${out[i]} vs −∂H/∂x = ${fd}`);
  }
  assert.is(h.divergence.text, '0');
  assert.throws(() => hamiltonian(derive({ layer: 'ff', g: 'generic' }).ode), (e: unknown) => e instanceof UserError && /generic g/.test(e.message));
  assert.throws(() => hamiltonian('x', { param: ['w'] } as never), (e: unknown) => e instanceof UserError && /unknown field 'param'/.test(e.message));
});

test.run();
