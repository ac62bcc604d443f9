"""Levels of need and pathways (rules/thresholds/<area>.yaml): cited indicators, flags and
rules; the immediate-protection question first and a catch-all rule last; escalations to
real child-protection flags whose words are quoted as written; the national immediate-danger
question first of all; a national concern hidden by an area only with a cited reason, and never the
immediate-danger question.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules.model import IMMEDIATE, ROOT_AREA
from macros.rules.yamlsource import Problem


def check_thresholds(ck):
    contacts = {c["id"] for cs in ck.rules.contacts.values() for c in cs}
    for _rel, doc in ck.of_kind("thresholds"):
        ck.guarded(_check_thresholds_file, ck, doc, contacts)


def _check_thresholds_file(ck, doc, contacts):
    data, area = doc.data, doc.data.get("area")
    if area not in ck.rules.areas:
        return
    groups = {}
    for i, g in enumerate(data.get("flag_groups", [])):
        ck.claim(doc, ("flag_groups", i, "id"), g["id"], "flag group")
        groups[g["id"]] = g
        ck.source(doc, ("flag_groups", i, "source"), g["source"], area)
    for key in ("indicators", "flags"):
        for i, item in enumerate(data.get(key, [])):
            ck.claim(doc, (key, i, "id"), item["id"], key[:-1])
            ck.source(doc, (key, i, "source"), item["source"], area)
            if key == "flags" and item["group"] not in groups:
                ck.problem(doc, (key, i, "group"), f"unknown flag group '{item['group']}'; groups: {', '.join(groups)}",
                             f"group: {next(iter(groups), 'cov-s47-indicated')}")
    ck.guarded(check_escalations, ck, doc, groups)
    ck.guarded(check_hides, ck, doc)
    for i, lv in enumerate(data.get("levels", [])):
        ck.source(doc, ("levels", i, "source"), lv["source"], area)
    for i, rule in enumerate(data.get("rules", [])):
        p = ("rules", i)
        ck.claim(doc, p + ("id",), rule["id"], "rule")
        ck.source(doc, p + ("source",), rule["source"], area)
        for g in rule["when"].get("any_flag_in", []):
            if g not in groups:
                ck.problem(doc, p + ("when", "any_flag_in"), f"unknown flag group '{g}'")
        for j, step in enumerate(rule.get("next_steps", [])):
            if "section" in step:
                ck.source(doc, p + ("next_steps", j, "section"), step["section"], area, "section")
        for j, c in enumerate(rule.get("contacts", [])):
            if c not in contacts:
                ck.problem(doc, p + ("contacts", j), f"unknown contact '{c}'", f"- {next(iter(sorted(contacts)), 'coventry-ras')}")
    rules = data.get("rules", [])
    if rules and rules[0]["when"] != {"any_flag": "immediate-protection"}:
        ck.problem(doc, ("rules", 0, "when"), "the first rule must be the immediate-protection question",
                     "when: {any_flag: immediate-protection}")
    if rules and rules[-1]["when"] != {"otherwise": True}:
        ck.problem(doc, ("rules", len(rules) - 1, "when"), "the last rule must match anything left",
                     "when: {otherwise: true}")


def check_escalations(ck, doc, groups):
    """``escalates_to.trigger`` is a child-protection flag of the same file, cited, with
    its words quoted as the file holds them; ``routes_lower`` is cited."""
    data, area = doc.data, doc.data.get("area")
    flags = {f["id"]: f for f in data.get("flags", [])}
    cp = {fid: f for fid, f in flags.items()
          if f.get("pathway", groups.get(f["group"], {}).get("pathway")) == "child-protection"}
    for key in ("indicators", "flags"):
        for i, item in enumerate(data.get(key, [])):
            link = item.get("escalates_to")
            if link:
                p = (key, i, "escalates_to")
                if link["trigger"] not in cp:
                    ck.problem(doc, p + ("trigger",), f"'{link['trigger']}' is not a child-protection flag of "
                                 f"{area}; child-protection flags: {', '.join(cp) or 'none'}",
                                 f"trigger: {next(iter(cp), 'cov-strat-female-genital-mutilation')}")
                elif " ".join(link["quote"].split()) not in " ".join(cp[link["trigger"]]["text"].split()):
                    ck.problem(doc, p + ("quote",), f"the quote is not in the text of '{link['trigger']}'",
                                 f"quote: {cp[link['trigger']]['text'][:60]}")
                ck.source(doc, p + ("source",), link["source"], area)
            if item.get("routes_lower"):
                ck.source(doc, (key, i, "routes_lower", "source"), item["routes_lower"]["source"], area)


def check_hides(ck, doc):
    """``hides``: each entry names a flag inherited by the area (not its own), once, never an
    immediate-protection one, with a reason and a source the area may cite."""
    data, area = doc.data, doc.data.get("area")
    inherited: dict[str, dict] = {}
    for layer in ck.rules.lineage(area)[1:]:
        th = ck.rules.thresholds.get(layer) or {}
        groups = {g["id"]: g for g in th.get("flag_groups", [])}
        for f in th.get("flags", []):
            pathway = f.get("pathway", groups.get(f["group"], {}).get("pathway"))
            inherited.setdefault(f["id"], dict(f, pathway=pathway, layer=layer))
    seen: set[str] = set()
    for i, h in enumerate(data.get("hides", [])):
        p = ("hides", i)
        fid = h["flag"]
        if fid not in inherited:
            ck.problem(doc, p + ("flag",), f"'{fid}' is not a flag {area} inherits; inherited flags: "
                         f"{', '.join(inherited) or 'none'}", f"flag: {next(iter(inherited), 'wt-cin-disabled')}")
        elif inherited[fid]["pathway"] == IMMEDIATE:
            ck.problem(doc, p + ("flag",), f"'{fid}' is the immediate-danger question: every area asks it, "
                         "it cannot be hidden", "")
        elif fid in seen:
            ck.problem(doc, p + ("flag",), f"'{fid}' is hidden twice", "")
        seen.add(fid)
        ck.source(doc, p + ("source",), h["source"], area)


def check_immediate(ck):
    """The national immediate-danger question is the first flag, alone in the first group,
    whose pathway is immediate protection; every area inherits it through its chain."""
    found = [doc for rel, doc in ck.of_kind("thresholds") if doc.data.get("area") == ROOT_AREA]
    if not found:
        ck.problems.append(Problem("rules/thresholds/national.yaml", 1, "", "missing: the national thresholds hold "
                                     "the immediate-danger question every area asks first", ""))
        return
    doc = found[0]
    groups, flags = doc.data.get("flag_groups", []), doc.data.get("flags", [])
    example = "flag_groups:\n  - {id: wt-immediate, title: Is the child in immediate danger?, pathway: immediate-protection, source: wt-52}"
    if not groups or groups[0].get("pathway") != IMMEDIATE:
        ck.problem(doc, ("flag_groups", 0) if groups else ("flag_groups",),
                     f"the first flag group must be the immediate-danger question, with pathway {IMMEDIATE}", example)
        return
    first = groups[0]["id"]
    if not flags or flags[0].get("group") != first:
        ck.problem(doc, ("flags", 0) if flags else ("flags",), f"the first flag must be the immediate-danger "
                     f"question, in group '{first}'", f"- {{id: wt-immediate-danger, group: {first}, text: ..., source: wt-52}}")
    others = [i for i, f in enumerate(flags) if f.get("group") == first and i > 0]
    for i in others:
        ck.problem(doc, ("flags", i, "group"), f"the immediate-danger group '{first}' holds only its question; "
                     "put this flag in a group of its own", "")
