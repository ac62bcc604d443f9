"""Macros in procedure text (``{{ ts(...) }}``, ``{{ contact(...) }}`` ...): each call's
arguments against rules/, everything the page macros would fail on.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules.model import TS_FORMS
from macros.rules.ruletext import MACRO, macro_args, procedure_texts


def check_texts(ck):
    timescales = {t["id"] for ts in ck.rules.timescales.values() for t in ts}
    contacts = {c["id"]: c for cs in ck.rules.contacts.values() for c in cs}
    groups = {g["id"] for th in ck.rules.thresholds.values() for g in th.get("flag_groups", [])}
    ts_by_id = {t["id"]: t for ts in ck.rules.timescales.values() for t in ts}
    for _rel, doc in ck.of_kind("procedure"):
        for path, text in procedure_texts(doc.data):
            if "{{" in text:                    # a text without a macro call has nothing to check here
                check_text(ck, doc, path, text, timescales, contacts, groups, ts_by_id)


def check_text(ck, doc, path, text, timescales, contacts, groups, ts_by_id=None):
    """Each macro's arguments, against rules/: everything the page macros would fail on.
    (Other template syntax, HTML and unsafe links are refused by ``text_problems``.)"""
    if ts_by_id is None:
        ts_by_id = {t["id"]: t for ts in ck.rules.timescales.values() for t in ts}
    for m in MACRO.finditer(text):
        name, call = m.group("name"), m.group(0)
        try:
            args = macro_args(m.group("args"))
        except ValueError:
            ck.problem(doc, path, f"cannot read the arguments of {call}: quoted ids and whole numbers only",
                         "{{ ts('national-icpc', 'words') }}")
            continue
        first = args[0] if args else None
        second = args[1] if len(args) > 1 else None
        if name == "ts":
            if first not in timescales:
                ck.problem(doc, path, f"{call}: unknown timescale '{first}'", "{{ ts('national-icpc') }}")
            elif second is not None and second not in TS_FORMS:
                ck.problem(doc, path, f"{call}: form '{second}' is not one of {', '.join(TS_FORMS)}",
                             "{{ ts('national-icpc', 'words') }}")
            elif str(second).startswith("every") and not ts_by_id[first].get("recurrence"):
                ck.problem(doc, path, f"{call}: timescale '{first}' does not repeat (it has no recurrence)",
                             f"{{{{ ts('{first}') }}}}")
            elif second in ("amount", "words", "unit") and ts_by_id[first].get("or"):
                ck.problem(doc, path, f"{call}: timescale '{first}' is 'whichever is "
                           f"{ts_by_id[first].get('whichever')}' of several parts: one amount would misstate it",
                           f"{{{{ ts('{first}') }}}}")
            if len(args) > 2:
                ck.problem(doc, path, f"{call}: ts takes an id and a form", "{{ ts('national-icpc', 'words') }}")
        elif name in ("contact", "phone", "address", "email"):
            if first not in contacts:
                ck.problem(doc, path, f"{call}: unknown contact '{first}'", "{{ contact('coventry-ras') }}")
                continue
            c = contacts[first]
            need = {"phone": "phones", "email": "emails", "address": "address"}.get(name)
            index = second if second is not None else 1
            if need and not c.get(need):
                ck.problem(doc, path, f"{call}: contact '{first}' has no {need}",
                             f"{{{{ contact('{first}') }}}}")
            elif name in ("phone", "email") and (not isinstance(index, int) or not 1 <= index <= len(c[need])):
                ck.problem(doc, path, f"{call}: contact '{first}' has {len(c[need])} {need}",
                             f"{{{{ {name}('{first}', 1) }}}}")
        elif name == "link":
            if first not in ck.rules.anchors:
                ck.problem(doc, path, f"{call}: unknown section '{first}'", "{{ link('wt-52') }}")
        elif name == "flags":
            if first not in groups:
                ck.problem(doc, path, f"{call}: unknown flag group '{first}'", "{{ flags('cov-s47-indicated') }}")
        elif name == "grid":
            levels = {lv.get("level") for lv in ck.rules.thresholds.get(first, {}).get("levels", [])} if isinstance(first, str) else set()
            if not levels or second not in levels:
                ck.problem(doc, path, f"{call}: needs an area with thresholds and one of its levels",
                             "{{ grid('coventry', 2) }}")
        else:
            ck.problem(doc, path, f"{call}: unknown macro '{name}'", "{{ ts('national-icpc') }}")
