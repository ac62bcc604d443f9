"""The tests' imaginary world: small hand-made bundles, with the real bank holidays.

Pure Python and PyYAML only, so the same helpers serve the tests inside Pyodide.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "world.json"
CALENDAR = ROOT / "rules" / "calendar" / "england-and-wales.yaml"


def real_calendar() -> dict:
    """rules/calendar/england-and-wales.yaml in the bundle's shape (dates as strings)."""
    data = yaml.safe_load(CALENDAR.read_text(encoding="utf-8"))
    return {"division": data["division"], "source": data["source"],
            "covers_from": str(data["covers_from"]), "covers_to": str(data["covers_to"]),
            "holidays": [{"date": str(h["date"]), "title": h["title"]} for h in data["holidays"]]}


def world() -> dict:
    """The tests' one imaginary world (tests/fixtures/world.json) with the real calendar put in.

    national (timescales, the 999 question, a significant-harm flag), Fenshire (its own
    timescales and closure days), Shire (its own flags, two indicators and rules) and
    Vale (no thresholds of its own). A fresh copy each call: tests may change it."""
    bundle = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bundle["calendar"] = real_calendar()
    return bundle


_real: dict = {}


def real_bundle() -> dict:
    """The bundle of the real rules/: loaded by macros in CPython; inside Pyodide (where macros/
    cannot load rules/) read from ``$PROCEDURES_BUNDLE_JSON``, the JSON the build exports.
    Skips the calling test when neither is possible."""
    if "bundle" not in _real:
        import os
        import sys
        path = os.environ.get("PROCEDURES_BUNDLE_JSON")
        if path:
            with open(path, encoding="utf-8") as f:
                _real["bundle"] = json.load(f)
        elif sys.platform == "emscripten":
            import pytest
            pytest.skip("inside Pyodide macros/ cannot load rules/: set PROCEDURES_BUNDLE_JSON")
        else:
            from macros.state import load_bundle
            _real["bundle"] = load_bundle()
    return _real["bundle"]
