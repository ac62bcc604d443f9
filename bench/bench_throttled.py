"""First calculator answer on slow links, through the shipped nginx config (``make bench``; bench_load.py runs it).

    python bench/bench_throttled.py [--site site] [--runs 3] [--variants]

Serves the built site with Debian's nginx and ``deploy/nginx.conf`` (plus ``deploy/nginx-brotli.conf``
where Debian's brotli module is installed), exactly as tests/test_deploy_servers.py runs it, and opens
the deadline calculator's deep link in headless Chromium with an **empty cache** (a fresh profile
per run), the network throttled with CDP ``Network.emulateNetworkConditions``:

* 10 Mbit/s down, 40 ms latency (a council VPN, office Wi-Fi): target <= 4 MB and <= 6 s;
* 1.6 Mbit/s down, 150 ms latency (Chrome's "slow 4G" preset, a car park).

For each: bytes on the wire before the answer (compressed bodies and headers of every request of
the page and its workers that finished before it, from Chromium), requests, time from navigation start to the answer
(``performance.mark("calculator:first-answer")``), and the **floor**: bytes / bandwidth, the time
the download alone needs. Times vary with the machine's load (printed): compare the ratio to the
floor, not the seconds. ``--variants`` also measures the page with the memory snapshot forced on
(``?calculator-snapshot=1``) and off (``=0``), the numbers the worker's choice rests on.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_deploy_servers import running  # noqa: E402  (the shipped config in the real nginx)

DEEP_LINK = "calculators/deadlines/?area=peterborough&event=strategy-discussion&date=2026-12-23&time=16:45"
ANSWER = "#dl-results:not([hidden]) tbody tr"
PROFILES = (("10 Mbit/s, 40 ms", 10_000_000, 40), ("1.6 Mbit/s, 150 ms", 1_600_000, 150))
TARGET = {"10 Mbit/s, 40 ms": (4_000_000, 6.0)}
LOG_LINE = re.compile(r'"(?:GET|HEAD) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)')


def sent(access_log: Path, start: int) -> tuple[int, int, dict[str, int]]:
    """(body bytes, requests, {path: bytes}) logged after byte offset ``start`` of nginx's access log."""
    text = access_log.read_bytes()[start:].decode("utf-8", "replace")
    files: dict[str, int] = {}
    for m in LOG_LINE.finditer(text):
        path = m[1].split("?", 1)[0]
        files[path] = files.get(path, 0) + int(m[3])
    return sum(files.values()), len(LOG_LINE.findall(text)), files


def one_run(p, url: str, bits_per_s: int, latency_ms: int, log: Path) -> dict:
    profile = tempfile.mkdtemp(prefix="bench-throttled-")
    try:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                   headless=True)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency_ms,
            "downloadThroughput": bits_per_s / 8, "uploadThroughput": bits_per_s / 8})
        finished = []                          # (when, request): the page's and its workers' requests
        ctx.on("requestfinished", lambda request: finished.append((time.monotonic(), request)))
        start = log.stat().st_size if log.exists() else 0
        page.goto(url, wait_until="commit")
        page.wait_for_selector(ANSWER, state="attached", timeout=300_000)
        answered = time.monotonic()
        ms = page.evaluate("() => performance.getEntriesByName('calculator:first-answer')[0].startTime")
        snapshot = page.evaluate("() => (performance.getEntriesByName('calculator:ready')[0] || {}).detail?.snapshot")
        # Bytes received before the answer (bodies as sent, compressed, and headers); what the
        # worker fetches afterwards for the next visit is reported apart, from nginx's log.
        files: dict[str, int] = {}
        for when, request in finished:
            if when <= answered:
                sizes = request.sizes()
                path = "/" + request.url.split("/", 3)[-1].split("?", 1)[0]
                files[path] = files.get(path, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]
        page.wait_for_timeout(300)             # the access log is written when each response ends
        ctx.close()
        logged, _requests, _files = sent(log, start)
        return {"ms": ms, "bytes": sum(files.values()), "requests": len(files), "files": files,
                "snapshot": snapshot, "after_answer_logged": logged - sum(files.values())}
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def measure(site: Path, runs: int, variants: bool) -> dict:
    from playwright.sync_api import sync_playwright
    out = {}
    with running("nginx", site) as base, sync_playwright() as p:
        log = _access_log(base)
        pages = [("default", DEEP_LINK)]
        if variants:
            pages += [("snapshot on", DEEP_LINK + "&calculator-snapshot=1"),
                      ("snapshot off", DEEP_LINK + "&calculator-snapshot=0")]
        for label, bits, latency in PROFILES:
            for variant, path in pages:
                results = [one_run(p, base + path, bits, latency, log) for _ in range(runs)]
                out[(label, variant)] = {"bits": bits, "latency": latency, "runs": results}
    return out


def _access_log(base: str) -> Path:
    """The access log of the nginx that ``running`` started: its scratch folder under build/ holds
    the config that listens on ``base``'s port."""
    port = base.rstrip("/").rsplit(":", 1)[-1]
    for conf in (REPO / "build").glob("nginx-*/nginx.conf"):
        if f"listen 127.0.0.1:{port};" in conf.read_text():
            return conf.parent / "access.log"
    raise RuntimeError("nginx's access log was not found")


def report(results: dict, load_before: str, load_after: str) -> None:
    print("First calculator answer, empty cache, through deploy/nginx.conf (Debian nginx"
          f"{', brotli_static' if Path('/usr/lib/nginx/modules/ngx_http_brotli_static_module.so').exists() else ', gzip_static only'})")
    print(f"  machine: {os.cpu_count()} cores, load average before {load_before}, after {load_after}")
    print(f"  {'profile':22}{'variant':14}{'bytes':>11}{'req':>5}{'answer s':>10}{'floor s':>9}{'ratio':>7}"
          f"{'snapshot':>10}  target")
    for (label, variant), r in results.items():
        ms = statistics.median(x["ms"] for x in r["runs"])
        size = statistics.median(x["bytes"] for x in r["runs"])
        requests = statistics.median(x["requests"] for x in r["runs"])
        floor = size * 8 / r["bits"]
        used = {x["snapshot"] for x in r["runs"]}
        target = TARGET.get(label)
        verdict = ""
        if target and variant == "default":
            ok = size <= target[0] and ms / 1000 <= target[1]
            verdict = f"<= {target[0] / 1e6:g} MB, <= {target[1]:g} s: {'met' if ok else 'NOT MET'}"
        print(f"  {label:22}{variant:14}{size / 1e6:>9.2f}MB{requests:>5.0f}{ms / 1000:>10.2f}{floor:>9.2f}"
              f"{ms / 1000 / floor:>7.2f}{'/'.join(sorted(map(str, used))):>10}  {verdict}")
    first = next(iter(results.values()))["runs"][0]["files"]
    print("  bytes per file (first run of the first profile):")
    for path, size in sorted(first.items(), key=lambda kv: -kv[1])[:12]:
        print(f"    {size:>10,}  {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--variants", action="store_true", help="also the snapshot forced on and off")
    args = ap.parse_args(argv)
    site = Path(args.site)
    if not (site / "assets" / "calculator" / "manifest.json").exists():
        print(f"{site} has no calculators: run `make build` first", file=sys.stderr)
        return 2
    before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results = measure(site, args.runs, args.variants)
    report(results, before, ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
