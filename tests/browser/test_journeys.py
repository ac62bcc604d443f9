"""Journeys: what people do on the site, in Chromium, asserted the way they see it.

Each journey runs for every area found in rules/areas.yaml, at a phone's and a desktop's width,
with a real mouse, keyboard or touch, and checks what a person meets: the control under the
pointer is the control (``document.elementFromPoint``), the text read is ``innerText``. Each guards
one defect people met (tests/browser/journeys.py has the helpers; screenshots of every answer
state go to /tmp/shots/wt-ux/):

* a teacher ticks a concern and reads the pathway and who to call: never "null" in an answer;
* a partner copies the link to a paragraph and the pasted address lands on it: no Copy link
  drawn under the next paragraph;
* a practitioner searches by clicking the box on a desktop, tapping it on a phone, or with the
  keyboard: the results are shown, not written into a closed dialog;
* a social worker on a phone reads every deadline, warning and source without scrolling sideways;
* an answer printed shows the answer;
* a term's meaning is read by keyboard and touch, and closed with Escape;
* with JavaScript off, the deadline page offers nothing that cannot work, and says where the tables are.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.journeys import (
    AREAS,
    RULES,
    assert_hit,
    click_as_a_person,
    covered,
    no_sideways_scroll,
    readable,
    shot,
)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PATHWAYS = ("immediate-protection", "child-protection", "child-in-need", "early-help")


def sized(context, size):
    page = context.new_page()
    page.set_viewport_size(size)
    return page


def _answered(page, ids: str) -> None:
    page.wait_for_function("ids => document.getElementById('tc-result').dataset.answered === ids", arg=ids,
                           timeout=60000)


# -- a teacher ticks a concern and reads the pathway and who to call ----------------------------
@pytest.mark.parametrize("area", AREAS)
def test_a_teacher_ticks_a_concern_and_reads_the_pathway_and_who_to_call(make_context, base_url, area):
    for size in (PHONE, DESKTOP):
        page = sized(make_context(), size)
        page.goto(f"{base_url}{area}/threshold-checker/")
        read = 0
        for pathway in PATHWAYS:
            boxes = page.locator(f'[data-calculator="thresholds"] input[type="checkbox"][data-pathway="{pathway}"]')
            if not boxes.count():
                continue
            box = boxes.first
            for ticked in page.locator('[data-calculator="thresholds"] input[type="checkbox"]:checked').all():
                ticked.uncheck()
            details = box.locator("xpath=ancestor::details[1]")
            if details.count() and not details.get_attribute("open"):
                click_as_a_person(page, details.locator("summary"), "the level's summary")
            label = page.locator(f'label[for="{box.get_attribute("id")}"]')
            click_as_a_person(page, label, f"the concern {box.get_attribute('value')}")
            assert box.is_checked()
            click_as_a_person(page, page.locator("#tc-check"), "Check the pathway")
            _answered(page, box.get_attribute("value"))
            text = readable(page, "#tc-result")
            shown = page.locator("#tc-result .calc-result__pathway").inner_text().strip()
            assert shown, "no pathway is named"
            assert "Who to contact" in text
            contacts = page.locator("#tc-result .calc-contacts li")
            assert contacts.count() or "The document names no contact" in text
            if pathway == "immediate-protection":
                assert "999" in page.locator("#tc-result .calc-contacts").inner_text()
            for tel in page.locator("#tc-result a.calc-tel").all()[:2]:
                assert_hit(page, tel, "a telephone number")
            page.locator("#tc-result-title").scroll_into_view_if_needed()
            shot(page, f"threshold-{area}-{pathway}-{size['width']}")
            read += 1
        assert read >= 2, f"{area}: fewer than two pathways could be asked about"


# -- a partner copies the link to a paragraph; the pasted address lands on it --------------------
@pytest.mark.parametrize("area", AREAS)
def test_a_partner_copies_the_link_to_a_paragraph_and_the_pasted_address_lands_on_it(make_context, base_url, area):
    ctx = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    for proc in RULES.procedures[area]:
        url = f"{base_url}{area}/{proc['id']}/"
        page.goto(url)
        for width in (320, 375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            n, missed = covered(page, "article button.copy-link")
            assert n, f"{url}: no Copy link"
            assert not missed, f"{url} at {width} px: {len(missed)} of {n} Copy link buttons are drawn under something: {missed[:5]}"
        blocks = page.locator("article .proc-block[id]")
        block = blocks.nth(min(2, blocks.count() - 1))
        pid = block.get_attribute("id")
        page.set_viewport_size(DESKTOP)
        click_as_a_person(page, block.locator("> button.copy-link"), f"Copy link of {pid}")
        page.wait_for_function("() => document.getElementById('copy-link-status').textContent === 'Link copied'")
        pasted = page.evaluate("navigator.clipboard.readText()")
        assert pasted == f"{url}#{pid}"
        other = ctx.new_page()
        other.set_viewport_size(PHONE)
        other.goto(pasted)
        assert other.evaluate("() => document.querySelector(':target')?.id") == pid
        top = other.evaluate("id => document.getElementById(id).getBoundingClientRect().top", pid)
        header = other.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
        assert header <= top < PHONE["height"] / 2, f"{pasted}: the paragraph is at {top} px (header ends at {header})"
        other.close()


# -- a practitioner searches: a click on a desktop, a tap on a phone, the keyboard ----------------
def _query(area: str) -> tuple[str, str]:
    proc = RULES.procedures[area][0]
    return proc["title"], f"/{area}/{proc['id']}/"


def _results_shown(page, query: str) -> None:
    page.wait_for_function("q => document.getElementById('site-search-results').dataset.query === q", arg=query,
                           timeout=20000)
    assert page.evaluate("() => document.getElementById('__search').checked"), "the search dialog is closed"


@pytest.mark.parametrize("area", AREAS)
def test_a_practitioner_searches_by_clicking_the_box_on_a_desktop_tapping_on_a_phone_or_by_keyboard(
        make_context, base_url, area):
    query, path = _query(area)
    for how in ("mouse", "touch", "keyboard"):
        size = PHONE if how == "touch" else DESKTOP
        page = sized(make_context(has_touch=how == "touch"), size)
        page.goto(base_url)
        if how == "mouse":
            click_as_a_person(page, page.locator("#site-search-input"), "the header's search box")
        elif how == "touch":
            click_as_a_person(page, page.locator("label.md-header__button[for='__search']"), "the magnifier", touch=True)
        else:
            for _ in range(40):
                page.keyboard.press("Tab")
                if page.evaluate("() => document.activeElement.id === 'site-search-input'"
                                 " || document.activeElement.matches(\"label[for='__search']\")"):
                    break
            if page.evaluate("() => document.activeElement.id !== 'site-search-input'"):
                page.keyboard.press("Enter")
        # The dialog focuses its box as it opens (a task after the tap: search.mjs); a person sees the
        # cursor a moment later, so the test waits as long as a person would, not forever.
        try:
            page.wait_for_function("() => document.activeElement.id === 'site-search-input'", timeout=3000)
        except Exception:
            focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
            raise AssertionError(f"{how}: the box has no cursor 3 s later (the focus is on {focused})") from None
        page.keyboard.type(query, delay=5)
        _results_shown(page, query)
        links = page.locator("#site-search-results > li > a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        mine = next((i for i, h in enumerate(hrefs) if path in h), None)
        assert mine is not None, f"{how}: no result on {path} for {query!r}: {hrefs}"
        result = links.nth(mine)
        readable(page, "#site-search-results")
        shot(page, f"search-{area}-{how}-{size['width']}")
        click_as_a_person(page, result, f"the result {hrefs[mine]}", touch=how == "touch")
        page.wait_for_url(re.compile(re.escape(path)))


# -- a social worker on a phone reads every deadline, warning and source ---------------------------
# A referral on 23 December (Christmas inside every count) and an initial conference on 20 November
# 2026 (its review, 3 months on, falls on Saturday 20 February 2027: a latest working day is given).
CASES = (("referral", "23", "12", "Christmas"), ("icpc", "20", "11", "months"))


@pytest.mark.parametrize("area", AREAS)
def test_a_social_worker_on_a_phone_reads_every_deadline_warning_and_source_without_scrolling_sideways(
        make_context, base_url, area):
    for width in (320, 375, 1280):
        page = sized(make_context(), {"width": width, "height": 740})
        page.goto(f"{base_url}calculators/deadlines/")
        for event, day, month, what in CASES:
            page.select_option("#dl-area", area)
            page.select_option("#dl-event", event)
            for part, value in (("day", day), ("month", month), ("year", "2026")):
                page.fill(f"#dl-date-{part}", value)
            page.evaluate("() => { document.getElementById('dl-results').dataset.at = ''; }")
            click_as_a_person(page, page.locator("#dl-submit"), "Calculate the deadlines")
            page.wait_for_function("at => document.getElementById('dl-results').dataset.at === at",
                                   arg=f"2026-{month}-{day}", timeout=60000)
            text = readable(page, "#dl-results")
            assert "Overdue is judged against the time now:" in text and "(UK time)" in text
            hidden = no_sideways_scroll(page, "#dl-results")
            assert not hidden, f"{area} at {width} px: drawn off to the right: {hidden[:5]}"
            for warning in page.locator("#dl-results .calc-warning").all()[:3]:
                assert_hit(page, warning, "a warning")
            for source in page.locator("#dl-results .calc-source a").all()[:3]:
                assert_hit(page, source, "a source")
            latest = page.locator("#dl-results .calc-latest-working-day").all()
            if what == "months":
                assert latest, f"{area}: no latest working day for a review due on a Saturday"
            for lwd in latest:
                line = lwd.inner_text().strip()
                assert re.fullmatch(r"\(latest working day: \w+day \d{1,2} \w+ \d{4}\)", line), line
                assert_hit(page, lwd.locator("time"), "the latest working day")
            warnings = page.locator("#dl-results .calc-warning").all()
            (latest or warnings or [page.locator("#dl-results-title")])[0].scroll_into_view_if_needed()
            shot(page, f"deadlines-{area}-{what}-{width}")


# -- an answer printed -------------------------------------------------------------------------------
@pytest.mark.parametrize("area", AREAS)
def test_an_answer_printed_shows_the_answer_and_no_missing_value(make_context, base_url, area):
    page = sized(make_context(), DESKTOP)
    page.goto(f"{base_url}{area}/threshold-checker/")
    box = page.locator('[data-calculator="thresholds"] input[type="checkbox"][data-pathway]').first
    box.check()
    page.locator("#tc-check").click()
    _answered(page, box.get_attribute("value"))
    page.emulate_media(media="print")
    assert page.locator("#tc-result").is_visible()
    text = readable(page, "#tc-result")
    assert page.locator("#tc-result .calc-result__pathway").inner_text().strip() in text
    assert not page.locator("#tc-check").is_visible(), "the form is printed with the answer"
    shot(page, f"print-threshold-{area}", full_page=True)
    assert page.pdf()[:4] == b"%PDF"


# -- a term's meaning by keyboard and touch ----------------------------------------------------------
def _page_with_terms(area: str) -> str:
    for proc in RULES.procedures[area]:
        yield f"{area}/{proc['id']}/"


@pytest.mark.parametrize("area", AREAS)
def test_a_term_is_explained_on_keyboard_focus_and_on_a_tap_and_escape_closes_it(make_context, base_url, area):
    page = sized(make_context(has_touch=True), PHONE)
    for path in _page_with_terms(area):
        page.goto(base_url + path)
        if page.locator("article abbr.glossary-term[tabindex='0']").count():
            break
    else:
        marked = [path for path in _page_with_terms(area) if "<abbr" in page.goto(base_url + path).text()]
        assert not marked, f"{area}: terms are marked on {marked} but none can be focused"
        pytest.skip(f"{area}'s pages use none of its glossary's abbreviations: nothing to explain")
    term = page.locator("article abbr.glossary-term[tabindex='0']").first
    tip = page.locator("#glossary-tip")
    term.focus()                        # as Tab reaches it: the first use of each term is a Tab stop
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('glossary-term')")
    assert tip.is_visible(), "focus does not show the meaning"
    meaning = tip.inner_text()
    assert meaning.startswith(term.inner_text() + ": ") and len(meaning) > len(term.inner_text()) + 3
    assert term.get_attribute("aria-describedby") == "glossary-tip"
    assert_hit(page, tip, "the meaning")
    shot(page, f"glossary-{area}-focus-375")
    page.keyboard.press("Escape")
    assert tip.is_hidden(), "Escape does not close the meaning"
    page.evaluate("() => document.activeElement.blur()")
    click_as_a_person(page, term, "the term", touch=True)
    assert tip.is_visible(), "a tap does not show the meaning"
    shot(page, f"glossary-{area}-tap-375")
    page.touchscreen.tap(5, 700)
    assert tip.is_hidden(), "a tap elsewhere does not close the meaning"


# -- with JavaScript off -----------------------------------------------------------------------------
def test_without_javascript_the_deadline_page_offers_nothing_that_cannot_work_and_points_to_every_areas_table(
        make_context, base_url):
    for size in (PHONE, DESKTOP):
        page = sized(make_context(java_script_enabled=False), size)
        page.goto(base_url + "calculators/deadlines/")
        text = page.locator("article").inner_text()
        assert "Case timeline" not in text and "Enter the events of one case" not in text
        assert "This calculator needs JavaScript, and so does the case timeline." in text
        link = page.locator(".calc-nojs a[href$='#tables']").first
        click_as_a_person(page, link, "the link to the tables")
        for area in AREAS:
            heading = page.locator(f"#tables-{area}")
            assert heading.is_visible() and heading.inner_text().startswith(RULES.areas[area]["name"])
        shot(page, f"nojs-deadlines-{size['width']}")
