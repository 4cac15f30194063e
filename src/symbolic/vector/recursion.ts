/**
 * The modified-equation recursion over any algebra of vector fields (the componentwise one is
 * src/symbolic/modified.ts; this one runs it on vector-form and tree-form expressions).
 *
 * For Φ_ε = x + Σ ε^j F_j applied at t_n = nε, the time-ε flow of f_ε = Σ ε^{j−1} f_j is the Lie
 * series Σ ε^n/n! L^n id with L φ = Dφ·f_ε + ∂_t φ. With c(n, r) = [ε^r] L^n id:
 *   c(1, r) = f_{r+1},  c(n, r) = Σ_{a+b=r} D c(n−1, a)·f_{b+1}  (+ ∂_t c(n−1, a) when b = 0),
 *   f_m = F_m − Σ_{n=2}^{m} c(n, m−n)/n!
 * (Hairer–Lubich–Wanner, Geometric Numerical Integration, IX.1, the recursion behind Thm 1.1).
 */
import { rat, type Rat } from '../rational.ts';

/** What the recursion needs from an algebra of vector fields T. */
export interface FieldAlgebra<T> {
  zero(): T;
  add(a: T, b: T): T;
  scale(a: T, c: Rat): T;
  /** Dφ·v, plus ∂_t φ when withTime (the time component of f_ε is 1 at order ε⁰). */
  lie(phi: T, v: T, withTime: boolean): T;
}

/** f_1…f_k from F_1…F_k (F[j−1] = F_j), in the algebra `alg`. */
export function modifiedTerms<T>(F: readonly T[], alg: FieldAlgebra<T>): T[] {
  const f: T[] = [];
  const c = new Map<string, T>();
  const get = (n: number, r: number): T => {
    if (n === 1) return f[r]!;
    const key = `${n},${r}`;
    let v = c.get(key);
    if (v === undefined) {
      v = alg.zero();
      for (let a = 0; a <= r; a++) v = alg.add(v, alg.lie(get(n - 1, a), f[r - a]!, r - a === 0));
      c.set(key, v);
    }
    return v;
  };
  for (let m = 1; m <= F.length; m++) {
    let fm: T = F[m - 1] as T;
    let fact = 1;
    for (let n = 2; n <= m; n++) {
      fact *= n;
      fm = alg.add(fm, alg.scale(get(n, m - n), rat(-1, fact)));
    }
    f.push(fm);
  }
  return f;
}
