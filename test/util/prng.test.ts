import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeRng } from '../../src/util/prng.ts';

test('same seed, same numbers; different seed, different numbers', () => {
  const a = makeRng(7), b = makeRng(7), c = makeRng(8);
  const xa = Array.from({ length: 5 }, () => a.next());
  const xb = Array.from({ length: 5 }, () => b.next());
  const xc = Array.from({ length: 5 }, () => c.next());
  assert.equal(xa, xb);
  assert.not.equal(xa, xc);
});

test('uniform draws have mean 1/2 and variance 1/12 within 5 standard errors', () => {
  const r = makeRng(1);
  const n = 100000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const u = r.next(); s += u; s2 += u * u; }
  const mean = s / n, v = s2 / n - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(v - 1 / 12) < 5 * Math.sqrt(1 / 180 / n), `var ${v}`); // Var(U²-type) bound: 1/180
});

test('normal draws have mean 0 and variance 1 within 5 standard errors', () => {
  const r = makeRng(2);
  const n = 100000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n));
});

test.run();
