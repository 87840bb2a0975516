#!/usr/bin/env python3
"""Converts every built-in model's Antimony source to SBML with the `antimony` Python package (libantimony),
writing Tests/ModelLibraryTests/Fixtures/libantimony/NAME.xml. The ModelLibrary tests simulate each fixture and
the project's own reading of the same Antimony text and require identical trajectories.

Usage: python3 scripts/library_antimony_fixtures.py   (needs `pip install antimony`)
"""
import pathlib
import sys

import antimony

root = pathlib.Path(__file__).resolve().parent.parent
models = root / "Sources" / "ModelLibrary" / "Models"
out = root / "Tests" / "ModelLibraryTests" / "Fixtures" / "libantimony"
out.mkdir(parents=True, exist_ok=True)
failed = False
for path in sorted(models.glob("*.ant")):
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyString(path.read_text()) < 0:
        print(f"{path.name}: {antimony.getLastError()}", file=sys.stderr)
        failed = True
        continue
    name = antimony.getMainModuleName()
    (out / f"{path.stem}.xml").write_text(antimony.getSBMLString(name))
    print(f"{path.stem}: libantimony {antimony.__version__}")
sys.exit(1 if failed else 0)
