"""Case timelines through the rules tree: tests/cases/timeline/<area>.yaml (names are sentences).

Each case is run twice, through :func:`tools.timeline.timeline` and through the command-line
contract ``procedures deadlines --area A --timeline EVENT=AT ... --today D --json``, which must
agree exactly (the page's worker calls the same function). Every area of the tree has its own
file of cases (tests/areas.py): an area without one fails, naming the file to write.
"""
from __future__ import annotations

import json

import pytest
import yaml
from areas import AREAS, case_file, case_files, each_area, per_area

from cli import deadlines as CLI
from tools.timeline import timeline


def _cases():
    out = []
    for path in case_files("timeline"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{case['area']}: {case['name']}"))
    return out


@pytest.fixture(scope="module")
def bundle():
    from bundles import real_bundle
    return real_bundle()


def _find(rows, want):
    for row in rows:
        if row["id"] == want["id"] and row.get("repeat_of") == want.get("repeat_of"):
            return row
    raise AssertionError(f"no row {want['id']} (repeat_of {want.get('repeat_of')}): "
                         f"{[(r['id'], r.get('repeat_of')) for r in rows]}")


@per_area
@pytest.mark.parametrize("case", _cases())
def test_timeline_case(case, bundle, capsys):
    result = timeline(bundle, case["area"], [tuple(e) for e in case["events"]], today=case["today"])
    for want in case["expect"]["rows"]:
        row = _find(result["deadlines"], want)
        for key, value in want.items():
            assert row.get(key) == value, (key, row.get(key), value)
        assert row["status"] in ("done", "due", "overdue")
        assert ("done_at" in row) == (row["status"] == "done")
    for text in case["expect"].get("notes", []):
        assert any(text in n for n in result["notes"]), (text, result["notes"])
    argv = ["--area", case["area"], "--timeline", *[f"{e}={at}" for e, at in case["events"]],
            "--today", case["today"], "--json"]
    assert CLI.main(argv, bundle=bundle) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(result))
    assert set(out) == {"area", "today", "events", "deadlines", "notes"}


@each_area
def test_every_area_has_a_timeline_case(area):
    path = case_file("timeline", area)
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    assert cases, f"{path} holds no case"
    assert {c["area"] for c in cases} == {area}, f"{path}: every case of this file is about {area}"


def test_every_timeline_case_is_about_an_area_of_the_rules():
    assert {c.values[0]["area"] for c in _cases()} <= set(AREAS)


def test_every_step_says_how_it_is_ticked_off(bundle):
    for step in bundle["steps"].values():
        assert step["met_by"] or step.get("not_ticked"), step["id"]
        for ev in step["met_by"]:
            assert ev in bundle["events"]


def test_the_timeline_contract_refuses_bad_input(bundle, capsys):
    assert CLI.main(["--area", "national", "--timeline", "icpc"], bundle=bundle) == 2
    assert "EVENT=AT" in capsys.readouterr().err
    assert CLI.main(["--area", "national", "--timeline", "nonsense=2026-11-17"], bundle=bundle) == 2
    assert "Unknown event" in capsys.readouterr().err
