"""The idle prefetch of the calculators' runtime (docs/javascripts/calculator/prefetch.mjs) in a real browser.

A page without a calculator may warm the HTTP cache with the runtime (~21 MB), but only after its
load event, in idle time, and never on a connection the reader pays for or that is slow.
"""
from __future__ import annotations

import json

import pytest

PAGE = "about/"          # a page without a calculator
RUNTIME = ("/assets/calculator/", "/assets/pyodide/", "/javascripts/calculator/worker.mjs")

# What Chromium would report with the data saver on (it then also sends `Save-Data: on`), on a
# slow connection, or on a mobile network; Network Information API properties are configurable.
CONNECTIONS = {
    "save-data": {"saveData": True, "effectiveType": "4g"},
    "3g": {"saveData": False, "effectiveType": "3g"},
    "cellular": {"saveData": False, "effectiveType": "4g", "type": "cellular"},
}


def runtime_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if any(part in u for part in RUNTIME)]


def settle(page) -> None:
    """Past the load event and the page's idle callbacks (prefetch.mjs asks for one after load,
    so this one runs after it), then long enough for its manifest fetch and links."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => requestIdleCallback(() => setTimeout(done, 1000)))")


@pytest.mark.parametrize("name", CONNECTIONS)
def test_no_prefetch_on_a_connection_the_reader_pays_for_or_a_slow_one(page, base_url, recorder, name):
    connection = CONNECTIONS[name]
    page.add_init_script(f"Object.defineProperty(Navigator.prototype, 'connection', "
                         f"{{ configurable: true, get: () => ({json.dumps(connection)}) }});")
    page.goto(base_url + PAGE)
    settle(page)
    assert page.evaluate("() => navigator.connection") == connection
    assert runtime_requests(recorder.urls) == []
    assert page.locator('link[rel="prefetch"]').count() == 0


def test_the_prefetch_starts_after_the_load_event(page, base_url, recorder, site):
    manifest = json.loads((site / "assets" / "calculator" / "manifest.json").read_text(encoding="utf-8"))
    page.goto(base_url + PAGE)
    settle(page)
    assert page.evaluate("() => [navigator.connection.saveData, navigator.connection.effectiveType]") == [False, "4g"]
    page.wait_for_selector('link[rel="prefetch"][href$="pyodide.asm.wasm"]', state="attached", timeout=20000)
    assert {base_url + url for url in manifest["prefetch"]} <= set(runtime_requests(recorder.urls))
    # Every runtime request (the manifest first) started after the load event had finished.
    starts = page.evaluate("""(parts) => {
      const load = performance.getEntriesByType("navigation")[0].loadEventEnd;
      return performance.getEntriesByType("resource").filter((r) => parts.some((p) => r.name.includes(p)))
        .map((r) => r.startTime - load);
    }""", list(RUNTIME))
    assert starts and min(starts) > 0, starts
