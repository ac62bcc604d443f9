"""Export what the calculators need from rules/ as one JSON-compatible dict: the "bundle".

The browser gets it as a JSON file (no YAML parser in the page); the command line
gets the very same dict from :func:`macros.state.load_bundle`. Its shape is the
contract between macros/ and tools/: ``tools/bundle.schema.json`` (checked by the
tests), described in ``tools/README.md``.
"""
from __future__ import annotations

from macros.rules import Rules

VERSION = 1


def short_title(document: dict) -> str:
    """A citation-sized name from areas.yaml: "Working Together 2015, ch. 1", "Dudley FAQ", ..."""
    return document["short"]


def cite_text(anchor, document: dict) -> str:
    """How a citation reads: "paragraph 52" (the document's ``cite_prefix``), "3.23", "Heading: Contacts"."""
    cite = anchor.cite
    prefix = document.get("cite_prefix")
    return f"{prefix} {cite}" if prefix and cite.isdigit() else cite


def source(rules: Rules, anchor_id: str) -> dict:
    anchor = rules.anchors[anchor_id]
    document = rules.documents[anchor.document]
    return {"document": short_title(document), "document_id": document["id"], "section": cite_text(anchor, document),
            "id": anchor.id, "url": anchor.url, "title": anchor.title}


def build_bundle(rules: Rules) -> dict:
    """The bundle for ``rules``: plain dicts, lists, strings and numbers only."""
    calendar = rules.calendar
    return {
        "version": VERSION,
        "calendar": {
            "division": calendar.get("division", "england-and-wales"),
            "source": calendar.get("source", ""),
            "covers_from": calendar["covers_from"],
            "covers_to": calendar["covers_to"],
            "holidays": [{"date": h["date"], "title": h["title"]} for h in calendar["holidays"]],
        },
        "areas": {
            a["id"]: {"id": a["id"], "name": a["name"], "inherits": a["inherits"],
                      "closure_days": [dict(d) for d in a.get("closure_days", [])],
                      "documents": [d["id"] for d in a["documents"]],
                      # its timescales left out as drafts: the calculators say so above their dates
                      "drafts": sum(1 for t in rules.timescales.get(a["id"], []) if t.get("draft"))}
            for a in rules.areas.values()
        },
        "documents": {
            d["id"]: {"id": d["id"], "title": d["title"], "short": short_title(d), "area": d["area"],
                      "date": d.get("date"), "status": d["status"]}
            for d in rules.documents.values()
        },
        "events": {e["id"]: dict(e) for e in rules.events.values()},
        "steps": {s["id"]: dict(s) for s in rules.steps.values()},
        "timescales": [
            {
                "id": t["id"], "area": area, "step": t["step"], "label": t["label"], "event": t["event"],
                "amount": t["amount"], "unit": t["unit"], "direction": t["direction"],
                "recurrence": dict(t["recurrence"]) if t.get("recurrence") else None,
                "source": source(rules, t["source"]),
                "notes": t.get("notes", ""),
                "alternatives": [
                    {"amount": a["amount"], "unit": a["unit"], "source": source(rules, a["source"]), "note": a["note"]}
                    for a in t.get("alternatives", [])
                ],
                "reading": t.get("reading", ""),
                **({"whichever": t["whichever"], "or": [{"amount": o["amount"], "unit": o["unit"]} for o in t["or"]]}
                   if t.get("or") else {}),
                **({"applies_if": {"event": t["applies_if"]["event"], "text": t["applies_if"]["text"],
                                   "source": source(rules, t["applies_if"]["source"])}} if t.get("applies_if") else {}),
            }
            for area in rules.areas for t in rules.timescales.get(area, [])
            if not t.get("draft")          # a draft (imported, not reviewed) is never used by a calculator
        ],
        "thresholds": {area: threshold_bundle(rules, area) for area in rules.areas
                       if area in rules.thresholds and not rules.thresholds[area].get("draft")},
        "contacts": {c["id"]: contact_bundle(c) for cs in rules.contacts.values() for c in cs},
    }


def contact_bundle(c: dict) -> dict:
    return {"id": c["id"], "name": c["name"], "address": list(c.get("address", [])),
            "phones": [dict(p) for p in c.get("phones", [])], "emails": list(c.get("emails", [])),
            "web": list(c.get("web", [])), "hours": c.get("hours", ""), "notes": c.get("notes", "")}


def _links(rules: Rules, item: dict) -> dict:
    """An item's recorded link to a child-protection trigger, or its reason to route lower."""
    out = {}
    if "escalates_to" in item:
        e = item["escalates_to"]
        out["escalates_to"] = {"trigger": e["trigger"], "source": source(rules, e["source"]), "quote": e["quote"]}
    if "routes_lower" in item:
        r = item["routes_lower"]
        out["routes_lower"] = {"reason": r["reason"], "source": source(rules, r["source"])}
    return out


def threshold_bundle(rules: Rules, area: str) -> dict:
    data = rules.thresholds[area]
    groups = {g["id"]: g for g in data.get("flag_groups", [])}
    return {
        "levels": [{"level": lv["level"], "title": lv["title"], "text": lv["text"], "source": source(rules, lv["source"])}
                   for lv in data.get("levels", [])],
        "indicators": [{"id": i["id"], "text": i["text"], "level": i["level"], "domain": i["domain"],
                        "dimension": i["dimension"], "source": source(rules, i["source"]), **_links(rules, i)}
                       for i in data.get("indicators", [])],
        "flag_groups": [{"id": g["id"], "title": g["title"], "pathway": g["pathway"], "source": source(rules, g["source"])}
                        for g in data.get("flag_groups", [])],
        "flags": [{"id": f["id"], "group": f["group"], "text": f["text"],
                   "pathway": f.get("pathway", groups[f["group"]]["pathway"]),
                   "level_note": f.get("level_note", ""), "includes": list(f.get("includes", [])),
                   "source": source(rules, f["source"]), **_links(rules, f)}
                  for f in data.get("flags", [])],
        "hides": [{"flag": h["flag"], "reason": h["reason"], "source": source(rules, h["source"])}
                  for h in data.get("hides", [])],
        "rules": [{"id": r["id"], "when": dict(r["when"]), "pathway": r["pathway"], "explanation": r["explanation"],
                   "source": source(rules, r["source"]),
                   "next_steps": [{"text": s["text"], **({"section": source(rules, s["section"])} if "section" in s else {})}
                                  for s in r.get("next_steps", [])],
                   "contacts": list(r.get("contacts", []))}
                  for r in data.get("rules", [])],
    }
