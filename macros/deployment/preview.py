"""Preview on save: ``make serve`` rebuilds the site when a file in rules/ changes and the open page reloads.

    python -m macros.deployment.serve --watch rules site

How it works, and its edge cases:

- A watcher thread reads the modification time and size of every file under rules/
  every 0.3 s (the standard library only: no file-system events to miss on network
  drives or in containers). A change waits 0.3 s more for the editor to finish writing
  (an editor's save is often a rename and a write), then:
- ``procedures check`` runs first (``load_rules``): an invalid edit does not build. Its
  report (file, line, key, valid example) becomes the preview's error;
- otherwise the site is built the way ``make build`` builds it (``build_info``'s atomic
  build: the old site stays in place until the new one is complete), and the preview's
  version goes up. A failed build's message is the error too.
- While there is an error, every page the server sends is a page with that message
  (so no one reads a stale site by mistake); the next good save rebuilds and the pages
  come back. ``/_preview/status.json`` gives ``{"version", "error", "building",
  "seconds"}``; ``/_preview/reload.js`` (an external script, so the Content-Security-
  Policy's "no inline script" holds) polls it from every HTML page and reloads the page
  when the version or the error changes.
- A change made while a build runs is picked up by the next round (the snapshot is
  taken before the build starts).
"""
from __future__ import annotations

import html
import json
import os
import threading
import time
from pathlib import Path

ASSETS = Path(__file__).with_name("preview_assets")
STATUS, SCRIPT = "_preview/status.json", "_preview/reload.js"


def snapshot(root: Path) -> dict:
    out = {}
    for path in root.rglob("*"):
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            out[str(path)] = (st.st_mtime_ns, st.st_size)
    return out


class Preview:
    """The watcher and its state (version, error), shared with the server's handler."""

    def __init__(self, rules: Path, site: Path, build=None, interval: float = 0.3):
        self.rules, self.site, self.interval = Path(rules), Path(site), interval
        self.build = build or self._build
        self.version, self.error, self.building, self.seconds = 0, None, False, 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def _build(self) -> str | None:
        """Check, then build; the error text, or None when the site was rebuilt."""
        import contextlib
        import io

        from macros.deployment.build_info import atomic_build
        from macros.rules import RulesInvalid, load_rules
        try:
            load_rules(self.rules)
        except RulesInvalid as exc:
            return exc.report()
        err = io.StringIO()
        before = os.environ.get("PROCEDURES_RULES_DIR")
        os.environ["PROCEDURES_RULES_DIR"] = str(self.rules.resolve())     # the build's rules tree
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                status = atomic_build(self.site)
        finally:
            if before is None:
                os.environ.pop("PROCEDURES_RULES_DIR", None)
            else:
                os.environ["PROCEDURES_RULES_DIR"] = before
        return None if status == 0 else (err.getvalue().strip() or f"the build failed (status {status})")

    def rebuild(self):
        started = time.perf_counter()
        with self.lock:
            self.building = True
        error = self.build()
        with self.lock:
            self.error, self.building = error, False
            self.seconds = round(time.perf_counter() - started, 3)
            self.version += 1

    def run(self):
        seen = snapshot(self.rules)
        while not self.stop.wait(self.interval):
            now = snapshot(self.rules)
            if now == seen:
                continue
            time.sleep(self.interval)          # let the editor finish writing
            seen = snapshot(self.rules)
            self.rebuild()

    def start(self) -> Preview:
        self.thread.start()
        return self

    def status(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error, "building": self.building,
                    "seconds": self.seconds}


def script_tag(prefix: str) -> bytes:
    return (f'<script src="{prefix}{SCRIPT}" data-status="{prefix}{STATUS}" defer></script>').encode()


def with_script(page: bytes, prefix: str) -> bytes:
    """The page with the reload script before ``</body>`` (or at its end)."""
    at = page.rfind(b"</body>")
    tag = script_tag(prefix)
    return page[:at] + tag + page[at:] if at != -1 else page + tag


def error_page(error: str, prefix: str) -> bytes:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview: rules/ has a problem"
        "</title></head><body><main><h1>The preview was not rebuilt: rules/ has a problem</h1>"
        "<p>Fix it and save: this page reloads when the site is rebuilt.</p>"
        f"<pre role=\"alert\">{html.escape(error)}</pre></main></body></html>").encode() + script_tag(prefix)


def answer(preview: Preview, rel: str, fs_path: Path, prefix: str) -> tuple[int, str, bytes] | None:
    """(status, content type, body) for a preview request, or None to serve the file as usual."""
    if rel == STATUS:
        return 200, "application/json", json.dumps(preview.status()).encode()
    if rel == SCRIPT:
        return 200, "text/javascript", (ASSETS / "reload.js").read_bytes()
    if fs_path.is_dir():
        fs_path = fs_path / "index.html"
    if fs_path.suffix != ".html" and not rel.endswith("/") and rel:
        return None
    error = preview.status()["error"]
    if error:
        return 200, "text/html; charset=utf-8", error_page(error, prefix)
    if fs_path.is_file():
        return 200, "text/html; charset=utf-8", with_script(fs_path.read_bytes(), prefix)
    return None
