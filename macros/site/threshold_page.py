"""The threshold checker page of an area: the form, and everything it asks, readable without JavaScript.

The page asks the immediate-danger question first (with what to do at once if the
answer is yes), then lists the area's red flags by group, then the national concerns
(Working Together) the area inherits, under their own heading and labelled national guidance,
then its levels-of-need indicators by level, domain and dimension, each with its citation. What is
selectable, and in which order, comes from ``tools.thresholds.effective_rules``, so
the page and the engine can never disagree.

Without JavaScript the page is a complete reference (every box, every citation, and
the "act now" panel); nothing on it can be submitted, so nothing ticked can leave the
browser. With JavaScript the boxes
become a checker: ``docs/javascripts/calculator/thresholds.mjs`` sends the area and the
ticked ids to ``tools.thresholds.check`` running in Pyodide in the calculators' Web Worker
(``client.mjs``) and renders the dict it returns. The markup is
``macros/site/templates/pages/threshold-checker.html``; this module only prepares its data.
"""
from __future__ import annotations

from macros.rules.text import tel_href
from tools.threshold_answer import DISCLAIMER, DOMAIN_LABELS, PATHWAY_LABELS
from tools.thresholds import check, effective_rules, source_documents
from tools.wording import cite as wording_cite


def _groups(bundle: dict, area: str) -> list[tuple[str, dict, list]]:
    """``(layer, group, flags)`` of the area, immediate-protection groups first (the engine's order)."""
    e = effective_rules(bundle, area)
    return [(g["layer"], g, [f for f in e["flags"] if f["group"] == g["id"]]) for g in e["flag_groups"]]


def _search_text(*parts: str) -> str:
    """What the filter box matches: lower case, punctuation as spaces ("self-harm" -> "self harm")."""
    text = " ".join(parts).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _layer_words(layer: str) -> str:
    return "National guidance" if layer == "national" else "Source"


def _override_note(flags: list[dict], group: dict) -> str:
    other = [f for f in flags if f["pathway"] != group["pathway"]]
    if not other:
        return ""
    return f" (except those marked: {', '.join(sorted({PATHWAY_LABELS[f['pathway']] for f in other}))})"


def _phones(contact: dict) -> list[dict]:
    return [{"number": p["number"], "href": tel_href(p["number"]),
             "label": p["label"] if p.get("label") and p["label"] != "Telephone" else ""}
            for p in contact.get("phones", [])]


def checker_data(bundle: dict, area: str, area_name: str, html_href) -> dict:
    """Everything ``pages/threshold-checker.html`` shows for ``area``, as plain data."""
    e = effective_rules(bundle, area)

    def cite(source: dict) -> dict:
        return {"href": html_href(source["url"]), "text": wording_cite(source)}

    def item(kind: str, it: dict, extra_search: str = "", group_pathway: str = "") -> dict:
        data = {"data-pathway": it["pathway"]} if kind == "flag" else {"data-level": it["level"]}
        pathway_note = (PATHWAY_LABELS[it["pathway"]]
                        if kind == "flag" and group_pathway and it["pathway"] != group_pathway else "")
        return {"id": f"tc-{it['id']}", "name": kind, "value": it["id"], "data": data, "text": it["text"],
                "level_note": it.get("level_note") or "", "pathway_note": pathway_note,
                "search": _search_text(it["text"], " ".join(it.get("includes", [])), extra_search),
                "cite": cite(it["source"]), "includes": it.get("includes") or []}

    def act_now(danger_flags: list[dict]) -> dict:
        """What to do at once when the child is in immediate danger: the engine's own answer."""
        result = check(bundle, area, flags=[danger_flags[0]["id"]])
        return {"tel_999": tel_href("999"),
                "contacts": [{"name": c["name"], "phones": _phones(c)} for c in result["contacts"][1:]],
                "steps": [{"text": s["text"], "cite": cite(s["section"]) if s.get("section") else None}
                          for s in result["next_steps"][1:]]}

    groups = _groups(bundle, area)
    danger = [(layer, g, fl) for layer, g, fl in groups if g["pathway"] == "immediate-protection"]
    others = [(layer, g, fl) for layer, g, fl in groups if g["pathway"] != "immediate-protection"]
    nothing = source_documents(bundle, area)
    documents_text = ""
    if nothing["documents"]:
        old = any(d["status"] != "current" for d in nothing["documents"])
        documents_text = nothing["documents_text"] + (" Check that they are still your area's current procedures."
                                                      if old else "")
    danger_groups = [{
        "id": g["id"], "title": g["title"], "cite": cite(g["source"]), "layer_words": _layer_words(layer),
        "hint": "Tick if this applies" if len(flags) == 1 else "Tick any that apply",
        "boxes": [item("flag", f) for f in flags],
        "act_now": act_now(flags) if n == 0 and flags else None,
    } for n, (layer, g, flags) in enumerate(danger)]
    own_layer = e["layers"]["flags"]
    other_groups = [{
        "id": g["id"], "title": g["title"], "cite": cite(g["source"]), "layer_words": _layer_words(layer),
        "pathway": g["pathway"], "pathway_label": PATHWAY_LABELS[g["pathway"]],
        "override_note": _override_note(flags, g), "inherited": layer != own_layer,
        "boxes": [item("flag", f, g["title"], g["pathway"]) for f in flags],
    } for layer, g, flags in others]
    inherited_layers = [layer for layer in dict.fromkeys(layer for layer, _, _ in others) if layer != own_layer]
    inherited = {
        "from": "; ".join(bundle["documents"][d]["title"] for layer in inherited_layers
                          for d in bundle["areas"][layer].get("documents", []) if d in bundle["documents"]),
        "hidden": [{"text": h["text"], "reason": h["reason"], "cite": cite(h["source"])} for h in e["hidden"]],
    } if inherited_layers or e["hidden"] else None
    levels = []
    for level in sorted({i["level"] for i in e["indicators"]}):
        desc = next((lv for lv in e["levels"] if lv["level"] == level), None)
        domains = []
        for domain, dname in DOMAIN_LABELS.items():
            items = [i for i in e["indicators"] if i["level"] == level and i["domain"] == domain]
            if not items:
                continue
            dims: dict = {}
            for i in items:
                dims.setdefault(i["dimension"], []).append(i)
            domains.append({"id": domain, "name": dname, "dimensions": [
                {"title": dim, "boxes": [item("indicator", i, f"{dim} {dname} level {level}") for i in its]}
                for dim, its in dims.items()]})
        levels.append({"level": level, "count": sum(1 for i in e["indicators"] if i["level"] == level),
                       "desc": {"text": desc["text"], "cite": cite(desc["source"])} if desc else None,
                       "domains": domains})
    return {
        "area": area, "area_name": area_name, "documents_text": documents_text,
        "danger_groups": danger_groups, "levels": levels, "inherited": inherited,
        "own_groups": [g for g in other_groups if not g["inherited"]],
        "national_groups": [g for g in other_groups if g["inherited"]],
        "filter_total": len(e["indicators"]) + sum(len(fl) for _, _, fl in others),
        "disclaimer": DISCLAIMER,
    }
