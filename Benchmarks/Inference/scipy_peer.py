"""The same multi-start problems with scipy, for BENCHMARKS.md.

python3 Benchmarks/Inference/scipy_peer.py [STARTS]
Rosenbrock (chained) on [-2, 2]^d, Latin hypercube starts (scipy.stats.qmc, seed 1), one thread;
scipy least_squares(method='trf') with the analytic Jacobian and minimize(method='L-BFGS-B') with the
analytic gradient, default tolerances. A start counts as converged within 0.1 of the best.
"""
import sys
import time

import numpy as np
from scipy.optimize import least_squares, minimize
from scipy.stats import qmc


def residuals(x):
    r = np.empty(2 * (len(x) - 1))
    r[0::2] = np.sqrt(2) * 10 * (x[1:] - x[:-1] ** 2)
    r[1::2] = np.sqrt(2) * (1 - x[:-1])
    return r


def jacobian(x):
    n = len(x)
    j = np.zeros((2 * (n - 1), n))
    for i in range(n - 1):
        j[2 * i, i] = -np.sqrt(2) * 20 * x[i]
        j[2 * i, i + 1] = np.sqrt(2) * 10
        j[2 * i + 1, i] = -np.sqrt(2)
    return j


def value_and_gradient(x):
    r = residuals(x)
    return 0.5 * r @ r, jacobian(x).T @ r


def main():
    starts = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for d in (2, 10):
        points = -2 + 4 * qmc.LatinHypercube(d=d, seed=1).random(starts)
        bounds = (np.full(d, -2.0), np.full(d, 2.0))
        for name in ("trf", "L-BFGS-B"):
            values, evaluations, seconds = [], 0, 0.0
            for x0 in points:
                t0 = time.perf_counter()
                if name == "trf":
                    r = least_squares(residuals, x0, jac=jacobian, bounds=bounds, method="trf")
                    values.append(r.cost)
                    evaluations += r.nfev + r.njev
                else:
                    r = minimize(value_and_gradient, x0, jac=True, method="L-BFGS-B", bounds=list(zip(*bounds)))
                    values.append(r.fun)
                    evaluations += r.nfev
                seconds += time.perf_counter() - t0
            best = min(values)
            converged = sum(v - best <= 0.1 for v in values)
            print(f"rosenbrock{d} scipy-{name}: best {best:.3e}, converged {converged}/{starts}, "
                  f"evaluations/start {evaluations // starts}, s per converged start {seconds / converged:.2e}")


if __name__ == "__main__":
    main()
