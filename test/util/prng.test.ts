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

test('next() is xoshiro128** (Blackman & Vigna\'s C code, in uint32 arithmetic) seeded by splitmix32, bit for bit', () => {
  // the reference as the C code reads, every word an unsigned 32-bit value
  const ref = (seed: number) => {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const st = [split(), split(), split(), split()];
    const u32 = () => {
      const r = Math.imul(rotl(Math.imul(st[1]!, 5) >>> 0, 7), 9) >>> 0;
      const t = (st[1]! << 9) >>> 0;
      st[2] = (st[2]! ^ st[0]!) >>> 0; st[3] = (st[3]! ^ st[1]!) >>> 0;
      st[1] = (st[1]! ^ st[2]!) >>> 0; st[0] = (st[0]! ^ st[3]!) >>> 0;
      st[2] = (st[2]! ^ t) >>> 0; st[3] = rotl(st[3]!, 11);
      return r;
    };
    return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  };
  for (const seed of [0, 1, 20191029, 0xffffffff, 0x80000000]) {
    const r = makeRng(seed), want = ref(seed);
    for (let i = 0; i < 10000; i++) {
      const x = r.next(), y = want();
      if (x !== y) assert.unreachable(`seed ${seed}, draw ${i}: ${x} ≠ ${y}`);
    }
  }
});

test.run();
