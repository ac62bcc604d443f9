"""Every per-area test runs for an area added to the rules, without naming it: the proof on a sixth area.

The fixture's sixth area, Fenmoor (tests/sixth_area.py: rules/ as it is, plus an area with its own
short source document), is written to a temporary tree that must pass ``procedures check``. The
suite is then run against that tree in a subprocess, as tests/areas.py says a new area is tested
(``PROCEDURES_RULES_DIR`` names the tree, ``PROCEDURES_TEST_CASES`` the fixture's case files),
selecting Fenmoor's per-area tests: ``pytest -m per_area -k fenmoor``. It proves that

* every per-area test of the suite (every test marked ``per_area``, found by collecting the whole
  suite against the tree, not listed here) ran for Fenmoor and passed: none missing, none skipped;
* among them are the kinds the per-area tests must cover (``KINDS`` below: faithful to the source,
  content, ids, the never-under-route walk, timeline and threshold cases, the browser's per-area
  pages), so a test that loses its marker or its area parameter is missed here;
* without Fenmoor's case files, the tests that check an area against hand-written cases fail, each
  naming the file to write, and the generic ones still pass for it.

Run time: one build of the site from the tree and Fenmoor's share of the per-area tests, the
browser's included (about two minutes on 2 cores); marked ``slow`` and ``browser`` for that.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sixth_area import AREA, CASES, REPO, build_tree

pytestmark = [pytest.mark.slow, pytest.mark.browser]     # builds the site, runs the browser's per-area tests

# At least these run for the sixth area (test file::function), by the kind of check they make.
KINDS = {
    "faithful to the source": [
        "test_rules_content.py::test_nothing_on_the_site_is_missing_from_the_source",
        "test_rules_content.py::test_nothing_in_the_source_is_missing_from_the_site"],
    "content": [
        "test_rules_content.py::test_each_area_has_its_content_cases",
        "test_rules_content.py::test_every_numbered_paragraph_of_the_source_is_on_the_site",
        "test_rules_content.py::test_a_listed_timescale_exists_with_its_amount_and_unit",
        "test_rules_content.py::test_each_area_has_pages_timescales_and_a_threshold_checker"],
    "ids": [
        "test_rules_content.py::test_every_id_of_the_area_follows_the_conventions_of_rules_readme",
        "test_rules_content.py::test_every_id_of_the_area_is_recorded_as_published",
        "test_site_build.py::test_every_section_and_paragraph_id_is_on_its_page_exactly_once"],
    "the never-under-route walk": [
        "test_thresholds_never_under_route.py::test_a_concern_that_shares_its_wording_with_a_child_protection_"
        "trigger_is_never_routed_lower_without_a_cited_reason",
        "test_thresholds_never_under_route.py::test_every_linked_item_gives_child_protection_and_the_result_"
        "quotes_the_list_that_decided_it",
        "test_thresholds_never_under_route.py::test_no_child_protection_or_immediate_result_tells_anyone_to_"
        "complete_a_common_assessment_first"],
    "timeline cases": [
        "test_timeline_cases.py::test_every_area_has_a_timeline_case",
        "test_timeline_cases.py::test_timeline_case"],
    "threshold cases": [
        "test_thresholds.py::test_every_area_has_its_threshold_cases",
        "test_thresholds.py::test_each_yaml_case_gives_the_pathway_it_names",
        "test_thresholds.py::test_every_decision_rule_of_the_area_is_exercised_by_a_case",
        "test_thresholds.py::test_in_every_area_the_immediate_danger_question_is_asked_first_and_overrides_everything"],
    "the browser's per-area pages": [
        "browser/test_manual_pages.py::test_the_first_paragraph_of_every_procedure_page_is_on_the_first_screen_on_a_desktop",
        "browser/test_manual_pages.py::test_every_procedure_page_names_its_area_in_the_title_the_heading_and_a_"
        "breadcrumb_on_a_phone",
        "browser/test_accessibility.py::test_no_wcag_22_aa_violations_and_no_sideways_scrolling_at_320_px_on_the_"
        "area_s_pages",
        "browser/test_deadline_calculator.py::test_every_area_and_event_gives_the_cli_answer",
        "browser/test_threshold_checker.py::test_each_area_s_checker_page_gives_the_cli_answer_for_its_first_"
        "indicator_and_its_first_red_flag",
        "browser/test_print.py::test_print_this_area_holds_every_procedure_once_with_no_published_id_repeated"],
}
# The tests that check an area against its hand-written case files (tests/cases/<kind>/<area>.yaml).
NEEDS_CASES = {
    "test_rules_content.py::test_each_area_has_its_content_cases": "tests/cases/content/fenmoor.yaml",
    "test_rules_content.py::test_every_numbered_paragraph_of_the_source_is_on_the_site": "tests/cases/content/fenmoor.yaml",
    "test_thresholds.py::test_every_area_has_its_threshold_cases": "tests/cases/thresholds/fenmoor.yaml",
    "test_thresholds.py::test_every_decision_rule_of_the_area_is_exercised_by_a_case": "tests/cases/thresholds/fenmoor.yaml",
    "test_timeline_cases.py::test_every_area_has_a_timeline_case": "tests/cases/timeline/fenmoor.yaml",
    "test_timeline_cases.py::test_every_area_has_a_case_over_time": "tests/cases/timeline/fenmoor.yaml",
}


def pytest_run(tmp: Path, tree: Path, *args: str, cases: Path | None = CASES) -> subprocess.CompletedProcess:
    """The suite against ``tree`` in a subprocess, with its own temporary folder (never the caller's)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CALC_TEST_SITE", "PROCEDURES_TEST_CASES", "PYTEST_ADDOPTS", "PROCEDURES_BUNDLE_JSON")}
    env["PROCEDURES_RULES_DIR"] = str(tree)
    if cases:
        env["PROCEDURES_TEST_CASES"] = str(cases)
    basetemp = tmp / f"basetemp-{len(list(tmp.glob('basetemp-*')))}"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA",
                           f"--basetemp={basetemp}", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=3600)


def function(nodeid: str) -> str:
    """``tests/browser/test_print.py::test_x[fenmoor]`` -> ``browser/test_print.py::test_x``."""
    return nodeid.split("[", 1)[0].removeprefix("tests/")


def collected(run: subprocess.CompletedProcess) -> list[str]:
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return [line for line in run.stdout.splitlines() if "::" in line and not line.startswith(("PASSED", "FAILED"))]


def outcomes(run: subprocess.CompletedProcess) -> dict[str, set[str]]:
    """The nodeids of the ``-rA`` summary by outcome (a skipped test has no nodeid there: counted apart)."""
    out: dict[str, set[str]] = {"PASSED": set(), "FAILED": set(), "ERROR": set(), "SKIPPED": set()}
    for line in run.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED", "ERROR"):
            out[word].add(rest.split(" - ", 1)[0] if word != "PASSED" else rest)
        elif word == "SKIPPED":
            out["SKIPPED"].add(rest)
    return out


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    tree = build_tree(tmp_path_factory.mktemp("sixth-area") / "rules")
    from commandline import procedures
    run = procedures("check", str(tree))
    assert run.returncode == 0, f"the sixth area does not pass `procedures check`:\n{run.stdout}\n{run.stderr}"
    assert re.search(rf"^{AREA} +\d+ sections and blocks", run.stdout, re.M), run.stdout
    return tree


@pytest.fixture(scope="module")
def per_area_tests(tree, tmp_path_factory) -> list[str]:
    """Every per-area test item of the suite, for every area of the tree."""
    return collected(pytest_run(tmp_path_factory.mktemp("collect"), tree, "--collect-only", "-m", "per_area", "tests"))


@pytest.fixture(scope="module")
def sixth_area_run(tree, tmp_path_factory) -> subprocess.CompletedProcess:
    return pytest_run(tmp_path_factory.mktemp("run"), tree, "-m", "per_area", "-k", AREA, "tests")


def test_the_sixth_area_is_an_area_of_the_tree_and_not_of_rules(tree):
    from areas import area_ids
    assert area_ids(tree) == [*area_ids(REPO / "rules"), AREA]


def test_every_per_area_test_runs_and_passes_for_the_sixth_area(per_area_tests, sixth_area_run):
    mine = {n for n in per_area_tests if AREA in n.partition("[")[2].lower()}
    functions = {function(n) for n in per_area_tests}
    missing = sorted(functions - {function(n) for n in mine})
    assert not missing, f"per-area tests with no {AREA} instance (they do not take the areas from tests/areas.py):\n" \
        + "\n".join(missing)
    done = outcomes(sixth_area_run)
    report = sixth_area_run.stdout[-6000:] + sixth_area_run.stderr[-2000:]
    assert not done["FAILED"] | done["ERROR"], f"failed for {AREA}:\n{report}"
    assert not done["SKIPPED"], f"skipped for {AREA}: {sorted(done['SKIPPED'])}"
    assert done["PASSED"] == mine, (f"collected for {AREA} but not passed: {sorted(mine - done['PASSED'])}\n"
                                    f"passed but not collected: {sorted(done['PASSED'] - mine)}")
    assert sixth_area_run.returncode == 0, report


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_per_area_test_ran_for_the_sixth_area(sixth_area_run, kind):
    passed = {function(n) for n in outcomes(sixth_area_run)["PASSED"]}
    absent = [name for name in KINDS[kind] if name not in passed]
    assert not absent, f"{kind}: did not pass for {AREA}: {absent}\n{sixth_area_run.stdout[-3000:]}"


def test_without_its_case_files_the_sixth_area_fails_the_case_tests_naming_each_file_and_passes_the_rest(
        tree, tmp_path):
    files = sorted({name.split("::")[0] for name in NEEDS_CASES})
    run = pytest_run(tmp_path, tree, "-m", "per_area and not browser and not slow", "-k", AREA,
                     *[f"tests/{f}" for f in files], cases=None)
    done = outcomes(run)
    assert {function(n) for n in done["FAILED"]} == set(NEEDS_CASES), run.stdout[-6000:]
    for name, path in NEEDS_CASES.items():
        assert f"write {path}" in run.stdout, f"{name}: the failure does not say to write {path}"
    generic = {function(n) for n in done["PASSED"]}
    assert "test_thresholds.py::test_in_every_area_each_red_flag_on_its_own_decides_its_own_pathway" in generic
    assert "test_rules_content.py::test_nothing_on_the_site_is_missing_from_the_source" in generic
    assert not done["ERROR"] and not done["SKIPPED"], run.stdout[-3000:]
