"""The site's search box, typed into in Chromium with the practitioner query set
(tests/cases/search_queries.yaml): the expected section is in the first three results for at
least 90% of the section queries (60 of the 62 measured), the paragraph queries (a number of
working days, a conference's timescale, a definition, "who do I call": the result must be the
paragraph or contact itself) do not fall below what was measured, and every result names its area."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.searchbox import area_names, open_box, read_results, score

REPO = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((REPO / "tests" / "cases" / "search_queries.yaml").read_text(encoding="utf-8"))["queries"]


@pytest.fixture(scope="module")
def measured(browser, base_url):
    area_names(REPO)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = ctx.new_page()
    page.goto(base_url)
    open_box(page)
    results = [(case, read_results(page, case["query"])) for case in CASES]
    ctx.close()
    sections = score([(c, r) for c, r in results if c["kind"] != "paragraph"])
    sections["paragraphs"] = score([(c, r) for c, r in results if c["kind"] == "paragraph"])
    sections["unnamed"] += sections["paragraphs"]["unnamed"]
    return sections


def test_the_query_set_has_at_least_40_practitioner_queries_with_a_known_area():
    assert len(CASES) >= 40
    assert {c["area"] for c in CASES} <= set(area_names(REPO))


def test_the_expected_section_is_in_the_top_three_for_at_least_90_percent_of_queries(measured):
    print(f"\nsearch top-3: {measured['hits']}/{measured['queries']} = {measured['score']:.0%}; "
          f"page rows {measured['page_rows']}/{measured['results']}")
    assert measured["score"] >= 0.9, "missed:\n" + "\n".join(f"  {q!r}: got {got}" for q, got in measured["failed"])


# Measured when the paragraph queries were added (2 of 17 land on the paragraph; none did before
# results could land on a paragraph), then 9 of 17 once the paragraphs that state a timescale,
# definition or contact were weighted and the kinds of page weighed by what a query asks
# (macros/site/search.py, docs/javascripts/search.mjs): a floor, raised as the ranking improves.
PARAGRAPH_HITS_MEASURED = 9


def test_paragraph_queries_land_on_the_paragraph_at_least_as_often_as_measured(measured):
    p = measured["paragraphs"]
    print(f"\nsearch paragraphs top-3: {p['hits']}/{p['queries']}")
    assert p["queries"] >= 15
    assert p["hits"] >= PARAGRAPH_HITS_MEASURED, "missed:\n" + "\n".join(f"  {q!r}: got {got}" for q, got in p["failed"])


def test_every_result_names_its_area(measured):
    assert measured["unnamed"] == 0, f"{measured['unnamed']} of {measured['results']} results do not name their area"


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_the_search_is_used_with_the_keyboard_only_under_the_sites_csp(page, base_url):
    page.goto(base_url)
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "site-search-input"
    page.keyboard.type("LADO")
    page.wait_for_function("() => document.getElementById('site-search-results').dataset.query === 'LADO'")
    assert "results for" in page.locator("#site-search-status").inner_text()
    page.keyboard.press("ArrowDown")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert href == page.locator("#site-search-results > li > a").first.get_attribute("href")
    assert "¶" not in page.locator("#site-search-results").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/peterborough/**")
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('__search').checked")


def test_the_open_search_with_results_has_no_wcag_22_aa_violations(make_context, base_url):
    from tests.browser.conftest import AXE
    page = make_context(bypass_csp=True).new_page()    # axe is injected inline; every other test runs under the CSP
    page.goto(base_url)
    page.keyboard.press("/")
    page.keyboard.type("core group")
    page.wait_for_function("() => document.getElementById('site-search-results').dataset.query === 'core group'")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)
