"""The generated flow chart and the What's changed page in Chromium: no WCAG 2.2 AA violation
(axe-core), the chart's region is reached with the keyboard, and at 320 px nothing but the
chart's own region scrolls sideways."""
from __future__ import annotations

import pytest

from .conftest import AXE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.mark.parametrize("path", ["national/flow-chart/", "coventry/flow-chart/", "whats-changed/",
                                  "dudley/referrals-and-assessment/"])
@pytest.mark.parametrize("width", [1280, 320])
def test_no_wcag_22_aa_violations(make_context, base_url, path, width):
    # axe-core is injected as an inline script, which the CSP would block: this context bypasses it.
    page = make_context(bypass_csp=True).new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)


def test_the_flow_chart_reflows_at_320_px_and_its_region_takes_the_keyboard_focus(make_context, base_url):
    page = make_context().new_page()
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(base_url + "national/flow-chart/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.locator('.flow-chart-scroll[role="region"]')
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert page.locator("svg[role=img] title").first.text_content().startswith("England")
    assert page.locator("#flow-chart-text + ol > li").count() >= 3
