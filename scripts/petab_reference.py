#!/usr/bin/env python3
"""Reference negative log-likelihoods for the shared PEtab problems, at the nominal parameters.

Simulates each problem independently of ImmuneTwin (libroadrunner, CVODE at rtol 1e-12), builds a PEtab
simulation table and calls `petab.calculate_llh` (petab 0.8.2). The simulatedData files shipped with the
problems are not used: some are stale (Perelson_Science1996).

    /work/venv/bin/python scripts/petab_reference.py ../shared/data/petab > Tests/InferenceTests/Fixtures/petab_reference.tsv

Semantics follow PEtab v1: parameter-table values (nominal, linear scale) set model parameters; condition
columns override parameters, compartments and species initial values (numbers or parameter ids; NaN keeps
the model's value); with a preequilibration condition the model is run to steady state under that
condition and the simulation condition starts from that state (species the simulation condition sets
excepted). Species in observable formulas are concentrations unless hasOnlySubstanceUnits.
"""
import math
import sys
from pathlib import Path

import libsbml
import numpy as np
import pandas as pd
import petab.v1 as petab
import roadrunner
import sympy as sp

RTOL, ATOL = 1e-12, 1e-14


def number_or_parameter(value, parameters):
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return float(parameters.loc[value, "nominalValue"])
    return float(value)


def model_for_condition(sbml_text, condition, parameters):
    """SBML text with the parameter table and the condition's overrides applied."""
    doc = libsbml.readSBMLFromString(sbml_text)
    model = doc.getModel()
    for pid, row in parameters.iterrows():
        p = model.getParameter(pid)
        if p is not None:
            p.setValue(float(row["nominalValue"]))
    overridden_species = set()
    if condition is not None:
        for column, value in condition.items():
            if column == "conditionName":
                continue
            if isinstance(value, float) and math.isnan(value):
                continue
            v = number_or_parameter(value, parameters)
            if model.getParameter(column) is not None:
                model.getParameter(column).setValue(v)
            elif model.getCompartment(column) is not None:
                model.getCompartment(column).setSize(v)
            elif model.getSpecies(column) is not None:
                s = model.getSpecies(column)
                if s.getHasOnlySubstanceUnits():
                    s.setInitialAmount(v)
                else:
                    s.setInitialConcentration(v)
                model.removeInitialAssignment(column)
                overridden_species.add(column)
            else:
                raise ValueError(f"condition column {column} is not a model entity")
    return libsbml.writeSBMLToString(doc), overridden_species


def runner(sbml):
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    rr.integrator.maximum_num_steps = 10**6
    return rr


def steady_state(rr):
    """Runs to a steady state: |dx/dt| <= 1e-10 |x| + 1e-12 for every species (or fails at t = 1e9)."""
    t, span = 0.0, 1.0
    while t < 1e9:
        rr.simulate(t, t + span, 2)
        t += span
        x = rr.model.getFloatingSpeciesConcentrations()
        dx = rr.model.getFloatingSpeciesConcentrationRates()
        if np.all(np.abs(dx) <= 1e-10 * np.abs(x) + 1e-12):
            return
        span *= 2
    raise RuntimeError("no steady state")


def symbol_values(rr, sbml, names, time):
    model = libsbml.readSBMLFromString(sbml).getModel()
    out = {}
    for name in names:
        s = model.getSpecies(name)
        if s is not None and not s.getHasOnlySubstanceUnits():
            out[name] = rr["[" + name + "]"]
        else:
            out[name] = rr[name]
    return out


def simulate_problem(problem):
    sbml_text = libsbml.writeSBMLToString(problem.sbml_document)
    measurements = problem.measurement_df.copy()
    parameters = problem.parameter_df
    conditions = problem.condition_df
    observables = problem.observable_df
    model_ids = {e.getId() for e in problem.sbml_model.getListOfAllElements() if e.isSetId()}
    simulated = np.full(len(measurements), np.nan)
    preeq_col = measurements.get("preequilibrationConditionId")
    groups = {}
    for i, row in enumerate(measurements.itertuples(index=False)):
        pre = getattr(row, "preequilibrationConditionId", "") if preeq_col is not None else ""
        pre = "" if (not isinstance(pre, str)) else pre
        groups.setdefault((pre, row.simulationConditionId), []).append(i)
    for (pre, sim), rows in groups.items():
        sim_sbml, overridden = model_for_condition(sbml_text, conditions.loc[sim], parameters)
        rr = runner(sim_sbml)
        if pre:
            pre_sbml, _ = model_for_condition(sbml_text, conditions.loc[pre], parameters)
            rr_pre = runner(pre_sbml)
            steady_state(rr_pre)
            ids = rr_pre.model.getFloatingSpeciesIds()
            amounts = rr_pre.model.getFloatingSpeciesAmounts()
            for sid, a in zip(ids, amounts):
                if sid not in overridden:
                    rr.model.setFloatingSpeciesAmounts([ids.index(sid)], [a])
        times = sorted({float(measurements.iloc[i]["time"]) for i in rows})
        t = 0.0
        values_at = {}
        needed = set()
        for oid in observables.index:
            needed |= {str(s) for s in sp.sympify(observables.loc[oid, "observableFormula"], locals=_locals(observables, oid)).free_symbols}
        needed = sorted(n for n in needed if n in model_ids)
        for tt in times:
            if tt > t:
                rr.simulate(t, tt, 2)
                t = tt
            values_at[tt] = symbol_values(rr, sim_sbml, needed, tt)
        for i in rows:
            m = measurements.iloc[i]
            oid = m["observableId"]
            formula = observables.loc[oid, "observableFormula"]
            expr = sp.sympify(formula, locals=_locals(observables, oid))
            subs = dict(values_at[float(m["time"])])
            overrides = petab.split_parameter_replacement_list(m.get("observableParameters", np.nan))
            for k, v in enumerate(overrides, start=1):
                subs[f"observableParameter{k}_{oid}"] = number_or_parameter(v, parameters)
            for s in expr.free_symbols:
                name = str(s)
                if name not in subs:
                    subs[name] = float(parameters.loc[name, "nominalValue"])
            simulated[i] = float(expr.subs({sp.Symbol(k): v for k, v in subs.items()}))
    out = measurements.copy()
    out["simulation"] = simulated
    return out


def _locals(observables, oid):
    """Keeps ids that sympy would read as functions or constants (e.g. `beta`, `E`) as plain symbols."""
    formula = observables.loc[oid, "observableFormula"]
    import re
    return {name: sp.Symbol(name) for name in set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula))}


def main():
    root = Path(sys.argv[1])
    print("problem\tnll\tprior_nll")
    only = set(sys.argv[2:])
    for yaml in sorted(root.glob("*/*.yaml")):
        if only and yaml.parent.name not in only:
            continue
        problem = petab.Problem.from_yaml(str(yaml))
        sim = simulate_problem(problem)
        llh = petab.calculate_llh(problem.measurement_df, sim, problem.observable_df, problem.parameter_df)
        print(f"{yaml.parent.name}\t{float(-llh)!r}\t{float(prior_nll(problem))!r}", flush=True)


def prior_nll(problem):
    """Negative log-density of the objective priors at the nominal parameters (0 when there are none)."""
    df = problem.parameter_df
    column = "objectivePriorType" if "objectivePriorType" in df.columns else None
    if column is None:
        return 0.0
    total = 0.0
    for pid, row in df.iterrows():
        kind = row[column]
        if not isinstance(kind, str) or int(row["estimate"]) != 1:
            continue
        a, b = (float(v) for v in str(row["objectivePriorParameters"]).split(";"))
        x = float(row["nominalValue"])
        if kind.startswith("parameterScale"):
            x = petab.scale(x, row["parameterScale"])
            kind = kind[len("parameterScale"):].lower()
        if kind == "normal":
            total += 0.5 * math.log(2 * math.pi * b * b) + 0.5 * ((x - a) / b) ** 2
        elif kind == "laplace":
            total += math.log(2 * b) + abs(x - a) / b
        elif kind == "uniform":
            total += math.log(b - a)
        else:
            raise ValueError(f"prior {kind} not handled")
    return total


if __name__ == "__main__":
    main()
