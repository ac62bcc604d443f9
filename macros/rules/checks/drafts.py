"""Draft items: what ``procedures import`` wrote and no person has reviewed yet (``draft: true``).

A draft is valid rules (it passes every other check) but is not yet a rule the site may
present as final. Each draft is recorded in ``Rules.drafts`` as ``(file, line, kind, id,
what)`` so that ``procedures check`` lists it as a warning, the pages label it "Draft: not
yet reviewed", the calculators leave it out, and ``procedures review ID`` can find the
line to delete. Kinds: ``area``, ``page``, ``timescale``, ``contact``, ``thresholds``.
"""
from __future__ import annotations


def collect_drafts(ck):
    out = ck.rules.drafts
    for _rel, doc in ck.of_kind("areas"):
        for i, a in enumerate(doc.data.get("areas", [])):
            if a.get("draft"):
                out.append((doc.file, doc.line(("areas", i, "draft")), "area", a["id"], a.get("name", "")))
    for _rel, doc in ck.of_kind("procedure"):
        if doc.data.get("draft"):
            out.append((doc.file, doc.line(("draft",)), "page", doc.data["id"], doc.data.get("title", "")))
    for kind, key in (("timescales", "timescale"), ("contacts", "contact")):
        for _rel, doc in ck.of_kind(kind):
            for i, item in enumerate(doc.data.get(kind, [])):
                if item.get("draft"):
                    out.append((doc.file, doc.line((kind, i, "draft")), key, item["id"],
                                " ".join(str(item.get("notes", item.get("name", ""))).split())))
    for _rel, doc in ck.of_kind("thresholds"):
        if doc.data.get("draft"):
            out.append((doc.file, doc.line(("draft",)), "thresholds", doc.data["area"],
                        "levels of need and indicators"))


def draft_ids(rules, kind: str) -> set[str]:
    return {ident for _f, _l, k, ident, _w in rules.drafts if k == kind}
