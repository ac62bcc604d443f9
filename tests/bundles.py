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
