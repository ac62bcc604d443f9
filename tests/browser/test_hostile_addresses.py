"""No address can trip a page's scripts: a partner's link may be mangled by an e-mail client, cut
short, pasted twice, or written by someone trying to break the site.

Every page type is opened in Chromium at addresses with hostile fragments and queries: the names
of JavaScript's own object properties (``#__proto__`` once sent the page to ``/[object Object]``),
malformed percent-encoding (``#%E0%A4%A`` once threw and took every "Copy link" button with it),
very long and non-Latin text, script-like text, and the calculator's own keys with nonsense
values. Each must give no uncaught error and no console error, keep the page where it is, and
keep its "Copy link" buttons (docs/javascripts/links.js, address.js, the calculators' modules,
search.mjs).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGES = {
    "home": "",
    "area overview": "coventry/",
    "procedure page": "national/assessments/",
    "print page": "peterborough/print/",
    "glossary": "glossary/",
    "deadline calculator": "calculators/deadlines/",
    "threshold checker": "coventry/threshold-checker/",
    "flow chart": "dudley/flow-chart/",
    "what's changed": "whats-changed/",
    "404 page": "no/such/page/",
}
CALCULATORS = {"deadline calculator", "threshold checker"}

PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
                   "__defineGetter__", "__proto__.x", "constructor.prototype"]
FRAGMENTS = [
    *PROTOTYPE_NAMES,
    "%E0%A4%A", "%", "%%", "%ZZ", "%00", "%C0%AF", "%ED%A0%80", "%F0%9F%98%80",
    "a" * 20000, "\u00e9" * 2000, "\u202e" + "evil", "\u0645\u0631\u062d\u0628\u0627", "\U0001F600",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "a.b[c", "1", ":", '"', "\\",
    "area=__proto__", "area=constructor&event=__proto__&date=2026-02-30&time=99:99",
    "area=coventry&event=toString&date=%E0%A4%A", "area=coventry&event=strategy-discussion&date=" + "9" * 5000,
    "area=national&tl=@&tl=__proto__@2026-01-01&tl=x@y@z", "tl=" + "icpc@2026-01-01&tl=" * 200,
    "area=%E0%A4%A&event=%&date=%", "area=<script>&event=referral&date=2026-12-01",
]
# Opened afresh (the scripts read the address as the page loads): a sample of each kind, fewer on
# the calculators, where each load starts Python again. Every fragment above is then also reached
# in the loaded page by a change of fragment alone (hashchange, no reload).
LOADED_FRAGMENTS = ["__proto__", "constructor", "%E0%A4%A", "%", "a" * 20000, "\u202e" + "evil",
                    '"><img src=x onerror=alert(1)>', "area=constructor&event=__proto__&date=2026-02-30&time=99:99",
                    "area=coventry&event=toString&date=%E0%A4%A", "area=national&tl=@&tl=__proto__@2026-01-01&tl=x@y@z"]
LOADED_QUERIES = ["__proto__=1", "area=__proto__", "q=%E0%A4%A", "x=" + "b" * 20000, "h=<script>alert(1)</script>",
                  "area=coventry&event=__proto__&date=2026-13-45", "tl=@@@&tl=%", "%E0%A4%A=%E0%A4%A"]
CALCULATOR_LOADED = ["#__proto__", "#%E0%A4%A", "#area=constructor&event=__proto__&date=2026-02-30&time=99:99",
                     "#area=national&tl=@&tl=__proto__@2026-01-01&tl=x@y@z", "?area=__proto__", "?q=%E0%A4%A"]

SETTLED = """() => new Promise((resolve) => {
    // Until the page's scripts have run: the calculators' answer or their form's error, else an idle moment.
    const calc = document.querySelector('[data-calculator]');
    const started = Date.now();
    const done = () => {
        if (!calc || Date.now() - started > 45000) return true;
        const state = calc.dataset.state || document.querySelector('.calc-status')?.dataset.state;
        const answered = document.querySelector('.calc-results:not([hidden]), .calc-error-summary:not([hidden])');
        return state === 'ready' || state === 'error' || answered;
    };
    const tick = () => done() ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(tick, 100);
    tick();
})"""


def loaded(kind: str) -> list[str]:
    if kind in CALCULATORS:
        return CALCULATOR_LOADED
    return ["#" + f for f in LOADED_FRAGMENTS] + ["?" + q for q in LOADED_QUERIES]


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_address_trips_the_page_scripts(kind, make_context, base_url):
    path = PAGES[kind]
    context = make_context()
    page = context.new_page()
    problems: list[str] = []
    seen: list[str] = []
    page.on("pageerror", lambda e: seen.append(f"uncaught: {e}"))
    page.on("console", lambda m: m.type == "error" and seen.append(f"console: {m.text}"))

    response = page.goto(base_url + path)
    page.evaluate(SETTLED)
    plain_buttons = page.locator("button.copy-link").count()
    expected_status = 404 if kind == "404 page" else 200
    assert response.status == expected_status
    if kind == "procedure page":
        assert plain_buttons > 10, "the procedure page should have its Copy link buttons"

    def check(suffix: str, response=None) -> None:
        page.evaluate(SETTLED)
        where = urlsplit(page.url).path
        errors = [s for s in seen if not (kind == "404 page" and "status of 404" in s)]
        short = suffix if len(suffix) < 80 else suffix[:77] + "..."
        if errors:
            problems.append(f"{short}: {errors}")
        if where != "/" + path:
            problems.append(f"{short}: the page went to {where}")
        if response is not None and response.status != expected_status:
            problems.append(f"{short}: status {response.status}")
        buttons = page.locator("button.copy-link").count()
        if buttons != plain_buttons:
            problems.append(f"{short}: {buttons} Copy link buttons instead of {plain_buttons}")

    for suffix in loaded(kind):
        page.goto("about:blank")           # a fresh load each time, as a link opened from an e-mail
        seen.clear()
        check(suffix, page.goto(base_url + path + suffix))
    page.goto(base_url + path)
    page.evaluate(SETTLED)
    for fragment in FRAGMENTS:              # the same page, only its fragment changed
        seen.clear()
        page.evaluate("(f) => { location.hash = f; }", fragment)
        check("#" + fragment + " (hashchange)")
    assert not problems, f"{kind} ({path or 'home'}):\n" + "\n".join(problems)
