"""The threshold checker in a real browser: keyboard only, the same answers as the CLI, the filter,
the immediate-danger panel, copy/print, nothing stored, no JavaScript, WCAG 2.2 AA.

Runs against the built site served on 127.0.0.1 with the strict CSP (fixtures in conftest.py);
every test fails if any request (page or worker) goes to another host.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from areas import bundle as tree_bundle
from areas import each_area

from .conftest import AXE, REPO, assert_error_summary, focused_id

CHECKER = "coventry/threshold-checker/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RAS = "024 76 78 8555"


# -- helpers ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def _script_on_the_page(site):
    page = (site / CHECKER / "index.html").read_text(encoding="utf-8")
    assert "javascripts/calculator/thresholds.mjs" in page, (
        "the threshold checker's script is not on the page: mkdocs.yml needs extra_javascript "
        "{path: javascripts/calculator/thresholds.mjs, type: module} and extra_css stylesheets/thresholds.css")


def cli(area: str, indicators=(), flags=()) -> dict:
    """``.venv/bin/procedures thresholds ... --json``: the contract the page must agree with."""
    cmd = [str(Path(sys.executable).with_name("procedures")), "thresholds", "--area", area, "--json"]
    for i in indicators:
        cmd += ["--indicator", i]
    for f in flags:
        cmd += ["--flag", f]
    run = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def tab_to(page, element_id: str, limit: int = 80) -> int:
    """Press Tab until ``element_id`` has the focus (keyboard only); returns the number of presses."""
    for n in range(limit):
        if focused_id(page) == element_id:
            return n
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}; focus is on #{focused_id(page)}")


def answered(r: dict) -> str:
    return " ".join(x["id"] for x in r["selected"]["indicators"] + r["selected"]["flags"])


def wait_result(page, expected: dict) -> None:
    page.wait_for_selector(f'#tc-result:not([hidden])[data-answered="{answered(expected)}"]'
                           f'[data-pathway="{expected["pathway"]}"]', timeout=60000)


def shown(page) -> dict:
    """What the result panel shows, in the engine's terms."""
    return page.evaluate("""() => {
        const r = document.querySelector("#tc-result");
        const texts = (sel) => [...r.querySelectorAll(sel)].map((n) => n.textContent.trim());
        const h3 = [...r.querySelectorAll("h3")];
        const after = (title) => h3.find((h) => h.textContent === title).nextElementSibling;
        return {
            pathway_label: r.querySelector(".calc-result__pathway").textContent,
            level: r.querySelector(".calc-result__pathway ~ p ~ p").textContent,
            phones: [...r.querySelectorAll("a[href^='tel:']")].map((a) => [a.getAttribute("href"), a.textContent]),
            steps: [...after("What to do now").querySelectorAll(":scope > li")].map(
                (li) => li.firstChild.textContent.trim()),
            reasons: [...after("Why").querySelectorAll(":scope > li")].map((li) => li.textContent),
            cites: [...after("Why").querySelectorAll("a.calc-cite")].map((a) => new URL(a.href).pathname + new URL(a.href).hash),
        };
    }""")


def tel(number: str) -> str:
    digits = re.sub(r"[^0-9+]", "", number)
    return "tel:" + ("+44" + digits[1:] if digits.startswith("0") and len(digits) > 6 else digits)


def assert_same_as_cli(page, expected: dict, grid: bool = True) -> None:
    """The panel shows the command line's answer (``grid``: the area has a levels-of-need grid,
    so the panel says the level; an area without one shows no level at all)."""
    got = shown(page)
    assert got["pathway_label"] == expected["pathway_label"]
    level = expected["level"]
    if grid:
        assert got["level"] == ("Level of need: no indicator ticked." if level is None
                                else f"Level of need: level {level} (the highest level ticked).")
    else:
        assert not got["level"].startswith("Level of need") and level is None
    assert got["phones"] == [[tel(p["number"]), p["number"]] for c in expected["contacts"] for p in c["phones"]]
    assert got["steps"] == [s["text"] for s in expected["next_steps"]]
    assert len(got["reasons"]) == len(expected["reasons"])
    for text, reason in zip(got["reasons"], expected["reasons"], strict=True):
        assert reason["text"] in text
    assert got["cites"] == ["/" + r["source"]["url"] for r in expected["reasons"]]


# -- the tests ----------------------------------------------------------------------------------
def test_keyboard_only_immediate_danger_shows_what_to_do_at_once(page, base_url):
    page.goto(base_url + CHECKER)
    page.locator("body").focus()
    assert page.locator("#tc-act-now").is_hidden()
    tab_to(page, "tc-wt-immediate-danger", limit=60)       # the first question on the page, past the
    # header, the site navigation, the breadcrumb and the display controls (one Tab from the skip link's target)
    page.keyboard.press("Space")
    panel = page.locator("#tc-act-now")
    assert panel.is_visible()
    assert panel.locator('a[href="tel:999"]').is_visible()
    assert panel.locator(f'a[href="{tel(RAS)}"]').inner_text() == RAS
    assert "call the police on 999" in page.locator("#tc-status").inner_text()
    # The full answer, still keyboard only: the skip link goes straight to "Check the pathway".
    tab_to(page, "tc-skip", limit=20)
    page.keyboard.press("Enter")
    assert focused_id(page) == "tc-check"
    page.keyboard.press("Enter")
    expected = cli("coventry", flags=["wt-immediate-danger"])
    wait_result(page, expected)
    assert focused_id(page) == "tc-result-title"
    assert_same_as_cli(page, expected)
    assert page.locator("#tc-result a[href='tel:999']").count() == 1


def test_keyboard_only_a_section_47_flag_gives_child_protection_and_the_ras_number(page, base_url):
    page.goto(base_url + CHECKER)
    page.locator("body").focus()
    tab_to(page, "tc-filter-input", limit=60)
    page.keyboard.type("non mobile baby")
    # Past the skip link and the list's citation, the first (only) match.
    assert tab_to(page, "tc-cov-s47-injury-non-mobile", limit=5) <= 3
    page.keyboard.press("Space")
    presses = tab_to(page, "tc-check", limit=10)            # the filtered list is short
    assert presses <= 6
    page.keyboard.press("Enter")
    expected = cli("coventry", flags=["cov-s47-injury-non-mobile"])
    assert expected["pathway"] == "child-protection"
    wait_result(page, expected)
    assert_same_as_cli(page, expected)
    ras = page.locator(f'#tc-result a[href="{tel(RAS)}"]')
    assert ras.count() == 1 and ras.inner_text() == RAS


def test_the_filter_narrows_the_lists_and_announces_the_count_politely(page, base_url):
    from macros.state import load_bundle
    from tools.thresholds import effective_rules
    e = effective_rules(load_bundle(), "coventry")
    norm = lambda t: " ".join(re.sub(r"[^a-z0-9]+", " ", t.lower()).split())   # noqa: E731
    everything = e["indicators"] + [f for f in e["flags"] if f["pathway"] != "immediate-protection"]
    harm = [x["id"] for x in everything
            if "self harm" in norm(" ".join([x["text"], *x.get("includes", []), x.get("dimension", "")]))]
    assert len(harm) >= 3
    page.goto(base_url + CHECKER)
    total = page.locator(".calc-section .calc-checkboxes__item").count()
    assert total == len(everything)
    page.fill("#tc-filter-input", "self-harm")
    count = page.locator("#tc-filter-count")
    assert count.get_attribute("role") == "status" and count.get_attribute("aria-live") == "polite"
    page.wait_for_function("() => document.querySelector('#tc-filter-count').textContent !== ''")
    visible = page.locator(".calc-section .calc-checkboxes__item:visible input").evaluate_all("els => els.map(e => e.value)")
    assert sorted(visible) == sorted(harm)
    assert count.inner_text() == f"{len(harm)} of {total} items match \u201cself-harm\u201d."
    # Only the groups and levels with a match stay; Escape clears the filter.
    assert page.locator("details.calc-level:visible").count() == len({x["level"] for x in e["indicators"]
                                                                      if x["id"] in harm})
    page.focus("#tc-filter-input")
    page.keyboard.press("Escape")
    assert page.locator(".calc-section .calc-checkboxes__item:visible").count() == total


@pytest.mark.parametrize("indicators, flags", [
    (["cov-l2-health-low-level-self"], []),
    (["cov-l3-health-known-self-harm", "cov-l3-income-serious-debts-poverty"], []),
    (["cov-l2-health-low-level-self", "cov-l3-housing-temporary-accommodation"], ["cov-cff-young-carer-risk"]),
    (["cov-l4-safety-parents-drug-alcohol"], ["cov-ref-private-fostering"]),
    (["cov-l4-safety-parents-drug-alcohol"], ["cov-s47-serious-neglect", "wt-immediate-danger"]),
])
def test_the_page_gives_the_cli_answer(page, base_url, indicators, flags):
    page.goto(base_url + CHECKER)
    for i in indicators + flags:
        page.check(f"#tc-{i}")
    page.click("#tc-check")
    expected = cli("coventry", indicators, flags)
    wait_result(page, expected)
    assert_same_as_cli(page, expected)
    # The very dict, from Python in the page's worker, equals the command line's JSON.
    from_worker = page.evaluate("""async ([indicators, flags]) => {
        const { runtime, BUNDLE } = await import(new URL("javascripts/calculator/client.mjs", document.baseURI
            .replace(/coventry\\/threshold-checker\\/.*$/, "")).href);
        return runtime().call("tools.thresholds.check", [BUNDLE, "coventry"], { indicators, flags });
    }""", [indicators, flags])
    assert from_worker == expected


@each_area
def test_each_area_s_checker_page_gives_the_cli_answer_for_its_first_indicator_and_its_first_red_flag(
        page, base_url, area):
    """The area's own page (its grid and lists, its rules over the national ones) answers as the
    command line does, for the first indicator of its grid (if it has one) and its first red flag
    after the national immediate-danger question."""
    from tools.thresholds import list_items
    items = list_items(tree_bundle(), area)
    questions = [([i["id"]], []) for i in items["indicators"][:1]]
    questions += [([], [f["id"]]) for f in items["flags"] if f["id"] != "wt-immediate-danger"][:1]
    assert questions, f"{area}: nothing to tick on its threshold checker"
    page.goto(f"{base_url}{area}/threshold-checker/")
    for indicators, flags in questions:
        for box in page.locator("#threshold-checker input[type=checkbox]:checked").all():
            box.uncheck()
        for i in indicators + flags:
            page.check(f"#tc-{i}")
        page.click("#tc-check")
        expected = cli(area, indicators, flags)
        wait_result(page, expected)
        assert_same_as_cli(page, expected, grid=bool(items["indicators"]))


def test_nothing_ticked_shows_the_govuk_error_summary_not_a_pathway(page, base_url):
    page.goto(base_url + CHECKER)
    page.wait_for_selector('#threshold-checker[data-state="ready"]', timeout=60000)
    page.click("#tc-check")
    assert_error_summary(page, "tc-errors", "Select at least one concern, or the immediate-danger question",
                         "#tc-wt-immediate-danger")
    summary, error = page.locator("#tc-errors"), page.locator("#tc-selection-error")
    assert error.is_visible() and "Select at least one concern" in error.text_content()
    assert "tc-selection-error" in page.get_attribute("#tc-group-wt-immediate", "aria-describedby")
    assert page.locator("#tc-result").is_hidden()
    # The summary's link takes the keyboard user to the question, clear of the sticky header.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused_id(page) == "tc-wt-immediate-danger"
    header_bottom = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top") >= header_bottom
    # A tick and "Check the pathway" again: the answer, and the errors are gone.
    page.check("#tc-cov-l2-health-low-level-self")
    page.click("#tc-check")
    wait_result(page, cli("coventry", ["cov-l2-health-low-level-self"]))
    assert summary.is_hidden() and error.is_hidden()
    assert "tc-selection-error" not in (page.get_attribute("#tc-group-wt-immediate", "aria-describedby") or "")
    # The engine itself refuses "nothing ticked", as the command line does (exit 2): never a pathway.
    from_worker = page.evaluate("""async () => {
        const { runtime, BUNDLE } = await import(new URL("javascripts/calculator/client.mjs", document.baseURI
            .replace(/coventry\\/threshold-checker\\/.*$/, "")).href);
        try {
            await runtime().call("tools.thresholds.check", [BUNDLE, "coventry"], { indicators: [], flags: [] });
            return "answered";
        } catch (e) { return String(e.message || e); }
    }""")
    assert "Select at least one concern" in from_worker


def test_changing_a_tick_updates_the_result_shown(page, base_url):
    page.goto(base_url + CHECKER)
    page.check("#tc-cov-l2-health-low-level-self")
    page.click("#tc-check")
    wait_result(page, cli("coventry", ["cov-l2-health-low-level-self"]))
    page.check("#tc-cov-l4-safety-parents-drug-alcohol")
    expected = cli("coventry", ["cov-l2-health-low-level-self", "cov-l4-safety-parents-drug-alcohol"])
    wait_result(page, expected)
    assert_same_as_cli(page, expected)
    page.click("#tc-clear")
    assert page.locator("#tc-result").is_hidden()
    assert page.locator(".calc--thresholds input[type=checkbox]:checked").count() == 0


def test_copy_summary_puts_the_engine_summary_on_the_clipboard_and_nothing_is_stored(make_context, base_url):
    ctx = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(base_url + CHECKER)
    flags = ["cov-s47-pregnancy-under-13"]
    page.check("#tc-cov-s47-pregnancy-under-13")
    page.click("#tc-check")
    expected = cli("coventry", flags=flags)
    wait_result(page, expected)
    page.click("#tc-copy")
    page.wait_for_function("() => document.querySelector('#tc-copy-status').textContent !== ''")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected["summary"]
    assert "Pregnancy in a child under aged 13 years" in expected["summary"]
    assert page.locator("#tc-copy-status").inner_text() == "Summary copied. It contains no names."
    stored = page.evaluate("() => JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie")
    assert "cov-" not in stored and "pregnan" not in stored.lower()
    assert page.url == base_url + CHECKER                  # nothing ticked goes into the address


def test_print_shows_the_result_not_the_lists(page, base_url):
    page.goto(base_url + CHECKER)
    page.check("#tc-cov-l2-health-low-level-self")
    page.click("#tc-check")
    wait_result(page, cli("coventry", ["cov-l2-health-low-level-self"]))
    page.emulate_media(media="print")
    assert page.locator("#tc-result").is_visible()
    assert page.locator("#tc-indicators").is_hidden() and page.locator("#tc-flags").is_hidden()
    assert page.locator("#tc-print").is_hidden() and page.locator("#tc-actions").is_hidden()


def test_without_javascript_the_full_grid_and_red_flags_are_shown_and_nothing_can_be_submitted(make_context,
                                                                                                base_url):
    from macros.state import load_bundle
    from tools.thresholds import list_items
    items = list_items(load_bundle(), "coventry")
    page = make_context(java_script_enabled=False).new_page()
    page.goto(base_url + CHECKER)
    boxes = page.locator(".calc--thresholds input[type=checkbox]")
    assert boxes.count() == len(items["indicators"]) + len(items["flags"])
    assert page.locator(".calc--thresholds input[type=checkbox]:visible").count() == boxes.count()
    assert page.locator(".calc-checkboxes__item .calc-cite").count() == boxes.count()          # every item cited
    assert page.locator("#tc-act-now").is_visible() and page.locator('#tc-act-now a[href="tel:999"]').count() == 1
    assert page.locator("form").count() == 0 or page.locator(".calc--thresholds form").count() == 0
    assert page.locator(".calc--thresholds button:visible").count() == 0
    assert page.locator(".calc--thresholds .calc-nojs").is_visible()


def test_focus_is_never_hidden_under_the_sticky_header_or_the_action_bar(page, base_url):
    page.goto(base_url + CHECKER)
    page.locator("body").focus()
    tab_to(page, "tc-filter-input", limit=60)
    header = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    for _ in range(60):
        page.keyboard.press("Tab")
        box = page.evaluate("""() => {
            const r = document.activeElement.getBoundingClientRect();
            const bar = document.querySelector('#tc-actions').getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, bar: bar.top, id: document.activeElement.id,
                    inBar: document.querySelector('#tc-actions').contains(document.activeElement),
                    tag: document.activeElement.tagName, w: r.width, h: r.height};
        }""")
        assert box["top"] >= header - 1, box
        if not box["inBar"]:
            assert box["bottom"] <= box["bar"] + 1, box
        if box["tag"] == "INPUT" and box["id"].startswith("tc-cov"):
            assert box["w"] >= 24 and box["h"] >= 24, box               # WCAG 2.5.8 target size


def test_no_wcag_22_aa_violations(make_context, base_url):
    # axe-core is injected as an inline script, which the strict CSP would (rightly) block:
    # this one context bypasses CSP; every other test runs under it.
    page = make_context(bypass_csp=True).new_page()
    page.goto(base_url + CHECKER)
    page.check("#tc-wt-immediate-danger")
    page.check("#tc-cov-l3-health-known-self-harm")
    page.click("#tc-check")
    page.wait_for_selector('#tc-result:not([hidden])[data-pathway="immediate-protection"]', timeout=60000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("width", [375, 1280])
def test_peterborough_asks_the_national_concerns_under_their_own_heading_and_a_disabled_child_is_a_child_in_need(
        make_context, base_url, width):
    page = make_context().new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "peterborough/threshold-checker/")
    heading = page.locator("#tc-national-title")
    assert heading.inner_text() == "National guidance, also asked in Peterborough"
    # The area's own lists come first, the national ones after them, the 999 question before all.
    order = page.evaluate("""() => [...document.querySelectorAll('#threshold-checker input[type=checkbox]')]
        .map((b) => b.value)""")
    assert order[0] == "wt-immediate-danger"
    first_national = next(n for n, v in enumerate(order) if v.startswith("wt-") and n > 0)
    assert all(v.startswith("pbo-") for v in order[1:first_national]) and order.index("wt-cin-disabled") > first_national
    box = page.locator("#tc-wt-cin-disabled")
    box.scroll_into_view_if_needed()
    assert "National guidance" in page.locator("#tc-group-wt-cin-hint").inner_text()
    page.locator("body").focus()
    tab_to(page, "tc-filter-input", limit=60)
    page.keyboard.type("child who is disabled")
    tab_to(page, "tc-wt-cin-disabled", limit=8)
    page.keyboard.press("Space")
    tab_to(page, "tc-check", limit=10)
    page.keyboard.press("Enter")
    expected = cli("peterborough", flags=["wt-cin-disabled"])
    assert (expected["pathway"], expected["rule"]) == ("child-in-need", "wt-rule-child-in-need")
    wait_result(page, expected)
    got = shown(page)      # Peterborough has no levels-of-need grid: no level line
    assert got["pathway_label"] == expected["pathway_label"]
    assert got["steps"] == [s["text"] for s in expected["next_steps"]]
    assert got["cites"] == ["/" + r["source"]["url"] for r in expected["reasons"]]
    assert expected["contacts"] == []
    contacts = page.locator("#tc-result .calc-no-contact")
    assert contacts.inner_text() == "National guidance names no contact for this pathway: see Peterborough's contacts."
    assert contacts.locator("a").get_attribute("href").endswith("/peterborough/contacts/")
    reasons = got["reasons"]
    assert reasons[0].startswith("You ticked (national guidance): A child who is disabled")
    assert reasons[1].startswith("National guidance: ")
    shots = Path("/tmp/shots/wt-case2")
    shots.mkdir(parents=True, exist_ok=True)
    page.locator("#tc-result").screenshot(path=str(shots / f"peterborough-disabled-result-{width}.png"))
    page.fill("#tc-filter-input", "")
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"peterborough-national-heading-{width}.png"))


def test_worcestershire_says_which_national_concerns_it_does_not_ask_and_why(page, base_url):
    page.goto(base_url + "worcestershire/threshold-checker/")
    assert page.locator("#tc-wt-cin-disabled").count() == 0
    hidden = page.locator("#tc-national-hidden")
    hidden.locator("summary").click()
    text = hidden.inner_text()
    assert "National concerns not asked in Worcestershire, and why" in text
    assert "“A child who is disabled”: Worcestershire's document gives the Children Act 1989 definition" in text
    assert hidden.locator("a.calc-cite").first.get_attribute("href").endswith("#wor-cin-definition")
    hidden.scroll_into_view_if_needed()
    Path("/tmp/shots/wt-case2").mkdir(parents=True, exist_ok=True)
    page.screenshot(path="/tmp/shots/wt-case2/worcestershire-hidden-1280.png")
