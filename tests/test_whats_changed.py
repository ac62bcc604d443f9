"""What's changed: every procedure page shows its review dates and amendments, the site-wide page
lists them newest first, the Atom feed is valid and every entry lands on a page and an id, and a
review date that has passed is a visible warning of the build (never a failure)."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from areas import each_area
from areas import rules as load_tree
from sitebuild import LOCAL_SITE_URL, REPO, mkdocs_build

from macros.rules import load_rules

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = LOCAL_SITE_URL


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_the_feed_is_atom_1_0_with_every_required_element(built_site):
    root = ET.parse(built_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"the feed has no <{name}>"
    assert root.find(f"{ATOM}author/{ATOM}name").text.strip()
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) >= len([p for ps in load_rules().procedures.values() for p in ps])
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    assert stamp.match(root.findtext(f"{ATOM}updated"))
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    for e in entries:
        for name in ("id", "title", "updated"):
            assert (e.findtext(f"{ATOM}{name}") or "").strip(), f"an entry has no <{name}>"
        assert stamp.match(e.findtext(f"{ATOM}updated"))
        assert e.find(f"{ATOM}link").get("href").startswith(SITE_URL)
    assert max(e.findtext(f"{ATOM}updated") for e in entries) == root.findtext(f"{ATOM}updated")


def test_every_feed_entry_links_to_a_page_and_an_id_of_the_built_site(built_site):
    root = ET.parse(built_site / "feed.xml").getroot()
    for e in root.findall(f"{ATOM}entry"):
        for href in (e.find(f"{ATOM}link").get("href"), e.findtext(f"{ATOM}id")):
            url = urlsplit(href.removeprefix(SITE_URL.rstrip("/")))
            page = built_site / url.path.strip("/") / "index.html"
            assert page.is_file(), f"{href}: no page {page}"
            assert url.fragment and url.fragment in _ids(page), f"{href}: no id '{url.fragment}' on the page"


def test_every_page_announces_the_feed_in_its_head(built_site):
    for page in [built_site / "index.html", built_site / "dudley" / "referrals-and-assessment" / "index.html"]:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*feed\.xml"', head)


@each_area
def test_each_procedure_page_shows_its_review_dates_and_amendments_and_never_invents_a_review(built_site, area):
    rules = load_tree()
    for proc in rules.procedures.get(area, []):
        html = (built_site / area / proc["id"] / "index.html").read_text(encoding="utf-8")
        box = html.split('id="page-changes"', 1)[1].split("About the source document")[0]
        assert "Last reviewed" in box and "Next review" in box
        if not proc.get("reviewed"):
            assert "<dd>not recorded</dd>" in box and "<dd>not set</dd>" in box
        for entry in proc["amendments"]:
            assert f'<time datetime="{entry["date"]}">' in box
        d = rules.documents[proc["document"]]
        if d.get("date"):
            assert f'<time datetime="{d["date"]}">' in box, "the source document's own date starts the log"


def test_the_first_publication_is_dated_by_the_commit_that_added_the_file():
    rules = load_rules()
    for area, procs in rules.procedures.items():
        for proc in procs:
            rel = f"rules/procedures/{area}/{proc['id']}.yaml"
            added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%as", "--", rel], cwd=REPO,
                                   capture_output=True, text=True).stdout.split()
            first = proc["amendments"][0]
            assert first["kind"] == "first-published"
            if added:                      # a shallow clone may not hold the commit
                assert first["date"] == added[-1], rel


def test_the_whats_changed_page_lists_every_entry_newest_first_and_links_the_feed(built_site):
    html = (built_site / "whats-changed" / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<li id="[^"]+"><time datetime="([0-9-]+)">', html)
    assert dates and dates == sorted(dates, key=lambda d: d if len(d) == 10 else d + "-01", reverse=True)
    assert '<time datetime="2015-03">March 2015</time>' in html      # Working Together 2015, its own date
    assert 'href="../feed.xml"' in html
    for href in re.findall(r'<li id="[^"]+"><time[^>]*>[^<]*</time>:\s*<a href="\.\./([^"]+)"', html):
        path, _, fragment = href.partition("#")
        assert fragment in _ids(built_site / path / "index.html"), href
    nav = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="whats-changed/"' in nav


def test_a_review_date_that_has_passed_is_a_warning_of_the_build_and_of_procedures_check(fixture_rules, tmp_path):
    proc = fixture_rules / "procedures" / "dudley" / "referrals.yaml"
    proc.write_text(proc.read_text().replace(
        "order: 1\n", "order: 1\nreviewed: {last: 2024-01-10, next: 2025-01-10, by: Procedures group}\n", 1))
    run = mkdocs_build(tmp_path / "site", fixture_rules)
    assert run.returncode == 0, run.stderr
    expected = "WARNING -  rules/procedures/dudley/referrals.yaml: the next review of Dudley: Referrals was due on 2025-01-10"
    assert expected in run.stderr
    page = (tmp_path / "site" / "dudley" / "referrals" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-01-10">10 January 2025</time>' in page and "by Procedures group" in page
    check = subprocess.run([sys.executable, "-m", "cli.check", str(fixture_rules)], cwd=REPO,
                           capture_output=True, text=True)
    assert check.returncode == 0 and "the next review of Dudley: Referrals was due on 2025-01-10" in check.stdout
