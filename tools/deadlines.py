"""The deadline engine: every step due after (or before) an event, for one area.

:func:`deadlines_for` takes an area, an event and the date (or UK clock time) it
happened, and gives one row per timescale the event starts in that area, each due
date counted by :mod:`tools.duedates` (how dates are counted: the units, the clock
changes, repeating rules, the calendar's coverage). Rows come soonest first; a
date-only deadline runs to the end of its day, so it comes after any timed one on
that day; rows with no due date (refused, or an hours rule without a time) come
last. An unknown area or event is an error that names the valid ones.
:func:`list_areas`, :func:`list_events` and :func:`list_payload` say what can be
asked: the areas, and the events that start a deadline in each or complete one of
its steps (:func:`met_by`). A case of several events is :mod:`tools.timeline`.

Which deadlines an event starts
===============================

**Layers.** An area's deadlines are its own timescales plus each inherited
(national) timescale whose step the area does not override; each row says which
``layer`` it comes from.

Public API (pure functions over the bundle, see ``tools/README.md``):
:func:`deadlines_for`, :func:`list_events`, :func:`list_areas`, :func:`list_payload`,
:func:`deadline_row`, :func:`met_by` (and :func:`tools.timeline.timeline`,
:func:`tools.duedates.parse_at`, :func:`tools.duedates.compute_due`); errors derive from
:class:`tools.duedates.DeadlineError`. Words (dates, amounts, rules) come from :mod:`tools.wording`.
Command line: ``procedures deadlines --help`` (``cli/deadlines.py``).
"""
from __future__ import annotations

from .duedates import (
    DEFAULT_OCCURRENCES,
    DeadlineError,
    Refused,
    _check_event_date,
    _coerce_at,
    _coerce_today,
    _due_fields,
    _occurrences,
    compute_due,
    compute_whichever,
    format_at,
    is_overdue,
    latest_working_day,
    local_time_notes,
    parse_at,
)
from .layers import effective_timescales
from .wording import amount_words, event_phrase, rule_words, when_text
from .workingdays import WorkingCalendar, calendar_for


# -- errors ------------------------------------------------------------------------------
class UnknownArea(DeadlineError):
    pass


class UnknownEvent(DeadlineError):
    pass


# -- the bundle -----------------------------------------------------------------------------
def _area(bundle: dict, area: str) -> dict:
    areas = bundle["areas"]
    if area not in areas:
        valid = "; ".join(f"{a} ({v.get('name', a)})" for a, v in areas.items())
        raise UnknownArea(f"Unknown area {area!r}. Valid areas: {valid}.")
    return areas[area]


def _timescales(bundle: dict, area: str) -> list[dict]:
    return effective_timescales(bundle, area)


def list_areas(bundle: dict) -> list[dict]:
    """``[{"id", "name", "inherits"}]`` in the bundle's order."""
    return [{"id": a, "name": v.get("name", a), "inherits": v.get("inherits")} for a, v in bundle["areas"].items()]


def list_events(bundle: dict, area: str) -> list[dict]:
    """The events that start at least one deadline in ``area`` (own or inherited), complete
    one of its steps, or are the condition of a conditional rule, in the vocabulary's order:
    ``[{"id", "label", "description", "timescales": [ids it starts], "completes": [step ids],
    "conditions": [ids of the rules it makes apply]}]``."""
    _area(bundle, area)
    by_event: dict[str, list[str]] = {}
    completes: dict[str, list[str]] = {}
    conditions: dict[str, list[str]] = {}
    for ts in _timescales(bundle, area):
        by_event.setdefault(ts["event"], []).append(ts["id"])
        if ts.get("applies_if"):
            conditions.setdefault(ts["applies_if"]["event"], []).append(ts["id"])
        for ev in met_by(bundle, ts["step"]):
            completes.setdefault(ev, [])
            if ts["step"] not in completes[ev]:
                completes[ev].append(ts["step"])
    out = []
    for ev_id, ev in bundle["events"].items():
        if ev_id in by_event or ev_id in completes or ev_id in conditions:
            out.append({"id": ev_id, "label": ev.get("label", ev_id), "description": ev.get("description", ""),
                        "timescales": by_event.get(ev_id, []), "completes": completes.get(ev_id, []),
                        "conditions": conditions.get(ev_id, [])})
    return out


def _event(bundle: dict, area: str, event: str) -> dict:
    if event not in bundle["events"]:
        valid = "; ".join(f"{e['id']} ({e['label']})" for e in list_events(bundle, area) if e["timescales"])
        raise UnknownEvent(f"Unknown event {event!r}. Events that start a deadline in "
                           f"{bundle['areas'][area].get('name', area)}: {valid or 'none'}.")
    return bundle["events"][event]


def met_by(bundle: dict, step: str | None) -> list[str]:
    """The events that complete ``step`` (``rules/events.yaml`` ``met_by``); ``[]`` if none."""
    return list((bundle["steps"].get(step) or {}).get("met_by") or [])


# -- the answer -------------------------------------------------------------------------------
def _sort_key(row: dict):
    due = row["due"]
    if due is None:
        return (1, "", row.get("label", ""), row["id"])
    # A date-only deadline runs to the end of its day: after any timed one on that day.
    return (0, due if "T" in due else due + "T99", row.get("label", ""), row["id"])


def not_recorded(bundle: dict, step: str | None) -> str | None:
    """Why no event entered here can complete ``step`` (``not_ticked`` in ``rules/events.yaml``),
    or ``None`` when an event completes it."""
    info = bundle["steps"].get(step) or {}
    if info.get("met_by"):
        return None
    return info.get("not_ticked") or "No event recorded here completes this step."


def condition(bundle: dict, ts: dict) -> dict | None:
    """A conditional rule's condition, ready to show: ``{"event", "label", "text", "source"}``
    (``applies_if`` in the timescale), or ``None`` for a rule that always applies."""
    cond = ts.get("applies_if")
    if not cond:
        return None
    ev = bundle["events"].get(cond["event"]) or {}
    return {"event": cond["event"], "label": ev.get("label", cond["event"]),
            "text": f"If {cond['text']}", "source": dict(cond.get("source") or {})}


def mark(row: dict, today) -> dict:
    """Set ``status`` (and ``overdue``) of a row that is not done: ``"not-recorded"`` when no
    event recorded here can complete its step (never overdue: nothing could clear it),
    ``"conditional"`` when it applies only under a condition not known to be met, else
    ``"overdue"`` against ``today`` or ``"due"``."""
    late = bool(is_overdue(parse_at(row["due"]), today)) if row.get("due") else False
    if row["not_recorded"]:
        row.update(status="not-recorded", overdue=False, past_due=late)
    elif row.get("applies_if") and not row.get("condition_met"):
        row.update(status="conditional", overdue=False, past_due=late)
    else:
        row.update(status="overdue" if late else "due", overdue=late, past_due=late)
    return row


def deadline_row(ts: dict, event: dict, at, cal: WorkingCalendar, today=None,
                 occurrences: int = DEFAULT_OCCURRENCES, bundle: dict | None = None) -> dict:
    """One timescale computed from ``at``: one row of the output contract (see :func:`deadlines_for`
    and ``tools/output.schema.json``)."""
    source = ts.get("source") or {}
    row = {"id": ts["id"], "step": ts.get("step"), "label": ts["label"]}
    error, warnings, due, parts, unit = None, [], None, None, ts["unit"]
    try:
        if ts.get("or"):
            due, warnings, parts = compute_whichever(ts, at, cal)
            unit = next(p["unit"] for p in parts if p["chosen"])
        else:
            due, warnings = compute_due(ts["amount"], ts["unit"], ts["direction"], at, cal)
    except Refused as exc:
        error = str(exc)
    row.update(_due_fields(due))
    row["latest_working_day"] = latest_working_day(due, unit, ts["direction"], cal)
    row["whichever"] = ts.get("whichever") if ts.get("or") else None
    row["parts"] = parts
    row.update({
        "amount": ts["amount"], "unit": ts["unit"], "direction": ts["direction"],
        "recurrence": dict(ts["recurrence"]) if ts.get("recurrence") else None,
        "occurrences": _occurrences(ts.get("recurrence"), due, cal, today, occurrences),
        "layer": ts.get("layer", ts.get("area")),
        "source": {"document": source.get("document"), "section": source.get("section"),
                   "url": source.get("url")},
        "notes": ts.get("notes") or "",
        "rule": rule_words(ts, event),
        "warnings": warnings,
        "error": error,
        "overdue": is_overdue(due, today),
        "status": "due", "past_due": False,
        "can_be_ticked": True, "not_recorded": None,
        "applies_if": condition(bundle or {"events": {}}, ts), "condition_met": False,
        "occurrence": 1, "repeat_of": None,
        "from_event": event.get("id"), "from_at": format_at(at),
        "done_at": None, "done_by": None, "late_working_days": None, "timeliness": None,
    })
    if bundle is not None:
        row["not_recorded"] = not_recorded(bundle, ts.get("step"))
        row["can_be_ticked"] = row["not_recorded"] is None
    return mark(row, today)


def next_row(bundle: dict, ts: dict, event_id: str, at, cal: WorkingCalendar, today=None,
             occurrences: int = DEFAULT_OCCURRENCES, occurrence: int | None = None, held: str = "") -> dict:
    """The next occurrence of repeating rule ``ts`` counted from a real occurrence of its step:
    ``event_id`` (which completes the step) at ``at``. Due ``every`` units after it, with the same
    counting rules, then every ``every`` after the previous one (``occurrences``)."""
    rec = ts["recurrence"]
    ev = bundle["events"][event_id]
    row = deadline_row(dict(ts, amount=rec["every"], unit=rec["unit"], direction="after", recurrence=rec,
                            whichever=None, **{"or": None}),      # the repeat has one part
                       ev, at, cal, today, occurrences, bundle)
    row.update(amount=rec["every"], unit=rec["unit"], direction="after", occurrence=occurrence,
               repeat_of=ts["id"],
               rule=f"{amount_words(rec['every'], rec['unit'])} after {event_phrase(ev)} {held}on "
                    f"{when_text(at)}, then every {amount_words(rec['every'], rec['unit'])} after the previous one")
    return mark(row, today)


def next_from(bundle: dict, area: str, event: str) -> tuple[list[dict], list[dict]]:
    """What a real occurrence of ``event`` counts on in ``area``: ``(repeating, first_only)``,
    the repeating rules whose step ``event`` completes, and the rules of steps it completes
    that repeat in some area's rules but here give only the first interval."""
    steps = [t for t in _timescales(bundle, area) if event in met_by(bundle, t["step"])]
    repeating = [t for t in steps if t.get("recurrence")]
    repeats_somewhere = {t["step"] for t in bundle["timescales"] if t.get("recurrence")}
    done = {t["step"] for t in repeating}
    first_only = [t for t in steps if t["step"] in repeats_somewhere and t["step"] not in done]
    return repeating, first_only


def drafts_note(bundle: dict, area: str) -> list[str]:
    """A warning when ``area`` has timescales imported from its document that a person has not
    yet reviewed (``draft: true``; the bundle counts them in ``areas[area]["drafts"]``). They
    are never used, so the dates come from the rules the area inherits alone, and the reader
    must know that before relying on them. Empty when there are none (or an older bundle)."""
    n = bundle["areas"][area].get("drafts", 0)
    if not n:
        return []
    a = bundle["areas"][area]
    parent = bundle["areas"].get(a.get("inherits") or "", {}).get("name", "the national rules")
    return [f"Draft: {a['name']}'s own document gives {n} time limit{'s' if n != 1 else ''} that a person has "
            f"not yet reviewed. {'They are' if n != 1 else 'It is'} not used here: these dates follow the "
            f"rules {a['name']} inherits ({parent}) and any reviewed local rules only. Check "
            f"{a['name']}'s procedures before relying on them."]


def first_only_note(bundle: dict, event: str, at, rules: list[dict]) -> list[str]:
    """"The rules give only the first one" for each step of ``rules`` (see :func:`next_from`)."""
    notes = []
    for step in dict.fromkeys(t["step"] for t in rules):
        first = [t for t in rules if t["step"] == step]
        label = (bundle["steps"].get(step) or {}).get("label", first[0]["label"])
        words = "; ".join(rule_words(t, bundle["events"][t["event"]]) for t in first)
        notes.append(f"\u201c{label}\u201d: the rules give only the first one ({words}); no next date "
                     f"is counted from {event_phrase(bundle['events'][event])} on {when_text(at)}.")
    return notes


def deadlines_for(bundle: dict, area: str, event: str, at, today=None,
                  occurrences: int = DEFAULT_OCCURRENCES) -> dict:
    """Every deadline that ``event`` at ``at`` starts in ``area``, soonest first.

    ``at``: ``"2026-12-23"``, ``"2026-12-23T16:45"`` (UK clock time), a ``date`` or
    a ``datetime``. ``today`` (optional, same forms) flags ``overdue``.

    Returns (this is exactly what ``--json`` prints)::

        {"area", "event", "at",
         "deadlines": [{"id", "step", "label",
                        "due": "YYYY-MM-DD" | "YYYY-MM-DDTHH:MM" (hours rules) | null,
                        "due_utc": "YYYY-MM-DDTHH:MMZ" (hours rules) | null,
                        "weekday", "amount", "unit", "direction", "recurrence",
                        "occurrences": [{"n", "due", "due_utc", "weekday", "warnings", "error", "overdue"}],
                        "layer", "source": {"document", "section", "url"}, "notes",
                        "rule", "warnings", "error": null | str, "overdue": bool | null}]}

    Rows with ``due`` null (refused, or an hours rule without a time) come last.
    Raises :class:`UnknownArea`, :class:`UnknownEvent`, :class:`InvalidDate`,
    :class:`OutOfCoverage` (the event date is outside the calendar; these two are in
    :mod:`tools.duedates`).
    """
    _area(bundle, area)
    ev = _event(bundle, area, event)
    at = _coerce_at(at)
    notes = drafts_note(bundle, area) + local_time_notes(at)
    today = _coerce_today(today)
    cal = calendar_for(bundle, area)
    _check_event_date(cal, at)
    rows = [deadline_row(ts, ev, at, cal, today, occurrences, bundle)
            for ts in _timescales(bundle, area) if ts["event"] == event]
    repeating, first_only = next_from(bundle, area, event)
    rows += [next_row(bundle, ts, event, at, cal, today, occurrences) for ts in repeating]
    notes += first_only_note(bundle, event, at, first_only)
    rows.sort(key=_sort_key)
    return {"area": area, "event": event, "at": format_at(at), "deadlines": rows, "notes": notes}


def list_payload(bundle: dict, area: str | None = None) -> dict:
    """What ``--list`` prints: ``{"areas": [{"id", "name", "inherits", "events": [...]}]}``."""
    areas = [a for a in list_areas(bundle) if area is None or a["id"] == area]
    if area is not None:
        _area(bundle, area)
    return {"areas": [dict(a, events=list_events(bundle, a["id"])) for a in areas]}
