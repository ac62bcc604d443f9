"""The deadline calculator in a real browser: keyboard only, same answers as the CLI, errors, links, .ics, a11y.

Every test runs against the built site served on 127.0.0.1 with the strict CSP
(see conftest.py), and fails if any request (page or worker) goes to another host.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from areas import bundle as tree_bundle
from areas import each_area

from .conftest import AXE, REPO, assert_error_summary, focused_id

CALC = "calculators/deadlines/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# -- helpers ----------------------------------------------------------------------------------
def cli(area: str, event: str, at: str, today: str | None = None) -> dict:
    """``.venv/bin/procedures deadlines ... --json``: the contract the page must agree with."""
    cmd = [str(Path(sys.executable).with_name("procedures")), "deadlines", "--area", area, "--event", event,
           "--at", at, "--json"]
    if today:
        cmd += ["--today", today]
    run = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def cli_in_process(bundle: dict, area: str, event: str, at: str, today: str) -> dict:
    """The CLI's ``main`` in this process (same code path and output as the command; faster for sweeps)."""
    from cli import deadlines
    out = StringIO()
    with redirect_stdout(out):
        assert deadlines.main(["--area", area, "--event", event, "--at", at, "--today", today, "--json"],
                              bundle=bundle) == 0
    return json.loads(out.getvalue())


def expected_rows(result: dict) -> list[dict]:
    """The rows a person should read: a repeating step's label says which occurrence it is ("(1st)")."""
    from tools.wording import ordinal

    def label(r):
        repeats = r.get("occurrence") and (r.get("recurrence") or r.get("repeat_of"))
        return r["label"] + (f" ({ordinal(r['occurrence'])})" if repeats else "")
    return [{"id": r["id"], "due": r["due"], "label": label(r), "overdue": bool(r["overdue"]),
             "occurrences": [o["due"] for o in r["occurrences"]]} for r in result["deadlines"]]


def page_rows(page, prefix: str = "dl") -> list[dict]:
    return page.evaluate("""(prefix) => [...document.querySelectorAll(`#${prefix}-results tbody tr`)].map(tr => ({
        id: tr.dataset.id,
        due: tr.querySelector("td.calc-due > time")?.getAttribute("datetime") ?? null,
        label: (() => { const th = tr.querySelector("th[scope=row]").cloneNode(true);   // the step, not its condition
                        th.querySelectorAll(".calc-condition").forEach(p => p.remove()); return th.textContent; })(),
        overdue: tr.classList.contains("calc-row--overdue"),
        occurrences: [...tr.querySelectorAll(".calc-occurrences li")].map(li => li.querySelector("time")?.getAttribute("datetime") ?? null),
    }))""", prefix)


def tab_to(page, element_id: str, limit: int = 120) -> None:
    """Press Tab until ``element_id`` has the focus (keyboard only, as a user would)."""
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}; focus is on #{focused_id(page)}")


def wait_ready(page, prefix: str = "dl") -> None:
    page.wait_for_selector(f'#{prefix}-status[data-state="ready"]', timeout=60000)


def wait_answer(page, at: str, prefix: str = "dl") -> None:
    page.wait_for_selector(f'#{prefix}-results[data-at="{at}"]:not([hidden])', timeout=60000)


def today_of(page, prefix: str = "dl") -> str:
    return page.get_attribute(f"#{prefix}-results", "data-today")


# -- the tests ----------------------------------------------------------------------------------
def test_keyboard_only_answer_matches_the_cli(page, base_url, recorder):
    page.goto(base_url + CALC)
    status = page.locator("#dl-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    page.locator("body").focus()
    tab_to(page, "dl-area")
    page.keyboard.type("Peterborough")
    assert page.input_value("#dl-area") == "peterborough"
    page.keyboard.press("Tab")
    assert focused_id(page) == "dl-event"
    page.keyboard.type("Strategy")
    assert page.input_value("#dl-event") == "strategy-discussion"
    page.keyboard.press("Tab")
    assert focused_id(page) == "dl-date-day"
    page.keyboard.type("23")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    page.keyboard.press("Tab")
    assert focused_id(page) == "dl-time"
    page.keyboard.type("16:45")
    page.keyboard.press("Enter")
    wait_answer(page, "2026-12-23T16:45")
    assert focused_id(page) == "dl-results-title"
    expected = cli("peterborough", "strategy-discussion", "2026-12-23T16:45", today_of(page))
    assert page_rows(page) == expected_rows(expected)
    assert page.locator("#dl-status").text_content() == "Ready"
    # The worker's own requests were seen, and none left the site (checked by the fixture).
    assert any(u.endswith("pyodide.asm.wasm") for u in recorder.urls)
    assert any("/assets/calculator/" in u and u.endswith(".bin") for u in recorder.urls)


@each_area
def test_every_area_and_event_gives_the_cli_answer(page, base_url, area):
    from tools.deadlines import list_events
    bundle = tree_bundle()
    n = list(bundle["areas"]).index(area)
    page.goto(base_url + CALC)
    wait_ready(page)
    checked = 0
    page.select_option("#dl-area", area)
    for event in [e for e in list_events(bundle, area) if e["timescales"]]:   # events that start a deadline
        at = f"2027-0{1 + n % 9}-{10 + (n * 7 + checked) % 18}T09:30"
        page.select_option("#dl-event", event["id"])
        page.fill("#dl-date-day", str(int(at[8:10])))
        page.fill("#dl-date-month", str(int(at[5:7])))
        page.fill("#dl-date-year", at[:4])
        page.fill("#dl-time", at[11:])
        page.click("#dl-submit")
        page.wait_for_selector(f'#dl-results[data-at="{at}"]:not([hidden]) caption:has-text("{bundle["events"][event["id"]]["label"]}")')
        expected = cli_in_process(bundle, area, event["id"], at, today_of(page))
        assert page_rows(page) == expected_rows(expected), f"{area} / {event['id']}"
        checked += 1
    assert checked >= 1, f"{area}: no event starts a deadline"


def test_bad_input_shows_the_govuk_error_summary(page, base_url):
    page.goto(base_url + CALC + "#area=national")
    page.select_option("#dl-area", "national")
    page.select_option("#dl-event", "referral")
    page.click("#dl-submit")
    assert_error_summary(page, "dl-errors", "Enter the date of referral", "#dl-date-day")
    assert "Enter the date of referral" in page.locator("#dl-date-error").text_content()
    assert page.get_attribute("#dl-date-day", "aria-invalid") == "true"
    # The summary's link takes the keyboard user to the field, which is not hidden under the
    # sticky header (WCAG 2.4.11).
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused_id(page) == "dl-date-day"
    header_bottom = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top") >= header_bottom

    page.fill("#dl-date-day", "30")
    page.fill("#dl-date-month", "2")
    page.fill("#dl-date-year", "2027")
    page.click("#dl-submit")
    page.wait_for_selector('#dl-errors a:has-text("Date of referral must be a real date")')
    assert page.locator("#dl-errors li").count() == 1

    page.fill("#dl-date-day", "1")
    page.fill("#dl-date-month", "")
    page.click("#dl-submit")
    page.wait_for_selector('#dl-errors a:has-text("Date of referral must include a month")')
    assert page.get_attribute("#dl-errors a", "href") == "#dl-date-month"

    page.fill("#dl-date-month", "3")
    page.fill("#dl-time", "25:00")
    page.click("#dl-submit")
    page.wait_for_selector('#dl-errors a[href="#dl-time"]')
    assert "not a real time" in page.locator("#dl-time-error").text_content()

    page.fill("#dl-time", "")
    page.fill("#dl-date-year", "2099")
    page.click("#dl-submit")
    page.wait_for_selector('#dl-errors a:has-text("must be between")')

    page.fill("#dl-date-year", "2027")
    page.click("#dl-submit")
    wait_answer(page, "2027-03-01")
    assert page.locator("#dl-errors").is_hidden()
    assert page.locator(".calc-group--error").count() == 0


def test_a_deep_link_reopens_the_same_answer(page, context, base_url):
    page.goto(base_url + CALC)
    page.select_option("#dl-area", "coventry")
    page.select_option("#dl-event", "strategy-discussion")
    page.fill("#dl-date-day", "4")
    page.fill("#dl-date-month", "1")
    page.fill("#dl-date-year", "2027")
    page.click("#dl-submit")
    wait_answer(page, "2027-01-04")
    first = page_rows(page)
    href = page.get_attribute('#dl-results [data-role="link"]', "href")
    # In the fragment, which the browser never sends to a server; the query stays empty.
    fragment = dict(parse_qsl(urlsplit(href).fragment))
    assert fragment == {"area": "coventry", "event": "strategy-discussion", "date": "2027-01-04"}
    assert urlsplit(href).query == "" and urlsplit(page.url).query == ""
    assert urlsplit(page.url).fragment == urlsplit(href).fragment     # the address bar holds the same link
    other = context.new_page()
    other.goto(base_url.rstrip("/") + href)
    wait_answer(other, "2027-01-04")
    assert other.input_value("#dl-area") == "coventry"
    assert other.input_value("#dl-date-day") == "4"
    assert page_rows(other) == first


def test_an_old_link_with_the_case_in_its_query_answers_and_moves_it_to_the_fragment(page, base_url):
    page.goto(base_url + CALC + "?area=coventry&event=strategy-discussion&date=2026-11-13&time=14:35")
    wait_answer(page, "2026-11-13T14:35")
    assert page.input_value("#dl-area") == "coventry"
    assert urlsplit(page.url).query == ""
    assert urlsplit(page.url).fragment == "area=coventry&event=strategy-discussion&date=2026-11-13&time=14:35"


def test_an_answer_s_link_opened_in_the_same_tab_answers_it(page, base_url):
    page.goto(base_url + CALC + "#area=dudley&event=referral&date=2026-12-23")
    wait_answer(page, "2026-12-23")
    page.evaluate("() => { location.hash = 'area=coventry&event=strategy-discussion&date=2027-01-04'; }")
    wait_answer(page, "2027-01-04")
    assert page.input_value("#dl-area") == "coventry"
    assert page.input_value("#dl-event") == "strategy-discussion"


def test_the_ics_download_has_one_event_per_dated_deadline(page, base_url):
    page.goto(base_url + CALC + "#area=national&event=icpc&date=2026-12-18&time=10:00")
    wait_answer(page, "2026-12-18T10:00")
    rows = page_rows(page)
    with page.expect_download() as info:
        page.click('#dl-results [data-action="ics"]')
    download = info.value
    assert download.suggested_filename == "deadlines-national-icpc-2026-12-18.ics"
    text = open(download.path(), encoding="utf-8", newline="").read()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.rstrip().endswith("END:VCALENDAR")
    dated = [d for r in rows for d in [r["due"], *r["occurrences"]] if d]
    assert text.count("BEGIN:VEVENT") == len(dated)
    starts = sorted(re.findall(r"DTSTART;VALUE=DATE:(\d{8})", text))
    # a date on a non-working day is entered on the latest working day the page shows beside it
    practical = page.evaluate("""() => [...document.querySelectorAll('#dl-results td.calc-due time')]
        .filter(t => !t.closest('.calc-latest-working-day'))
        .map(t => { const next = t.nextElementSibling;
                    const lwd = next && next.matches('.calc-latest-working-day') ? next.querySelector('time') : null;
                    return (lwd || t).getAttribute('datetime'); })""")
    assert starts == sorted(d.replace("-", "") for d in practical if "T" not in d)


def test_the_case_timeline_recomputes_and_flags_overdue(page, base_url):
    from macros.state import load_bundle
    from tools.timeline import timeline
    page.goto(base_url + CALC)
    wait_ready(page)
    page.select_option("#dl-area", "national")
    page.select_option("#tl-0-event", "strategy-discussion")
    page.fill("#tl-0-date-day", "2")
    page.fill("#tl-0-date-month", "10")
    page.fill("#tl-0-date-year", "2026")
    page.click('#tl [data-action="add"]')
    assert focused_id(page) == "tl-1-event"
    page.select_option("#tl-1-event", "icpc")
    page.fill("#tl-1-date-day", "23")
    page.fill("#tl-1-date-month", "10")
    page.fill("#tl-1-date-year", "2026")
    page.fill("#tl-1-time", "10:00")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-results:not([hidden]) tbody tr")
    today = today_of(page, "tl")
    expected = timeline(load_bundle(), "national",
                        {"strategy-discussion": "2026-10-02", "icpc": "2026-10-23T10:00"}, today)
    # the page shows the open rows first, then (apart) the done ones
    rows = expected_rows(expected)
    by_state = {r["id"] + (r.get("repeat_of") or ""): r["status"] for r in expected["deadlines"]}
    ordered = ([r for r, e in zip(rows, expected["deadlines"], strict=True) if e["status"] != "done"]
               + [r for r, e in zip(rows, expected["deadlines"], strict=True) if e["status"] == "done"])
    assert page_rows(page, "tl") == ordered and by_state["national-icpc"] == "done"
    if today >= "2026-11-01":
        assert page.locator("#tl-results .calc-tag--overdue").count() >= 1
    href = page.get_attribute('#tl-results [data-role="link"]', "href")
    assert dict(parse_qsl(urlsplit(href).fragment), tl=None) == {"area": "national", "tl": None}
    assert [v for k, v in parse_qsl(urlsplit(href).fragment) if k == "tl"] == [
        "strategy-discussion@2026-10-02", "icpc@2026-10-23T10:00"]


def test_the_compact_form_on_a_procedure_page(page, base_url, site):
    html = (site / "national" / "managing-individual-cases" / "index.html").read_text(encoding="utf-8")
    assert 'data-prefix="dlc"' in html
    page.goto(base_url + "national/managing-individual-cases/")
    assert page.input_value("#dlc-area") == "national"
    event = page.input_value("#dlc-event")
    page.fill("#dlc-date-day", "7")
    page.fill("#dlc-date-month", "12")
    page.fill("#dlc-date-year", "2026")
    page.click("#dlc-submit")
    wait_answer(page, "2026-12-07", "dlc")
    expected = cli("national", event, "2026-12-07", today_of(page, "dlc"))
    assert page_rows(page, "dlc") == expected_rows(expected)
    link = page.get_attribute('[data-role="full-link"]', "href")
    assert link.endswith(f"/calculators/deadlines/#area=national&event={event}&date=2026-12-07")


def test_without_javascript_the_page_says_so_and_keeps_the_tables(make_context, base_url):
    page = make_context(java_script_enabled=False).new_page()
    page.goto(base_url + CALC)
    assert page.locator("#dl-form").is_hidden()
    assert "This calculator needs JavaScript" in page.locator("noscript").first.inner_text() or \
        "This calculator needs JavaScript" in page.content()
    assert page.locator("table").count() >= 4


def test_the_print_view_shows_the_answer_not_the_form(page, base_url):
    page.goto(base_url + CALC + "#area=dudley&event=referral&date=2026-12-23")
    wait_answer(page, "2026-12-23")
    page.emulate_media(media="print")
    assert page.locator("#dl-form").is_hidden()
    assert page.locator("#dl-results table").is_visible()
    assert page.locator(".md-header").is_hidden()


def test_nothing_entered_is_stored(page, base_url):
    page.goto(base_url + CALC + "#area=dudley&event=referral&date=2026-12-23")
    wait_answer(page, "2026-12-23")
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    # Material may remember its own UI state; nothing of the calculator's (no area, event or date) is stored.
    dump = page.evaluate("() => JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie")
    assert "2026-12-23" not in dump and "referral" not in dump, stored


@pytest.mark.parametrize("path, ready", [
    (CALC + "#area=dudley&event=referral&date=2026-12-23", "dl"),
    ("national/managing-individual-cases/", "dlc"),
])
def test_no_wcag_22_aa_violations(make_context, base_url, path, ready):
    # axe-core is injected as an inline script, which the strict CSP would (rightly) block:
    # this one context bypasses CSP; every other test runs under it.
    page = make_context(bypass_csp=True).new_page()
    page.goto(base_url + path)
    wait_ready(page, ready)
    if ready == "dl":
        wait_answer(page, "2026-12-23")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)


def test_pages_without_a_calculator_warm_the_cache_in_idle_time(page, base_url, site, recorder):
    manifest = json.loads((site / "assets" / "calculator" / "manifest.json").read_text(encoding="utf-8"))
    page.goto(base_url + "about/")
    page.wait_for_selector('link[rel="prefetch"][href$="pyodide.asm.wasm"]', state="attached", timeout=20000)
    hrefs = page.eval_on_selector_all('link[rel="prefetch"]', "els => els.map(e => e.href)")
    assert {base_url + url for url in manifest["prefetch"]} <= set(hrefs)
    page.wait_for_timeout(500)
    assert any(u.endswith(manifest["snapshot"]["url"] if manifest["snapshot"] else ".wasm") for u in recorder.urls)
    assert page.evaluate("() => performance.getEntriesByName('calculator:ready').length") == 0   # no Python here


def test_the_server_sends_the_strict_csp_and_the_mime_types_pyodide_needs(base_url, site):
    from urllib.request import urlopen
    manifest = json.loads((site / "assets" / "calculator" / "manifest.json").read_text(encoding="utf-8"))
    with urlopen(base_url + CALC) as r:
        csp = r.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    base = manifest["pyodide"]["base"]
    for path, mime in ((base + "pyodide.asm.wasm", "application/wasm"), (base + "pyodide.mjs", "text/javascript"),
                       ("javascripts/calculator/worker.mjs", "text/javascript")):
        with urlopen(base_url + path) as r:
            assert r.headers["Content-Type"].split(";")[0] == mime, path


def test_a_timeline_with_the_icpc_held_shows_it_done_apart_and_the_next_review_from_the_real_one(page, base_url):
    """Coventry: strategy discussion 3 November 2026, ICPC 17 November 2026, review conference
    10 March 2027: the ICPC step is in the "done" table (on time), the next review conference is
    due 10 September 2027 from the real one, and the rows match the CLI contract."""
    from macros.state import load_bundle
    from tools.timeline import timeline
    page.goto(base_url + CALC + "#area=coventry&tl=strategy-discussion@2026-11-03&tl=icpc@2026-11-17"
              "&tl=cp-review@2027-03-10")
    page.wait_for_selector("#tl-results:not([hidden]) tbody tr", timeout=60000)
    done = page.locator('#tl-results tr[data-state="done"]')
    assert done.count() >= 2
    icpc = page.locator('#tl-results tr[data-state="done"][data-id="coventry-icpc"]')
    assert "on time" in icpc.inner_text()
    expected = timeline(load_bundle(), "coventry", {"strategy-discussion": "2026-11-03", "icpc": "2026-11-17",
                                                     "cp-review": "2027-03-10"}, today_of(page, "tl"))
    nxt = [r for r in expected["deadlines"] if r.get("repeat_of") == "national-cp-review"]
    assert nxt and nxt[0]["due"] == "2027-09-10"
    assert page.locator('#tl-results tr[data-state="due"] time[datetime="2027-09-10"]').count() >= 1


def test_a_deadline_on_a_saturday_shows_its_latest_working_day_beside_it(page, base_url):
    page.goto(base_url + CALC + "#area=national&event=icpc&date=2027-10-15")
    wait_answer(page, "2027-10-15")
    row = page.locator('#dl-results tr[data-id="national-cp-review"]')
    text = row.inner_text()
    assert "Saturday 15 January 2028" in text and "latest working day: Friday 14 January 2028" in text


def test_an_unknown_area_in_a_deep_link_keeps_the_form_with_a_message(page, base_url):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + CALC + "#area=__proto__&event=referral&date=2026-12-01")
    page.wait_for_selector("#dl-form")
    page.wait_for_selector("#dl-form .calc-link-problem")
    assert "does not know" in page.locator("#dl-form .calc-link-problem").inner_text()
    wait_ready(page)
    assert not errors
