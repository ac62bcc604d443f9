"""The bank holiday calendar (rules/calendar/): in date order, no weekend dates, and every
regular England and Wales bank holiday of the covered years listed.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations

import datetime as dt

from macros.rules.yamlsource import Document


def _real(value) -> dt.date | None:
    """``value`` as a date when it is a real one written YYYY-MM-DD; None otherwise (the schema
    has already reported it with its line: ``2027-02-29``, ``2026-4-6``, ``20260406``)."""
    if not (isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-"
            and value.replace("-", "").isascii() and value.replace("-", "").isdigit()):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_calendar(ck, doc: Document):
    """Dates that are not real are the schema's to report; everything here looks at real dates only,
    so a mistyped date is one message with its line, never a traceback."""
    data = doc.data
    dates = [h["date"] for h in data.get("holidays", []) if isinstance(h, dict) and _real(h.get("date"))]
    if dates != sorted(dates):
        ck.problem(doc, ("holidays",), "holidays must be in date order", "")
    if len(set(dates)) != len(dates):
        ck.problem(doc, ("holidays",), "a date is listed twice", "")
    lo, hi = data.get("covers_from", ""), data.get("covers_to", "")
    if _real(lo) is None or _real(hi) is None:
        return
    for i, h in enumerate(data.get("holidays", [])):
        d = h.get("date") if isinstance(h, dict) else None
        if _real(d) is None:
            continue
        if not lo <= d <= hi:
            ck.problem(doc, ("holidays", i, "date"), f"{d} is outside covers_from..covers_to ({lo}..{hi})")
        elif dt.date.fromisoformat(d).weekday() >= 5:
            ck.problem(doc, ("holidays", i, "date"), f"{d} is a {dt.date.fromisoformat(d):%A}: a bank holiday "
                         "that falls at a weekend is listed on its substitute weekday", "- {date: 2026-12-28, "
                         "title: Boxing Day (substitute day)}")
    listed = set(dates)
    first, last = _real(lo), _real(hi)
    missing = [(d, title) for year in range(first.year, last.year + 1) for d, title in regular_bank_holidays(year)
               if first <= d <= last and d.isoformat() not in listed]
    for d, title in missing[:3]:
        ck.problem(doc, ("covers_to",), f"the calendar covers {lo}..{hi} but does not list {title} {d.isoformat()}: "
                     "coverage cannot be stretched past the holidays listed (every covered year needs its "
                     "regular England and Wales bank holidays)",
                     "refresh from GOV.UK: procedures refresh-calendar bank-holidays.json")
    if len(missing) > 3:
        ck.problem(doc, ("covers_to",), f"... and {len(missing) - 3} more regular bank holidays missing")


def regular_bank_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The eight regular England and Wales bank holidays of ``year``, on the weekdays they are kept.

    New Year's Day, Christmas and Boxing Day falling at a weekend move to the next free
    weekdays; the royal moves are known: early May 2020 on 8 May (VE day), spring 2012
    on 4 June and 2022 on 2 June (Jubilees).

    >>> [d.isoformat() for d, _ in regular_bank_holidays(2021)][-2:]
    ['2021-12-27', '2021-12-28']
    >>> [d.isoformat() for d, _ in regular_bank_holidays(2026)][1:3]
    ['2026-04-03', '2026-04-06']
    """
    def weekday_on_or_after(d):
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        return d

    def monday(d, step):          # first Monday on or after d (step 1) / on or before d (step -1)
        while d.weekday() != 0:
            d += dt.timedelta(days=step)
        return d
    easter = easter_sunday(year)
    christmas = weekday_on_or_after(dt.date(year, 12, 25))
    boxing = weekday_on_or_after(max(dt.date(year, 12, 26), christmas + dt.timedelta(days=1)))
    early_may = {2020: dt.date(2020, 5, 8)}.get(year, monday(dt.date(year, 5, 1), 1))
    spring = {2012: dt.date(2012, 6, 4), 2022: dt.date(2022, 6, 2)}.get(year, monday(dt.date(year, 5, 31), -1))
    return [(weekday_on_or_after(dt.date(year, 1, 1)), "New Year's Day"),
            (easter - dt.timedelta(days=2), "Good Friday"), (easter + dt.timedelta(days=1), "Easter Monday"),
            (early_may, "Early May bank holiday"), (spring, "Spring bank holiday"),
            (monday(dt.date(year, 8, 31), -1), "Summer bank holiday"),
            (christmas, "Christmas Day"), (boxing, "Boxing Day")]


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (Gregorian; the anonymous algorithm). ``easter_sunday(2026)`` -> 5 April 2026."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)
