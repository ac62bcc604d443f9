"""The core journeys in the two other engines people use: Firefox ESR and WebKit (every iPhone's).

For every area found in rules/areas.yaml, in each engine (tests/browser/engines.py starts them:
Debian's firefox-esr through Marionette, Debian's WebKitWebDriver through Selenium under xvfb-run):

* the deadline calculator answers (a referral on 23 December 2026: the answer names the event
  and its date, gives dates and the rule of each, and shows no missing value or maintainer word), on a desktop and at a phone's width;
* the threshold checker answers (a concern ticked by clicking its label: a pathway and who to call);
* the search box, clicked, shows results, one of them on the area's first procedure page, and
  clicking it lands there;
* a paragraph's "Copy link", clicked, puts its address on the clipboard: pasted with Ctrl+V
  (a trusted key press: the engine's own clipboard, read back as a person pastes it), the address
  is the paragraph's, and opening it lands on the paragraph, below the header.

Every click is hit-tested first (the element at the control's centre is the control) and then a
WebDriver click, which the engine refuses when something else is drawn there. No page may ask
another host for anything (the page's own resource timings are checked after each journey).

Marked ``engines``: ``pytest -m engines`` runs only these; ``-m "not engines"`` leaves them out.
An engine whose program is missing, or that cannot start here, is skipped with the reason (under
CI, where ``make setup`` installed both, it fails instead).
"""
from __future__ import annotations

import os
import re
import time
from urllib.parse import urlsplit

import pytest

from tests.browser.engines import ENGINES, missing, start
from tests.browser.journeys import AREAS, MISSING, RULES
from tests.test_practitioner_words import MAINTAINER_WORDS

pytestmark = pytest.mark.engines
TIMES: dict[str, list[tuple[str, float]]] = {}


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    name = request.param
    why = missing(name)
    if not why:
        try:
            eng = start(name)
        except Exception as e:          # noqa: BLE001 - the reason is what the skip says
            why = f"{name} did not start: {type(e).__name__}: {e}"
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    yield eng
    eng.quit()
    if TIMES.get(name):
        print(f"\n{name}: " + ", ".join(f"{what} {s:.1f} s" for what, s in TIMES[name]))


def _read(eng, css: str) -> str:
    text = eng.text(css)
    bad = sorted({m.group(0) for m in MAINTAINER_WORDS.finditer(text)} | {m.group(0) for m in MISSING.finditer(text)})
    assert not bad, f"{eng.name}: {css} shows {bad} to a practitioner:\n{text[:1500]}"
    return text


def _only_this_site(eng) -> None:
    hosts = eng.js("return [...new Set(performance.getEntriesByType('resource').concat("
                   "performance.getEntriesByType('navigation')).map(e => new URL(e.name).hostname))];")
    assert set(hosts) <= {"127.0.0.1"}, f"{eng.name}: the page asked other hosts: {hosts}"


def _select(eng, css: str, value: str) -> None:
    """Choose an option as a person does: the select, then the option."""
    try:
        eng.find(f'{css} option[value="{value}"]').click()
    except Exception:       # noqa: BLE001 - WebKitGTK's driver will not click an option of a closed native list
        pass
    if eng.js("return document.querySelector(arguments[0]).value", css) != value:   # what choosing it does
        eng.js("const s = document.querySelector(arguments[0]); s.value = arguments[1];"
               "s.dispatchEvent(new Event('change', {bubbles: true}));", css, value)
    assert eng.js("return document.querySelector(arguments[0]).value", css) == value


# -- the deadline calculator answers ---------------------------------------------------------------
@pytest.mark.parametrize("area", AREAS)
def test_the_deadline_calculator_answers(engine, base_url, area):
    for width, height in ((1280, 900), (375, 740)):
        engine.resize(width, height)
        t0 = time.monotonic()
        engine.goto(f"{base_url}calculators/deadlines/")
        _select(engine, "#dl-area", area)
        _select(engine, "#dl-event", "referral")
        for part, value in (("day", "23"), ("month", "12"), ("year", "2026")):
            engine.type(f"#dl-date-{part}", value)
        engine.click("#dl-submit", "Calculate the deadlines")
        engine.wait("return document.getElementById('dl-results').dataset.at === '2026-12-23'"
                    " && !document.getElementById('dl-results').hidden", what="the deadline answer")
        TIMES.setdefault(engine.name, []).append((f"deadlines {area} {width}px", time.monotonic() - t0))
        text = _read(engine, "#dl-results")
        assert re.search(r"\w+day \d{1,2} \w+ 20\d\d", text), f"{engine.name} {area}: no date in the answer:\n{text[:800]}"
        assert "from \u201cReferral received\u201d on 23 December 2026" in text, f"{engine.name} {area}:\n{text[:800]}"
        assert re.search(r"\d+ working days? after the referral", text), f"{engine.name} {area}: no rule is stated"
        assert engine.js("return document.querySelectorAll('#dl-results time').length") > 0
        _only_this_site(engine)
    engine.resize(1280, 900)


# -- the threshold checker answers ------------------------------------------------------------------
@pytest.mark.parametrize("area", AREAS)
def test_the_threshold_checker_answers_with_a_pathway_and_who_to_call(engine, base_url, area):
    t0 = time.monotonic()
    engine.goto(f"{base_url}{area}/threshold-checker/")
    box = engine.wait("""const b = document.querySelector('[data-calculator="thresholds"] input[type="checkbox"][data-pathway]');
                         if (!b) return null; const d = b.closest('details'); if (d) d.open = true; return [b.id, b.value];""",
                      timeout=20, what="the first concern's box")
    engine.click(f'label[for="{box[0]}"]', f"the concern {box[1]}")
    assert engine.js("return document.getElementById(arguments[0]).checked", box[0]), "the label did not tick the box"
    engine.click("#tc-check", "Check the pathway")
    engine.wait("return document.getElementById('tc-result').dataset.answered === arguments[0]", box[1],
                what="the threshold answer")
    TIMES.setdefault(engine.name, []).append((f"thresholds {area}", time.monotonic() - t0))
    text = _read(engine, "#tc-result")
    assert engine.text("#tc-result .calc-result__pathway").strip(), f"{engine.name} {area}: no pathway is named"
    assert "Who to contact" in text
    _only_this_site(engine)


# -- search shows results, and a click lands ---------------------------------------------------------
@pytest.mark.parametrize("area", AREAS)
def test_a_click_in_the_search_box_shows_results_and_a_result_lands(engine, base_url, area):
    proc = RULES.procedures[area][0]
    query, path = proc["title"], f"/{area}/{proc['id']}/"
    engine.goto(base_url)
    engine.click("#site-search-input", "the header's search box")
    assert engine.js("return document.activeElement.id") == "site-search-input", "the box has no cursor"
    engine.find("#site-search-input").send_keys(query)
    engine.wait("return document.getElementById('site-search-results').dataset.query === arguments[0]", query,
                timeout=30, what=f"results for {query!r}")
    assert engine.js("return document.getElementById('__search').checked"), "the search dialog is closed"
    hrefs = engine.js("return [...document.querySelectorAll('#site-search-results > li > a')].map(a => a.href)")
    mine = next((i for i, h in enumerate(hrefs) if path in h), None)
    assert mine is not None, f"{engine.name}: no result on {path} for {query!r}: {hrefs}"
    _read(engine, "#site-search-results")
    engine.click(f"#site-search-results > li:nth-child({mine + 1}) > a", f"the result {hrefs[mine]}")
    engine.wait("return location.pathname.endsWith(arguments[0])", path, timeout=20, what=f"landing on {path}")
    _only_this_site(engine)


# -- a copied paragraph link, pasted, lands on the paragraph ------------------------------------------
@pytest.mark.parametrize("area", AREAS)
def test_a_copied_paragraph_link_pasted_lands_on_the_paragraph(engine, base_url, area):
    proc = RULES.procedures[area][0]
    url = f"{base_url}{area}/{proc['id']}/"
    engine.goto(url)
    pid = engine.wait("const b = document.querySelectorAll('article .proc-block[id]'); const p = b[Math.min(2, b.length - 1)];"
                      "return p && p.querySelector(':scope > button.copy-link') ? p.id : '';",
                      timeout=20, what="the third paragraph's Copy link")
    engine.click(f'article .proc-block[id="{pid}"] > button.copy-link', f"Copy link of {pid}")
    status = engine.wait("const s = document.getElementById('copy-link-status'); return s && s.textContent;",
                         timeout=10, what="the copy's status")
    assert status == "Link copied", f"{engine.name}: {status}"
    # Paste where a person would type: a text box of our own, focused, and Ctrl+V (the engine's clipboard).
    engine.js("const t = document.createElement('textarea'); t.id = 'paste-here';"
              "t.style.cssText = 'position:fixed;top:80px;left:10px;width:600px;height:40px;z-index:99999';"
              "document.body.appendChild(t); t.focus();")
    engine.keys((engine.CTRL, "v"))
    pasted = engine.wait("return document.getElementById('paste-here').value", timeout=10, what="the paste")
    assert pasted == f"{url}#{pid}", f"{engine.name}: pasted {pasted!r}"
    engine.resize(375, 740)
    engine.goto(base_url)
    engine.goto(pasted)
    engine.wait("const t = document.querySelector(':target'); return t && t.id === arguments[0]", pid, timeout=20,
                what=f"the pasted address opening on {pid} (:target)")
    top, header = engine.wait("""const r = document.getElementById(arguments[0]).getBoundingClientRect().top;
                                 const h = document.querySelector('.md-header').getBoundingClientRect().bottom;
                                 return r >= h && r < innerHeight / 2 ? [r, h] : null;""", pid, timeout=5,
                              what=f"{pid} shown below the header, in the top half")
    assert urlsplit(pasted).fragment == pid
    engine.resize(1280, 900)
    _only_this_site(engine)
