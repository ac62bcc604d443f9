"""A case timeline: the deadlines of every event entered so far, merged, each marked done, due or overdue.

:func:`timeline` asks :func:`tools.deadlines.deadlines_for` for each event entered,
merges the rows (soonest first, in the same order) and marks each one;
:func:`timeliness` says how late a done step was. The rules, with their edge cases:

* **An event entered twice** counts from its latest date (the latest real
  occurrence); a date-only event counts as the start of its day when dates are
  compared.
* **Done.** A row's step is done when an entered event completes it (``met_by`` in
  ``rules/events.yaml``) on or after the day of the event that started its clock: an
  ICPC held before the strategy discussion does not complete that discussion's ICPC
  step. When several completing events are entered, the earliest that counts is used.
  A step that no event completes cannot be ticked, and the row says why.
* **On time or late.** Done by the due date (by the due time, for a timed step; a
  completion given without a time on the day a timed step was due is on time) is
  "on time". Otherwise the row gives the working days late; done after the due
  time on the day it was due, or on a non-working day just after the due date, is
  late by 0 working days, said in words; a lateness that would need days outside the
  bank holiday calendar is just "late". A completion after the rule's second
  occurrence was due is a later occurrence: no lateness is given.
* **Not done:** "overdue" against ``today`` (a due date from the day after it, a due
  time once it has passed: :func:`tools.duedates.is_overdue`), else "due".
* **Repeats from the last real occurrence.** For each repeating rule whose step an
  entered event completes, a further row gives the next one due from that event's
  date, then every interval after the previous one, with the same counting rules;
  the done row's projected occurrences are dropped. Where a step repeats in some
  area's rules but this area's rules give only the first interval, ``notes`` says so.
* A bad date, or an event date outside the bank holiday calendar, is an error that
  names the event.

Public API (pure functions over the bundle, see ``tools/README.md``): :func:`timeline`,
:func:`timeliness`; errors as for :func:`tools.deadlines.deadlines_for`.
Command line: ``procedures deadlines --timeline ...`` (``cli/deadlines.py``).
"""
from __future__ import annotations

import datetime as _dt

from . import ukclock
from .deadlines import _area, _event, _sort_key, _timescales, deadline_row, deadlines_for, met_by
from .duedates import (
    DEFAULT_OCCURRENCES,
    InvalidDate,
    OutOfCoverage,
    _coerce_at,
    _coerce_today,
    format_at,
    parse_at,
)
from .wording import amount_words, event_phrase, rule_words, when_text
from .workingdays import OutsideCoverage, WorkingCalendar, calendar_for, to_date


def _entered(bundle: dict, area: str, events) -> dict:
    """``{event: at}`` from a dict or from ``[(event, at), ...]`` pairs; an event entered
    more than once keeps its latest date (the latest real occurrence)."""
    pairs = events.items() if isinstance(events, dict) else events
    latest: dict = {}
    for event, at in pairs:
        ev = _event(bundle, area, event)
        try:
            at = _coerce_at(at)
        except InvalidDate as exc:
            raise InvalidDate(f"{ev.get('label', event)}: {exc}") from None
        if event not in latest or _instant(at) > _instant(latest[event]):
            latest[event] = at
    return latest


def _instant(at):
    """A comparable key: a date-only event counts as the start of its day."""
    if isinstance(at, _dt.datetime):
        return ukclock.to_utc(at).replace(tzinfo=None)
    return _dt.datetime.combine(at, _dt.time(0, 0))


def _completion(bundle: dict, row: dict, entered: dict):
    """The entered event that completes ``row``'s step: ``(event, at)`` or ``None``.

    Only an occurrence on or after the day of the event that started the clock counts
    (an ICPC held before the strategy discussion does not complete that discussion's
    ICPC step). When several completing events are entered, the earliest that counts."""
    start = to_date(parse_at(row["from_at"]))
    found = [(_instant(at), ev, at) for ev, at in entered.items()
             if ev in met_by(bundle, row["step"]) and to_date(at) >= start]
    if not found:
        return None
    _, ev, at = min(found, key=lambda f: f[0])
    return ev, at


def timeliness(due: str | None, done_at, cal: WorkingCalendar) -> tuple[int | None, str]:
    """How late a step was done: ``(working_days_late, words)``.

    >>> from tools.workingdays import make_calendar
    >>> cal = make_calendar("2026-01-01", "2027-12-31")
    >>> timeliness("2026-11-24", _dt.date(2026, 11, 17), cal)
    (0, 'on time')
    >>> timeliness("2026-11-24", _dt.date(2026, 11, 26), cal)
    (2, '2 working days late')
    >>> timeliness("2026-11-24T10:00", _dt.datetime(2026, 11, 24, 11, 0), cal)
    (0, 'late: after the due time, on the day it was due')
    """
    if due is None:
        return None, "done (the due date was not calculated)"
    due_at = parse_at(due)
    if _instant(done_at) <= _instant(due_at) or (
            not isinstance(due_at, _dt.datetime) and to_date(done_at) <= due_at) or (
            isinstance(due_at, _dt.datetime) and not isinstance(done_at, _dt.datetime)
            and to_date(done_at) <= to_date(due_at)):
        return 0, "on time"
    try:
        late = cal.count_working_days(to_date(due_at), to_date(done_at))
    except OutsideCoverage:
        return None, "late"
    if late == 0:
        if to_date(done_at) == to_date(due_at):
            return 0, "late: after the due time, on the day it was due"
        return 0, "late: done on a non-working day after the due date"
    return late, f"{late} working day{'s' if late != 1 else ''} late"


def _status(row: dict, today) -> str:
    return "overdue" if row.get("overdue") else "due"


def _next_rows(bundle: dict, area: str, entered: dict, cal: WorkingCalendar, today, occurrences: int,
               rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Repeating rules counted again from the latest real occurrence of their step.

    For every repeating rule of the area whose step an entered event completes, the next
    one is due ``every`` units after that event's date (same counting rules), then every
    ``every`` after the previous one. Also returns, for each entered event that completes
    a step that repeats in some area's rules but for which this area's rules give only
    a first interval, a sentence saying so."""
    out, notes = [], []
    timescales = _timescales(bundle, area)
    for event, at in entered.items():
        steps = [t for t in timescales if event in met_by(bundle, t["step"])]
        repeating = [t for t in steps if t.get("recurrence")]
        for ts in repeating:
            rec = ts["recurrence"]
            ev = bundle["events"][event]
            fake = dict(ts, amount=rec["every"], unit=rec["unit"], direction="after")
            row = deadline_row(fake, ev, at, cal, today, occurrences)
            row.update(amount=rec["every"], unit=rec["unit"], direction="after",
                       rule=f"{amount_words(rec['every'], rec['unit'])} after {event_phrase(ev)} on "
                            f"{when_text(at)} (the latest entered), then every "
                            f"{amount_words(rec['every'], rec['unit'])} after the previous one",
                       from_event=event, from_at=format_at(at), repeat_of=ts["id"], next_after=format_at(at))
            row["status"] = _status(row, today)
            out.append(row)
        repeats_somewhere = {t["step"] for t in bundle["timescales"] if t.get("recurrence")}
        for step in dict.fromkeys(t["step"] for t in steps):
            if step not in repeats_somewhere or any(t["step"] == step for t in repeating):
                continue
            first = [t for t in steps if t["step"] == step]
            label = (bundle["steps"].get(step) or {}).get("label", first[0]["label"])
            rules = "; ".join(rule_words(t, bundle["events"][t["event"]]) for t in first)
            notes.append(f"\u201c{label}\u201d: the rules give only the first one ({rules}); no next date "
                         f"is counted from {event_phrase(bundle['events'][event])} on {when_text(at)}.")
    for row in rows:
        if row.get("status") == "done" and any(r.get("repeat_of") == row["id"] for r in out):
            row["occurrences"] = []     # the projected repeats give way to the real ones
    return out, notes


def timeline(bundle: dict, area: str, events, today=None,
             occurrences: int = DEFAULT_OCCURRENCES) -> dict:
    """A case timeline: the deadlines of every event entered so far, merged, soonest first,
    each marked done, due or overdue.

    ``events`` maps event id -> when it happened (as for :func:`deadlines_for`), e.g.
    ``{"strategy-discussion": "2026-12-01", "icpc": "2026-12-18T10:00"}``, or is a list
    of ``(event, at)`` pairs in which an event may appear more than once: its latest
    date is used (the latest real occurrence). Each row is a :func:`deadlines_for` row
    plus ``from_event``, ``from_at`` and:

    * ``status``: ``"done"`` when an entered event that completes the row's step
      (``met_by`` in ``rules/events.yaml``) happened on or after the day the clock
      started; then ``done_at``, ``done_by`` (the event), ``late_working_days`` and
      ``timeliness`` ("on time", "2 working days late"). Otherwise ``"overdue"``
      against ``today``, or ``"due"``.
    * ``can_be_ticked``: whether any event completes the step (if not, ``not_ticked``
      says why).

    Example: strategy discussion 3 November 2026 and ICPC 17 November 2026 (national):
    the "Initial child protection conference" row (due Tuesday 24 November) is done,
    on time, even on 2 December.

    **Repeats from the last real occurrence.** For each repeating rule whose step an
    entered event completes, a further row (``repeat_of`` = the rule's id) gives the next
    one due from that event's date, with the same counting rules: a review conference
    entered on 10 March 2027 gives the next by 10 September 2027 (every 6 months). The
    done row's projected ``occurrences`` are dropped. Where the rules give only the first
    interval, ``notes`` says so.

    Returns ``{"area", "today", "events": [{"event", "label", "at"}], "deadlines": [...],
    "notes": [str]}``. A bad date raises :class:`InvalidDate` naming the event.
    """
    _area(bundle, area)
    today = _coerce_today(today)
    entered = _entered(bundle, area, events)
    cal = calendar_for(bundle, area)
    listed, rows = [], []
    for event, at in entered.items():
        ev = _event(bundle, area, event)
        try:
            result = deadlines_for(bundle, area, event, at, today, occurrences)
        except (InvalidDate, OutOfCoverage) as exc:
            raise type(exc)(f"{ev.get('label', event)}: {exc}") from None
        listed.append({"event": event, "label": ev.get("label", event), "at": result["at"]})
        for row in result["deadlines"]:
            rows.append(dict(row, from_event=event, from_at=result["at"]))
    for row in rows:
        step = bundle["steps"].get(row["step"]) or {}
        row["can_be_ticked"] = bool(step.get("met_by"))
        if not row["can_be_ticked"]:
            row["not_ticked"] = step.get("not_ticked") or "No event completes this step."
        done = _completion(bundle, row, entered)
        if done:
            late, words = timeliness(row["due"], done[1], cal)
            nxt = (row.get("occurrences") or [{}])[0].get("due")
            if nxt and _instant(done[1]) > _instant(parse_at(nxt)):
                late, words = None, "done: the date entered is a later occurrence (after the second was due)"
            row.update(status="done", done_at=format_at(done[1]), done_by=done[0],
                       late_working_days=late, timeliness=words, overdue=False)
        else:
            row["status"] = _status(row, today)
    extra, notes = _next_rows(bundle, area, entered, cal, today, occurrences, rows)
    rows += extra
    rows.sort(key=_sort_key)
    return {"area": area, "today": format_at(today) if today is not None else None,
            "events": listed, "deadlines": rows, "notes": notes}
