"""Preview on save: ``make serve`` follows every save in rules/, and the open page reloads.

    python -m macros.deployment.serve --watch rules site

What happens on save:

1. A watcher thread reads the modification time and size of every file under rules/
   every 0.2 s (the standard library only: no file-system events to miss on network
   drives or in containers). A change waits until the files have been still for one
   more round (an editor's save is often a rename and a write; several saves in quick
   succession are one change).
2. The check, scoped (``macros.rules.incremental``): only the saved files are read again,
   the rest of the last state is reused, and the checks across files run. An invalid edit
   stops here: every HTML page the server sends is then a page with the check's problems
   (file, line, key, message, what to write: ``preview_assets/error.html``), never the
   stale site, until a save fixes it.
3. The fast page (``macros.deployment.preview_render``): when only procedure files
   changed and the navigation did not, each changed procedure's page is rendered from the
   build state kept in memory, with the same templates and macros as the full build, and
   put into the served site. The version goes up and the open page reloads (the figures:
   ``bench/bench_preview.py``, README "Preview on save").
4. The full build, in the background, 2 s later (the browser's reload has the cores first;
   ``make build``'s atomic build, in its own process group, into a folder beside the
   site, swapped in when complete): the search index, the
   changes feed, the print view and the pages that quote the edited paragraph catch up.
   Meanwhile ``updating`` is true and every page shows the line "Updating: the rest of
   the site is being rebuilt" (``preview_assets/updating.html``, shown by
   ``reload.js`` as long as ``updating`` is true). A save during it cancels it (the process
   group is killed: a build that can no longer be swapped in is not finished) and starts
   again from step 2. Its end bumps the version again, so other open pages reload too.
   Any other change (areas, events, timescales, contacts, thresholds, glossary, calendar,
   a new procedure, a changed title or part) goes straight to this full build, and the
   in-memory state is prepared again after it.

``/_preview/status.json`` gives ``{"version", "error", "problems", "updating", "building",
"seconds", "shown_seconds", "fast"}``; ``/_preview/reload.js`` (an external script, so the
Content-Security-Policy's "no inline script" holds) reads it as a long poll (the request
waits up to 20 s for the version or ``updating`` to change) and reloads the page when the
version or the error changes.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from macros.deployment.build_info import REPO

ASSETS = Path(__file__).with_name("preview_assets")
STATUS, SCRIPT, STYLE = "_preview/status.json", "_preview/reload.js", "_preview/preview.css"
TEMPLATES = Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=True, trim_blocks=True, lstrip_blocks=True)
LONG_POLL = 20.0          # seconds a status request waits for news
BUILD_DELAY = 2.0         # seconds between a fast page and the start of the full build


def snapshot(root: Path) -> dict:
    """Every file under ``root``: ``{path: (modification time, size)}`` (one stat a file, a few
    hundredths of a second for 2,000 procedures)."""
    out, folders = {}, [str(root)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file():
                    st = entry.stat()
                    out[entry.path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                continue
    return out


class Preview:
    """The watcher and its state (version, error, updating), shared with the server's handler.

    ``fast=False`` never renders a page in memory (every save runs the full build, as before
    the fast page existed: the bench's comparison)."""

    def __init__(self, rules: Path, site: Path, build=None, interval: float = 0.2, fast: bool = True):
        from macros.rules.incremental import Incremental
        self.rules, self.site, self.interval = Path(rules), Path(site), interval
        self.build = build or self._build
        self.version, self.error, self.problems = 0, None, []
        self.updating, self.seconds, self.shown_seconds, self.fast_pages = False, 0.0, None, []
        self.checker = Incremental(self.rules)
        self.fast, self.renderer = fast, None
        self.render_lock = threading.Lock()
        self.check_lock = threading.Lock()      # the watcher and the preparing thread share the last state
        self.changed = threading.Condition()
        self.lock = self.changed                 # one lock for the state, notified on every change
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self._job = None                         # the background full build: ({"process", "cancelled"}, thread)
        self.job_lock = threading.Lock()
        self.build_delay = BUILD_DELAY
        self.long_poll = LONG_POLL

    # -- the state the server reads -------------------------------------------------------
    def status(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error, "problems": self.problems,
                    "updating": self.updating, "building": self.updating, "seconds": self.seconds,
                    "shown_seconds": self.shown_seconds, "fast": self.fast_pages}

    def wait(self, version: int, updating: bool) -> dict:
        """The status once the version or ``updating`` differs from what the page knows (or after ``long_poll`` s)."""
        end = time.monotonic() + self.long_poll
        with self.changed:
            while self.version == version and self.updating == updating and not self.stop.is_set():
                left = end - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, 1.0))
        return self.status()

    def _set(self, **values) -> None:
        with self.changed:
            for key, value in values.items():
                setattr(self, key, value)
            self.changed.notify_all()

    def _check(self):
        with self.check_lock:
            return self.checker.check()

    # -- the full build ---------------------------------------------------------------------
    def _build(self) -> str | None:
        """Check, then build in this thread (the first build, and the bench's floor); the error text or None."""
        from macros.rules import RulesInvalid
        try:
            self._check()
        except RulesInvalid as exc:
            return exc.report()
        process = self._start_build()
        return self._finish_build(process)

    def _start_build(self) -> subprocess.Popen:
        """``make build``'s atomic build into a folder beside the site, in its own process group."""
        env = dict(os.environ, PROCEDURES_RULES_DIR=str(self.rules.resolve()))
        log = tempfile.TemporaryFile()
        process = subprocess.Popen([sys.executable, "-m", "macros.deployment.build_info", "build", str(self._next())],
                                   cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        process.log = log
        return process

    def _next(self) -> Path:
        return self.site.parent / f"{self.site.name}.preview-next"

    def _finish_build(self, process: subprocess.Popen) -> str | None:
        """Wait for the build; swap its site in. The error text, or None."""
        status = process.wait()
        process.log.seek(0)
        report = process.log.read().decode("utf-8", "replace").strip()
        process.log.close()
        if status < 0:
            return "cancelled"
        if status != 0:
            return report or f"the build failed (status {status})"
        with self.render_lock:                   # no fast page is written while the folders move
            old = None
            if self.site.exists():
                old = Path(tempfile.mkdtemp(prefix=f"{self.site.name}.old-{os.getpid()}-", dir=self.site.parent))
                old.rmdir()
                self.site.rename(old)
            self._next().rename(self.site)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return None

    def rebuild(self):
        """Check and build now, in this thread (the first build; the bench's floor)."""
        started = time.perf_counter()
        self._set(updating=True)
        error = self.build()
        self._set(error=error, problems=[], updating=False, seconds=round(time.perf_counter() - started, 3),
                  version=self.version + 1)

    def _cancel(self) -> None:
        """Stop the background build, if one waits or runs: its whole process group (Pagefind included)."""
        job, self._job = self._job, None
        if job is None:
            return
        state, thread = job
        with self.job_lock:
            state["cancelled"].set()
            process = state["process"]
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        thread.join()

    def _background(self, prepare: bool, delay: float = 0.0) -> None:
        """The full build in the background, after ``delay`` seconds (after a fast page, so that the
        browser's reload does not share the cores with the build's start); a save meanwhile cancels it."""
        started = time.perf_counter()
        state = {"process": None, "cancelled": threading.Event()}

        def work():
            if delay and state["cancelled"].wait(delay):
                return
            with self.job_lock:
                if state["cancelled"].is_set():
                    return
                state["process"] = process = self._start_build()
            error = self._finish_build(process)
            if error == "cancelled":
                return
            self._set(error=error, problems=[], updating=False, seconds=round(time.perf_counter() - started, 3),
                      version=self.version + 1)
            if error is None and prepare and self.fast:    # not joined by a cancel: a save meanwhile builds in full
                threading.Thread(target=self._prepare, daemon=True).start()
        thread = threading.Thread(target=work, daemon=True)
        self._job = (state, thread)
        self._set(updating=True)
        thread.start()

    # -- the fast page --------------------------------------------------------------------------
    def _prepare(self) -> None:
        """The in-memory build state, prepared anew (after the first build, and after a full build
        the fast page could not stand in for)."""
        from macros.deployment.preview_render import PageRenderer
        with self.render_lock:
            if self.renderer is not None:
                self.renderer.close()
            self.renderer = None
            gc.unfreeze()                         # the last state's objects may go now
            renderer = PageRenderer(self.rules, self.site)
            try:
                rules = self._check()
                renderer.prepare()
                renderer.warm(rules)
            except Exception as exc:              # the full build reports what is wrong
                renderer.close()
                print(f"preview: pages are rebuilt in full only ({type(exc).__name__}: {exc})", file=sys.stderr)
                return
            # The manual held in memory (parsed rules, generated pages) is kept out of the garbage
            # collector's rounds: on 2,000 procedures they made the check after a save 20 times slower.
            gc.collect()
            gc.freeze()
            self.renderer = renderer

    def _fast(self, rules, changed: set[str]) -> list[str] | None:
        """Each changed procedure's page rendered into the site; the pages, or None for the full build."""
        if not self.fast or not changed or not self.render_lock.acquire(blocking=False):
            return None
        try:
            if self.renderer is None or not all(rel.startswith("procedures/") for rel in changed):
                return None
            written = []
            for rel in sorted(changed):
                try:
                    page = self.renderer.render(rules, rel)
                except Exception:                 # the full build names the problem
                    page = None
                if page is None:
                    return None
                written.append(page.relative_to(self.site).parent.as_posix() + "/")
            return written
        finally:
            self.render_lock.release()

    # -- on save ----------------------------------------------------------------------------------
    def on_save(self, changed: set[str]) -> None:
        """What happens when files under rules/ were saved (paths relative to rules/)."""
        from macros.rules import RulesInvalid
        started = time.perf_counter()
        self._cancel()
        collecting = gc.isenabled()
        gc.disable()                             # no collector round in the second that counts
        try:
            rules = self._check()
            pages = self._fast(rules, changed)
        except RulesInvalid as exc:
            self._set(error=exc.report(), problems=[p.__dict__ for p in exc.problems], updating=False,
                      version=self.version + 1)
            return
        finally:
            if collecting:
                gc.enable()
        if pages is not None:
            self._set(error=None, problems=[], fast_pages=pages, version=self.version + 1,
                      shown_seconds=round(time.perf_counter() - started, 3))
        elif self.status()["error"]:             # fixed: the site as it was, saying it is being rebuilt
            self._set(error=None, problems=[], version=self.version + 1)
        self._background(prepare=pages is None, delay=self.build_delay if pages is not None else 0.0)

    def run(self):
        seen = snapshot(self.rules)             # before anything else: a save from now on is seen
        if self.fast:                           # saves meanwhile are built in full
            threading.Thread(target=self._prepare, daemon=True).start()
        while not self.stop.wait(self.interval):
            now = snapshot(self.rules)
            if now == seen:
                continue
            while not self.stop.wait(self.interval):      # until the files are still: one change
                later = snapshot(self.rules)
                if later == now:
                    break
                now = later
            changed = {Path(p).relative_to(self.rules).as_posix() for p in set(now) | set(seen)
                       if now.get(p) != seen.get(p)}
            seen = now
            self.on_save(changed)
        self._cancel()

    def start(self) -> Preview:
        self.thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        if self.thread.ident is not None:
            self.thread.join(timeout=30)
        self._cancel()
        with self.render_lock:
            if self.renderer is not None:
                self.renderer.close()
        with self.changed:
            self.changed.notify_all()


# -- what the server sends --------------------------------------------------------------------
def seen_key(status: dict) -> str:
    """What a page was served at: the reload script reloads when this changes."""
    return f"{status['version']}:{'error' if status['error'] else 'ok'}"


def head_tags(prefix: str, status: dict) -> bytes:
    return TEMPLATES.get_template("head.html").render(prefix=prefix, script=SCRIPT, status=STATUS, style=STYLE,
                                                      seen=seen_key(status)).encode()


def with_script(page: bytes, prefix: str, status: dict) -> bytes:
    """The page with the preview's "updating" line and reload script before ``</body>`` (or at its end)."""
    at = page.rfind(b"</body>")
    tag = TEMPLATES.get_template("updating.html").render(updating=status["updating"]).encode() + head_tags(prefix, status)
    return page[:at] + tag + page[at:] if at != -1 else page + tag


def error_page(status: dict, prefix: str) -> bytes:
    return (TEMPLATES.get_template("error.html").render(error=status["error"], problems=status["problems"]).encode()
            + head_tags(prefix, status))


def answer(preview: Preview, rel: str, fs_path: Path, prefix: str, query: str = "") -> tuple[int, str, bytes] | None:
    """(status, content type, body) for a preview request, or None to serve the file as usual."""
    if rel == STATUS:
        args = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        if "version" in args:
            try:
                status = preview.wait(int(args["version"]), args.get("updating") == "1")
            except ValueError:
                status = preview.status()
        else:
            status = preview.status()
        return 200, "application/json", json.dumps(status).encode()
    if rel in (SCRIPT, STYLE):
        return 200, "text/javascript" if rel == SCRIPT else "text/css", (ASSETS / Path(rel).name).read_bytes()
    if fs_path.is_dir():
        fs_path = fs_path / "index.html"
    if fs_path.suffix != ".html" and not rel.endswith("/") and rel:
        return None
    status = preview.status()
    if status["error"]:
        return 200, "text/html; charset=utf-8", error_page(status, prefix)
    if fs_path.is_file():
        return 200, "text/html; charset=utf-8", with_script(fs_path.read_bytes(), prefix, status)
    return None

