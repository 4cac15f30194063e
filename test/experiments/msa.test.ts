/**
 * E-MSA (experiments/msa.ts): the layer-wise maximiser assembled from the quadratic form
 * (λh I + ρM) θ = c + ρMθ_n is checked against the augmented Hamiltonian H̃_n evaluated
 * directly from the field (g = x + hF, ∇_x H = p + h p ∂F/∂x), not from M and c.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { augmentedHamiltonian, emsa, emsaStep, msaLoss, msaProblem } from '../../src/experiments/msa.ts';
import { EPS } from '../../src/util/approx.ts';
import { makeRng } from '../../src/util/prng.ts';

const sizes = { d: 2, S: 6, N: 5, T: 1, lambda: 0.01 };

for (const rho of [0, 3]) {
  test(`ρ = ${rho}: every θ_n of one E-MSA step maximises H̃_n (zero gradient, lower at random perturbations)`, () => {
    const pb = msaProblem(sizes, 11), P = pb.field.paramDim, h = sizes.T / sizes.N;
    const next = emsaStep(pb, pb.theta0, rho), rng = makeRng(5);
    for (let n = 0; n < sizes.N; n++) {
      const star = next.slice(n * P, (n + 1) * P);
      const Hs = augmentedHamiltonian(pb, pb.theta0, n, rho, star);
      const delta = 1e-4;
      for (let k = 0; k < P; k++) {
        const a = star.slice(), b = star.slice();
        a[k] = a[k]! + delta; b[k] = b[k]! - delta;
        const g = (augmentedHamiltonian(pb, pb.theta0, n, rho, a) - augmentedHamiltonian(pb, pb.theta0, n, rho, b)) / (2 * delta);
        // H̃ is quadratic in θ: central differences are exact but for round-off ε|H̃|/δ; ×100 margin
        assert.ok(Math.abs(g) <= 100 * EPS * Math.max(1, Math.abs(Hs)) / delta, `layer ${n}, ∂H̃/∂θ_${k} = ${g}`);
      }
      for (let r = 0; r < 5; r++) {
        const dTheta = Float64Array.from({ length: P }, () => 0.3 * rng.normal());
        const drop = Hs - augmentedHamiltonian(pb, pb.theta0, n, rho, star.map((v, k) => v + dTheta[k]!));
        // H̃(θ* + δ) = H̃(θ*) − ½δᵀ(λh I + ρM)δ with M ⪰ 0: the drop is at least ½λh|δ|² (less rounding)
        const bound = 0.5 * sizes.lambda * h * dTheta.reduce((s, v) => s + v * v, 0);
        assert.ok(drop >= bound - 100 * EPS * Math.abs(Hs), `layer ${n}: drop ${drop} < ½λh|δ|² = ${bound}`);
      }
    }
  });
}

test('emsa: the loss sequence starts at J(θ⁰) and is monotone at large ρ; a diverging basic MSA ends finite with maxIncrease ∞', () => {
  const pb = msaProblem(sizes, 11);
  const big = emsa(pb, 100, 5);
  assert.is(big.loss[0], msaLoss(pb, pb.theta0));
  assert.is(big.loss.length, 6);
  assert.ok(big.maxIncrease < 0, `ρ = 100: max increase ${big.maxIncrease}`);
  const basic = emsa(msaProblem({ ...sizes, S: 16, N: 10 }, 20191029), 0, 5);
  assert.ok(basic.loss.every(Number.isFinite));
  assert.ok(basic.maxIncrease > 0, `basic MSA: ${basic.loss}`);
});

test('emsa: an iterate that overflows (the control\'s ascent) ends the run as a measured divergence, not a throw', () => {
  const r = emsa(msaProblem({ ...sizes, S: 16, N: 10 }, 20191029), 1, 30, true);
  assert.is(r.maxIncrease, Infinity);
  assert.ok(r.loss.length < 31 && r.loss.every(Number.isFinite), `${r.loss.length} finite losses`);
});

test.run();
