"""Events and steps (rules/events.yaml): unique ids; every ``met_by`` names a real event.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules.yamlsource import Document, Problem


def load_events(ck):
    found = ck.of_kind("events")
    if not found:
        ck.problems.append(Problem("rules/events.yaml", 1, "", "missing: events and steps are needed", ""))
        return
    _, doc = found[0]
    for key, target in (("events", ck.rules.events), ("steps", ck.rules.steps)):
        for i, item in enumerate(doc.data.get(key, [])):
            if item["id"] in target:
                ck.problem(doc, (key, i, "id"), f"duplicate {key[:-1]} '{item['id']}'")
            target[item["id"]] = item
    ck.guarded(check_met_by, ck, doc)


def check_met_by_sources(ck):
    """A ``met_by_source`` (the paragraph that names a step's completing event) is a real
    section or block (run once the procedures, and so the anchors, are loaded)."""
    for _, doc in ck.of_kind("events")[:1]:
        for i, step in enumerate(doc.data.get("steps", [])):
            if step.get("met_by_source"):
                ck.source(doc, ("steps", i, "met_by_source"), step["met_by_source"], None, "met_by_source")


def check_met_by(ck, doc: Document):
    """Every ``met_by`` of a step names an event of the vocabulary."""
    for i, step in enumerate(doc.data.get("steps", [])):
        for j, ev in enumerate(step.get("met_by") or []):
            if ev not in ck.rules.events:
                ck.problem(doc, ("steps", i, "met_by", j),
                             f"unknown event '{ev}' in met_by of step '{step['id']}'; events: "
                             f"{', '.join(ck.rules.events)}", "met_by: [icpc]")
