"""WCAG 2.2 AA on every page type, and reflow at 320 CSS px (WCAG 1.4.10), in Chromium with axe-core.

The pages are discovered, not listed: every page of the built site's ``sitemap.xml`` (home, each
area overview, every procedure page, each area's timescales, contacts and threshold checker,
compare, glossary, the calculators, the hand-written pages), plus the states a page reaches only
by use: search open, and both calculators with errors and answered.

Each state is checked twice in the same page, at 1280 px and at 320 px (400% zoom of a 1280 px
window):

* axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation at either width. A failure names the page,
  the width, the rule id, its impact and the first targets.
* at 320 px ``document.documentElement.scrollWidth <= 320``: nothing scrolls sideways. Content
  inside an element that is itself a scroll container (a wide table in an ``overflow-x: auto``
  wrapper, focusable and labelled) is allowed, as 1.4.10 allows two-dimensional content; a
  failure lists the elements that stick out past 320 px outside any scroll container.

axe-core is injected as a script tag, which the site's strict CSP would (rightly) block, so this
one browser context bypasses CSP; the other browser tests prove the pages work under it. As in
every browser test, no request may leave 127.0.0.1.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from areas import AREAS, each_area

from . import searchbox
from .conftest import AXE
from .deadlineform import ask, wait_answer

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 320, "height": 720}
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DEADLINES = "calculators/deadlines/"
CHECKER = "coventry/threshold-checker/"


# -- the pages and states -----------------------------------------------------------------------
def sitemap_paths(site) -> list[str]:
    """Every page the build lists in sitemap.xml, as a path relative to the site root ("" is home)."""
    tree = ET.parse(site / "sitemap.xml")
    return [urlsplit(loc.text.strip()).path.lstrip("/") for loc in tree.iterfind("s:url/s:loc", SITEMAP_NS)]


AREA_PAGES = ("timescales", "contacts", "threshold-checker")


def page_types(paths: list[str]) -> dict[str, list[str]]:
    """The site's pages by type. An area is a top-level section with a timescales page; every page
    of the sitemap lands in exactly one type ("other" holds the hand-written pages)."""
    areas = {p.split("/")[0] for p in paths if re.fullmatch(r"[a-z0-9-]+/timescales/", p)}
    types: dict[str, list[str]] = {t: [] for t in ("home", "area-overview", "procedure", *AREA_PAGES,
                                                   "compare", "glossary", "deadline-calculator", "other")}
    for p in paths:
        parts = p.strip("/").split("/") if p else []
        if not parts:
            types["home"].append(p)
        elif parts[0] in areas and len(parts) == 1:
            types["area-overview"].append(p)
        elif parts[0] in areas and parts[1] in AREA_PAGES:
            types[parts[1]].append(p)
        elif parts[0] in areas:
            types["procedure"].append(p)
        elif p in ("compare/", "glossary/"):
            types[p.strip("/")].append(p)
        elif p == DEADLINES:
            types["deadline-calculator"].append(p)
        else:
            types["other"].append(p)
    return types


# Every page type as loaded (scripts run; a calculator's Python may still be loading, which changes
# only its status line), then the empty calculators with Python ready, then the states reached only
# by use: (id, page type or path, action). The pages of an area (AREA_TYPES) are checked as loaded,
# area by area, by the second test below.
AREA_TYPES = ("area-overview", "procedure", *AREA_PAGES)    # checked area by area (tests/areas.py)
STATES = [(t, t, None) for t in ("home", "compare", "glossary", "deadline-calculator", "other")] + [
    ("search-open", "", "open_search"),
    ("deadline-calculator-empty", DEADLINES, "ready"),
    ("threshold-checker-empty", CHECKER, "ready"),
    ("deadline-calculator-errors", DEADLINES, "deadlines_empty_submit"),
    ("deadline-calculator-answered", DEADLINES, "deadlines_answer"),
    ("threshold-checker-errors", CHECKER, "checker_nothing_ticked"),
    ("threshold-checker-answered", CHECKER, "checker_one_concern"),
]


def wait_scripts(page) -> None:
    """The calculators' scripts have run: their forms are shown (Python may still be loading)."""
    page.wait_for_function("""() => [...document.querySelectorAll("form.calc-form")].every((f) => !f.hidden)
        && [...document.querySelectorAll("div#threshold-checker")].every((c) => c.dataset.state)""", timeout=30000)


def ready(page) -> None:
    """Every calculator on the page has Python ready (or said it could not start)."""
    page.wait_for_function("""() => [...document.querySelectorAll('.calc-status[id$="-status"], div#threshold-checker')]
        .every((el) => ["ready", "error"].includes(el.dataset.state ?? el.closest("[data-state]")?.dataset.state))""",
                           timeout=60000)


def settled(page) -> None:
    """Wait until no CSS transition or animation runs (Material slides its drawer and search in): axe
    measures colours and sizes, which mid-transition belong to no state a reader sees for long."""
    page.wait_for_function("""() => document.getAnimations().every((a) => a.playState !== "running"
        || a.effect?.getComputedTiming().endTime === Infinity)""",
                           timeout=5000)


def open_search(page) -> None:
    """The search box opened from the keyboard ("/") and a word typed, with its results shown
    (whichever engine the site uses: tests/browser/searchbox.py drives both)."""
    page.locator("body").focus()
    searchbox.open_box(page)
    assert searchbox.read_results(page, "referral", n=1), "searching for 'referral' showed no result"


def deadlines_empty_submit(page) -> None:
    page.click("#dl-submit")
    page.wait_for_selector("#dl-errors:not([hidden])", timeout=20000)


def deadlines_answer(page) -> None:
    ask(page, "coventry", "referral", 23, 12, 2026)
    wait_answer(page, "2026-12-23")


def checker_nothing_ticked(page) -> None:
    page.click("#tc-check")
    page.wait_for_selector("#tc-errors", state="visible", timeout=20000)


def checker_one_concern(page) -> None:
    page.locator("#threshold-checker input[type=checkbox]:not(#tc-wt-immediate-danger)").first.check()
    page.click("#tc-check")
    page.wait_for_selector("#tc-result:not([hidden])[data-pathway]", timeout=60000)


ACTIONS = {f.__name__: f for f in (ready, open_search, deadlines_empty_submit, deadlines_answer,
                                   checker_nothing_ticked, checker_one_concern)}


# -- what is measured ---------------------------------------------------------------------------
def axe_violations(page, width: int) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           WCAG_TAGS)
    return [f"{width} px: {v['id']} ({v['impact']}): {v['help']} -- "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            + (f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else "")
            for v in result["violations"]]


def sideways(page) -> tuple[int, list[str]]:
    """The page's scroll width, and the elements past the right edge outside any scroll container."""
    return page.evaluate("""() => {
        const limit = document.documentElement.clientWidth;
        const scrolls = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
        const inScroller = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
            if (scrolls(p)) return true; return false; };
        const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + [...el.classList].slice(0, 2).map((c) => "." + c).join("");
        const out = [];
        for (const el of document.body.querySelectorAll("*")) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right <= limit + 0.5 || inScroller(el)) continue;
            if (getComputedStyle(el).visibility === "hidden") continue;
            out.push(`${name(el)} right=${Math.round(r.right)}`);
        }
        return [document.documentElement.scrollWidth, out.slice(0, 8)];
    }""")


# -- the fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def a11y_page(browser, base_url):
    """One CSP-bypassing context and one page, reused by every state (a fresh navigation each time)."""
    urls: list[str] = []
    errors: list[str] = []
    ctx = browser.new_context(bypass_csp=True, viewport=WIDE, service_workers="block")
    ctx.on("request", lambda r: urls.append(r.url))
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.urls, page.errors = urls, errors
    yield page
    ctx.close()


# -- the test -----------------------------------------------------------------------------------
def check(page, base_url: str, path: str, action) -> list[str]:
    """Everything wrong with one page state, each line naming the width, rule, impact and targets."""
    page.set_viewport_size(WIDE)
    page.goto(base_url + path)
    wait_scripts(page)
    if action and action != "open_search":
        ready(page)
    if action:
        ACTIONS[action](page)
    settled(page)
    problems = axe_violations(page, WIDE["width"])
    page.set_viewport_size(NARROW)
    settled(page)
    width, past = sideways(page)
    if width > NARROW["width"]:
        problems.append(f"320 px: the page scrolls sideways (scrollWidth {width} px); past the edge: {', '.join(past)}")
    problems += axe_violations(page, NARROW["width"])
    return problems


def check_all(page, base_url: str, paths: list[str], action, kind: str) -> None:
    """Every path in one state: no WCAG violation, nothing sideways, no request off the site, no error."""
    page.urls.clear()
    page.errors.clear()
    failures = []
    for path in paths:
        problems = check(page, base_url, path, action)
        if problems:
            failures.append(f"/{path} ({action or 'as loaded'}):\n  " + "\n  ".join(problems))
    hosts = {urlsplit(u).hostname for u in page.urls if not u.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1"}, f"requests left the site: {sorted(hosts)}"
    assert not page.errors, f"uncaught errors in the page: {page.errors}"
    assert not failures, f"{len(failures)} of {len(paths)} {kind} page(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("kind, where, action", STATES, ids=[s[0] for s in STATES])
def test_no_wcag_22_aa_violations_and_no_sideways_scrolling_at_320_px(a11y_page, base_url, site, kind, where, action):
    paths = [where] if action else page_types(sitemap_paths(site))[where]
    assert paths, f"no {kind} page in sitemap.xml"
    check_all(a11y_page, base_url, paths, action, kind)


@each_area
def test_no_wcag_22_aa_violations_and_no_sideways_scrolling_at_320_px_on_the_area_s_pages(a11y_page, base_url, site,
                                                                                         area):
    """The area's overview, every procedure page, its timescales, contacts and threshold checker."""
    types = page_types(sitemap_paths(site))
    mine = {t: [p for p in types[t] if p.split("/")[0] == area] for t in AREA_TYPES}
    assert all(mine.values()), f"{area}: pages missing from sitemap.xml: {[t for t, ps in mine.items() if not ps]}"
    check_all(a11y_page, base_url, [p for t in AREA_TYPES for p in mine[t]], None, f"{area}'s")


def test_every_page_type_is_in_the_sitemap(site):
    """Each page type above has pages, and each area its overview, timescales, contacts and checker
    (a renamed page would otherwise drop out of the checks without a word)."""
    paths = sitemap_paths(site)
    types = page_types(paths)
    assert all(types.values()), {t: len(p) for t, p in types.items()}
    assert sum(map(len, types.values())) == len(paths)
    for overview in types["area-overview"]:
        for kind in AREA_PAGES:
            assert f"{overview}{kind}/" in types[kind], f"{overview}{kind}/ is missing from sitemap.xml"
        assert any(p.startswith(overview) for p in types["procedure"]), f"no procedure page under /{overview}"
    assert CHECKER in types["threshold-checker"]
    # the areas whose pages the per-area test checks are the areas of the site
    assert {overview.strip("/") for overview in types["area-overview"]} == set(AREAS)
