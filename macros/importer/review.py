"""Marking a draft reviewed: ``procedures review ID [ID ...]`` deletes the item's ``draft: true`` line.

The one edit a person could make by hand, made for them: the line is found through the
checker (``Rules.drafts``: file and line of each draft), so comments and layout stay as
they are. IDs are timescale, contact, page or area ids; an area id also marks its
thresholds file. ``--all AREA`` marks every draft of an area (after a person has read
the whole import). An id that is not a draft is reported, and nothing is changed for it.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path


def review(rules, ids: list[str], all_of: str | None = None) -> tuple[list[str], list[str]]:
    """(reviewed messages, problems). Edits the files in place."""
    wanted = set(ids)
    todo: dict[str, list[int]] = defaultdict(list)
    done, problems = [], []
    for file, line, kind, ident, _what in rules.drafts:
        area_match = all_of and (ident == all_of or _area_of(rules, kind, ident) == all_of)
        if ident in wanted or area_match:
            todo[file].append(line)
            done.append(f"{kind} '{ident}' reviewed ({file}:{line})")
            wanted.discard(ident)
    for ident in sorted(wanted):
        problems.append(f"'{ident}' is not a draft (no `draft: true` found for it); `procedures check` lists the drafts")
    for file, lines in todo.items():
        path = Path(file)
        text = path.read_text(encoding="utf-8").split("\n")
        for n in sorted(set(lines), reverse=True):
            if text[n - 1].strip() != "draft: true":
                problems.append(f"{file}:{n}: expected the line `draft: true`, found {text[n - 1].strip()!r}: edit it by hand")
                continue
            del text[n - 1]
        path.write_text("\n".join(text), encoding="utf-8")
    return done, problems


def _area_of(rules, kind: str, ident: str) -> str | None:
    if kind == "timescale":
        return next((a for a, ts in rules.timescales.items() if any(t["id"] == ident for t in ts)), None)
    if kind == "contact":
        return next((a for a, cs in rules.contacts.items() if any(c["id"] == ident for c in cs)), None)
    if kind == "page":
        return next((a for a, ps in rules.procedures.items() if any(p["id"] == ident for p in ps)), None)
    return ident
