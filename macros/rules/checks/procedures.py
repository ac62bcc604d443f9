"""Procedure pages (rules/procedures/<area>/<page>.yaml): the file name is the page id, known
documents and events, the area's parts, every section and block id unique site-wide with the
area's prefix, the amendments log.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules.model import Anchor
from macros.rules.yamlsource import Document


def load_procedure(ck, rel: str, doc: Document):
    area = rel.split("/")[1]
    data = doc.data
    if area not in ck.rules.areas:
        ck.problem(doc, (), f"folder '{area}' is not an area; areas: {', '.join(ck.rules.areas)}")
        return
    if rel.rsplit("/", 1)[1][:-5] != data.get("id"):
        ck.problem(doc, ("id",), f"page id '{data.get('id')}' must match the file name", f"id: {rel.rsplit('/', 1)[1][:-5]}")
    document = data.get("document")
    if document not in ck.rules.documents:
        ck.problem(doc, ("document",), f"unknown document '{document}'; documents: {', '.join(ck.rules.documents)}",
                     f"document: {ck.rules.areas[area]['documents'][0]['id']}")
    if "start_event" in data and data["start_event"] not in ck.rules.events:
        ck.problem(doc, ("start_event",), f"unknown event '{data['start_event']}'; events: {', '.join(ck.rules.events)}",
                     "start_event: referral")
    check_parts(ck, rel, doc, area, data)
    prefix = ck.rules.areas[area]["prefix"] + "-"
    data["area"] = area
    ck.rules.procedures.setdefault(area, []).append(data)

    def walk(sections, path, inherited_doc, own):
        for i, s in enumerate(sections):
            spath = path + (i,)
            sdoc = s.get("document", inherited_doc)
            anchor(ck, doc, spath, s, area, data, "section", s.get("title", ""), sdoc, prefix, own)
            for j, b in enumerate(s.get("blocks", [])):
                bpath = spath + ("blocks", j)
                kind = b.get("kind", "paragraph")
                title = b.get("title") or f"{kind.capitalize()} {b.get('cite', '')}".strip()
                anchor(ck, doc, bpath, b, area, data, kind, title, b.get("document", sdoc), prefix, own)
            walk(s.get("sections", []), spath + ("sections",), sdoc, own)

    own: list[str] = []
    walk(data.get("sections", []), ("sections",), document, own)
    # This page's ids are the anchors the walk just added, collected as it added them (copying
    # the manual's anchors to find them was a second per page at 2,000 procedures).
    ck.guarded(check_amendments, ck, doc, data, set(own))


def check_parts(ck, rel: str, doc: Document, area: str, data: dict):
    """A procedure names its part exactly when its area has parts."""
    parts = ck.rules.parts.get(area)
    part = data.get("part")
    if parts is None:
        if part is not None:
            ck.problem(doc, ("part",), f"area '{area}' has no parts, so a procedure names none; "
                         "remove part:, or declare the area's parts in rules/areas.yaml",
                         "parts:\n  - id: referral-and-assessment\n    title: \"Part 1: Referral and assessment\"\n    order: 1")
        return
    ids = [p["id"] for p in parts]
    if part is None:
        ck.problem(doc, ("order",), f"area '{area}' groups its procedures into parts: this procedure must name one "
                     f"({', '.join(ids)})", f"part: {ids[0]}")
    elif part not in ids:
        ck.problem(doc, ("part",), f"unknown part '{part}' for area '{area}'; parts: {', '.join(ids)}",
                     f"part: {ids[0]}")


def check_amendments(ck, doc: Document, data: dict, own: set[str]):
    """The page's amendments log and review dates (rules/README.md, "What's changed").

    Each amendment names sections of this page (``sections: [pbo-3-23]``, or ``[]`` for
    the whole page); the log is oldest first, with at most one ``first-published`` entry,
    first; a next review is never before the last one. Impossible dates (2026-02-30) are
    refused by the schema."""
    entries = data.get("amendments", [])
    for i, entry in enumerate(entries):
        for j, section in enumerate(entry.get("sections", [])):
            if section not in own:
                sample = next(iter(sorted(own)), "pbo-3-23")
                ck.problem(doc, ("amendments", i, "sections", j), f"unknown section '{section}': an amendment "
                             "names sections or blocks of this page", f"sections: [{sample}]")
        if i and entry["date"] < entries[i - 1]["date"]:
            ck.problem(doc, ("amendments", i, "date"), f"{entry['date']} is before the entry above "
                         f"({entries[i - 1]['date']}): the log is oldest first", "add new entries at the end")
        if entry.get("kind") == "first-published" and i:
            ck.problem(doc, ("amendments", i, "kind"), "only the first entry is the page's first publication",
                         "kind: amended")
    reviewed = data.get("reviewed")
    if reviewed and reviewed.get("next") is not None and reviewed["next"] <= reviewed["last"]:
        ck.problem(doc, ("reviewed", "next"), f"next review {reviewed['next']} is not after the last review "
                     f"{reviewed['last']}", "reviewed: {last: 2026-11-30, next: 2027-11-30, by: Procedures group}")


def anchor(ck, doc, path, item, area, page, kind, title, document, prefix, own=None):
    ident = item.get("id")
    if not ident:
        return
    if not ident.startswith(prefix):
        ck.problem(doc, path + ("id",), f"id '{ident}' must start with this area's prefix '{prefix}'",
                     f"id: {prefix}{ident}")
    if document not in ck.rules.documents:
        ck.problem(doc, path + ("document",), f"unknown document '{document}'", "document: wt2015-ch1")
    if ck.claim(doc, path + ("id",), ident, kind):
        ck.rules.anchors[ident] = Anchor(ident, area, page.get("id", ""), title, item.get("cite", ""), document, kind)
        if own is not None:
            own.append(ident)
