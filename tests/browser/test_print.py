"""Print: a calculator answer prints as the answer, every page prints without the site's chrome.

Printed to PDF in Chromium (``page.pdf(format="A4")``, what "Save as PDF" does) and measured by
counting the PDF's page objects (``/Type /Page``) and its text objects (``BT``, in the
Flate-decoded content streams): no PDF library is needed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
from areas import each_area
from areas import rules as load_tree

from .deadlineform import ask

CALC = "calculators/deadlines/"
CHECKER = "coventry/threshold-checker/"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
PAGE_TYPES = ["", "coventry/", "coventry/referral-and-assessment-guide/", "coventry/timescales/",
              "coventry/contacts/", "compare/", "glossary/", CALC, "calculators/thresholds/", CHECKER,
              "coventry/print/"]
CHROME = [".md-header", ".md-sidebar", ".md-footer", ".md-search", ".breadcrumb", ".display-controls",
          ".headerlink", ".proc-anchor", ".copy-link", ".md-skip", ".md-top", ".page-tools"]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def text_objects(pdf: bytes) -> int:
    count = 0
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            count += zlib.decompress(m.group(1)).count(b"BT")
        except zlib.error:
            pass
    return count


def today_words() -> str:
    d = dt.date.today()
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def build_date(site) -> str:
    built = dt.datetime.fromisoformat(json.loads((site / "build-info.json").read_text())["built_at"].replace("Z", "+00:00"))
    return f"{built.day} {MONTHS[built.month - 1]} {built.year}"


def visible_chrome(page) -> list[str]:
    page.emulate_media(media="print")
    shown = [sel for sel in CHROME if page.locator(f"{sel}:visible").count()]
    page.emulate_media(media="screen")
    return shown


def deadline_answer(page, base_url):
    page.goto(base_url + CALC)
    page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    ask(page, "coventry", "strategy-discussion", 23, 12, 2026)
    page.wait_for_selector('#dl-results[data-at="2026-12-23"]:not([hidden]) tbody tr', timeout=60000)


def test_a_deadline_answer_prints_only_the_answer_with_its_inputs_and_citations_on_one_or_two_pages(page, base_url):
    deadline_answer(page, base_url)
    pages = pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 2, f"a deadline answer printed on {pages} A4 pages"
    page.emulate_media(media="print")
    caption = page.locator("#dl-results caption").inner_text()
    assert "Coventry" in caption and "Strategy discussion" in caption and "23 December 2026" in caption
    assert page.locator("#dl-results .calc-source a:visible").count() >= 1          # the citations print
    assert page.locator("#tables").is_hidden() and page.locator("#tl").is_hidden()
    assert page.locator("#dl-form").is_hidden() and page.locator(".calc-actions:visible").count() == 0


def test_a_case_timeline_answer_prints_on_one_or_two_pages(page, base_url):
    page.goto(base_url + CALC)
    page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    page.select_option("#dl-area", "coventry")
    page.select_option("#tl-0-event", "strategy-discussion")
    page.fill("#tl-0-date-day", "23")
    page.fill("#tl-0-date-month", "12")
    page.fill("#tl-0-date-year", "2026")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-results:not([hidden]) tbody tr", timeout=60000)
    pages = pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 2, f"a case timeline printed on {pages} A4 pages"
    page.emulate_media(media="print")
    assert page.locator("#tl-results").is_visible() and page.locator("#tables").is_hidden()


def test_a_threshold_answer_prints_on_one_or_two_pages(page, base_url):
    page.goto(base_url + CHECKER)
    page.check("#tc-cov-l2-health-low-level-self")
    page.click("#tc-check")
    page.wait_for_selector("#tc-result:not([hidden])", timeout=60000)
    pages = pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 2, f"a threshold answer printed on {pages} A4 pages"
    page.emulate_media(media="print")
    assert "Low level self-harm" in page.locator("#tc-result").inner_text()     # the input, in "Why"
    assert page.locator("#tc-result a.calc-cite:visible").count() >= 1
    assert page.locator("#tc-indicators").is_hidden()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_prints_without_the_sites_chrome_and_with_the_printed_and_version_dates(page, base_url,
                                                                                                  site, path):
    page.goto(base_url + path)
    assert visible_chrome(page) == []
    sentence = (f"Printed on {today_words()} from the version of {build_date(site)}: "
                "check the site for the current version")
    style = page.locator("#print-stamp-page").text_content()
    assert json.dumps(sentence) in style and "@bottom-center" in style
    assert "Printed on" in page.locator(".print-stamp").text_content()      # the no-JavaScript fallback is there too


def test_every_printed_sheet_carries_the_stamp(page, base_url):
    """One more text object per sheet with the stamp than without: it is on every page, not only the first."""
    page.goto(base_url + "coventry/referral-and-assessment-guide/")
    with_stamp = page.pdf(format="A4")
    # print.js writes the stamp again on beforeprint from the sentence in the page: remove both
    page.evaluate("() => { document.querySelector('.print-stamp').remove(); document.getElementById('print-stamp-page').remove(); }")
    without = page.pdf(format="A4")
    pages = pdf_pages(with_stamp)
    assert pages == pdf_pages(without) and pages > 2
    assert text_objects(with_stamp) - text_objects(without) == pages


def test_procedure_links_print_their_address(page, base_url):
    page.goto(base_url + "coventry/thresholds-and-referrals/")
    links = page.locator(".proc-block a[data-print-url]")
    assert links.count() >= 1
    url = links.first.get_attribute("data-print-url")
    assert url.startswith(base_url) or url.startswith(("http://", "https://")) or "@" in url
    page.emulate_media(media="print")
    after = links.first.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert url in after


def _text_blocks(sections):
    for sec in sections:
        yield from (b for b in sec.get("blocks", []) if "text" in b and not b["text"].lstrip().startswith("{{"))
        yield from _text_blocks(sec.get("sections", []))


@each_area
def test_print_this_area_holds_every_procedure_once_with_no_published_id_repeated(page, base_url, site, area):
    rules = load_tree()
    overview = (site / area / "index.html").read_text(encoding="utf-8")
    assert 'href="print/"' in overview
    html = (site / area / "print" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html                       # never a search result
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert not set(ids) & set(rules.anchors), "the print view repeats published ids"
    assert len(ids) == len(set(ids)), "ids used twice in the print view"
    procs = rules.procedures[area]
    page.goto(base_url + f"{area}/print/")
    for proc in procs:
        heading = page.locator(f"#print-{proc['id']}")
        assert heading.count() == 1
        first = proc["sections"][0]
        assert page.locator(f"#print-{first['id']}").count() == 1
    # the text is the procedure pages' text
    proc_page = page.context.new_page()
    proc_page.goto(base_url + f"{area}/{procs[0]['id']}/")
    block = next(_text_blocks(procs[0]["sections"]))
    words = proc_page.locator(f"#{block['id']} > p:not([class])").first.text_content()
    assert words and words == page.locator(f"#print-{block['id']} > p:not([class])").first.text_content()
    if len(procs) > 1:
        page.emulate_media(media="print")
        assert page.locator(".print-area__procedure").nth(1).evaluate("(s) => getComputedStyle(s).breakBefore") == "page"
