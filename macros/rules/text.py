"""How rule values read in a sentence: amounts, units, numbers in words, phone links.

Shared by the page macros and the faithfulness check, so both render a timescale
exactly the same way.
"""
from __future__ import annotations

from tools import wording
from tools.wording import UNIT_WORDS, number_words
from tools.wording import amount_words as amount_text  # "15 working days": one wording for pages and calculator

__all__ = ["amount_text", "number_words", "rule_words", "tel_href", "ts_text"]


def rule_words(t: dict, events: dict) -> str:
    """The rule in words, exactly as the deadline calculator words it."""
    return wording.rule_words(t, events[t["event"]])


def tel_href(number: str) -> str:
    """ "024 76 78 8555" -> "tel:+442476788555"; "999" -> "tel:999"."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if digits.startswith("0") and len(digits) > 6:
        digits = "+44" + digits[1:]
    return f"tel:{digits}"


def ts_text(t: dict, form: str = "full") -> str:
    """How ``{{ ts(id, form) }}`` reads: "7 working days", "7", "seven", "working days", "6 weeks", ..."""
    rec = t.get("recurrence") or {}
    if t.get("or"):       # "3 months or 20 working days, whichever is sooner": one amount alone would misstate it
        if form != "full" and form not in ("every", "every_amount", "every_words"):
            raise ValueError(f"timescale '{t['id']}' is 'whichever is {t['whichever']}' of several parts, so "
                             f"ts('{t['id']}', '{form}') cannot show one amount: use ts('{t['id']}')")
        if form == "full":
            return " or ".join(amount_text(x["amount"], x["unit"]) for x in [t] + list(t["or"])) + \
                f", whichever is {t['whichever']}"
    if form in ("every", "every_amount", "every_words") and not rec:
        raise ValueError(f"timescale '{t['id']}' has no recurrence, so ts('{t['id']}', '{form}') has nothing to show")
    return {
        "full": lambda: amount_text(t["amount"], t["unit"]),
        "amount": lambda: str(t["amount"]),
        "words": lambda: number_words(t["amount"]),
        "unit": lambda: UNIT_WORDS[t["unit"]][t["amount"] != 1],
        "every": lambda: amount_text(rec["every"], rec["unit"]),
        "every_amount": lambda: str(rec["every"]),
        "every_words": lambda: number_words(rec["every"]),
    }[form]()
