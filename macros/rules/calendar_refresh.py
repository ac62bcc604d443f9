"""Refresh ``rules/calendar/england-and-wales.yaml`` from a GOV.UK ``bank-holidays.json`` on disk.

Usage (from the repository root; the file is downloaded separately, this command
never touches the network)::

    procedures refresh-calendar path/to/bank-holidays.json [--retrieved YYYY-MM-DD]
                                 [--out rules/calendar/england-and-wales.yaml] [--dry-run]

What it does, all in pure functions (:func:`parse_govuk`, :func:`merge`,
:func:`diff`, :func:`render`, :func:`read_calendar_yaml`); only :func:`main` reads
and writes files:

1. takes the ``"england-and-wales"`` division of GOV.UK's file. A substitute day
   (GOV.UK's ``notes: "Substitute day"``) gets the title "Boxing Day (substitute
   day)", as the GOV.UK page shows it;
2. **replaces** every year the GOV.UK file holds and **keeps** the years of the
   current calendar the file no longer lists (GOV.UK drops old years). The years
   must stay contiguous, and each year of the file must have at least the 8
   regular bank holidays (otherwise the file is taken to be incomplete);
3. sets ``covers_from`` to 1 January of the first year and ``covers_to`` to
   31 December of the last year (GOV.UK publishes whole years), ``retrieved``
   to the given date (default: today), and records both in ``source``;
4. prints what changed (added, removed, retitled days), so a one-off bank holiday
   is noticed by a person, and refuses a file that would shrink the covered range;
5. **checks before it writes** (:func:`refresh`): nothing is written unless the result
   passes, and then through a temporary file in the same folder renamed over the old
   one (:func:`write_atomically`), so the calendar is never half written:

   - strict types (:func:`parse_govuk`): a date only as a ``"YYYY-MM-DD"`` string of a
     real day (an integer ``20260406``, an ISO week date ``"2026-W15-1"``, ``"2026-4-6"``
     and ``"2027-02-29"`` are refused, though Python's ``fromisoformat`` reads some of
     them); a title plain one-line text of at most :data:`MAX_TITLE` characters (no line
     break, control or bidirectional character, no HTML, template syntax or link: the
     rule-text checks every rule file meets);
   - size limits: a file over :data:`MAX_FILE_BYTES` is refused unread (GOV.UK's is
     about 35 kB);
   - the full calendar check on the result (:func:`check_result`): the file it would
     write is read and checked exactly as ``procedures check`` reads it (schema, rule
     text, date order, no weekend date, every regular bank holiday of every covered
     year, :mod:`macros.rules.checks.calendar`);
   - against the current file (:func:`history_problems`): a holiday dated before the
     download may not appear or vanish (GOV.UK does not change the past; an edited or
     truncated file does), and a regular holiday's name (Easter Monday, Boxing Day...)
     may only title its own date, so a day removed and another invented in its place
     is refused even when the count of days per year still holds. One-off holidays
     announced for the future are taken from GOV.UK's file and printed.

The deadline calculator refuses any deadline that needs a date after ``covers_to``;
refreshing extends it.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from macros.rules import ruletext, yamlsource
from macros.rules.checker import Checker
from macros.rules.checks.calendar import check_calendar, regular_bank_holidays
from macros.rules.schemas import schema_problems

DIVISION = "england-and-wales"
MIN_PER_YEAR = 8      # New Year, Good Friday, Easter Monday, Early May, Spring, Summer, Christmas, Boxing Day
MAX_FILE_BYTES = 1_000_000   # GOV.UK's bank-holidays.json is about 35 kB (three divisions, 2019-2027)
MAX_TITLE = 120              # GOV.UK's longest title is 56 characters ("Bank holiday for the State Funeral ...")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_EXAMPLE = '{"title": "Easter Monday", "date": "2026-04-06", "notes": "", "bunting": true}'
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/calendar.schema.json"
HEADER = [
    SCHEMA_LINE,
    "# England and Wales bank holidays: the calendar the deadline calculator counts working days with.",
    "# Do not edit by hand: refresh from a downloaded copy of https://www.gov.uk/bank-holidays.json with",
    "#   make refresh-calendar FILE=path/to/bank-holidays.json",
    "#   (or: procedures refresh-calendar path/to/bank-holidays.json)",
    "# The calculator refuses any deadline that needs a date after covers_to.",
]


class RefreshError(ValueError):
    """The GOV.UK file or the merge is not usable; the message says why."""


def parse_govuk(data: dict, division: str = DIVISION) -> list[dict]:
    """GOV.UK's JSON (already parsed) -> ``[{"date", "title"}]`` for one division, sorted.

    >>> parse_govuk({"england-and-wales": {"division": "england-and-wales", "events": [
    ...     {"title": "Boxing Day", "date": "2026-12-28", "notes": "Substitute day", "bunting": True},
    ...     {"title": "Christmas Day", "date": "2026-12-25", "notes": "", "bunting": True}]}})
    [{'date': '2026-12-25', 'title': 'Christmas Day'}, {'date': '2026-12-28', 'title': 'Boxing Day (substitute day)'}]
    """
    if not isinstance(data, dict) or division not in data:
        found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        raise RefreshError(f"no {division!r} division in the file (found: {found}); "
                           "is this GOV.UK's bank-holidays.json?")
    events = data[division].get("events") if isinstance(data[division], dict) else None
    if not isinstance(events, list) or not events:
        raise RefreshError(f"the {division!r} division has no events")
    out, seen = [], set()
    for i, ev in enumerate(events):
        where = f"event {i} of {division!r}"
        if not isinstance(ev, dict) or "date" not in ev or "title" not in ev:
            raise RefreshError(f"{where} is not a date and title: {_short(ev)}; valid example: {DATE_EXAMPLE}")
        day = real_date(ev["date"])
        if day is None:
            raise RefreshError(f"{where}: the date {_short(ev['date'])} is not a real day written as a "
                               f"\"YYYY-MM-DD\" string; valid example: {DATE_EXAMPLE}")
        title = _plain(ev["title"], f"{where} ({day.isoformat()}): the title")
        notes = _plain(ev.get("notes") or "", f"{where} ({day.isoformat()}): the notes")
        if notes and notes.lower() not in title.lower():
            title = f"{title} ({notes[0].lower()}{notes[1:]})"
        if day.isoformat() in seen:
            raise RefreshError(f"{day.isoformat()} is listed twice in {division!r}")
        seen.add(day.isoformat())
        out.append({"date": day.isoformat(), "title": title})
    return sorted(out, key=lambda h: h["date"])


def real_date(value) -> _dt.date | None:
    """``value`` as a date when it is a string ``YYYY-MM-DD`` naming a real day; None otherwise.

    >>> real_date("2026-04-06"), real_date(20260406), real_date("2026-W15-1"), real_date("2027-02-29")
    (datetime.date(2026, 4, 6), None, None, None)
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}... ({len(text):,} characters)"


def _plain(value, what: str) -> str:
    """A title or note: plain one-line text, as every one-line field of rules/ must be."""
    example = 'valid example: "Boxing Day"'
    if not isinstance(value, str):
        raise RefreshError(f"{what} {_short(value)} is not text; {example}")
    value = value.strip()
    if len(value) > MAX_TITLE:
        raise RefreshError(f"{what} is {len(value):,} characters long, more than {MAX_TITLE}: GOV.UK's titles are "
                           f"short names; {example}")
    found = ruletext.character_problems(value, one_line=True) + ruletext.problems(value)
    if found:
        raise RefreshError(f"{what} {_short(value)}: {found[0][0]}; {example}")
    return value


def _years(holidays: list[dict]) -> set[int]:
    return {int(h["date"][:4]) for h in holidays}


def merge(current: list[dict], fresh: list[dict]) -> list[dict]:
    """The fresh years replace the current ones; current years the fresh list lacks stay.

    Raises :class:`RefreshError` if a year of the fresh list has fewer than 8 days (an
    incomplete file), if the result would leave a gap of years, or drop years after the
    fresh list's last one (an older file than the calendar's).
    """
    fresh_years = _years(fresh)
    if not fresh_years:
        raise RefreshError("the GOV.UK file lists no bank holidays")
    short = sorted(y for y in fresh_years if sum(h["date"].startswith(f"{y}-") for h in fresh) < MIN_PER_YEAR)
    if short:
        raise RefreshError(f"the GOV.UK file has fewer than {MIN_PER_YEAR} bank holidays for "
                           f"{', '.join(map(str, short))}; England and Wales have at least {MIN_PER_YEAR} a year, "
                           "so the file looks incomplete. Nothing was changed.")
    later = sorted(y for y in _years(current) if y > max(fresh_years))
    if later:
        raise RefreshError(f"the calendar already covers {', '.join(map(str, later))}, which the GOV.UK file "
                           f"does not list: is the file older than the calendar? Nothing was changed.")
    kept = [h for h in current if int(h["date"][:4]) not in fresh_years]
    result = sorted(kept + [dict(h) for h in fresh], key=lambda h: h["date"])
    years = sorted(_years(result))
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        raise RefreshError(f"no bank holidays for {', '.join(map(str, missing))}: the covered years must be "
                           "contiguous. Nothing was changed.")
    return result


def coverage(holidays: list[dict]) -> tuple[str, str]:
    """``(covers_from, covers_to)``: 1 January of the first year, 31 December of the last."""
    years = _years(holidays)
    return f"{min(years)}-01-01", f"{max(years)}-12-31"


def diff(old: list[dict], new: list[dict]) -> list[str]:
    """Human-readable changes: ``"added 2029-12-25 Christmas Day"``, ``"retitled ..."``, ``"removed ..."``."""
    a = {h["date"]: h["title"] for h in old}
    b = {h["date"]: h["title"] for h in new}
    out = []
    for d in sorted(set(a) | set(b)):
        if d not in a:
            out.append(f"added {d} {b[d]}")
        elif d not in b:
            out.append(f"removed {d} {a[d]}")
        elif a[d] != b[d]:
            out.append(f"retitled {d}: {a[d]!r} -> {b[d]!r}")
    return out


def source_text(fresh: list[dict], merged: list[dict], retrieved: str) -> str:
    """The ``source`` value after a refresh: where each range of years came from."""
    f_from, f_to = min(_years(fresh)), max(_years(fresh))
    m_from = min(_years(merged))
    text = (f"GOV.UK England and Wales bank holidays, https://www.gov.uk/bank-holidays.json (division "
            f"\"england-and-wales\"), downloaded {retrieved}: the years {f_from}-{f_to}, written by "
            f"procedures refresh-calendar. Substitute days are titled \"(substitute day)\" as on GOV.UK's page.")
    if m_from < f_from:
        text += (f" The years {m_from}-{f_from - 1}, which GOV.UK's file no longer lists, are kept from the "
                 f"earlier copy (compiled from GOV.UK's list and cross-checked against the python-holidays package).")
    return text


def _yaml_string(s: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(s, ensure_ascii=False)


def render(calendar: dict) -> str:
    """The YAML text of a calendar ``{"source", "retrieved", "covers_from", "covers_to", "holidays"}``.

    Written by hand in one fixed layout, one holiday a line (so a refresh diffs line by line).
    """
    lines = list(HEADER)
    lines.append(f"source: {_yaml_string(calendar['source'])}")
    lines.append(f"retrieved: {calendar['retrieved']}")
    lines.append(f"division: {calendar.get('division', DIVISION)}")
    lines.append(f"covers_from: {calendar['covers_from']}")
    lines.append(f"covers_to: {calendar['covers_to']}")
    lines.append("holidays:")
    for h in calendar["holidays"]:
        lines.append(f"  - {{date: {h['date']}, title: {_yaml_string(h['title'])}}}")
    return "\n".join(lines) + "\n"


_LINE = re.compile(r"^\s*-\s*\{\s*date:\s*(\d{4}-\d{2}-\d{2})\s*,\s*title:\s*(\".*\")\s*\}\s*$")
_KEY = re.compile(r"^(source|retrieved|division|covers_from|covers_to):\s*(.*)$")


def read_calendar_yaml(text: str) -> dict:
    """Read back a file in :func:`render`'s layout (no YAML library needed).

    Raises :class:`RefreshError` on any line it does not recognise, rather than
    lose a holiday someone added in another layout.
    """
    out: dict = {"holidays": []}
    in_holidays = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if in_holidays:
            m = _LINE.match(line)
            if not m:
                raise RefreshError(f"line {n} is not '  - {{date: YYYY-MM-DD, title: \"...\"}}': {line!r}")
            out["holidays"].append({"date": m.group(1), "title": json.loads(m.group(2))})
            continue
        if line.strip() == "holidays:":
            in_holidays = True
            continue
        m = _KEY.match(line)
        if not m:
            raise RefreshError(f"line {n} is not in the calendar file's layout: {line!r}")
        value = m.group(2).strip()
        out[m.group(1)] = json.loads(value) if value.startswith('"') else value
    return out


def refresh(current_text: str | None, govuk: dict, retrieved: str,
            out: str = "rules/calendar/england-and-wales.yaml") -> tuple[str, list[str]]:
    """The new file text and the list of changes. ``current_text`` None = no file yet.

    Raises :class:`RefreshError` unless the result passes every check (module docstring, 5)."""
    if real_date(retrieved) is None:
        raise RefreshError(f"--retrieved {retrieved!r} is not a date written YYYY-MM-DD; valid example: "
                           "--retrieved 2026-11-23")
    current = read_calendar_yaml(current_text) if current_text else {"holidays": []}
    fresh = parse_govuk(govuk)
    merged = merge(current["holidays"], fresh)
    covers_from, covers_to = coverage(merged)
    if current.get("covers_to") and covers_to < current["covers_to"]:
        raise RefreshError(f"covers_to would shrink from {current['covers_to']} to {covers_to}. Nothing was changed.")
    calendar = {"source": source_text(fresh, merged, retrieved), "retrieved": retrieved, "division": DIVISION,
                "covers_from": covers_from, "covers_to": covers_to, "holidays": merged}
    text = render(calendar)
    problems = history_problems(current["holidays"], merged, retrieved) + check_result(text, out)
    if problems:
        raise RefreshError("the calendar this file would give does not pass the calendar check, so nothing "
                           "was changed:\n" + "\n".join(f"  {p}" for p in problems))
    return text, diff(current["holidays"], merged)


def check_result(text: str, shown: str = "rules/calendar/england-and-wales.yaml") -> list[str]:
    """Every problem ``procedures check`` would find in a calendar file holding ``text``
    (``shown`` is its name in the messages): read strictly, its schema, the rule-text checks
    of every string, and :func:`macros.rules.checks.calendar.check_calendar`."""
    doc, problems = yamlsource.read(text, shown)
    if doc is None:
        return [str(p) for p in problems]
    problems += schema_problems(doc, "calendar") + ruletext.text_problems(doc, "calendar")
    checker = Checker(Path(shown).parent, {})
    check_calendar(checker, doc)
    return [str(p) for p in problems + checker.problems]


def _regular_dates(year: int) -> dict[str, str]:
    return {title: d.isoformat() for d, title in regular_bank_holidays(year)}


def history_problems(old: list[dict], new: list[dict], retrieved: str) -> list[str]:
    """What the refresh would change that GOV.UK's data cannot mean (see the module docstring).

    - a holiday of the current file dated before ``retrieved`` and missing from the result, or
      one dated before ``retrieved`` in a year the current file covers and not listed there:
      the past does not change;
    - a day titled with a regular holiday's name ("Easter Monday", "Christmas Day (substitute
      day)") on a day that is none of its year's regular holidays: invented (the royal moves of
      2020 and 2022 are known to :func:`regular_bank_holidays`; Christmas and Boxing Day may
      swap substitute days, as in 2022, so any regular day of the year will do).
    """
    out = []
    before = {h["date"]: h["title"] for h in old}
    after = {h["date"]: h["title"] for h in new}
    old_years = _years(old)
    for d in sorted(set(before) - set(after)):
        if d < retrieved:
            out.append(f"{d} {before[d]} would be removed, but it is before the download ({retrieved}): GOV.UK does "
                       "not remove a bank holiday that has passed. Is the file complete and GOV.UK's own?")
    for d in sorted(set(after) - set(before)):
        if d < retrieved and int(d[:4]) in old_years:
            out.append(f"{d} {after[d]} would be added, but it is before the download ({retrieved}) in a year the "
                       "calendar already lists: GOV.UK announces a bank holiday in advance. Is the file GOV.UK's own?")
    names = ("New Year", "Good Friday", "Easter Monday", "Early May", "Spring bank", "Summer bank",
             "Christmas Day", "Boxing Day")
    for h in new:
        regular = _regular_dates(int(h["date"][:4]))
        name = next((n for n in names if h["title"].startswith(n)), None)
        if name and h["date"] not in regular.values():
            title = next(t for t in regular if t.startswith(name))
            out.append(f"{h['date']} is titled {h['title']!r}, but {title} {h['date'][:4]} is {regular[title]}: "
                       "a regular bank holiday's name on another day is not GOV.UK's")
    return out


def write_atomically(path: Path, text: str) -> None:
    """``text`` to ``path`` through a temporary file in the same folder, renamed over ``path``:
    a reader (or a build) sees the old file or the new one, never half of one, and a failed
    write leaves the old file as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:   # the I/O shell
    p = argparse.ArgumentParser(prog="procedures refresh-calendar", description=__doc__.split("\n\n")[0])
    p.add_argument("file", help="GOV.UK bank-holidays.json, downloaded")
    p.add_argument("--out", default="rules/calendar/england-and-wales.yaml")
    p.add_argument("--retrieved", default=_dt.date.today().isoformat(),
                   help="the date the file was downloaded (default: today)")
    p.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    args = p.parse_args(argv)
    try:
        size = os.path.getsize(args.file)
        if size > MAX_FILE_BYTES:
            print(f"error: {args.file} is {size:,} bytes, more than {MAX_FILE_BYTES:,}: GOV.UK's bank-holidays.json "
                  "is about 35 kB, so this is not it. Nothing was changed.", file=sys.stderr)
            return 2
        with open(args.file, encoding="utf-8") as fh:
            govuk = json.load(fh)
    except (OSError, ValueError, RecursionError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        with open(args.out, encoding="utf-8") as fh:
            current = fh.read()
    except FileNotFoundError:
        current = None
    try:
        text, changes = refresh(current, govuk, args.retrieved, args.out)
    except (RefreshError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in changes or ["no change to the holidays"]:
        print(line)
    if args.dry_run:
        return 0
    try:
        write_atomically(Path(args.out), text)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc}. Nothing was changed.", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":   # pragma: no cover
    sys.exit(main())
