"""Timescales (rules/timescales/<area>.yaml): ids with the area prefix, known events and steps,
one rule per step and event, cited sources in the area's lineage, amounts in range.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

from macros.rules.model import MAX_AMOUNT


def check_timescales(ck):
    for _rel, doc in ck.of_kind("timescales"):
        ck.guarded(_check_timescales_file, ck, doc)


def _check_timescales_file(ck, doc):
    area = doc.data.get("area")
    if area not in ck.rules.areas:
        return
    steps_seen = {}
    for i, ts in enumerate(doc.data.get("timescales", [])):
        p = ("timescales", i)
        ck.claim(doc, p + ("id",), ts["id"], "timescale")
        if not ts["id"].startswith(area + "-"):
            ck.problem(doc, p + ("id",), f"timescale id must start with '{area}-'", f"id: {area}-{ts['id']}")
        if ts["event"] not in ck.rules.events:
            ck.problem(doc, p + ("event",), f"unknown event '{ts['event']}'; events: {', '.join(ck.rules.events)}",
                         "event: referral")
        if ts["step"] not in ck.rules.steps:
            ck.problem(doc, p + ("step",), f"unknown step '{ts['step']}'; add it to rules/events.yaml or use one of: "
                         f"{', '.join(ck.rules.steps)}", "step: icpc-held")
        key = (ts["step"], ts["event"], ts["direction"])
        if key in steps_seen:
            ck.problem(doc, p + ("step",), f"step '{ts['step']}' from '{ts['event']}' is already timed by "
                         f"{steps_seen[key]}: one rule per step and event", "")
        steps_seen[key] = ts["id"]
        ck.source(doc, p + ("source",), ts["source"], area)
        for j, alt in enumerate(ts.get("alternatives", [])):
            ck.source(doc, p + ("alternatives", j, "source"), alt["source"], area)
        amount(ck, doc, p, ts["amount"], ts["unit"])
        for j, alt in enumerate(ts.get("alternatives", [])):
            if "amount" in alt and "unit" in alt:
                amount(ck, doc, p + ("alternatives", j), alt["amount"], alt["unit"])
        if ts.get("recurrence"):
            amount(ck, doc, p + ("recurrence",), ts["recurrence"]["every"], ts["recurrence"]["unit"], "every")
        cond = ts.get("applies_if")
        if cond:
            if cond["event"] not in ck.rules.events:
                ck.problem(doc, p + ("applies_if", "event"), f"unknown event '{cond['event']}'; events: "
                           f"{', '.join(ck.rules.events)}", "applies_if: {event: cin-step-down-decided, ...}")
            ck.source(doc, p + ("applies_if", "source"), cond["source"], area)
        ck.guarded(check_whichever, ck, doc, p, ts)
        if ts.get("recurrence") and ts["recurrence"]["unit"] == "hours":
            ck.problem(doc, p + ("recurrence", "unit"), "a recurrence in hours is not supported",
                         "recurrence: {every: 6, unit: weeks}")


def check_whichever(ck, doc, p, ts):
    """``whichever`` and ``or`` come together (an earliest-of or latest-of rule); each part's
    amount is in range, no part is given twice, and hours are not mixed with date units (a
    time and a date cannot be compared)."""
    if bool(ts.get("or")) != bool(ts.get("whichever")):
        has, missing = ("or", "whichever") if ts.get("or") else ("whichever", "or")
        ck.problem(doc, p + (has,), f"'{has}' needs '{missing}': a rule 'whichever is sooner / later' names "
                   "its other parts in 'or' and which one applies in 'whichever'",
                   "whichever: sooner\n    or: [{amount: 20, unit: working_days}]")
        return
    parts = [(ts["amount"], ts["unit"])]
    for j, part in enumerate(ts.get("or") or []):
        amount(ck, doc, p + ("or", j), part["amount"], part["unit"])
        if (part["amount"], part["unit"]) in parts:
            ck.problem(doc, p + ("or", j), f"{part['amount']} {part['unit']} is already a part of this rule", "")
        parts.append((part["amount"], part["unit"]))
    if len(parts) > 1 and len({u == "hours" for _, u in parts}) > 1:
        ck.problem(doc, p + ("or",), "hours cannot be combined with days, weeks or months in one rule: "
                   "a time and a date cannot be compared", "or: [{amount: 20, unit: working_days}]")


def amount(ck, doc, path, amount, unit, key="amount"):
    """An amount is a whole number from 1 to MAX_AMOUNT[unit] (see MAX_AMOUNT for why);
    0 only in days, which a source uses for "by the end of the same day"."""
    top = MAX_AMOUNT.get(unit)
    if top is None or not isinstance(amount, int) or isinstance(amount, bool):
        return  # the schema reports it
    low = 0 if unit == "days" and key == "amount" else 1   # 0 days: "by the end of the same day" (Coventry)
    if not low <= amount <= top:
        ck.problem(doc, path + (key,), f"{amount} {unit} is outside {low}..{top}, the range for {unit} "
                     "(see MAX_AMOUNT in macros/rules/model.py for why)", f"{key}: 15")
