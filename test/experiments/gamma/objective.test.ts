import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { depthObjective, type GammaModel } from '../../../src/experiments/gamma/objective.ts';
import { toyDataset, type Dataset } from '../../../src/experiments/gamma/data.ts';
import { getActivation } from '../../../src/numeric/activations.ts';
import { makeRng } from '../../../src/util/prng.ts';
import { resnetField } from '../../../src/numeric/schemes/fields.ts';
import { makeScheme, forward, backward } from '../../../src/numeric/schemes/net.ts';

/** Independent reference: E_n by the definition, one sample at a time, plain arrays. */
function referenceE(model: GammaModel, data: Dataset, n: number, th: Float64Array): number {
  const { d, S } = data, P = d * d + d, sig = model.activation.sigma;
  const learned = model.readout.kind === 'learned';
  const w = learned ? Array.from(th.slice(n * P, n * P + d)) : Array.from((model.readout as { w: Float64Array }).w);
  const c = learned ? th[n * P + d]! : (model.readout as { c: number }).c;
  let loss = 0;
  for (let s = 0; s < S; s++) {
    let x = Array.from(data.x.slice(s * d, s * d + d));
    for (let k = 0; k < n; k++) {
      x = x.map((xi, i) => {
        let z = th[k * P + d * d + i]!;
        for (let j = 0; j < d; j++) z += th[k * P + i * d + j]! * x[j]!;
        return xi + sig(z) / n;
      });
    }
    const r = x.reduce((acc, xi, i) => acc + w[i]! * xi, c) - data.y[s]!;
    loss += 0.5 * r * r / S;
  }
  let reg = 0;
  for (let j = 0; j < P; j++) {
    const R = j < d * d ? model.regK : model.regB;
    for (let k = 0; k < n; k++) {
      reg += R.ridge / n * th[k * P + j]! ** 2;
      if (k + 1 < n) reg += R.smooth * n ** model.kappa * (th[(k + 1) * P + j]! - th[k * P + j]!) ** 2;
    }
  }
  if (learned) for (let i = n * P; i < th.length; i++) reg += (model.readout as { ridge: number }).ridge * th[i]! ** 2;
  return loss + reg;
}

function randomData(d: number, S: number, seed: number): Dataset {
  const r = makeRng(seed);
  const x = r.fillUniform(new Float64Array(S * d), -1, 1), y = r.fillUniform(new Float64Array(S), -1, 1);
  return { d, S, x, y, source: 'random', inputs: [], target: 'y' };
}

const cases: { name: string; d: number; act: string; learned: boolean; kappa: number }[] = [
  { name: 'd=2 tanh fixed readout (benchmark kernel)', d: 2, act: 'tanh', learned: false, kappa: 1 },
  { name: 'd=2 softplus learned readout', d: 2, act: 'softplus', learned: true, kappa: 1.5 },
  { name: 'd=1 tanh learned readout', d: 1, act: 'tanh', learned: true, kappa: 1 },
  { name: 'd=3 softplus fixed readout, κ = 0.5', d: 3, act: 'softplus', learned: false, kappa: 0.5 },
];

for (const cs of cases) {
  test(`${cs.name}: value matches the reference; Taylor remainder is O(ε²); FD agrees`, () => {
    const data = randomData(cs.d, 37, 11 + cs.d);
    const model: GammaModel = {
      activation: getActivation(cs.act), kappa: cs.kappa,
      regK: { ridge: 2e-3, smooth: 3e-3 }, regB: { ridge: 1e-3, smooth: 5e-3 },
      readout: cs.learned ? { kind: 'learned', ridge: 1e-2, w0: new Float64Array(cs.d).fill(0.7), c0: 0.1 }
        : { kind: 'fixed', w: Float64Array.from({ length: cs.d }, (_, i) => (i % 2 ? -1 : 1)), c: 0.2 },
    };
    for (const n of [1, 5, 24]) {
      const ob = depthObjective(model, data, n);
      const rng = makeRng(100 + n);
      const th = rng.fillUniform(new Float64Array(ob.size), -1, 1);
      const g = new Float64Array(ob.size);
      const E = ob.fg(th, g);
      const Eref = referenceE(model, data, n, th);
      // same sums in a different order: a few hundred ulps of E at most
      assert.ok(Math.abs(E - Eref) <= 1e-13 * Math.abs(Eref), `n=${n}: E ${E} vs reference ${Eref}`);
      assert.ok(Math.abs(ob.parts(th).total - E) <= 1e-14 * Math.abs(E));
      // Taylor test along a random direction: r(ε) = |E(θ+εv) − E − ε g·v| ∝ ε²
      const v = rng.fillUniform(new Float64Array(ob.size), -1, 1);
      let gv = 0; for (let i = 0; i < v.length; i++) gv += g[i]! * v[i]!;
      const tmp = new Float64Array(ob.size), g2 = new Float64Array(ob.size);
      const rem = (eps: number): number => {
        for (let i = 0; i < v.length; i++) tmp[i] = th[i]! + eps * v[i]!;
        return Math.abs(ob.fg(tmp, g2) - E - eps * gv);
      };
      const r1 = rem(1e-2), r2 = rem(5e-3), r3 = rem(2.5e-3);
      const o1 = Math.log2(r1 / r2), o2 = Math.log2(r2 / r3);
      // second-order remainder: observed order 2 ± 0.15 (the ε³ term shifts it slightly)
      assert.ok(Math.abs(o1 - 2) < 0.15 && Math.abs(o2 - 2) < 0.15, `n=${n}: Taylor orders ${o1}, ${o2}`);
      // central differences of the independent reference on a few coordinates: error O(ε²)·E'''
      for (const i of [0, ob.size - 1, Math.floor(ob.size / 2)]) {
        const e = 1e-5, tp = Float64Array.from(th);
        tp[i] = th[i]! + e; const fp = referenceE(model, data, n, tp);
        tp[i] = th[i]! - e; const fm = referenceE(model, data, n, tp);
        const fd = (fp - fm) / (2 * e);
        // ε² third-derivative truncation + ε_mach·|E|/ε rounding ≈ 1e-9 for E = O(1) … O(n)
        assert.ok(Math.abs(fd - g[i]!) <= 1e-8 * Math.max(1, Math.abs(E)), `n=${n} i=${i}: fd ${fd} vs ${g[i]}`);
      }
    }
  });
}

test('blocked kernel: the same E and ∇E for every sample block size', () => {
  const data = randomData(2, 300, 3);
  const model: GammaModel = {
    activation: getActivation('tanh'), kappa: 1, regK: { ridge: 1e-3, smooth: 1e-3 }, regB: { ridge: 1e-3, smooth: 1e-3 },
    readout: { kind: 'fixed', w: Float64Array.from([1, -1]), c: 0 },
  };
  // n = 2048 forces several cache blocks (B < S); E against the reference
  const n = 2048;
  const ob = depthObjective(model, data, n);
  assert.ok(ob.block < data.S, `block ${ob.block} should split ${data.S} samples`);
  const th = makeRng(5).fillUniform(new Float64Array(ob.size), -0.5, 0.5);
  const g = new Float64Array(ob.size);
  const E = ob.fg(th, g);
  const Eref = referenceE(model, data, n, th);
  assert.ok(Math.abs(E - Eref) <= 1e-12 * Math.abs(Eref), `E ${E} vs ${Eref}`);
});

test('the batched kernel is the Euler scheme\'s discrete adjoint (numeric engineer\'s resnetField + backward)', () => {
  for (const [d, act] of [[2, 'tanh'], [3, 'softplus']] as const) {
    const data = randomData(d, 13, 40 + d), n = 17, S = data.S;
    const w = Float64Array.from({ length: d }, (_, i) => 1 - 0.5 * i);
    // regulariser off: fg is then exactly the loss and its gradient
    const model: GammaModel = {
      activation: getActivation(act), kappa: 1, regK: { ridge: 0, smooth: 0 }, regB: { ridge: 0, smooth: 0 },
      readout: { kind: 'fixed', w, c: 0.1 },
    };
    const ob = depthObjective(model, data, n);
    const th = makeRng(d).fillUniform(new Float64Array(ob.size), -1, 1);
    const g = new Float64Array(ob.size);
    const E = ob.fg(th, g);
    const euler = makeScheme('euler', resnetField(d, getActivation(act), { samples: S }));
    const xs = forward(euler, data.x, th, { N: n, T: 1 });
    const pN = new Float64Array(S * d);
    let loss = 0;
    for (let s = 0; s < S; s++) {
      let out = 0.1;
      for (let i = 0; i < d; i++) out += w[i]! * xs[n * S * d + s * d + i]!;
      const r = out - data.y[s]!;
      loss += 0.5 * r * r / S;
      for (let i = 0; i < d; i++) pN[s * d + i] = r * w[i]! / S;
    }
    const { gTheta } = backward(euler, xs, th, { N: n, T: 1 }, pN);
    // same sums in another order (and fastTanh vs Math.tanh, ≤ 3 ulps): rounding level
    assert.ok(Math.abs(E - loss) <= 1e-14 * loss, `${act}: E ${E} vs ${loss}`);
    let gm = 0, ge = 0;
    for (let i = 0; i < g.length; i++) { gm = Math.max(gm, Math.abs(gTheta[i]!)); ge = Math.max(ge, Math.abs(g[i]! - gTheta[i]!)); }
    assert.ok(ge <= 1e-13 * gm, `${act}: gradient differs by ${ge} (scale ${gm})`);
  }
});

test('metric() is the regulariser\'s Hessian (2·ridge/n) I + 2·smooth·n^κ (−Δ, Neumann ends), per slot', () => {
  // w = 0: the loss gradient vanishes, so ∇E is the regulariser's, linear in θ with Hessian M
  const data = randomData(2, 5, 9);
  const model: GammaModel = {
    activation: getActivation('tanh'), kappa: 1.5, regK: { ridge: 2e-3, smooth: 3e-3 }, regB: { ridge: 7e-3, smooth: 5e-4 },
    readout: { kind: 'fixed', w: Float64Array.from([0, 0]), c: 0.3 },
  };
  for (const n of [1, 2, 9]) {
    const ob = depthObjective(model, data, n), M = ob.metric(), rng = makeRng(60 + n);
    const th = rng.fillUniform(new Float64Array(ob.size), -1, 1), v = rng.fillUniform(new Float64Array(ob.size), -1, 1);
    const tv = th.map((x, i) => x + v[i]!);
    const g0 = new Float64Array(ob.size), g1 = new Float64Array(ob.size), Mv = new Float64Array(ob.size), back = new Float64Array(ob.size);
    ob.fg(th, g0); ob.fg(tv, g1); M.multiply(v, Mv); M.apply(Mv, back);
    let scale = 0;
    for (let i = 0; i < ob.size; i++) scale = Math.max(scale, Math.abs(Mv[i]!));
    for (let i = 0; i < ob.size; i++) {
      // ∇R(θ + v) − ∇R(θ) = M v exactly for a quadratic R: rounding only
      assert.ok(Math.abs(g1[i]! - g0[i]! - Mv[i]!) <= 1e-13 * scale, `n=${n} i=${i}: ${g1[i]! - g0[i]!} vs ${Mv[i]}`);
      // apply is M⁻¹: M⁻¹(M v) = v up to the solve's rounding (cond(M) ≲ 1 + 4·smooth·n^{κ+1}/ridge ≈ 1e2 here)
      assert.ok(Math.abs(back[i]! - v[i]!) <= 1e-12, `n=${n} i=${i}: M⁻¹Mv ${back[i]} vs ${v[i]}`);
    }
  }
});

test('toy data: the 7-point d = 1 set of CLAIMS §2.7', () => {
  const t = toyDataset();
  assert.is(t.S, 7); assert.is(t.d, 1);
  assert.is(t.x[0], -1); assert.is(t.x[6], 1);
  assert.ok(Math.abs(t.y[5]! - Math.tanh(2)) < 1e-15);
});

test.run();
