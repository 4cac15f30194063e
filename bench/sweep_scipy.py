"""Peer for bench/sweep.ts: SciPy solve_ivp(method="DOP853") on the C12 problem
dx/dt = A(t) x + beta(t) - gamma x^3 (d = 2, gamma = 0.5, T = 1), the same RHS as the
TypeScript reference. Prints one JSON line: median seconds over repeats, nfev, x(T)."""
import json
import math
import sys
import time

from scipy.integrate import solve_ivp

GAMMA = 0.5


def f(t, x):
    x1, x2 = x[0], x[1]
    return [
        -0.3 * x1 + (1 + 0.5 * math.sin(2 * t)) * x2 + 0.5 * math.cos(t) - GAMMA * x1 ** 3,
        -x1 + (-0.2 + 0.3 * math.cos(3 * t)) * x2 + 0.3 * math.sin(2 * t) - GAMMA * x2 ** 3,
    ]


def main():
    rtol = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-12
    atol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-14
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    times = []
    sol = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        sol = solve_ivp(f, (0.0, 1.0), [1.0, -0.5], method="DOP853", rtol=rtol, atol=atol)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({
        "median_s": times[len(times) // 2],
        "nfev": int(sol.nfev),
        "steps": int(sol.t.size - 1),
        "x": [float(sol.y[0, -1]), float(sol.y[1, -1])],
    }))


if __name__ == "__main__":
    main()
