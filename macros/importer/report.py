"""What an import did, in words (and as JSON): what was imported, what needs a person's decision, and the faithfulness check.

Decisions come first in the order a person should take them: timescales whose event or
step was guessed, "whichever is sooner" rules, every other timescale, contacts, levels of
need, then notes (numbering clashes, contents lines left out, phrases left typed).
Every draft item is shown with the sentence it came from.
"""
from __future__ import annotations

from macros.importer.pipeline import Imported
from macros.importer.structure import walk_blocks


def summary(imp: Imported, written: list, check: dict) -> dict:
    blocks = [(s, b) for p in imp.pages for s, b in walk_blocks(p.sections)]
    numbered = sum(1 for _, b in blocks if b.cite[:1].isdigit())
    decisions = []
    for c in sorted(imp.timescales, key=lambda c: (not c.guessed, c.id)):
        rec = f", then every {c.recurrence['every']} {c.recurrence['unit']}" if c.recurrence else ""
        decisions.append({"kind": "timescale", "id": c.id, "where": c.block, "sentence": c.sentence,
                          "proposal": f"{c.amount} {c.unit} {c.direction} '{c.event}'{rec}; step '{c.step}'",
                          "why": "; ".join(c.guessed) or "check the event, step and direction against the sentence"})
    for c in imp.contacts:
        what = ", ".join(c.phones + c.emails + ([", ".join(c.address)] if c.address else []))
        decisions.append({"kind": "contact", "id": c.id, "where": c.block, "sentence": c.sentence,
                          "proposal": f"'{c.name}': {what}", "why": "check the contact's name"})
    if imp.levels:
        for lv in imp.levels["levels"]:
            decisions.append({"kind": "level", "id": f"level {lv['level']}", "where": lv["source"],
                              "sentence": lv["text"][:200], "proposal": lv["title"],
                              "why": "check the level and each indicator's domain and dimension"})
    return {
        "area": imp.area, "source": str(imp.source), "seconds": round(imp.seconds, 3),
        "imported": {"pages": len(imp.pages), "blocks": len(blocks), "numbered_blocks": numbered,
                     "timescales": len(imp.timescales), "contacts": len(imp.contacts),
                     "levels": len(imp.levels["levels"]) if imp.levels else 0,
                     "indicators": len(imp.levels.get("indicators", [])) if imp.levels else 0},
        "files": [str(p) for p in written],
        "decisions": decisions,
        "notes": imp.notes,
        "check": check,
    }


def as_text(data: dict) -> str:
    i = data["imported"]
    out = [f"Imported {data['source']} as area '{data['area']}' in {data['seconds']} s:",
           f"  {i['pages']} page(s), {i['blocks']} paragraphs and lists ({i['numbered_blocks']} with the "
           f"document's numbers as ids), {i['timescales']} timescale candidate(s), {i['contacts']} contact(s), "
           f"{i['levels']} level(s) of need with {i['indicators']} indicator(s).",
           "", "Files written (every item is a draft: `draft: true`):"]
    out += [f"  {f}" for f in data["files"]]
    out += ["", f"Needs a person's decision ({len(data['decisions'])}):"]
    for d in data["decisions"]:
        out.append(f"  [{d['kind']}] {d['id']} ({d['where']}): {d['proposal']}")
        out.append(f"      \"{d['sentence'][:240]}\"")
        out.append(f"      -> {d['why']}")
    if data["notes"]:
        out += ["", "Notes:"] + [f"  {n}" for n in data["notes"]]
    c = data["check"]
    out += ["", "Check:"]
    if c.get("problems"):
        out += ["  procedures check FAILS:"] + [f"    {p}" for p in c["problems"]]
    else:
        out.append("  procedures check passes (drafts are listed as warnings until reviewed).")
    out.append(f"  faithfulness: {len(c.get('not_in_source', []))} line(s) not in the source, "
               f"{len(c.get('not_on_site', []))} source line(s) not on the site")
    out += [f"    NOT IN SOURCE {x}" for x in c.get("not_in_source", [])[:20]]
    out += [f"    NOT ON SITE   {x}" for x in c.get("not_on_site", [])[:20]]
    more = len(c.get("not_on_site", [])) - 20
    if more > 0:
        out.append(f"    ... and {more} more: `procedures faithful {data['area']}`")
    out += ["", "Next: review the drafts (rules/README.md, \"Add your partnership\"), `procedures check`, `make serve`."]
    return "\n".join(out)
