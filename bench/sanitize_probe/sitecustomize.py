"""Bench only: what the allow-list costs inside a real build (bench/bench_sanitize.py).

``bench/bench_sanitize.py`` puts this folder first on ``PYTHONPATH`` for the builds it
times, so Python imports this module at start-up in every process of the build. With
``BENCH_SANITIZE=time`` it wraps :func:`macros.site.sanitize.clean` (nh3, every block)
and :func:`macros.site.sanitize.violations` (html.parser, every page) to add up their calls
and CPU seconds (``time.process_time``: on a shared machine, waiting for a core is not
counted), written at exit to ``BENCH_SANITIZE_OUT/<pid>.json``. With
``BENCH_SANITIZE=off`` both do nothing (``clean`` returns its input, ``violations`` finds
nothing): the same build without the allow-list, to compare wall and CPU time. The site
that build writes is the bench's temporary folder, deleted after; nothing in the project
reads this variable or this folder (a published build never has them).
"""
import os

_MODE = os.environ.get("BENCH_SANITIZE")
if _MODE in ("time", "off"):
    import atexit
    import json
    import time

    from macros.site import sanitize

    _totals = {"clean_calls": 0, "clean_s": 0.0, "violations_calls": 0, "violations_s": 0.0}

    def _timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                _totals[f"{name}_s"] += time.process_time() - start
                _totals[f"{name}_calls"] += 1
        return wrapper

    if _MODE == "time":
        sanitize.clean = _timed("clean", sanitize.clean)
        sanitize.violations = _timed("violations", sanitize.violations)
    else:
        sanitize.clean = lambda fragment: fragment
        sanitize.violations = lambda page_html: []

    @atexit.register
    def _write():
        if _totals["clean_calls"] or _totals["violations_calls"]:
            out = os.path.join(os.environ["BENCH_SANITIZE_OUT"], f"{os.getpid()}.json")
            with open(out, "w", encoding="utf-8") as fh:
                json.dump(_totals, fh)
