"""Earliest-of and latest-of rules ("whichever is sooner / later") through the whole chain, on the
fixture rules tree tests/fixtures/whichever/ (never the real rules: the one real example comes from
a partnership outside the five areas): the loader and its checks, the bundle, the engine, the
command line, the .ics export and the page's no-JavaScript table. Cases: tests/cases/whichever/.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from tools import ics
from tools.deadlines import deadlines_for

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "tests" / "fixtures" / "whichever"
CASES = sorted((ROOT / "tests" / "cases" / "whichever").glob("*.yaml"))

macros_rules = pytest.importorskip("macros.rules")       # the loader: CPython only


def _cases():
    out = []
    for path in CASES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [pytest.param(data["area"], c, id=f"{path.stem}: {c['name']}") for c in data["cases"]]
    return out


@pytest.fixture(scope="module")
def bundle() -> dict:
    from macros.browser.bundle import build_bundle
    return build_bundle(macros_rules.load_rules(TREE))


@pytest.mark.parametrize("area, case", _cases())
def test_each_whichever_case_gives_the_due_date_it_names(bundle, area, case):
    result = deadlines_for(bundle, area, case["event"], case["at"])
    row = next(r for r in result["deadlines"] if r["id"] == case["timescale"])
    assert row["due"] == case["due"], row
    if case["due"] is None:
        assert case["error"] in row["error"] and row["parts"] is None
        return
    assert [[p["due"], p["chosen"]] for p in row["parts"]] == case["parts"]
    assert row["rule"] == case["rule"] and row["whichever"] in ("sooner", "later")
    assert row["source"]["url"].startswith("elsewhere/pre-birth/#els-review-p")


def test_the_case_names_are_full_sentences():
    for path in CASES:
        names = [c["name"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
        assert len(names) == len(set(names)) and all(n[0].isupper() and n.endswith(".") for n in names)


def test_the_command_line_prints_each_part_and_the_one_taken(bundle, capsys):
    from cli.deadlines import main
    assert main(["--area", "elsewhere", "--event", "birth", "--at", "2027-03-01"], bundle=bundle) == 0
    out = capsys.readouterr().out
    assert "3 months or 20 working days after baby born, whichever is sooner" in out
    assert "3 months: Tue 1 Jun 2027; 20 working days: Wed 31 Mar 2027 (taken)" in out
    assert main(["--area", "elsewhere", "--event", "birth", "--at", "2027-03-01", "--json"], bundle=bundle) == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["deadlines"] if r["id"] == "elsewhere-review-after-birth")
    assert (row["due"], row["whichever"]) == ("2027-03-31", "sooner")


def test_the_ics_export_enters_the_date_taken_and_says_both(bundle):
    result = deadlines_for(bundle, "elsewhere", "birth", "2027-03-01")
    text = ics.to_ics(result, bundle, dtstamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20270331" in text
    assert ("3 months: Tuesday 1 June 2027\\; 20 working days: Wednesday 31 March 2027\\; "
            "whichever is sooner: Wednesday 31 March 2027.") in text


BROKEN = [
    ("    whichever: sooner\n", "", "timescales[0].or: 'or' needs 'whichever'"),
    ("      - {amount: 20, unit: working_days}\n", "      - {amount: 3, unit: months}\n",
     "timescales[0].or[0]: 3 months is already a part of this rule"),
    ("      - {amount: 20, unit: working_days}\n", "      - {amount: 72, unit: hours}\n",
     "timescales[0].or: hours cannot be combined with days, weeks or months in one rule"),
    ("      - {amount: 20, unit: working_days}\n", "      - {amount: 400, unit: working_days}\n",
     "timescales[0].or[0].amount: 400 working_days is outside 1..260"),
    ("    whichever: sooner\n", "    whichever: soonest\n", "timescales[0].whichever: 'soonest' is not one of sooner, later"),
]


BROKEN.append(("{{ ts('elsewhere-review-after-birth') }}", "{{ ts('elsewhere-review-after-birth', 'words') }}",
               "timescale 'elsewhere-review-after-birth' is 'whichever is sooner' of several parts: "
               "one amount would misstate it"))


@pytest.mark.parametrize("old, new, message", BROKEN, ids=[b[2].split(": ", 1)[-1] for b in BROKEN])
def test_a_broken_whichever_rule_is_refused_with_its_line_and_key(tmp_path, old, new, message):
    tree = tmp_path / "rules"
    shutil.copytree(TREE, tree)
    path = tree / ("procedures/elsewhere/pre-birth.yaml" if old.startswith("{{") else "timescales/elsewhere.yaml")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(macros_rules.RulesInvalid) as info:
        macros_rules.load_rules(tree)
    assert message in info.value.report()


def test_the_site_built_from_the_fixture_tree_states_both_parts_in_the_text_and_the_tables(tmp_path):
    from sitebuild import mkdocs_build
    run = mkdocs_build(tmp_path / "site", TREE)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (tmp_path / "site" / "elsewhere" / "pre-birth" / "index.html").read_text(encoding="utf-8")
    assert "is held 3 months or 20 working days, whichever is sooner." in page
    table = (tmp_path / "site" / "elsewhere" / "timescales" / "index.html").read_text(encoding="utf-8")
    assert "3 months or 20 working days after baby born, whichever is sooner" in table
    assert "10 working days or 2 weeks after baby born, whichever is later" in table
    compare = next((tmp_path / "site").glob("**/compare*/index.html")).read_text(encoding="utf-8")
    assert "3 months or 20 working days, whichever is sooner</a>" in compare
