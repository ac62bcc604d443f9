"""Preview on save (``make bench``): from saving one edited paragraph to the page showing it, against the full build.

    python bench/bench_preview.py [--procedures N] [--json]

A synthetic manual of N procedures (bench/bench_scale.py's generator; default 2,000, the
issue's size), built once in full by the preview (macros/deployment/preview.py: check,
then the build ``make build`` runs) — that time is the floor. Then the server runs with
``--watch`` and one paragraph of one synthetic procedure is edited and saved; the figure
is the wall-clock time from the save until the served page holds the new words (the
watcher's poll, the check, the rebuild, the page fetched over HTTP). The issue's target
is 2 s at 2,000 procedures. Printed with the machine's load average, as both figures
move with it.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import generate  # noqa: E402

from macros.deployment.preview import Preview  # noqa: E402
from macros.deployment.serve import make_server  # noqa: E402

MARK = "Edited for the preview bench"


def measure(procedures: int) -> dict:
    os.environ.setdefault("CALCULATOR_SNAPSHOT", "0")
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        rules = generate(Path(tmp), procedures)
        site = Path(tmp) / "site"
        preview = Preview(rules, site)
        preview.rebuild()
        if preview.status()["error"]:
            raise SystemExit(preview.status()["error"])
        full = preview.status()["seconds"]
        preview.start()
        server = make_server(site, port=0, preview=preview)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            edited = next(p for p in sorted((rules / "procedures").glob("synthetic-*/*.yaml")))
            text = edited.read_text(encoding="utf-8")
            lines = text.splitlines()     # the first line of a paragraph's text, plain words in its first 50
            old = next(lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if line.strip() == "text: |"
                       and re.fullmatch(r"[A-Za-z ,]{50}", lines[i + 1].strip()[:50]))
            page = site / edited.parent.name / edited.stem / "index.html"     # the edited procedure's own page
            if old[:50] not in page.read_text(encoding="utf-8"):
                raise SystemExit(f"{page} does not hold the paragraph to edit: {old[:50]}")
            url = f"http://127.0.0.1:{server.server_address[1]}/{edited.parent.name}/{edited.stem}/"
            saved = time.perf_counter()
            edited.write_text(text.replace(old, f"{MARK}. {old}", 1), encoding="utf-8")
            while True:
                with urllib.request.urlopen(url, timeout=60) as r:
                    if MARK in r.read().decode("utf-8"):
                        break
                status = preview.status()
                if status["version"] >= 2 and not status["building"]:
                    raise SystemExit(f"rebuilt, but {url} does not show the edit: {status['error'] or 'no error'}")
                time.sleep(0.1)
            shown = time.perf_counter() - saved
        finally:
            preview.stop.set()
            server.shutdown()
    return {"procedures": procedures, "full_build_s": round(full, 1), "edit_shown_s": round(shown, 1),
            "load_average": [round(x, 1) for x in os.getloadavg()], "cpus": os.cpu_count()}


def main(argv: list[str]) -> int:
    n = int(argv[argv.index("--procedures") + 1]) if "--procedures" in argv else 2000
    result = measure(n)
    if "--json" in argv:
        print(json.dumps(result))
        return 0
    print(f"{result['procedures']} procedures: full build {result['full_build_s']} s (the floor); one edited "
          f"paragraph shown {result['edit_shown_s']} s after saving (target 2 s); load average "
          f"{result['load_average']} on {result['cpus']} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
