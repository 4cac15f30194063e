/**
 * Order certification on synthetic ladders whose true order is known by construction:
 * exact power laws with seeded noise, smooth ladders with a next error term, a round-off
 * floor, a pre-asymptotic bump, superconvergence, and negative controls that must not
 * certify; then ladders measured by the project whose one-term interval excluded p.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { certifyOrder, describeCertificate, fitLogLog, studentTQuantile } from '../../src/numeric/certify.ts';
import { EPS } from '../../src/util/approx.ts';
import { UserError } from '../../src/util/errors.ts';
import { makeRng } from '../../src/util/prng.ts';

/** h = 2^-k for k = k0..k1 (coarse first). */
const ladder = (k0: number, k1: number): number[] => Array.from({ length: k1 - k0 + 1 }, (_, j) => 2 ** -(k0 + j));

/** err = C h^p · exp(σ·N(0,1)), seeded. */
function noisyPower(h: number[], p: number, sigma: number, seed: number, C = 0.7): number[] {
  const rng = makeRng(seed);
  return h.map((x) => C * x ** p * Math.exp(sigma * rng.normal()));
}

test('studentTQuantile matches tabulated t values', () => {
  // Standard tables (4 significant digits).
  const table: [number, number, number][] = [
    [0.975, 1, 12.706], [0.975, 2, 4.303], [0.975, 5, 2.571], [0.975, 10, 2.228], [0.975, 30, 2.042], [0.995, 4, 4.604], [0.9, 3, 1.638],
  ];
  for (const [q, nu, t] of table) assert.ok(Math.abs(studentTQuantile(q, nu) - t) < 1.5e-3, `t(${q}, ${nu}) = ${studentTQuantile(q, nu)} vs ${t}`);
  assert.ok(Math.abs(studentTQuantile(0.975, 1e6) - 1.95996) < 1e-4, 'large ν → normal quantile');
  assert.ok(Math.abs(studentTQuantile(0.025, 7) + studentTQuantile(0.975, 7)) < 1e-12, 'symmetry');
});

test('fitLogLog recovers an exact power law with a zero-width CI', () => {
  const h = ladder(2, 10);
  const f = fitLogLog(h, h.map((x) => 3 * x ** 2));
  assert.ok(Math.abs(f.slope - 2) < 1e-12);
  assert.ok(Math.abs(Math.exp(f.intercept) - 3) < 1e-11);
  assert.ok(f.ci[1] - f.ci[0] < 1e-10);
});

test('exact orders 1, 2, 4 with 2% seeded noise certify as "order p" with the interval containing p', () => {
  for (const [p, k1] of [[1, 16], [2, 16], [4, 9]] as const) {
    for (const seed of [1, 2, 3]) {
      const h = ladder(2, k1);
      const c = certifyOrder(h, noisyPower(h, p, 0.02, seed), p);
      assert.is(c.verdict, 'order', `p=${p} seed=${seed}: ${describeCertificate(c)} ${c.reason}`);
      assert.ok(c.ci[0] <= p && p <= c.ci[1], describeCertificate(c));
      // 2% noise on ≥ 7 points: the half-width must be small, not just ≤ maxHalfWidth.
      assert.ok(c.halfWidth < 0.1, describeCertificate(c));
    }
  }
});

test('a round-off floor growing like ε·N is dropped at the fine end; order 4 still certified', () => {
  const h = ladder(1, 14);
  // Truncation 0.5 h^4 plus accumulated round-off 50 ε / h (N = 1/h steps).
  const rng = makeRng(7);
  const err = h.map((x) => 0.5 * x ** 4 + (50 * EPS / x) * (1 + 0.3 * rng.next()));
  const c = certifyOrder(h, err, 4);
  assert.is(c.verdict, 'order', `${describeCertificate(c)} ${c.reason}`);
  const floorDrops = c.dropped.filter((d) => d.reason === 'round-off floor').map((d) => d.index);
  assert.ok(floorDrops.length >= 4, `floor points dropped: ${floorDrops}`);
  // Every floor drop is finer than every used point.
  assert.ok(Math.min(...floorDrops) > Math.max(...c.used));
  // Without the rule (fit over everything) the slope is nowhere near 4.
  assert.ok(Math.abs(fitLogLog(h, err).slope - 4) > 1, 'the floor would have spoilt a naive fit');
});

test('negative control: an order reduction that sets in inside the round-off band is not mistaken for round-off', () => {
  // err = h⁴ + 1e-5 h²: slope 4 at the coarse end, a clean slope 2 from err ≈ 4e-10 down to
  // 6e-13 (above the absolute floor). That tail still converges, so it is a lower order and
  // must refute "order 4"; a genuine floor (the ε·N test above) stagnates and is dropped.
  const h = ladder(2, 14);
  const c = certifyOrder(h, h.map((x) => x ** 4 + 1e-5 * x ** 2), 4);
  assert.is.not(c.verdict, 'order', describeCertificate(c));
  assert.ok(c.used.includes(h.length - 3), 'the converging fine end stays in the fit');
});

test('errors at or below the absolute floor are dropped; a custom floor is honoured', () => {
  const h = ladder(2, 12);
  const err = h.map((x) => Math.max(x ** 3, 1e-14));
  const c = certifyOrder(h, err, 3);
  assert.is(c.verdict, 'order', describeCertificate(c));
  assert.ok(c.dropped.every((d) => d.reason === 'round-off floor' && err[d.index]! <= 1e3 * EPS));
  const c2 = certifyOrder(h, h.map((x) => x ** 3), 3, { floor: 1e-6 });
  assert.ok(c2.used.every((i) => h[i]! ** 3 > 1e-6));
  assert.ok(c2.dropped.length > 0);
});

test('a pre-asymptotic bump at the coarse end is dropped; the naive fit would have failed', () => {
  const h = ladder(2, 16);
  const err = h.map((x) => x * (1 + 30 * x));
  const naive = fitLogLog(h, err).slope;
  assert.ok(naive > 1.1, `naive slope ${naive}`);
  const c = certifyOrder(h, err, 1);
  assert.is(c.verdict, 'order', `${describeCertificate(c)} ${c.reason}`);
  const pre = c.dropped.filter((d) => d.reason === 'pre-asymptotic').map((d) => d.index);
  assert.ok(pre.length >= 3, `pre-asymptotic drops ${pre}`);
  assert.ok(Math.max(...pre) < Math.min(...c.used), 'only coarse points are dropped as pre-asymptotic');
  assert.ok(c.used.length >= 3);
});

test('superconvergence: slope 2 claimed as 1 is "at least 1"; claimed as 2 it is "order 2"', () => {
  const h = ladder(2, 14);
  const err = noisyPower(h, 2, 0.01, 11);
  assert.is(certifyOrder(h, err, 1).verdict, 'at least');
  assert.is(certifyOrder(h, err, 2).verdict, 'order');
  // …and a superconvergent sequence is never reported as plain "order 1".
  assert.is.not(certifyOrder(h, err, 1).verdict, 'order');
});

test('negative control: slope 0.5 claimed as order 1 does not certify', () => {
  const h = ladder(2, 16);
  for (const seed of [1, 2, 3]) {
    const c = certifyOrder(h, noisyPower(h, 0.5, 0.02, seed), 1);
    assert.is(c.verdict, 'inconclusive', describeCertificate(c));
  }
});

test('negative control: a plateau (C23-type O(1) gap, or a flat noisy error) does not certify', () => {
  const h = ladder(2, 16);
  assert.is(certifyOrder(h, h.map((x) => 0.27 + x), 1).verdict, 'inconclusive');
  assert.is(certifyOrder(h, noisyPower(h, 0, 0.05, 5, 1e-3), 1).verdict, 'inconclusive');
  // A plateau inside the round-off band is dropped as floor, leaving too few points.
  const tiny = certifyOrder(h, h.map(() => 1e-11), 1);
  assert.is(tiny.verdict, 'inconclusive');
});

test('negative control: random log-uniform errors never certify any order (20 seeds)', () => {
  const h = ladder(2, 16);
  for (let seed = 1; seed <= 20; seed++) {
    const rng = makeRng(seed);
    const err = h.map(() => 10 ** rng.uniform(-8, -1));
    for (const p of [1, 2, 4]) {
      const c = certifyOrder(h, err, p);
      assert.is.not(c.verdict, 'order', `seed ${seed} p ${p}: ${describeCertificate(c)}`);
    }
  }
});

test('negative control: too few points is inconclusive, even when exact', () => {
  const c = certifyOrder([0.1, 0.05], [0.1, 0.05], 1);
  assert.is(c.verdict, 'inconclusive');
  assert.ok(!Number.isFinite(c.halfWidth));
  const c1 = certifyOrder([0.1], [0.1], 1);
  assert.is(c1.verdict, 'inconclusive');
  assert.match(describeCertificate(c1), /too few points/);
});

test('non-finite and zero errors are dropped with their reason; ladder order does not matter', () => {
  const h = ladder(2, 10);
  const err = h.map((x) => 2 * x);
  err[0] = NaN; err[1] = 0;
  const c = certifyOrder(h, err, 1);
  assert.equal(c.dropped.slice(0, 2), [{ index: 0, reason: 'non-finite or zero' }, { index: 1, reason: 'non-finite or zero' }]);
  assert.is(c.verdict, 'order');
  const r = certifyOrder([...h].reverse(), [...err].reverse(), 1);
  assert.ok(Math.abs(r.slope - c.slope) < 1e-12);
  assert.equal(r.used.map((i) => h.length - 1 - i), c.used);
});

test('describeCertificate says verdict, slope, half-width, level, the model fitted and points', () => {
  const h = ladder(2, 10);
  const c = certifyOrder(h, noisyPower(h, 1, 0.01, 3), 1);
  assert.match(describeCertificate(c), /^order 1: slope [01]\.\d{3} ± 0\.\d{3} \(95% CI \+ next-term bias; fit C·h\^s \+ D·h\^\(s\+1\); \d of 9 points\)$/);
  assert.is(c.model, 'two-term');
  assert.is(c.nextOrder, 1);
  const short = certifyOrder(h.slice(0, 4), h.slice(0, 4).map((x) => x * (1 + x)), 1);
  assert.is(short.model, 'one-term', 'four points: the one-term slope, its bias from the two-term fit');
  assert.match(describeCertificate(short), /fit C·h\^s; 4 of 4 points\)$/);
  assert.match(describeCertificate(certifyOrder(h, h.map((x) => x * x * (1 + x * x)), 2, { nextOrder: 2 })), /fit C·h\^s \+ D·h\^\(s\+2\)/);
  assert.match(c.rule, /round-off floor/);
  const bad = certifyOrder(h, noisyPower(h, 0.5, 0.01, 3), 1);
  assert.match(describeCertificate(bad), /^inconclusive \(expected 1\): slope 0\.\d{3}/);
});

test('calibration: on seeded random ladders (≥ 6 points, ≤ 5% noise) wrong orders almost never certify, right ones almost always do', () => {
  const rng = makeRng(99);
  let wrong = 0, wrongOrder = 0, right = 0, rightMissed = 0;
  for (let trial = 0; trial < 1500; trial++) {
    const n = 6 + rng.int(10), p = [1, 2, 4][rng.int(3)]!, unit = Math.max(1, p);
    const h = ladder(1 + rng.int(3), n + rng.int(3));
    const off = rng.next() < 0.5 ? 0 : (0.1 + 0.4 * rng.next()) * unit * (rng.next() < 0.5 ? -1 : 1);
    const sigma = [0, 0.01, 0.05][rng.int(3)]!;
    const err = h.map((x) => 0.5 * x ** (p + off) * Math.exp(sigma * rng.normal()));
    const c = certifyOrder(h, err, p);
    if (off === 0) { right++; if (c.verdict !== 'order') rightMissed++; }
    else { wrong++; if (c.verdict === 'order') wrongOrder++; }
  }
  // A 95% interval may wrongly cover p a few % of the time at most.
  assert.ok(wrongOrder / wrong < 0.02, `wrong orders certified: ${wrongOrder}/${wrong}`);
  assert.ok(rightMissed / right < 0.02, `true orders missed: ${rightMissed}/${right}`);
});

/**
 * Seeded random ladders err = C h^{p'} (1 + D h^q)·e^{σZ}: 5–14 points, D h_max^q up to ±0.9
 * (a strong next term), q ∈ {1, 2}, σ ∈ {0, 0.1 %, 1 %, 5 %}; true order p' = p (half the
 * ladders) or p ± δ with δ ∈ [0.25, 0.75]·max(1, p), certified against p ∈ {1, 2, 4}.
 */
function randomLadders(trials: number, seed: number) {
  const rng = makeRng(seed);
  return Array.from({ length: trials }, () => {
    const p = [1, 2, 4][rng.int(3)]!, unit = Math.max(1, p);
    const n = 5 + rng.int(10), k0 = 1 + rng.int(4), h = ladder(k0, k0 + n - 1);
    const off = rng.next() < 0.5 ? 0 : (0.25 + 0.5 * rng.next()) * unit * (rng.next() < 0.5 ? -1 : 1);
    const sigma = [0, 1e-3, 0.01, 0.05][rng.int(4)]!;
    const q = [1, 2][rng.int(2)]!;
    const D = (rng.next() < 0.5 ? -1 : 1) * 0.9 * rng.next() / h[0]! ** q;
    const err = h.map((x) => 0.5 * x ** (p + off) * (1 + D * x ** q) * Math.exp(sigma * rng.normal()));
    return { p, off, sigma, q, h, err };
  });
}

test('random ladders with a next term and noise: a wrong order is certified in < 2 % of cases, a true one is rarely missed', () => {
  let wrong = 0, wrongOrder = 0, right = 0, rightMissed = 0;
  for (const l of randomLadders(3000, 2024)) {
    const c = certifyOrder(l.h, l.err, l.p);
    if (l.off === 0) { right++; if (c.verdict !== 'order') rightMissed++; }
    else { wrong++; if (c.verdict === 'order') wrongOrder++; }
  }
  assert.ok(wrong > 1300 && right > 1300);
  assert.ok(wrongOrder / wrong < 0.02, `wrong orders certified: ${wrongOrder}/${wrong}`);
  // misses are short noisy ladders whose interval is wider than 0.25: inconclusive, not wrong
  assert.ok(rightMissed / right < 0.1, `true orders missed: ${rightMissed}/${right}`);
});

test('smooth ladders with next terms: the reported interval itself contains p (no allowance); the one-term CI often does not', () => {
  const rng = makeRng(5);
  let covered = 0, oneTermCovered = 0, trials = 0;
  for (let trial = 0; trial < 400; trial++) {
    const p = [0.5, 1, 2, 4][rng.int(4)]!, q = [1, 2][rng.int(2)]!;
    const n = 6 + rng.int(9), k0 = 2 + rng.int(3), h = ladder(k0, k0 + n - 1);
    const D = (rng.next() - 0.5) * 1.2 / h[0]! ** q, E = (rng.next() - 0.5) * 0.6 / h[0]! ** (2 * q);
    const err = h.map((x) => 0.3 * x ** p * (1 + D * x ** q + E * x ** (2 * q)));
    const c = certifyOrder(h, err, p);
    trials++;
    if (c.ci[0] <= p && p <= c.ci[1]) covered++;
    const f = fitLogLog(h, err);
    if (f.ci[0] <= p && p <= f.ci[1]) oneTermCovered++;
  }
  assert.ok(covered / trials >= 0.98, `interval contains p on ${covered}/${trials} smooth ladders`);
  assert.ok(oneTermCovered / trials < 0.5, `the one-term Student-t CI contains p on only ${oneTermCovered}/${trials}`);
});

test('measured ladders whose one-term CI excluded p: the two-term interval contains it (RK4 converge, C5 oscillation, a gamma minimiser distance)', () => {
  const cases: { what: string; p: number; h: number[]; err: number[]; scale?: number }[] = [
    { // converge --scheme rk4 --depths 4..1024 --rtol 1e-13 (one-term CI [4.07, 4.24])
      what: 'RK4', p: 4, scale: 1, h: ladder(2, 10),
      err: [4.811364339959989e-5, 1.9758912521705696e-6, 9.456568372812058e-8, 5.075510983720832e-9, 2.9232091747211086e-10, 1.7505052962718537e-11, 1.0648149029179876e-12, 6.011857678345223e-14, 1.8207657603852567e-14] },
    { // C5: peak-to-peak oscillation of the discrete Hamiltonian (one-term CI [0.989, 0.997])
      what: 'C5', p: 1, h: [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125, 0.0015625, 0.00078125, 0.000390625],
      err: [0.008444703510348317, 0.004302446126148551, 0.002193837114687347, 0.00110595844048067, 0.0005552683726058327, 0.000278209881346414, 0.00013924921974256543, 0.00006966071968961263, 0.00003483939203463571, 0.000017421954639273984] },
    { // gamma --data data/gamma-data.csv: sup distance of consecutive minimisers (one-term CI [0.871, 0.962])
      what: 'gamma sup distance', p: 1, h: ladder(2, 9),
      err: [0.0778193807591313, 0.043401255914017, 0.025391003911920174, 0.014667281329119986, 0.008160016394914371, 0.004366805808156959, 0.002272203011332019, 0.0011588273270330962] },
  ];
  for (const k of cases) {
    const c = certifyOrder(k.h, k.err, k.p, k.scale ? { scale: k.scale } : {});
    const used = c.used.map((i) => k.h[i]!);
    const one = fitLogLog(used, c.used.map((i) => k.err[i]!));
    assert.ok(one.ci[0] > k.p || one.ci[1] < k.p, `${k.what}: the one-term CI [${one.ci}] over the same points excludes ${k.p}`);
    assert.is(c.model, 'two-term', k.what);
    assert.ok(c.ci[0] <= k.p && k.p <= c.ci[1], `${k.what}: ${describeCertificate(c)}`);
    assert.is(c.verdict, 'order', `${k.what}: ${describeCertificate(c)}`);
  }
});

test('a max-norm ladder whose largest component settles late (Heun on van der Pol): the unsettled coarse points are pre-asymptotic, order 2 certified', () => {
  const h = ladder(2, 9);
  const err = [0.0012227777732396472, 0.0003170495150499053, 0.0000783971093157032, 0.000021567702499503127, 0.0000056578798343087655, 0.000001447727723480341, 3.660899696722453e-7, 9.204228490489186e-8];
  const c = certifyOrder(h, err, 2);
  assert.is(c.verdict, 'order', describeCertificate(c));
  assert.equal(c.dropped, [{ index: 0, reason: 'pre-asymptotic' }, { index: 1, reason: 'pre-asymptotic' }]);
  // the same rule keeps noisy ladders whole: local slopes on both sides of the reference by noise alone
  let kept = 0;
  for (let seed = 1; seed <= 20; seed++) if (certifyOrder(ladder(2, 12), noisyPower(ladder(2, 12), 2, 0.02, seed), 2).dropped.length === 0) kept++;
  assert.ok(kept >= 17, `noisy ladders kept whole: ${kept}/20`);
});

test('nextOrder must be a positive number', () => {
  assert.throws(() => certifyOrder([1, 0.5, 0.25], [1, 0.5, 0.25], 1, { nextOrder: 0 }), (e: unknown) => e instanceof UserError);
});

test('options that would bend the verdict are UserErrors: NaN maxHalfWidth certified any width, a negative margin called p-in-the-interval superconvergent', () => {
  const h = ladder(2, 9);
  const noisy = noisyPower(h, 1, 0.3, 5); // half-width ≫ 0.25 at 30 % noise on 8 points
  assert.is.not(certifyOrder(h, noisy, 1).verdict, 'order');
  const isUE = (e: unknown) => e instanceof UserError;
  for (const o of [{ maxHalfWidth: NaN }, { maxHalfWidth: 0 }, { margin: -5 }, { margin: NaN }, { slopeTol: NaN }, { slopeTol: -0.1 }, { floor: NaN }, { floor: -1 }, { scale: NaN }, { scale: -1 }]) {
    assert.throws(() => certifyOrder(h, noisy, 1, o), isUE, JSON.stringify(o));
  }
  assert.is(certifyOrder(h, h, 1, { margin: 0, floor: 0 }).verdict, 'order', 'zero margin and floor are meaningful');
});

test('malformed ladders are UserErrors', () => {
  assert.throws(() => certifyOrder([1, 2], [1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, -2], [1, 1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, 1], [1, 1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, 0.5], [1, 1], NaN), (e: unknown) => e instanceof UserError);
  // signed errors: the negative ones were dropped as "non-finite or zero" and the positive ones certified
  const h = ladder(2, 9), signed = h.map((x, i) => (i % 2 ? -1 : 1) * 0.7 * x);
  assert.throws(() => certifyOrder(h, signed, 1), (e: unknown) => e instanceof UserError && /err\[1\] = -.* is negative/.test((e as Error).message));
  assert.throws(() => certifyOrder(h, h.map(String) as never, 1), (e: unknown) => e instanceof UserError && /err\[0\] = 0\.25 is not a number/.test((e as Error).message));
});

test.run();
