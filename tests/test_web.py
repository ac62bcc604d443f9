"""The browser calculators' Python side (tools/web): the worker's generic call, the deadline form.

Runs in CPython and, unchanged, inside Pyodide (the runner picks every test module that
imports tools): the same code the worker runs.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tools import deadlines as D
from tools import web as webcalc
from tools.timeline import timeline
from tools.web import deadline_form as F

ROOT = Path(__file__).resolve().parent.parent
IN_PYODIDE = sys.platform == "emscripten"


@pytest.fixture(scope="module")
def bundle() -> dict:
    path = os.environ.get("PROCEDURES_BUNDLE_JSON")
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    if IN_PYODIDE:
        pytest.skip("inside Pyodide the real rules come from PROCEDURES_BUNDLE_JSON")
    from macros.state import load_bundle
    return load_bundle()


def query(**kw) -> dict:
    q = {"area": "national", "event": "referral", "day": "23", "month": "12", "year": "2026", "time": "",
         "today": "2026-11-23T10:00"}
    q.update(kw)
    return q


# -- the generic call ------------------------------------------------------------------------
def test_call_runs_a_tools_function_with_the_bundle_and_returns_json(bundle):
    webcalc.set_bundle(json.dumps(bundle))
    reply = json.loads(webcalc.call("tools.deadlines.list_events", json.dumps({"args": [{"$ref": "bundle"}, "national"]})))
    assert reply["ok"] is True
    assert reply["result"] == D.list_events(bundle, "national")


def test_call_accepts_keyword_arguments(bundle):
    webcalc.set_bundle(json.dumps(bundle))
    reply = json.loads(webcalc.call("tools.web.deadline_form.calculate",
                                    json.dumps({"kwargs": {"bundle": {"$ref": "bundle"}, "query": query()}})))
    assert reply["ok"] and reply["result"]["ok"] and reply["result"]["rows"]


def test_call_returns_python_errors_in_words_never_raises(bundle):
    webcalc.set_bundle(json.dumps(bundle))
    reply = json.loads(webcalc.call("tools.deadlines.deadlines_for",
                                    json.dumps({"args": [{"$ref": "bundle"}, "atlantis", "referral", "2026-12-23"]})))
    assert reply["ok"] is False
    assert reply["error"]["type"] == "UnknownArea"
    assert "DeadlineError" in reply["error"]["types"]
    assert "atlantis" in reply["error"]["message"]


@pytest.mark.parametrize("name", ["os.system", "builtins.eval", "tools.deadlines._area", "json.loads", "webcalc"])
def test_only_public_functions_of_tools_can_be_called(name):
    reply = json.loads(webcalc.call(name, "{}"))
    assert reply["ok"] is False and reply["error"]["type"] == "PermissionError"


# -- the deadline form: GOV.UK date checks ----------------------------------------------------
@pytest.mark.parametrize("fields, message, parts", [
    ({"day": "", "month": "", "year": ""}, "Enter the date of referral", ["day", "month", "year"]),
    ({"day": "30", "month": "2", "year": "2027"}, "Date of referral must be a real date", ["day"]),
    ({"day": "3", "month": "13", "year": "2027"}, "Date of referral must be a real date", ["month"]),
    ({"day": "x", "month": "2", "year": "2027"}, "Date of referral must be a real date", ["day"]),
    ({"day": "1", "month": "", "year": "2027"}, "Date of referral must include a month", ["month"]),
    ({"day": "", "month": "", "year": "2027"}, "Date of referral must include a day and month", ["day", "month"]),
    ({"day": "1", "month": "2", "year": "27"}, "Year must include 4 numbers", ["year"]),
])
def test_date_errors_follow_the_govuk_pattern(fields, message, parts):
    day, error = F.check_date(fields, "date of referral")
    assert day is None
    assert error == {"field": "date", "parts": parts, "message": message}


def test_the_event_names_the_date_in_messages(bundle):
    answer = F.calculate(bundle, query(event="strategy-discussion", day="", month="", year=""))
    assert answer["errors"][0]["message"] == "Enter the date of strategy discussion"
    clause = {"id": "x", "label": "Assessment completed", "phrase": "the assessment is completed"}
    assert F.date_name(clause) == "date when the assessment is completed"


def test_a_date_outside_the_calendar_is_refused_with_its_range(bundle):
    answer = F.calculate(bundle, query(year="2099"))
    assert not answer["ok"]
    [error] = answer["errors"]
    assert error["field"] == "date" and "must be between" in error["message"]
    assert bundle["calendar"]["covers_to"][:4] in error["message"]


@pytest.mark.parametrize("time, ok", [("16:45", True), ("9:05", True), ("16.45", True), ("25:00", False),
                                      ("4pm", True), ("4 o'clock", False), ("", True)])
def test_the_time_is_optional_and_checked_by_parse_at(bundle, time, ok):
    answer = F.calculate(bundle, query(time=time))
    assert answer["ok"] is ok
    if not ok:
        assert answer["errors"][0]["field"] == "time"


def test_unknown_area_and_event_are_field_errors(bundle):
    assert F.calculate(bundle, query(area="atlantis"))["errors"][0]["field"] == "area"
    assert F.calculate(bundle, query(event="nothing"))["errors"][0]["field"] == "event"


# -- the deadline form: the answer --------------------------------------------------------------
def test_the_answer_is_the_engines_answer_in_words(bundle):
    answer = F.calculate(bundle, query(area="dudley", time="16:45"))
    engine = D.deadlines_for(bundle, "dudley", "referral", "2026-12-23T16:45", today="2026-11-23T10:00")
    assert [r["id"] for r in answer["rows"]] == [r["id"] for r in engine["deadlines"]]
    assert [r["due"] for r in answer["rows"]] == [r["due"] for r in engine["deadlines"]]
    for row in answer["rows"]:
        assert row["layer_text"] in ("National", "Local (Dudley)")
        assert row["due_text"] and row["rule"] and row["source"]["url"]
    assert answer["link"] == "#area=dudley&event=referral&date=2026-12-23&time=16:45"
    assert "_result" not in answer and "result" not in answer


def test_the_link_holds_only_area_event_date_and_time_in_the_fragment_never_sent_to_a_server(bundle):
    answer = F.calculate(bundle, query())
    assert answer["link"].startswith("#") and "?" not in answer["link"]
    assert set(k for k, _ in (p.split("=") for p in answer["link"][1:].split("&"))) == {"area", "event", "date"}


def test_overdue_and_due_today_are_flagged_against_today(bundle):
    answer = F.calculate(bundle, query(day="1", month="9", year="2026", today="2026-11-23T10:00"))
    assert any(r["status"] == "Overdue" and r["overdue"] for r in answer["rows"])
    due = answer["rows"][0]["due"][:10]
    again = F.calculate(bundle, query(day="1", month="9", year="2026", today=due + "T09:00"))
    assert again["rows"][0]["status"] == "Due today"


def test_the_timeline_merges_events_and_checks_each_entry(bundle):
    entries = [{"event": "strategy-discussion", "day": "2", "month": "10", "year": "2026", "time": ""},
               {"event": "icpc", "day": "23", "month": "10", "year": "2026", "time": "10:00"}]
    answer = F.timeline(bundle, {"area": "national", "entries": entries, "today": "2026-11-23T10:00"})
    engine = timeline(bundle, "national", {"strategy-discussion": "2026-10-02", "icpc": "2026-10-23T10:00"},
                      "2026-11-23T10:00")
    assert [(r["id"], r["due"]) for r in answer["rows"]] == [(r["id"], r["due"]) for r in engine["deadlines"]]
    assert answer["link"] == "#area=national&tl=strategy-discussion@2026-10-02&tl=icpc@2026-10-23T10:00"
    bad = F.timeline(bundle, {"area": "national", "entries": [entries[0], dict(entries[1], month="")]})
    assert bad["errors"][0]["field"] == "entries.1.date"
    later = dict(entries[0], day="9")
    twice = F.timeline(bundle, {"area": "national", "entries": [entries[0], later]})
    # every occurrence is kept, in time order
    assert twice["ok"] and twice["events"] == [
        {"event": "strategy-discussion", "label": "Strategy discussion or meeting held", "at": "2026-10-02"},
        {"event": "strategy-discussion", "label": "Strategy discussion or meeting held", "at": "2026-10-09"}]


def test_the_case_history_reads_in_the_order_things_were_done(bundle):
    entries = [{"event": e, "day": d, "month": m, "year": y, "time": ""} for e, d, m, y in (
        ("icpc", "20", "11", "2026"), ("cp-review", "15", "2", "2027"), ("cp-review", "20", "8", "2027"))]
    answer = F.timeline(bundle, {"area": "national", "entries": entries, "today": "2027-09-01T10:00"})
    assert [h["text"] for h in answer["history"]] == [
        "15 February 2027: Child protection review conference (1st), due Saturday 20 February 2027: on time",
        "20 August 2027: Child protection review conference (2nd), due Sunday 15 August 2027: 5 working days late"]
    nxt = [r for r in answer["open"] if r["id"] == "national-cp-review"]
    assert [(r["occurrence_text"], r["due"]) for r in nxt] == [("3rd", "2028-02-20")]


def test_a_review_just_held_gives_the_next_one_in_the_single_event_form(bundle):
    answer = F.calculate(bundle, query(event="cp-review", day="15", month="2", year="2027", time=""))
    assert answer["ok"], answer
    [row] = [r for r in answer["rows"] if r["id"] == "national-cp-review"]
    assert row["due"] == "2027-08-15" and row["rule"].startswith("6 months after the review conference on")


def test_a_time_that_did_not_happen_is_shown_in_the_error_summary(bundle):
    answer = F.calculate(bundle, query(event="icpc", day="28", month="3", year="2027", time="01:30"))
    assert not answer["ok"]
    assert answer["errors"][0]["field"] == "time"
    assert "did not happen in the UK" in answer["errors"][0]["message"]


def test_the_ics_file_is_the_tools_ics_export(bundle):
    out = F.ics(bundle, query(event="icpc", time="10:00"))
    assert out["ok"] and out["filename"] == "deadlines-national-icpc-2026-12-23.ics"
    assert out["text"].startswith("BEGIN:VCALENDAR\r\n")
    result = D.deadlines_for(bundle, "national", "icpc", "2026-12-23T10:00", today="2026-11-23T10:00")
    dated = sum(1 for r in result["deadlines"] if r["due"]) + sum(
        1 for r in result["deadlines"] for o in r["occurrences"] if o["due"])
    assert out["text"].count("BEGIN:VEVENT") == dated


def test_the_docstring_examples_hold():
    import doctest
    assert doctest.testmod(F).failed == 0


def test_an_area_with_unreviewed_draft_timescales_is_warned_of_above_its_dates_in_both_forms(bundle):
    import copy
    drafty = copy.deepcopy(bundle)
    drafty["areas"]["dudley"]["drafts"] = 4          # as the bundle counts an imported area's drafts
    one = F.calculate(drafty, query(area="dudley"))
    (warning,) = one["warnings"]
    assert warning.startswith("Draft: Dudley's own document gives 4 time limits that a person has not yet reviewed.")
    assert "not used here" in warning and warning not in one["notes"]
    case = F.timeline(drafty, {"area": "dudley", "today": "2026-11-23T10:00",
                               "entries": [{"event": "referral", "day": "23", "month": "10", "year": "2026"}]})
    assert case["ok"] and case["warnings"] == [warning]
    assert F.calculate(bundle, query(area="dudley"))["warnings"] == []
    assert D.deadlines_for(drafty, "dudley", "referral", "2026-12-23")["notes"][0] == warning   # the CLI's notes too
