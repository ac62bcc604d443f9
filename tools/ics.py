"""iCalendar (RFC 5545) export of a deadline result, for Outlook and other calendars.

:func:`to_ics` takes what :func:`tools.deadlines.deadlines_for` (or
:func:`tools.timeline.timeline`) returns and gives the text of an ``.ics`` file:

* one **all-day** ``VEVENT`` per dated deadline (``DTSTART;VALUE=DATE`` and the
  next day as ``DTEND``), and one per dated further occurrence of a repeating rule;
* hour-based deadlines are **timed** events written in **UTC**
  (``DTSTART:20270328T100000Z``, from the row's ``due_utc``): an exact instant with
  no time-zone definition to get wrong, which calendar programs show in local time
  (11:00 BST here). UTC also keeps the two 01:30s of an autumn night apart;
* rows with no date (refused, or an hours rule without a time) are left out, and so
  are the rows of a timeline already **done**;
* a **conditional** step (``applies_if``) not known to apply is entered with its condition:
  the summary starts "If ..." and the description says it applies only then, with the source;
* an **earliest-of / latest-of** rule's description gives each part's date and which was taken;
* a days, weeks or months deadline that falls on a weekend, bank holiday or closure
  day is entered on its **latest working day** (the row's ``latest_working_day``),
  and the description gives the rule's own date and says why;
* ``UID`` is stable: built from area, event, event date, timescale id and the
  occurrence number, so re-importing the same answer updates rather than duplicates;
* no personal data: only what the result holds (area, event, dates, rules).
  Nothing about a child or family is ever in a result;
* text is escaped (``\\``, ``;``, ``,``, newlines) and lines are folded at 75
  octets without splitting a UTF-8 character; lines end with CRLF.

``dtstamp`` (required by RFC 5545) defaults to the current UTC time; pass one for
reproducible output.
"""
from __future__ import annotations

import datetime as _dt

from . import wording
from .wording import long_date

PRODID = "-//Children's social care procedures//Deadline calculator//EN"


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: ``a,b;c\\d`` + newline -> ``a\\,b\\;c\\\\d\\n``.

    >>> escape_text("Line 1, part; two\\nLine 2")
    'Line 1\\\\, part\\\\; two\\\\nLine 2'
    """
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str, limit: int = 75) -> str:
    """Fold one content line into lines of at most ``limit`` octets (CRLF + space).

    Never splits a multi-byte UTF-8 character; continuation lines start with a
    space, which counts towards their length.
    """
    out, current, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out)


def _words(day: str) -> str:
    return long_date(_dt.date.fromisoformat(day[:10]))


def _compact(at: str) -> str:
    return at.replace("-", "").replace(":", "")


def uid(area: str, event: str, at: str, timescale_id: str, occurrence: int = 1,
        domain: str = "deadline-calculator") -> str:
    """``national.icpc.20261130.national-core-group-first.2@deadline-calculator``."""
    return f"{area}.{event}.{_compact(at)}.{timescale_id}.{occurrence}@{domain}"


def _stamp(dtstamp) -> str:
    if dtstamp is None:
        dtstamp = _dt.datetime.now(_dt.UTC)
    if dtstamp.tzinfo is not None:
        dtstamp = dtstamp.astimezone(_dt.UTC).replace(tzinfo=None)
    return dtstamp.strftime("%Y%m%dT%H%M%SZ")


def _when(due: str, due_utc: str | None) -> list[str]:
    if "T" in due:
        if not due_utc:
            raise ValueError(f"timed deadline {due} has no due_utc")
        utc = _dt.datetime.strptime(due_utc, "%Y-%m-%dT%H:%MZ")
        return [f"DTSTART:{utc:%Y%m%dT%H%M%S}Z"]
    day = _dt.date.fromisoformat(due)
    nxt = day + _dt.timedelta(days=1)
    return [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{nxt:%Y%m%d}"]


def _vevent(row: dict, due: str, due_utc, warnings, n: int, area: str, event: str, at: str,
            event_label: str, stamp: str, base_url: str | None, domain: str, latest: str | None = None) -> list[str]:
    src = row.get("source") or {}
    cite = wording.cite(src)
    lines = [f"{row['rule']}."]
    if latest:
        lines.append(f"The rule's date is {_words(due)}, which is not a working day: this entry is on the "
                     f"latest working day before it, {_words(latest)}.")
        due = latest
    if row.get("parts"):
        lines.append("; ".join(f"{wording.amount_words(p['amount'], p['unit'])}: {_words(p['due'])}"
                               for p in row["parts"]) + f"; whichever is {row['whichever']}: {_words(row['due'])}.")
    cond = _condition(row)
    if cond:
        lines.append(f"{cond['text']}: this step applies only then, and that is not recorded in this answer"
                     + (f" (source: {wording.cite(cond['source'])})." if cond.get("source") else "."))
    if n > 1:
        lines.append(f"Occurrence {n} of a repeating rule (each counted from the previous due date).")
    lines.append(f"Counted from: {event_label}, {at}.")
    if cite:
        lines.append(f"Source: {cite}.")
    if row.get("notes"):
        lines.append(f"Note: {row['notes']}")
    lines += [f"Warning: {w}" for w in warnings]
    summary = f"Due: {row['label']}" + (f" (occurrence {n})" if n > 1 else "")
    if cond:
        summary = f"{cond['text']}: {row['label']}" + (f" (occurrence {n})" if n > 1 else "")
    props = ["BEGIN:VEVENT", f"UID:{uid(area, event, at, row['id'], n, domain)}", f"DTSTAMP:{stamp}"]
    props += _when(due, due_utc)
    props += [f"SUMMARY:{escape_text(summary)}", f"DESCRIPTION:{escape_text(chr(10).join(lines))}"]
    if base_url and src.get("url"):
        props.append(f"URL:{base_url.rstrip('/')}/{src['url']}")
    props += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return props


def _condition(row: dict) -> dict | None:
    """The condition of a conditional step not known to be met (its ``applies_if``), else None."""
    cond = row.get("applies_if")
    return cond if cond and not row.get("condition_met") else None


def to_ics(result: dict, bundle: dict | None = None, dtstamp: _dt.datetime | None = None,
           base_url: str | None = None, domain: str = "deadline-calculator",
           calendar_name: str | None = None) -> str:
    """The ``.ics`` text for a :func:`deadlines_for` or :func:`timeline` result.

    ``bundle`` (optional) supplies the event's label for the descriptions;
    ``base_url`` (optional, e.g. ``"https://procedures.example.org"``) adds a
    ``URL`` to the cited section.
    """
    stamp = _stamp(dtstamp)
    area = result["area"]
    events = (bundle or {}).get("events", {})
    name = calendar_name or "Deadlines"
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
           f"X-WR-CALNAME:{escape_text(name)}"]
    for row in result["deadlines"]:
        event = row.get("from_event", result.get("event"))
        at = row.get("from_at", result.get("at"))
        label = events.get(event, {}).get("label", event)
        if row.get("status") == "done":
            continue
        if row.get("due"):
            out += _vevent(row, row["due"], row.get("due_utc"), row.get("warnings", []), 1,
                           area, event, at, label, stamp, base_url, domain, row.get("latest_working_day"))
        for occ in row.get("occurrences") or []:
            if occ.get("due"):
                out += _vevent(row, occ["due"], occ.get("due_utc"), occ.get("warnings", []), occ["n"],
                               area, event, at, label, stamp, base_url, domain, occ.get("latest_working_day"))
    out.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in out)
