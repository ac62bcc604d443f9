"""Case timelines through the real rules: tests/cases/timeline/*.yaml (names are sentences).

Each case is run twice, through :func:`tools.timeline.timeline` and through the command-line
contract ``procedures deadlines --area A --timeline EVENT=AT ... --today D --json``, which must
agree exactly (the page's worker calls the same function).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli import deadlines as CLI
from tools.timeline import timeline

CASES = Path(__file__).resolve().parent / "cases" / "timeline"


def _cases():
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=case["name"]))
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


@pytest.mark.parametrize("case", _cases())
def test_timeline_case(case, bundle, capsys):
    result = timeline(bundle, case["area"], [tuple(e) for e in case["events"]], today=case["today"])
    for want in case["expect"]["rows"]:
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


def test_every_area_has_a_timeline_case():
    areas = {c.values[0]["area"] for c in _cases()}
    assert areas == {"national", "coventry", "dudley", "peterborough", "worcestershire"}


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
