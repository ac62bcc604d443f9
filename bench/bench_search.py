"""Search benchmark: Material's lunr against Pagefind, on the real site and on a large one.

    python bench/bench_search.py [--procedures 2000] [--skip-scale] [--skip-score] [--runs 3]

1. **Score** on the real site (rules/): the practitioner query set
   (tests/cases/search_queries.yaml) typed into the real search box in Chromium; top-3 hits,
   page rows among the top-3 results, results that do not name their area.
2. **Scale**: a temporary rules tree where one real Peterborough procedure file is copied
   into N renamed procedures (every id prefixed, so ids stay unique: one area of N
   procedures), built to a temporary directory once per engine (``SEARCH_ENGINE=lunr|pagefind``).
   The Pagefind site is measured twice: with the index in shards as the build writes it
   (at most ``PROCEDURES_SEARCH_SHARD_PAGES``, default 300, pages a shard; macros/site/search.py)
   and re-indexed as one index (the shard size set above the page count), for comparison.
   For each: bytes the browser transfers, gzip-compressed as an intranet server would send
   them, from opening the box to the first result (the search's own files: index, worker,
   wasm, chunks, fragments, the shard list), and the time from the query entering the box
   (pasted: one input event) to the first result shown; median of ``--runs`` fresh browser
   contexts (cold cache). For the Pagefind rows also the indexing alone
   (``write_search_index`` in a fresh process): wall seconds, CPU seconds (Pagefind's
   runs included) and peak RSS of the largest process (Pagefind's run of the largest shard).

Prints a table with the machine's details and its load average. Not a test: it only measures.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM  # noqa: E402  (one launch recipe for tests and benches)
from tests.browser.conftest import CHROMIUM_ARGS as ARGS  # noqa: E402
from tests.browser.searchbox import area_names, open_box, read_results, score  # noqa: E402
from tests.sitebuild import mkdocs_build  # noqa: E402

SOURCE = "peterborough/referrals.yaml"
SCALE_QUERY = "unborn baby"
SEARCH_FILES = re.compile(r"/(pagefind/|search/search_index\.json|assets/javascripts/workers/search|"
                          r"assets/javascripts/lunr|javascripts/search\.mjs)")


def big_rules(dest: Path, n: int) -> Path:
    """rules/ with the Peterborough referrals procedure copied into ``n`` renamed procedures."""
    rules = dest / "rules"
    shutil.copytree(REPO / "rules", rules, ignore=shutil.ignore_patterns("sources"))
    (rules / "sources").symlink_to(REPO / "rules" / "sources")
    text = (REPO / "rules" / "procedures" / SOURCE).read_text(encoding="utf-8")
    for i in range(1, n):
        copy = re.sub(r"^(\s*(?:- )?id: )pbo-", lambda m, i=i: f"{m.group(1)}pbo-c{i}-", text, flags=re.M)
        copy = re.sub(r"^id: referrals$", f"id: referrals-c{i}", copy, count=1, flags=re.M)
        copy = re.sub(r"^title: (.*)$", lambda m, i=i: f"title: {m.group(1)} (copy {i})", copy, count=1, flags=re.M)
        copy = re.sub(r"^order: \d+", f"order: {100 + i}", copy, count=1, flags=re.M)
        (rules / "procedures" / "peterborough" / f"referrals-c{i}.yaml").write_text(copy, encoding="utf-8")
    return rules


def serve(site: Path):
    from macros.deployment.serve import make_server
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_result(browser, base: str, site: Path, query: str) -> dict:
    """Cold context: open the box, type ``query``; bytes (gzip) of the search's files and ms to the first result."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    urls: list[str] = []
    ctx.on("request", lambda r: urls.append(r.url))
    page = ctx.new_page()
    page.goto(base, wait_until="load")
    page.wait_for_timeout(300)
    before = len(urls)
    open_box(page)
    t0 = time.perf_counter()
    results = read_results(page, query, n=1, timeout_ms=300_000, typed=False)
    ms = (time.perf_counter() - t0) * 1000
    searched = [u for u in urls if SEARCH_FILES.search(u)]
    raw = packed = 0
    for u in set(searched):
        path = site / u.split("/", 3)[3].split("?")[0].split("#")[0]
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(data) if path.suffix in (".pf_index", ".pf_fragment", ".pf_meta") else len(gzip.compress(data, 6))
    ctx.close()
    return {"ms": ms, "bytes_gz": packed, "bytes_raw": raw, "requests": len(set(searched)),
            "after_open": len(urls) - before, "found": bool(results)}


def measure_score(browser, site: Path) -> dict:
    cases = yaml.safe_load((REPO / "tests/cases/search_queries.yaml").read_text(encoding="utf-8"))["queries"]
    server, base = serve(site)
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(base)
        open_box(page)
        result = score([(c, read_results(page, c["query"])) for c in cases])
        ctx.close()
    finally:
        server.shutdown()
    return result


def index_size(site: Path) -> tuple[int, int]:
    lunr = site / "search" / "search_index.json"
    pf = site / "pagefind"
    lunr_b = lunr.stat().st_size if lunr.exists() else 0
    pf_b = sum(p.stat().st_size for p in pf.rglob("*") if p.is_file()) if pf.exists() else 0
    return lunr_b, pf_b


# The indexing alone, in a fresh process: its own peak and its children's (Pagefind's runs).
INDEX = """
import json, resource, sys, time
from pathlib import Path
from macros.site import search
wall = time.perf_counter()
search.write_search_index(Path(sys.argv[1]), Path(sys.argv[2]))
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"s": time.perf_counter() - wall, "peak_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}))
"""


def reindex(site: Path, shard_pages: int | None) -> dict:
    """Pagefind's index of ``site`` written again, in shards (``None``: the default size) or not."""
    from macros.site.search import MANIFEST, SHARD_PAGES
    env = {k: v for k, v in os.environ.items() if k != SHARD_PAGES}
    if shard_pages:
        env[SHARD_PAGES] = str(shard_pages)
    run = subprocess.run([sys.executable, "-c", INDEX, str(site), str(REPO)], cwd=REPO, env=env,
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"indexing failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    info = json.loads(run.stdout.strip().splitlines()[-1])
    info["shards"] = 1 + len(json.loads((site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))["shards"])
    return info


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build(dest: Path, engine: str, rules: Path | None) -> float:
    os.environ["SEARCH_ENGINE"] = engine
    t0 = time.perf_counter()
    run = mkdocs_build(dest, rules)
    if run.returncode:
        sys.exit(f"build ({engine}) failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procedures", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-score", action="store_true")
    ap.add_argument("--engines", nargs="+", default=["lunr", "pagefind"], choices=["lunr", "pagefind"],
                    help="the engines to measure (lunr's 2,000-procedure build alone takes minutes)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    area_names(REPO)
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"os.cpu_count()={os.cpu_count()}, Python {platform.python_version()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        tmp = Path(tmp)
        if not args.skip_score:
            for engine in args.engines:
                site = tmp / f"real-{engine}"
                build(site, engine, None)
                s = measure_score(browser, site)
                print(f"score {engine}: {s['hits']}/{s['queries']} = {s['score']:.0%} top-3; page rows "
                      f"{s['page_rows']}/{s['results']}; results not naming their area {s['unnamed']}", flush=True)
                for q, got in s["failed"]:
                    print(f"    missed {q!r}: {got}")
                shutil.rmtree(site)
        if not args.skip_scale:
            rules = big_rules(tmp, args.procedures)
            for engine in args.engines:
                site = tmp / f"big-{engine}"
                secs = build(site, engine, rules)
                # Pagefind: in shards as built (the indexing measured again on its own), then one index.
                variants = [("lunr", None)] if engine == "lunr" else [("pagefind, shards", 0), ("pagefind, one index", 10**9)]
                for label, shard_pages in variants:
                    indexing = reindex(site, shard_pages or None) if shard_pages is not None else {}
                    server, base = serve(site)
                    try:
                        runs = [first_result(browser, base, site, SCALE_QUERY) for _ in range(args.runs)]
                    finally:
                        server.shutdown()
                    lunr_b, pf_b = index_size(site)
                    rows.append((label, secs, indexing, statistics.median(r["bytes_gz"] for r in runs),
                                 statistics.median(r["bytes_raw"] for r in runs), statistics.median(r["ms"] for r in runs),
                                 runs[0]["requests"], lunr_b or pf_b, all(r["found"] for r in runs)))
                    print(f"  {label}: {[round(r['ms']) for r in runs]} ms; indexing {indexing}; load {load()}", flush=True)
                shutil.rmtree(site)
        browser.close()
    if rows:
        print(f"\n{args.procedures} procedures in one area, query {SCALE_QUERY!r}, median of {args.runs} cold contexts "
              f"(targets: <= 2 MB compressed, <= 300 ms); load average at the end {load()}")
        print("| engine | build s | shards | indexing s (CPU s) | indexing peak RSS | transferred to first result (gzip) "
              "| raw | first result ms | requests | index on disk | found |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for e, secs, ix, gz, raw, ms, req, disk, found in rows:
            indexing = (f"{ix['shards']} | {ix['s']:.1f} ({ix['cpu_s']:.1f}) | {ix['peak_mb']:.0f} MB" if ix
                        else "- | - | -")
            print(f"| {e} | {secs:.0f} | {indexing} | {gz / 1e6:.2f} MB | {raw / 1e6:.2f} MB | {ms:.0f} | {req} "
                  f"| {disk / 1e6:.1f} MB | {found} |")


if __name__ == "__main__":
    main()
