"""The site's search box, typed into in Chromium with the practitioner query set
(tests/cases/search_queries.yaml): the expected section is in the first three results for at
least 90% of the queries, and every result names its area."""
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
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(base_url)
    open_box(page)
    results = [(case, read_results(page, case["query"])) for case in CASES]
    ctx.close()
    return score(results)


def test_the_query_set_has_at_least_40_practitioner_queries_with_a_known_area():
    assert len(CASES) >= 40
    assert {c["area"] for c in CASES} <= set(area_names(REPO))


def test_the_expected_section_is_in_the_top_three_for_at_least_90_percent_of_queries(measured):
    print(f"\nsearch top-3: {measured['hits']}/{measured['queries']} = {measured['score']:.0%}; "
          f"page rows {measured['page_rows']}/{measured['results']}")
    assert measured["score"] >= 0.9, "missed:\n" + "\n".join(f"  {q!r}: got {got}" for q, got in measured["failed"])


def test_every_result_names_its_area(measured):
    assert measured["unnamed"] == 0, f"{measured['unnamed']} of {measured['results']} results do not name their area"
