"""The tests' imaginary world: small hand-made bundles, with the real bank holidays.

Pure Python and PyYAML only, so the same helpers serve the tests inside Pyodide.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "bundle_small.json"
CALENDAR = ROOT / "rules" / "calendar" / "england-and-wales.yaml"


def real_calendar() -> dict:
    """rules/calendar/england-and-wales.yaml in the bundle's shape (dates as strings)."""
    data = yaml.safe_load(CALENDAR.read_text(encoding="utf-8"))
    return {"division": data["division"], "source": data["source"],
            "covers_from": str(data["covers_from"]), "covers_to": str(data["covers_to"]),
            "holidays": [{"date": str(h["date"]), "title": h["title"]} for h in data["holidays"]]}


def small_bundle() -> dict:
    """tests/fixtures/bundle_small.json with the real calendar put in."""
    bundle = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bundle["calendar"] = real_calendar()
    return bundle


def example_bundle() -> dict:
    """A tiny bundle: national (999 question, a significant-harm flag, two rules), ``shire``
    (its own flags, two indicators and rules) and ``vale`` (no thresholds of its own)."""
    def src(i: str) -> dict:
        return {"document": "Doc", "document_id": "doc", "section": i, "id": i, "url": f"x/#{i}", "title": i}
    return {
        "areas": {"national": {"id": "national", "name": "England", "inherits": None},
                  "shire": {"id": "shire", "name": "Shire", "inherits": "national"},
                  "vale": {"id": "vale", "name": "Vale", "inherits": "national"}},
        "contacts": {"shire-door": {"id": "shire-door", "name": "Shire front door",
                                    "phones": [{"number": "01234 567890"}]}},
        "thresholds": {
            "national": {
                "levels": [], "indicators": [],
                "flag_groups": [{"id": "wt-immediate", "title": "Is the child in immediate danger?",
                                 "pathway": "immediate-protection", "source": src("wt-52")},
                                {"id": "wt-harm", "title": "Significant harm", "pathway": "child-protection",
                                 "source": src("wt-57")}],
                "flags": [{"id": "wt-immediate-danger", "group": "wt-immediate", "pathway": "immediate-protection",
                           "text": "Risk to life or of serious immediate harm", "source": src("wt-52")},
                          {"id": "wt-harm-suspected", "group": "wt-harm", "pathway": "child-protection",
                           "text": "Reasonable cause to suspect significant harm", "source": src("wt-57")}],
                "rules": [{"id": "wt-rule-immediate", "when": {"any_flag": "immediate-protection"},
                           "pathway": "immediate-protection", "explanation": "Immediate danger.",
                           "source": src("wt-52"), "next_steps": [{"text": "Make a referral now."}],
                           "contacts": []},
                          {"id": "wt-rule-cp", "when": {"any_flag": "child-protection"},
                           "pathway": "child-protection", "explanation": "Significant harm.",
                           "source": src("wt-57"), "next_steps": [], "contacts": []},
                          {"id": "wt-rule-otherwise", "when": {"otherwise": True}, "pathway": "early-help",
                           "explanation": "Talk to your safeguarding lead.", "source": src("wt-12"),
                           "next_steps": [], "contacts": []}]},
            "shire": {
                "levels": [],
                "indicators": [{"id": "sh-l2-school", "level": 2, "domain": "developmental-needs",
                                "dimension": "Education", "text": "Poor attendance", "source": src("sh-2")},
                               {"id": "sh-l3-housing", "level": 3, "domain": "family-environment",
                                "dimension": "Housing", "text": "Homeless", "source": src("sh-3")}],
                "flag_groups": [{"id": "sh-s47", "title": "Section 47", "pathway": "child-protection",
                                 "source": src("sh-47")}],
                "flags": [{"id": "sh-flag-fgm", "group": "sh-s47", "pathway": "child-protection",
                           "text": "Female genital mutilation", "source": src("sh-47")}],
                "rules": [{"id": "sh-rule-immediate", "when": {"any_flag": "immediate-protection"},
                           "pathway": "immediate-protection", "explanation": "Act now.", "source": src("sh-1"),
                           "next_steps": [{"text": "Then telephone the Shire front door."}],
                           "contacts": ["shire-door"]},
                          {"id": "sh-rule-cp", "when": {"any_flag": "child-protection"},
                           "pathway": "child-protection", "explanation": "Section 47.", "source": src("sh-47"),
                           "next_steps": [], "contacts": ["shire-door"]},
                          {"id": "sh-rule-level-3", "when": {"level_at_least": 3}, "pathway": "child-in-need",
                           "explanation": "Level 3.", "source": src("sh-3"), "next_steps": [], "contacts": []},
                          {"id": "sh-rule-level-2", "when": {"level_at_least": 2}, "pathway": "early-help",
                           "explanation": "Level 2.", "source": src("sh-2"), "next_steps": [], "contacts": []},
                          {"id": "sh-rule-universal", "when": {"otherwise": True}, "pathway": "universal",
                           "explanation": "Universal.", "source": src("sh-1"), "next_steps": [],
                           "contacts": []}]},
        },
    }
