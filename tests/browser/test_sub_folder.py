"""The site served from a sub-folder of another site, as many intranets need, in Chromium.

The site is built with ``SITE_URL=http://127.0.0.1:<port>/procedures/`` (as ``make build
SITE_URL=...`` does) from the real rules with one paragraph renumbered and one page renamed
(both recorded in rules/moved-ids.yaml), copied into ``procedures/`` of another site's root, and
served by Debian's nginx with the config the generator writes for that folder
(``python -m macros.deployment.server_configs --prefix /procedures/``). Then, as a person
would: both calculators answer, search shows results that land in the folder, an old link to
the renumbered paragraph and to the renamed page lands on the new place, the 404 page renders
and its links work, and instant navigation swaps pages in place. Every request of every test,
the calculators' worker and Pyodide included, stays in ``/procedures/`` on this host.
"""
from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitebuild import REPO, mkdocs_build
from test_deploy_servers import NGINX, free_port, get, linked_copy, nginx_config, scratch_dir

from macros.deployment import server_configs

from .conftest import _context
from .deadlineform import ask, wait_answer

FOLDER = "/procedures/"
SHOTS = Path("/tmp/shots/sub-folder")


def moved_rules(target: Path) -> Path:
    """The real rules, with paragraph pbo-3-6 renumbered pbo-3-6x and page peterborough/old-referrals
    renamed peterborough/referrals, both recorded as moves."""
    rules = target / "rules"
    shutil.copytree(REPO / "rules", rules)
    proc = rules / "procedures" / "peterborough" / "referrals.yaml"
    proc.write_text(proc.read_text().replace("- id: pbo-3-6\n", "- id: pbo-3-6x\n"))
    moved = rules / "moved-ids.yaml"
    moved.write_text(moved.read_text().replace("\n[]\n", (
        "\n- {id: pbo-3-6, moved_to: pbo-3-6x, date: 2027-01-15, reason: Renumbered in a new edition.}\n"
        "- {id: peterborough/old-referrals, moved_to: peterborough/referrals, date: 2027-01-15,"
        " reason: Page renamed.}\n")))
    return rules


@pytest.fixture(scope="module")
def folder_url(tmp_path_factory):
    """The site, built for and served from http://127.0.0.1:<port>/procedures/ by nginx."""
    if not Path(NGINX).exists():
        pytest.fail("Debian's nginx is needed: run `make setup` (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("sub-folder")
    port = free_port()
    url = f"http://127.0.0.1:{port}{FOLDER}"
    run = mkdocs_build(tmp / "site", moved_rules(tmp), site_url=url)
    assert run.returncode == 0, f"the build for {url} failed:\n{run.stdout}\n{run.stderr}"
    with scratch_dir("nginx-sub-") as scratch:
        www = scratch / "www"
        www.mkdir()
        www.chmod(0o755)
        linked_copy(tmp / "site", www / FOLDER.strip("/"))
        conf_dir = scratch / "conf"
        assert server_configs.main(["--prefix", FOLDER, "--out", str(conf_dir)]) == 0
        wrapper = nginx_config(www, scratch, port).replace(str(REPO / "deploy" / "nginx.conf"),
                                                           str(conf_dir / "nginx.conf"))
        conf = scratch / "nginx.conf"
        conf.write_text(wrapper)
        cmd = [NGINX, "-p", str(scratch), "-e", str(scratch / "error.log"), "-c", str(conf)]
        check = subprocess.run(cmd + ["-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, f"nginx rejects the sub-folder config:\n{check.stderr}"
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while True:
                with suppress(OSError), urllib.request.urlopen(url, timeout=2):
                    break
                assert proc.poll() is None and time.monotonic() < deadline, (scratch / "error.log").read_text()
                time.sleep(0.05)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def visitor(browser, recorder, folder_url):
    """A browser context whose every request (pages, workers, Pyodide) must stay in the folder."""
    ctx = _context(browser, recorder)
    page = ctx.new_page()
    yield page
    ctx.close()
    outside = [u for u in recorder.urls if not u.startswith(("data:", "blob:")) and not u.startswith(folder_url)]
    assert not outside, f"requests left {folder_url}: {outside[:10]}"
    assert not recorder.errors, f"uncaught errors in the page: {recorder.errors}"
    assert not recorder.csp, f"the Content-Security-Policy blocked something: {recorder.csp}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_build_names_the_folder_in_its_canonical_links_sitemap_and_feed(folder_url):
    home = get(folder_url, gzip_ok=False)
    assert f'<link rel="canonical" href="{folder_url}">' in home.body.decode()
    sitemap = get(folder_url + "sitemap.xml", gzip_ok=False).body.decode()
    assert f"<loc>{folder_url}national/</loc>" in sitemap and "127.0.0.1:8000" not in sitemap
    feed = get(folder_url + "feed.xml", gzip_ok=False).body.decode()
    assert f'href="{folder_url}feed.xml"' in feed and "127.0.0.1:8000" not in feed


def test_both_calculators_answer_from_the_folder(visitor, folder_url):
    page = visitor
    page.goto(folder_url + "calculators/deadlines/")
    page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    ask(page, "dudley", "referral", 23, 12, 2026)
    wait_answer(page, "2026-12-23")
    assert "Dudley" in page.locator("#dl-results").inner_text()
    shot(page, "deadline-answer-1280")
    page.goto(folder_url + "coventry/threshold-checker/")
    page.check("#tc-cov-l2-health-low-level-self")
    page.click("#tc-check")
    page.wait_for_selector("#tc-result:not([hidden])[data-pathway]", timeout=60000)
    text = page.locator("#tc-result").inner_text()
    assert "Level of need" in text
    shot(page, "threshold-answer-1280")
    # The answer's citations are links into the folder.
    for href in page.eval_on_selector_all("#tc-result a.calc-cite", "els => els.map(a => a.href)"):
        assert href.startswith(folder_url), href


def test_search_finds_results_that_land_in_the_folder(visitor, folder_url):
    page = visitor
    page.goto(folder_url + "national/")
    page.keyboard.press("/")
    page.locator("#site-search-input").press_sequentially("strategy discussion", delay=5)
    page.wait_for_function("() => document.getElementById('site-search-results').dataset.query === 'strategy discussion'",
                           timeout=30000)
    links = page.locator("#site-search-results > li > a")
    assert links.count() >= 3
    first = links.first.evaluate("a => a.href")
    assert first.startswith(folder_url), first
    shot(page, "search-results-1280")
    links.first.click()
    page.wait_for_url(first.split("#")[0] + "**")
    assert page.locator("article h1").count() == 1


def test_an_old_link_to_a_renumbered_paragraph_lands_on_its_new_place(visitor, folder_url):
    page = visitor
    page.goto(folder_url + "peterborough/referrals/#pbo-3-6")
    page.wait_for_url("**/procedures/peterborough/referrals/#pbo-3-6x", timeout=15000)
    assert page.locator("#pbo-3-6x").is_visible()


def test_an_old_page_address_lands_on_the_renamed_page_with_its_paragraph(visitor, folder_url):
    page = visitor
    page.goto(folder_url + "peterborough/old-referrals/#pbo-3-5")
    page.wait_for_url(folder_url + "peterborough/referrals/#pbo-3-5", timeout=15000)
    assert page.locator("#pbo-3-5").is_visible()


def test_the_404_page_renders_with_its_style_and_working_links(visitor, folder_url):
    page = visitor
    response = page.goto(folder_url + "no/such/page/")
    assert response.status == 404
    assert "not found" in page.locator("article").inner_text().lower()
    # Styled: the site's stylesheet reached this page three folders down.
    assert page.evaluate("() => [...document.styleSheets].some(s => (s.href || '').endsWith('stylesheets/site.css'))")
    shot(page, "not-found-1280")
    link = page.locator("nav.md-nav--primary a.md-nav__link[href$='/coventry/']").first
    assert urlsplit(link.evaluate("a => a.href")).path == FOLDER + "coventry/"
    link.click()
    page.wait_for_url(folder_url + "coventry/")
    page.wait_for_function("() => /Coventry/.test(document.querySelector('article h1').innerText)", timeout=15000)
    shot(page, "not-found-link-followed-1280")


def test_instant_navigation_swaps_pages_in_the_folder(visitor, folder_url):
    page = visitor
    page.goto(folder_url + "national/")
    page.evaluate("window.__samePage = true")
    page.locator("nav.md-nav--primary a.md-nav__link[href$='/calculators/deadlines/']").first.click()
    page.wait_for_url(folder_url + "calculators/deadlines/")
    page.wait_for_selector('#dl-status[data-state="ready"]', timeout=60000)
    assert page.evaluate("window.__samePage === true"), "a full page load: the sitemap did not name this address"
