"""Calculator load benchmark (``make bench``): navigation to first answer in headless Chromium.

    python bench/bench_load.py [--site site] [--runs 5] [--no-variants]

Serves the built site on 127.0.0.1 exactly as ``make serve`` does (macros.deployment.serve: the strict
CSP, immutable caching of the hashed runtime files) and measures, in the same run, each figure
of issue 12 (item 5) beside its floor, the same page with the calculators' scripts blocked:

* **deep link**: a prefilled deep link to the deadline calculator
  (``calculators/deadlines/?area=...&event=...&date=...``), navigation start to the answer
  in the page (``performance.mark("calculator:first-answer")``); floor: the same page's load
  event with ``javascripts/calculator/`` blocked;
* **second calculator**: after the deep link has answered, a click to a procedure page (Material's
  instant navigation keeps the worker) and its compact calculator's answer; floor: the same click
  to the new page's heading, calculators blocked;
* **recalculation**: submit to table, five times after the first answer (no floor: nothing to
  recalculate without a calculator);
* **long tasks** (PerformanceObserver ``longtask``, > 50 ms) from navigation to 0.5 s after the
  answer, with the calculators on and off; each is attributed with the ``long-animation-frame``
  entries' scripts (URL and entry point of each script >= 5 ms) and the calculators' own User
  Timing measures (``calculator:init``, ``calculator:render``: their set-up and rendering, which
  the browser attributes to whoever called them). A long task is the calculators' own when their
  code is what made it long: without their time it would be <= 50 ms, or their time alone is > 50 ms;
* **prefetch**: a page without a calculator, fresh profile: when its first runtime request starts
  after the load event, and that with ``navigator.connection.saveData`` it makes none;
* variants: ``?calculator-snapshot=0`` (what the memory snapshot gains), and a bare page that
  only loads Pyodide in a module worker and runs ``1+1`` (the same Pyodide files and options).

Each is measured **cold** (a fresh browser profile per run: empty HTTP and code caches) and
**warm** (the same profile, after one load), median of ``--runs``; plus bytes sent by the
server and the machine (CPU, cores, load average before and after). Not a test: it only prints.
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

# Long tasks and long animation frames (with their scripts), from the start of the page.
OBSERVERS = """
window.__perf = { longtasks: [], frames: [] };
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__perf.frames.push({ start: e.startTime, ms: e.duration, scripts: e.scripts.map((s) => (
        { url: s.sourceURL, invoker: s.invoker, start: s.startTime, ms: s.duration })) });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
} catch (e) {}
"""
# Everything observed since `since` (page clock) and the calculators' own measures.
COLLECT = """(since) => ({
  longtasks: window.__perf.longtasks.filter(([s]) => s >= since),
  frames: window.__perf.frames.filter((f) => f.start + f.ms >= since),
  own: performance.getEntriesByType("measure").filter((m) => m.name.startsWith("calculator:"))
    .map((m) => [m.startTime, m.duration]),
})"""
OWN_SCRIPTS = "/javascripts/calculator/"


def _union(intervals):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def attribute(perf: dict, until: float | None = None) -> list[dict]:
    """Each long task (started before ``until``) with the scripts that ran in it and the
    calculators' own time in it (their measures and their scripts' entries)."""
    own = _union([(a, a + d) for a, d in perf["own"]]
                 + [(x["start"], x["start"] + x["ms"]) for f in perf["frames"] for x in f["scripts"]
                    if OWN_SCRIPTS in (x["url"] or "")])
    tasks = []
    for start, ms in perf["longtasks"]:
        if until is not None and start > until:
            continue
        end = start + ms
        mine = sum(max(0.0, min(b, end) - max(a, start)) for a, b in own)
        scripts = [f"{(x['url'] or '').rsplit('/', 1)[-1] or '(no URL)'} ({x['invoker'].rsplit('/', 1)[-1]})"
                   for f in perf["frames"] for x in f["scripts"]
                   if x["ms"] >= 5 and x["start"] < end and x["start"] + x["ms"] > start]
        tasks.append({"start": round(start), "ms": round(ms), "own_ms": round(mine, 1),
                      "ours": mine > 0 and (ms - mine <= 50 or mine > 50),
                      "scripts": sorted(set(scripts)) or ["no script >= 5 ms (style, layout, parsing, GC)"]})
    return tasks


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
    from macros.deployment import serve as s

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
    page.add_init_script(OBSERVERS)
    start_bytes = counter.bytes
    page.goto(url, wait_until="commit")
    page.wait_for_selector(done_selector, state="attached", timeout=120000)
    answer = page.evaluate("() => performance.getEntriesByName('calculator:first-answer')[0].startTime")
    page.wait_for_timeout(500)                 # the answer's own layout and paint, and entries delivered
    longtasks = attribute(page.evaluate(COLLECT, 0), answer + 500)
    result = {"ms": answer, "longtasks": longtasks, "bytes": counter.bytes - start_bytes,
              # after the answer's own task: the browser's style, layout and paint of it, and Material's
              # handlers of the page's new size (ResizeObserver)
              "after_answer": [t for t in longtasks if answer <= t["start"] <= answer + 200]}
    if recalcs:
        times = []
        since = page.evaluate("performance.now()")
        for i in range(recalcs):
            page.fill("#dl-date-day", str(10 + i))
            page.click("#dl-submit")
            page.wait_for_selector(f'#dl-results[data-at="2026-12-{10 + i}T16:45"]', timeout=30000)
            times.append(float(page.get_attribute("#dl-results", "data-ms")))
        page.wait_for_timeout(300)
        result["recalc"] = times
        result["recalc_longtasks"] = attribute(page.evaluate(COLLECT, since))
    page.close()
    return result


def page_only_load(context, url: str, counter: Counter, done: str | None = None, recalcs: int = 0) -> dict:
    """The same page with the calculators' scripts blocked (ms = its load event): the floor of the
    deep link, and the long tasks the page has anyway (Material's script, laying out a long page),
    to tell them from the calculators'. Long tasks are counted up to the load event plus 1.5 s,
    longer than the deep link's window (its answer plus 0.5 s), so the floor is not flattered."""
    page = context.new_page()
    page.add_init_script(OBSERVERS)
    page.route("**/javascripts/calculator/**", lambda route: route.abort())
    start_bytes = counter.bytes
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1500)
    load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    longtasks = attribute(page.evaluate(COLLECT, 0))
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


RUNTIME_FILE = ("/assets/calculator/", "/assets/pyodide/", "/javascripts/calculator/worker.mjs")
# When the page's first request for a runtime file started, relative to the end of its load event.
FIRST_RUNTIME_REQUEST = """(parts) => {
  const load = performance.getEntriesByType("navigation")[0].loadEventEnd;
  const starts = performance.getEntriesByType("resource").filter((r) => parts.some((p) => r.name.includes(p)))
    .map((r) => r.startTime);
  return starts.length ? Math.min(...starts) - load : null;
}"""
SAVE_DATA = """Object.defineProperty(Navigator.prototype, "connection", { configurable: true,
  get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {} }) });"""


def measure_after_prefetch(p, base: str, counter: Counter, runs: int, done: str) -> dict:
    """Fresh profile; open a page without a calculator and let it warm the cache in idle time;
    then open the calculator deep link: what a user's first calculator costs in practice.
    Each run also records when the first runtime request started after the load event."""
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
            after_load = page.evaluate(FIRST_RUNTIME_REQUEST, list(RUNTIME_FILE))
            page.close()
            cold.append({**one_load(ctx, base + DEEP_LINK, counter, done), "prefetch_after_load_ms": after_load})
            ctx.close()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    return {"cold": cold, "warm": cold}


def prefetch_with_save_data(p, base: str) -> int:
    """Runtime files a page without a calculator requests, in 3 s after its load event, when
    ``navigator.connection.saveData`` is on (the browser's data saver, which also sends Save-Data)."""
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True)
        urls = []
        ctx.on("request", lambda r: urls.append(r.url))
        page = ctx.new_page()
        page.add_init_script(SAVE_DATA)
        page.goto(base + "about/", wait_until="load")
        page.wait_for_timeout(3000)
        ctx.close()
        return sum(any(part in u for part in RUNTIME_FILE) for u in urls)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


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
    page.add_init_script(OBSERVERS)
    if not calculators:
        page.route("**/javascripts/calculator/**", lambda route: route.abort())
    page.goto(url, wait_until="load" if not calculators else "commit")
    if calculators:
        page.wait_for_selector(done, state="attached", timeout=120000)
    page.wait_for_timeout(1000)            # the first page settles: its long tasks are not counted
    start_bytes = counter.bytes
    page.evaluate("(href) => { const a = document.createElement('a'); a.href = href; a.id = 'bench-next';"
                  " a.textContent = 'next'; document.querySelector('article').append(a); }", "../../" + SECOND)
    origin, since = page.evaluate("[performance.timeOrigin, performance.now()]")
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
    page.wait_for_timeout(500)
    # A full page load (no instant navigation) restarts the page's clock: then count from its start.
    same = page.evaluate("performance.timeOrigin") == origin
    longtasks = attribute(page.evaluate(COLLECT, since if same else 0))
    page.close()
    return {"ms": ms, "ready_ms": ready * 1000, "longtasks": longtasks, "bytes": counter.bytes - start_bytes}


def summary(runs: list[dict]) -> dict:
    def tasks(key):
        per_load = [r.get(key, []) for r in runs]
        return {"count_max": max(len(t) for t in per_load), "count_median": statistics.median(len(t) for t in per_load),
                "ours_max": max(sum(x["ours"] for x in t) for t in per_load),
                "own_ms_max": max([x["own_ms"] for t in per_load for x in t] or [0]),
                "longest_ms": max([x["ms"] for t in per_load for x in t] or [0]),
                "scripts": [x["scripts"] for t in per_load for x in t],
                "ours": [x for t in per_load for x in t if x["ours"]]}
    out = {"median_ms": round(statistics.median(r["ms"] for r in runs)),
           "min_ms": round(min(r["ms"] for r in runs)), "max_ms": round(max(r["ms"] for r in runs)),
           "bytes": round(statistics.median(r["bytes"] for r in runs)),
           "longtasks": tasks("longtasks")}
    recalcs = [t for r in runs for t in r.get("recalc", [])]
    if recalcs:
        out["recalc_median_ms"] = statistics.median(recalcs)
        out["recalc_max_ms"] = max(recalcs)
        out["recalc_longtasks"] = tasks("recalc_longtasks")
    out["after_answer"] = [t for r in runs for t in r.get("after_answer", [])]
    after = [r["prefetch_after_load_ms"] for r in runs if r.get("prefetch_after_load_ms") is not None]
    if after:
        out["prefetch_after_load_ms"] = round(min(after))
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


def loadavg() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


DL, DL_OFF = "deep link", "deep link, calculators off"
SECOND_ON, SECOND_OFF = "second calculator", "second page, calculators off"
PREFETCHED, NO_SNAPSHOT, PYODIDE = "deep link after prefetch", "deep link, no snapshot", "bare Pyodide + 1+1"


def report(table: dict, info: dict, manifest: dict, runs: int, save_data: int) -> None:
    print("Calculator load benchmark (issue 12, item 5): headless Chromium, "
          f"median of {runs} cold (fresh profile) and {runs} warm runs")
    print(f"  deep link: /{DEEP_LINK}; second calculator: a click to /{SECOND}")
    print(f"  machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}")
    print(f"  load average (1, 5, 15 min): {info['load_before']} before, {info['load_after']} after")
    print(f"  Chromium {info['chromium']}, Node {info['node']}, Python {info['python']}, "
          f"Pyodide {manifest['pyodide']['version']}, snapshot {'yes' if manifest.get('snapshot') else 'no'}")
    print()
    print("  'calculators off': the same page with javascripts/calculator/ blocked (ms = its load event, or the")
    print("  click to the new page's heading); 'after prefetch': a fresh profile opens a page without a calculator")
    print("  first and lets it prefetch in idle time (cold column only). Long tasks: most in one load.")
    print(f"  {'':30}{'cold ms':>9}{'(min-max)':>14}{'warm ms':>9}{'(min-max)':>14}{'cold bytes':>12}"
          f"{'warm bytes':>12}{'long tasks':>12}")
    for name, t in table.items():
        c, w = t["cold"], t["warm"]
        c_range = "({}-{})".format(c["min_ms"], c["max_ms"])
        if name == PREFETCHED:
            print(f"  {name:30}{c['median_ms']:>9}{c_range:>14}{'':>9}{'':>14}{c['bytes']:>12,}{'':>12}"
                  f"{c['longtasks']['count_max']:>12}")
            continue
        w_range = "({}-{})".format(w["min_ms"], w["max_ms"])
        lt = max(c["longtasks"]["count_max"], w["longtasks"]["count_max"])
        print(f"  {name:30}{c['median_ms']:>9}{c_range:>14}{w['median_ms']:>9}{w_range:>14}"
              f"{c['bytes']:>12,}{w['bytes']:>12,}{lt:>12}")

    def row(figure, measured, target, floor=None, met=None):
        ratio = f"{measured / floor:.2f}" if floor else "-"
        floor_text = f"{floor:.0f} ms" if floor else "-"
        print(f"  {figure:44}{measured:>8.0f} ms{target:>12}{floor_text:>10}{ratio:>7}  {'met' if met else 'NOT MET'}")

    calc, off = table[DL], table[DL_OFF]
    second, floor2 = table[SECOND_ON], table[SECOND_OFF]
    print()
    print("  Targets (issue 12, item 5); floor = the same page with the calculators off, in this run")
    print(f"  {'figure':44}{'measured':>11}{'target':>12}{'floor':>10}{'ratio':>7}")
    for kind, limit in (("warm", 800), ("cold", 1500)):
        ms = calc[kind]["median_ms"]
        row(f"deep link to first answer, {kind}", ms, f"<= {limit} ms", off[kind]["median_ms"], ms <= limit)
    for kind in ("warm", "cold"):
        ms = second[kind]["median_ms"]
        row(f"second calculator, click to answer ({kind})", ms, "<= 300 ms", floor2[kind]["median_ms"], ms <= 300)
    recalc_max = max(calc["cold"]["recalc_max_ms"], calc["warm"]["recalc_max_ms"])
    row(f"recalculation max (median {calc['warm']['recalc_median_ms']:.0f} ms)", recalc_max, "<= 50 ms", None,
        recalc_max <= 50)

    def lt(t, key="longtasks"):
        if not t["cold"].get(key):
            return None
        out = {k: max(t["cold"][key][k], t["warm"][key][k]) for k in ("count_max", "ours_max", "own_ms_max", "longest_ms")}
        return {**out, "ours": t["cold"][key]["ours"] + t["warm"][key]["ours"]}
    windows = [("deep link, navigation to answer + 0.5 s", lt(calc), lt(off)),
               ("recalculations (5 per load)", lt(calc, "recalc_longtasks"), None),
               ("second calculator, click to answer + 0.5 s", lt(second), lt(floor2))]
    ours = sum(on["ours_max"] for _, on, _ in windows)
    label = "long tasks from the calculators' own code"
    print(f"  {label:44}{ours:>11}{'0':>12}{'':>10}{'':>7}  "
          f"{'met' if ours == 0 else 'NOT MET'}")
    pre = table[PREFETCHED]["cold"].get("prefetch_after_load_ms")
    print(f"  {'prefetch: first runtime request after load':44}{'+' + str(pre) + ' ms' if pre is not None else '-':>11}"
          f"{'> 0, idle':>12}{'':>10}{'':>7}  {'met' if pre is not None and pre > 0 else 'NOT MET'}")
    print(f"  {'prefetch with Save-Data: runtime requests':44}{save_data:>11}{'0':>12}{'':>10}{'':>7}  "
          f"{'met' if save_data == 0 else 'NOT MET'}")

    print()
    print("  Long tasks (> 50 ms) on the main thread, most in one load over cold and warm runs; 'own' = the")
    print("  calculators' own time in them (their scripts and their calculator:init/render measures)")
    for name, on, floor in windows:
        text = (f"calculators on {on['count_max']} (longest {on['longest_ms']} ms, own time in them at most "
                f"{on['own_ms_max']:g} ms, made long by the calculators: {on['ours_max']})")
        if floor:
            text += (f"; off {floor['count_max']} (longest {floor['longest_ms']} ms); difference "
                     f"{on['count_max'] - floor['count_max']:+d}")
        print(f"    {name}: {text}")
        for task in on["ours"]:
            print(f"      made long by the calculators: {task['ms']} ms at {task['start']} ms, their own "
                  f"{task['own_ms']:g} ms; scripts: {'; '.join(task['scripts'])}")
    after = [t for kind in ("cold", "warm") for t in calc[kind]["after_answer"]]
    print(f"    deep link, long tasks starting within 200 ms after the answer, after the calculators' own task (the"
          f" browser laying out and painting it, Material's resize handlers): {len(after)} in {2 * runs} loads"
          + (f", {min(t['ms'] for t in after)}-{max(t['ms'] for t in after)} ms" if after else ""))
    print("  What ran in them (long-animation-frame scripts >= 5 ms, 'script (entry point)'; every run):")
    for label, names in (("calculators on", (DL, SECOND_ON)), ("calculators off", (DL_OFF, SECOND_OFF))):
        counts = {}
        for n in names:
            for kind in ("cold", "warm"):
                for key in ("longtasks", "recalc_longtasks"):
                    for scripts in table[n][kind].get(key, {}).get("scripts", []):
                        for script in scripts:
                            counts[script] = counts.get(script, 0) + 1
        print(f"    {label}: " + ("; ".join(f"{k} x{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
                                   or "none"))

    print()
    if PYODIDE in table:
        floor = table[PYODIDE]
        print(f"  ratio deep link / bare Pyodide + 1+1: cold {calc['cold']['median_ms'] / floor['cold']['median_ms']:.2f},"
              f" warm {calc['warm']['median_ms'] / floor['warm']['median_ms']:.2f}")
    if NO_SNAPSHOT in table:
        ns = table[NO_SNAPSHOT]
        print(f"  memory snapshot gain: cold {ns['cold']['median_ms'] - calc['cold']['median_ms']} ms "
              f"({ns['cold']['median_ms']} -> {calc['cold']['median_ms']}), warm "
              f"{ns['warm']['median_ms'] - calc['warm']['median_ms']} ms ({ns['warm']['median_ms']} -> "
              f"{calc['warm']['median_ms']})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-variants", action="store_true",
                    help="only the targets: skip the no-snapshot and bare-Pyodide comparisons")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    site = Path(args.site)
    manifest_path = site / "assets" / "calculator" / "manifest.json"
    if not manifest_path.exists():
        print(f"{manifest_path} not found: run `make build` first", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text())
    load_before = loadavg()
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
            results[DL] = measure(p, base, DEEP_LINK, answer, counter, args.runs, recalcs=5)
            results[DL_OFF] = measure(p, base, DEEP_LINK, "", counter, args.runs, load=page_only_load)
            results[SECOND_ON] = measure(p, base, DEEP_LINK, answer, counter, args.runs, load=second_calculator)
            results[SECOND_OFF] = measure(p, base, DEEP_LINK, answer, counter, args.runs,
                                          load=lambda *a, **k: second_calculator(*a, **k, calculators=False))
            results[PREFETCHED] = measure_after_prefetch(p, base, counter, args.runs, answer)
            save_data = prefetch_with_save_data(p, base)
            if not args.no_variants:
                if manifest.get("snapshot"):
                    results[NO_SNAPSHOT] = measure(p, base, DEEP_LINK + "&calculator-snapshot=0", answer,
                                                   counter, args.runs)
                results[PYODIDE] = measure(p, base, "__bench/floor.html", "body[data-done]", counter, args.runs)
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)

    table = {name: {k: summary(v) for k, v in r.items()} for name, r in results.items()}
    info = {**machine(version), "load_before": load_before, "load_after": loadavg()}
    if args.json:
        print(json.dumps({"machine": info, "results": table, "save_data_requests": save_data, "raw": results},
                         indent=1))
        return 0
    report(table, info, manifest, args.runs, save_data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
