"""The case history on a phone (375 px wide): a Coventry case with three core groups, one late,
reads as a list in the order things were done, each with its own due date and lateness, and the
next core group is counted from the last one held. Screenshots: /tmp/shots/wt-case/ (or
``$CASE_SHOTS``), for a person to look at."""
from __future__ import annotations

import os
from pathlib import Path

CALC = "calculators/deadlines/"
SHOTS = Path(os.environ.get("CASE_SHOTS", "/tmp/shots/wt-case"))


def test_the_case_history_reads_in_order_on_a_phone(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + CALC + "#area=coventry&tl=icpc@2026-11-17&tl=core-group@2026-11-30"
              "&tl=core-group@2027-01-14&tl=core-group@2027-02-24")
    page.wait_for_selector("#tl-results:not([hidden]) .calc-history li", timeout=90000)
    items = page.locator("#tl-results .calc-history li").all_inner_texts()
    core = [t for t in items if t.split(": ", 1)[1].startswith("Core groups")]
    assert core == [
        "30 November 2026: Core groups (10 working days and 6 weekly thereafter) (1st), due Tuesday 1 December 2026: on time",
        "14 January 2027: Core groups (10 working days and 6 weekly thereafter) (2nd), due Monday 11 January 2027: "
        "3 working days late",
        "24 February 2027: Core groups (10 working days and 6 weekly thereafter) (3rd), due Thursday 25 February 2027: "
        "on time"]
    assert page.locator("#tl-results .calc-history li.calc-history--late").count() == 1
    # the next one, from the last held (24 February + 6 weeks)
    nxt = page.locator('#tl-results tr[data-id="coventry-core-group"]:not([data-state="done"])')
    assert "Wednesday 7 April 2027" in nxt.inner_text() and "(4th)" in nxt.inner_text()
    # a step nothing here can record is never overdue
    report = page.locator('#tl-results tr[data-id="coventry-report-before-icpc"]')
    assert report.get_attribute("data-state") == "not-recorded"
    assert "Not recorded here" in report.inner_text()
    # the list fits the phone: no sideways scrolling of the history itself
    width = page.evaluate("document.querySelector('#tl-results .calc-history').scrollWidth")
    assert width <= 375
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#tl-results .calc-history").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "case-history-375.png"))
    page.locator("#tl-results").screenshot(path=str(SHOTS / "case-history-375-results.png"))
