"""Published ids and moved ids (rules/published-ids.txt, rules/moved-ids.yaml): an id partners
may link to never disappears without a recorded move.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules import moves, yamlsource
from macros.rules.published_ids import current_ids
from macros.rules.reading import shown
from macros.rules.ruletext import text_problems
from macros.rules.schemas import schema_problems
from macros.rules.yamlsource import Problem


def check_published(ck):
    """A published id (published-ids.txt) that disappears needs a record in moved-ids.yaml."""
    moved = moved_ids(ck)
    listed = ck.rules.root / "published-ids.txt"
    if not listed.is_file():
        return
    now = current_ids(ck.rules)
    for n, line in enumerate(listed.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line in now:
            continue
        ident = line.split(" ", 1)[-1]
        target = moved.get(ident)
        if target is None:
            ck.problems.append(Problem(shown(listed), n, "", f"published id '{line}' is no longer in rules/: a "
                                         "partner's link would break. Restore it, or record the move in "
                                         "rules/moved-ids.yaml", f"- {{id: {ident}, moved_to: wt-52, date: 2026-12-01, "
                                         "reason: paragraph renumbered}"))


def moved_ids(ck) -> dict:
    """rules/moved-ids.yaml: a list of ``{id, moved_to, date, reason}`` (see rules/README.md), read
    like every rule file: strictly (yamlsource), against its schema (rules/schema/moved-ids.schema.json:
    ids and targets of this site only, a real date), every string through the rule-text checks
    (a ``reason`` is published on the "Linking" page), then resolved against the site
    (:func:`macros.rules.moves.resolve`): a target that is not an id or page of the site, a loop,
    an old id still published and an id moved twice are refused here, at check time, with the
    entry's line. Returns ``{old id: moved_to}`` of the entries that passed the schema."""
    path = ck.rules.root / moves.FILE
    if not path.is_file():
        return {}
    name = shown(path)
    text, found = yamlsource.decode(path.read_bytes(), name)
    doc, more = yamlsource.read(text, name) if text is not None else (None, [])
    ck.problems.extend(found + more)
    if doc is None:
        return {}
    if not isinstance(doc.data, list):
        ck.problems.append(Problem(name, 1, "", "must be a list of moves", moves.EXAMPLE))
        return {}
    refused = [p for p in schema_problems(doc, "moved-ids") if p.path not in doc.refused] + text_problems(doc, "moved-ids")
    ck.problems.extend(refused)
    bad = {int(p.path[1:].split("]")[0]) for p in refused if p.path.startswith("[")}
    entries, seen = [], {}
    for i, e in enumerate(doc.data):
        if i in bad or not isinstance(e, dict):
            continue
        if e["id"] in seen:
            ck.problem(doc, (i, "id"), f"'{e['id']}' is already recorded as moved (entry {seen[e['id']] + 1}): "
                       "one move per old id", "record the latest place in the first entry's moved_to")
            continue
        seen[e["id"]] = i
        entries.append((i, e))

    def report(entry: dict, message: str) -> None:
        i = next(n for n, e in entries if e is entry)
        ck.problem(doc, (i,), message, moves.EXAMPLE)
    moves.resolve(ck.rules, [e for _, e in entries], report=report)
    # Every recorded move, resolved or not: one that does not resolve (or fails the schema) is
    # reported once, above, not again as a published id gone missing.
    recorded = {e["id"]: str(e.get("moved_to", "")) for e in doc.data if isinstance(e, dict) and isinstance(e.get("id"), str)}
    return recorded | {e["id"]: e["moved_to"] for _, e in entries}
