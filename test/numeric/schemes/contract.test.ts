/** Runs the scheme CONTRACT (contract.ts) over every scheme and two activations. */
import { test } from 'uvu';
import { contract } from './contract.ts';
import { getActivation } from '../../../src/numeric/activations.ts';
import { hamiltonianNetField, plainField, resnetField } from '../../../src/numeric/schemes/fields.ts';
import { makeScheme } from '../../../src/numeric/schemes/net.ts';

const d = 3, T = 1;
const x0 = new Float64Array([0.5, -0.3, 0.8]);
// Smooth θ(t) = (K(t), b(t)): K_ij(t) = sin(i + 2j + 1 + t)·0.8, b_i(t) = 0.3 cos(2t + i)
const resnetTheta = (t: number, out: Float64Array) => {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = 0.8 * Math.sin(i + 2 * j + 1 + t);
    out[d * d + i] = 0.3 * Math.cos(2 * t + i);
  }
};
for (const act of ['tanh', 'softplus']) {
  for (const name of ['euler', 'heun', 'midpoint', 'rk4']) {
    contract(test, { label: `${name}/${act}`, scheme: makeScheme(name, resnetField(d, getActivation(act))), thetaOf: resnetTheta, x0, T });
  }
}
// The FF layer discretises Ax + β + g(x); A(t) smooth, g = −z³/3 (Ruseckas) and tanh.
for (const g of ['cubic', 'tanh']) {
  const act = getActivation(g);
  contract(test, { label: `ff/${g}`, scheme: makeScheme('ff', resnetField(d, act), act), thetaOf: resnetTheta, x0, T });
}
// A batched ResNet field (3 samples sharing θ) satisfies the same contract.
contract(test, {
  label: 'rk4/tanh batched ×3', scheme: makeScheme('rk4', resnetField(d, getActivation('tanh'), { samples: 3 })),
  thetaOf: resnetTheta, x0: new Float64Array([0.5, -0.3, 0.8, 0.1, 0.2, -0.9, 1.1, 0, 0.4]), T,
});

// Störmer–Verlet on the Hamiltonian network ẋ = Kσ(Kᵀp + b), ṗ = −Kσ(Kᵀx + b), state (x, p) ∈ ℝ⁶:
// K (3×3) and b take the same smooth θ(t) (w = d, the same layout), and a wider net (w = 5).
for (const act of ['tanh', 'softplus']) {
  contract(test, {
    label: `verlet/${act}`, scheme: makeScheme('verlet', hamiltonianNetField(d, d, getActivation(act))),
    thetaOf: resnetTheta, x0: new Float64Array([0.5, -0.3, 0.8, 0.2, 0.1, -0.4]), T,
  });
}
contract(test, {
  label: 'verlet/tanh width 5', scheme: makeScheme('verlet', hamiltonianNetField(2, 5, getActivation('tanh'))),
  thetaOf: (t, out) => { for (let i = 0; i < 15; i++) out[i] = 0.7 * Math.sin(1.3 * i + 0.5 + t) + (i >= 10 ? 0.2 * Math.cos(t) : 0); },
  x0: new Float64Array([0.5, -0.3, 0.2, 0.4]), T: 2,
});

// A parameter-free field given by f and its Jacobian (as compiled from text): the van der Pol
// oscillator with a time-dependent forcing, x' = y, y' = (1 − x²)y − x + cos t.
contract(test, {
  label: 'heun/plain van der Pol',
  scheme: makeScheme('heun', plainField(2,
    (t, x, o) => { o[0] = x[1]!; o[1] = (1 - x[0]! * x[0]!) * x[1]! - x[0]! + Math.cos(t); },
    (_t, x, J) => { J[0] = 0; J[1] = 1; J[2] = -2 * x[0]! * x[1]! - 1; J[3] = 1 - x[0]! * x[0]!; })),
  thetaOf: () => {}, x0: new Float64Array([0.5, -0.2]), T,
});

test.run();
