"""Calculator load benchmark (``make bench``): navigation to first answer in headless Chromium.

    python bench/bench_load.py [--site site] [--runs 5] [--no-variants]

Serves the built site on 127.0.0.1 exactly as ``make serve`` does (macros.serve: the strict
CSP, immutable caching of the hashed runtime files) and measures, in the same run:

* **calculator**: a prefilled deep link to the deadline calculator
  (``calculators/deadlines/?area=...&event=...&date=...``), navigation start to the answer
  in the page (``performance.mark("calculator:first-answer")``);
* **no snapshot**: the same with ``?calculator-snapshot=0`` (Python started from scratch,
  tools unpacked and imported), to show what the memory snapshot gains;
* **floor**: a bare page that only loads Pyodide in a module worker and runs ``1+1``
  (the same Pyodide files, the same no-lock-file options).

Each is measured **cold** (a fresh browser profile per run: empty HTTP and code caches) and
**warm** (the same profile, after one load), median of ``--runs``; plus bytes sent by the
server, main-thread long tasks (PerformanceObserver ``longtask``, > 50 ms) from navigation
to the answer, and the time of each recalculation after that. Not a test: it only prints.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM  # noqa: E402  (one launch recipe for tests and benches)
from tests.browser.conftest import CHROMIUM_ARGS as ARGS  # noqa: E402

DEEP_LINK = "calculators/deadlines/?area=peterborough&event=strategy-discussion&date=2026-12-23&time=16:45"

LONGTASKS = """
window.__longtasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
"""

FLOOR_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pyodide floor</title>
<script type="module" src="floor.mjs"></script></head><body><p id="out">loading</p></body></html>"""
FLOOR_MAIN = """const worker = new Worker(new URL("./floor-worker.mjs", import.meta.url), { type: "module" });
worker.onmessage = (e) => {
  performance.mark("calculator:first-answer");
  document.getElementById("out").textContent = String(e.data);
  document.body.dataset.done = "1";
};"""
FLOOR_WORKER = """const root = new URL("../", import.meta.url);
const manifest = await (await fetch(new URL("assets/calculator/manifest.json", root))).json();
const base = new URL(manifest.pyodide.base, root).href;
const { loadPyodide } = await import(base + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: base, lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
                                    packageBaseUrl: base });
postMessage(pyodide.runPython("1+1"));"""


def overlay(site: Path) -> Path:
    """A directory that is the site plus /__bench/ (the floor page), made of symlinks."""
    root = Path(tempfile.mkdtemp(prefix="bench-site-"))
    for entry in site.iterdir():
        (root / entry.name).symlink_to(entry.resolve())
    bench = root / "__bench"
    bench.mkdir()
    (bench / "floor.html").write_text(FLOOR_HTML)
    (bench / "floor.mjs").write_text(FLOOR_MAIN)
    (bench / "floor-worker.mjs").write_text(FLOOR_WORKER)
    return root


def site_address(root: Path, site: Path, base: str) -> None:
    """The overlay's sitemap.xml at the address it is served from, as a deployment's is (its
    ``site_url``). Material's instant navigation swaps in only pages listed in the sitemap, and
    it maps the sitemap's addresses to the page's scheme and host but not its port, so a
    build for ``site_url: http://127.0.0.1:8000/`` served on another port would fall back to
    full page loads."""
    import re
    sitemap = site / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    (root / "sitemap.xml").unlink()
    (root / "sitemap.xml").write_text(re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}", text), encoding="utf-8")


class Counter:
    def __init__(self):
        self.bytes = 0
        self.lock = threading.Lock()

    def add(self, n):
        with self.lock:
            self.bytes += n


def serve(root: Path, counter: Counter):
    from macros import serve as s

    class Counting(s.Handler):
        def copyfile(self, source, outputfile):
            before = source.tell()
            super().copyfile(source, outputfile)
            counter.add(source.tell() - before)

    import functools
    import http.server
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(root)))
    server.verbose = False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def one_load(context, url: str, counter: Counter, done_selector: str, recalcs: int = 0) -> dict:
    page = context.new_page()
    page.add_init_script(LONGTASKS)
    start_bytes = counter.bytes
    page.goto(url, wait_until="commit")
    page.wait_for_selector(done_selector, state="attached", timeout=120000)
    answer = page.evaluate("() => performance.getEntriesByName('calculator:first-answer')[0].startTime")
    longtasks = page.evaluate("(t) => window.__longtasks.filter(([s]) => s <= t)", answer)
    result = {"ms": answer, "longtasks": longtasks, "bytes": counter.bytes - start_bytes}
    if recalcs:
        times = []
        for i in range(recalcs):
            page.fill("#dl-date-day", str(10 + i))
            page.click("#dl-submit")
            page.wait_for_selector(f'#dl-results[data-at="2026-12-{10 + i}T16:45"]', timeout=30000)
            times.append(float(page.get_attribute("#dl-results", "data-ms")))
        result["recalc"] = times
    page.close()
    return result


def page_only_load(context, url: str, counter: Counter, done: str | None = None, recalcs: int = 0) -> dict:
    """The same page with the calculator's scripts blocked: the long tasks the page has anyway
    (Material's script, laying out a long page), to tell them from the calculator's."""
    page = context.new_page()
    page.add_init_script(LONGTASKS)
    page.route("**/javascripts/calculator/**", lambda route: route.abort())
    start_bytes = counter.bytes
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1500)
    load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    longtasks = page.evaluate("() => window.__longtasks")
    page.close()
    return {"ms": load, "longtasks": longtasks, "bytes": counter.bytes - start_bytes}


def measure(p, base: str, path: str, done: str, counter: Counter, runs: int, recalcs: int = 0, load=None) -> dict:
    load = load or one_load
    cold, warm = [], []
    for _ in range(runs):
        profile = tempfile.mkdtemp(prefix="bench-profile-")
        try:
            ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True)
            cold.append(load(ctx, base + path, counter, done, recalcs))
            ctx.close()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True)
        load(ctx, base + path, counter, done)                  # prime the caches
        for _ in range(runs):
            warm.append(load(ctx, base + path, counter, done, recalcs))
        ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {"cold": cold, "warm": warm}


def measure_after_prefetch(p, base: str, counter: Counter, runs: int, done: str) -> dict:
    """Fresh profile; open a page without a calculator and let it warm the cache in idle time;
    then open the calculator deep link: what a user's first calculator costs in practice."""
    cold = []
    for _ in range(runs):
        profile = tempfile.mkdtemp(prefix="bench-profile-")
        try:
            ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True)
            page = ctx.new_page()
            page.goto(base + "about/", wait_until="load")
            page.wait_for_selector('link[rel="prefetch"][href$=".bin"], link[rel="prefetch"][href$=".wasm"]',
                                   state="attached", timeout=30000)
            last, stable = -1, 0
            while stable < 4:                      # until the server has sent nothing for 1 s
                page.wait_for_timeout(250)
                stable = stable + 1 if counter.bytes == last else 0
                last = counter.bytes
            page.close()
            cold.append(one_load(ctx, base + DEEP_LINK, counter, done))
            ctx.close()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    return {"cold": cold, "warm": cold}


SECOND = "peterborough/referrals/"      # a procedure page with the compact deadline calculator (prefix dlc)
FILL_AND_SUBMIT = """() => {
  document.getElementById("dlc-event").value = "strategy-discussion";
  document.getElementById("dlc-date-day").value = "23";
  document.getElementById("dlc-date-month").value = "12";
  document.getElementById("dlc-date-year").value = "2026";
  document.getElementById("dlc-form").requestSubmit();
}"""


def second_calculator(context, url: str, counter: Counter, done: str, recalcs: int = 0, calculators: bool = True) -> dict:
    """The second calculator of a visit: after the deep link has answered, a click on a link to a
    procedure page (as a reader follows one; Material's instant navigation, when enabled, swaps
    the page and keeps the worker), then that page's compact calculator asked for a date.
    ms = the click to the answer (wall clock, Python side: the page's clock restarts on a full
    load). With ``calculators=False`` (the floor) the calculators' scripts are blocked and ms is
    the click to the new page's heading."""
    import time
    page = context.new_page()
    if not calculators:
        page.route("**/javascripts/calculator/**", lambda route: route.abort())
    page.goto(url, wait_until="load" if not calculators else "commit")
    if calculators:
        page.wait_for_selector(done, state="attached", timeout=120000)
    start_bytes = counter.bytes
    page.evaluate("(href) => { const a = document.createElement('a'); a.href = href; a.id = 'bench-next';"
                  " a.textContent = 'next'; document.querySelector('article').append(a); }", "../../" + SECOND)
    started = time.perf_counter()
    page.click("#bench-next")
    if calculators:
        page.wait_for_selector('#dlc-status[data-state="ready"]', state="attached", timeout=120000)
        ready = time.perf_counter() - started
        page.evaluate(FILL_AND_SUBMIT)
        page.wait_for_selector('#dlc-results:not([hidden])[data-at^="2026-12-23"]', state="attached", timeout=60000)
    else:
        page.wait_for_selector("article h1#referrals, article h1", state="attached", timeout=60000)
        page.wait_for_function(f"() => location.pathname.endsWith('/{SECOND}')", timeout=60000)
        ready = time.perf_counter() - started
    ms = (time.perf_counter() - started) * 1000
    page.close()
    return {"ms": ms, "ready_ms": ready * 1000, "longtasks": [], "bytes": counter.bytes - start_bytes}


def summary(runs: list[dict]) -> dict:
    out = {"median_ms": round(statistics.median(r["ms"] for r in runs)),
           "min_ms": round(min(r["ms"] for r in runs)), "max_ms": round(max(r["ms"] for r in runs)),
           "bytes": round(statistics.median(r["bytes"] for r in runs)),
           "longtasks": max(len(r["longtasks"]) for r in runs),
           "longest_task_ms": max([d for r in runs for _, d in r["longtasks"]] or [0])}
    recalcs = [t for r in runs for t in r.get("recalc", [])]
    if recalcs:
        out["recalc_median_ms"] = statistics.median(recalcs)
        out["recalc_max_ms"] = max(recalcs)
    return out


def machine(browser_version: str) -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    node = shutil.which("node")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "chromium": browser_version,
            "node": subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-variants", action="store_true", help="skip the no-snapshot comparison")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    site = Path(args.site)
    manifest_path = site / "assets" / "calculator" / "manifest.json"
    if not manifest_path.exists():
        print(f"{manifest_path} not found: run `make build` first", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text())
    root = overlay(site)
    counter = Counter()
    server = serve(root, counter)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    site_address(root, site, base)
    from playwright.sync_api import sync_playwright
    results = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            version = b.version
            b.close()
            answer = "#dl-results:not([hidden]) tbody tr"
            results["floor (Pyodide + 1+1)"] = measure(p, base, "__bench/floor.html", "body[data-done]", counter, args.runs)
            results["calculator"] = measure(p, base, DEEP_LINK, answer, counter, args.runs, recalcs=5)
            results["second calculator (after a click)"] = measure(p, base, DEEP_LINK, answer, counter, args.runs,
                                                                   load=second_calculator)
            results["second page, calculators off"] = measure(
                p, base, DEEP_LINK, answer, counter, args.runs,
                load=lambda *a, **k: second_calculator(*a, **k, calculators=False))
            if not args.no_variants and manifest.get("snapshot"):
                results["calculator, no snapshot"] = measure(p, base, DEEP_LINK + "&calculator-snapshot=0", answer,
                                                             counter, args.runs)
            if not args.no_variants:
                results["after idle prefetch"] = measure_after_prefetch(p, base, counter, args.runs, answer)
                results["same page, calculator off"] = measure(p, base, DEEP_LINK, "", counter, args.runs,
                                                               load=page_only_load)
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)

    table = {name: {k: summary(v) for k, v in r.items()} for name, r in results.items()}
    info = machine(version)
    if args.json:
        print(json.dumps({"machine": info, "results": table, "raw": results}, indent=1))
        return 0
    print("Calculator load benchmark: navigation to first answer, headless Chromium, "
          f"median of {args.runs} cold (fresh profile) and {args.runs} warm runs")
    print(f"  deep link: /{DEEP_LINK}")
    print(f"  machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}")
    print(f"  Chromium {info['chromium']}, Node {info['node']}, Python {info['python']}, "
          f"Pyodide {manifest['pyodide']['version']}, snapshot {'yes' if manifest.get('snapshot') else 'no'}")
    print()
    print("  'after idle prefetch': a fresh profile opens a page without a calculator first (cold column only);")
    print("  'calculator off': the same page with the calculator's scripts blocked (ms = load event).")
    print(f"  {'(ms = navigation to answer)':28}{'cold ms':>9}{'(min-max)':>14}{'warm ms':>9}{'(min-max)':>14}{'cold bytes':>12}"
          f"{'warm bytes':>12}{'long tasks':>12}")
    for name, t in table.items():
        c, w = t["cold"], t["warm"]
        if name == "after idle prefetch":
            c_range = "({}-{})".format(c["min_ms"], c["max_ms"])
            print(f"  {name:28}{c['median_ms']:>9}{c_range:>14}{'':>9}{'':>14}{c['bytes']:>12,}{'':>12}"
                  f"{c['longtasks']:>12}")
            continue
        c_range = "({}-{})".format(c["min_ms"], c["max_ms"])
        w_range = "({}-{})".format(w["min_ms"], w["max_ms"])
        print(f"  {name:28}{c['median_ms']:>9}{c_range:>14}{w['median_ms']:>9}{w_range:>14}"
              f"{c['bytes']:>12,}{w['bytes']:>12,}{max(c['longtasks'], w['longtasks']):>12}")
    floor = table["floor (Pyodide + 1+1)"]
    calc = table["calculator"]
    print()
    print(f"  ratio calculator / floor: cold {calc['cold']['median_ms'] / floor['cold']['median_ms']:.2f}, "
          f"warm {calc['warm']['median_ms'] / floor['warm']['median_ms']:.2f}")
    if "calculator, no snapshot" in table:
        ns = table["calculator, no snapshot"]
        print(f"  memory snapshot gain: cold {ns['cold']['median_ms'] - calc['cold']['median_ms']} ms "
              f"({ns['cold']['median_ms']} -> {calc['cold']['median_ms']}), warm "
              f"{ns['warm']['median_ms'] - calc['warm']['median_ms']} ms ({ns['warm']['median_ms']} -> "
              f"{calc['warm']['median_ms']})")
    second, floor2 = table["second calculator (after a click)"], table["second page, calculators off"]
    print(f"  second calculator of a visit (click to its answer): cold {second['cold']['median_ms']} ms, warm "
          f"{second['warm']['median_ms']} ms; floor (the same click, calculators off) cold {floor2['cold']['median_ms']} ms,"
          f" warm {floor2['warm']['median_ms']} ms; ratio cold "
          f"{second['cold']['median_ms'] / max(floor2['cold']['median_ms'], 1):.2f}, warm "
          f"{second['warm']['median_ms'] / max(floor2['warm']['median_ms'], 1):.2f} (target <= 300 ms)")
    longest = max(calc["cold"]["longest_task_ms"], calc["warm"]["longest_task_ms"])
    print(f"  main-thread long tasks from navigation to the answer: {max(calc['cold']['longtasks'], calc['warm']['longtasks'])}"
          f" (longest {longest} ms)")
    if "same page, calculator off" in table:
        off = table["same page, calculator off"]
        print(f"  the same page with the calculator's scripts blocked has {max(off['cold']['longtasks'], off['warm']['longtasks'])}"
              f" (longest {max(off['cold']['longest_task_ms'], off['warm']['longest_task_ms'])} ms): Material's script and"
              f" the layout of a long page; the worker keeps Python off the main thread")
    if "recalc_median_ms" in calc["warm"]:
        print(f"  recalculation (submit to table): median {calc['warm']['recalc_median_ms']:.0f} ms, "
              f"max {max(calc['warm']['recalc_max_ms'], calc['cold']['recalc_max_ms']):.0f} ms")
    print("  targets: warm <= 1000 ms, cold <= 3000 ms, 0 long tasks, recalculation <= 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
