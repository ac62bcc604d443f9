"""How rule values read in words: dates, amounts, events, citations, layers, document status.

One module for every phrase the engines, the pages and the command line share, so a
date or a citation reads the same wherever it is shown. Pure standard library.

Dates (GOV.UK style, no leading zero, the weekday in full where a practitioner acts on it):

>>> import datetime as dt
>>> long_date(dt.date(2026, 12, 24))
'Thursday 24 December 2026'
>>> when_text(dt.datetime(2026, 12, 23, 16, 45))
'16:45 on Wednesday 23 December 2026'
>>> due_text("2027-03-28T11:00"), due_text(None)
('11:00 on Sunday 28 March 2027', 'Not calculated')
>>> short_date("2026-12-23"), short_date("2026-12-23T16:45")
('23 December 2026', '16:45 on 23 December 2026')
>>> compact_date("2026-12-23T16:45")
'Wed 23 Dec 2026 16:45'

Amounts and rules:

>>> amount_words(15, "working_days"), amount_words(1, "hours")
('15 working days', '1 hour')
>>> rule_words({"amount": 6, "unit": "weeks", "direction": "after",
...             "recurrence": {"every": 6, "unit": "weeks"}}, {"phrase": "the plan is agreed"})
'6 weeks after the plan is agreed, then every 6 weeks after the previous one'

Citations ("document, section") and layers:

>>> cite({"document": "Coventry Thresholds 2013", "section": "Section 47"})
'Coventry Thresholds 2013, Section 47'
>>> cite({"document": "Dudley FAQ"})
'Dudley FAQ'
>>> layer_text({"areas": {"dudley": {"name": "Dudley"}}}, "dudley"), layer_text({}, "national")
('Local (Dudley)', 'National')
"""
from __future__ import annotations

import datetime as _dt

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

UNIT_WORDS = {"working_days": ("working day", "working days"), "days": ("day", "days"),
              "weeks": ("week", "weeks"), "months": ("month", "months"), "hours": ("hour", "hours")}

# The publication status of a source document: in a sentence, and as a label on its own.
STATUS_WORDS = {"current": "current", "historical": "historical", "superseded": "superseded",
                "unverified": "not verified as current"}
STATUS_LABELS = {"current": "Current", "historical": "Historical", "superseded": "Historical: superseded",
                 "unverified": "Not verified as current"}

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


# -- dates ----------------------------------------------------------------------------------------
def long_date(d: _dt.date) -> str:
    """``date(2026, 12, 24)`` -> ``"Thursday 24 December 2026"``."""
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def when_text(at: _dt.date | _dt.datetime) -> str:
    """A date as :func:`long_date`; a UK clock time as ``"16:45 on Wednesday 23 December 2026"``."""
    if isinstance(at, _dt.datetime):
        return f"{at:%H:%M} on {long_date(at.date())}"
    return long_date(at)


def on_when(at: _dt.date | _dt.datetime) -> str:
    """``"on Wednesday 23 December 2026"``; with a time, ``"at 16:45 on Wednesday 23 December 2026"``."""
    if isinstance(at, _dt.datetime):
        return f"at {at:%H:%M} on {long_date(at.date())}"
    return f"on {long_date(at)}"


def parse_iso(at: str) -> _dt.date | _dt.datetime:
    """``"2026-12-23"`` -> date, ``"2026-12-23T16:45"`` -> datetime (already-checked engine output)."""
    if "T" in at:
        return _dt.datetime.strptime(at[:16], "%Y-%m-%dT%H:%M")
    return _dt.date.fromisoformat(at)


def due_text(due: str | None) -> str:
    """An engine ``due`` value in words; ``None`` (refused) is ``"Not calculated"``."""
    if not due:
        return "Not calculated"
    return when_text(parse_iso(due))


def short_date(at: str) -> str:
    """``"2026-12-23"`` -> ``"23 December 2026"``; with a time, ``"16:45 on 23 December 2026"``."""
    day = _dt.date.fromisoformat(at[:10])
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{at[11:16]} on {text}" if "T" in at else text


def compact_date(at: str) -> str:
    """For tables in a terminal: ``"Wed 23 Dec 2026"``, ``"Wed 23 Dec 2026 16:45"``."""
    when = parse_iso(at)
    day = when.date() if isinstance(when, _dt.datetime) else when
    text = f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"
    return f"{text} {when:%H:%M}" if isinstance(when, _dt.datetime) else text


def ordinal(n: int) -> str:
    """1 -> "1st", 22 -> "22nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- amounts and rules ----------------------------------------------------------------------------
def amount_words(amount: int, unit: str) -> str:
    """``(15, "working_days")`` -> ``"15 working days"``; ``(1, "hours")`` -> ``"1 hour"``."""
    one, many = UNIT_WORDS[unit]
    return f"{amount} {one if amount == 1 else many}"


def number_words(n: int) -> str:
    """7 -> "seven", 24 -> "twenty-four", 45 -> "forty-five" (0-99; digits beyond)."""
    if n < 20:
        return _SMALL[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _SMALL[n % 10])
    return str(n)


def event_phrase(event: dict) -> str:
    """How an event reads after "after"/"before": its ``phrase`` if the bundle gives one,
    else its label with a lower-case first letter ("referral received")."""
    if event.get("phrase"):
        return event["phrase"]
    label = event.get("label") or event.get("id", "the event")
    words = label.split()
    # "Referral received" -> "referral received"; keep "Child in Need plan agreed", "CAF ...".
    if words and words[0][1:].islower() and not any(w[:1].isupper() for w in words[1:]):
        label = label[0].lower() + label[1:]
    return label


def rule_words(ts: dict, event: dict) -> str:
    """``"15 working days after strategy discussion or meeting held"``, with any repeat:
    ``"..., then every 6 weeks after the previous one"``."""
    phrase = event_phrase(event)
    if ts["amount"] == 0 and ts["unit"] == "days":
        # "0 days after the contact" is "on the day of the contact"
        text = ("on the day " + (f"of {phrase}" if phrase.startswith("the ") and len(phrase.split()) <= 3
                                 else phrase) if ts["direction"] == "after" else f"on the day before {phrase}")
    else:
        text = f"{amount_words(ts['amount'], ts['unit'])} {ts['direction']} {phrase}"
    if ts.get("or"):      # "3 months or 20 working days after the birth, whichever is sooner"
        amounts = " or ".join(amount_words(p["amount"], p["unit"]) for p in [ts] + list(ts["or"]))
        text = f"{amounts} {ts['direction']} {phrase}, whichever is {ts.get('whichever', 'sooner')}"
    rec = ts.get("recurrence")
    if rec:
        text += f", then every {amount_words(rec['every'], rec['unit'])} after the previous one"
    return text


def capitalised(text: str) -> str:
    """First letter upper case, the rest untouched: "date of referral" -> "Date of referral"."""
    return text[:1].upper() + text[1:]


# -- citations, layers, documents -----------------------------------------------------------------
def cite(source: dict | None) -> str:
    """A bundle ``source`` as it is cited: ``"Coventry Thresholds 2013, Section 47"``."""
    source = source or {}
    return ", ".join(x for x in (source.get("document"), source.get("section")) if x)


def layer_name(areas: dict, layer: str) -> str:
    """The layer a rule comes from, in a table column: ``"National"`` or the area's name."""
    return "National" if layer == "national" else areas.get(layer, {}).get("name", layer)


def layer_text(bundle: dict, layer: str) -> str:
    """Where a rule comes from, in a sentence: ``"National"`` or ``"Local (Dudley)"``."""
    name = layer_name(bundle.get("areas", {}), layer)
    return name if layer == "national" else f"Local ({name})"


def document_words(document: dict) -> str:
    """``"Working Together 2015, chapter 1 (March 2015, superseded)"``: the date in words, as
    :func:`record_date` (a practitioner never reads an ISO date)."""
    status = STATUS_WORDS.get(document.get("status", ""), document.get("status", ""))
    date = record_date(str(document["date"])) if document.get("date") else "undated"
    return f"{document.get('short') or document.get('title')} ({date}, {status})"


def phone_text(contact: dict) -> str:
    """``"Referral and Assessment Service: 024 76 78 8555"`` (every phone number, labelled)."""
    phones = [p["number"] + (f" ({p['label']})" if p.get("label") and p["label"] != "Telephone" else "")
              for p in contact.get("phones", [])]
    return contact["name"] + (": " + ", ".join(phones) if phones else "")


def record_date(at: str) -> str:
    """A date in a log as the source dates it: ``"2026-11-23"`` -> ``"23 November 2026"``,
    a month only ``"2015-03"`` -> ``"March 2015"``."""
    parts = [int(p) for p in at.split("-")]
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
