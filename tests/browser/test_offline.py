"""Offline after one visit (issue 23): the service worker, through the shipped nginx config, in Chromium.

One visit online (the home page, no calculator used), then the server is stopped and the
network switched off (Playwright's offline mode and CDP's ``Network.emulateNetworkConditions``,
which overrides it on a page: design.md). Then, as a person would: the home page, an area's
overview and a procedure page never visited open; both calculators answer; the footer says
which build is saved. Another test uses both calculators (and an old ``?area=&date=`` link)
and reads every cache entry's URL: none holds a case detail. The last one serves a new build
(a copy of the site with a changed page, its list and worker re-stamped as the build does) and
checks the next visit online picks it up. Screenshots at 375 and 1280 px in /tmp/shots/wt-offline/.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_deploy_servers import linked_copy, running

from macros.deployment import offline

from .conftest import _context
from .deadlineform import ask, wait_answer

SHOTS = Path("/tmp/shots/wt-offline")
CHECKER = "coventry/threshold-checker/"
CONCERN = "cov-l2-health-low-level-self"
NEVER_VISITED = ["coventry/", "dudley/referrals-and-assessment/", "calculators/deadlines/", CHECKER]
CACHE_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def go_offline(ctx, page) -> None:
    ctx.set_offline(True)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def saved_once(page, url: str) -> str:
    """Visit ``url`` online and wait until the service worker controls the page and says what it saved."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120000)
    note = page.locator(".site-offline-status")
    note.wait_for(state="visible", timeout=120000)
    return note.text_content()


@pytest.fixture
def ctx(browser, recorder):
    made = _context(browser, recorder, service_workers="allow")
    yield made
    made.close()
    assert recorder.hosts() <= {"127.0.0.1"}, f"requests left the site: {sorted(recorder.hosts())}"
    assert not recorder.errors, f"uncaught errors in the page: {recorder.errors}"
    assert not recorder.csp, f"the Content-Security-Policy blocked something: {recorder.csp}"


def test_after_one_visit_every_page_opens_and_both_calculators_answer_offline(site, ctx):
    page = ctx.new_page()
    with running("nginx", site) as url:
        worker = page.request.get(url + "sw.js")
        assert worker.headers["cache-control"] == "no-cache"
        assert worker.headers["content-type"].split(";")[0] == "text/javascript"
        assert "service-worker-allowed" not in worker.headers
        note = saved_once(page, url)
        info = json.loads(page.request.get(url + "build-info.json").text())
    assert note == (f"Saved for offline use: built on {info['built_on']} "
                    f"from rules version {info['rules_version_short']}")
    go_offline(ctx, page)                                    # and the server is gone too
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in ["", *NEVER_VISITED[:2]]:
        page.goto(url + path)
        assert page.locator("h1").first.is_visible(), path
        assert page.locator(".site-build-info").text_content().startswith(f"Built on {info['built_on']}")
    page.reload()
    status = page.locator(".site-offline-status")
    status.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('.site-offline-status').textContent"
                           ".startsWith('You are offline. Saved for offline use: built on ')")
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        status.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"offline-procedure-{width}.png"), full_page=False)

    page.goto(url + "calculators/deadlines/#area=dudley&event=referral&date=2026-12-23")
    wait_answer(page, "2026-12-23", timeout=120000)
    assert page.locator("#dl-results tbody tr").count() > 0
    page.goto(url + CHECKER)
    page.check(f"#tc-{CONCERN}")
    page.click("#tc-check")
    page.wait_for_selector(f'#tc-result:not([hidden])[data-answered="{CONCERN}"]', timeout=120000)
    assert page.get_attribute("#tc-result", "data-pathway")
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.locator("#tc-result").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"offline-threshold-{width}.png"), full_page=False)

    page.goto(url + "no/such/page/")                         # not a page of the site: its 404 page
    assert "404" in page.content()


def test_no_cache_entry_holds_a_case_detail(site, ctx):
    page = ctx.new_page()
    with running("nginx", site) as url:
        saved_once(page, url)
        page.goto(url + "calculators/deadlines/")
        ask(page, "coventry", "referral", 17, 11, 2026)
        wait_answer(page, "2026-11-17", timeout=120000)
        page.goto(url + CHECKER)
        page.check(f"#tc-{CONCERN}")
        page.click("#tc-check")
        page.wait_for_selector(f'#tc-result:not([hidden])[data-answered="{CONCERN}"]', timeout=120000)
        page.goto(url + "calculators/deadlines/?area=dudley&date=2026-10-05")     # an old link
        page.wait_for_load_state("load")
        urls = sorted(page.evaluate(CACHE_URLS))
        go_offline(ctx, page)
        page.goto(url + "calculators/deadlines/?area=dudley&date=2026-10-06")
        assert page.locator("#dl-area").count() == 1           # the page stored under its path
        assert sorted(page.evaluate(CACHE_URLS)) == urls       # and nothing stored offline either
    kept = json.loads((site / offline.LIST_NAME).read_text(encoding="utf-8"))
    assert len(urls) >= len(kept["pages"]) + len(kept["files"])
    for cached in urls:
        assert "?" not in cached and "#" not in cached, cached
        assert not re.search(r"2026-1[01]|cov-l2|area=|date=", cached), cached


def rebuild(copy: Path) -> None:
    """A new build, as far as the service worker can tell: a changed page and build line, the list and
    the worker re-stamped by the build's own step (macros/deployment/offline.py). Hard-linked files are
    replaced, never changed; pre-compressed copies of changed files are dropped."""
    for name in ("index.html", "build-info.json", offline.WORKER_NAME):
        target = copy / name
        text = target.read_text(encoding="utf-8")
        target.unlink()
        target.write_text(text.replace("Built on ", "Built (again) on ")
                          .replace('"built_on": "', '"built_on": "again '), encoding="utf-8")
        for stale in copy.glob(name + ".*"):
            stale.unlink()
    (copy / offline.LIST_NAME).unlink()
    offline.write(copy)


def test_a_new_build_is_picked_up_on_the_next_visit_online(site, ctx, tmp_path):
    copy = linked_copy(site, tmp_path / "site")
    page = ctx.new_page()
    with running("nginx", copy) as url:
        first = saved_once(page, url)
        old_version = page.locator(".site-offline-status").get_attribute("data-version")
        rebuild(copy)
        page.goto(url)                                    # the next visit, online
        page.wait_for_function("(old) => { const n = document.querySelector('.site-offline-status');"
                               " return n && n.dataset.version && n.dataset.version !== old; }",
                               arg=old_version, timeout=120000)
        now = page.locator(".site-offline-status").text_content()
    assert now != first and "built on again " in now
    go_offline(ctx, page)
    page.goto(url)
    assert page.locator(".site-build-info").text_content().startswith("Built (again) on ")
    assert page.evaluate("async () => (await caches.keys()).length") == 1     # the old build's cache is gone


# When the page calls navigator.serviceWorker.register (page clock), whoever calls it.
REGISTER_SPY = """
if (globalThis.ServiceWorkerContainer) {          // the page, not its workers
  const register = ServiceWorkerContainer.prototype.register;
  ServiceWorkerContainer.prototype.register = function (...args) {
    window.__registeredAt ??= performance.now();
    return register.apply(this, args);
  };
}"""
DEEP_LINK = "calculators/deadlines/?area=peterborough&event=strategy-discussion&date=2026-12-23&time=16:45"


def test_the_offline_copy_waits_for_the_first_answer(site, ctx):
    """The service worker copies the whole site; on a slow link that would share the bandwidth with a
    calculator's first answer, so the page registers it only after the answer (a page without a
    calculator: after its load event), and the visit is still saved for offline use."""
    ctx.add_init_script(REGISTER_SPY)
    page = ctx.new_page()
    with running("nginx", site) as url:
        page.goto(url + DEEP_LINK)
        page.wait_for_function("() => window.__registeredAt !== undefined", timeout=120000)
        answered, registered = page.evaluate(
            "() => [performance.getEntriesByName('calculator:first-answer')[0]?.startTime, window.__registeredAt]")
        assert answered is not None, "the service worker was registered before the calculator answered"
        assert registered > answered
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120000)
        page.locator(".site-offline-status").wait_for(state="visible", timeout=120000)

        other = ctx.new_page()                              # a page without a calculator
        other.goto(url + "about/")
        other.wait_for_function("() => window.__registeredAt !== undefined", timeout=120000)
        loaded, registered = other.evaluate(
            "() => [performance.getEntriesByType('navigation')[0].loadEventEnd, window.__registeredAt]")
        assert loaded > 0 and registered >= loaded


def switch_off(copy: Path, monkeypatch) -> None:
    """The off switch published, as far as the browser can tell: the pages say data-offline="off" and
    sw.js is stamped by the build's own step with SITE_OFFLINE=0 (hard-linked files replaced, their
    pre-compressed copies dropped)."""
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.unlink()
        page.write_text(text.replace('data-offline="on"', 'data-offline="off"'), encoding="utf-8")
        for stale in page.parent.glob(page.name + ".*"):
            stale.unlink()
    for name in (offline.WORKER_NAME, offline.LIST_NAME):
        target = copy / name
        text = target.read_text(encoding="utf-8")
        target.unlink()
        target.write_text(text, encoding="utf-8")
        for stale in copy.glob(name + ".*"):
            stale.unlink()
    monkeypatch.setenv("SITE_OFFLINE", "0")
    (copy / offline.LIST_NAME).unlink()
    offline.write(copy)


def test_the_off_switch_removes_the_copy_on_the_next_visit(site, ctx, tmp_path, monkeypatch):
    """After a visit saved the site, publishing the off switch (a build with SITE_OFFLINE=0) empties the
    browser's copy and unregisters the worker at the next visit, once that page has settled."""
    copy = linked_copy(site, tmp_path / "site")
    page = ctx.new_page()
    with running("nginx", copy) as url:
        saved_once(page, url)
        assert page.evaluate("async () => (await caches.keys()).length") == 1
        switch_off(copy, monkeypatch)
        page.goto(url + "about/")
        page.wait_for_function("async () => !(await navigator.serviceWorker.getRegistration())"
                               " && (await caches.keys()).length === 0", timeout=120000, polling=500)
        assert page.locator(".site-offline-status").count() == 0
