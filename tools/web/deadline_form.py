"""The deadline calculator's form, in Python: check what was typed, compute, describe the answer.

The page's JavaScript only collects the fields as typed and renders what these
functions return; every message, date and word shown comes from here or from the
engine (``tools.deadlines``, ``tools.duedates``, ``tools.timeline``). Field checks follow the
GOV.UK date input pattern:

* nothing entered: "Enter the date of referral";
* a part missing: "Date of referral must include a month";
* not numbers, or no such day: "Date of referral must be a real date";
* a year without 4 digits: "Year must include 4 numbers";
* outside the bank holiday calendar: "Date of referral must be between ... and ...".

Queries (plain JSON from the page)::

    {"area": "dudley", "event": "referral", "day": "23", "month": "12", "year": "2026",
     "time": "", "today": "2026-11-23T10:15"}

    timeline: {"area": "national", "today": "...",
               "entries": [{"event": "strategy-discussion", "day": ..., "month": ..., "year": ..., "time": ...}]}

Answers: ``{"ok": false, "errors": [{"field", "parts", "message"}]}`` (``field`` is
``area``, ``event``, ``date``, ``time``, or ``entries.N.event|date|time`` for a
timeline; ``parts`` names the date parts to highlight) or ``{"ok": true, ...}``
with display-ready rows (see :func:`describe_row`). ``today`` is the ISO time the answer
judged overdue against (for the link and the .ics); ``today_text`` is the same time in words,
for the page ("01:49 on Monday 7 December 2026"): no ISO date is ever shown to a practitioner.
"""
from __future__ import annotations

import datetime as _dt
import re
from urllib.parse import urlencode

from tools.deadlines import deadlines_for, drafts_note, list_events, next_from
from tools.duedates import DeadlineError, InvalidDate, OutOfCoverage, format_at, local_time_notes, parse_at
from tools.ics import to_ics
from tools.timeline import timeline as case_timeline
from tools.wording import (
    MONTHS,
    amount_words,
    capitalised,
    cite,
    due_text,
    event_phrase,
    layer_text,
    long_date,
    on_when,
    ordinal,
    parse_iso,
    short_date,
    when_text,
)
from tools.workingdays import calendar_for

PARTS = ("day", "month", "year")
_VERBS = {"is", "are", "was", "were", "starts", "started", "has", "moved"}


# -- names -----------------------------------------------------------------------------------
def date_name(event: dict) -> str:
    """How messages name the date: "date of referral" (the event's phrase "the referral"), or
    "date when the assessment is completed" when the phrase is a clause. An event's own
    ``date_label`` wins.

    >>> date_name({"id": "referral", "label": "Referral received", "phrase": "the referral"})
    'date of referral'
    >>> date_name({"id": "s47", "label": "Section 47 enquiry started", "phrase": "the section 47 enquiry starts"})
    'date when the section 47 enquiry starts'
    """
    if event.get("date_label"):
        return event["date_label"]
    phrase = event_phrase(event)
    if set(phrase.split()) & _VERBS:
        return f"date when {phrase}"
    return f"date of {phrase[4:] if phrase.startswith('the ') else phrase}"


def _error(field: str, message: str, parts=()) -> dict:
    return {"field": field, "parts": list(parts), "message": message}


def month_number(text: str) -> str:
    """GOV.UK lets people type the month as a name: ``"December"``, ``"dec"`` -> ``"12"``;
    anything else is returned unchanged (and checked as a number).

    >>> month_number("Sept"), month_number("march"), month_number("3"), month_number("Smarch")
    ('9', '3', '3', 'Smarch')
    """
    word = text.strip().lower().rstrip(".")
    if len(word) >= 3 and word.isalpha():
        for i, name in enumerate(MONTHS):
            if name.lower().startswith(word) or (word == "sept" and i == 8):
                return str(i + 1)
    return text


_CLOCK = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def normal_time(text: str) -> str:
    """Times as people type them -> ``"HH:MM"``: ``"1645"``, ``"16.45"``, ``"4.45pm"``,
    ``"4pm"``, ``"12am"`` (midnight); anything else unchanged (then refused with a message).

    >>> [normal_time(t) for t in ("1645", "16.45", "4.45pm", "4pm", "12am", "12.30pm", "9:05", "25:00")]
    ['16:45', '16:45', '16:45', '16:00', '00:00', '12:30', '09:05', '25:00']
    """
    m = _CLOCK.match(text.strip().lower())
    if not m:
        return text
    hh, mm, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").replace(".", "")
    if m.group(2) is None and not half:
        return text                     # "16" alone: refuse rather than guess
    if half:
        if not 1 <= hh <= 12:
            return text
        hh = hh % 12 + (12 if half == "pm" else 0)
    return f"{hh:02d}:{mm:02d}"


def check_date(fields: dict, name: str, field: str = "date", cal=None) -> tuple[_dt.date | None, dict | None]:
    """GOV.UK date input checks on ``fields["day"|"month"|"year"]`` (strings as typed).

    Returns ``(date, None)`` or ``(None, error)``.

    >>> check_date({"day": "", "month": "", "year": ""}, "date of referral")[1]["message"]
    'Enter the date of referral'
    >>> check_date({"day": "31", "month": "2", "year": "2027"}, "date of referral")[1]["message"]
    'Date of referral must be a real date'
    >>> check_date({"day": "1", "month": "", "year": "2027"}, "date of referral")[1]["message"]
    'Date of referral must include a month'
    >>> check_date({"day": "27", "month": "3", "year": "2026"}, "date of referral")[0]
    datetime.date(2026, 3, 27)
    """
    values = {p: str(fields.get(p) or "").strip() for p in PARTS}
    values["month"] = month_number(values["month"])
    missing = [p for p in PARTS if not values[p]]
    if len(missing) == 3:
        return None, _error(field, f"Enter the {name}", PARTS)
    if missing:
        words = " and ".join(missing) if len(missing) == 2 else missing[0]
        return None, _error(field, f"{capitalised(name)} must include a {words}", missing)
    bad = [p for p in PARTS if not re.fullmatch(r"\d+", values[p])]
    if bad:
        return None, _error(field, f"{capitalised(name)} must be a real date", bad)
    if len(values["year"]) != 4:
        return None, _error(field, "Year must include 4 numbers", ["year"])
    try:
        day = parse_at(f"{values['year']}-{int(values['month']):02d}-{int(values['day']):02d}")
    except InvalidDate:
        parts = ["month"] if not 1 <= int(values["month"]) <= 12 else ["day"]
        return None, _error(field, f"{capitalised(name)} must be a real date", parts)
    if cal is not None and not cal.covers(day):
        return None, _error(field, f"{capitalised(name)} must be between {short_date(cal.covers_from.isoformat())} and "
                                   f"{short_date(cal.covers_to.isoformat())}, the dates the bank holiday calendar covers",
                            PARTS)
    return day, None


def check_time(text: str, day: _dt.date, name: str, field: str = "time") -> tuple[str | None, dict | None]:
    """``""`` (no time) or ``"HH:MM"``; the message comes from :func:`tools.duedates.parse_at`.

    Accepts ``16:45``, ``9:05``, ``16.45``, ``1645``, ``4.45pm`` (:func:`normal_time`); returns ``(at_string, None)`` or ``(None, error)``.
    """
    text = str(text or "").strip()
    if not text:
        return day.isoformat(), None
    zone = re.search(r"\s*(gmt|bst)$", text, re.IGNORECASE)
    if zone:
        text = text[:zone.start()]
    text = normal_time(text) + (f" {zone.group(1).upper()}" if zone else "")
    try:
        at = parse_at(f"{day.isoformat()}T{text}")
        local_time_notes(at)            # a time that did not happen (the clocks went forward)
    except InvalidDate as exc:
        message = str(exc)
        if "not a real time" not in message and "did not happen" not in message and " is GMT, not" not in message \
                and " is BST, not" not in message:
            message = "Enter the time as HH:MM, for example 16:45, or leave it empty"
        return None, _error(field, capitalised(message))
    return format_at(at), None


def _check_one(bundle: dict, area: str, entry: dict, prefix: str = "") -> tuple[str | None, str | None, list]:
    """Check an event and its date/time: ``(event, at, errors)``."""
    errors = []
    event = entry.get("event") or ""
    if event not in bundle["events"]:
        errors.append(_error(prefix + "event", "Select what happened"))
        return None, None, errors
    listed = list_events(bundle, area)
    # a timeline also takes events that only complete a step (a review conference held); a single
    # event, those that start a deadline or complete a repeating step (the next one is due from it)
    valid = {e["id"] for e in listed if e["timescales"] or (prefix and (e["completes"] or e["conditions"]))
             or next_from(bundle, area, e["id"])[0]}
    if event not in valid:
        errors.append(_error(prefix + "event", f"No timescale in {bundle['areas'][area]['name']} starts from "
                                               f"\u201c{bundle['events'][event]['label']}\u201d: select another event"))
    name = date_name(bundle["events"][event])
    cal = calendar_for(bundle, area)
    day, err = check_date(entry, name, prefix + "date", cal)
    if err:
        errors.append(err)
        return event, None, errors
    at, err = check_time(entry.get("time", ""), day, name, prefix + "time")
    if err:
        errors.append(err)
    return event, at, errors


def _check_area(bundle: dict, area) -> list:
    if area not in bundle["areas"]:
        return [_error("area", "Select an area")]
    return []


def _today(query: dict):
    today = query.get("today")
    try:
        return parse_at(today) if today else None
    except InvalidDate:
        return None


# -- describing the answer ---------------------------------------------------------------------
def _source(src: dict | None) -> dict:
    src = src or {}
    return {"text": cite(src), "url": src.get("url"), "title": src.get("title") or ""}


def _status(overdue, due: str | None, today) -> str:
    if overdue:
        return "Overdue"
    if due and today is not None and due[:10] == format_at(today)[:10]:
        return "Due today"
    return ""


def _row_status(row: dict, state: str, today) -> str:
    if state == "done":
        return "Done"
    if state == "not-recorded":     # never overdue: nothing here could record it
        return _status(False, row["due"], today) or "Not recorded here"
    if state == "conditional":
        return "Only if"
    return _status(row.get("overdue"), row["due"], today)


def history(rows: list[dict]) -> list[dict]:
    """A timeline's done steps in the order they were done, each a sentence a reviewing manager
    reads: ``{"done_at", "text"}``, e.g. "Monday 15 February 2027: Child protection review
    conference (1st), due Saturday 20 February 2027: on time"."""
    done = sorted((r for r in rows if r["state"] == "done"), key=lambda r: (r["done_at"], r["label"]))
    out = []
    for r in done:
        due = f"due {r['due_text']}" if r["due"] else "due date not counted here"
        occ = f" ({r['occurrence_text']})" if r["occurrence_text"] else ""
        out.append({"done_at": r["done_at"], "id": r["id"], "late": bool(r.get("late_working_days")),
                    "text": f"{short_date(r['done_at'])}: {r['label']}{occ}, {due}: {r['timeliness']}"})
    return out


def describe_row(bundle: dict, row: dict, today=None) -> dict:
    """One ``deadlines_for`` row, ready to show: every text already in words."""
    ts = {t["id"]: t for t in bundle["timescales"]}.get(row["id"], {})
    full_source = ts.get("source") or row.get("source")
    alternatives = [{"text": f"{amount_words(a['amount'], a['unit'])}", "note": a.get("note", ""),
                     "source": _source(a.get("source"))} for a in ts.get("alternatives", [])]
    lwd = row.get("latest_working_day")
    state = row["status"]
    cond = row.get("applies_if")
    return {
        "state": state,
        "done_at": row.get("done_at"),
        "done_text": (f"Done {on_when(parse_iso(row['done_at']))}: {row.get('timeliness') or ''}".rstrip(": ")
                      if row.get("done_at") else ""),
        "timeliness": row.get("timeliness") or "", "late_working_days": row.get("late_working_days"),
        "can_be_ticked": bool(row.get("can_be_ticked")), "not_recorded": row.get("not_recorded") or "",
        "condition_text": (cond["text"] + ("" if row.get("condition_met") else ": only then does this step apply")
                           if cond else ""),
        "condition_source": _source(cond.get("source")) if cond else None,
        "occurrence": row.get("occurrence"), "occurrence_text": ordinal(row.get("occurrence"))
        if row.get("occurrence") and (row.get("recurrence") or row.get("repeat_of")) else "",
        "repeat_of": row.get("repeat_of"),
        "latest_working_day": lwd,
        "latest_working_day_text": f"latest working day: {long_date(_dt.date.fromisoformat(lwd))}" if lwd else "",
        "id": row["id"], "label": row["label"], "due": row["due"], "due_text": due_text(row["due"]),
        "weekday": row.get("weekday"), "rule": capitalised(row["rule"]),
        "layer": row["layer"], "layer_text": layer_text(bundle, row["layer"]),
        "source": _source(full_source), "notes": row.get("notes") or "",
        "warnings": list(row.get("warnings") or []), "error": row.get("error"),
        "overdue": row.get("overdue"),
        "status": _row_status(row, state, today),
        "from_event": row.get("from_event"), "from_at": row.get("from_at"),
        "from_text": (f"{bundle['events'][row['from_event']]['label']}, {short_date(row['from_at'])}"
                      if row.get("from_event") else ""),
        "occurrences": [{"n": o["n"], "due": o["due"], "due_text": due_text(o["due"]),
                         "warnings": list(o.get("warnings") or []), "error": o.get("error"),
                         "overdue": o.get("overdue"), "status": _status(o.get("overdue"), o["due"], today),
                         "latest_working_day": o.get("latest_working_day"),
                         "latest_working_day_text": (f"latest working day: "
                                                     f"{long_date(_dt.date.fromisoformat(o['latest_working_day']))}"
                                                     if o.get("latest_working_day") else "")}
                        for o in row.get("occurrences") or []],
        "alternatives": alternatives, "reading": ts.get("reading") or "",
        "parts_text": ("; ".join(f"{amount_words(p['amount'], p['unit'])}: {due_text(p['due'])}" for p in row["parts"])
                       + f"; whichever is {row['whichever']}: {due_text(row['due'])}") if row.get("parts") else "",
    }


def _link(params: list[tuple[str, str]]) -> str:
    """The answer's address, in the fragment (``#area=...``): a browser never sends a fragment to
    the server, so the case's dates and events stay out of every server log (docs/privacy.md)."""
    return "#" + urlencode(params, safe=":,@")


def _summary(rows: list[dict]) -> str:
    dated = [r for r in rows if r["due"]]
    overdue = sum(1 for r in rows if r["overdue"])
    done = sum(1 for r in rows if r.get("state") == "done")
    unrecorded = sum(1 for r in rows if r.get("state") == "not-recorded")
    text = f"{len(rows)} deadline{'s' if len(rows) != 1 else ''}"
    if len(dated) != len(rows):
        text += f" ({len(rows) - len(dated)} not calculated)"
    if done:
        text += f", {done} done"
    if overdue:
        text += f", {overdue} overdue"
    if unrecorded:
        text += f", {unrecorded} not recorded here"
    return text + "."


def _split_at(at: str) -> tuple[str, str]:
    return (at[:10], at[11:]) if "T" in at else (at, "")


# -- the three requests --------------------------------------------------------------------------
def calculate(bundle: dict, query: dict) -> dict:
    """Check the form and compute every deadline of one event (see the module docstring)."""
    return _public(_calculate(bundle, query))


def timeline(bundle: dict, query: dict) -> dict:
    """A case timeline: the deadlines of every event entered, merged and flagged against today."""
    return _public(_timeline(bundle, query))


def _public(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if not k.startswith("_")}


def _calculate(bundle: dict, query: dict) -> dict:
    area = query.get("area")
    errors = _check_area(bundle, area)
    if errors:
        return {"ok": False, "errors": errors}
    event, at, errors = _check_one(bundle, area, query)
    if errors:
        return {"ok": False, "errors": errors}
    today = _today(query)
    try:
        result = deadlines_for(bundle, area, event, at, today=today)
    except DeadlineError as exc:
        field = "date" if isinstance(exc, (InvalidDate, OutOfCoverage)) else "event"
        return {"ok": False, "errors": [_error(field, str(exc), PARTS if field == "date" else ())]}
    rows = [describe_row(bundle, r, today) for r in result["deadlines"]]
    ev = bundle["events"][event]
    date, time = _split_at(result["at"])
    params = [("area", area), ("event", event), ("date", date)] + ([("time", time)] if time else [])
    return {
        "ok": True, "kind": "deadlines", "area": area, "event": event, "at": result["at"],
        "today": format_at(today) if today is not None else None,
        "today_text": when_text(today) if today is not None else None,
        "title": (f"{bundle['areas'][area]['name']}: deadlines from \u201c{ev['label']}\u201d "
                  f"{'at ' if 'T' in result['at'] else 'on '}{short_date(result['at'])}"),
        "summary": _summary(rows), "rows": rows, "link": _link(params),
        **_warnings_and_notes(bundle, area, result),
        "filename": f"deadlines-{area}-{event}-{date}.ics", "_result": result,
    }


def _warnings_and_notes(bundle: dict, area: str, result: dict) -> dict:
    """The result's notes, with what must be read before the dates (an area's unreviewed draft
    rules: :func:`tools.deadlines.drafts_note`) apart as ``warnings``, shown above the table."""
    warnings = drafts_note(bundle, area)
    return {"warnings": warnings, "notes": [n for n in result.get("notes") or [] if n not in warnings]}


def _timeline(bundle: dict, query: dict) -> dict:
    area = query.get("area")
    errors = _check_area(bundle, area)
    if errors:
        return {"ok": False, "errors": errors}
    entries = list(query.get("entries") or [])
    if not entries:
        return {"ok": False, "errors": [_error("entries.0.event", "Enter at least one event")]}
    events: list[tuple[str, str]] = []      # every occurrence is kept: three core groups are three
    for i, entry in enumerate(entries):
        event, at, errs = _check_one(bundle, area, entry, f"entries.{i}.")
        errors += errs
        if event and at and not errs:
            events.append((event, at))
    if errors:
        return {"ok": False, "errors": errors}
    today = _today(query)
    try:
        result = case_timeline(bundle, area, events, today=today)
    except DeadlineError as exc:
        return {"ok": False, "errors": [_error("entries.0.date", str(exc), PARTS)]}
    rows = [describe_row(bundle, r, today) for r in result["deadlines"]]
    params = [("area", area)] + [("tl", f"{e['event']}@{e['at']}") for e in result["events"]]
    first = result["events"][0]["at"][:10]
    return {
        "ok": True, "kind": "timeline", "area": area, "events": result["events"],
        "today": format_at(today) if today is not None else None,
        "today_text": when_text(today) if today is not None else None,
        "title": f"{bundle['areas'][area]['name']}: case timeline",
        "summary": _summary(rows), "rows": rows, "link": _link(params),
        "done": [r for r in rows if r["state"] == "done"], "open": [r for r in rows if r["state"] != "done"],
        "history": history(rows),
        **_warnings_and_notes(bundle, area, result),
        "filename": f"timeline-{area}-{first}.ics", "_result": result,
    }


def ics(bundle: dict, query: dict) -> dict:
    """The ``.ics`` file of a :func:`calculate` (or, with ``entries``, :func:`timeline`) query:
    ``{"ok", "filename", "text"}``, or the same errors as the query."""
    answer = _timeline(bundle, query) if "entries" in query else _calculate(bundle, query)
    if not answer["ok"]:
        return answer
    name = answer["title"]
    return {"ok": True, "filename": answer["filename"],
            "text": to_ics(answer["_result"], bundle, calendar_name=name)}


