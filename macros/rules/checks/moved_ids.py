"""Published ids and moved ids (rules/published-ids.txt, rules/moved-ids.yaml): an id partners
may link to never disappears without a recorded move.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules import yamlsource
from macros.rules.published_ids import current_ids
from macros.rules.reading import shown
from macros.rules.yamlsource import Problem


def check_published(ck):
    """A published id (published-ids.txt) that disappears needs a record in moved-ids.yaml."""
    listed = ck.rules.root / "published-ids.txt"
    if not listed.is_file():
        return
    now = current_ids(ck.rules)
    bare = {line.split(" ", 1)[1] for line in now}
    moved = moved_ids(ck)
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
        elif target not in bare:
            ck.problems.append(Problem(shown(listed), n, "", f"published id '{ident}' moved to '{target}', "
                                         "which is not an id in rules/", ""))


def moved_ids(ck) -> dict:
    """rules/moved-ids.yaml: a list of ``{id, moved_to, date, reason}`` (see rules/README.md)."""
    path = ck.rules.root / "moved-ids.yaml"
    if not path.is_file():
        return {}
    name = shown(path)
    text, found = yamlsource.decode(path.read_bytes(), name)
    doc, more = yamlsource.read(text, name) if text is not None else (None, [])
    ck.problems.extend(found + more)
    out = {}
    entries = doc.data if doc and isinstance(doc.data, list) else []
    if doc and not isinstance(doc.data, list):
        ck.problems.append(Problem(name, 1, "", "must be a list of moves", "- {id: wt-3-1, moved_to: wt-3-2, "
                                     "date: 2026-12-01, reason: paragraph renumbered}"))
    for i, e in enumerate(entries):
        if not (isinstance(e, dict) and set(e) == {"id", "moved_to", "date", "reason"}
                and all(isinstance(v, str) and v for v in e.values())):
            ck.problem(doc, (i,), "each move has exactly the keys id, moved_to, date and reason",
                         "- {id: wt-3-1, moved_to: wt-3-2, date: 2026-12-01, reason: paragraph renumbered}")
            continue
        out[e["id"]] = e["moved_to"]
    return out
