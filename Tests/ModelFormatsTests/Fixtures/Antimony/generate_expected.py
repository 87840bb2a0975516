#!/usr/bin/env python3
"""Regenerates the libantimony reference fixtures for the Antimony reader tests.

For every NAME.ant here this writes NAME.xml (the SBML libantimony produces) and NAME.expected.json (a
summary of that SBML: elements, flags, values and every formula in infix syntax), which
AntimonyConformanceTests compares with what AntimonyReader reads from NAME.ant. For the models in
TRAJECTORIES it also writes NAME.roadrunner.csv, libroadrunner's trajectory of the SBML (species values:
concentrations, amounts for hasOnlySubstanceUnits species), which AntimonySimulationTests compares with
the simulation of the model AntimonyReader reads.

Usage: pip install antimony python-libsbml libroadrunner && python3 generate_expected.py
"""
import glob
import json
import os

import antimony
import libsbml

HERE = os.path.dirname(os.path.abspath(__file__))
# name: (end time, number of output points)
TRAJECTORIES = {"reynolds": (200, 21), "kitchen_sink": (150, 31), "rules": (10, 11)}


def formula(math):
    return libsbml.formulaToL3String(math) if math is not None else None


def value(element, is_set, get):
    return get() if is_set() else None


def summarize(model):
    out = {"id": model.getId(), "name": model.getName() or None, "timeUnits": model.getTimeUnits() or None}
    out["compartments"] = [{
        "id": c.getId(), "name": c.getName() or None, "size": value(c, c.isSetSize, c.getSize),
        "constant": c.getConstant(), "units": c.getUnits() or None,
    } for c in model.getListOfCompartments()]
    out["species"] = [{
        "id": s.getId(), "name": s.getName() or None, "compartment": s.getCompartment(),
        "initialAmount": value(s, s.isSetInitialAmount, s.getInitialAmount),
        "initialConcentration": value(s, s.isSetInitialConcentration, s.getInitialConcentration),
        "hasOnlySubstanceUnits": s.getHasOnlySubstanceUnits(), "boundaryCondition": s.getBoundaryCondition(),
        "constant": s.getConstant(),
    } for s in model.getListOfSpecies()]
    out["parameters"] = [{
        "id": p.getId(), "name": p.getName() or None, "value": value(p, p.isSetValue, p.getValue),
        "constant": p.getConstant(), "units": p.getUnits() or None,
    } for p in model.getListOfParameters()]
    out["reactions"] = [{
        "id": r.getId(), "name": r.getName() or None, "reversible": r.getReversible(),
        "reactants": [[sr.getSpecies(), sr.getStoichiometry()] for sr in r.getListOfReactants()],
        "products": [[sr.getSpecies(), sr.getStoichiometry()] for sr in r.getListOfProducts()],
        "modifiers": [m.getSpecies() for m in r.getListOfModifiers()],
        "kineticLaw": formula(r.getKineticLaw().getMath()) if r.isSetKineticLaw() else None,
    } for r in model.getListOfReactions()]
    kinds = {libsbml.SBML_ASSIGNMENT_RULE: "assignment", libsbml.SBML_RATE_RULE: "rate",
             libsbml.SBML_ALGEBRAIC_RULE: "algebraic"}
    out["rules"] = [{"type": kinds[r.getTypeCode()], "variable": r.getVariable() or None, "math": formula(r.getMath())}
                    for r in model.getListOfRules()]
    out["initialAssignments"] = [{"symbol": a.getSymbol(), "math": formula(a.getMath())}
                                 for a in model.getListOfInitialAssignments()]
    out["events"] = [{
        "id": e.getId(), "name": e.getName() or None, "trigger": formula(e.getTrigger().getMath()),
        "initialValue": e.getTrigger().getInitialValue(), "persistent": e.getTrigger().getPersistent(),
        "useValuesFromTriggerTime": e.getUseValuesFromTriggerTime(),
        "delay": formula(e.getDelay().getMath()) if e.isSetDelay() else None,
        "priority": formula(e.getPriority().getMath()) if e.isSetPriority() else None,
        "assignments": [[a.getVariable(), formula(a.getMath())] for a in e.getListOfEventAssignments()],
    } for e in model.getListOfEvents()]
    out["functions"] = [{
        "id": f.getId(), "arguments": [f.getArgument(i).getName() for i in range(f.getNumArguments())],
        "body": formula(f.getBody()),
    } for f in model.getListOfFunctionDefinitions()]
    return out


def write_trajectory(name, sbml, model):
    import roadrunner
    end, points = TRAJECTORIES[name]
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    species = list(model.getListOfSpecies())
    selections = ["time"] + [s.getId() if s.getHasOnlySubstanceUnits() else f"[{s.getId()}]" for s in species]
    result = rr.simulate(0, end, points, selections=selections)
    with open(os.path.join(HERE, name + ".roadrunner.csv"), "w") as f:
        f.write(",".join(["time"] + [s.getId() for s in species]) + "\n")
        for row in result:
            f.write(",".join(repr(float(v)) for v in row) + "\n")
    print("wrote", name + ".roadrunner.csv", f"(libroadrunner {roadrunner.__version__})")


def main():
    for path in sorted(glob.glob(os.path.join(HERE, "*.ant"))):
        antimony.clearPreviousLoads()
        if antimony.loadAntimonyFile(path) < 0:
            raise SystemExit(f"{path}: {antimony.getLastError()}")
        sbml = antimony.getSBMLString(antimony.getMainModuleName())
        base = os.path.splitext(path)[0]
        with open(base + ".xml", "w") as f:
            f.write(sbml)
        document = libsbml.readSBMLFromString(sbml)
        summary = summarize(document.getModel())
        summary["generator"] = f"libantimony {antimony.__version__}, libSBML {libsbml.getLibSBMLDottedVersion()}"
        with open(base + ".expected.json", "w") as f:
            json.dump(summary, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", os.path.basename(base) + ".xml", "and .expected.json")
        name = os.path.basename(base)
        if name in TRAJECTORIES:
            write_trajectory(name, sbml, document.getModel())


if __name__ == "__main__":
    main()
