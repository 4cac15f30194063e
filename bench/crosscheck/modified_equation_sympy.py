#!/usr/bin/env python3
"""Independent cross-check (SymPy) of depthlimit's modified equation for the near-identity FF layer.

Run: /usr/bin/python3 bench/crosscheck/modified_equation_sympy.py   (Debian python3-sympy)

For d = 1, x+ = z + eps*g(z), z = (1 + eps*a) x + eps*b, it solves for f2, f3 such that the
time-eps flow of f = f1 + eps f2 + eps^2 f3 (Lie series exp(eps L_f) x) equals the layer to
O(eps^4), then compares with `depthlimit derive --json` (which this script runs). Exit 1 on any
difference.
"""
import json
import subprocess
import sys

import sympy as sp

x, e, a, b, gamma = sp.symbols('x eps a b gamma')
CASES = {'-gamma*z^3': lambda z: -gamma * z**3, 'sin(z)': sp.sin, 'tanh(z)': sp.tanh}
ORDER = 3


def sympy_modified(g):
    z = (1 + e * a) * x + e * b
    layer = z + e * g(z)
    coeffs = [sp.expand(sp.series(layer, e, 0, ORDER + 1).removeO().coeff(e, k)) for k in range(ORDER + 1)]
    u = [sp.Function(f'u{k}')(x) for k in range(2, ORDER + 1)]
    f = coeffs[1] + sum(e**(k + 1) * u[k] for k in range(len(u)))
    term, flow = x, x
    for n in range(1, ORDER + 1):
        term = sp.diff(term, x) * f
        flow += e**n / sp.factorial(n) * term
    residual = sp.expand(sp.series(flow - layer, e, 0, ORDER + 1).removeO())
    sols = {}
    for k in range(2, ORDER + 1):
        ck = residual.coeff(e, k)
        for fn, s in sols.items():
            ck = ck.subs(fn, s).doit()
        sols[u[k - 2]] = sp.solve(ck, u[k - 2])[0]
    return [coeffs[1]] + [sols[v] for v in u]


def depthlimit_modified(g_text):
    out = subprocess.run(['node', '--import', 'tsx', 'src/cli.ts', 'derive', '--layer', 'ff', '--g', g_text,
                          '--order', str(ORDER), '--json'], capture_output=True, text=True, check=True)
    return [sp.sympify(c[0].replace('^', '**'), locals={'x': x, 'a': a, 'b': b, 'gamma': gamma}) for c in json.loads(out.stdout)['modified']]


bad = 0
for g_text, g in CASES.items():
    ref, ours = sympy_modified(g), depthlimit_modified(g_text)
    for k, (r, o) in enumerate(zip(ref, ours), start=1):
        d = sp.simplify(sp.expand((r - o).rewrite(sp.exp)))
        ok = d == 0
        bad += not ok
        print(f'g = {g_text:12s} f{k}: {"agree" if ok else "DIFFER: " + str(d)}')
sys.exit(1 if bad else 0)
