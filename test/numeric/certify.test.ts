/**
 * Order certification on synthetic ladders whose true order is known by construction:
 * exact power laws with seeded noise, a round-off floor, a pre-asymptotic bump,
 * superconvergence, and negative controls that must not certify.
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

test('exact orders 1, 2, 4 with 2% seeded noise certify as "order p" with the CI containing p', () => {
  for (const [p, k1] of [[1, 16], [2, 16], [4, 9]] as const) {
    for (const seed of [1, 2, 3]) {
      const h = ladder(2, k1);
      const c = certifyOrder(h, noisyPower(h, p, 0.02, seed), p);
      assert.is(c.verdict, 'order', `p=${p} seed=${seed}: ${describeCertificate(c)} ${c.reason}`);
      // the rule's acceptance: p inside the CI widened by the bias allowance 0.05·max(1, p)
      const bias = 0.05 * Math.max(1, p);
      assert.ok(c.ci[0] - bias <= p && p <= c.ci[1] + bias, describeCertificate(c));
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

test('describeCertificate says verdict, slope, half-width, level and points', () => {
  const h = ladder(2, 10);
  const c = certifyOrder(h, noisyPower(h, 1, 0.01, 3), 1);
  assert.match(describeCertificate(c), /^order 1: slope [01]\.\d{3} ± 0\.\d{3} \(95% CI, \d of 9 points\)$/);
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
  // A 95% CI (plus the bias allowance) may wrongly cover p a few % of the time at most.
  assert.ok(wrongOrder / wrong < 0.02, `wrong orders certified: ${wrongOrder}/${wrong}`);
  assert.ok(rightMissed / right < 0.02, `true orders missed: ${rightMissed}/${right}`);
});

test('malformed ladders are UserErrors', () => {
  assert.throws(() => certifyOrder([1, 2], [1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, -2], [1, 1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, 1], [1, 1], 1), (e: unknown) => e instanceof UserError);
  assert.throws(() => certifyOrder([1, 0.5], [1, 1], NaN), (e: unknown) => e instanceof UserError);
});

test.run();
