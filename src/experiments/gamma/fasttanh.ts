/**
 * tanh accurate to a few ulps, about 4× cheaper than V8's Math.tanh (≈12 ns, which was 80 %
 * of one E + ∇E evaluation of the benchmark objective).
 *
 *   tanh t = −m / (2 + m),   m = expm1(−2|t|) ∈ (−1, 0],   sign restored at the end.
 *
 * expm1(y) by table: y = k·c + r with c = ln2/64, k = round(y/c), |r| ≤ c/2 ≈ 0.0054, and
 *   expm1(y) = expm1(kc) + exp(kc)·expm1(r),
 * where expm1(kc) and exp(kc) are tabulated once (Math.expm1/Math.exp, within an ulp) and
 * expm1(r) is its Taylor polynomial to r⁶ (remainder r⁷/5040 < 1e-17·|r|). The sum has no
 * cancellation (expm1(kc) and exp(kc)·expm1(r) have the same sign or |expm1(kc)| ≥ 2|…|), so the
 * relative error stays at a few ulps for every t, including t → 0 where 1 − e^{−2t} would
 * lose all digits. For |t| ≥ 19, tanh t rounds to ±1 in double precision.
 */
const C = Math.LN2 / 64;
/** c split so that k·C_HI is exact for k < 2¹² (C_HI has 20 significant bits). */
const C_HI = roundTo(C, 20);
const C_LO = C - C_HI;
const INV_C = 1 / C;
const T_MAX = 19;
const K_MAX = Math.ceil(2 * T_MAX * INV_C) + 1;
const EXP = new Float64Array(K_MAX + 1), EXPM1 = new Float64Array(K_MAX + 1);
for (let k = 0; k <= K_MAX; k++) { EXP[k] = Math.exp(-k * C); EXPM1[k] = Math.expm1(-k * C); }

/** x rounded to `bits` significant bits (so that small-integer multiples are exact). */
function roundTo(x: number, bits: number): number {
  const e = Math.floor(Math.log2(Math.abs(x)));
  const q = Math.pow(2, bits - 1 - e);
  return Math.round(x * q) / q;
}

/** 1.5·2⁵²: adding and subtracting it rounds a double below 2⁵¹ to the nearest integer. */
const ROUND = 6755399441055744;

export function fastTanh(x: number): number {
  const t = Math.abs(x);
  if (t >= T_MAX) return x < 0 ? -1 : 1;
  const kd = (2 * t * INV_C + ROUND) - ROUND;  // k = round(2t/c), 0 … K_MAX
  const k = kd | 0;
  const r = (kd * C_HI - 2 * t) + kd * C_LO;   // −2t − (−k)c, |r| ≤ c/2
  const q = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  const m = EXPM1[k]! + EXP[k]! * q;
  const v = -m / (2 + m);
  return x < 0 ? -v : v;
}
