"""What a build says it is (site/build-info.json, every page's footer) and the atomic `make build`."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import REPO

from macros.deployment import build_info

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
FOOTER = re.compile(r'<p class="site-build-info"[^>]*>(.*?)</p>', re.S)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


# -- the rules version ------------------------------------------------------------------------
def tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_the_rules_version_is_a_sha256_over_sorted_paths_and_bytes(tmp_path):
    a = tree(tmp_path / "a", {"areas.yaml": b"x: 1\n", "timescales/national.yaml": b"t: 2\n"})
    b = tree(tmp_path / "b", {"timescales/national.yaml": b"t: 2\n", "areas.yaml": b"x: 1\n"})  # other order
    assert re.fullmatch(r"[0-9a-f]{64}", build_info.rules_version(a))
    assert build_info.rules_version(a) == build_info.rules_version(b)


@pytest.mark.parametrize("change", ["a byte", "a file name", "a new file", "bytes moved between files"])
def test_any_change_to_the_rules_changes_the_rules_version(tmp_path, change):
    files = {"areas.yaml": b"x: 1\n", "timescales/national.yaml": b"t: 2\n"}
    before = build_info.rules_version(tree(tmp_path / "before", files))
    if change == "a byte":
        files["areas.yaml"] = b"x: 2\n"
    elif change == "a file name":
        files["timescales/england.yaml"] = files.pop("timescales/national.yaml")
    elif change == "a new file":
        files["glossary/terms.yaml"] = b""
    else:
        files = {"areas.yaml": b"x: 1\nt", "timescales/national.yaml": b": 2\n"}
    assert build_info.rules_version(tree(tmp_path / "after", files)) != before


def test_the_rules_version_follows_procedures_rules_dir(tmp_path, monkeypatch):
    other = tree(tmp_path / "rules", {"areas.yaml": b"x: 1\n"})
    monkeypatch.setenv("PROCEDURES_RULES_DIR", str(other))
    assert build_info.compute()["rules_version"] == build_info.rules_version(other)


# -- the commit and the time ------------------------------------------------------------------
def test_the_commit_is_the_checkout_s_head():
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert build_info.git_commit() == head.stdout.strip()


def test_outside_a_git_checkout_the_commit_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert build_info.git_commit(tmp_path) == "unknown"
    monkeypatch.setenv("PATH", str(tmp_path))  # no git at all
    assert build_info.git_commit(REPO) == "unknown"


def test_source_date_epoch_fixes_the_build_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    info = build_info.compute()
    assert info["built_at"] == "2026-01-01T00:00:00Z"
    assert info["built_on"] == "1 January 2026"
    assert build_info.compute() == info
    assert build_info.footer_text(info) == f"Built on 1 January 2026 from rules version {info['rules_version'][:8]}"


def test_the_build_time_is_utc_now_without_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    built_at = build_info.compute()["built_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", built_at)


def test_a_source_date_epoch_that_is_not_a_number_stops_the_build(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(SystemExit, match="SOURCE_DATE_EPOCH"):
        build_info.compute()


# -- the built site ---------------------------------------------------------------------------
@pytest.mark.slow
def test_the_site_records_its_build_and_every_page_says_it(built_site):
    info = json.loads((built_site / "build-info.json").read_text(encoding="utf-8"))
    assert set(info) == {"built_at", "built_on", "git_commit", "rules_version", "rules_version_short"}
    assert info["rules_version"] == build_info.rules_version(REPO / "rules")
    assert info["git_commit"] == build_info.git_commit()
    expected = build_info.footer_text(info)
    assert not (built_site / "overrides").exists(), "the theme's templates are not published (exclude_docs)"
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20 and built_site / "404.html" in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = FOOTER.findall(html)
        assert [text(f) for f in found] == [expected], f"{page.relative_to(built_site)}: footer {found}"
        assert "Made with" not in html and "squidfunk" not in html      # extra.generator: false


# -- the atomic build -------------------------------------------------------------------------
def make_build(site: Path, *args: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    return subprocess.run(["make", "--no-print-directory", "build", f"SITE={site}", f"PY={sys.executable}", *args],
                          cwd=REPO, env=dict(environ, **env), capture_output=True, text=True, timeout=600)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site_and_prints_the_report(tmp_path, fixture_rules):
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the previous build")
    areas = fixture_rules / "areas.yaml"
    areas.write_text(areas.read_text().replace("prefix: wt\n", "prefix: 12\n", 1))
    run = make_build(site, PROCEDURES_RULES_DIR=str(fixture_rules))
    assert run.returncode != 0
    report = run.stdout + run.stderr
    assert "areas.yaml:5 areas[0].prefix: 12 should be string" in report, report
    assert f"The build failed: {site} was left as it was." in report
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "the previous build"
    assert leftovers(site.parent) == []


@pytest.mark.slow
def test_a_good_build_replaces_the_site_whole_and_is_reproducible(tmp_path, fixture_rules):
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "stale.html").write_text("from an older build")
    env = {"PROCEDURES_RULES_DIR": str(fixture_rules), "SOURCE_DATE_EPOCH": EPOCH}
    first = make_build(site, **env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "site/ is ready. Built on 1 January 2026 from rules version" in first.stdout
    # Without SITE_URL the build says that its links are this machine's, and how to set them.
    assert "Its links are local (http://127.0.0.1:8000/)" in first.stdout
    assert "make build SITE_URL=https://your-intranet-host/folder/" in first.stdout
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    assert leftovers(site.parent) == []
    snapshot = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = make_build(site, **env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == snapshot
    info = json.loads((site / "build-info.json").read_text())
    assert info["built_at"] == "2026-01-01T00:00:00Z"
    assert info["rules_version"] == build_info.rules_version(fixture_rules)


# -- the site's own address (SITE_URL) ---------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("https://intranet.example/procedures/", "https://intranet.example/procedures/"),
    ("https://intranet.example/procedures", "https://intranet.example/procedures/"),
    ("http://10.1.2.3:8080/", "http://10.1.2.3:8080/"),
    ("  https://procedures.intranet.example  ", "https://procedures.intranet.example/"),
    ("", None), (None, None),
])
def test_site_url_is_an_address_ending_in_a_slash_or_none_for_a_local_build(value, expected):
    assert build_info.site_url(value) == expected


@pytest.mark.parametrize("value", ["/procedures/", "intranet.example/procedures/", "ftp://intranet.example/",
                                   "https://intranet.example/?page=1", "https://intranet.example/#top",
                                   "https://intranet example/"])
def test_a_site_url_that_is_not_an_address_is_refused_with_an_example(value):
    with pytest.raises(ValueError, match=r"SITE_URL must be the address the site is served from, such as "
                                         r"https://intranet.example/procedures/"):
        build_info.site_url(value)


def test_a_bad_site_url_stops_make_build_before_building_and_leaves_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous build")
    run = make_build(site, "SITE_URL=intranet.example/procedures/")
    assert run.returncode != 0
    assert "SITE_URL must be the address the site is served from" in run.stderr
    assert f"The build failed: {site} was left as it was." in run.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"] and leftovers(tmp_path) == []


@pytest.mark.slow
def test_make_build_with_site_url_names_that_address_everywhere_a_full_address_is_needed(tmp_path, fixture_rules):
    site = tmp_path / "site"
    run = make_build(site, "SITE_URL=https://intranet.example/procedures", PROCEDURES_RULES_DIR=str(fixture_rules))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "It is built for https://intranet.example/procedures/." in run.stdout
    assert "links are local" not in run.stdout
    assert '<link rel="canonical" href="https://intranet.example/procedures/">' in (site / "index.html").read_text()
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://intranet.example/procedures/</loc>" in sitemap
    feed = (site / "feed.xml").read_text()
    assert 'href="https://intranet.example/procedures/feed.xml"' in feed
    local = re.compile(r'(href|src|content)="https?://127\.0\.0\.1|<loc>https?://127\.0\.0\.1|<id>https?://127\.0\.0\.1')
    for f in site.rglob("*"):
        if f.suffix in (".html", ".xml", ".json"):
            assert not local.search(f.read_text(encoding="utf-8")), f"{f.relative_to(site)} links to this machine"
