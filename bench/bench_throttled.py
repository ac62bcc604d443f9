"""First calculator answer on slow links, through the shipped nginx config (``make bench``; bench_load.py runs it).

    python bench/bench_throttled.py [--site site] [--runs 3] [--variants]

Serves the built site with Debian's nginx and ``deploy/nginx.conf`` (plus ``deploy/nginx-brotli.conf``
where Debian's brotli module is installed), exactly as tests/test_deploy_servers.py runs it, puts
a slow link in front of it (``bench/shaper.py``: a TCP forwarder that shapes every byte, shared
bandwidth, latency per connection) and opens the deadline calculator's deep link through it in
headless Chromium with an **empty cache** (a fresh profile per run):

* 10 Mbit/s down, 40 ms round trip (a council VPN, office Wi-Fi): target <= 4 MB and <= 6 s;
* 1.6 Mbit/s down, 150 ms round trip (Chrome's "slow 4G" preset, a car park);
* no limit (a reference row, not a target): the same visit at the machine's own speed, the part
  of the throttled times that is the processor's (Python starting, at the machine's load).

Not Chromium's network emulation (CDP ``Network.emulateNetworkConditions``): it throttles the
page's own requests but not those of its dedicated worker (the Python runtime) nor of the service
worker, so the runtime downloaded at full local speed and the answer came *faster* than its bytes
could (measured on main: 8.8 MB, answer 4.4 s, floor 7.0 s). The shaper sits on the wire, so
whoever fetches, the bytes wait for the link. Its own accuracy is printed first (**link check**:
one file of about 3 s of download, transfer time / floor, which should be about 1.00-1.02).

For each run: bytes on the wire (bodies as sent, compressed, and headers) and requests **before
the answer**, i.e. delivered to the browser before ``performance.mark("calculator:first-answer")``;
the time from navigation start to that mark; the **floor**: bytes before the answer / bandwidth,
the time their download alone needs; and, apart, everything the visit transferred until the link
fell quiet for 3 s (the service worker's offline copy, the snapshot for the next visit: fetched
*after* the answer, so they do not delay it). Times vary with the machine's load (printed):
compare the ratio to the floor, not the seconds. ``--variants`` also measures the page with the
memory snapshot forced on (``?calculator-snapshot=1``) and off (``=0``), the numbers the worker's
choice rests on.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.shaper import Shaper, link_check  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_deploy_servers import running  # noqa: E402  (the shipped config in the real nginx)

DEEP_LINK = "calculators/deadlines/?area=peterborough&event=strategy-discussion&date=2026-12-23&time=16:45"
ANSWER = "#dl-results:not([hidden]) tbody tr"
PROFILES = (("10 Mbit/s, 40 ms", 10_000_000, 40), ("1.6 Mbit/s, 150 ms", 1_600_000, 150))
# The same visit through the shaper with no limit: the time the machine itself needs (at its load),
# beside the throttled times, to tell the link's share of them from the processor's.
UNSHAPED = ("no limit (reference)", 10**12, 0)
TARGET = {"10 Mbit/s, 40 ms": (4_000_000, 6.0)}
QUIET_S = 3.0          # the visit is over when the link has carried nothing for this long
QUIET_UNREGISTERED_S = 20.0
# The service worker installed (its offline copy made: installing waits for it) and active.
REGISTERED = "async () => Boolean(navigator.serviceWorker && (await navigator.serviceWorker.getRegistration())?.active)"
VISIT_CAP_S = 240.0


def one_run(p, base: str, path: str, shaper: Shaper) -> dict:
    profile = tempfile.mkdtemp(prefix="bench-throttled-")
    try:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                   headless=True)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        mark = shaper.mark()
        page.goto(base + path, wait_until="commit")
        page.wait_for_selector(ANSWER, state="attached", timeout=300_000)
        origin, ms = page.evaluate("() => [performance.timeOrigin,"
                                   " performance.getEntriesByName('calculator:first-answer')[0].startTime]")
        snapshot = page.evaluate("() => (performance.getEntriesByName('calculator:ready')[0] || {}).detail?.snapshot")
        before = shaper.delivered(mark, until=(origin + ms) / 1000)
        # The rest of the visit: what the page fetches after the answer (offline copy, next visit's snapshot).
        # Over when the link has been quiet for 3 s with the service worker active (its copy is
        # part of the visit), or for 20 s without (a build with the off switch registers none).
        started = time.time()
        registered = False
        while time.time() - started < VISIT_CAP_S:
            quiet = time.time() - (shaper.delivered(mark)["last"] or started)
            registered = registered or page.evaluate(REGISTERED)
            if quiet >= (QUIET_S if registered else QUIET_UNREGISTERED_S):
                break
            page.wait_for_timeout(500)
        ctx.close()
        visit = shaper.delivered(mark)
        return {"ms": ms, "bytes": before["bytes"], "requests": before["requests"], "files": before["files"],
                "snapshot": snapshot, "visit_bytes": visit["bytes"], "visit_requests": visit["requests"],
                "visit_capped": time.time() - started >= VISIT_CAP_S, "service_worker": registered}
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def check_file(site: Path, seconds: float, bits: int) -> str:
    """A file of the site (served as it is, uncompressed) that takes about ``seconds`` to download."""
    want = seconds * bits / 8
    files = [f for f in site.rglob("*") if f.is_file() and f.suffix not in (".br", ".gz")]
    best = min(files, key=lambda f: abs(f.stat().st_size - want))
    return best.relative_to(site).as_posix()


def measure(site: Path, runs: int, variants: bool, only: str | None = None) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright
    out, checks = {}, {}
    with running("nginx", site) as origin, sync_playwright() as p:
        port = int(origin.rstrip("/").rsplit(":", 1)[-1])
        pages = [("default", DEEP_LINK)]
        if variants:
            pages += [("snapshot on", DEEP_LINK + "&calculator-snapshot=1"),
                      ("snapshot off", DEEP_LINK + "&calculator-snapshot=0")]
        for label, bits, latency in (*PROFILES, UNSHAPED):
            if only and not label.startswith(only):
                continue
            with Shaper(port, bits, latency) as shaper:
                base = f"http://127.0.0.1:{shaper.port}/"
                if (label, bits, latency) != UNSHAPED:
                    checks[label] = link_check(shaper, check_file(site, 3.0, bits))
                for variant, path in pages:
                    results = [one_run(p, base, path, shaper) for _ in range(runs)]
                    out[(label, variant)] = {"bits": bits, "latency": latency, "runs": results}
    return out, checks


def report(results: dict, checks: dict, load_before: str, load_after: str) -> None:
    print("First calculator answer, empty cache, through deploy/nginx.conf (Debian nginx"
          f"{', brotli_static' if Path('/usr/lib/nginx/modules/ngx_http_brotli_static_module.so').exists() else ', gzip_static only'})"
          ", every byte through bench/shaper.py")
    print(f"  machine: {os.cpu_count()} cores, load average before {load_before}, after {load_after}")
    for label, c in checks.items():
        print(f"  link check {label}: {c['bytes'] / 1e6:.2f} MB in {c['seconds']:.2f} s, floor {c['floor']:.2f} s,"
              f" ratio {c['ratio']:.3f}")
    print("  before the answer: bytes (bodies as sent and headers) and requests delivered before the first answer;"
          " floor = those bytes / bandwidth.")
    print("  visit: everything until the link was quiet for 3 s with the service worker active (its offline copy made),"
          " the next visit's snapshot included; sw: it became active.")
    print(f"  {'profile':22}{'variant':14}{'bytes':>9}{'req':>5}{'answer s':>10}{'floor s':>9}{'ratio':>7}"
          f"{'visit':>10}{'req':>5}{'sw':>4}{'snapshot':>10}  target")
    for (label, variant), r in results.items():
        ms = statistics.median(x["ms"] for x in r["runs"])
        size = statistics.median(x["bytes"] for x in r["runs"])
        requests = statistics.median(x["requests"] for x in r["runs"])
        visit = statistics.median(x["visit_bytes"] for x in r["runs"])
        visit_req = statistics.median(x["visit_requests"] for x in r["runs"])
        capped = "+" if any(x["visit_capped"] for x in r["runs"]) else ""
        floor = size * 8 / r["bits"]
        used = {x["snapshot"] for x in r["runs"]}
        target = TARGET.get(label)
        verdict = ""
        if target and variant == "default":
            ok = size <= target[0] and ms / 1000 <= target[1]
            verdict = f"<= {target[0] / 1e6:g} MB, <= {target[1]:g} s: {'met' if ok else 'NOT MET'}"
        ratio = f"{ms / 1000 / floor:>7.2f}" if floor > 0.01 else f"{'-':>7}"
        print(f"  {label:22}{variant:14}{size / 1e6:>7.2f}MB{requests:>5.0f}{ms / 1000:>10.2f}{floor:>9.2f}"
              f"{ratio}{visit / 1e6:>8.2f}MB{capped}{visit_req:>5.0f}"
              f"{'yes' if all(x['service_worker'] for x in r['runs']) else 'no':>4}"
              f"{'/'.join(sorted(map(str, used))):>10}  {verdict}")
    first = next(iter(results.values()))["runs"][0]["files"]
    print("  bytes before the answer per file, headers included (first run of the first profile):")
    for path, size in sorted(first.items(), key=lambda kv: -kv[1])[:14]:
        print(f"    {size:>10,}  {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--variants", action="store_true", help="also the snapshot forced on and off")
    ap.add_argument("--only", help="only the profile whose name starts with this (e.g. '10 ', '1.6', 'no limit')")
    args = ap.parse_args(argv)
    site = Path(args.site)
    if not (site / "assets" / "calculator" / "manifest.json").exists():
        print(f"{site} has no calculators: run `make build` first", file=sys.stderr)
        return 2
    before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results, checks = measure(site, args.runs, args.variants, args.only)
    report(results, checks, before, ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
