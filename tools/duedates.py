"""One rule's due date: the date arithmetic under every deadline the calculator gives.

Given the date (or UK clock time) of an event, a rule's amount, unit and direction,
and the area's working calendar, :func:`compute_due` gives the due date (or time)
with its warnings, or refuses in words. Around it: :func:`parse_at` and
:func:`format_at` read and write the event's date and time, :func:`add_months`
counts calendar months, :func:`latest_working_day` gives the last working day on or
before a calendar-unit due date, :func:`is_overdue` compares a due date with today,
and the next occurrences of a repeating rule are counted here too. Which rules an
event starts in an area is :mod:`tools.deadlines`; a case of several events is
:mod:`tools.timeline`. The page "How dates are counted" prints the section below
(``counting_rules`` in ``macros/site/pagemacros.py``), followed by the layers rule of
:mod:`tools.deadlines`: it is written for practitioners and maintainers alike, in plain
words; what only maintainers need is under "For maintainers", which the page leaves out.

How dates are counted
=====================

The event day D is **day 0**. Each rule has an amount N, a unit and a direction
("after" or "before" the event). "Before" mirrors "after" for every unit.

**Working days**. Monday to Friday, except England and Wales
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

**Days**. Calendar days: D + N. A due date that falls on a weekend, a
bank holiday or a closure day is **not moved**; the result carries a warning
saying so. **Weeks**: D + 7N days, with the same warning.

**Months**. The same day of the month, N months later. When that
month is shorter, the date is the month's last day and a warning says so:
30 November 2026 + 3 months = 28 February 2027 (29 February in a leap year:
30 November 2027 + 3 months = 29 February 2028); 31 May 2027 - 3 months =
28 February 2027. Weekend and holiday warnings as for days.

**Hours**. Real elapsed time in UK clock time (Europe/London),
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

**Whichever is sooner, or later** ("3 months or 20 working days after the birth,
whichever is sooner"): each part is counted by its own unit, as above, from the same
event; the due date is the earlier of the dates (sooner) or the later (later), and the
answer shows both. If any part cannot be counted (a day beyond the bank holidays known),
the deadline is not given: the answer is never one part alone.

**Repeating rules** ("then every 6 weeks"): the first due date, then the next
occurrences (3 by default), **each counted from the previous due date** with the
same counting rules (so a month-end clamp carries on: 31 January + 1 month =
28 February, then + 1 month = 28 March). Occurrences always run forwards.

**Calendar coverage.** The bank holidays are known for a fixed period (given at
the top of this page). An event date outside it is refused with a message. A
deadline whose answer needs any day beyond it (a working-day count running past
the last day known, or a due date whose bank holiday status cannot be checked)
is **not calculated**: the answer gives no date and says which day the list of
bank holidays ends on. Nothing is ever guessed.

For maintainers
===============

Not printed on the page. The units above are the ``unit`` values of a timescale:
``working_days``, ``days``, ``weeks``, ``months``, ``hours``. The calendar's period
is ``covers_from`` to ``covers_to`` of ``rules/calendar/england-and-wales.yaml``. A
refused deadline has ``due`` ``None`` (``null`` in JSON) and an ``error`` naming the last
covered day; the command line adds how the calendar is refreshed (``REFRESH_HINT``).

Public API (pure functions, see ``tools/README.md``): :func:`parse_at`,
:func:`format_at`, :func:`compute_due`, :func:`compute_whichever`, :func:`add_months`, :func:`latest_working_day`,
:func:`is_overdue`; errors derive from :class:`DeadlineError` (:class:`InvalidDate`,
:class:`OutOfCoverage` here; :class:`tools.deadlines.UnknownArea` and
:class:`tools.deadlines.UnknownEvent` there). Words (dates, amounts) come from
:mod:`tools.wording`.
"""
from __future__ import annotations

import datetime as _dt
import re

from . import ukclock
from .wording import MONTHS, WEEKDAYS, amount_words, long_date, ordinal
from .workingdays import OutsideCoverage, WorkingCalendar, to_date

UNITS = ("working_days", "days", "weeks", "months", "hours")
DIRECTIONS = ("after", "before")
DEFAULT_OCCURRENCES = 3
# For maintainers only: printed by the command line and in the README, never on a page.
REFRESH_HINT = ("Site maintainers: refresh rules/calendar/england-and-wales.yaml from GOV.UK's "
                "bank-holidays.json (make refresh-calendar FILE=bank-holidays.json).")


# -- errors ------------------------------------------------------------------------------
class DeadlineError(ValueError):
    """A problem with the question asked, in words fit for a practitioner."""


class InvalidDate(DeadlineError):
    pass


class OutOfCoverage(DeadlineError):
    pass


# -- dates and times in, out ----------------------------------------------------------------
_AT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.*?))?\s*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*(GMT|BST))?$", re.IGNORECASE)


def parse_at(text: str) -> _dt.date | _dt.datetime:
    """``"2026-12-23"`` -> ``date``; ``"2026-12-23T16:45"`` -> ``datetime`` (UK clock time).

    >>> parse_at("2026-12-23")
    datetime.date(2026, 12, 23)
    >>> parse_at("2026-12-23T16:45")
    datetime.datetime(2026, 12, 23, 16, 45)
    >>> parse_at("2026-02-30")
    Traceback (most recent call last):
    ...
    tools.duedates.InvalidDate: 2026-02-30 is not a real date
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
    hh, mm, zone = int(tm.group(1)), int(tm.group(2)), (tm.group(3) or "").upper()
    if hh > 23 or mm > 59:
        raise InvalidDate(f"{hh:02d}:{mm:02d} is not a real time: enter the time as HH:MM, "
                          f"from 00:00 to 23:59, for example 16:45")
    at = _dt.datetime.combine(day, _dt.time(hh, mm, fold=int(zone == "GMT")))
    if zone and not ukclock.is_ambiguous(at) and not ukclock.is_nonexistent(at) \
            and ukclock.zone_abbreviation(at) != zone:
        raise InvalidDate(f"{hh:02d}:{mm:02d} on {long_date(day)} is {ukclock.zone_abbreviation(at)}, not {zone}: "
                          f"leave GMT or BST off except in the repeated hour at the end of British Summer Time")
    return at


def format_at(at: _dt.date | _dt.datetime) -> str:
    """``"2026-12-23"`` or ``"2026-12-23T16:45"``."""
    if isinstance(at, _dt.datetime):
        # the second 01:xx of the last Sunday of October is written with its zone
        return at.strftime("%Y-%m-%dT%H:%M") + (" GMT" if at.fold and ukclock.is_ambiguous(at) else "")
    return at.isoformat()


def local_time_notes(at) -> list[str]:
    """The event's UK clock time checked against the clock changes.

    A time that did not happen (01:00-01:59 on the last Sunday of March, when the clocks
    go forward) raises :class:`InvalidDate`: nothing is calculated from it. A time that
    happened twice (01:00-01:59 on the last Sunday of October) gives a note saying which
    of the two is used: the first (BST) unless it was written ``01:30 GMT``.

    >>> local_time_notes(_dt.datetime(2027, 3, 28, 1, 30))
    Traceback (most recent call last):
    ...
    tools.duedates.InvalidDate: 01:30 on Sunday 28 March 2027 did not happen in the UK: the clocks went forward from 01:00 GMT to 02:00 BST that night. Enter a time before 01:00 or from 02:00.
    >>> local_time_notes(_dt.datetime(2027, 10, 31, 1, 30))[0][:60]
    '01:30 on Sunday 31 October 2027 happened twice (the clocks w'
    """
    if not isinstance(at, _dt.datetime):
        return []
    if ukclock.is_nonexistent(at):
        raise InvalidDate(str(ukclock.NonexistentTime(at)))
    if not ukclock.is_ambiguous(at):
        return []
    which = ("the second one, 01:{m} GMT, is used (as entered)" if at.fold else
             "the first one, 01:{m} BST, is used; enter \u201c01:{m} GMT\u201d for the second")
    return [f"{at:%H:%M} on {long_date(at.date())} happened twice (the clocks went back from 02:00 BST to "
            f"01:00 GMT): " + which.format(m=f"{at:%M}") + "."]


def _coerce_today(today):
    if today is None or isinstance(today, (_dt.date, _dt.datetime)):
        return today
    return parse_at(today)


def _coerce_at(at):
    return parse_at(at) if isinstance(at, str) else at


def _check_event_date(cal: WorkingCalendar, at, label: str = "The date") -> None:
    day = to_date(at)
    if not cal.covers(day):
        raise OutOfCoverage(
            f"{label}, {long_date(day)}, is outside the bank holiday calendar, which covers "
            f"{long_date(cal.covers_from)} to {long_date(cal.covers_to)}. "
            + ("Later dates cannot be calculated yet." if day > cal.covers_to else "Dates before it cannot be calculated."))


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


# -- earliest-of and latest-of rules ("whichever is sooner / later") ------------------------------
WHICHEVER = ("sooner", "later")


def rule_parts(ts: dict) -> list[dict]:
    """The parts of a rule, each ``{"amount", "unit"}``: its own, then those of ``or`` (a
    "whichever is sooner / later" rule); a plain rule has one part."""
    return [{"amount": ts["amount"], "unit": ts["unit"]}] + [
        {"amount": p["amount"], "unit": p["unit"]} for p in (ts.get("or") or [])]


def compute_whichever(ts: dict, at, cal: WorkingCalendar):
    """A rule's due date when it has several parts: ``(due, warnings, parts)``.

    Each part is counted by its own unit, from the same event, in the rule's direction; the
    due date is the earliest of them (``whichever: sooner``) or the latest (``later``), and
    its warnings are those of the part chosen. ``parts`` lists every part with its own due
    date and ``chosen``. A part that cannot be computed (a day outside the calendar, hours
    without a time) makes the whole rule refused: the answer is never one part guessed.

    >>> from tools.workingdays import make_calendar
    >>> cal = make_calendar("2026-01-01", "2027-12-31")
    >>> rule = {"amount": 3, "unit": "months", "direction": "after", "whichever": "sooner",
    ...         "or": [{"amount": 20, "unit": "working_days"}]}
    >>> due, _, parts = compute_whichever(rule, _dt.date(2027, 3, 1), cal)
    >>> due, [(p["due"], p["chosen"]) for p in parts]
    (datetime.date(2027, 3, 29), [('2027-06-01', False), ('2027-03-29', True)])
    """
    how = ts.get("whichever", "sooner")
    if how not in WHICHEVER:
        raise ValueError(f"unknown whichever {how!r}; whichever: sooner, later")
    found = []
    for part in rule_parts(ts):
        words = amount_words(part["amount"], part["unit"])
        try:
            due, warnings = compute_due(part["amount"], part["unit"], ts["direction"], at, cal)
        except Refused as exc:
            raise Refused(f"{exc} This rule is {_parts_words(ts)}, whichever is {how}: with the "
                          f"{words} unknown, its due date is not given.") from None
        found.append((part, due, warnings))
    kinds = {type(d) for _, d, _ in found}
    if len(kinds) > 1:
        raise Refused(f"This rule is {_parts_words(ts)}, whichever is {how}: a time and a date cannot be "
                      "compared, so its due date is not given.")
    pick = (min if how == "sooner" else max)(range(len(found)), key=lambda i: found[i][1])
    parts = [dict(part, due=_due_fields(due)["due"], chosen=i == pick) for i, (part, due, _) in enumerate(found)]
    return found[pick][1], list(found[pick][2]), parts


def _parts_words(ts: dict) -> str:
    return " or ".join(amount_words(p["amount"], p["unit"]) for p in rule_parts(ts))


# -- what a row says about a due date -------------------------------------------------------------
def _due_fields(due) -> dict:
    if due is None:
        return {"due": None, "due_utc": None, "weekday": None}
    if isinstance(due, _dt.datetime):
        utc = ukclock.to_utc(due)
        return {"due": due.strftime("%Y-%m-%dT%H:%M"), "due_utc": utc.strftime("%Y-%m-%dT%H:%MZ"),
                "weekday": WEEKDAYS[due.weekday()]}
    return {"due": due.isoformat(), "due_utc": None, "weekday": WEEKDAYS[due.weekday()]}


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
