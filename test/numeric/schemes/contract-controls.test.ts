/**
 * Negative controls of the scheme CONTRACT itself: schemes whose discrete adjoint has a
 * classic hand-written bug (a missing transpose, a wrong stage index, a dropped factor h)
 * must fail the contract's gradient checks. The contract registers its checks on a collector
 * instead of uvu, and each collected check must throw.
 */
import { test, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { contract } from './contract.ts';
import { getActivation } from '../../../src/numeric/activations.ts';
import { hamiltonianNetField, resnetField } from '../../../src/numeric/schemes/fields.ts';
import { makeScheme } from '../../../src/numeric/schemes/net.ts';
import type { ParamField, Scheme } from '../../../src/numeric/schemes/types.ts';

const d = 3, T = 1, x0 = new Float64Array([0.5, -0.3, 0.8]);
const thetaOf = (t: number, out: Float64Array) => {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = 0.8 * Math.sin(i + 2 * j + 1 + t);
    out[d * d + i] = 0.3 * Math.cos(2 * t + i);
  }
};

/** The contract's checks for `scheme`, by name (collected, not registered with uvu). */
function contractChecks(scheme: Scheme): Map<string, () => void> {
  const checks = new Map<string, () => void>();
  const collector = ((name: string, fn: () => void) => { checks.set(name.replace(/^[^:]*: /, ''), fn); }) as unknown as Test;
  // a separable (x, p) field has twice the state: (x0, p0)
  const y0 = scheme.field.dim === 2 * d ? new Float64Array([...x0, 0.2, 0.1, -0.4]) : x0;
  contract(collector, { label: scheme.name, scheme, thetaOf, x0: y0, T });
  return checks;
}

/** Run a collected check; true when it threw (uvu's assert.throws re-throws assertion errors). */
function fails(fn: () => void): boolean {
  try { fn(); } catch { return true; }
  return false;
}

/** The scheme with every stage reading the first stage's parameters (θ(t) in place of θ(t + c h)). */
function firstStageOnly(s: Scheme, which: 'step' | 'stepAdjoint'): Scheme {
  const P = s.field.paramDim, S = s.stageTimes.length;
  const same = (th: Float64Array, to: number) => {
    const c = Float64Array.from(th);
    for (let k = 1; k < S; k++) c.copyWithin(to + k * P, to, to + P);
    return c;
  };
  return which === 'step'
    ? { ...s, step: (t, h, x, th, to, out) => s.step(t, h, x, same(th, to), to, out) }
    : { ...s, stepAdjoint: (t, h, x, th, to, pN, outP, g, go) => s.stepAdjoint(t, h, x, same(th, to), to, pN, outP, g, go) };
}

/** The field with the cotangent product untransposed (w ↦ J w instead of wᵀ J). */
function noTranspose(f: ParamField): ParamField {
  const tmp = new Float64Array(f.dim);
  return { ...f, vjp: (t, x, th, to, w, outX, g, go, sc) => { f.jvp(t, x, th, to, w, null, 0, outX); if (g) f.vjp(t, x, th, to, w, tmp, g, go, sc); } };
}

const tanh = getActivation('tanh');
const mutants: [string, () => Scheme][] = [
  ['RK4 whose field adjoint misses the transpose', () => makeScheme('rk4', noTranspose(resnetField(d, tanh)))],
  ['Euler whose parameter gradient lacks the factor h', () => {
    const s = makeScheme('euler', resnetField(d, tanh));
    return { ...s, stepAdjoint: (t, h, x, th, to, pN, outP, g, go) => {
      s.stepAdjoint(t, h, x, th, to, pN, outP, null, go);
      if (g) s.field.vjp(t, x, th, to, pN, new Float64Array(d), g, go, 1);
    } };
  }],
  ['midpoint whose adjoint evaluates every stage at the first stage parameters', () => {
    const s = makeScheme('midpoint', resnetField(d, tanh)), P = s.field.paramDim;
    return { ...s, stepAdjoint: (t, h, x, th, to, pN, outP, g, go) => {
      const same = Float64Array.from(th); same.copyWithin(to + P, to, to + P);
      s.stepAdjoint(t, h, x, same, to, pN, outP, g, go);
    } };
  }],
  ['Verlet whose adjoint evaluates every kick and drift at the first stage parameters', () => firstStageOnly(makeScheme('verlet', hamiltonianNetField(d, d, tanh)), 'stepAdjoint')],
];

for (const [label, make] of mutants) {
  test(`contract control: ${label} fails the Taylor, dot-product and finite-difference checks`, () => {
    const checks = contractChecks(make());
    for (const name of ['Taylor test', 'dot-product test', 'central finite differences']) {
      const key = [...checks.keys()].find((k) => k.startsWith(name));
      assert.ok(key, `contract has a check '${name}'`);
      assert.ok(fails(checks.get(key!)!), `${label}: '${key}' passed`);
    }
  });
}

test('contract control: Verlet whose drift and second kick read θ(t), not θ(t + h/2) and θ(t + h), fails the certified order 2', () => {
  const checks = contractChecks(firstStageOnly(makeScheme('verlet', hamiltonianNetField(d, d, tanh)), 'step'));
  const key = [...checks.keys()].find((k) => k.startsWith('certified order'));
  assert.ok(key, 'contract has a certified-order check');
  // the stages see θ one half step and one step late: a first-order error in time-dependent θ
  assert.ok(fails(checks.get(key!)!), `'${key}' passed`);
});

test('contract control: the correct schemes pass the same collected checks', () => {
  for (const name of ['rk4', 'euler', 'midpoint', 'verlet']) {
    const field = name === 'verlet' ? hamiltonianNetField(d, d, tanh) : resnetField(d, tanh);
    for (const [k, fn] of contractChecks(makeScheme(name, field))) {
      try { fn(); } catch (e) { assert.unreachable(`${name}: '${k}' failed: ${(e as Error).message}`); }
    }
  }
});

test.run();
