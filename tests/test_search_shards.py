"""The search index in shards (macros/site/search.py): how pages are packed, and a real build in shards.

One Pagefind run holds its whole index in memory (1.2-1.33 GB for a 2,200-page site), so a large
site is indexed in shards of at most ``PROCEDURES_SEARCH_SHARD_PAGES`` pages (300 unless set),
which the box merges in the browser (docs/javascripts/search.mjs; tests/browser/test_search_shards.py).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sitebuild import mkdocs_build

from macros.site import search


def procedure(area: str, page: str) -> str:
    return f"{area}/{page}/index.html"


# -- packing --------------------------------------------------------------------------------------
def test_a_page_directory_is_never_split_between_two_shards():
    pages = [procedure("a", "one"), procedure("a", "two"), "a/two/print/index.html", "a/two/x/index.html",
             procedure("a", "three")]
    shards = search.pack(pages, 3)
    assert shards == [["a/one/index.html"], ["a/two/index.html", "a/two/print/index.html", "a/two/x/index.html"],
                      ["a/three/index.html"]]


def test_a_page_directory_larger_than_a_shard_is_a_shard_of_its_own():
    pages = ["index.html", *(f"a/big/{i}/index.html" for i in range(5)), procedure("a", "small")]
    assert [len(s) for s in search.pack(pages, 2)] == [1, 5, 1]


def test_one_area_larger_than_a_shard_is_split_between_its_procedures_in_site_order():
    pages = ["index.html", "area/index.html", *(procedure("area", f"p{i:04}") for i in range(2000))]
    shards = search.pack(pages, 300)
    assert len(shards) == 7
    assert all(len(s) <= 300 for s in shards)
    assert [p for s in shards for p in s] == pages


def test_pages_at_the_top_and_one_level_down_are_units_of_their_own():
    assert search.page_unit("index.html") == "index.html"
    assert search.page_unit("peterborough/index.html") == "peterborough/index.html"
    assert search.page_unit("peterborough/referrals/index.html") == "peterborough/referrals"
    assert search.page_unit("peterborough/referrals/print/index.html") == "peterborough/referrals"


def test_a_shard_glob_names_exactly_its_pages_with_glob_characters_escaped():
    assert search._glob(["a/b/index.html", "c{d},e/index.html"]) == r"{a/b/index.html,c\{d\}\,e/index.html}"


def test_the_shard_size_is_300_pages_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.delenv(search.SHARD_PAGES, raising=False)
    assert search.shard_pages() == 300
    monkeypatch.setenv(search.SHARD_PAGES, " 12 ")
    assert search.shard_pages() == 12


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "many"])
def test_a_shard_size_that_is_not_a_whole_number_of_pages_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv(search.SHARD_PAGES, value)
    with pytest.raises(RuntimeError, match=rf"{search.SHARD_PAGES} must be a whole number of pages, 1 or more.*{value}"):
        search.shard_pages()


def test_only_pages_marked_for_pagefind_go_into_shards(tmp_path):
    for rel, body in [("index.html", "<main data-pagefind-body>x</main>"), ("404.html", "<main>x</main>"),
                      ("a/p/index.html", "<article data-pagefind-body>y</article>")]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body)
    pages = search.site_pages(tmp_path)
    assert pages == ["404.html", "a/p/index.html", "index.html"]   # by path, folder by folder
    assert search.indexed_pages(tmp_path, pages) == ["a/p/index.html", "index.html"]


# -- the real site, built ----------------------------------------------------------------------
def shard_dirs(site: Path) -> list[Path]:
    listed = json.loads((site / "pagefind" / search.MANIFEST).read_text(encoding="utf-8"))["shards"]
    return [site / "pagefind", *(site / "pagefind" / s["path"] for s in listed)]


def shard_urls(shard: Path) -> list[str]:
    """The page URLs a shard's index holds (each page's fragment names its URL)."""
    urls = []
    for fragment in (shard / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.append(json.loads(data)["url"])
    return urls


def page_url(rel: str) -> str:
    return "/" + rel.removesuffix("index.html")


@pytest.mark.slow
def test_the_real_site_is_one_index_with_the_default_shard_size(tmp_path, monkeypatch):
    # Its own build: the session's shared site (build/test-site) is served to the browser tests,
    # which may be run before this one, and its index is what this test is about.
    monkeypatch.delenv(search.SHARD_PAGES, raising=False)
    site = tmp_path / "site"
    run = mkdocs_build(site)
    assert run.returncode == 0, f"the build failed:\n{run.stdout}\n{run.stderr}"
    assert len(search.site_pages(site)) <= search.DEFAULT_SHARD_PAGES
    assert shard_dirs(site) == [site / "pagefind"]


@pytest.mark.slow
def test_a_build_with_small_shards_indexes_every_marked_page_in_exactly_one_shard(tmp_path, monkeypatch):
    monkeypatch.setenv(search.SHARD_PAGES, "10")
    site = tmp_path / "site"
    run = mkdocs_build(site)
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    shards = shard_dirs(site)
    assert len(shards) >= 4
    marked = {page_url(rel) for rel in search.site_pages(site)
              if search.BODY in (site / rel).read_bytes()}
    held = [url for shard in shards for url in shard_urls(shard)]
    assert sorted(held) == sorted(marked), "every marked page in exactly one shard, and nothing else"
    for shard in shards:
        entry = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert 1 <= entry["languages"]["en"]["page_count"] <= 10
        assert entry["languages"]["en"]["page_count"] == len(shard_urls(shard))
        assert not (shard / "pagefind-ui.js").exists()
    # The first shard carries Pagefind's runtime (loopback base, no example.com); the others only their index.
    assert "example.com" not in (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    for shard in shards[1:]:
        assert not list(shard.glob("pagefind*.js")) and not list(shard.glob("wasm.*"))
    assert not (site / "search" / "search_index.json").exists()
