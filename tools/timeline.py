"""A case timeline: every event entered so far, every occurrence kept, each step done, due or overdue.

:func:`timeline` takes the events of a case in any order, any number of times each
(three core groups, four reviews), sorts them in time and gives one row per deadline
they start and per occurrence of a repeating step; :func:`timeliness` says how late a
done step was. The rules, with their edge cases:

* **Every occurrence kept.** An event entered several times is several occurrences;
  a date-only event counts as the start of its day when times are compared.
* **Done.** A row's step is done when an entered event completes it (``met_by`` in
  ``rules/events.yaml``) on or after the day of the event that started its clock: an
  ICPC held before the strategy discussion does not complete that discussion's ICPC
  step. For a step that happens once, the earliest such event is used.
* **Repeating steps, matched in order.** A repeating rule (the review conference: 3
  months after the ICPC, then every 6 months) is a chain: occurrence 1 is due from the
  event that starts the clock; the 1st completing event entered after it is matched to
  occurrence 1, the 2nd to occurrence 2, and so on; occurrence n+1 is due ``every``
  units after occurrence n **as it was really held** (the latest real one, not the
  projected date), with the same counting rules. After the last one held comes the next
  one, open, with its projected occurrences. A new occurrence of the starting event (a
  second ICPC: a new plan) starts a new chain, and completing events count in the chain
  of the latest start on or before them. Completing events entered before any start
  (the ICPC not entered) still count: the first has no due date here (it is counted from
  the event not entered), the next ones are due from it.
* **On time or late.** Done by the due date (by the due time, for a timed step; a
  completion given without a time on the day a timed step was due is on time) is
  "on time". Otherwise the row gives the working days late; done after the due
  time on the day it was due, or on a non-working day just after the due date, is
  late by 0 working days, said in words; a lateness that would need days outside the
  bank holiday calendar is just "late".
* **Not recorded here.** A step that no event can complete (the decision on a referral,
  minutes, feedback to the referrer) is ``"not-recorded"`` with the reason, never
  overdue: nothing entered here could clear it.
* **Conditional steps** (``applies_if``: Peterborough's step back to CAF/TAC applies only
  when the Child in Need meeting decides to step down, 5.8) appear only when the condition
  event is entered on or after the day of the event that starts their clock (and before
  its next occurrence); otherwise ``notes`` says what was left out and why.
* **Not done:** "overdue" against ``today`` (a due date from the day after it, a due
  time once it has passed: :func:`tools.duedates.is_overdue`), else "due".
* A bad date, a clock time that did not happen, or an event date outside the bank holiday
  calendar, is an error that names the event.

Public API (pure functions over the bundle, see ``tools/README.md``): :func:`timeline`,
:func:`timeliness`; errors as for :func:`tools.deadlines.deadlines_for`. Rows have the
shape of ``tools/output.schema.json`` (the same as a single event's rows).
Command line: ``procedures deadlines --timeline ...`` (``cli/deadlines.py``).
"""
from __future__ import annotations

import datetime as _dt

from . import ukclock
from .deadlines import (
    _area,
    _event,
    _sort_key,
    _timescales,
    deadline_row,
    drafts_note,
    first_only_note,
    mark,
    met_by,
    next_from,
    next_row,
)
from .duedates import (
    DEFAULT_OCCURRENCES,
    InvalidDate,
    OutOfCoverage,
    _check_event_date,
    _coerce_at,
    _coerce_today,
    _due_fields,
    format_at,
    local_time_notes,
    parse_at,
)
from .wording import event_phrase, when_text
from .workingdays import OutsideCoverage, WorkingCalendar, calendar_for, to_date


def _instant(at):
    """A comparable key: a date-only event counts as the start of its day."""
    if isinstance(at, _dt.datetime):
        return ukclock.to_utc(at).replace(tzinfo=None)
    return _dt.datetime.combine(at, _dt.time(0, 0))


def _entered(bundle: dict, area: str, events, cal: WorkingCalendar) -> tuple[list[tuple], list[str]]:
    """Every occurrence, in time order: ``[(event, at), ...]`` from a dict or from pairs
    (an event may appear any number of times), and the local-time notes."""
    pairs = events.items() if isinstance(events, dict) else events
    out, notes = [], []
    for event, at in pairs:
        ev = _event(bundle, area, event)
        try:
            at = _coerce_at(at)
            notes += [f"{ev.get('label', event)}: {n}" for n in local_time_notes(at)]
            _check_event_date(cal, at)
        except (InvalidDate, OutOfCoverage) as exc:
            raise type(exc)(f"{ev.get('label', event)}: {exc}") from None
        out.append((event, at))
    out.sort(key=lambda p: _instant(p[1]))
    return out, notes


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


def _done(row: dict, event: str, at, cal: WorkingCalendar) -> dict:
    late, words = timeliness(row["due"], at, cal)
    row.update(status="done", done_at=format_at(at), done_by=event, late_working_days=late,
               timeliness=words, overdue=False, past_due=False, occurrences=[])
    return row


def _window(occ: list[tuple], i: int):
    """The occurrences an event's clock can be completed by: from its day to the next
    occurrence of the same event (``None``: no end)."""
    event, at = occ[i]
    later = [a for e, a in occ[i + 1:] if e == event and _instant(a) > _instant(at)]
    return to_date(at), (_instant(later[0]) if later else None)


def _within(at, window) -> bool:
    start, end = window
    return to_date(at) >= start and (end is None or _instant(at) < end)


def _chain(bundle, ts, occ, cal, today, occurrences) -> list[dict]:
    """Every occurrence of repeating rule ``ts``, matched in order (see the module docstring)."""
    completing = set(met_by(bundle, ts["step"]))
    starts = [i for i, (e, _) in enumerate(occ) if e == ts["event"]]
    comps_all = [(e, a) for e, a in occ if e in completing]
    rows: list[dict] = []
    first_start = _instant(occ[starts[0]][1]) if starts else None
    orphans = [(e, a) for e, a in comps_all if first_start is None or _instant(a) < first_start]
    if orphans:      # held before any start entered: the first has no due date here
        e0, a0 = orphans[0]
        row = next_row(bundle, ts, e0, a0, cal, today, occurrences, occurrence=None)
        start_ev = bundle["events"][ts["event"]]
        row.update(_due_fields(None), latest_working_day=None, occurrences=[],
                   rule=f"Held on {when_text(a0)}; its due date is counted from {event_phrase(start_ev)}, "
                        f"which is not entered")
        rows.append(_done(row, e0, a0, cal))
        rows[-1]["timeliness"] = f"done (the due date needs the date when {event_phrase(start_ev)})"
        for n, (e, a) in enumerate(orphans[1:], start=1):
            row = next_row(bundle, ts, orphans[n - 1][0], orphans[n - 1][1], cal, today, occurrences,
                           occurrence=None)
            rows.append(_done(row, e, a, cal))
        if not starts:
            e, a = orphans[-1]
            rows.append(next_row(bundle, ts, e, a, cal, today, occurrences, occurrence=None))
    for i in starts:
        e_start, at_start = occ[i]
        window = _window(occ, i)
        comps = [(e, a) for e, a in comps_all if _within(a, window)]
        row = deadline_row(ts, bundle["events"][e_start], at_start, cal, today, occurrences, bundle)
        for n, (e, a) in enumerate(comps, start=1):
            rows.append(_done(row, e, a, cal))
            row = next_row(bundle, ts, e, a, cal, today, occurrences, occurrence=n + 1)
        rows.append(row)
    return rows


def timeline(bundle: dict, area: str, events, today=None,
             occurrences: int = DEFAULT_OCCURRENCES) -> dict:
    """A case timeline: every deadline the events entered so far start, every occurrence of a
    repeating step matched in order, soonest first, each done, due, overdue or not recorded here.

    ``events`` is a list of ``(event, at)`` pairs in which an event may appear any number
    of times (every occurrence is kept), e.g. ``[("icpc", "2026-11-20"), ("cp-review",
    "2027-02-15"), ("cp-review", "2027-08-20")]``, or a dict ``{event: at}``. Each row has
    the shape of a :func:`tools.deadlines.deadlines_for` row (``tools/output.schema.json``);
    here ``status`` is ``"done"`` (with ``done_at``, ``done_by``, ``late_working_days``
    and ``timeliness``), ``"due"``, ``"overdue"`` or ``"not-recorded"`` (``not_recorded``
    says why), and ``occurrence`` numbers the occurrences of a repeating step.

    Example (national): ICPC 20 November 2026, reviews held 15 February 2027 and 20 August
    2027. The 1st review (due Saturday 20 February 2027) was done on time; the 2nd was due
    Sunday 15 August 2027, six months after the 1st was held, and was done 5 working days
    late; the 3rd is due Sunday 20 February 2028, six months after the 2nd was held.

    Returns ``{"area", "today", "events": [{"event", "label", "at"}] (in time order),
    "deadlines": [...], "notes": [str]}``. A bad date raises :class:`InvalidDate` naming
    the event.
    """
    _area(bundle, area)
    today = _coerce_today(today)
    cal = calendar_for(bundle, area)
    occ, notes = _entered(bundle, area, events, cal)
    notes = drafts_note(bundle, area) + notes
    listed = [{"event": e, "label": bundle["events"][e].get("label", e), "at": format_at(a)} for e, a in occ]
    timescales = _timescales(bundle, area)
    rows: list[dict] = []
    left_out: dict[str, dict] = {}
    for i, (event, at) in enumerate(occ):
        window = _window(occ, i)
        for ts in timescales:
            if ts["event"] != event or ts.get("recurrence"):
                continue
            row = deadline_row(ts, bundle["events"][event], at, cal, today, occurrences, bundle)
            cond = ts.get("applies_if")
            if cond:
                if not any(e == cond["event"] and _within(a, window) for e, a in occ):
                    left_out[ts["id"]] = row
                    continue
                row["condition_met"] = True
                mark(row, today)
            found = [(e, a) for e, a in occ if e in met_by(bundle, ts["step"]) and to_date(a) >= to_date(at)]
            if found and row["can_be_ticked"]:
                _done(row, *found[0], cal)
            rows.append(row)
    entered_ids = {e for e, _ in occ}
    for ts in timescales:
        if ts.get("recurrence") and (ts["event"] in entered_ids or entered_ids & set(met_by(bundle, ts["step"]))):
            rows += _chain(bundle, ts, occ, cal, today, occurrences)
    for row in left_out.values():
        notes.append(f"\u201c{row['label']}\u201d is not shown: it applies only "
                     f"{row['applies_if']['text'][0].lower()}{row['applies_if']['text'][1:]}, and "
                     f"\u201c{row['applies_if']['label']}\u201d is not entered.")
    latest = {e: a for e, a in occ}
    for event, at in latest.items():
        notes += first_only_note(bundle, event, at, next_from(bundle, area, event)[1])
    rows.sort(key=lambda r: _sort_key(dict(r, due=r["due"] or r.get("done_at"))))
    return {"area": area, "today": format_at(today) if today is not None else None,
            "events": listed, "deadlines": rows, "notes": notes}
