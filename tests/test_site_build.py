"""The built site: strict build, explicit ids, no request to any other host, one source of truth."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from areas import each_area
from areas import rules as load_tree
from sitebuild import REPO, mkdocs_build

pytestmark = pytest.mark.slow

SCHEME_URL = re.compile(r"""https?://([a-z0-9.-]+\.[a-z]{2,}|localhost|127\.0\.0\.1)""", re.I)
PROTOCOL_RELATIVE = re.compile(r"""(?:src|href)=["']//([^/"']+)""", re.I)
# Host names that may appear in the built files although nothing is fetched from them, and why.
# (Comments, such as licence headers, are removed before the search.) The browser tests count
# every request the pages make and prove that none of these is ever contacted.
ALLOWED_HOSTS = {
    "www.w3.org": "XML namespace names in inline SVG icons and in scripts (identifiers, never fetched)",
    "127.0.0.1": "the site itself (site_url)",
    "unpkg.com": "Material's loaders for Mermaid diagrams (the site has none: see the test below) and for a "
                 "ResizeObserver polyfill (only for browsers without ResizeObserver, which all supported ones have)",
    "api.github.com": "Material's repository statistics, only used with repo_url, which the site does not set",
    "bit.ly": "text of a console warning in Material's search worker, never fetched",
    "fontawesome.com": "licence comment inside Material's inline SVG icons (data: URIs), never fetched",
    "www.gov.uk": "the bank holidays' source, named as plain text in the calculator data, never fetched",
}
ID_ATTR = re.compile(r'\sid="([^"]+)"')


def site_files(site: Path, suffixes=(".html", ".css", ".js", ".mjs", ".json")):
    for path in site.rglob("*"):
        if path.suffix in suffixes and "assets/pyodide" not in path.as_posix():
            yield path


def test_the_site_references_no_other_host(built_site):
    found = {}
    for path in site_files(built_site):
        text = path.read_text(errors="replace")
        if path.suffix in (".js", ".mjs", ".css"):
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for m in [*SCHEME_URL.finditer(text), *PROTOCOL_RELATIVE.finditer(text)]:
            host = m.group(1).lower()
            if host not in ALLOWED_HOSTS:
                found.setdefault(host, path.relative_to(built_site).as_posix())
    assert not found, f"references to other hosts (host: first file): {found}"


def test_no_page_needs_the_diagram_library_that_would_come_from_a_cdn(built_site):
    assert not any('class="mermaid"' in p.read_text() for p in built_site.rglob("*.html"))
    assert "mermaid" not in (REPO / "mkdocs.yml").read_text()


@each_area
def test_every_section_and_paragraph_id_is_on_its_page_exactly_once(built_site, area):
    rules = load_tree()
    pages = {}
    for anchor in (a for a in rules.anchors.values() if a.area == area):
        page = built_site / anchor.area / anchor.page / "index.html"
        if page not in pages:
            pages[page] = Counter(ID_ATTR.findall(page.read_text()))
        assert pages[page][anchor.id] == 1, f"{anchor.id} appears {pages[page][anchor.id]} times in {page}"


def test_no_page_has_two_elements_with_the_same_id(built_site):
    for path in built_site.rglob("*.html"):
        counts = Counter(ID_ATTR.findall(path.read_text()))
        twice = {i: n for i, n in counts.items() if n > 1}
        assert not twice, f"{path.relative_to(built_site)} repeats ids: {twice}"


def test_every_relative_link_in_the_site_resolves(built_site):
    """Raw HTML links are not checked by MkDocs, so check every href in the output."""
    href = re.compile(r'href="([^"#:?]*)(#[^"]*)?"')
    missing = []
    for path in built_site.rglob("*.html"):
        html = path.read_text()
        for m in href.finditer(html):
            target, fragment = m.group(1), (m.group(2) or "")[1:]
            if not target and not fragment:
                continue
            if target.startswith("/"):  # the 404 page links from the site root
                dest = (built_site / target.lstrip("/")).resolve()
            else:
                dest = (path.parent / target).resolve() if target else path
            if dest.is_dir():
                dest = dest / "index.html"
            if not dest.exists():
                missing.append(f"{path.relative_to(built_site)} -> {m.group(0)}")
            elif fragment and dest.suffix == ".html" and f'id="{fragment}"' not in dest.read_text():
                missing.append(f"{path.relative_to(built_site)} -> {m.group(0)} (no such id)")
    assert not missing, "\n".join(missing[:20])


def test_changing_one_timescale_changes_every_page_that_shows_it(fixture_rules, tmp_path):
    ts = fixture_rules / "timescales" / "national.yaml"
    ts.write_text(ts.read_text().replace("    amount: 15\n", "    amount: 16\n"))
    site = tmp_path / "site"
    run = mkdocs_build(site, fixture_rules)
    assert run.returncode == 0, run.stderr
    pages = {p: (site / p / "index.html").read_text() for p in
             ["national/managing-cases", "national/timescales", "compare", "calculators/deadlines", "dudley/timescales"]}
    for name, html in pages.items():
        assert "16 working days" in html, f"{name} does not show the new value"
        assert "15 working days" not in html, f"{name} still shows the old value"


def test_a_broken_rule_file_stops_the_build_with_its_message_and_no_traceback(fixture_rules, tmp_path):
    ts = fixture_rules / "timescales" / "national.yaml"
    ts.write_text(ts.read_text().replace("unit: working_days", "unit: workdays", 1))
    run = mkdocs_build(tmp_path / "site", fixture_rules)
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "timescales[0].unit: 'workdays' is not one of working_days, days, weeks, months, hours" in out
    assert "Traceback" not in out


def test_the_glossary_page_lists_every_term_of_every_area(built_site):
    rules = load_tree()
    html = (built_site / "glossary" / "index.html").read_text()
    terms = [(area, t) for area, ts in rules.glossary.items() for t in ts]
    assert len(terms) > 50
    for area, t in terms:
        assert f'id="term-{area}-{t["id"]}"' in html, f"{area} term {t['term']} is not on the glossary page"
