"""Browser end-to-end fixtures: the built site on 127.0.0.1 (with the intranet's headers) and Debian's Chromium.

* The site is ``build/test-site`` built by the ``built_site`` fixture (tests/conftest.py), or the
  directory in ``CALC_TEST_SITE`` (to test another build without rebuilding).
* It is served by ``macros.deployment.serve`` (what ``make serve`` runs): ``.wasm`` as application/wasm,
  ``.mjs`` as text/javascript and a strict Content-Security-Policy, so every test also proves
  the calculators work under ``script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'``.
* Chromium is ``/usr/bin/chromium`` (apt), driven by Playwright; ``playwright install`` is
  never needed. Every request of every test, workers included, is recorded and checked:
  no host but 127.0.0.1.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(request) -> Path:
    path = os.environ.get("CALC_TEST_SITE")
    site = Path(path) if path else request.getfixturevalue("built_site")
    manifest = site / "assets" / "calculator" / "manifest.json"
    assert manifest.exists(), f"{manifest} is missing: the build's on_post_build hook must call write_calculator_assets"
    page = (site / "calculators" / "deadlines" / "index.html").read_text(encoding="utf-8")
    assert "javascripts/calculator/main.mjs" in page, (
        "the calculator script is not on the page: mkdocs.yml needs extra_javascript "
        "{path: javascripts/calculator/main.mjs, type: module}")
    return site


@pytest.fixture(scope="session")
def base_url(site) -> str:
    from macros.deployment.serve import make_server
    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: run `make setup` (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Recorder:
    """Every request of a browser context (pages and workers) and every uncaught page error."""

    def __init__(self):
        self.urls: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []

    def console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or u for u in self.urls if not u.startswith(("data:", "blob:"))}


@pytest.fixture
def recorder():
    return Recorder()


def _context(browser, recorder, **options):
    # The offline service worker (docs/sw.js) would precache the whole site in every fresh context
    # (4.7 MB, 160 files) and make each test measure that too: it is kept out, except where a test
    # asks for it (tests/browser/test_offline.py).
    options.setdefault("service_workers", "block")
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, **options)
    ctx.on("request", lambda r: recorder.urls.append(r.url))
    ctx.on("page", lambda pg: (pg.on("pageerror", lambda e: recorder.errors.append(str(e))),
                               pg.on("console", recorder.console)))
    return ctx


@pytest.fixture
def context(browser, recorder, base_url):
    ctx = _context(browser, recorder)
    yield ctx
    ctx.close()
    assert recorder.hosts() <= {"127.0.0.1"}, f"requests left the site: {sorted(recorder.hosts())}"
    assert not recorder.errors, f"uncaught errors in the page: {recorder.errors}"
    assert not recorder.csp, f"the Content-Security-Policy blocked something: {recorder.csp}"


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def make_context(browser, recorder):
    """Extra contexts (e.g. JavaScript off, or axe injected) with the same request checks."""
    made = []

    def make(**options):
        ctx = _context(browser, recorder, **options)
        made.append(ctx)
        return ctx
    yield make
    for ctx in made:
        ctx.close()
    assert recorder.hosts() <= {"127.0.0.1"}, f"requests left the site: {sorted(recorder.hosts())}"


# -- helpers the calculator tests share ----------------------------------------------------------
def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def assert_error_summary(page, summary_id: str, message: str, href: str) -> None:
    """The GOV.UK error summary: shown, headed "There is a problem", focused, and linking its one
    message to the field (``href``)."""
    summary = page.locator(f"#{summary_id}")
    summary.wait_for(state="visible")
    assert summary.locator("h2").text_content() == "There is a problem"
    assert focused_id(page) == summary_id
    link = summary.locator("a")
    assert link.text_content() == message
    assert link.get_attribute("href") == href
