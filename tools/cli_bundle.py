"""The one place the command-line tools get their data (the engines themselves never do I/O).

The CLIs run in the project's environment, where ``macros`` can load and validate
rules/ and export the same bundle the browser gets. It is imported here, lazily,
so that the engines stay free of build-time code and run unchanged in Pyodide.
"""
from __future__ import annotations

import sys


def load_or_report() -> dict | None:
    """The bundle from rules/, or None after printing the loader's report (file, line, key)."""
    from macros.bundle import load_bundle   # build-time package: only the CLI shells reach it
    from macros.rules import RulesInvalid
    try:
        return load_bundle()
    except RulesInvalid as exc:
        print(f"Cannot load rules/:\n{exc.report()}", file=sys.stderr)
        return None
