"""Preview on save (``make bench``): from saving one edited paragraph to Chromium showing it, against the full build.

    python bench/bench_preview.py [--procedures N [N ...]] [--runs R] [--no-catch-up] [--json]

For each size N (default 500 and 2,000, the issue's size), a synthetic manual of N
procedures (bench/bench_scale.py's generator) is built once in full by the preview
(macros/deployment/preview.py: the check, then the build ``make build`` runs): that time
is the floor, measured in the same run. Then the server runs with ``--watch`` and Debian's
Chromium (playwright, never a downloaded browser) opens one synthetic procedure's page. R
times (default 3), one paragraph of that procedure is edited and saved; the figure is
the wall-clock time from the save until the open page, reloaded by the preview's script,
shows the new words (the watcher's poll and settling, the scoped check, the page rendered
from memory, the long poll answered, the reload): the median of the R runs, and its ratio
to the full build. A save while the previous save's background build runs cancels it, as
an owner's next save does. After the last run, the time until the rest of the site caught
up (the background full build swapped in) is printed too (``--no-catch-up``: not waited for). The issue's target is 2 s at
2,000 procedures. Printed with the machine's cores and load average, as all figures move
with it. Not a test: it only prints.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import generate  # noqa: E402

from macros.deployment.preview import Preview  # noqa: E402
from macros.deployment.serve import make_server  # noqa: E402

MARK = "Edited for the preview bench"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _paragraph(text: str) -> str:
    """The first line of a paragraph's text, plain words in its first 50 characters."""
    lines = text.splitlines()
    return next(lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if line.strip() == "text: |"
                and re.fullmatch(r"[A-Za-z ,]{50}", lines[i + 1].strip()[:50]))


def _until(condition, limit: float, what: str) -> None:
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"gave up after {limit:.0f} s waiting for {what}")
        time.sleep(0.05)


def measure(procedures: int, runs: int = 3, catch_up: bool = True) -> dict:
    from playwright.sync_api import sync_playwright
    os.environ.setdefault("CALCULATOR_SNAPSHOT", "0")
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        rules = generate(Path(tmp), procedures)
        site = Path(tmp) / "site"
        preview = Preview(rules, site)
        preview.rebuild()
        if preview.status()["error"]:
            raise SystemExit(preview.status()["error"])
        full = preview.status()["seconds"]
        started = time.perf_counter()
        preview.start()
        _until(lambda: preview.renderer is not None, 600, "the in-memory build state")
        prepared = time.perf_counter() - started
        server = make_server(site, port=0, preview=preview)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        edited = sorted((rules / "procedures").glob("synthetic-*/*.yaml"))[0]
        url = f"http://127.0.0.1:{server.server_address[1]}/{edited.parent.name}/{edited.stem}/"
        shown, server_side, caught_up = [], [], None
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                page.goto(url)
                for run in range(runs):
                    text = edited.read_text(encoding="utf-8")
                    old = _paragraph(text)
                    words = f"{MARK} {run + 1}."
                    page.wait_for_load_state("load")
                    time.sleep(1.0)                       # the page's long poll is waiting, as in use
                    saved = time.perf_counter()
                    edited.write_text(text.replace(old, f"{words} {old}", 1), encoding="utf-8")
                    page.wait_for_function("w => document.body && document.body.innerText.includes(w)", arg=words,
                                           timeout=900_000, polling=20)
                    shown.append(time.perf_counter() - saved)
                    server_side.append(preview.status()["shown_seconds"] or 0.0)
                    if preview.status()["error"]:
                        raise SystemExit(preview.status()["error"])
                if catch_up:
                    _until(lambda: not preview.status()["updating"], 3600, "the background build")
                    caught_up = time.perf_counter() - saved
                browser.close()
        finally:
            preview.close()
            server.shutdown()
    return {"procedures": procedures, "full_build_s": round(full, 1), "prepare_s": round(prepared, 1),
            "edit_shown_s": [round(s, 2) for s in shown], "edit_shown_median_s": round(statistics.median(shown), 2),
            "check_and_page_s": round(statistics.median(server_side), 2),
            "ratio_to_full_build": round(statistics.median(shown) / full, 3), "rest_caught_up_s": caught_up and round(caught_up, 1),
            "fast_page": bool(preview.status()["fast"]),
            "load_average": [round(x, 1) for x in os.getloadavg()], "cpus": os.cpu_count()}


def main(argv: list[str]) -> int:
    sizes = [500, 2000]
    if "--procedures" in argv:
        sizes = [int(a) for a in itertools.takewhile(str.isdigit, argv[argv.index("--procedures") + 1:])] or sizes
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    before = [round(x, 1) for x in os.getloadavg()]
    for n in sizes:
        result = measure(n, runs, catch_up="--no-catch-up" not in argv)
        if "--json" in argv:
            print(json.dumps(result))
            continue
        print(f"{result['procedures']} procedures: one edited paragraph shown in Chromium "
              f"{result['edit_shown_median_s']} s after saving (median of {runs}: {result['edit_shown_s']}; "
              f"target 2 s), {result['ratio_to_full_build']:.3f} of the full build's {result['full_build_s']} s "
              f"(the floor, same run), of which the check and the page {result['check_and_page_s']} s; "
              + (f"the rest of the site caught up {result['rest_caught_up_s']} s after the last save; "
                 if result["rest_caught_up_s"] else "") + f"in-memory state prepared in {result['prepare_s']} s; load average {before} before, "
              f"{result['load_average']} after, on {result['cpus']} CPUs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
