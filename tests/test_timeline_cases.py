"""Case timelines through the rules tree: tests/cases/timeline/<area>.yaml (names are sentences).

Each case is run twice, through :func:`tools.timeline.timeline` and through the command-line
contract ``procedures deadlines --area A --timeline EVENT=AT ... --today D --json``, which must
agree exactly (the page's worker calls the same function). Every area of the tree has its own
file of cases (tests/areas.py): an area without one fails, naming the file to write.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from areas import AREAS, case_file, case_files, each_area, per_area

from cli import deadlines as CLI
from tools.deadlines import deadline_row, list_events
from tools.layers import effective_timescales
from tools.timeline import timeline
from tools.workingdays import calendar_for

ROOT = Path(__file__).resolve().parents[1]


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
        if row["id"] == want["id"] and row.get("repeat_of") == want.get("repeat_of") and (
                "occurrence" not in want or row["occurrence"] == want["occurrence"]) and (
                "due" not in want or row["due"] == want["due"]):
            return row
    raise AssertionError(f"no row {want['id']} (repeat_of {want.get('repeat_of')}, occurrence "
                         f"{want.get('occurrence')}, due {want.get('due')}): "
                         f"{[(r['id'], r.get('repeat_of'), r['occurrence'], r['due']) for r in rows]}")


@per_area
@pytest.mark.parametrize("case", _cases())
def test_timeline_case(case, bundle, capsys):
    result = timeline(bundle, case["area"], [tuple(e) for e in case["events"]], today=case["today"])
    for want in case["expect"].get("rows", []):
        row = _find(result["deadlines"], want)
        for key, value in want.items():
            assert row.get(key) == value, (key, row.get(key), value)
        assert row["status"] in ("done", "due", "overdue", "not-recorded")
        assert (row["done_at"] is not None) == (row["status"] == "done")
        assert (row["status"] == "not-recorded") == (row["not_recorded"] is not None and row["status"] != "done")
    for want in case["expect"].get("absent", []):
        assert not any(r["id"] == want for r in result["deadlines"]), want
    if "history" in case["expect"]:
        done = [r for r in result["deadlines"] if r["status"] == "done" and r["id"] == case["expect"]["history"]["id"]]
        got = [[r["occurrence"], r["due"], r["done_at"], r["timeliness"]] for r in done]
        assert got == case["expect"]["history"]["occurrences"]
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


@each_area
def test_every_area_has_a_case_over_time(area):
    """A case with at least three occurrences of a repeating step, a late and an on-time
    occurrence (history)."""
    path = case_file("timeline", area)            # a missing file fails here, naming it
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    over_time = [c for c in cases if "history" in c["expect"]]
    assert any(len(c["expect"]["history"]["occurrences"]) >= 3
               and {"on time"} <= {o[3] for o in c["expect"]["history"]["occurrences"]}
               and any(o[3].endswith("late") for o in c["expect"]["history"]["occurrences"])
               for c in over_time), f"{area}: no case with 3 occurrences, one on time and one late"


@each_area
def test_every_step_of_the_area_can_be_completed_or_says_why_not(area, bundle):
    """The walk: every step an area's rules time (own and inherited) has a completing event that
    the area offers, or a recorded reason why nothing here can complete it; a row for it is
    never overdue without a way to clear it."""
    offered = {e["id"] for e in list_events(bundle, area)}
    for ts in effective_timescales(bundle, area):
        step = bundle["steps"][ts["step"]]
        if step["met_by"]:
            assert set(step["met_by"]) <= offered, (area, ts["id"], step["met_by"])
        else:
            assert step.get("not_ticked"), (area, ts["id"])
        row = deadline_row(ts, bundle["events"][ts["event"]], dt.date(2020, 1, 6), calendar_for(bundle, area),
                           dt.date(2028, 12, 1), 0, bundle)
        if not step["met_by"]:
            assert (row["status"], row["overdue"], row["not_recorded"]) == (
                "not-recorded", False, step["not_ticked"]), (area, ts["id"])


def test_every_completing_event_added_is_cited():
    """A step mapped to completing events since the timeline kept every occurrence names the
    paragraph that says so (met_by_source); the earlier mappings are the events' own names."""
    steps = yaml.safe_load((ROOT / "rules" / "events.yaml").read_text(encoding="utf-8"))["steps"]
    cited = {s["id"]: s.get("met_by_source") for s in steps}
    assert cited["transfer-in-conference"] == "wt-discontinuing-cp-plan-1"
    assert cited["transfer"] == "pbo-9-5" and cited["step-down-to-early-help"] == "pbo-5-8"


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
