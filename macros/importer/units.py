"""How a document writes an amount of time, read into ``(amount, unit, direction)``.

The rules (each a regular expression below; case never matters):

- **amounts** are digits ("7", "48") or words from "one" to "twenty" ("one working day",
  "fifteen working days", "twelve months"); "a"/"an" are not amounts ("within a week"
  is too loose to be a rule, and "an hour" rarely a deadline).
- **units**: "working day(s)" (also "working-day") -> ``working_days``; "day(s)",
  "calendar day(s)" -> ``days``; "week(s)" -> ``weeks``; "month(s)" -> ``months``;
  "hour(s)" -> ``hours``. The amount and its unit may be joined with a hyphen
  ("12-month period") or written together ("24hours": a typing slip the page keeps).
- **direction**: an amount followed by "before", "prior to" or "in advance of" is due
  *before* its event ("at least 2 working days before the conference"); "within a
  12-month period" is a look-back window, also *before* the event it is counted back
  from; every other amount ("within 7 working days of", "no later than", "no longer
  than", "up to", "after 4 weeks", "at least every 6 weeks") is due *after* its event.
- **repeats**: "every 6 weeks", "at (maximum) intervals of (no more than) 6 months",
  "6-weekly", "6 weekly", "on a 3 monthly basis": an interval, not a deadline on its own.
- **conditions, not deadlines**: an amount after "less than", "fewer than", "more than"
  (but not "no less than", "not more than": those are limits), "over", "under" or
  "aged", or before "or more", "or longer", "old" ("in hospital for three months or
  more", "the last assessment was less than 7 days before", "those that do so over 10
  days") says when something applies, not when something is due: :func:`is_condition`.
- **the same day**: "by (the) end of (the) day" and "the same (working) day" are 0 days
  after the event: no number to replace, so the page keeps the words.
"""
from __future__ import annotations

import re

from macros.rules.text import number_words

WORDS = {number_words(n): n for n in range(1, 21)}
NUM = r"(?P<amount>\d{1,3}|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
UNIT = r"(?P<unit>working[\s-]+days?|calendar\s+days?|days?|weeks?|months?|hours?)"
SEP = r"(?P<sep>\s*|-)"
UNITS = {"working": "working_days", "calendar": "days", "weekly": "weeks", "monthly": "months", "day": "days",
         "days": "days", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months", "hour": "hours",
         "hours": "hours"}

RECURRENCE = re.compile(r"(?:\bevery|\bintervals\s+of(?:\s+(?:no|not)\s+more\s+than)?|\bmaximum\s+intervals\s+of)\s+"
                        + NUM + SEP + UNIT + r"|\b" + NUM.replace("amount", "amount2")
                        + r"[\s-](?P<unit2>weekly|monthly)\b", re.I)
BEFORE = re.compile(r"\b" + NUM + SEP + UNIT + r"\s+(?:before|prior\s+to|in\s+advance\s+of)\b", re.I)
WINDOW = re.compile(r"\bwithin\s+an?\s+" + NUM + SEP + UNIT + r"\s+period\b", re.I)
AFTER = re.compile(r"\b" + NUM + SEP + UNIT + r"\b", re.I)
SAME_DAY = re.compile(r"\bby\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:working\s+)?day\b|\bthe\s+same\s+(?:working\s+)?day\b",
                      re.I)
EITHER = re.compile(r"whichever\s+is\s+(?:the\s+)?(sooner|earlier|earliest|later|latest)", re.I)


def unit_of(text: str) -> str:
    """ "working days" -> working_days, "Calendar days" -> days, "weekly" -> weeks, "hours" -> hours."""
    return UNITS[text.lower().split()[0].split("-")[0]]


def amount_of(text: str) -> int:
    """ "15" -> 15, "fifteen" -> 15, "One" -> 1."""
    return int(text) if text.isdigit() else WORDS[text.lower()]


CONDITION_BEFORE = re.compile(r"(?:(?<!\bno\s)(?<!\bnot\s)\b(?:less|fewer|more)\s+than|\bover|\bunder|\baged?)\s+$",
                              re.I)
CONDITION_AFTER = re.compile(r"^\s+(?:or\s+(?:more|longer|over)|old)\b", re.I)


def is_condition(text: str, m: re.Match) -> bool:
    """Whether the amount ``m`` in ``text`` is a condition or a duration, not a deadline (see above)."""
    return bool(CONDITION_BEFORE.search(text[max(0, m.start() - 20):m.start()])
                or CONDITION_AFTER.match(text[m.end("unit"):]))


def amounts_in(text: str) -> list[tuple[re.Match, str]]:
    """Every deadline amount in ``text`` with its direction, in order of place: "before" for
    "N units before / prior to / in advance of" and "within a N-unit period"; "after" for any
    other "N units" (a repeat's own "every N units" is left to :data:`RECURRENCE`)."""
    found = [(m, "before") for m in BEFORE.finditer(text)] + [(m, "before") for m in WINDOW.finditer(text)]
    for m in AFTER.finditer(text):
        if not any(f.start() <= m.start() < f.end() for f, _ in found):
            found.append((m, "after"))
    repeats = [r.span() for r in RECURRENCE.finditer(text)]
    return sorted(((m, d) for m, d in found if not any(s <= m.start() < e for s, e in repeats)),
                  key=lambda x: x[0].start())
