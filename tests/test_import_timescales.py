"""The timescales `procedures import` finds in a paragraph: tests/cases/import_timescales.yaml.

Each case is a paragraph of one of the five source documents, read by the importer's own
timescale finder with the real vocabulary of rules/events.yaml (the rules it follows:
macros/importer/timescales.py, units.py and vocabulary.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from macros.importer.timescales import Finder
from macros.rules import load_rules

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "import_timescales.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_paragraph_gives_its_timescales(rules, case):
    finder = Finder("x", rules.events, rules.steps, rules.timescales.get(case.get("inherits", ""), []))
    text = finder.in_block("x-1", case["text"], case.get("subject", ""), case.get("title", ""))
    found = [{"amount": c.amount, "unit": c.unit, "direction": c.direction, "event": c.event,
              **({"every": c.recurrence["every"], "every_unit": c.recurrence["unit"]} if c.recurrence else {}),
              **({"guessed": True} if any(g.startswith("event guessed") for g in c.guessed) else {})}
             for c in finder.candidates]
    expected = [{"direction": "after", **f} for f in case["found"]]
    assert found == expected
    assert case.get("reads", "") in text
