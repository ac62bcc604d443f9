"""The deadline engine: YAML cases (tests/cases/deadlines/*.yaml) and the API.

Runs in CPython and in Pyodide (PyYAML only; no numpy, holidays or hypothesis here).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

from areas import each_area  # noqa: E402
from bundles import world  # noqa: E402

from tools import deadlines as D  # noqa: E402
from tools import duedates  # noqa: E402
from tools import wording as W  # noqa: E402
from tools.timeline import timeline  # noqa: E402
from tools.workingdays import make_calendar  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "deadlines"
# What a case may name in `raises:` (the date errors live in tools/duedates.py, the others in tools/deadlines.py).
ERRORS = {cls.__name__: cls for cls in (D.UnknownArea, D.UnknownEvent, duedates.InvalidDate, duedates.OutOfCoverage)}

ROW_KEYS = set(json.loads((Path(__file__).resolve().parents[1] / "tools" / "output.schema.json")
               .read_text(encoding="utf-8"))["$defs"]["row"]["required"])


BUNDLE = world()


# -- YAML cases -------------------------------------------------------------------------------
def load_cases():
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


ALL_CASES = load_cases()


def case_bundle(case: dict) -> dict:
    bundle = copy.deepcopy(BUNDLE)
    rule = case["rule"]
    bundle["timescales"] = [{
        "id": "case-rule", "area": case.get("area", "national"), "step": "case-step", "label": "The step",
        "event": case.get("event", "referral"), "amount": rule["amount"], "unit": rule["unit"],
        "direction": rule["direction"], "recurrence": rule.get("recurrence"),
        "source": {"document": "Test document", "section": "1", "id": "t-1", "url": "national/t/#t-1", "title": "1"},
        "notes": "", "alternatives": [], "reading": "",
        **({"whichever": rule["whichever"], "or": rule["or"]} if "or" in rule else {})}]
    return bundle


def test_there_are_cases_for_every_unit_and_direction():
    seen = {(c.values[0]["rule"]["unit"], c.values[0]["rule"]["direction"]) for c in ALL_CASES}
    assert seen >= {(u, d) for u in duedates.UNITS for d in duedates.DIRECTIONS}
    names = [c.values[0]["name"] for c in ALL_CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert all(n.endswith(".") and n[0].isupper() for n in names), "case names are full sentences"


@pytest.mark.parametrize("case", ALL_CASES)
def test_each_yaml_case_gives_the_due_date_it_names(case):
    bundle = case_bundle(case)
    area, event = case.get("area", "national"), case.get("event", "referral")
    kwargs = {"occurrences": case["occurrences_asked"]} if "occurrences_asked" in case else {}
    if "raises" in case:
        with pytest.raises(ERRORS[case["raises"]]) as info:
            D.deadlines_for(bundle, area, event, case["at"], **kwargs)
        assert case["message"] in str(info.value)
        return
    result = D.deadlines_for(bundle, area, event, case["at"], **kwargs)
    [row] = result["deadlines"]
    assert row["due"] == case["due"], row
    if case["due"] is None:
        assert row["weekday"] is None and row["error"]
    else:
        assert row["error"] is None, row["error"]
    if "weekday" in case:
        assert row["weekday"] == case["weekday"]
    if "due_utc" in case:
        assert row["due_utc"] == case["due_utc"]
    if "warnings" in case:
        if case["warnings"] == []:
            assert row["warnings"] == []
        for expected in case["warnings"]:
            assert any(expected in w for w in row["warnings"]), (expected, row["warnings"])
    if "error" in case:
        assert case["error"] in (row["error"] or ""), row["error"]
    if "occurrences" in case:
        assert [o["due"] for o in row["occurrences"]] == case["occurrences"]
    if "parts" in case:     # a whichever rule: each part's own due date, and which one was taken
        assert [(p["due"], p["chosen"]) for p in row["parts"] or []] == [tuple(x) for x in case["parts"]]
    if "rule_words" in case:
        assert row["rule"] == case["rule_words"]
    for i, expected in enumerate(case.get("occurrence_warnings", [])):
        got = row["occurrences"][i]["warnings"]
        assert got == [] if expected == [] else all(any(e in w for w in got) for e in expected), got
    for i, expected in enumerate(case.get("occurrence_errors", [])):
        assert expected in row["occurrences"][i]["error"]


# -- the shape of a result ---------------------------------------------------------------------
def test_result_shape_is_the_cli_contract():
    result = D.deadlines_for(BUNDLE, "fenshire", "referral", "2026-12-23T16:45", today="2026-12-24")
    assert set(result) == {"area", "event", "at", "deadlines", "notes"}
    assert result["at"] == "2026-12-23T16:45"
    for row in result["deadlines"]:
        assert set(row) == ROW_KEYS
        assert set(row["source"]) == {"document", "section", "url"}
        assert isinstance(row["warnings"], list)
    json.dumps(result)   # JSON-compatible


def test_layers_own_rules_override_national_by_step():
    rows = D.deadlines_for(BUNDLE, "fenshire", "referral", "2026-12-23T16:45")["deadlines"]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"fenshire-referral-decision", "fenshire-referral-ack", "national-assessment-complete"}
    assert by_id["fenshire-referral-decision"]["layer"] == "fenshire"
    assert by_id["national-assessment-complete"]["layer"] == "national"
    national = D.deadlines_for(BUNDLE, "national", "referral", "2026-12-23")["deadlines"]
    assert {r["id"] for r in national} == {"national-referral-decision", "national-assessment-complete"}


def test_rows_are_sorted_soonest_first_with_undated_last():
    rows = D.deadlines_for(BUNDLE, "fenshire", "referral", "2026-12-23")["deadlines"]
    # without a time the 24-hour rule is undated and comes last
    assert [r["id"] for r in rows] == ["fenshire-referral-ack", "national-assessment-complete",
                                       "fenshire-referral-decision"]
    assert rows[-1]["due"] is None and "Enter the time" in rows[-1]["error"]
    rows = D.deadlines_for(BUNDLE, "fenshire", "referral", "2026-12-23T16:45")["deadlines"]
    assert [r["due"] for r in rows] == ["2026-12-24T16:45", "2026-12-26", "2027-03-04"]


def test_a_timed_deadline_sorts_before_a_date_only_one_on_the_same_day():
    key = D._sort_key
    assert key({"due": "2026-12-24T23:59", "id": "b"}) < key({"due": "2026-12-24", "id": "a"})
    assert key({"due": "2026-12-24", "id": "a"}) < key({"due": "2026-12-25T00:00", "id": "a"})


def test_before_rules_come_before_the_event():
    rows = D.deadlines_for(BUNDLE, "national", "icpc", "2026-11-30")["deadlines"]
    assert rows[0]["id"] == "national-report-to-parents" and rows[0]["due"] == "2026-11-26"
    assert rows[0]["rule"] == "2 working days before initial child protection conference"


def test_each_rule_reads_in_words_with_its_event_and_any_repeat():
    rows = {r["id"]: r for r in D.deadlines_for(BUNDLE, "national", "icpc", "2026-11-30")["deadlines"]}
    assert rows["national-core-group-first"]["rule"] == (
        "10 working days after initial child protection conference, then every 6 weeks after the previous one")
    row = D.deadlines_for(BUNDLE, "national", "strategy-discussion", "2026-11-30")["deadlines"][0]
    assert row["rule"] == "15 working days after strategy discussion or meeting held"
    assert W.event_phrase({"label": "Child in Need plan agreed"}) == "Child in Need plan agreed"
    assert W.event_phrase({"label": "CAF recommended and agreed"}) == "CAF recommended and agreed"
    assert W.event_phrase({"label": "Referral received", "phrase": "the referral"}) == "the referral"
    assert W.amount_words(1, "working_days") == "1 working day"


def test_overdue_against_today():
    rows = {r["id"]: r for r in D.deadlines_for(BUNDLE, "national", "icpc", "2026-11-30",
                                                 today="2026-12-14")["deadlines"]}
    # 26 November has passed, but no event recorded here can complete the step: not overdue
    assert rows["national-report-to-parents"]["overdue"] is False
    assert rows["national-report-to-parents"]["status"] == "not-recorded"
    assert rows["national-report-to-parents"]["past_due"] is True
    assert rows["national-core-group-first"]["overdue"] is False     # due today is not overdue
    assert [o["overdue"] for o in rows["national-core-group-first"]["occurrences"]] == [False, False, False]
    rows = D.deadlines_for(BUNDLE, "national", "icpc", "2026-11-30")["deadlines"]
    assert all(r["overdue"] is False and r["status"] in ("due", "not-recorded") for r in rows)


def test_overdue_for_timed_deadlines_uses_the_time_when_today_has_one():
    due = dt.datetime(2026, 12, 24, 16, 45)
    assert duedates.is_overdue(due, dt.datetime(2026, 12, 24, 16, 46)) is True
    assert duedates.is_overdue(due, dt.datetime(2026, 12, 24, 16, 45)) is False
    assert duedates.is_overdue(due, dt.date(2026, 12, 24)) is False
    assert duedates.is_overdue(due, "2026-12-25") is True
    assert duedates.is_overdue(None, "2026-12-25") is None


def test_closure_days_belong_to_their_area_only():
    fen = D.deadlines_for(BUNDLE, "fenshire", "strategy-discussion", "2026-12-23")["deadlines"]
    nat = D.deadlines_for(BUNDLE, "national", "strategy-discussion", "2026-12-23")["deadlines"]
    icpc = {r["id"]: r["due"] for r in fen}["national-icpc"]
    assert icpc == "2027-01-21"                      # national rule, Fenshire's closure days
    assert {r["id"]: r["due"] for r in nat}["national-icpc"] == "2027-01-18"


def test_an_event_with_no_timescale_in_the_area_gives_no_deadlines():
    assert D.deadlines_for(BUNDLE, "national", "cin-plan-started", "2026-12-01")["deadlines"] == []


def test_a_core_group_just_held_gives_the_next_one_due_from_it():
    """The fixture's core groups repeat every 6 weeks: a core group held on 1 December 2026
    makes the next due on 12 January 2027, then every 6 weeks after the previous one."""
    result = D.deadlines_for(BUNDLE, "national", "core-group", "2026-12-01")
    [row] = result["deadlines"]
    assert (row["id"], row["repeat_of"], row["due"]) == ("national-core-group-first", "national-core-group-first",
                                                         "2027-01-12")
    assert row["rule"].startswith("6 weeks after core group meeting held on Tuesday 1 December 2026")


# -- errors ------------------------------------------------------------------------------------
def test_unknown_area_lists_the_valid_ones():
    with pytest.raises(D.UnknownArea) as info:
        D.deadlines_for(BUNDLE, "narnia", "referral", "2026-12-23")
    assert "Unknown area 'narnia'" in str(info.value)
    assert "national (England (national guidance))" in str(info.value) and "fenshire (Fenshire)" in str(info.value)


def test_unknown_event_lists_the_events_of_the_area():
    with pytest.raises(D.UnknownEvent) as info:
        D.deadlines_for(BUNDLE, "fenshire", "birthday", "2026-12-23")
    message = str(info.value)
    assert "Unknown event 'birthday'" in message and "Fenshire" in message
    assert "referral (Referral received)" in message and "cin-plan-started" in message
    assert "core-group" not in message      # no deadline starts from it


@pytest.mark.parametrize("text, message", [
    ("2026-02-30", "2026-02-30 is not a real date"),
    ("2026-13-01", "2026-13-01 is not a real date"),
    ("2026-12-23T24:00", "24:00 is not a real time"),
    ("2026-12-23T16:60", "16:60 is not a real time"),
    ("2026-12-23T1645", "Enter the time as HH:MM, for example 16:45"),
    ("2026-12-23T", "Enter the time as HH:MM"),
    ("tomorrow", "Enter the date as YYYY-MM-DD"),
    ("", "Enter the date as YYYY-MM-DD"),
])
def test_an_impossible_date_or_time_is_refused_with_a_message(text, message):
    with pytest.raises(duedates.InvalidDate) as info:
        duedates.parse_at(text)
    assert message in str(info.value)


def test_dates_and_uk_clock_times_are_read_as_practitioners_type_them():
    assert duedates.parse_at("2026-12-23") == dt.date(2026, 12, 23)
    assert duedates.parse_at("2026-12-23T16:45") == dt.datetime(2026, 12, 23, 16, 45)
    assert duedates.parse_at("2026-12-23 09:05") == dt.datetime(2026, 12, 23, 9, 5)
    assert duedates.parse_at("2026-1-2") == dt.date(2026, 1, 2)
    assert duedates.parse_at(" 2026-12-23T9:05 ") == dt.datetime(2026, 12, 23, 9, 5)
    assert duedates.format_at(duedates.parse_at("2026-12-23T09:05")) == "2026-12-23T09:05"


def test_errors_are_value_errors_with_one_base_class():
    for cls in (D.UnknownArea, D.UnknownEvent, duedates.InvalidDate, duedates.OutOfCoverage):
        assert issubclass(cls, duedates.DeadlineError) and issubclass(cls, ValueError)


# -- listing and timeline ---------------------------------------------------------------------
def test_an_area_lists_the_events_that_start_or_complete_its_deadlines_own_and_inherited():
    events = D.list_events(BUNDLE, "fenshire")
    assert [e["id"] for e in events] == ["referral", "strategy-discussion", "icpc", "cp-review", "cin-plan-started",
                                         "curfew-breach-reported", "core-group"]
    core = next(e for e in events if e["id"] == "core-group")
    assert core["timescales"] == [] and core["completes"] == ["core-group-meeting"]
    referral = events[0]
    assert referral["label"] == "Referral received"
    assert referral["timescales"] == ["fenshire-referral-decision", "fenshire-referral-ack",
                                      "national-assessment-complete"]
    national = {e["id"]: e for e in D.list_events(BUNDLE, "national")}
    assert national["cp-review"]["timescales"] == [] and national["cp-review"]["completes"] == ["cp-review-conference"]
    with pytest.raises(D.UnknownArea):
        D.list_events(BUNDLE, "narnia")


def test_the_listing_names_every_area_or_only_the_one_asked_for():
    payload = D.list_payload(BUNDLE)
    assert [a["id"] for a in payload["areas"]] == ["national", "fenshire", "shire", "vale"]
    one = D.list_payload(BUNDLE, "fenshire")
    assert [a["id"] for a in one["areas"]] == ["fenshire"] and one["areas"][0]["inherits"] == "national"


def test_timeline_merges_events_and_flags_overdue():
    result = timeline(BUNDLE, "national", {"strategy-discussion": "2026-11-16", "icpc": "2026-12-04"},
                      today="2026-12-10")
    assert result["today"] == "2026-12-10"
    assert [e["event"] for e in result["events"]] == ["strategy-discussion", "icpc"]
    rows = result["deadlines"]
    assert [(r["from_event"], r["id"], r["due"]) for r in rows] == [
        ("icpc", "national-report-to-parents", "2026-12-02"),
        ("strategy-discussion", "national-icpc", "2026-12-07"),
        ("icpc", "national-core-group-first", "2026-12-18"),
        ("icpc", "national-cp-review-first", "2027-03-04"),
    ]
    # the ICPC on 4 December completes the ICPC step (due 7 December): done, not overdue;
    # the report to parents cannot be recorded here, so it is never overdue
    assert [r["status"] for r in rows] == ["not-recorded", "done", "due", "due"]
    assert (rows[1]["done_at"], rows[1]["timeliness"]) == ("2026-12-04", "on time")
    assert [r["overdue"] for r in rows] == [False, False, False, False]
    assert rows[0]["past_due"] is True and rows[0]["not_recorded"]
    assert rows[0]["from_at"] == "2026-12-04"


def test_timeline_errors_name_the_event():
    with pytest.raises(duedates.InvalidDate) as info:
        timeline(BUNDLE, "national", {"icpc": "2026-02-30"})
    assert str(info.value) == "Initial child protection conference: 2026-02-30 is not a real date"
    with pytest.raises(duedates.OutOfCoverage) as info:
        timeline(BUNDLE, "national", {"icpc": "2029-02-01"})
    assert str(info.value).startswith("Initial child protection conference: ")
    with pytest.raises(D.UnknownEvent):
        timeline(BUNDLE, "national", {"nothing": "2026-01-01"})
    assert timeline(BUNDLE, "national", {})["deadlines"] == []


# -- lower level ----------------------------------------------------------------------------
def test_add_months_clamps_and_says_so():
    assert duedates.add_months(dt.date(2026, 11, 30), 3) == (dt.date(2027, 2, 28), True)
    assert duedates.add_months(dt.date(2027, 11, 30), 3) == (dt.date(2028, 2, 29), True)
    assert duedates.add_months(dt.date(2026, 1, 31), -2) == (dt.date(2025, 11, 30), True)
    assert duedates.add_months(dt.date(2026, 12, 15), 1) == (dt.date(2027, 1, 15), False)
    assert duedates.add_months(dt.date(2026, 1, 15), -1) == (dt.date(2025, 12, 15), False)
    assert duedates.add_months(dt.date(2026, 5, 31), 0) == (dt.date(2026, 5, 31), False)


def test_compute_due_with_datetime_fold_is_honoured():
    cal = make_calendar("2027-01-01", "2027-12-31", {})
    first = dt.datetime(2027, 10, 31, 1, 30)
    second = first.replace(fold=1)
    due1, w1 = duedates.compute_due(1, "hours", "after", first, cal)
    due2, w2 = duedates.compute_due(1, "hours", "after", second, cal)
    assert (due1, due1.fold) == (dt.datetime(2027, 10, 31, 1, 30), 1)
    assert due2 == dt.datetime(2027, 10, 31, 2, 30)
    assert "the first, 01:30 BST" in w1[0] and "the second, 01:30 GMT" in w2[0]


def test_compute_due_rejects_unknown_units():
    cal = make_calendar("2027-01-01", "2027-12-31", {})
    with pytest.raises(ValueError):
        duedates.compute_due(1, "fortnights", "after", dt.date(2027, 1, 4), cal)
    with pytest.raises(ValueError):
        duedates.compute_due(1, "days", "around", dt.date(2027, 1, 4), cal)


def test_the_docstring_examples_hold():
    import doctest

    from tools import timeline as timeline_module
    for module in (duedates, timeline_module):      # tools/deadlines.py has no examples of its own
        failures, tests = doctest.testmod(module)
        assert tests > 0 and failures == 0, module.__name__


# -- every timescale in rules/ -----------------------------------------------------------------
def _real_bundle():
    try:
        from macros.state import load_bundle
    except ImportError as exc:   # no loader yet, or its build-time dependencies are missing (Pyodide)
        pytest.skip(f"the rules loader macros.browser.bundle cannot be imported here ({exc})")
    return load_bundle()


@each_area
def test_every_timescale_in_rules_is_computable(area):
    bundle = _real_bundle()
    assert bundle["calendar"]["covers_to"] >= "2027-12-31"
    count = 0
    for event in D.list_events(bundle, area):
        for at in ("2026-12-23T16:45", "2027-03-27T10:00", "2027-10-31T01:30"):
            result = D.deadlines_for(bundle, area, event["id"], at)
            repeats = len(D.next_from(bundle, area, event["id"])[0])
            assert len(result["deadlines"]) == len(event["timescales"]) + repeats
            for row in result["deadlines"]:
                assert row["error"] is None, (area, event["id"], at, row["id"], row["error"])
                assert row["source"]["document"] and row["source"]["url"], row["id"]
                count += 1
    assert count > 0
