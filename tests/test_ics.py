"""iCalendar export (tools.ics): RFC 5545 structure, folding, escaping, stable UIDs."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tools import deadlines as D
from tools import ics
from tools.timeline import timeline

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
STAMP = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


from bundles import world  # noqa: E402

BUNDLE = world()


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the line."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def events(text: str) -> list[dict]:
    out, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return out


def export(area, event, at, **kw):
    return ics.to_ics(D.deadlines_for(BUNDLE, area, event, at), BUNDLE, dtstamp=STAMP, **kw)


def test_one_all_day_event_per_dated_deadline_and_occurrence():
    text = export("national", "icpc", "2026-11-30")
    lines = unfold(text)
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ics.PRODID}"]
    assert lines[-1] == "END:VCALENDAR"
    evs = events(text)
    # report (1) + core group (1 + 3 occurrences) + review (1 + 3 occurrences)
    assert len(evs) == 9
    report = evs[0]
    assert report["DTSTART;VALUE=DATE"] == "20261126" and report["DTEND;VALUE=DATE"] == "20261127"
    assert report["SUMMARY"] == "Due: Report shared with parents"
    assert report["DTSTAMP"] == "20261123T093000Z"
    assert report["TRANSP"] == "TRANSPARENT"
    assert "2 working days before initial child protection conference." in report["DESCRIPTION"]
    assert "Source: Working Together 2015\\, chapter 1\\, paragraph 63." in report["DESCRIPTION"]
    dates = sorted(e["DTSTART;VALUE=DATE"] for e in evs)
    # a review due on a non-working day is entered on its latest working day: Sunday 28 February 2027
    # -> Friday 26 February, Saturday 28 August 2027 -> Friday 27 August, Monday 28 August 2028 (Summer
    # bank holiday) -> Friday 25 August; each occurrence is still counted from the rule's own date
    assert sorted(dates) == ["20261126", "20261214", "20270125", "20270226", "20270308", "20270419",
                             "20270827", "20280228", "20280825"]
    assert any("(occurrence 2)" in e["SUMMARY"] for e in evs)


def test_hour_rules_are_timed_events_in_utc():
    text = export("fenshire", "referral", "2027-03-27T10:00")
    timed = [e for e in events(text) if "DTSTART" in e]
    assert len(timed) == 1
    assert timed[0]["DTSTART"] == "20270328T100000Z"        # 11:00 BST
    assert "DTEND" not in timed[0]
    autumn = events(ics.to_ics(D.deadlines_for(BUNDLE, "national", "curfew-breach-reported", "2027-10-29T01:30"),
                               BUNDLE, dtstamp=STAMP))
    assert autumn[0]["DTSTART"] == "20271031T003000Z"       # the first 01:30, BST


def test_undated_rows_are_left_out():
    text = export("fenshire", "referral", "2026-12-23")      # the 24-hour rule needs a time
    assert len(events(text)) == 2
    assert "fenshire-referral-decision" not in text


def test_uids_are_stable_unique_and_carry_no_personal_data():
    a = export("national", "icpc", "2026-11-30")
    b = ics.to_ics(D.deadlines_for(BUNDLE, "national", "icpc", "2026-11-30"), BUNDLE,
                   dtstamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    uids_a = [e["UID"] for e in events(a)]
    assert uids_a == [e["UID"] for e in events(b)]
    assert len(set(uids_a)) == len(uids_a)
    assert "national.icpc.20261130.national-core-group-first.2@deadline-calculator" in uids_a
    assert ics.uid("fenshire", "referral", "2026-12-23T16:45", "fenshire-referral-decision") == \
        "fenshire.referral.20261223T1645.fenshire-referral-decision.1@deadline-calculator"
    other_date = [e["UID"] for e in events(export("national", "icpc", "2026-12-01"))]
    assert not set(other_date) & set(uids_a)


def test_lines_are_folded_at_75_octets_without_splitting_characters():
    long = "Ä" * 100 + " – a long note; with, commas\nand a new line"
    folded = ics.fold("DESCRIPTION:" + long)
    for line in folded.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")
    assert re.sub(r"\r\n ", "", folded) == "DESCRIPTION:" + long
    text = export("national", "icpc", "2026-11-30")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_commas_semicolons_and_newlines_are_escaped_in_calendar_text():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ics.escape_text("x\r\ny") == "x\\ny"
    row = D.deadlines_for(BUNDLE, "national", "referral", "2026-12-23")
    row["deadlines"][0]["label"] = "Decide; then tell, the referrer"
    text = ics.to_ics(row, BUNDLE, dtstamp=STAMP)
    assert "SUMMARY:Due: Decide\\; then tell\\, the referrer" in unfold(text)


def test_warnings_and_links():
    text = export("national", "icpc", "2026-11-30", base_url="https://procedures.example.org/")
    evs = events(text)
    review = [e for e in evs if e["DTSTART;VALUE=DATE"] == "20270226"][0]
    assert "Warning: 30 November 2026 + 3 months: February 2027 has no 30th" in review["DESCRIPTION"]
    assert ("The rule's date is Sunday 28 February 2027\\, which is not a working day: this entry is on the "
            "latest working day before it\\, Friday 26 February 2027.") in review["DESCRIPTION"].replace("\r\n ", "")
    assert review["URL"] == "https://procedures.example.org/national/managing-individual-cases/#wt-65"


def test_timeline_results_export_too():
    result = timeline(BUNDLE, "national", {"strategy-discussion": "2026-11-16", "icpc": "2026-12-04"})
    evs = events(ics.to_ics(result, BUNDLE, dtstamp=STAMP))
    uids = [e["UID"] for e in evs]
    # the ICPC step is done (the ICPC on 4 December): a done row is not a calendar entry
    assert "national.strategy-discussion.20261116.national-icpc.1@deadline-calculator" not in uids
    assert "national.icpc.20261204.national-report-to-parents.1@deadline-calculator" in uids
    assert any("Counted from: Initial child protection conference\\, 2026-12-04." in e["DESCRIPTION"] for e in evs)


def test_default_dtstamp_is_utc_now():
    text = ics.to_ics(D.deadlines_for(BUNDLE, "national", "referral", "2026-12-23"))
    stamp = events(text)[0]["DTSTAMP"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", stamp)


def test_the_docstring_examples_hold():
    import doctest
    failures, tests = doctest.testmod(ics)
    assert tests > 0 and failures == 0


def test_a_conditional_step_is_entered_with_its_if_and_the_source_never_as_an_ordinary_deadline():
    from bundles import real_bundle
    bundle = real_bundle()
    result = D.deadlines_for(bundle, "peterborough", "cin-meeting", "2027-03-01")
    step_back = next(r for r in result["deadlines"] if r["id"] == "peterborough-step-back-to-caf-tac")
    assert step_back["status"] == "conditional"
    ev = next(e for e in events(ics.to_ics(result, bundle, STAMP)) if "CAF/TAC" in e["SUMMARY"])
    assert ev["SUMMARY"].startswith("If the Child in Need meeting decides to step back to CAF/TAC: ")
    assert not ev["SUMMARY"].startswith("Due:")
    description = ev["DESCRIPTION"].replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    assert "this step applies only then, and that is not recorded in this answer" in description
    assert "(source: Peterborough CIN Procedures, 5.8)" in description
    # Once the step-down decision is recorded, the same step is an ordinary deadline.
    tl = timeline(bundle, "peterborough", {"cin-meeting": "2027-03-01", "cin-step-down-decided": "2027-03-01"},
                  today="2027-03-02")
    ev = next(e for e in events(ics.to_ics(tl, bundle, STAMP)) if "CAF/TAC" in e["SUMMARY"])
    assert ev["SUMMARY"].startswith("Due: ")


def test_an_earliest_of_rule_gives_each_part_and_which_was_taken_in_the_description():
    bundle = world()
    bundle["timescales"] = [dict(next(t for t in bundle["timescales"] if t["area"] == "national"),
                                 id="national-whichever", amount=3, unit="months", recurrence=None,
                                 whichever="sooner", **{"or": [{"amount": 20, "unit": "working_days"}]})]
    result = D.deadlines_for(bundle, "national", bundle["timescales"][0]["event"], "2027-03-01")
    [ev] = events(ics.to_ics(result, bundle, STAMP))
    assert ev["DTSTART;VALUE=DATE"] == "20270331"
    description = ev["DESCRIPTION"].replace("\\,", ",").replace("\\;", ";")
    assert ("3 months: Tuesday 1 June 2027; 20 working days: Wednesday 31 March 2027; "
            "whichever is sooner: Wednesday 31 March 2027.") in description
    assert description.startswith("3 months or 20 working days after ")
