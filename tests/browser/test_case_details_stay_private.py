"""Case details never reach a server (issue 20): both calculators used through the shipped nginx
config (deploy/nginx.conf, run as in tests/test_deploy_servers.py), then its access log read.

A social worker in Coventry answers the deadline calculator, reloads the answer, opens its link in
another tab, builds a case timeline and reloads it; a teacher ticks concerns in the threshold
checker and reloads; a browser that runs none of the site's scripts is shown the form and submits
it. Not one date, time, event or ticked concern may be in the log (request lines or Referer).

An old link with the details in its query (``?area=...&date=...``) still answers: the log holds
that one request, the address is then rewritten to the fragment form at once, and the reload
that follows sends nothing.
"""
from __future__ import annotations

import re

import pytest
from test_deploy_servers import running

from .deadlineform import ask, wait_answer

AREA = "coventry"
EVENT = "strategy-discussion"
AT = "2026-11-13T14:35"
LATER = ("icpc", "2026-11-27T10:20")
OLD_LINK = "calculators/deadlines/?area=dudley&event=referral&date=2026-12-23&time=16:45"


@pytest.fixture(scope="module")
def nginx(site):
    logs: dict = {}
    with running("nginx", site, logs) as url:
        yield url, logs["access"]


def case_details(*values: str) -> list[str]:
    """Every way a value could be written into a log line: as typed, percent-encoded, in parts."""
    out = []
    for v in values:
        out += [v, v.replace(":", "%3A"), v.replace("@", "%40")]
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", v):
            out += [v[:10], v[11:], v[11:].replace(":", "%3A"), f"{int(v[8:10])}/{int(v[5:7])}/{v[:4]}"]
    return sorted(set(out)) + ["area=", "event=", "date=", "time=", "tl=", "indicator", "flag="]


def log_lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_both_calculators_leave_no_case_detail_in_the_nginx_access_log(nginx, make_context):
    url, log = nginx
    before = len(log_lines(log))
    page = make_context().new_page()

    # The deadline calculator, from the area's overview.
    page.goto(url + f"{AREA}/")
    page.locator("article a", has_text="Deadline calculator").click()
    page.wait_for_selector("#dl-form:not([hidden])")
    ask(page, AREA, EVENT, int(AT[8:10]), int(AT[5:7]), int(AT[:4]))
    page.fill("#dl-time", AT[11:])
    page.click("#dl-submit")
    wait_answer(page, AT, timeout=90000)
    assert "#area=coventry&event=strategy-discussion&date=2026-11-13&time=14:35" in page.url
    page.reload()
    wait_answer(page, AT, timeout=90000)                       # the answer comes back from the fragment
    link = page.get_attribute('#dl-results [data-role="link"]', "href")
    other = page.context.new_page()
    other.goto(url.rstrip("/") + link)
    wait_answer(other, AT, timeout=90000)
    other.close()

    # The case timeline under it: the first event is the one just answered; one more is added.
    page.click('#tl [data-action="add"]')
    page.select_option("#tl-1-event", LATER[0])
    page.fill("#tl-1-date-day", str(int(LATER[1][8:10])))
    page.fill("#tl-1-date-month", str(int(LATER[1][5:7])))
    page.fill("#tl-1-date-year", LATER[1][:4])
    page.fill("#tl-1-time", LATER[1][11:])
    page.click("#tl-submit")
    page.wait_for_selector("#tl-results:not([hidden])", timeout=90000)
    assert f"tl={LATER[0]}@{LATER[1]}" in page.url
    page.reload()
    page.wait_for_selector("#tl-results:not([hidden])", timeout=90000)
    assert page.locator("#tl-entries > fieldset").count() == 2

    # The threshold checker: two concerns and a red flag ticked, checked, then the page reloaded.
    page.goto(url + f"{AREA}/threshold-checker/")
    boxes = page.locator("[data-calculator='thresholds'] input[type=checkbox]")
    ticked = [boxes.nth(i) for i in (0, 1)] + [page.locator("[data-calculator='thresholds'] input[name=flag]").first]
    values = [b.get_attribute("value") for b in ticked]
    for box in ticked:
        box.check()
    page.click("#tc-check")
    page.wait_for_selector("#tc-result:not([hidden])[data-answered]", timeout=90000)
    assert "?" not in page.url and "#" not in page.url
    page.reload()

    # No script at all (blocked, as by a browser with JavaScript off), the hidden form shown anyway
    # and submitted: method="dialog" sends nothing anywhere.
    bare = make_context()
    bare.route(re.compile(r"\.m?js(\?.*)?$"), lambda route: route.abort())
    nojs = bare.new_page()
    nojs.goto(url + "calculators/deadlines/")
    nojs.evaluate("() => document.querySelectorAll('form.calc-form').forEach((f) => { f.hidden = false; })")
    nojs.fill("#dl-date-day", "13")
    nojs.fill("#dl-date-month", "11")
    nojs.fill("#dl-date-year", "2026")
    nojs.fill("#dl-time", "14:35")
    nojs.click("#dl-submit")
    nojs.wait_for_timeout(500)
    assert nojs.url == url + "calculators/deadlines/"

    lines = log_lines(log)[before:]
    assert len(lines) > 20 and any('"GET /coventry/threshold-checker/ ' in line for line in lines), \
        "the pages were not served through this nginx"
    leaks = [(detail, line) for line in lines
             for detail in case_details(AT, "@".join(LATER), LATER[1], EVENT, *values) if detail in line]
    assert not leaks, "case details in the access log:\n" + "\n".join(f"{d!r}: {line}" for d, line in leaks)


def test_an_old_query_link_still_answers_and_reaches_the_log_only_once(nginx, make_context):
    url, log = nginx
    before = len(log_lines(log))
    page = make_context().new_page()
    page.goto(url + OLD_LINK)
    wait_answer(page, "2026-12-23T16:45", timeout=90000)
    assert page.input_value("#dl-area") == "dudley"
    assert page.url == url + "calculators/deadlines/#area=dudley&event=referral&date=2026-12-23&time=16:45"
    page.reload()
    wait_answer(page, "2026-12-23T16:45", timeout=90000)
    lines = log_lines(log)[before:]
    sent = [line for line in lines if "2026-12-23" in line]
    assert len(sent) == 1 and f'"GET /{OLD_LINK} ' in sent[0], sent   # the old link itself; no Referer, no reload
