/**
 * The project's one seeded PRNG: xoshiro128** seeded through splitmix32, so the same seed
 * gives the same numbers on every platform. Every random draw in depthlimit (test points,
 * data sets, initialisations) goes through `makeRng(seed)`; nothing reads Math.random.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number;
  /** Standard normal (Box–Muller, one value per call, no cached state across calls). */
  normal(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Fill `out` with uniform values in [a, b). */
  fillUniform(out: Float64Array, a: number, b: number): Float64Array;
}

export const DEFAULT_SEED = 20191029;

export function makeRng(seed: number = DEFAULT_SEED): Rng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // The state words are kept as int32 (| 0): the bits xoshiro defines, but small integers to
  // V8, where a uint32 ≥ 2³¹ in a closure slot is a heap number allocated on every update
  // (≈ 35 % of next()'s time). Every operation below reads its operands as int32 anyway.
  let a = splitmix() | 0, b = splitmix() | 0, c = splitmix() | 0, d = splitmix() | 0;
  const u32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  // 53-bit uniform from two 32-bit draws.
  const next = (): number => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      let u = next();
      while (u <= 0) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int: (n) => Math.floor(next() * n),
    fillUniform: (out, lo, hi) => {
      for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * next();
      return out;
    },
  };
  return rng;
}

/** 32-bit rotate left, as an int32 (the bits of the uint32 rotation). */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
