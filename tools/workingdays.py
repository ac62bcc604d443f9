"""Working days in England and Wales: a calendar with a precomputed working-day index.

A **working day** is Monday to Friday, except

* an England and Wales bank holiday (``rules/calendar/england-and-wales.yaml``, a
  dated copy of GOV.UK's list: substitute days such as "Boxing Day (substitute
  day)" and one-off days such as 19 September 2022 and 8 May 2023 included), and
* a local closure day of the area (``closure_days`` in ``rules/areas.yaml``).

Counting rules (the event day D is **day 0**):

* **N working days after D** is the Nth working day strictly after D.
  Wednesday 23 December 2026 + 1 working day = Thursday 24 December;
  + 2 = Tuesday 29 December (25 and 28 December are bank holidays, 26-27 the weekend).
  An event on a non-working day counts from the next working day, which is
  working day 1: Saturday 28 November 2026 + 1 working day = Monday 30 November.
* **N working days before D** is the Nth working day strictly before D.
  1 working day before Monday 30 November 2026 = Friday 27 November; 1 working
  day before Saturday 28 November = Friday 27 November.
* **0 working days** (the same working day) is D itself when D is a working day,
  otherwise the next working day (after) or the previous working day (before).

Coverage: the calendar only knows bank holidays from ``covers_from`` to
``covers_to``. Any question whose answer needs a day outside that range raises
:class:`OutsideCoverage` instead of guessing; nothing is ever extrapolated.

Efficiency: the working days of the covered range are precomputed once, as a
sorted tuple of day ordinals (about 250 a year); every offset is one ``bisect``
plus one index, whatever the span. Calendars are cached by their contents.

Pure standard library; no file or network I/O (runs in CPython and Pyodide).
"""
from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .wording import WEEKDAYS


def to_date(value) -> _dt.date:
    """A ``date`` from a date, a datetime (its date) or an ISO string ``"2026-12-25"``."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


class OutsideCoverage(ValueError):
    """The answer needs a day outside ``covers_from``..``covers_to``.

    ``needed`` is the first day that could not be checked, ``side`` is ``"after"``
    (beyond ``covers_to``) or ``"before"`` (earlier than ``covers_from``).
    """

    def __init__(self, needed: _dt.date, covers_from: _dt.date, covers_to: _dt.date):
        self.needed = needed
        self.covers_from = covers_from
        self.covers_to = covers_to
        self.side = "after" if needed > covers_to else "before"
        limit = covers_to if self.side == "after" else covers_from
        super().__init__(
            f"{needed.isoformat()} is outside the bank holiday calendar, which covers "
            f"{covers_from.isoformat()} to {covers_to.isoformat()} (needed a day {self.side} {limit.isoformat()})")


class WorkingCalendar:
    """England and Wales working days between ``covers_from`` and ``covers_to``.

    Build one with :func:`make_calendar` (cached). ``holidays`` and ``closures`` map
    a date to its title. Every method raises :class:`OutsideCoverage` rather than
    answer about a day it cannot check.

    >>> cal = make_calendar("2026-01-01", "2026-12-31", {"2026-12-25": "Christmas Day",
    ...                     "2026-12-28": "Boxing Day (substitute day)"})
    >>> cal.working_days_after(_dt.date(2026, 12, 23), 2)
    datetime.date(2026, 12, 29)
    >>> cal.working_days_before(_dt.date(2026, 12, 29), 2)
    datetime.date(2026, 12, 23)
    """

    __slots__ = ("covers_from", "covers_to", "holidays", "closures", "_days")

    def __init__(self, covers_from: _dt.date, covers_to: _dt.date,
                 holidays: Mapping[_dt.date, str], closures: Mapping[_dt.date, str]):
        if covers_to < covers_from:
            raise ValueError(f"covers_to {covers_to} is before covers_from {covers_from}")
        self.covers_from = covers_from
        self.covers_to = covers_to
        self.holidays = dict(holidays)
        self.closures = dict(closures)
        off = set(self.holidays) | set(self.closures)
        # The one day-by-day pass, done once per calendar: ~365 steps a year.
        first, last = covers_from.toordinal(), covers_to.toordinal()
        self._days = tuple(o for o in range(first, last + 1)
                           if (o + 6) % 7 < 5 and _dt.date.fromordinal(o) not in off)
        # (date.weekday() == (ordinal + 6) % 7; Monday = 0.)

    # -- coverage ----------------------------------------------------------------------
    def covers(self, d: _dt.date) -> bool:
        return self.covers_from <= d <= self.covers_to

    def check(self, d: _dt.date) -> _dt.date:
        """``d`` itself, or :class:`OutsideCoverage` if the calendar cannot vouch for it."""
        if not self.covers(d):
            raise OutsideCoverage(d, self.covers_from, self.covers_to)
        return d

    # -- single days ---------------------------------------------------------------------
    def is_working_day(self, d: _dt.date) -> bool:
        """Monday-Friday and neither a bank holiday nor a closure day.

        >>> cal = make_calendar("2026-01-01", "2026-12-31", {"2026-12-25": "Christmas Day"})
        >>> [cal.is_working_day(_dt.date(2026, 12, n)) for n in (24, 25, 26)]
        [True, False, False]
        """
        self.check(d)
        o = d.toordinal()
        i = bisect_left(self._days, o)
        return i < len(self._days) and self._days[i] == o

    def why_not_working(self, d: _dt.date) -> str | None:
        """``None`` for a working day, else why not, in words:

        ``"a Saturday"``, ``"a bank holiday (Christmas Day)"``,
        ``"a local closure day (Council closure day)"``.
        """
        self.check(d)
        if d in self.holidays:
            return f"a bank holiday ({self.holidays[d]})"
        if d in self.closures:
            return f"a local closure day ({self.closures[d]})"
        if d.weekday() >= 5:
            return f"a {WEEKDAYS[d.weekday()]}"
        return None

    def next_working_day(self, d: _dt.date) -> _dt.date:
        """The first working day on or after ``d``."""
        return self._at(bisect_left(self._days, self.check(d).toordinal()), d)

    def previous_working_day(self, d: _dt.date) -> _dt.date:
        """The last working day on or before ``d``."""
        return self._at(bisect_right(self._days, self.check(d).toordinal()) - 1, d)

    # -- offsets ---------------------------------------------------------------------------
    def working_days_after(self, d: _dt.date, n: int) -> _dt.date:
        """The Nth working day strictly after ``d`` (``d`` is day 0).

        Saturday + 1 = Monday: a non-working ``d`` counts from the next working day,
        which is working day 1. ``n == 0`` gives ``d`` if it is a working day, else
        the next working day.

        >>> cal = make_calendar("2026-01-01", "2026-12-31", {})
        >>> cal.working_days_after(_dt.date(2026, 11, 28), 1)   # Saturday
        datetime.date(2026, 11, 30)
        >>> cal.working_days_after(_dt.date(2026, 11, 27), 1)   # Friday
        datetime.date(2026, 11, 30)
        """
        if n < 0:
            return self.working_days_before(d, -n)
        if n == 0:
            return self.next_working_day(d)
        # working days on or before d, then n further along the index
        return self._at(bisect_right(self._days, self.check(d).toordinal()) + n - 1, d, side=+1)

    def working_days_before(self, d: _dt.date, n: int) -> _dt.date:
        """The Nth working day strictly before ``d``.

        1 working day before a Monday is the Friday; before a Saturday, the Friday.
        ``n == 0`` gives ``d`` if it is a working day, else the previous working day.
        """
        if n < 0:
            return self.working_days_after(d, -n)
        if n == 0:
            return self.previous_working_day(d)
        return self._at(bisect_left(self._days, self.check(d).toordinal()) - n, d, side=-1)

    def count_working_days(self, start: _dt.date, end: _dt.date) -> int:
        """Working days ``w`` with ``start < w <= end`` (negative if ``end < start``).

        The inverse of :meth:`working_days_after` for a working ``end``:
        ``count_working_days(d, working_days_after(d, n)) == n`` for n >= 1.
        """
        self.check(start), self.check(end)
        a = bisect_right(self._days, start.toordinal())
        b = bisect_right(self._days, end.toordinal())
        return b - a

    def _at(self, i: int, origin: _dt.date, side: int = 0) -> _dt.date:
        if 0 <= i < len(self._days):
            return _dt.date.fromordinal(self._days[i])
        # Ran off the index: the answer lies beyond the covered range.
        if i >= len(self._days) or side > 0:
            needed = self.covers_to + _dt.timedelta(days=1)
        else:
            needed = self.covers_from - _dt.timedelta(days=1)
        raise OutsideCoverage(needed, self.covers_from, self.covers_to)

    def __repr__(self) -> str:
        return (f"WorkingCalendar({self.covers_from}..{self.covers_to}, {len(self.holidays)} bank holidays, "
                f"{len(self.closures)} closure days, {len(self._days)} working days)")


def _pairs(items) -> tuple:
    """Normalise holidays given as a mapping, ``[{"date", "title"}]`` or ``[(date, title)]``."""
    if isinstance(items, Mapping):
        items = items.items()
    out = []
    for item in items or ():
        if isinstance(item, Mapping):
            d, title = item["date"], item.get("title", "")
        elif isinstance(item, (tuple, list)):
            d, title = item[0], (item[1] if len(item) > 1 else "")
        else:
            d, title = item, ""
        out.append((to_date(d).isoformat(), str(title)))
    return tuple(sorted(out))


def make_calendar(covers_from, covers_to, holidays=(), closure_days=()) -> WorkingCalendar:
    """A cached :class:`WorkingCalendar`.

    Dates may be ``date`` objects or ISO strings; ``holidays`` and ``closure_days``
    may be ``[{"date": ..., "title": ...}]`` (the bundle's shape), a mapping
    ``{date: title}`` or plain dates. Closure days and holidays outside the covered
    range are ignored (nothing outside it is ever answered).
    """
    return _make(to_date(covers_from).isoformat(), to_date(covers_to).isoformat(),
                 _pairs(holidays), _pairs(closure_days))


@lru_cache(maxsize=64)
def _make(covers_from: str, covers_to: str, holidays: tuple, closures: tuple) -> WorkingCalendar:
    return WorkingCalendar(_dt.date.fromisoformat(covers_from), _dt.date.fromisoformat(covers_to),
                           {_dt.date.fromisoformat(d): t for d, t in holidays},
                           {_dt.date.fromisoformat(d): t for d, t in closures})


def calendar_for(bundle: dict, area: str | None = None) -> WorkingCalendar:
    """The working calendar of ``area`` in a bundle: bank holidays plus the area's own
    ``closure_days`` (closure days are local: an area does not inherit another's)."""
    cal = bundle["calendar"]
    closures: Iterable = ()
    if area is not None:
        closures = bundle["areas"][area].get("closure_days") or ()
    return make_calendar(cal["covers_from"], cal["covers_to"], cal["holidays"], closures)
