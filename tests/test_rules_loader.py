"""The rules loader: a valid tree loads; each kind of mistake gives its exact message."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.rules import RulesInvalid, load_rules
from macros.rules import reading as rules_module

HERE = Path(__file__).parent
REPO = HERE.parent
FIXTURE = HERE / "fixtures" / "rules"
CASES = yaml.safe_load((HERE / "cases" / "broken_rules.yaml").read_text())
HOSTILE = yaml.safe_load((HERE / "cases" / "hostile_rules.yaml").read_text())


def broken_tree(tmp_path: Path, case: dict) -> Path:
    """A copy of the fixture with one edit, placed where paths print as in the messages.

    ``edit`` replaces ``old`` by ``new`` in ``file``; ``write_as`` saves the file in
    another encoding (cp1252, utf-16, utf-8-sig); ``create`` adds files ({path: text})."""
    root = REPO / "tests" / "fixtures" / "rules"
    target = tmp_path / "rules"
    shutil.copytree(root, target)
    for name, content in case.get("create", {}).items():
        (target / name).write_text(content)
    if "edit" in case:
        path = target / case["file"]
        text = path.read_text()
        assert case["edit"]["old"] in text, f"the case's edit does not apply to {case['file']}"
        path.write_bytes(text.replace(case["edit"]["old"], case["edit"]["new"], 1).encode(case.get("write_as", "utf-8")))
    return target


def test_the_fixture_tree_is_valid():
    rules = load_rules(FIXTURE)
    assert set(rules.areas) == {"national", "dudley"}
    assert rules.timescale("national-icpc")["amount"] == 15


@pytest.mark.parametrize("reader", ["read in turn", "read by a pool of processes"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_broken_rule_file_fails_with_its_message(case, reader, tmp_path, monkeypatch):
    """A large manual's files are read by a pool of processes (macros.rules.reading.POOL_FROM_FILES):
    every message, its line included, is the same either way."""
    pools = []
    if reader == "read by a pool of processes":
        monkeypatch.setattr(rules_module, "POOL_FROM_FILES", 0)
        monkeypatch.setattr(rules_module, "_can_fork", lambda: True)   # the browser tests' server is a thread

        class Pool(rules_module.ProcessPoolExecutor):
            def map(self, *args, **kwargs):
                pools.append(self)
                return super().map(*args, **kwargs)
        monkeypatch.setattr(rules_module, "ProcessPoolExecutor", Pool)
    target = broken_tree(tmp_path, case)
    with pytest.raises(RulesInvalid) as info:
        load_rules(target)
    assert len(pools) == (reader == "read by a pool of processes")
    # Messages name files relative to the project; the copy lives elsewhere, so map it back.
    report = info.value.report().replace(str(target), "tests/fixtures/rules")
    for expected in case["expect"]:
        assert expected in report, f"expected:\n  {expected}\nin:\n{report}"


@pytest.mark.parametrize("case", HOSTILE, ids=[c["name"] for c in HOSTILE])
def test_a_hostile_rule_file_is_refused_with_its_message(case, tmp_path):
    """Issue 20's classes (tests/cases/hostile_rules.yaml): each refused at check time with its
    file:line and a valid example, never a traceback, never published."""
    target = broken_tree(tmp_path, case)
    with pytest.raises(RulesInvalid) as info:
        load_rules(target)
    report = info.value.report().replace(str(target), "tests/fixtures/rules")
    for expected in case["expect"]:
        assert expected in report, f"expected:\n  {expected}\nin:\n{report}"


def test_a_tab_gives_its_own_line_alone(tmp_path):
    """A file that cannot be read is reported alone: the checks across files wait for it."""
    target = broken_tree(tmp_path, {"file": "timescales/dudley.yaml", "edit": {"old": "    amount: 24\n", "new": "\tamount: 24\n"}})
    with pytest.raises(RulesInvalid) as info:
        load_rules(target)
    assert len(info.value.problems) == 1, info.value.report()


def test_a_file_saved_with_windows_line_ends_is_read_as_written(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(FIXTURE, target)
    for path in target.rglob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    rules = load_rules(target)
    assert rules.timescale("national-icpc")["amount"] == 15
    assert rules.areas["dudley"]["name"] == "Dudley"


def test_yes_and_no_are_text_as_in_yaml_1_2(tmp_path):
    target = broken_tree(tmp_path, {"file": "glossary/national.yaml", "edit": {"old": "    term: ICPC", "new": "    term: No"}})
    assert load_rules(target).glossary["national"][0]["term"] == "No"


def test_all_problems_are_reported_at_once(tmp_path):
    a = broken_tree(tmp_path, CASES[0])
    (a / "timescales" / "dudley.yaml").write_text(
        (a / "timescales" / "dudley.yaml").read_text().replace("unit: hours", "unit: hour"))
    with pytest.raises(RulesInvalid) as info:
        load_rules(a)
    units = [p for p in info.value.problems if p.path.endswith(".unit")]
    assert len(units) == 2


def test_the_validate_command_prints_problems_without_a_traceback(tmp_path):
    target = broken_tree(tmp_path, CASES[0])
    run = subprocess.run([sys.executable, "-m", "cli.check", str(target)], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "is not one of working_days, days, weeks, months, hours" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "the site was not built" in run.stderr


def test_an_area_in_parts_gets_one_overview_page_per_part_and_a_nav_section_per_part(tmp_path):
    from macros.site import pages
    target = tmp_path / "rules"
    shutil.copytree(FIXTURE, target)
    areas = target / "areas.yaml"
    areas.write_text(areas.read_text().replace(
        "        title: Council closure day\n",
        "        title: Council closure day\n    parts:\n      - id: referral-and-assessment\n"
        "        title: \"Part 1: Referral and assessment\"\n        order: 1\n"
        "        overview: How a concern becomes a referral.\n", 1))
    proc = target / "procedures" / "dudley" / "referrals.yaml"
    proc.write_text(proc.read_text().replace("order: 1\n", "order: 1\npart: referral-and-assessment\n", 1))
    rules = load_rules(target)
    site = pages.generate(rules)
    overview = site["pages"]["dudley/parts/referral-and-assessment/index.md"]
    assert "How a concern becomes a referral." in overview and "](../../referrals.md)" in overview
    assert "](parts/referral-and-assessment/index.md)" in site["pages"]["dudley/index.md"]
    dudley = next(a for a in site["nav"][2]["Areas"] if "Dudley" in a)["Dudley"]
    assert dudley[1] == {"Part 1: Referral and assessment": ["dudley/parts/referral-and-assessment/index.md",
                                                            {rules.procedures["dudley"][0]["title"]: "dudley/referrals.md"}]}
