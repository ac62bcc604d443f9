"""The search box on a site indexed in shards (macros/site/search.py, PROCEDURES_SEARCH_SHARD_PAGES):
the box merges every shard (docs/javascripts/search.mjs), so a section indexed in a later shard
is found as it is on the one-index site, and every request stays on 127.0.0.1.
(Packing and a build in many shards: tests/test_search_shards.py.)"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from macros.site import search
from tests.browser.searchbox import area_names, open_box, read_results, score
from tests.browser.test_search import PARAGRAPH_HITS_MEASURED
from tests.sitebuild import mkdocs_build
from tests.test_search_shards import shard_dirs, shard_urls

REPO = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((REPO / "tests" / "cases" / "search_queries.yaml").read_text(encoding="utf-8"))["queries"]
# Two shards of about half the site each (53 indexed pages). Pagefind scores a page against its
# own shard's word counts, so very small shards rank worse: measured 52/62 top-3 with shards of
# 10 pages, 58/62 with 30 (two shards), 58/62 with the one index (the real site's default).
SHARD_SIZE = "30"


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("sharded") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(search.SHARD_PAGES, SHARD_SIZE)
        run = mkdocs_build(site)
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    assert len(shard_dirs(site)) >= 2
    return site


@pytest.fixture(scope="module")
def sharded_url(sharded_site):
    from macros.deployment.serve import make_server
    server = make_server(sharded_site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def shard_of(site: Path) -> dict[str, int]:
    """Page URL -> the number of the shard that indexes it (0: site/pagefind/ itself)."""
    return {url: n for n, shard in enumerate(shard_dirs(site)) for url in shard_urls(shard)}


def test_a_section_indexed_in_a_later_shard_is_found_in_the_top_three_under_the_sites_csp(
        sharded_site, sharded_url, make_context, recorder):
    where = shard_of(sharded_site)
    assert where["/peterborough/referrals/"] > 0, "the test needs the LADO section outside the first shard"
    failed: list[str] = []
    page = make_context().new_page()
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto(sharded_url)
    open_box(page)
    results = read_results(page, "LADO")
    # The LADO section, or a paragraph of it (a result lands on the paragraph that matched).
    assert "pbo-allegations-against-staff" in [r["section"] for r in results] + [r["id"] for r in results], results
    assert results[0]["href"].startswith("/"), "a later shard's results link to the site's own URLs"
    asked = {u.split("/pagefind/", 1)[1].split("/", 1)[0] for u in recorder.urls if "/pagefind/shard-" in u}
    assert len(asked) == len(shard_dirs(sharded_site)) - 1, "every further shard is merged"
    assert not failed, failed
    assert not recorder.errors and not recorder.csp, (recorder.errors, recorder.csp)
    assert recorder.hosts() <= {"127.0.0.1"}


def test_the_practitioner_queries_rank_as_well_across_shards(sharded_site, sharded_url, make_context):
    area_names(REPO)
    where = shard_of(sharded_site)
    page = make_context().new_page()
    page.goto(sharded_url)
    open_box(page)
    results = [(case, read_results(page, case["query"])) for case in CASES]
    # Scored as the single index is (tests/browser/test_search.py): the section queries at 90%, the
    # paragraph queries (the exact paragraph or contact) at least as often as measured there.
    measured = score([(c, r) for c, r in results if c["kind"] != "paragraph"])
    paragraphs = score([(c, r) for c, r in results if c["kind"] == "paragraph"])
    print(f"\nsharded search top-3: {measured['hits']}/{measured['queries']} = {measured['score']:.0%}, "
          f"paragraphs {paragraphs['hits']}/{paragraphs['queries']}, over {len(set(where.values()))} shards")
    assert measured["score"] >= 0.9, "missed:\n" + "\n".join(f"  {q!r}: got {got}" for q, got in measured["failed"])
    assert paragraphs["hits"] >= PARAGRAPH_HITS_MEASURED, "missed:\n" + "\n".join(
        f"  {q!r}: got {got}" for q, got in paragraphs["failed"])
    assert measured["unnamed"] == 0 and paragraphs["unnamed"] == 0
