"""The built site through Debian's nginx and Apache with the shipped configs, in Chromium.

Each server runs the unchanged deploy/ file (see tests/test_deploy_servers.py for the wrapper
configs). Both calculators must answer under the server's Content-Security-Policy with no
violation, the .mjs and .wasm files must have the types module workers and WebAssembly need,
and JavaScript and WebAssembly must arrive compressed. The bytes transferred for a first
answer (empty cache) are printed.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from test_deploy_servers import SERVERS, running

from macros.deployment import headers as h

from .conftest import _context

DEEP_LINK = "calculators/deadlines/#area=dudley&event=referral&date=2026-12-23"
CHECKER = "coventry/threshold-checker/"
CONCERN = "cov-l2-health-low-level-self"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture(scope="module", params=SERVERS)
def served(request, site):
    with running(request.param, site) as url:
        yield request.param, url


class Visit:
    """A fresh browser context (empty cache) that keeps every response, workers' included."""

    def __init__(self, browser, recorder):
        self.responses = []
        self.console_errors: list[str] = []
        self.ctx = _context(browser, recorder)
        self.ctx.add_init_script(WATCH)
        self.ctx.on("response", lambda r: self.responses.append(r))
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def response(self, suffix: str):
        found = [r for r in self.responses if r.url.split("?")[0].endswith(suffix)]
        assert found, f"no response for *{suffix}: {[r.url for r in self.responses]}"
        return found[0]

    def transferred(self) -> tuple[int, int, int]:
        """(requests, bytes on the wire: headers + encoded bodies, bytes decoded)."""
        wire = decoded = 0
        for r in self.responses:
            sizes = r.request.sizes()
            wire += sizes["responseHeadersSize"] + sizes["responseBodySize"]
            try:       # a body Chromium has already let go (a large one, fetched after the answer) is not counted
                decoded += len(r.body()) if r.status == 200 else 0
            except PlaywrightError:
                pass
        return len(self.responses), wire, decoded

    def check_clean(self, kind: str) -> None:
        violations = self.page.evaluate("() => window.__violations")
        assert violations == [], f"{kind}: CSP violations {violations}"
        assert self.console_errors == [], f"{kind}: console errors {self.console_errors}"
        assert all(r.status < 400 for r in self.responses), \
            [(r.status, r.url) for r in self.responses if r.status >= 400]


@pytest.fixture
def visit(browser, recorder):
    v = Visit(browser, recorder)
    yield v
    v.ctx.close()
    assert recorder.hosts() <= {"127.0.0.1"}, f"requests left the site: {sorted(recorder.hosts())}"
    assert not recorder.errors, f"uncaught errors in the page: {recorder.errors}"
    assert not recorder.csp, f"the Content-Security-Policy blocked something: {recorder.csp}"


def report(capsys, kind: str, what: str, visit: Visit) -> None:
    count, wire, decoded = visit.transferred()
    with capsys.disabled():
        print(f"\n[{kind}] first {what} (empty cache): {count} responses, {wire:,} bytes transferred "
              f"({wire / 1e6:.2f} MB; {decoded / 1e6:.2f} MB uncompressed)")


def test_the_deadline_calculator_answers_a_deep_link(served, visit, capsys):
    kind, url = served
    page = visit.page
    page.goto(url + DEEP_LINK)
    page.wait_for_selector('#dl-results[data-at="2026-12-23"]:not([hidden])', timeout=90000)
    assert page.locator("#dl-results tbody tr").count() > 0
    visit.check_clean(kind)

    doc = visit.response("/calculators/deadlines/")
    assert doc.headers["content-security-policy"] == h.CSP
    assert doc.headers["x-content-type-options"] == h.NOSNIFF
    assert doc.headers["cache-control"] == h.CACHE_REVALIDATE
    for suffix in ("/javascripts/calculator/main.mjs", "/javascripts/calculator/worker.mjs",
                   "/pyodide.mjs", "/pyodide.asm.mjs"):
        assert visit.response(suffix).headers["content-type"].split(";")[0] == "text/javascript", suffix
    wasm = visit.response("/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    for r in (wasm, visit.response("/pyodide.asm.mjs"), visit.response("/javascripts/calculator/main.mjs")):
        # the build's brotli copy where the server can send it (nginx's brotli module, Apache's
        # mod_rewrite rule), its gzip copy otherwise: never the file as it is
        assert r.headers.get("content-encoding") in h.ENCODINGS.values(), f"{kind}: {r.url} not compressed"
    assert wasm.headers["cache-control"] == h.CACHE_IMMUTABLE
    assert visit.response("/assets/calculator/manifest.json").headers["cache-control"] == h.CACHE_REVALIDATE
    report(capsys, kind, "deadline calculator answer", visit)


def test_the_threshold_checker_answers_one_concern(served, visit, capsys):
    kind, url = served
    page = visit.page
    page.goto(url + CHECKER)
    page.check(f"#tc-{CONCERN}")
    page.click("#tc-check")
    page.wait_for_selector(f'#tc-result:not([hidden])[data-answered="{CONCERN}"]', timeout=90000)
    assert page.get_attribute("#tc-result", "data-pathway")
    visit.check_clean(kind)
    assert visit.response("/" + CHECKER).headers["content-security-policy"] == h.CSP
    assert visit.response("/pyodide.asm.wasm").headers.get("content-encoding") in h.ENCODINGS.values()
    report(capsys, kind, "threshold checker answer", visit)


def test_a_missing_page_shows_the_site_s_404_page(served, visit):
    kind, url = served
    response = visit.page.goto(url + "no/such/page/")
    assert response.status == 404
    assert response.headers["content-security-policy"] == h.CSP
    assert visit.page.locator(".md-header").count() == 1          # the site's own page, with its header
    assert "404" in visit.page.content()
    assert visit.page.evaluate("() => window.__violations") == []
