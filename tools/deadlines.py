"""The deadline engine: every step due after (or before) an event, for one area.

How dates are counted
=====================

The event day D is **day 0**. Each rule has an amount N, a unit and a direction
("after" or "before" the event). "Before" mirrors "after" for every unit.

**Working days** (``working_days``). Monday to Friday, except England and Wales
bank holidays (substitute days and one-off days such as 19 September 2022 and
8 May 2023 included) and the area's own local closure days.
"Within N working days of D" is due on the Nth working day after D.
Wednesday 23 December 2026 + 1 working day = Thursday 24 December 2026;
+ 2 = Tuesday 29 December (25 and 28 December are bank holidays).
An event on a non-working day counts from the next working day, which is
working day 1: 1 working day after Saturday 28 November 2026 is Monday
30 November. "N working days before D" is the Nth working day before D:
1 working day before Monday 4 January 2027 is Thursday 31 December 2026.
0 working days means the same day if it is a working day, otherwise the next
(after) or previous (before) working day.

**Days** (``days``). Calendar days: D + N. A due date that falls on a weekend, a
bank holiday or a closure day is **not moved**; the result carries a warning
saying so. **Weeks** (``weeks``): D + 7N days, with the same warning.

**Months** (``months``). The same day of the month, N months later. When that
month is shorter, the date is the month's last day and a warning says so:
30 November 2026 + 3 months = 28 February 2027 (29 February in a leap year:
30 November 2027 + 3 months = 29 February 2028); 31 May 2027 - 3 months =
28 February 2027. Weekend and holiday warnings as for days.

**Hours** (``hours``). Real elapsed time in UK clock time (Europe/London),
across the clock changes: 24 hours from 10:00 on Saturday 27 March 2027 is
11:00 on Sunday 28 March 2027; 24 hours from 10:00 on Saturday 30 October 2027
is 09:00 on Sunday 31 October. An hours rule needs the time of the event: when
only a date is given, the due time is not calculated and the result says a time
is needed (it never guesses). Two clock-change cases are decided explicitly:

* a time that did not exist (01:00-01:59 on the last Sunday of March, when the
  clocks jump from 01:00 to 02:00) is refused with a message asking for a real
  time; the date-based rules of the same event are still calculated;
* a time that happened twice (01:00-01:59 on the last Sunday of October) is read
  as the **first** one (BST), which gives the earlier, stricter due time, and a
  warning says so. A due time that falls in that repeated hour is labelled BST or
  GMT in a warning.

**Repeating rules** ("then every 6 weeks"): the first due date, then the next
occurrences (3 by default), **each counted from the previous due date** with the
same counting rules (so a month-end clamp carries on: 31 January + 1 month =
28 February, then + 1 month = 28 March). Occurrences always run forwards.

**Calendar coverage.** The bank holiday list covers ``covers_from`` to
``covers_to`` (from ``rules/calendar/england-and-wales.yaml``). An event date
outside it is an error. A deadline whose answer needs any day beyond it (a
working-day count running past ``covers_to``, or a due date whose holiday
status cannot be checked) is **refused**: ``due`` is ``null`` and ``error`` names
the last covered day and how the calendar is refreshed. Nothing is ever
extrapolated.

**Layers.** An area's deadlines are its own timescales plus each inherited
(national) timescale whose step the area does not override; each row says which
``layer`` it comes from.

Public API (pure functions over the bundle, see ``tools/README.md``):
:func:`deadlines_for`, :func:`timeline`, :func:`list_events`, :func:`list_areas`,
:func:`list_payload`, :func:`parse_at`, :func:`compute_due`; errors derive from
:class:`DeadlineError`. Words (dates, amounts, rules) come from :mod:`tools.wording`.
Command line: ``procedures deadlines --help`` (``cli/deadlines.py``).
"""
from __future__ import annotations

import datetime as _dt
import re

from . import ukclock
from .layers import effective_timescales
from .wording import MONTHS, WEEKDAYS, amount_words, event_phrase, long_date, ordinal, rule_words, when_text
from .workingdays import OutsideCoverage, WorkingCalendar, calendar_for, to_date

UNITS = ("working_days", "days", "weeks", "months", "hours")
DIRECTIONS = ("after", "before")
DEFAULT_OCCURRENCES = 3
# For maintainers only: printed by the command line and in the README, never on a page.
REFRESH_HINT = ("Site maintainers: refresh rules/calendar/england-and-wales.yaml from GOV.UK's "
                "bank-holidays.json (make refresh-calendar FILE=bank-holidays.json).")


# -- errors ------------------------------------------------------------------------------
class DeadlineError(ValueError):
    """A problem with the question asked, in words fit for a practitioner."""


class UnknownArea(DeadlineError):
    pass


class UnknownEvent(DeadlineError):
    pass


class InvalidDate(DeadlineError):
    pass


class OutOfCoverage(DeadlineError):
    pass


# -- dates and times in, out ----------------------------------------------------------------
_AT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.*?))?\s*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_at(text: str) -> _dt.date | _dt.datetime:
    """``"2026-12-23"`` -> ``date``; ``"2026-12-23T16:45"`` -> ``datetime`` (UK clock time).

    >>> parse_at("2026-12-23")
    datetime.date(2026, 12, 23)
    >>> parse_at("2026-12-23T16:45")
    datetime.datetime(2026, 12, 23, 16, 45)
    >>> parse_at("2026-02-30")
    Traceback (most recent call last):
    ...
    tools.deadlines.InvalidDate: 2026-02-30 is not a real date
    """
    if isinstance(text, _dt.datetime):
        return text
    if isinstance(text, _dt.date):
        return text
    m = _AT.match(str(text))
    if not m:
        raise InvalidDate(f"Enter the date as YYYY-MM-DD, for example 2026-12-23 (got {text!r})")
    y, mo, d, t = m.groups()
    try:
        day = _dt.date(int(y), int(mo), int(d))
    except ValueError:
        raise InvalidDate(f"{y}-{int(mo):02d}-{int(d):02d} is not a real date") from None
    if t is None:
        return day
    tm = _TIME.match(t)
    if not tm:
        raise InvalidDate(f"Enter the time as HH:MM, for example 16:45 (got {t!r})")
    hh, mm = int(tm.group(1)), int(tm.group(2))
    if hh > 23 or mm > 59:
        raise InvalidDate(f"{hh:02d}:{mm:02d} is not a real time: enter the time as HH:MM, "
                          f"from 00:00 to 23:59, for example 16:45")
    return _dt.datetime.combine(day, _dt.time(hh, mm))


def format_at(at: _dt.date | _dt.datetime) -> str:
    """``"2026-12-23"`` or ``"2026-12-23T16:45"``."""
    if isinstance(at, _dt.datetime):
        return at.strftime("%Y-%m-%dT%H:%M")
    return at.isoformat()


# -- one computation --------------------------------------------------------------------------
def add_months(d: _dt.date, months: int) -> tuple[_dt.date, bool]:
    """Same day of month ``months`` later (or earlier), clamped to the month's last day.

    Returns ``(date, clamped)``.

    >>> add_months(_dt.date(2026, 11, 30), 3)
    (datetime.date(2027, 2, 28), True)
    >>> add_months(_dt.date(2027, 11, 30), 3)
    (datetime.date(2028, 2, 29), True)
    >>> add_months(_dt.date(2028, 2, 29), 12)
    (datetime.date(2029, 2, 28), True)
    >>> add_months(_dt.date(2026, 1, 15), -1)
    (datetime.date(2025, 12, 15), False)
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (nxt - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last)), d.day > last


class Refused(Exception):
    """Internal: a deadline that cannot be given (message in words)."""


def _coverage_message(exc: OutsideCoverage, what: str) -> str:
    if exc.side == "after":
        return (f"Not calculated: {what} would need bank holidays after {long_date(exc.covers_to)}, "
                f"the last day the bank holiday calendar covers, and this site never guesses them.")
    return (f"Not calculated: {what} would need bank holidays before {long_date(exc.covers_from)}, "
            f"the first day the bank holiday calendar covers.")


def _day_warning(cal: WorkingCalendar, due: _dt.date, unit: str) -> list[str]:
    why = cal.why_not_working(due)
    if why is None:
        return []
    return [f"Due on {long_date(due)}, which is {why}: counted in calendar {unit.replace('_', ' ')}, "
            f"the date is not moved to a working day."]


def compute_due(amount: int, unit: str, direction: str, at, cal: WorkingCalendar):
    """The due date (or UK clock time) of one rule: ``(due, warnings)``.

    ``at`` is a ``date`` or a UK clock ``datetime`` (``fold`` honoured). Raises
    :class:`Refused` with a message when the deadline cannot be given (hours
    without a time, a spring-gap time, a day outside the calendar).

    >>> from tools.workingdays import make_calendar
    >>> cal = make_calendar("2026-01-01", "2027-12-31", {"2026-12-25": "Christmas Day",
    ...                     "2026-12-28": "Boxing Day (substitute day)"})
    >>> compute_due(1, "working_days", "after", _dt.date(2026, 12, 23), cal)
    (datetime.date(2026, 12, 24), [])
    >>> compute_due(24, "hours", "after", _dt.datetime(2027, 3, 27, 10, 0), cal)[0]
    datetime.datetime(2027, 3, 28, 11, 0)
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; units: {', '.join(UNITS)}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; directions: after, before")
    sign = 1 if direction == "after" else -1
    day = to_date(at)
    what = f"{amount_words(amount, unit)} {direction} {long_date(day)}"
    warnings: list[str] = []
    try:
        if unit == "working_days":
            why = cal.why_not_working(cal.check(day))
            if direction == "after":
                due = cal.working_days_after(day, amount)
            else:
                due = cal.working_days_before(day, amount)
            if why and amount:
                first = cal.next_working_day(day) if direction == "after" else cal.previous_working_day(day)
                warnings.append(
                    f"{long_date(day)} is {why}, not a working day: counting starts from "
                    f"{long_date(first)}, which is working day 1 {direction} it.")
            elif why:
                warnings.append(f"{long_date(day)} is {why}, not a working day: the same working day "
                                f"is taken as {long_date(due)}.")
            return due, warnings
        if unit in ("days", "weeks"):
            due = day + _dt.timedelta(days=sign * amount * (7 if unit == "weeks" else 1))
            cal.check(due)
            return due, _day_warning(cal, due, unit)
        if unit == "months":
            due, clamped = add_months(day, sign * amount)
            cal.check(due)
            if clamped:
                warnings.append(
                    f"{day.day} {MONTHS[day.month - 1]} {day.year} {'+' if sign > 0 else '-'} "
                    f"{amount_words(amount, 'months')}: {MONTHS[due.month - 1]} {due.year} has no "
                    f"{ordinal(day.day)}, so the date is the last day of that month, {long_date(due)}.")
            return due, warnings + _day_warning(cal, due, unit)
        # hours
        if not isinstance(at, _dt.datetime):
            raise Refused(f"Not calculated: this rule counts {amount_words(amount, 'hours')} {direction} the "
                          f"time of the event. Enter the time (HH:MM, for example 16:45) as well as the date.")
        cal.check(day)
        if ukclock.is_ambiguous(at):
            # Read as the first (BST) occurrence unless the caller chose fold=1 explicitly.
            which = "second, {t} GMT" if at.fold else "first, {t} BST, which gives the earlier due time"
            warnings.append(
                f"{at:%H:%M} on {long_date(day)} happened twice (the clocks went back from 02:00 BST "
                f"to 01:00 GMT): the " + which.format(t=f"{at:%H:%M}") + ", is used.")
        try:
            due = ukclock.add_hours(at, sign * amount)
        except ukclock.NonexistentTime as exc:
            raise Refused(f"Not calculated: {exc}") from None
        cal.check(due.date())
        if ukclock.is_ambiguous(due):
            which = "second, GMT" if due.fold else "first, BST"
            warnings.append(f"{due:%H:%M} on {long_date(due.date())} happens twice (the clocks go back "
                            f"at 02:00 BST): the deadline is the {which} {due:%H:%M}.")
        why = cal.why_not_working(due.date())
        if why:
            warnings.append(f"Due on {long_date(due.date())}, which is {why}: hours are counted "
                            f"round the clock, the time is not moved.")
        return due, warnings
    except OutsideCoverage as exc:
        raise Refused(_coverage_message(exc, what)) from None


# -- rows ---------------------------------------------------------------------------------------
def _due_fields(due) -> dict:
    if due is None:
        return {"due": None, "due_utc": None, "weekday": None}
    if isinstance(due, _dt.datetime):
        utc = ukclock.to_utc(due)
        return {"due": due.strftime("%Y-%m-%dT%H:%M"), "due_utc": utc.strftime("%Y-%m-%dT%H:%MZ"),
                "weekday": WEEKDAYS[due.weekday()]}
    return {"due": due.isoformat(), "due_utc": None, "weekday": WEEKDAYS[due.weekday()]}


def _coerce_today(today):
    if today is None or isinstance(today, (_dt.date, _dt.datetime)):
        return today
    return parse_at(today)


def is_overdue(due, today) -> bool | None:
    """``None`` without ``today`` or ``due``; else whether ``due`` has passed.

    A date is overdue from the day after it (a step due today is not overdue).
    A due time is overdue once ``today`` (a datetime) is later than it; with only a
    date for ``today``, from the day after.
    """
    today = _coerce_today(today)
    if today is None or due is None:
        return None
    if isinstance(due, _dt.datetime) and isinstance(today, _dt.datetime):
        return ukclock.to_utc(due) < ukclock.to_utc(today)
    return to_date(due) < to_date(today)


def _sort_key(row: dict):
    due = row["due"]
    if due is None:
        return (1, "", row.get("label", ""), row["id"])
    # A date-only deadline runs to the end of its day: after any timed one on that day.
    return (0, due if "T" in due else due + "T99", row.get("label", ""), row["id"])


def deadline_row(ts: dict, event: dict, at, cal: WorkingCalendar, today=None,
                 occurrences: int = DEFAULT_OCCURRENCES) -> dict:
    """One timescale computed from ``at``: the CLI's JSON row (see :func:`deadlines_for`)."""
    source = ts.get("source") or {}
    row = {"id": ts["id"], "step": ts.get("step"), "label": ts["label"]}
    error, warnings, due = None, [], None
    try:
        due, warnings = compute_due(ts["amount"], ts["unit"], ts["direction"], at, cal)
    except Refused as exc:
        error = str(exc)
    row.update(_due_fields(due))
    row["latest_working_day"] = latest_working_day(due, ts["unit"], ts["direction"], cal)
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
    })
    return row


def latest_working_day(due, unit: str, direction: str, cal: WorkingCalendar) -> str | None:
    """The practical latest date of a calendar-unit deadline that falls on a non-working day.

    Days, weeks and months are counted in calendar time and the rule's date is never
    moved; but a conference cannot be held on a Saturday, so beside it the page shows
    the last working day on or before it. ``None`` when the due date is a working day,
    for working-day and hours rules (already on a working day, or round the clock),
    for "before" rules (the start of a look-back window is not something to do), and
    when the previous working day is outside the calendar.

    >>> from tools.workingdays import make_calendar
    >>> cal = make_calendar("2027-01-01", "2028-12-31")
    >>> latest_working_day(_dt.date(2028, 1, 15), "months", "after", cal)   # a Saturday
    '2028-01-14'
    >>> latest_working_day(_dt.date(2028, 1, 14), "months", "after", cal) is None
    True
    """
    if due is None or unit not in ("days", "weeks", "months") or direction != "after":
        return None
    day = to_date(due)
    try:
        if cal.why_not_working(cal.check(day)) is None:
            return None
        return cal.previous_working_day(day).isoformat()
    except OutsideCoverage:
        return None


def _occurrences(rec, first, cal, today, count) -> list[dict]:
    """The next ``count`` due dates of a repeating rule, each from the previous one."""
    out: list[dict] = []
    if not rec or first is None:
        return out
    prev = first
    for n in range(2, count + 2):
        item = {"n": n}
        try:
            due, warnings = compute_due(rec["every"], rec["unit"], "after", prev, cal)
        except Refused as exc:
            item.update(_due_fields(None), warnings=[], error=str(exc), overdue=None, latest_working_day=None)
            out.append(item)
            break       # every later one would need the same missing days
        item.update(_due_fields(due), warnings=warnings, error=None, overdue=is_overdue(due, today),
                    latest_working_day=latest_working_day(due, rec["unit"], "after", cal))
        out.append(item)
        prev = due
    return out


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
    """The events that start at least one deadline in ``area`` (own or inherited), or
    complete one of its steps, in the vocabulary's order: ``[{"id", "label",
    "description", "timescales": [ids it starts], "completes": [step ids]}]``."""
    _area(bundle, area)
    by_event: dict[str, list[str]] = {}
    completes: dict[str, list[str]] = {}
    for ts in _timescales(bundle, area):
        by_event.setdefault(ts["event"], []).append(ts["id"])
        for ev in met_by(bundle, ts["step"]):
            completes.setdefault(ev, [])
            if ts["step"] not in completes[ev]:
                completes[ev].append(ts["step"])
    out = []
    for ev_id, ev in bundle["events"].items():
        if ev_id in by_event or ev_id in completes:
            out.append({"id": ev_id, "label": ev.get("label", ev_id), "description": ev.get("description", ""),
                        "timescales": by_event.get(ev_id, []), "completes": completes.get(ev_id, [])})
    return out


def _event(bundle: dict, area: str, event: str) -> dict:
    if event not in bundle["events"]:
        valid = "; ".join(f"{e['id']} ({e['label']})" for e in list_events(bundle, area) if e["timescales"])
        raise UnknownEvent(f"Unknown event {event!r}. Events that start a deadline in "
                           f"{bundle['areas'][area].get('name', area)}: {valid or 'none'}.")
    return bundle["events"][event]


def _coerce_at(at):
    return parse_at(at) if isinstance(at, str) else at


def _check_event_date(cal: WorkingCalendar, at, label: str = "The date") -> None:
    day = to_date(at)
    if not cal.covers(day):
        raise OutOfCoverage(
            f"{label}, {long_date(day)}, is outside the bank holiday calendar, which covers "
            f"{long_date(cal.covers_from)} to {long_date(cal.covers_to)}. "
            + ("Later dates cannot be calculated yet." if day > cal.covers_to else "Dates before it cannot be calculated."))


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
    :class:`OutOfCoverage` (the event date is outside the calendar).
    """
    _area(bundle, area)
    ev = _event(bundle, area, event)
    at = _coerce_at(at)
    today = _coerce_today(today)
    cal = calendar_for(bundle, area)
    _check_event_date(cal, at)
    rows = [deadline_row(ts, ev, at, cal, today, occurrences)
            for ts in _timescales(bundle, area) if ts["event"] == event]
    rows.sort(key=_sort_key)
    return {"area": area, "event": event, "at": format_at(at), "deadlines": rows}


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


def met_by(bundle: dict, step: str | None) -> list[str]:
    """The events that complete ``step`` (``rules/events.yaml`` ``met_by``); ``[]`` if none."""
    return list((bundle["steps"].get(step) or {}).get("met_by") or [])


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


def list_payload(bundle: dict, area: str | None = None) -> dict:
    """What ``--list`` prints: ``{"areas": [{"id", "name", "inherits", "events": [...]}]}``."""
    areas = [a for a in list_areas(bundle) if area is None or a["id"] == area]
    if area is not None:
        _area(bundle, area)
    return {"areas": [dict(a, events=list_events(bundle, a["id"])) for a in areas]}
