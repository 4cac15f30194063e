"""SymPy peer of bench/derive.ts: the d = 3 FF layer x+ = z + eps*tanh(z), z = (I + eps A)x + eps*beta,
symbolic 3x3 A and beta. (a) F1..F4 by repeated differentiation in eps (SymPy's fastest route),
(b) the order-2 modified equation f2 = F2 - 1/2 F1' F1. Prints JSON with median seconds."""
import json, sys, time
import sympy as sp

def layer():
    d = 3
    eps = sp.Symbol('eps')
    x = sp.symbols('x1:4')
    A = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f'a{i+1}{j+1}'))
    b = sp.symbols('b1:4')
    comps = []
    for i in range(d):
        z = x[i] + eps * (sum(A[i, j] * x[j] for j in range(d)) + b[i])
        comps.append(z + eps * sp.tanh(z))
    return eps, x, comps

def coefficients(order):
    eps, x, comps = layer()
    out = []
    for c in comps:
        cur, row = c, []
        for k in range(order + 1):
            if k > 0:
                cur = sp.diff(cur, eps)
            row.append(sp.expand(cur.subs(eps, 0) / sp.factorial(k)))
        out.append(row)
    return out

def modified2():
    eps, x, comps = layer()
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
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    a, at = timeit(lambda: coefficients(4), reps)
    m, mt = timeit(modified2, reps)
    # A numeric fingerprint so the two implementations can be compared: F4[0] and f2[0] at a point.
    eps, x, comps = layer()
    C = coefficients(4); f2 = modified2()
    pt = {s: v for s, v in zip(sorted(set().union(*[c.free_symbols for c in [C[0][4], f2[0]]]), key=str), [0.1 * (k + 1) * (-1) ** k for k in range(40)])}
    print(json.dumps({'coefficients_F1_F4': a, 'modified_order2': m, 'runs': {'coefficients': at, 'modified': mt},
                      'point': {str(k): v for k, v in pt.items()}, 'F4_1': float(C[0][4].subs(pt)), 'f2_1': float(f2[0].subs(pt))}))
