"""Areas (rules/areas.yaml): unique ids and prefixes, documents, closure days, parts, the
inheritance chain ending at national, source files present.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

import datetime as dt

from macros.rules.model import ROOT_AREA, RULES
from macros.rules.reading import shown
from macros.rules.yamlsource import Document, Problem


def load_areas(ck):
    found = ck.of_kind("areas")
    if not found:
        ck.problems.append(Problem("rules/areas.yaml", 1, "", "missing: the site needs its list of areas", ""))
        return
    _, doc = found[0]
    prefixes = {}
    for i, area in enumerate(doc.data.get("areas", [])):
        if not isinstance(area, dict) or "id" not in area:
            continue
        if area["id"] in ck.rules.areas:
            ck.problem(doc, ("areas", i, "id"), f"duplicate area '{area['id']}'")
            continue
        ck.rules.areas[area["id"]] = area
        if area.get("prefix") in prefixes:
            ck.problem(doc, ("areas", i, "prefix"), f"prefix '{area['prefix']}' is also {prefixes[area['prefix']]}'s")
        prefixes[area.get("prefix")] = area["id"]
        for j, d in enumerate(area.get("documents", [])):
            if ck.claim(doc, ("areas", i, "documents", j, "id"), d["id"], "document"):
                ck.rules.documents[d["id"]] = {**d, "area": area["id"]}
        for j, c in enumerate(area.get("closure_days", [])):
            try:
                day = dt.date.fromisoformat(c["date"])
            except (ValueError, TypeError):
                continue  # the schema reports it
            if day.weekday() >= 5:
                ck.problem(doc, ("areas", i, "closure_days", j, "date"), f"{c['date']} is a {day:%A}: a closure "
                             "day is a working day the office is shut, so never a weekend", "- {date: 2026-12-29, "
                             "title: Council closure day}")
        load_parts(ck, doc, i, area)
    for i, area in enumerate(doc.data.get("areas", [])):
        parent = area.get("inherits") if isinstance(area, dict) else None
        if parent is not None and parent not in ck.rules.areas:
            ck.problem(doc, ("areas", i, "inherits"), f"unknown area '{parent}'; areas: {', '.join(ck.rules.areas)}",
                         "inherits: national")
    ck.areas_doc = doc


def load_parts(ck, doc: Document, i: int, area: dict):
    """An area's parts (optional): unique ids, kept by ``order`` then id.

    A part id names the overview page ``<area>/parts/<id>/``, so two parts of one
    area cannot share it; parts of different areas may (``part-1`` in each)."""
    if "parts" not in area:
        return
    seen = set()
    for j, part in enumerate(area["parts"]):
        if part["id"] in seen:
            ck.problem(doc, ("areas", i, "parts", j, "id"), f"duplicate part '{part['id']}' in area '{area['id']}'",
                         f"id: {part['id']}-2")
        seen.add(part["id"])
    ck.rules.parts[area["id"]] = sorted(area["parts"], key=lambda p: (p["order"], p["id"]))


def check_lineage(ck):
    """Every area's inheritance is a chain ending at national: no cycle, no other root."""
    doc = ck.areas_doc
    for i, area in enumerate(doc.data.get("areas", [])):
        seen, here = [area["id"]], area
        while here.get("inherits") is not None:
            parent = here["inherits"]
            if parent in seen:
                ck.problem(doc, ("areas", i, "inherits"), f"area '{area['id']}' inherits from itself "
                             f"({' -> '.join(seen + [parent])}): it would lose every national rule and the "
                             "immediate-danger question", "inherits: national")
                break
            if parent not in ck.rules.areas:
                break  # reported by load_areas
            seen.append(parent)
            here = ck.rules.areas[parent]
        else:
            if seen[-1] != ROOT_AREA:
                ck.problem(doc, ("areas", i, "inherits"), f"area '{area['id']}' does not inherit from "
                             f"{ROOT_AREA} (its chain ends at '{seen[-1]}')", "inherits: national")


def check_sources(ck):
    """Every document's ``source_file`` is in rules/sources/ (the text it is published from)."""
    folder = ck.rules.root / "sources"
    if not folder.is_dir():
        folder = RULES / "sources"   # a test tree cites the real sources
    doc = getattr(ck, "areas_doc", None)
    for i, area in enumerate(doc.data.get("areas", []) if doc else []):
        for j, d in enumerate(area.get("documents", [])):
            name = d.get("source_file")
            if name and not (folder / name).is_file():
                ck.problem(doc, ("areas", i, "documents", j, "source_file"), f"'{name}' is not in "
                             f"{shown(folder)}/", f"source_file: {next(iter(sorted(p.name for p in folder.glob('*.txt'))), '000_c3a8e56ffa9df0d9.txt')}")
