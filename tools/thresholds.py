"""The threshold checker: from the concerns a practitioner selects to a suggested pathway, with reasons.

The engine reads the area's rules from the bundle (``bundle["thresholds"][area]``,
written from ``rules/thresholds/<area>.yaml``) and never decides anything the
rules do not say. Its answer supports, and does not replace, professional
judgement and consultation with a manager or the safeguarding lead.
What the answer says, in words, is in :mod:`tools.threshold_answer`.

What can be selected in an area
===============================

* **Indicators** (a levels-of-need grid: each with a level 1-4, a domain and a
  dimension) and **red flags** (triggers grouped in lists, each group with the
  pathway it leads to; a flag may override its group's pathway).
* An area's own indicators and its own decision rules **replace** those of the area it
  inherits (national); where an area has none of one kind, it uses the nearest inherited
  layer that has some: an area with no rules of its own is decided by the national rules.
* **The immediate-protection question comes first in every area**: every inherited flag
  group whose pathway is ``immediate-protection`` (the national "Is the child in immediate
  danger?") is selectable in every area, before the area's own groups.
* **National concerns are offered in every area that inherits them**, after the area's
  own groups, each flag keeping its ``layer`` (the page and the command line label them
  national guidance). An area hides one only with a cited reason (``hides`` in
  ``rules/thresholds/<area>.yaml``: ``{"flag", "reason", "source"}``); the immediate-danger
  question can never be hidden.

How the pathway is decided
==========================

1. **Immediate protection first.** Every decision rule whose pathway is
   ``immediate-protection``, from every layer (the area's own, then national), is
   checked before any other rule. If any matches, the pathway is
   ``immediate-protection`` and *every* matching immediate rule contributes its
   explanation, its next steps and its contacts (the area's own first: they name
   the local services). The first next step and the first contact are always
   "call the police on 999" (the site adds this: the documents assume it and do
   not print the number). Immediate danger overrides everything else selected.
2. **Then the area's rules, in order; the first rule that matches decides.** The area's
   rules decide the area's own concerns; an inherited (national) concern is decided by the
   rules of its own layer (the national rules), since the area's document does not speak
   of it. When both kinds are ticked, each set of rules gives its answer and the more
   urgent pathway is suggested (safety first: ticking a concern never lowers the answer);
   where both give the same pathway, both contribute their reasons, next steps and
   contacts (the area's first). A rule matches when every condition in its ``when`` holds:

   ``any_flag: P``
       a selected flag has pathway P;
   ``no_flag: P``
       no selected flag has pathway P;
   ``any_flag_in: [G, ...]``
       a selected flag belongs to one of the groups G;
   ``level_at_least: N``
       the highest selected indicator level is N or more;
   ``count_at_level: {level: N, at_least: M}``
       M or more selected indicators are at level N exactly;
   ``otherwise: true``
       always (the last rule).

   If no rule matches (rules without a final ``otherwise``), it is an error.

The **level** is the highest level among the selected indicators (``None`` when
none is selected); red flags never change it (a flag's "Level 3/4" note is shown,
not counted).

The **reasons** are the selected items that made the deciding rule match, each with
its citation, in the rules' order (flags first, then indicators; for
``level_at_least: N`` the indicators at level N or above, for ``count_at_level``
those at level N), followed by the rule's explanation with its citation.

Examples (a tiny bundle: a national 999 question, one local red flag, two levels)::

    >>> b = world()
    >>> check(b, "shire")                                  # nothing selected: an error, never a pathway
    Traceback (most recent call last):
    ...
    tools.thresholds.NothingSelected: Select at least one concern, or the immediate danger question, to check the pathway: with nothing selected the checker gives no answer.
    >>> r = check(b, "shire", indicators=["sh-l2-school"])
    >>> r["level"], r["pathway"], r["rule"]
    (2, 'early-help', 'sh-rule-level-2')
    >>> check(b, "shire", indicators=["sh-l2-school"], flags=["sh-flag-fgm"])["pathway"]
    'child-protection'
    >>> r = check(b, "shire", indicators=["sh-l2-school"], flags=["sh-flag-fgm", "wt-immediate-danger"])
    >>> r["pathway"], r["rules"]
    ('immediate-protection', ['sh-rule-immediate', 'wt-rule-immediate'])
    >>> [s["text"] for s in r["next_steps"]][1:]
    ['Then telephone the Shire front door.', 'Make a referral now.']
    >>> [c["phones"][0]["number"] for c in r["contacts"]]
    ['999', '01234 567890']
    >>> try:
    ...     check(b, "shire", indicators=["sh-l2-shool"])
    ... except UnknownItem as exc:
    ...     print(exc)
    Unknown indicator 'sh-l2-shool' for Shire. Did you mean 'sh-l2-school'? Shire has 2 indicators: sh-l2-school, sh-l3-housing.

``world()`` is the tests' imaginary world (``tests/bundles.py``). Public API (pure functions
over the bundle, ``tools/README.md``): :func:`check`, :func:`list_items`, :func:`effective_rules`,
:func:`source_documents`; the answer's words are :mod:`tools.threshold_answer`; errors derive from
:class:`ThresholdError`. Command line: ``procedures thresholds --help`` (``cli/thresholds.py``).
"""
from __future__ import annotations

from .layers import lineage
from .threshold_answer import (
    DISCLAIMER,
    EMERGENCY_CONTACT,
    EMERGENCY_STEP,
    NOTHING_SELECTED,
    PATHWAY_LABELS,
    PATHWAY_WORDS,
    PATHWAYS,
    _area_name,
    _hidden_message,
    _item_reason,
    _unknown_message,
    documents_of,
    summary_text,
)

_SEVERITY = {p: n for n, p in enumerate(PATHWAYS)}
CONDITIONS = ("any_flag", "no_flag", "any_flag_in", "level_at_least", "count_at_level", "otherwise")


# -- errors ---------------------------------------------------------------------------------------
class ThresholdError(ValueError):
    """A problem with the question asked (or with the rules), in words fit for a practitioner."""


class UnknownArea(ThresholdError):
    pass


class UnknownItem(ThresholdError):
    pass


class NothingSelected(ThresholdError):
    """Nothing was selected: the checker gives no pathway (never a false "Universal services")."""


class RulesProblem(ThresholdError):
    """The rules cannot answer: no rule matched, an unknown condition or contact."""


# -- the bundle ----------------------------------------------------------------------------------------
def _area(bundle: dict, area: str) -> dict:
    areas = bundle.get("areas", {})
    if area not in areas:
        raise UnknownArea(f"Unknown area {area!r}: choose one of {', '.join(areas)}.")
    return areas[area]


def effective_rules(bundle: dict, area: str) -> dict:
    """What applies in ``area``, each item a copy carrying its ``layer``.

    Returns ``{"area", "levels", "indicators", "flag_groups", "flags", "hidden",
    "immediate_rules", "rules", "rules_by_layer", "layers"}``: ``layers`` says which layer
    gives each kind (``{"indicators": "coventry", "flags": "coventry", "rules": "coventry"}``).
    ``flag_groups``/``flags``: every inherited immediate-protection group first, then the
    deciding layer's own groups, then the other inherited groups (national guidance), less
    the flags the area ``hides`` (listed in ``hidden`` with their cited reason). Each flag
    names in ``decided_by_layer`` the layer whose rules decide it. ``immediate_rules``: every
    layer's immediate-protection rules, the area's first; ``rules``: the deciding layer's others;
    ``rules_by_layer``: those of every layer that decides a flag.

    >>> e = effective_rules(world(), "shire")
    >>> [(g["id"], g["layer"]) for g in e["flag_groups"]], e["layers"]["rules"]
    ([('wt-immediate', 'national'), ('sh-s47', 'shire'), ('wt-harm', 'national')], 'shire')
    >>> [(f["id"], f["decided_by_layer"]) for f in e["flags"]][1:]
    [('sh-flag-fgm', 'shire'), ('wt-harm-suspected', 'national')]
    >>> [r["id"] for r in effective_rules(world(), "vale")["rules"]]   # vale has no rules
    ['wt-rule-cp', 'wt-rule-otherwise']
    """
    _area(bundle, area)
    chain = lineage(bundle, area)
    th_all = bundle.get("thresholds", {})

    def first_with(key: str, layers: list[str]) -> str | None:
        return next((layer for layer in layers if th_all.get(layer, {}).get(key)), None)

    out: dict = {"area": area, "levels": [], "indicators": [], "flag_groups": [], "flags": [], "hidden": [],
                 "immediate_rules": [], "rules": [], "rules_by_layer": {}, "layers": {}}
    ind_layer = first_with("indicators", chain)
    if ind_layer:
        th = th_all[ind_layer]
        out["indicators"] = [dict(i, layer=ind_layer) for i in th["indicators"]]
        out["levels"] = [dict(lv, layer=ind_layer) for lv in th.get("levels", [])]
    flag_layer = first_with("flag_groups", chain)
    rule_layer = first_with("rules", chain)
    hides: dict[str, dict] = {}
    for layer in chain:
        for h in th_all.get(layer, {}).get("hides", []):
            hides.setdefault(h["flag"], dict(h, layer=layer))

    def add_group(layer: str, g: dict) -> None:
        decider = rule_layer if layer == flag_layer else first_with("rules", chain[chain.index(layer):])
        out["flag_groups"].append(dict(g, layer=layer))
        for f in th_all[layer].get("flags", []):
            if f["group"] != g["id"]:
                continue
            if f["id"] in hides and g["pathway"] != "immediate-protection":   # never the 999 question
                out["hidden"].append(dict(hides[f["id"]], text=f["text"], flag_layer=layer))
                continue
            out["flags"].append(dict(f, layer=layer, group_title=g["title"], decided_by_layer=decider))

    # Immediate-protection groups first (root first), then the deciding layer's own groups,
    # then every other inherited group (nearest layer first): national guidance.
    layers_with = [layer for layer in chain if th_all.get(layer)]
    for layer in reversed(layers_with):
        for g in th_all[layer].get("flag_groups", []):
            if g["pathway"] == "immediate-protection":
                add_group(layer, g)
    start = chain.index(flag_layer) if flag_layer else len(chain)
    for layer in [x for x in layers_with if chain.index(x) >= start]:
        for g in th_all[layer].get("flag_groups", []):
            if g["pathway"] != "immediate-protection":
                add_group(layer, g)
    # An inherited group whose every flag the area hides is not asked.
    out["flag_groups"] = [g for g in out["flag_groups"]
                          if g["layer"] == flag_layer or any(f["group"] == g["id"] for f in out["flags"])]
    for layer in chain:
        for r in th_all.get(layer, {}).get("rules", []):
            if r["pathway"] == "immediate-protection":
                out["immediate_rules"].append(dict(r, layer=layer))
    for layer in [rule_layer] + [f["decided_by_layer"] for f in out["flags"]]:
        if layer and layer not in out["rules_by_layer"]:
            out["rules_by_layer"][layer] = [dict(r, layer=layer) for r in th_all[layer]["rules"]
                                            if r["pathway"] != "immediate-protection"]
    out["rules"] = out["rules_by_layer"].get(rule_layer, []) if rule_layer else []
    out["layers"] = {"indicators": ind_layer, "flags": flag_layer, "rules": rule_layer}
    return out


# -- listing ----------------------------------------------------------------------------------------
def list_items(bundle: dict, area: str) -> dict:
    """Everything selectable in ``area``: ``{"indicators": [...], "flags": [...]}``.

    Indicators: ``{"id", "text", "level", "domain", "dimension", "source"}`` in the
    document's order. Flags: ``{"id", "text", "pathway", "group", "layer", "source"}``, the
    immediate-danger question first, the area's own next, national guidance last (``layer``). Either may carry ``escalates_to`` (the
    child-protection trigger it also counts as) or ``routes_lower`` (why not).

    >>> items = list_items(world(), "shire")
    >>> [(f["id"], f["layer"]) for f in items["flags"]]
    [('wt-immediate-danger', 'national'), ('sh-flag-fgm', 'shire'), ('wt-harm-suspected', 'national')]
    >>> items["indicators"][0]["level"], items["indicators"][0]["dimension"]
    (2, 'Education')
    """
    e = effective_rules(bundle, area)
    return {
        "indicators": [{"id": i["id"], "text": i["text"], "level": i["level"], "domain": i["domain"],
                        "dimension": i["dimension"], "source": i["source"], **_link_of(i)} for i in e["indicators"]],
        "flags": [{"id": f["id"], "text": f["text"], "pathway": f["pathway"], "group": f["group"],
                   "layer": f["layer"], "source": f["source"], **_link_of(f)} for f in e["flags"]],
    }


def _link_of(item: dict) -> dict:
    return {k: item[k] for k in ("escalates_to", "routes_lower") if k in item}


# -- checking ---------------------------------------------------------------------------------------
def _as_ids(values, what: str) -> list[str]:
    """A list of ids, duplicates dropped; a single string is one id (not its characters)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        if not isinstance(v, str):
            raise ThresholdError(f"{what} ids must be strings, got {v!r}")
        v = v.strip()
        if not v:
            raise UnknownItem(f"An empty {what.lower()} id was given: name the {what.lower()} "
                              f"(list them with procedures thresholds --area AREA --list).")
        if v not in out:
            out.append(v)
    return out


def _matches(when: dict, state: dict, rule_id: str) -> bool:
    for key in when:
        if key not in CONDITIONS:
            raise RulesProblem(f"Rule {rule_id!r} has an unknown condition {key!r}; "
                               f"conditions: {', '.join(CONDITIONS)}.")
    flags, levels = state["flags"], state["levels"]
    if "any_flag" in when and not any(f["pathway"] == when["any_flag"] for f in flags):
        return False
    if "no_flag" in when and any(f["pathway"] == when["no_flag"] for f in flags):
        return False
    if "any_flag_in" in when and not any(f["group"] in when["any_flag_in"] for f in flags):
        return False
    if "level_at_least" in when and not (levels and max(levels) >= when["level_at_least"]):
        return False
    if "count_at_level" in when:
        c = when["count_at_level"]
        if sum(1 for lv in levels if lv == c["level"]) < c["at_least"]:
            return False
    if "otherwise" in when and when["otherwise"] is not True:
        return False
    return True


def _drivers(when: dict, state: dict) -> list[dict]:
    """The selected items that made ``when`` hold: flags first, then indicators."""
    flags, inds = [], []
    for f in state["flags"]:
        if ("any_flag" in when and f["pathway"] == when["any_flag"]) or \
           ("any_flag_in" in when and f["group"] in when["any_flag_in"]):
            flags.append(f)
    for i in state["indicators"]:
        if ("level_at_least" in when and i["level"] >= when["level_at_least"]) or \
           ("count_at_level" in when and i["level"] == when["count_at_level"]["level"]):
            inds.append(i)
    return flags + inds


def _escalations(state: dict, e: dict) -> list[dict]:
    """Selected items the document also lists among its child-protection triggers.

    An indicator or flag with ``escalates_to`` (recorded by hand, cited, in
    ``rules/thresholds/<area>.yaml``) counts as its trigger flag being selected too, so
    ticking either gives the child-protection pathway: Coventry's Level 4 "Concern about
    Female genital mutilation" is also "Concerns about female genital mutilation" in
    "Strategy meetings must be held in the following circumstances". Adds the trigger
    flags to ``state["flags"]`` (in the document's order) and returns one reason per link.
    """
    flags = {f["id"]: f for f in e["flags"]}
    out, add = [], set()
    for item in state["flags"] + state["indicators"]:
        link = item.get("escalates_to")
        if not link or link["trigger"] not in flags:
            continue
        trigger = flags[link["trigger"]]
        add.add(trigger["id"])
        out.append({"kind": "link", "id": item["id"], "trigger": trigger["id"], "source": link["source"],
                    "text": f"\u201c{item['text']}\u201d is also listed under \u201c{trigger.get('group_title', '')}"
                            f"\u201d: \u201c{link['quote']}\u201d"})
    chosen = {f["id"] for f in state["flags"]} | add
    state["flags"] = [f for f in e["flags"] if f["id"] in chosen]
    return out


def _contact(bundle: dict, cid: str, rule_id: str) -> dict:
    contacts = bundle.get("contacts", {})
    if cid not in contacts:
        raise RulesProblem(f"Rule {rule_id!r} names an unknown contact {cid!r}.")
    return dict(contacts[cid])


def _decide_by_layer(bundle: dict, area: str, e: dict, state: dict) -> list[tuple[dict, dict]]:
    """No immediate rule matched: each layer's rules decide the concerns they own.

    The area's rules take the indicators and its own flags; an inherited flag goes to the rules
    of its layer (``decided_by_layer``). Each set gives its first matching rule; the most urgent
    pathway wins, every rule giving it contributes (the area's first). Rules with nothing of their
    own ticked are not asked. Returns ``[(rule, the part of the state it decided)]``.
    """
    own = e["layers"]["rules"]
    parts: dict[str | None, dict] = {own: {"indicators": list(state["indicators"]), "flags": []}}
    for f in state["flags"]:
        layer = own if f["pathway"] == "immediate-protection" else f.get("decided_by_layer", own)
        parts.setdefault(layer, {"indicators": [], "flags": []})["flags"].append(f)
    asked = [(layer, part) for layer, part in parts.items() if part["indicators"] or part["flags"]] \
        or [(own, parts[own])]
    found: list[tuple[dict, dict]] = []
    for layer, part in asked:
        part["levels"] = [i["level"] for i in part["indicators"]]
        rules = e["rules_by_layer"].get(layer, []) if layer else []
        if not rules:
            raise RulesProblem(f"{_area_name(bundle, area)} has no decision rules, and inherits none.")
        first = next((r for r in rules if _matches(r["when"], part, r["id"])), None)
        if first is None:
            raise RulesProblem(f"No decision rule of {_area_name(bundle, layer)} matched: the rules should "
                               f"end with one whose condition is `otherwise: true`.")
        found.append((first, part))
    top = max(_SEVERITY[r["pathway"]] for r, _ in found)
    return [(r, part) for r, part in found if _SEVERITY[r["pathway"]] == top]


def check(bundle: dict, area: str, indicators=(), flags=()) -> dict:
    """The suggested pathway for the ``indicators`` and ``flags`` selected in ``area``.

    Returns ``{"area", "area_name", "level", "pathway", "pathway_label",
    "pathway_words", "rule", "rules", "layer", "reasons": [{"text", "source",
    "kind", "id"}], "next_steps": [{"text", "section"?}], "contacts": [contact],
    "selected": {"indicators": [...], "flags": [...]}, "documents", "documents_text",
    "disclaimer", "summary"}``. ``documents`` are the source documents of the layers
    whose rules apply, with their date and status (``documents_text`` in words).
    ``rule`` is the deciding rule's id (``rules`` lists every contributing rule:
    several only for immediate protection). ``summary`` is a plain-text summary
    with no names, for pasting into a referral form. Ids may be given in any order
    and repeated; the result lists them in the document's order.

    Raises :class:`UnknownArea` or :class:`UnknownItem` (naming the valid choices),
    :class:`NothingSelected` when nothing is selected, and :class:`RulesProblem` when no
    rule matches. A selected item linked to a child-protection trigger (``escalates_to``)
    counts as that trigger too (see :func:`_escalations`); ``decided_by`` names the list
    and quotes the trigger that gave a child-protection pathway.

    >>> r = check(world(), "shire", indicators=["sh-l3-housing", "sh-l2-school"])
    >>> r["level"], r["pathway"], [x["id"] for x in r["reasons"]]
    (3, 'child-in-need', ['sh-l3-housing', 'sh-rule-level-3'])
    """
    _area(bundle, area)
    e = effective_rules(bundle, area)
    ind_ids = _as_ids(indicators, "Indicator")
    flag_ids = _as_ids(flags, "Flag")
    problems = []
    known_i = {i["id"] for i in e["indicators"]}
    known_f = {f["id"] for f in e["flags"]}
    for bad in (x for x in ind_ids if x not in known_i):
        problems.append(_unknown_message(bundle, area, "indicator", bad, e["indicators"], e["flags"]))
    hidden = {h["flag"]: h for h in e["hidden"]}
    for bad in (x for x in flag_ids if x not in known_f):
        problems.append(_hidden_message(bundle, area, hidden[bad]) if bad in hidden else
                        _unknown_message(bundle, area, "flag", bad, e["flags"], e["indicators"]))
    if problems:
        raise UnknownItem("\n".join(problems))

    if not e["rules"] and not e["immediate_rules"]:
        raise RulesProblem(f"{_area_name(bundle, area)} has no decision rules, and inherits none.")
    if not ind_ids and not flag_ids:
        raise NothingSelected(NOTHING_SELECTED)
    state = {
        "indicators": [i for i in e["indicators"] if i["id"] in ind_ids],
        "flags": [f for f in e["flags"] if f["id"] in flag_ids],
    }
    links = _escalations(state, e)
    state["levels"] = [i["level"] for i in state["indicators"]]
    level = max(state["levels"]) if state["levels"] else None

    deciding = [(r, state) for r in e["immediate_rules"] if _matches(r["when"], state, r["id"])]
    if not deciding:
        deciding = _decide_by_layer(bundle, area, e, state)

    reasons: list[dict] = []
    seen: set[str] = set()
    for r, part in deciding:
        for item in _drivers(r["when"], part):
            if item["id"] not in seen:
                seen.add(item["id"])
                if "level" in item or item["id"] in flag_ids:    # a linked trigger is told by its link
                    reasons.append(dict(_item_reason(item, "indicator" if "level" in item else "flag"),
                                        layer=item["layer"], inherited=item["layer"] != area))
    reasons += [link for link in links if link["trigger"] in seen]
    for r, _part in deciding:
        reasons.append({"text": r["explanation"], "source": r["source"], "kind": "rule", "id": r["id"],
                        "layer": r["layer"], "inherited": r["layer"] != area})
    decided_by = [{"list": f.get("group_title", ""), "quote": f["text"], "source": f["source"], "id": f["id"]}
                  for f in state["flags"] if f["id"] in seen]
    deciding = [r for r, _part in deciding]
    immediate = deciding[0]["pathway"] == "immediate-protection"
    steps: list[dict] = [dict(EMERGENCY_STEP)] if immediate else []
    for r in deciding:
        for s in r.get("next_steps", []):
            if all(s["text"] != t["text"] for t in steps):
                steps.append(dict(s))
    contacts: list[dict] = [dict(EMERGENCY_CONTACT, phones=[dict(EMERGENCY_CONTACT["phones"][0])])] if immediate else []
    for r in deciding:
        for cid in r.get("contacts", []):
            if all(cid != c["id"] for c in contacts):
                contacts.append(_contact(bundle, cid, r["id"]))

    pathway = deciding[0]["pathway"]
    docs = source_documents(bundle, area)
    documents = docs["documents"]
    result = {
        "area": area,
        "area_name": _area_name(bundle, area),
        "level": level,
        "pathway": pathway,
        "pathway_label": PATHWAY_LABELS.get(pathway, pathway),
        "pathway_words": PATHWAY_WORDS.get(pathway, ""),
        "rule": deciding[0]["id"],
        "rules": [r["id"] for r in deciding],
        "layer": deciding[0]["layer"],
        "reasons": reasons,
        "decided_by": decided_by,
        "next_steps": steps,
        "contacts": contacts,
        "selected": {
            "indicators": [{"id": i["id"], "text": i["text"], "level": i["level"], "domain": i["domain"],
                            "dimension": i["dimension"], "source": i["source"]} for i in state["indicators"]],
            "flags": [{"id": f["id"], "text": f["text"], "pathway": f["pathway"], "group": f["group"],
                       "group_title": f.get("group_title", ""), "source": f["source"]} for f in state["flags"]
                      if f["id"] in flag_ids],
        },
        "documents": documents,
        "documents_text": docs["documents_text"],
        "disclaimer": DISCLAIMER,
    }
    result["summary"] = summary_text(result)
    return result


def source_documents(bundle: dict, area: str) -> dict:
    """The documents whose threshold rules apply in ``area``: ``{"documents", "documents_text"}``."""
    _area(bundle, area)
    return documents_of(bundle, area)
