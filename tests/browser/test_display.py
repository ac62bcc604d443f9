"""Text size and high visibility: keyboard-usable, remembered (only the preference), AA in every mode.

The controls are under the breadcrumb on every page (docs/overrides/partials/display-controls.html,
docs/javascripts/display.js, docs/stylesheets/display.css). localStorage holds at most the two keys
"display.textSize" and "display.highVisibility", never anything typed into a calculator.
"""
from __future__ import annotations

import pytest

from .deadlineform import ask, wait_answer

PROCEDURE = "coventry/referral-and-assessment-guide/"
CALC = "calculators/deadlines/"
CHECKER = "coventry/threshold-checker/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
MODES = {"standard": {}, "large": {"display.textSize": "large"}, "larger": {"display.textSize": "larger"},
         "high visibility": {"display.highVisibility": "on"},
         "large and high visibility": {"display.textSize": "large", "display.highVisibility": "on"}}


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"{text!r} is not reachable with Tab")


def storage(page) -> dict:
    return page.evaluate("() => ({...localStorage})")


def root_font_px(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


@pytest.mark.parametrize("path", ["", PROCEDURE, CALC, CHECKER, "glossary/", "coventry/"])
def test_the_controls_are_on_every_page_as_buttons_with_aria_pressed(page, base_url, path):
    page.goto(base_url + path)
    controls = page.locator(".display-controls")
    assert controls.is_visible()
    assert controls.get_by_role("group", name="Text size").is_visible()
    for name, pressed in [("Standard", "true"), ("Large", "false"), ("Larger", "false"), ("High visibility", "false")]:
        button = controls.get_by_role("button", name=name, exact=True)
        assert button.get_attribute("aria-pressed") == pressed


def test_keyboard_only_the_text_size_and_high_visibility_are_chosen_remembered_and_cleared(page, base_url):
    page.goto(base_url + PROCEDURE)
    standard = root_font_px(page)
    page.locator("body").focus()
    tab_to(page, "Large")
    page.keyboard.press("Enter")
    assert page.get_attribute("html", "data-text-size") == "large"
    assert page.get_by_role("button", name="Large", exact=True).get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Standard", exact=True).get_attribute("aria-pressed") == "false"
    assert root_font_px(page) > standard * 1.15
    tab_to(page, "High visibility", limit=5)
    page.keyboard.press("Space")
    assert page.get_attribute("html", "data-high-visibility") == "on"
    assert storage(page) == {"display.textSize": "large", "display.highVisibility": "on"}
    # Reloading (and another page) keeps the preference, already on <html> before the first paint.
    page.reload()
    assert page.get_attribute("html", "data-text-size") == "large"
    assert page.get_attribute("html", "data-high-visibility") == "on"
    assert page.get_by_role("button", name="High visibility").get_attribute("aria-pressed") == "true"
    page.goto(base_url + CALC)
    assert page.get_attribute("html", "data-text-size") == "large"
    # Choosing "Standard" and "High visibility" again removes the keys; clearing storage restores the default.
    page.get_by_role("button", name="Standard", exact=True).click()
    page.get_by_role("button", name="High visibility").click()
    assert storage(page) == {}
    page.get_by_role("button", name="Larger", exact=True).click()
    page.evaluate("() => localStorage.clear()")
    page.reload()
    assert page.get_attribute("html", "data-text-size") is None
    assert page.get_attribute("html", "data-high-visibility") is None
    assert page.get_by_role("button", name="Standard", exact=True).get_attribute("aria-pressed") == "true"
    assert root_font_px(page) == pytest.approx(standard)


def test_the_preference_is_applied_before_the_first_paint_by_a_script_in_head(page, base_url, site):
    html = (site / "coventry" / "referral-and-assessment-guide" / "index.html").read_text(encoding="utf-8")
    head = html[:html.index("</head>")]
    assert 'javascripts/display.js"></script>' in head and "<script>" not in head.replace("<script>\n", "")
    page.add_init_script("localStorage.setItem('display.textSize', 'larger')")
    # What <html> says at the moment <body> is created, i.e. before anything of the page can be painted.
    page.add_init_script("""new MutationObserver((_, obs) => { if (document.body) {
        window.atBody = document.documentElement.getAttribute('data-text-size'); obs.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    page.goto(base_url + PROCEDURE)
    assert page.evaluate("() => window.atBody") == "larger"


def test_only_the_display_preference_is_ever_stored(page, base_url):
    page.goto(base_url + CALC)
    page.get_by_role("button", name="Larger", exact=True).click()
    page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    ask(page, "coventry", "strategy-discussion", 23, 12, 2026)
    wait_answer(page, "2026-12-23")
    assert storage(page) == {"display.textSize": "larger"}
    assert page.evaluate("() => Object.keys(sessionStorage).length") == 0


def test_an_unknown_stored_value_gives_the_default(page, base_url):
    page.add_init_script("localStorage.setItem('display.textSize', 'huge'); localStorage.setItem('display.highVisibility', 'yes')")
    page.goto(base_url + PROCEDURE)
    assert page.get_attribute("html", "data-text-size") is None
    assert page.get_attribute("html", "data-high-visibility") is None


@pytest.mark.parametrize("mode", ["large", "larger", "large and high visibility"])
def test_reflow_at_320_px_holds_in_the_large_text_modes(make_context, base_url, mode):
    page = make_context().new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    for key, value in MODES[mode].items():
        page.add_init_script(f"localStorage.setItem({key!r}, {value!r})")
    for path in [PROCEDURE, CHECKER]:
        page.goto(base_url + path)
        assert page.get_attribute("html", "data-text-size") == MODES[mode]["display.textSize"]
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{path} scrolls sideways by {wide}px at 320 px in {mode} text"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", [PROCEDURE, CALC])
def test_no_wcag_22_aa_violations_in_each_display_mode(make_context, base_url, path, mode):
    from tests.browser.conftest import AXE
    page = make_context(bypass_csp=True).new_page()    # axe is injected inline; every other test runs under the CSP
    for key, value in MODES[mode].items():
        page.add_init_script(f"localStorage.setItem({key!r}, {value!r})")
    page.goto(base_url + path)
    if path == CALC:
        page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                  for v in result["violations"]]
    assert not violations, f"{mode}:\n" + "\n".join(violations)
