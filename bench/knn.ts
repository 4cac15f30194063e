/**
 * Benchmark: the k-th nearest-neighbour distances behind the Kozachenko–Leonenko entropy of
 * C9/monte-carlo (n = 8000 points in d = 3, k = 3), by the k-d tree search of numeric/entropy.ts
 * against the all-pairs search it replaced (what C9 did before issue 15).
 * Both give the same bits, asserted here. Rounds alternate the two so load from other jobs hits
 * both; prints medians and the ratio. Run: node --import tsx bench/knn.ts
 */
import { kthNeighbourSquared } from '../src/numeric/entropy.ts';
import { makeRng } from '../src/util/prng.ts';

const ROUNDS = 7, n = 8000, d = 3, k = 3;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/** The peer: every pair, the k smallest squared distances kept by insertion. */
function allPairs(X: Float64Array): Float64Array {
  const out = new Float64Array(n), best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let a = 0; a < d; a++) { const q = X[i * d + a]! - X[j * d + a]!; s += q * q; }
      if (s < best[k - 1]!) {
        let m = k - 1;
        while (m > 0 && best[m - 1]! > s) { best[m] = best[m - 1]!; m--; }
        best[m] = s;
      }
    }
    out[i] = best[k - 1]!;
  }
  return out;
}

const rng = makeRng(13);
const X = new Float64Array(n * d).map(() => rng.normal());
const a = kthNeighbourSquared(X, d, k), b = allPairs(X);
if (a.some((v, i) => !Object.is(v, b[i]!))) throw new Error('tree and all-pairs distances differ');
const tTree: number[] = [], tPairs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? [[allPairs, tPairs], [(Y: Float64Array) => kthNeighbourSquared(Y, d, k), tTree]] as const
    : [[(Y: Float64Array) => kthNeighbourSquared(Y, d, k), tTree], [allPairs, tPairs]] as const;
  for (const [f, out] of order) {
    const t0 = performance.now();
    f(X);
    out.push(performance.now() - t0);
  }
}
const s = median(tTree), p = median(tPairs);
console.log(`k-th neighbour distances, n = ${n}, d = ${d}, k = ${k} (normal sample)\n  k-d tree ${s.toFixed(1)} ms, all pairs ${p.toFixed(1)} ms (medians of ${ROUNDS} rounds), ${(p / s).toFixed(1)}× faster, same bits`);
