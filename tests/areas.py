"""The areas the per-area tests run for, and the hand-written cases they check an area against.

No test names the areas by hand. A per-area test is decorated with :func:`each_area` (or, when it
runs once per hand-written case, takes :func:`cases` and :func:`per_area`), and runs for every
area of ``areas.yaml`` in the rules tree the tests run against:

* the tree is rules/, or the one ``PROCEDURES_RULES_DIR`` names (the variable the build, the
  command line and ``macros.state`` already honour), so the tests and the site they build read
  the same tree;
* the hand-written cases are in ``tests/cases/<kind>/<area>.yaml`` (``content``, ``thresholds``,
  ``timeline``), and in the same layout under each folder ``PROCEDURES_TEST_CASES`` names
  (separated by ``os.pathsep``): tests/fixtures/sixth-area/cases/ for the fixture's sixth area.

A new area runs every per-area test without a word here. Tests that check an area's content
against hand-written expectations fail for an area with no case file, with a message naming the
file to write (:func:`case_file`); generic tests (faithful to the source, ids, the
never-under-route walk, the pages build and render) simply run for it. Every per-area test
carries the ``per_area`` marker and has the area id in its test id, so
``pytest -m per_area -k fenmoor`` runs exactly the tests of one area
(tests/test_every_area_is_tested.py proves it for the fixture's sixth area).

Pure Python and PyYAML: the tools/ tests import it inside Pyodide too.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
RULES_DIR = Path(os.environ.get("PROCEDURES_RULES_DIR") or REPO / "rules")
CASES = REPO / "tests" / "cases"
CASE_DIRS = [CASES] + [Path(p) for p in os.environ.get("PROCEDURES_TEST_CASES", "").split(os.pathsep) if p]

# What each kind of case file holds, for the message that asks for one (see tests/cases/README.md).
KINDS = {
    "content": "how its source document numbers its paragraphs and the timescales the document states "
               "(tests/test_rules_content.py)",
    "thresholds": "threshold checker cases: a selection and the pathway, rules and contacts it gives "
                  "(tests/test_thresholds.py)",
    "timeline": "case timelines: events with dates and the rows they give (tests/test_timeline_cases.py)",
}


def area_ids(root: Path = RULES_DIR) -> list[str]:
    """The area ids of ``root/areas.yaml``, in its order (read as plain YAML: no checking here;
    a broken file stops the collection with its own message, and `procedures check` explains it)."""
    path = Path(root) / "areas.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [a["id"] for a in data["areas"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise RuntimeError(f"the per-area tests cannot read the areas from {path}: {exc!r}") from exc


AREAS = area_ids()


def local_area_ids(root: Path = RULES_DIR) -> list[str]:
    """The areas that inherit from another (every area but the root, national)."""
    data = yaml.safe_load((Path(root) / "areas.yaml").read_text(encoding="utf-8"))
    return [a["id"] for a in data["areas"] if a.get("inherits")]


LOCAL_AREAS = local_area_ids()

per_area = pytest.mark.per_area


def each_area(test):
    """Run ``test(area, ...)`` once for every area of the rules tree, marked ``per_area``."""
    return per_area(pytest.mark.parametrize("area", AREAS)(test))


def each_local_area(test):
    """Run ``test(area, ...)`` once for every area that inherits national rules, marked ``per_area``."""
    return per_area(pytest.mark.parametrize("area", LOCAL_AREAS)(test))


def case_files(kind: str) -> list[Path]:
    """Every ``<kind>/*.yaml`` of tests/cases/ and of the folders in ``PROCEDURES_TEST_CASES``."""
    return sorted((p for folder in CASE_DIRS for p in (folder / kind).glob("*.yaml")), key=lambda p: (p.stem, str(p)))


def case_file(kind: str, area: str) -> Path:
    """``<kind>/<area>.yaml``, or a failure that says which file to write and what it holds."""
    for folder in CASE_DIRS:
        path = folder / kind / f"{area}.yaml"
        if path.is_file():
            return path
    example = next((p for p in case_files(kind) if p.stem != area), None)
    shape = f", shaped as {_shown(example)}" if example else ""
    pytest.fail(f"area '{area}' has no {kind} case file: write tests/cases/{kind}/{area}.yaml with "
                f"{KINDS[kind]}{shape}. See tests/cases/README.md.", pytrace=False)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def load_case_file(kind: str, area: str):
    return yaml.safe_load(case_file(kind, area).read_text(encoding="utf-8"))


def rules():
    """The rules tree the tests run against, loaded and validated (build-time code: CPython only)."""
    from macros import state
    return state.rules(RULES_DIR)


def bundle():
    """The bundle of that tree, as the browser gets it (CPython only; in Pyodide see bundles.real_bundle)."""
    from macros import state
    return state.bundle(RULES_DIR)
