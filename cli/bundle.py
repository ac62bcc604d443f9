"""The one place the command line gets its data: rules/ loaded, validated and exported as the bundle."""
from __future__ import annotations

import sys


def load_or_report() -> dict | None:
    """The bundle from rules/, or None after printing the loader's report (file, line, key)."""
    from macros.rules import RulesInvalid
    from macros.state import load_bundle
    try:
        return load_bundle()
    except RulesInvalid as exc:
        print(f"Cannot load rules/:\n{exc.report()}", file=sys.stderr)
        return None
