"""From an area's pages to each calculator, the area is kept (issue 19).

A practitioner in Coventry opens the Coventry overview, follows "Deadline calculator", says a
strategy discussion was held, and must get Coventry's deadlines, cited to Coventry's document,
not the national one. The same from the area's timescales page and its procedure pages
("Calculate the dates"), and "Threshold checker" opens the area's own checker. The area rides in
the address's fragment (``#area=coventry``), which no server ever sees. Runs for every area in
rules/areas.yaml.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.state import load_bundle
from tools.deadlines import deadlines_for, list_events
from tools.thresholds import check

from .deadlineform import wait_answer

BUNDLE = load_bundle()
AREAS = list(BUNDLE["areas"])
AT = "2026-11-13T14:35"
SHOTS = Path("/tmp/shots/wt-priv")


def own_event(area: str) -> tuple[str, dict]:
    """The event with the most deadlines from this area's own rules, and the engine's answer for it."""
    best = None
    for event in list_events(BUNDLE, area):
        if not event["timescales"]:
            continue
        answer = deadlines_for(BUNDLE, area, event["id"], AT)
        own = sum(1 for row in answer["deadlines"] if row["layer"] == area)
        if best is None or own > best[0]:
            best = (own, event["id"], answer)
    assert best and best[0] > 0, f"{area} has no deadline of its own"
    return best[1], best[2]


def page_rows(page) -> list[tuple[str, str | None]]:
    return page.evaluate("""() => [...document.querySelectorAll('#dl-results tbody tr')].map(tr =>
        [tr.dataset.id, tr.querySelector('td.calc-due > time')?.getAttribute('datetime') ?? null])""")


def follow(page, name: str) -> None:
    """Click the link as a person does: the link must be what is under the pointer."""
    link = page.locator("article.md-content__inner a", has_text=re.compile(rf"^{re.escape(name)}$", re.I)).first
    link.scroll_into_view_if_needed()
    # The middle of the link's first line box (a link that wraps has two).
    x, y = link.evaluate("(a) => { const r = a.getClientRects()[0]; return [r.x + r.width / 2, r.y + r.height / 2]; }")
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent ?? ''", [x, y])
    assert hit.strip().lower() == name.lower(), f"{name!r} is covered by {hit!r}"
    page.mouse.click(x, y)


def answer_the_area_s_own_deadlines(page, area: str) -> None:
    event, expected = own_event(area)
    name = BUNDLE["areas"][area]["name"]
    page.wait_for_selector("#dl-form:not([hidden])")
    assert page.input_value("#dl-area") == area, f"the calculator shows {page.input_value('#dl-area')}, not {area}"
    assert page.evaluate("() => { const s = document.querySelector('#dl-area'); return s.options[s.selectedIndex].text; }") == name
    page.select_option("#dl-event", event)
    page.fill("#dl-date-day", str(int(AT[8:10])))
    page.fill("#dl-date-month", str(int(AT[5:7])))
    page.fill("#dl-date-year", AT[:4])
    page.fill("#dl-time", AT[11:])
    page.keyboard.press("Enter")
    wait_answer(page, AT)
    assert [tuple(r) for r in page_rows(page)] == [(r["id"], r["due"]) for r in expected["deadlines"]]
    text = page.inner_text("#dl-results")
    assert text.startswith(f"{name}: deadlines from") or f"{name}: deadlines from" in text
    own = [r for r in expected["deadlines"] if r["layer"] == area]
    for row in own:
        cell = page.inner_text(f'#dl-results tr[data-id="{row["id"]}"] td.calc-rule')
        assert row["source"]["document"] in cell, f"{row['id']}: {cell!r} does not cite {row['source']['document']}"
    assert "?" not in page.url and f"#area={area}&event={event}" in page.url


@pytest.mark.parametrize("area", AREAS)
def test_from_the_overview_the_deadline_calculator_keeps_the_area(area, page, base_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(base_url + f"{area}/")
    follow(page, "Deadline calculator")
    page.wait_for_url(re.compile(rf"/calculators/deadlines/#area={area}$"))
    answer_the_area_s_own_deadlines(page, area)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#dl-results").screenshot(path=str(SHOTS / f"overview-to-deadlines-{area}-375.png"))


@pytest.mark.parametrize("area", AREAS)
def test_from_the_timescales_page_the_deadline_calculator_keeps_the_area(area, page, base_url):
    page.goto(base_url + f"{area}/timescales/")
    follow(page, "deadline calculator")
    page.wait_for_url(re.compile(rf"/calculators/deadlines/#area={area}$"))
    answer_the_area_s_own_deadlines(page, area)


@pytest.mark.parametrize("area", AREAS)
def test_from_the_overview_the_threshold_checker_is_the_area_s_own(area, page, base_url):
    page.goto(base_url + f"{area}/")
    follow(page, "Threshold checker")
    page.wait_for_url(re.compile(rf"/{area}/threshold-checker/$"))
    assert page.get_attribute("[data-calculator='thresholds']", "data-area") == area
    box = page.locator("[data-calculator='thresholds'] input[type=checkbox]").first
    kind, value = box.get_attribute("name"), box.get_attribute("value")
    box.check()
    page.click("#tc-check")
    page.wait_for_selector(f'#tc-result:not([hidden])[data-answered="{value}"]', timeout=90000)
    expected = check(BUNDLE, area, **({"indicators": [value]} if kind == "indicator" else {"flags": [value]}))
    assert page.get_attribute("#tc-result", "data-pathway") == expected["pathway"]
    shown = page.inner_text("#tc-result")
    assert expected["pathway_label"] in shown
    if expected.get("documents_text"):
        assert expected["documents_text"] in shown


@pytest.mark.parametrize("area", AREAS)
def test_every_link_from_the_area_s_pages_to_the_deadline_calculator_names_the_area(area, site):
    """Overview, timescales, procedure pages ("Calculate the dates", the compact form's links),
    print page: every link in the page's text carries ``#area=<area>`` (the site's navigation, the
    same on every page, is the only link without it)."""
    links = 0
    for html_file in sorted((site / area).rglob("index.html")):
        html = html_file.read_text(encoding="utf-8")
        article = html[html.find('<article'):html.find('</article>')]
        for href in re.findall(r'<a [^>]*href="([^"]*calculators/deadlines/[^"]*)"', article):
            links += 1
            assert href.endswith(f"calculators/deadlines/#area={area}"), f"{html_file}: {href}"
    assert links >= 2, f"{area}: the overview and the timescales page both link to the calculator"


def test_a_procedure_page_s_calculate_the_dates_keeps_the_area(page, base_url, site):
    """One procedure page per area with a "Calculate the dates" link, followed as a person does."""
    tried = 0
    for area in AREAS:
        for html_file in sorted((site / area).glob("*/index.html")):
            html = html_file.read_text(encoding="utf-8")
            if ">Calculate the dates<" not in html or f"#area={area}" not in html:
                continue
            page.goto(base_url + f"{html_file.parent.relative_to(site).as_posix()}/")
            link = page.locator(f'article a[href$="calculators/deadlines/#area={area}"]', has_text="Calculate the dates")
            link.first.click()
            page.wait_for_url(re.compile(rf"/calculators/deadlines/#area={area}$"))
            page.wait_for_selector("#dl-form:not([hidden])")
            assert page.input_value("#dl-area") == area
            tried += 1
            break
    assert tried >= 1
