"""Instant navigation (Material's ``navigation.instant``): moving between pages keeps the calculators' runtime.

Material swaps in only the pages its sitemap lists, at the address the site is served from
(its ``site_url``), so the site is served here with its sitemap at this server's address, as
a deployment whose ``site_url`` is its own address. Elsewhere the links are ordinary page loads.
"""
from __future__ import annotations

import re
import threading

import pytest


@pytest.fixture(scope="module")
def instant_base_url(site, tmp_path_factory):
    from macros.deployment.serve import make_server
    root = tmp_path_factory.mktemp("instant-site")
    for entry in site.iterdir():
        if entry.name != "sitemap.xml":
            (root / entry.name).symlink_to(entry.resolve())
    server = make_server(root, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    (root / "sitemap.xml").write_text(re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}", text), encoding="utf-8")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


DEEP_LINK = "calculators/deadlines/#area=peterborough&event=strategy-discussion&date=2026-12-23&time=16:45"


def test_after_the_deadline_calculator_a_procedure_pages_calculator_answers_without_reloading_the_runtime(
        page, instant_base_url):
    page.goto(instant_base_url + DEEP_LINK)
    page.wait_for_selector("#dl-results:not([hidden]) tbody tr", state="attached", timeout=120000)
    page.evaluate("window.__samePage = true")
    page.evaluate("""() => { const a = document.createElement('a'); a.href = '../../peterborough/referrals/';
                             a.id = 'go-next'; a.textContent = 'Referrals'; document.querySelector('article').append(a); }""")
    page.click("#go-next")
    page.wait_for_url("**/peterborough/referrals/")
    page.wait_for_selector('#dlc-status[data-state="ready"]', state="attached", timeout=30000)
    assert page.evaluate("window.__samePage === true"), "the page was reloaded: the runtime did not survive"
    page.select_option("#dlc-event", "strategy-discussion")
    page.fill("#dlc-date-day", "23")
    page.fill("#dlc-date-month", "12")
    page.fill("#dlc-date-year", "2026")
    page.click("#dlc-form button[type=submit]")
    page.wait_for_selector('#dlc-results:not([hidden])[data-at^="2026-12-23"]', state="attached", timeout=30000)
    # The new page's own scripts ran again: copy links on its sections and paragraphs.
    assert page.locator("article button.copy-link").count() > 5
    assert "Referrals" in page.title()
