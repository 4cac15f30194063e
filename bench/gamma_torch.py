#!/usr/bin/python3
"""PyTorch peer of bench/gamma.ts (float64, CPU): the GAMMA.md objective, one E+grad E
evaluation, and the multilevel depth sweep with (a) torch.optim.LBFGS (strong Wolfe, history
20) and (b) the same H1-preconditioned L-BFGS as depthlimit (two-loop recursion with
H0 = gamma M^-1, torch's own strong-Wolfe line search). Prints one JSON object on stdout.

  gamma_torch.py eval  DATA THETA.bin N REPS
  gamma_torch.py sweep DATA plain|h1 DEPTHS(comma) CAP LEVEL_SECONDS
"""
import json
import sys
import time

import numpy as np
import torch
from scipy.linalg import solveh_banded
from torch.optim.lbfgs import _strong_wolfe

torch.set_default_dtype(torch.float64)
LAM = MU = 1e-3
W = torch.tensor([1.0, -1.0])


def load(path):
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    return torch.from_numpy(a[:, :2].copy()), torch.from_numpy(a[:, 2].copy())


def energy(theta, X0, y, n):
    """E_N of GAMMA.md; theta (n, 6): A row-major then b."""
    h = 1.0 / n
    A = theta[:, :4].reshape(n, 2, 2)
    b = theta[:, 4:]
    X = X0
    for k in range(n):
        X = X + h * torch.tanh(X @ A[k].T + b[k])
    r = X @ W - y
    loss = 0.5 * (r * r).mean()
    reg = (LAM / n) * (theta * theta).sum() + MU * n * ((theta[1:] - theta[:-1]) ** 2).sum()
    return loss + reg


def value_and_grad(theta, X0, y, n):
    t = theta.detach().requires_grad_(True)
    E = energy(t, X0, y, n)
    (g,) = torch.autograd.grad(E, t)
    return E.item(), g


def cmd_eval(data, theta_path, n, reps):
    X0, y = load(data)
    theta = torch.from_numpy(np.fromfile(theta_path, dtype="<f8").reshape(n, 6))
    for _ in range(3):
        value_and_grad(theta, X0, y, n)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        E, g = value_and_grad(theta, X0, y, n)
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return {"E": E, "grad": g.reshape(-1).tolist(), "median_ms": 1e3 * ts[len(ts) // 2], "threads": torch.get_num_threads()}


def prolong(theta):
    """n -> 2n at cell centres, piecewise linear, constant beyond the end centres."""
    left = torch.cat([theta[:1], theta[:-1]])
    right = torch.cat([theta[1:], theta[-1:]])
    out = torch.empty(2 * theta.shape[0], theta.shape[1])
    out[0::2] = 0.75 * theta + 0.25 * left
    out[1::2] = 0.75 * theta + 0.25 * right
    return out


def h1_solver(n):
    """M^-1 for M = (2 lam/n) I + 2 mu n L (Neumann), per column, by a banded Cholesky solve."""
    a, c = 2 * LAM / n, 2 * MU * n
    lap = np.full(n, 2.0)
    lap[0] = lap[-1] = 1.0
    if n == 1:
        lap[:] = 0.0
    ab = np.zeros((2, n))
    ab[1] = a + c * lap
    ab[0, 1:] = -c
    return lambda g: torch.from_numpy(solveh_banded(ab, g.reshape(n, 6).numpy())).reshape(-1)


def lbfgs_h1(fg, x, n, tol, cap, seconds, m=20):
    """The depthlimit algorithm: two-loop recursion with H0 = gamma M^-1, strong Wolfe."""
    solve = h1_solver(n)
    f, g = fg(x)
    evals, it = 1, 0
    S, Y, rho = [], [], []
    gamma = 1.0
    t_start = time.perf_counter()
    while n * g.abs().max().item() > tol and it < cap and time.perf_counter() - t_start < seconds:
        q = g.clone()
        alpha = []
        for s, yv, r in zip(reversed(S), reversed(Y), reversed(rho)):
            a = r * s.dot(q)
            alpha.append(a)
            q -= a * yv
        d = solve(q) * (gamma if S else 1.0)
        for (s, yv, r), a in zip(zip(S, Y, rho), reversed(alpha)):
            d += s * (a - r * yv.dot(d))
        d = -d
        gtd = g.dot(d)
        t = 1.0 if S else min(1.0, 1.0 / d.abs().max().item())
        f_new, g_new, t, ls_evals = _strong_wolfe(lambda xx, tt, dd: fg(xx + tt * dd), x, t, d, f, g, gtd)
        evals += ls_evals
        s = t * d
        yv = g_new - g
        sy = s.dot(yv).item()
        x = x + s
        f, g = f_new, g_new
        it += 1
        if sy > 1e-300:
            if len(S) == m:
                S.pop(0); Y.pop(0); rho.pop(0)
            S.append(s); Y.append(yv); rho.append(1.0 / sy)
            gamma = sy / yv.dot(solve(yv)).item()
    return x, f, g, it, evals


def cmd_sweep(data, mode, depths, cap, seconds):
    X0, y = load(data)
    levels = []
    theta = None
    total0 = time.perf_counter()
    for n in depths:
        x0 = torch.zeros(n, 6) if theta is None else prolong(theta)
        evals = [0]

        def fg(x, n=n):
            evals[0] += 1
            E, g = value_and_grad(x.reshape(n, 6), X0, y, n)
            return E, g.reshape(-1)

        t0 = time.perf_counter()
        tol = 1e-7
        if mode == "plain":
            p = x0.reshape(-1).clone().requires_grad_(True)
            opt = torch.optim.LBFGS([p], lr=1, max_iter=50, history_size=20, line_search_fn="strong_wolfe",
                                    tolerance_grad=tol / n, tolerance_change=0.0, max_eval=10 ** 9)

            def closure():
                opt.zero_grad()
                evals[0] += 1
                E = energy(p.reshape(n, 6), X0, y, n)
                E.backward()
                return E

            it = 0
            while True:
                opt.step(closure)
                it = opt.state[opt._params[0]]["n_iter"]
                gn = n * p.grad.abs().max().item()
                if gn <= tol or it >= cap or time.perf_counter() - t0 > seconds:
                    break
            x = p.detach()
            f, g = fg(x)
            evals[0] -= 1
            iters = it
        else:
            x, f, g, iters, _ = lbfgs_h1(fg, x0.reshape(-1), n, tol, cap, seconds)
        dt = time.perf_counter() - t0
        gn = n * g.abs().max().item()
        levels.append({"n": n, "iterations": iters, "evaluations": evals[0], "energy": f, "scaledGradient": gn,
                       "converged": gn <= tol, "seconds": dt,
                       "stop": "tol" if gn <= tol else ("iteration cap" if iters >= cap else "time cap")})
        theta = x.reshape(n, 6).detach()
        print(json.dumps(levels[-1]), file=sys.stderr, flush=True)
    return {"mode": mode, "levels": levels, "seconds": time.perf_counter() - total0, "threads": torch.get_num_threads()}


if __name__ == "__main__":
    if sys.argv[1] == "eval":
        out = cmd_eval(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        out = cmd_sweep(sys.argv[2], sys.argv[3], [int(v) for v in sys.argv[4].split(",")], int(sys.argv[5]), float(sys.argv[6]))
    print(json.dumps(out))
