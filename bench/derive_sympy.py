"""SymPy peer of bench/derive.ts and bench/derive-table.ts.

Layer: the FF layer x+ = z + eps*tanh(z), z = (I + eps A)x + eps*beta in dimension d, with
symbolic A (a11..) and beta (b1..), or numeric A_ij = ((i + 2j) mod 5) - 2, beta_i = (i mod 3) - 1
(bench/derive-layer.ts). Work, the same as depthlimit's:
  Taylor coefficients F_1..F_k by repeated differentiation in eps at eps = 0 (SymPy's fastest route),
  modified equation f_1..f_k by the Lie-series recursion of src/symbolic/modified.ts:
    c(1, r) = f_{r+1},  c(n, r) = sum_{a+b=r} D c(n-1, a) . f_{b+1},  f_m = F_m - sum_{n=2}^m c(n, m-n)/n!,
each result expanded.
Usage:
  python3 bench/derive_sympy.py [reps]             the d = 3 benchmark of bench/derive.ts (JSON)
  python3 bench/derive_sympy.py row d k1 k2 symbolic|numeric cap
      cells k = k1..k2 of one row of the cost table, one JSON line per cell run: {k, seconds (CPU
      of this process), terms, value: f_k[1] at the bench point} or {k, capped}; SymPy's cache is
      cleared before every run, a run over cap CPU seconds is stopped (ITIMER_PROF) and ends the row;
      runs under 1 s are repeated (3 in all)
"""
import json, sys, time
import sympy as sp

def ff_layer(d, mode='symbolic'):
    eps = sp.Symbol('eps')
    x = [sp.Symbol('x')] if d == 1 else list(sp.symbols(f'x1:{d + 1}'))
    if mode == 'numeric':
        A = sp.Matrix(d, d, lambda i, j: ((i + 2 * j) % 5) - 2)
        b = [(i % 3) - 1 for i in range(d)]
    elif d == 1:
        A = sp.Matrix([[sp.Symbol('a')]]); b = [sp.Symbol('b')]
    else:
        A = sp.Matrix(d, d, lambda i, j: sp.Symbol(f'a{i+1}{j+1}'))
        b = list(sp.symbols(f'b1:{d + 1}'))
    comps = []
    for i in range(d):
        z = x[i] + eps * (sum(A[i, j] * x[j] for j in range(d)) + b[i])
        comps.append(z + eps * sp.tanh(z))
    return eps, x, comps

def taylor(comps, eps, order):
    out = []
    for c in comps:
        cur, row = c, []
        for k in range(order + 1):
            if k > 0:
                cur = sp.diff(cur, eps)
            row.append(sp.expand(cur.subs(eps, 0) / sp.factorial(k)))
        out.append(row)
    return out

def modified(F, x):
    """F[m-1] = F_m (vectors); returns f[m-1] = f_m."""
    k, d = len(F), len(x)
    f, c = [], {}
    def get(n, r):
        if n == 1:
            return f[r]
        if (n, r) not in c:
            v = [sp.Integer(0)] * d
            for a in range(r + 1):
                prev, fb = get(n - 1, a), f[r - a]
                v = [v[i] + sum(sp.diff(prev[i], x[j]) * fb[j] for j in range(d)) for i in range(d)]
            c[(n, r)] = [sp.expand(e) for e in v]
        return c[(n, r)]
    for m in range(1, k + 1):
        fm = list(F[m - 1])
        for n in range(2, m + 1):
            cn = get(n, m - n)
            fm = [fm[i] - cn[i] / sp.factorial(n) for i in range(d)]
        f.append([sp.expand(e) for e in fm])
    return f

def bench_point(symbols):
    names = sorted(str(s) for s in symbols)
    return {n: (-1) ** j * 0.1 * (1 + j % 7) for j, n in enumerate(names)}

def cell(d, k, mode):
    t0 = time.process_time()
    eps, x, comps = ff_layer(d, mode)
    C = taylor(comps, eps, k)
    F = [[C[i][m] for i in range(d)] for m in range(1, k + 1)]
    f = modified(F, x)
    seconds = time.process_time() - t0
    terms = sum(len(sp.Add.make_args(e)) for v in F + f for e in v if e != 0)
    syms = set(x) | set().union(*[e.free_symbols for v in F for e in v])
    syms.discard(eps)
    pt = bench_point(syms)
    value = float(f[k - 1][0].xreplace({sp.Symbol(n): sp.Float(v, 30) for n, v in pt.items()}))
    return {'seconds': seconds, 'terms': terms, 'value': value}

# --- the d = 3 benchmark of bench/derive.ts --------------------------------------------------

def coefficients(order):
    eps, x, comps = ff_layer(3)
    return taylor(comps, eps, order)

def modified2():
    eps, x, comps = ff_layer(3)
    C = coefficients(2)
    F1 = [C[i][1] for i in range(3)]
    F2 = [C[i][2] for i in range(3)]
    J = sp.Matrix(3, 3, lambda i, j: sp.diff(F1[i], x[j]))
    return [sp.expand(F2[i] - sp.Rational(1, 2) * sum(J[i, j] * F1[j] for j in range(3))) for i in range(3)]

def timeit(f, reps):
    ts = []
    for _ in range(reps):
        sp.core.cache.clear_cache()
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2], ts

if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'row':
        import signal
        d, k1, k2, mode, cap = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], float(sys.argv[6])
        class Capped(Exception): pass
        def on_prof(*_): raise Capped()
        signal.signal(signal.SIGPROF, on_prof)
        for k in range(k1, k2 + 1):
            runs = 0
            while True:
                sp.core.cache.clear_cache()
                signal.setitimer(signal.ITIMER_PROF, cap)
                try:
                    r = cell(d, k, mode)
                except Capped:
                    r = None
                finally:
                    signal.setitimer(signal.ITIMER_PROF, 0)
                if r is None:
                    print(json.dumps({'k': k, 'capped': True}), flush=True)
                    sys.exit(0)
                print(json.dumps({'k': k, **r}), flush=True)
                runs += 1
                if r['seconds'] >= 1 or runs >= 3:
                    break
        sys.exit(0)
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    a, at = timeit(lambda: coefficients(4), reps)
    m, mt = timeit(modified2, reps)
    # A numeric fingerprint so the two implementations can be compared: F4[0] and f2[0] at a point.
    eps, x, comps = ff_layer(3)
    C = coefficients(4); f2 = modified2()
    pt = {s: v for s, v in zip(sorted(set().union(*[c.free_symbols for c in [C[0][4], f2[0]]]), key=str), [0.1 * (k + 1) * (-1) ** k for k in range(40)])}
    print(json.dumps({'coefficients_F1_F4': a, 'modified_order2': m, 'runs': {'coefficients': at, 'modified': mt},
                      'point': {str(k): v for k, v in pt.items()}, 'F4_1': float(C[0][4].subs(pt)), 'f2_1': float(f2[0].subs(pt))}))
