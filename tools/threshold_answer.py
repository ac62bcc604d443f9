"""The words of the threshold checker's answer: the pathways' names, the 999 step, messages, the summary.

:mod:`tools.thresholds` decides the pathway; everything its answer says in words, and
is not quoted from the area's document, is here, in one place:

* ``PATHWAYS``, from the least to the most urgent; ``PATHWAY_LABELS`` and
  ``PATHWAY_WORDS``: each pathway's name and what it means, in a paragraph.
  ``DOMAIN_LABELS``: the three sides of the Assessment Framework triangle, as the
  grids name them.
* **999 first.** For immediate protection the first next step and the first contact
  are always "call the police on 999" (``EMERGENCY_STEP``, ``EMERGENCY_CONTACT``): the
  site adds them, since the documents assume it and do not print the number.
* ``DISCLAIMER``: the answer supports, and does not replace, professional judgement
  and consultation with a manager or the designated safeguarding lead.
  ``NOTHING_SELECTED``: with nothing selected the checker gives no answer (never a
  false "Universal services").
* **An unknown indicator or flag** (a typo, an id from another area) is answered with
  a message that helps to fix it: an indicator given as a flag, or a flag given as an
  indicator, is named as the other kind; an id of another area names that area;
  otherwise up to three ids are suggested (close spellings, else the ids whose id or
  text contains every word typed of three letters or more, else looser spellings).
  Then the valid ids are listed when there are at most 12, or the command that lists
  them is given.
* **A reason** quoting a selected item gives its text, citation, kind and id, and its
  level (an indicator) or the title of its list (a flag).
* **The summary** (:func:`summary_text`) is plain text for a referral form or a case
  note: what was selected, the suggested pathway and why, what to do now, who to
  contact, the source documents and the disclaimer. It holds no names (nothing
  identifying is ever entered).

Public API: :func:`summary_text` and the constants above; words shared with the
rest of the site (citations, phone numbers) come from :mod:`tools.wording`.
"""
from __future__ import annotations

import difflib

from .layers import lineage
from .wording import cite, document_words, phone_text

PATHWAYS = ("universal", "early-help", "child-in-need", "child-protection", "immediate-protection")

DOMAIN_LABELS = {   # the three sides of the Assessment Framework triangle, as the grids name them
    "developmental-needs": "Child's developmental needs",
    "parenting-capacity": "Parenting capacity",
    "family-environment": "Family and environmental factors",
}
PATHWAY_LABELS = {
    "universal": "Universal services",
    "early-help": "Early help",
    "child-in-need": "Child in need: referral to children's social care",
    "child-protection": "Child protection: strategy discussion and section 47 enquiry",
    "immediate-protection": "Immediate protection: act now",
}

PATHWAY_WORDS = {
    "universal": "The child's needs can be met by the services every child uses, such as schools, "
                 "health visitors and GPs. No referral is suggested.",
    "early-help": "The child or family needs extra support from a targeted or early help service, "
                  "co-ordinated through an early help assessment (such as the CAF), with the family's agreement.",
    "child-in-need": "Refer the child to children's social care as a child in need (Children Act 1989, "
                     "section 17), for an assessment of what help is needed.",
    "child-protection": "There may be reasonable cause to suspect that the child is suffering, or is likely to "
                        "suffer, significant harm: refer to children's social care today, who hold a strategy "
                        "discussion with the police to decide on a section 47 enquiry.",
    "immediate-protection": "The child may be in immediate danger. Act now: if there is a risk to life or of "
                            "serious immediate harm, call the police on 999, then contact children's social care.",
}

DISCLAIMER = ("This checker supports, and does not replace, professional judgement and consultation "
              "with your manager or your agency's designated safeguarding lead. The rules come from the "
              "area's published document: check the cited sections.")

EMERGENCY_NUMBER = "999"
EMERGENCY_STEP = {
    "text": "If there is a risk to the life of the child or a likelihood of serious immediate harm, "
            "call the police on 999 now.",
    "emergency": True,
}
EMERGENCY_CONTACT = {
    "id": "emergency-999", "name": "Police (emergency)", "address": [],
    "phones": [{"number": EMERGENCY_NUMBER, "label": "Emergency"}], "emails": [], "web": [], "hours": "24 hours",
    "notes": "The national emergency number, added by this site: the documents do not print it.",
    "emergency": True,
}

NOTHING_SELECTED = ("Select at least one concern, or the immediate danger question, to check the pathway: "
                    "with nothing selected the checker gives no answer.")

_SHOW_ALL = 12        # name every valid id when there are at most this many


# -- messages and reasons ---------------------------------------------------------------------------
def _area_name(bundle: dict, area: str) -> str:
    return bundle["areas"][area].get("name", area)


def _suggest(bad: str, valid: list[dict]) -> list[str]:
    ids = [v["id"] for v in valid]
    close = difflib.get_close_matches(bad, ids, n=3, cutoff=0.6)
    if close:
        return close
    # "self-harm" -> indicators whose id or text contains every word typed
    words = [w for w in bad.lower().replace("-", " ").split() if len(w) > 2]
    if words:
        hits = [v["id"] for v in valid
                if all(w in (v["id"] + " " + v.get("text", "")).lower().replace("-", " ") for w in words)]
        if hits:
            return hits[:3]
    return difflib.get_close_matches(bad, ids, n=3, cutoff=0.4)


def _unknown_message(bundle: dict, area: str, kind: str, bad: str, valid: list[dict], other: list[dict]) -> str:
    name = _area_name(bundle, area)
    plural = f"{kind}s"
    other_kind = "flag" if kind == "indicator" else "indicator"
    parts = [f"Unknown {kind} {bad!r} for {name}."]
    if any(o["id"] == bad for o in other):
        article = "an" if other_kind == "indicator" else "a"
        return (f"{bad!r} is not {'an' if kind == 'indicator' else 'a'} {kind} but one of {name}'s {other_kind}s: "
                f"select it as {article} {other_kind} (--{other_kind} {bad}).")
    elsewhere = [a for a, th in bundle.get("thresholds", {}).items() if a != area
                 and any(x["id"] == bad for x in th.get("indicators", []) + th.get("flags", []))]
    if elsewhere:
        parts.append(f"It belongs to {', '.join(_area_name(bundle, a) for a in elsewhere)}, not {name}.")
    else:
        close = _suggest(bad, valid)
        if close:
            parts.append("Did you mean " + " or ".join(repr(c) for c in close) + "?")
    if not valid:
        parts.append(f"{name} has no {plural}.")
    elif len(valid) <= _SHOW_ALL:
        parts.append(f"{name} has {len(valid)} {plural if len(valid) != 1 else kind}: "
                     f"{', '.join(v['id'] for v in valid)}.")
    else:
        parts.append(f"{name} has {len(valid)} {plural}; list them with "
                     f"procedures thresholds --area {area} --list.")
    return " ".join(parts)


def _hidden_message(bundle: dict, area: str, hide: dict) -> str:
    """A national concern the area does not ask, with the area's cited reason."""
    return (f"{hide['flag']!r} ({hide['text']}) is national guidance that {_area_name(bundle, area)} does not "
            f"ask: {hide['reason']} ({cite(hide['source'])}).")


def _item_reason(item: dict, kind: str) -> dict:
    r = {"text": item["text"], "source": item["source"], "kind": kind, "id": item["id"]}
    if kind == "indicator":
        r["level"] = item["level"]
    else:
        r["group_title"] = item.get("group_title", "")
    return r


# -- words ------------------------------------------------------------------------------------------
def summary_text(result: dict) -> str:
    """A plain-text summary for a referral form or a case note: what was selected, the
    suggested pathway and why. It holds no names (nothing identifying is ever entered)."""
    lines = [f"Threshold checker ({result['area_name']}): suggested pathway: {result['pathway_label']}."]
    if result["level"] is not None:
        lines.append(f"Highest level of need selected: level {result['level']}.")
    sel = result["selected"]
    if sel["flags"]:
        lines.append("")
        lines.append("Circumstances selected:")
        lines += [f"- {f['text']} ({cite(f['source'])})" for f in sel["flags"]]
    if sel["indicators"]:
        lines.append("")
        lines.append("Indicators of need selected:")
        lines += [f"- Level {i['level']}, {i['dimension']}: {i['text']} ({cite(i['source'])})"
                  for i in sel["indicators"]]
    if not sel["flags"] and not sel["indicators"]:
        lines.append("Nothing was selected.")
    lines.append("")
    lines.append("Why:")
    lines += [f"- {r['text']} ({cite(r['source'])})" for r in result["reasons"] if r.get("kind") == "rule"]
    if result["next_steps"]:
        lines.append("")
        lines.append("What to do now:")
        lines += [f"- {s['text']}" + (f" ({cite(s['section'])})" if s.get("section") else "")
                  for s in result["next_steps"]]
    if result["contacts"]:
        lines.append("")
        lines.append("Who to contact:")
        lines += [f"- {phone_text(c)}" for c in result["contacts"]]
    if result.get("documents_text"):
        lines.append("")
        lines.append(result["documents_text"])
    lines.append("")
    lines.append(result["disclaimer"])
    return "\n".join(lines)


def documents_of(bundle: dict, area: str) -> dict:
    """The documents whose threshold rules apply in ``area``: ``{"documents", "documents_text"}``
    (what a result names; the page shows it before anything is ticked). ``area`` must exist."""
    used = [layer for layer in lineage(bundle, area) if layer in bundle.get("thresholds", {})]
    documents = [dict(bundle["documents"][d]) for layer in used
                 for d in bundle["areas"][layer].get("documents", []) if d in bundle.get("documents", {})]
    text = ("The rules come from: " + "; ".join(document_words(d) for d in documents) + ".") if documents else ""
    return {"documents": documents, "documents_text": text}
