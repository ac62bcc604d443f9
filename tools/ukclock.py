"""UK clock time (Europe/London) without tz data: elapsed-hours arithmetic.

Pyodide may ship without the IANA tz database, so this module computes the UK
clock rule itself, using only the standard library:

* **British Summer Time (BST, UTC+1)** runs from **01:00 UTC on the last Sunday
  of March** to **01:00 UTC on the last Sunday of October**; the rest of the year
  is **Greenwich Mean Time (GMT, UTC+0)**. This is the rule in force since 1996;
  it is what ``zoneinfo("Europe/London")`` says for 1996-2037 (tested against it
  for every hour of 2013-2028). A change in UK law would need this module updated.

Times are naive ``datetime`` objects holding UK clock time ("local"), plus, where
needed, ``fold`` (0 = the first of two identical clock times, 1 = the second),
as in :pep:`495`.

Elapsed hours are real hours: convert to UTC, add, convert back.

* 24 hours from 10:00 on Saturday 27 March 2027 (GMT) is **11:00** on Sunday
  28 March 2027 (BST): the clocks went forward an hour in between.
* 24 hours from 10:00 on Saturday 30 October 2027 (BST) is **09:00** on Sunday
  31 October 2027 (GMT): the clocks went back.

Edge cases, handled explicitly:

* **The spring gap.** On the last Sunday of March the clocks jump from 01:00 to
  02:00: clock times from 01:00 to 01:59 do not exist. :func:`to_utc` raises
  :class:`NonexistentTime` for them (a deadline calculator must not guess
  which time was meant). A result of arithmetic is never in the gap.
* **The autumn overlap.** On the last Sunday of October the clocks go back from
  02:00 BST to 01:00 GMT: clock times from 01:00 to 01:59 happen twice.
  :func:`to_utc` takes the first (BST) one unless ``fold=1``; :func:`is_ambiguous`
  says when this happened so that callers can warn. A result of arithmetic in
  that hour comes back with its ``fold`` so it can be labelled "BST" or "GMT".
"""
from __future__ import annotations

import datetime as _dt

from .wording import MONTHS as _MONTHS

HOUR = _dt.timedelta(hours=1)
_ZERO = _dt.timedelta(0)


class NonexistentTime(ValueError):
    """A clock time inside the spring-forward gap (01:00-01:59 on the last Sunday of March)."""

    def __init__(self, local: _dt.datetime):
        self.local = local
        super().__init__(
            f"{local:%H:%M} on Sunday {local.day} {_MONTHS[local.month - 1]} {local.year} did not happen in the UK: "
            f"the clocks went forward from 01:00 GMT to 02:00 BST that night. "
            f"Enter a time before 01:00 or from 02:00.")


def last_sunday(year: int, month: int) -> _dt.date:
    """The last Sunday of a month: ``last_sunday(2027, 3)`` -> 28 March 2027."""
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.weekday() - 6) % 7)


def bst_start(year: int) -> _dt.datetime:
    """UTC instant BST starts: 01:00 UTC on the last Sunday of March (naive, UTC)."""
    return _dt.datetime.combine(last_sunday(year, 3), _dt.time(1))


def bst_end(year: int) -> _dt.datetime:
    """UTC instant BST ends: 01:00 UTC on the last Sunday of October (naive, UTC)."""
    return _dt.datetime.combine(last_sunday(year, 10), _dt.time(1))


def utc_offset(utc: _dt.datetime) -> _dt.timedelta:
    """The UK offset from UTC at a UTC instant (naive, or aware in any zone): 0 or 1 hour."""
    if utc.tzinfo is not None:
        utc = utc.astimezone(_dt.UTC).replace(tzinfo=None)
    return HOUR if bst_start(utc.year) <= utc < bst_end(utc.year) else _ZERO


def is_nonexistent(local: _dt.datetime) -> bool:
    """True for clock times in the spring gap: 01:00 <= t < 02:00 on the last Sunday of March."""
    start = bst_start(local.year)   # 01:00 UTC = 01:00 GMT on the clock
    return start <= local.replace(tzinfo=None, fold=0) < start + HOUR


def is_ambiguous(local: _dt.datetime) -> bool:
    """True for clock times that happen twice: 01:00 <= t < 02:00 on the last Sunday of October."""
    end = bst_end(local.year)       # 01:00 UTC = 02:00 BST, clocks back to 01:00 GMT
    return end <= local.replace(tzinfo=None, fold=0) < end + HOUR


def to_utc(local: _dt.datetime, fold: int | None = None) -> _dt.datetime:
    """UK clock time -> naive UTC.

    ``fold`` (default: ``local.fold``) picks the occurrence of an ambiguous autumn
    time: 0 = the first (BST), 1 = the second (GMT). Raises :class:`NonexistentTime`
    for a time in the spring gap.

    >>> to_utc(_dt.datetime(2027, 7, 1, 12, 0))
    datetime.datetime(2027, 7, 1, 11, 0)
    >>> to_utc(_dt.datetime(2027, 10, 31, 1, 30)), to_utc(_dt.datetime(2027, 10, 31, 1, 30), fold=1)
    (datetime.datetime(2027, 10, 31, 0, 30), datetime.datetime(2027, 10, 31, 1, 30))
    """
    fold = local.fold if fold is None else fold
    naive = local.replace(tzinfo=None, fold=0)
    if is_nonexistent(naive):
        raise NonexistentTime(naive)
    if is_ambiguous(naive):
        return naive - (_ZERO if fold else HOUR)
    start, end = bst_start(naive.year), bst_end(naive.year)
    # In local clock terms BST runs from 02:00 (start + 1h) to 01:00 (end) on the clock,
    # i.e. local in [start + 1h, end) is BST; the ambiguous hour [end, end + 1h) is handled above.
    in_bst = start + HOUR <= naive < end
    return naive - (HOUR if in_bst else _ZERO)


def to_local(utc: _dt.datetime) -> _dt.datetime:
    """Naive UTC -> UK clock time, with ``fold=1`` on the second 01:00-01:59 of an autumn night.

    >>> to_local(_dt.datetime(2027, 3, 28, 10, 0))
    datetime.datetime(2027, 3, 28, 11, 0)
    >>> to_local(_dt.datetime(2027, 10, 31, 1, 30)).fold
    1
    """
    if utc.tzinfo is not None:
        utc = utc.astimezone(_dt.UTC).replace(tzinfo=None)
    offset = utc_offset(utc)
    local = utc + offset
    end = bst_end(utc.year)
    second = end <= utc < end + HOUR     # the repeated hour, second time round (GMT)
    return local.replace(fold=1 if second else 0)


def zone_abbreviation(local: _dt.datetime, fold: int | None = None) -> str:
    """``"BST"`` or ``"GMT"`` for a UK clock time (``fold`` as in :func:`to_utc`)."""
    utc = to_utc(local, fold)
    return "BST" if utc_offset(utc) else "GMT"


def add_hours(local: _dt.datetime, hours: float, fold: int | None = None) -> _dt.datetime:
    """UK clock time ``hours`` elapsed hours after ``local`` (negative: before).

    The result carries ``fold=1`` if it is the second occurrence of an autumn
    clock time. Raises :class:`NonexistentTime` if ``local`` is in the spring gap.

    >>> add_hours(_dt.datetime(2027, 3, 27, 10, 0), 24)
    datetime.datetime(2027, 3, 28, 11, 0)
    >>> add_hours(_dt.datetime(2027, 10, 30, 10, 0), 24)
    datetime.datetime(2027, 10, 31, 9, 0)
    >>> add_hours(_dt.datetime(2027, 3, 28, 11, 0), -24)
    datetime.datetime(2027, 3, 27, 10, 0)
    """
    return to_local(to_utc(local, fold) + _dt.timedelta(hours=hours))


def elapsed_hours(start_local: _dt.datetime, end_local: _dt.datetime) -> float:
    """Real hours between two UK clock times (each may carry ``fold``)."""
    return (to_utc(end_local) - to_utc(start_local)).total_seconds() / 3600
