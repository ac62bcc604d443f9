"""The built site: strict build, explicit ids, no request to any other host, one source of truth."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from areas import each_area
from areas import rules as load_tree
from sitebuild import REPO, mkdocs_build

pytestmark = pytest.mark.slow

SCHEME_URL = re.compile(r"""https?:(?://|\\/\\/)([a-z0-9.-]+\.[a-z]{2,}|localhost|127\.0\.0\.1)""", re.I)
PROTOCOL_RELATIVE = re.compile(r"""(?:src|href)=["']//([^/"']+)""", re.I)
BARE_HOST = re.compile(r"""(?<![\w.@/-])((?:[a-z0-9-]+\.)+(?:com|net|org|ly|co\.uk|gov\.uk))(?![\w-])""", re.I)
# Host names that may appear in the built files although nothing is fetched from them, and why.
# Every other address in vendored code is rewritten at build time (macros/site/vendored.py) and
# source maps are dropped. The browser tests count every request the pages make and prove that
# none of these is ever contacted.
ALLOWED_HOSTS = {
    "www.w3.org": "XML namespace names (SVG, Atom, sitemap schema): identifiers, never fetched",
    "www.sitemaps.org": "the sitemap's XML namespace name, never fetched",
    "127.0.0.1": "the site itself (site_url)",
    "fontawesome.com": "Font Awesome's licence attribution inside Material's icons (CC BY 4.0 asks for it)",
    "clipboardjs.com": "clipboard.js's licence banner in Material's bundle (MIT)",
    "lunrjs.com": "lunr's licence banner in Material's search worker (MIT)",
    "tartarus.org": "the Porter stemmer's licence banner in Material's search worker",
    "www.gov.uk": "the bank holidays' source, named as plain text in the calculator data, never fetched",
}
# Files that are data for people (a procedure's sources may name a council's web site in words).
PEOPLE_TEXT = (".html", ".xml", ".json", ".txt", ".ics")
# Binary files, not scanned, and why: Python's own code and documentation strings (which cite
# python.org, RFCs and the like) are inside the wasm, the standard library zip and the memory
# snapshot; none of them is ever a request (the browser tests count every request), and rewriting
# CPython's docstrings would change what the sha256 list pins. Fonts, images and Pagefind's
# compressed index chunks are binary too.
BINARY = (".wasm", ".zip", ".bin", ".png", ".ico", ".woff2", ".pagefind", ".pf_meta", ".pf_index", ".pf_fragment")
ID_ATTR = re.compile(r'\sid="([^"]+)"')


def test_no_file_of_the_site_names_another_host(built_site):
    """Every built file, vendored ones included (Material, Pyodide, Pagefind), read as text."""
    found = {}
    for path in sorted(built_site.rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz") or path.suffix in BINARY:   # copies, binaries
            continue
        rel = path.relative_to(built_site).as_posix()
        assert path.suffix != ".map", f"{rel}: source maps are dropped at build (macros/site/vendored.py)"
        text = path.read_bytes().decode("utf-8", "replace")
        hosts = [m.group(1) for m in [*SCHEME_URL.finditer(text), *PROTOCOL_RELATIVE.finditer(text)]]
        if path.suffix not in PEOPLE_TEXT:
            hosts += [m.group(1) for m in BARE_HOST.finditer(text)]
        for host in hosts:
            if host.lower() not in ALLOWED_HOSTS:
                found.setdefault(host.lower(), rel)
    assert not found, f"other hosts named (host: first file): {found}"
    for name in ("unpkg.com", "cdn.jsdelivr.net", "api.github.com"):
        assert name not in found


def test_the_vendored_rewrites_still_find_their_text(built_site):
    """An upgrade of Material or Pyodide that moved the text would leave the host in place: the scan
    above fails then; this says which rewrite to update."""
    from macros.site import vendored
    for pattern, _old, new in vendored.REWRITES:
        files = list(built_site.glob(pattern))
        assert files, f"{pattern}: no such file in the built site (update macros/site/vendored.py)"
        if new:
            assert any(new in f.read_text(encoding="utf-8") for f in files), pattern


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
    from macros.site.forms import CALCULATOR_PAGE, area_fragment
    from macros.state import load_bundle
    href = re.compile(r'href="([^"#:?]*)(#[^"]*)?"')
    missing = []
    # "#area=dudley" on the deadline calculator is its state (the area chosen), not an id.
    calculator = (built_site / CALCULATOR_PAGE / "index.html").resolve()
    states = {area_fragment(area)[1:] for area in load_bundle()["areas"]}
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
            elif dest == calculator and fragment in states:
                continue
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


def test_a_conditional_step_shows_its_condition_and_citation_in_the_no_javascript_timescale_table(built_site):
    """Peterborough's step back to CAF/TAC applies only when the CIN meeting decides to step down (5.8)."""
    page = (built_site / "peterborough" / "timescales" / "index.html").read_text(encoding="utf-8")
    row = next(r for r in page.split("<tr>") if "Step back to CAF/TAC" in r or "step back to CAF/TAC" in r)
    assert "<strong>If the Child in Need meeting decides to step back to CAF/TAC</strong>: only then" in row
    assert 'href="../child-in-need-plans/#pbo-5-8"' in row
