/**
 * tanh accurate to a few ulps and without data-dependent branches, about 2–4× cheaper than
 * V8's Math.tanh (≈11 ns, which was 80 % of one E + ∇E evaluation of the benchmark objective).
 *
 *   tanh x = −m / (2 + m),   m = expm1(y),   y = −2x clamped to [−38, 38]
 * (for |x| ≥ 19, tanh x rounds to ±1 in double precision, and so does the formula).
 *
 * expm1 by table: y = k·c + r with c = ln2/64, k = round(y/c), |r| ≤ c/2 ≈ 0.0054, and
 *   expm1(y) = expm1(kc) + exp(kc)·expm1(r),
 * where expm1(kc) and exp(kc) are tabulated once for |k| ≤ K (Math.expm1/Math.exp, within an
 * ulp) and expm1(r) is its Taylor polynomial to r⁶ (remainder r⁷/5040 < 1e-17·|r|). The two
 * terms never cancel by more than one bit, so the relative error stays at a few ulps for every
 * x, including x → 0 where 1 − e^{−2x} would lose all digits. The sign is carried by y itself:
 * no branch on sign(x), which mispredicted half the time on trained networks' mixed-sign z.
 */
const C = Math.LN2 / 64;
/** c split so that k·C_HI is exact for |k| < 2¹² (C_HI has 20 significant bits). */
const C_HI = roundTo(C, 20);
const C_LO = C - C_HI;
const INV_C = 1 / C;
const Y_MAX = 38;
const K = Math.ceil(Y_MAX * INV_C) + 1;
/** EXP[k + K] = exp(kc), EXPM1[k + K] = expm1(kc), k = −K … K. */
const EXP = new Float64Array(2 * K + 1), EXPM1 = new Float64Array(2 * K + 1);
for (let k = -K; k <= K; k++) { EXP[k + K] = Math.exp(k * C); EXPM1[k + K] = Math.expm1(k * C); }
/** 1.5·2⁵²: adding and subtracting it rounds a double below 2⁵¹ to the nearest integer. */
const ROUND = 6755399441055744;

/** x rounded to `bits` significant bits (so that small-integer multiples are exact). */
function roundTo(x: number, bits: number): number {
  const e = Math.floor(Math.log2(Math.abs(x)));
  const q = Math.pow(2, bits - 1 - e);
  return Math.round(x * q) / q;
}

export function fastTanh(x: number): number {
  const y = Math.min(Y_MAX, Math.max(-Y_MAX, -2 * x));
  const kd = (y * INV_C + ROUND) - ROUND;      // k = round(y/c), |k| ≤ K
  const r = (y - kd * C_HI) - kd * C_LO;       // |r| ≤ c/2
  const q = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  const i = (kd | 0) + K;
  const m = EXPM1[i]! + EXP[i]! * q;
  return -m / (2 + m);
}
