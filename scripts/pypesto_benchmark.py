#!/usr/bin/env python3
"""Peer benchmark for `twin fit`: multi-start fits of shared PEtab problems with pyPESTO + AMICI.

For each problem: import with pyPESTO's PEtab importer (AMICI model compiled once into a cache folder outside
the repository), set the AMICI solver to rtol 1e-8 / atol 1e-10 with forward sensitivities (the tolerances of
`twin fit`), draw N seeded starts uniformly within the bounds on the parameter scale (PEtab's default
`parameterScaleUniform`; a start whose objective is not finite is redrawn, at most 100 times), run them one
after another on one thread with the chosen optimiser, and print one TSV row with the columns of
scripts/petab_fit_benchmark.sh plus the optimiser and the number of starts done:

    problem reference best best_minus_reference reached converged seconds_per_converged_start wall_seconds
    status optimizer starts_done

`reference` is nll + prior_nll from Tests/PEtabTests/Fixtures/petab_reference.tsv (the objective at the
nominal, published best-fit parameters); `reached` is best - reference <= 0.1. A start is converged when its
final objective is within 0.1 of the best start's (Sources/Inference/Output/ConvergenceReport.swift);
`converged` is written "converged/starts done"; `seconds_per_converged_start` is the sum of the finished
starts' seconds (redraws + optimiser) divided by the number of converged starts (a start cut by the time limit
counts in `wall_seconds` only). The final objective of every start is re-evaluated with first-order
sensitivities (least-squares optimisers report no objective value), so every optimiser's values are the same
negative log-posterior. A start whose optimiser raises (e.g. scipy's least_squares on a NaN residual after a
failed integration) is a failed start (value NaN; the per-start log keeps pyPESTO's best value seen).

`--nominal` instead prints the objective at the nominal parameters next to the reference, as the check that
pyPESTO/AMICI and twin evaluate the same function.

Needs a venv with amici, pypesto, petab (and fides for --optimizer fides); see BENCHMARKS.md.
Usage:
    pypesto_benchmark.py PETAB_DIR [PROBLEM ...] [--starts 20] [--seed 1] [--optimizer fides|ls_trf|L-BFGS-B]
                         [--seconds 600] [--cache /tmp/amici-models] [--out DIR] [--nominal] [--no-header]
                         [--rtol 1e-8] [--atol 1e-10]
"""
import os

# One thread everywhere: set before numpy/BLAS load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import csv
import logging
import math
import signal
import sys
import time
from pathlib import Path

import numpy as np

PROBLEMS = [
    "Perelson_Science1996", "Boehm_JProteomeRes2014", "Crauste_CellSystems2017", "Fujita_SciSignal2010",
    "Zheng_PNAS2012", "Weber_BMC2015", "Brannmark_JBC2010", "Laske_PLOSComputBiol2019", "Schwen_PONE2014",
    "Okuonghae_ChaosSolitonsFractals2020", "Oliveira_NatCommun2021", "Bachmann_MSB2011",
]
TOLERANCE = 0.1
MAX_REDRAWS = 100
REFERENCE = Path(__file__).resolve().parent.parent / "Tests/PEtabTests/Fixtures/petab_reference.tsv"


class TimeLimit(BaseException):
    """Raised by SIGALRM; a BaseException so that pyPESTO's per-start error handling does not swallow it."""


def _alarm(signum, frame):
    raise TimeLimit()


def references():
    with open(REFERENCE) as f:
        return {row["problem"]: float(row["nll"]) + float(row["prior_nll"])
                for row in csv.DictReader(f, delimiter="\t")}


def load(petab_dir, name, cache, least_squares, rtol=1e-8, atol=1e-10):
    """The pyPESTO problem of one PEtab problem, its AMICI model compiled into `cache` on first use."""
    import amici
    import amici.sim.sundials as asd
    import pypesto.petab

    importer = pypesto.petab.PetabImporter.from_yaml(
        str(Path(petab_dir) / name / f"{name}.yaml"),
        output_folder=str(Path(cache) / amici.__version__ / name), model_name=name)
    objective = importer.create_objective_creator().create_objective(verbose=False)
    solver = objective.amici_solver
    solver.set_relative_tolerance(rtol)
    solver.set_absolute_tolerance(atol)
    solver.set_sensitivity_method(asd.SensitivityMethod.forward)
    solver.set_max_steps(20000)  # twin fit --max-steps default
    if least_squares:
        # Residuals sqrt(log(2 pi sigma^2) + c) for estimated noise parameters, so that 1/2 |r|^2 is the
        # nll up to a constant (AMICI refuses least squares with parameter-dependent sigma otherwise).
        objective.amici_model.set_add_sigma_residuals(True)
    return importer, importer.create_problem(objective=objective)


def optimizer_named(name):
    import pypesto.optimize as optimize

    if name == "fides":
        # Trust region with bounds; FIM (Gauss-Newton) Hessian from forward sensitivities, switching to BFGS.
        return optimize.FidesOptimizer(verbose=logging.ERROR)
    if name == "ls_trf":
        return optimize.ScipyOptimizer(method="ls_trf")
    if name == "L-BFGS-B":
        return optimize.ScipyOptimizer(method="L-BFGS-B")
    raise SystemExit(f"unknown optimizer {name!r}")


def draw_start(problem, rng):
    """A start uniform within the free parameters' bounds (scaled), redrawn while the objective is not finite."""
    lb, ub = problem.lb, problem.ub
    for redraws in range(MAX_REDRAWS + 1):
        x = lb + rng.random(lb.size) * (ub - lb)
        problem.objective.initialize()
        if np.isfinite(problem.objective(x, sensi_orders=(0,))):
            return x, redraws
    return None, MAX_REDRAWS


def fit(problem, optimizer, starts, seed, deadline, per_start_log, runs):
    """Run the starts one after another until done or `deadline` (time.time()), appending one record per
    finished start to `runs` (so the finished ones survive a TimeLimit)."""
    import pypesto.optimize as optimize

    rng = np.random.default_rng(seed)
    options = optimize.OptimizeOptions(allow_failed_starts=True)
    for index in range(starts):
        if time.time() >= deadline:
            break
        t0 = time.perf_counter()
        x0, redraws = draw_start(problem, rng)
        if x0 is None:
            runs.append(dict(index=index, start=math.nan, value=math.nan, exit="no_finite_start",
                             seconds=time.perf_counter() - t0, redraws=redraws, n_fval=0, n_grad=0, n_res=0,
                             fval=math.nan, x="", message=""))
            continue
        result = optimizer.minimize(problem, x0=x0, id=str(index), optimize_options=options)
        seconds = time.perf_counter() - t0
        value = math.nan
        if result.x is not None and np.all(np.isfinite(result.x)):
            # With first-order sensitivities, as the optimisers evaluated it (CVODES' step control differs
            # without them, and can fail where the optimiser's evaluation succeeded).
            problem.objective.initialize()
            value = float(problem.objective(result.x[problem.x_free_indices], sensi_orders=(0, 1))[0])
        runs.append(dict(index=index, start=result.fval0 if result.fval0 is not None else math.nan,
                         value=value if np.isfinite(value) else math.nan, exit=f"{result.exitflag}",
                         seconds=seconds, redraws=redraws, n_fval=result.n_fval, n_grad=result.n_grad,
                         n_res=result.n_res, fval=result.fval if result.fval is not None else math.nan,
                         x=",".join(f"{v:.17g}" for v in (result.x if result.x is not None else [])),
                         message=" ".join(str(result.message).split())[:200]))
        if per_start_log:
            r = runs[-1]
            per_start_log.write("\t".join(str(r[k]) for k in
                                          ("index", "start", "value", "exit", "seconds", "redraws",
                                           "n_fval", "n_grad", "n_res", "fval", "message", "x")) + "\n")
            per_start_log.flush()


def summary(name, reference, runs, wall, status, optimizer):
    finite = [r["value"] for r in runs if np.isfinite(r["value"])]
    if not finite:
        return [name, f"{reference:.10g}", "NA", "NA", "no", "0", "NA", f"{wall:.3f}", status, optimizer,
                str(len(runs))]
    best = min(finite)
    converged = sum(1 for v in finite if v - best <= TOLERANCE)
    total = sum(r["seconds"] for r in runs)
    diff = best - reference
    return [name, f"{reference:.10g}", f"{best:.10g}", f"{diff:.4g}", "yes" if diff <= TOLERANCE else "no",
            f"{converged}/{len(runs)}", f"{total / converged:.4g}", f"{wall:.3f}", status, optimizer, str(len(runs))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("petab_dir")
    parser.add_argument("problems", nargs="*", default=PROBLEMS)
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--optimizer", default="fides", choices=["fides", "ls_trf", "L-BFGS-B"])
    parser.add_argument("--seconds", type=float, default=600, help="time limit per problem (starts only)")
    parser.add_argument("--cache", default="/tmp/amici-models", help="folder of compiled AMICI models")
    parser.add_argument("--out", help="folder for per-start TSV logs")
    parser.add_argument("--nominal", action="store_true", help="print the objective at the nominal parameters")
    parser.add_argument("--no-header", action="store_true")
    parser.add_argument("--rtol", type=float, default=1e-8, help="AMICI relative tolerance (twin fit's: 1e-8)")
    parser.add_argument("--atol", type=float, default=1e-10, help="AMICI absolute tolerance (twin fit's: 1e-10)")
    args = parser.parse_args()

    # AMICI and pyPESTO log every failed integration at WARNING or ERROR; the per-start log records failures.
    logging.disable(logging.CRITICAL)
    os.environ["PATH"] = f"{Path(sys.executable).parent}:{os.environ['PATH']}"  # AMICI's build needs venv ninja
    refs = references()
    least_squares = args.optimizer.startswith("ls_")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    if not args.no_header:
        if args.nominal:
            print("problem\treference\tnominal\trelative_difference\tcompile_or_load_seconds")
        else:
            print("problem\treference\tbest\tbest_minus_reference\treached\tconverged\t"
                  "seconds_per_converged_start\twall_seconds\tstatus\toptimizer\tstarts_done")
    signal.signal(signal.SIGALRM, _alarm)
    for name in args.problems:
        reference = refs[name]
        t0 = time.perf_counter()
        try:
            importer, problem = load(args.petab_dir, name, args.cache, least_squares, args.rtol, args.atol)
        except Exception as error:  # noqa: BLE001 — one problem's import failure is that problem's row
            print(f"{name}\t{reference:.10g}\tNA\tNA\tno\tNA\tNA\tNA\timport_error: {error}", flush=True)
            continue
        load_seconds = time.perf_counter() - t0
        if args.nominal:
            x = np.asarray(importer.petab_problem.x_nominal_free_scaled)
            value = float(problem.objective(x, sensi_orders=(0,)))
            print(f"{name}\t{reference:.16g}\t{value:.16g}\t{(value - reference) / abs(reference):.3g}"
                  f"\t{load_seconds:.1f}", flush=True)
            continue
        log = open(Path(args.out) / f"{name}.{args.optimizer}.tsv", "w") if args.out else None
        if log:
            log.write("index\tstart\tvalue\texit\tseconds\tredraws\tn_fval\tn_grad\tn_res\t"
                      "optimizer_fval\tmessage\tx\n")
        optimizer = optimizer_named(args.optimizer)
        status = "ok"
        runs = []
        start = time.perf_counter()
        deadline = time.time() + args.seconds
        signal.setitimer(signal.ITIMER_REAL, args.seconds)
        try:
            fit(problem, optimizer, args.starts, args.seed, deadline, log, runs)
        except TimeLimit:
            status = f"timeout_{args.seconds:g}s"
        except Exception as error:  # noqa: BLE001
            status = f"error: {type(error).__name__}: {error}".replace("\t", " ").replace("\n", " ")[:200]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        wall = time.perf_counter() - start
        if log:
            log.close()
        if status == "ok" and len(runs) < args.starts:
            status = f"timeout_{args.seconds:g}s"
        print("\t".join(summary(name, reference, runs, wall, status, args.optimizer)), flush=True)


if __name__ == "__main__":
    main()
