"""Numbers typed into procedure text: every timescale and phone number on a page comes from the rules.

The rule: a block's text (and each of its "who does what" actions) may not hold a
timescale typed as words ("45 working days", "within 15 working days", "one working
day", "48 hours", "6 months") or a UK telephone number ("024 7678 8555",
"01905 768054", "+44 1733 234724"): each is refused with its file, line and key and the
macro that writes it (``{{ ts('...') }}`` from ``timescales/<area>.yaml``,
``{{ phone('...') }}`` from ``contacts/<area>.yaml``). Text inside a macro call is not
read (the macro is the rule).

The one way to keep a typed number, visible and cited: the block's ``typed:`` list, one
entry per phrase with its exact ``words`` and ``why`` (a quotation of the source stating
a number that is not a timescale of the rules, or a rule deliberately shown as quoted).
The block's ``cite`` is the citation. An entry whose words are not in the block's text
is refused too (a stale allowance would hide the next typed number). Words are compared
ignoring case and spacing.

Edge cases: "12-month period" (hyphenated, an adjective) and "2013" (a year) are not
timescales; a number of 1 to 3 digits or a number word (one to twenty, "forty-eight",
"twenty-four") followed by a unit is. Phone numbers need the trunk 0 or +44 and 10 or 11
digits in all, so case numbers and dates are not read as phones.
"""
from __future__ import annotations

import re

from macros.rules.ruletext import MACRO

WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
         "seventeen|eighteen|nineteen|twenty-four|forty-eight|twenty")
TIMESCALE = re.compile(r"\b(?:\d{1,3}|" + WORDS + r")\s+(?:working\s+days?|calendar\s+days?|days?|weeks?|months?"
                       r"|hours?)\b", re.I)
PHONE = re.compile(r"(?<![\w/])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d/])")


def _key(words: str) -> str:
    return " ".join(words.lower().split())


def _digits(phone: str) -> int:
    return len(re.sub(r"\D", "", phone.replace("+44", "0")))


def typed_numbers(text: str) -> list[tuple[str, str]]:
    """(kind, words) of every timescale or phone typed in ``text`` outside macro calls."""
    plain = MACRO.sub(" ", text)
    found = [("timescale", m.group(0)) for m in TIMESCALE.finditer(plain)]
    found += [("phone", m.group(0)) for m in PHONE.finditer(plain) if _digits(m.group(0)) in (10, 11)]
    return found


def _blocks(sections, path):
    for i, s in enumerate(sections or []):
        for j, b in enumerate(s.get("blocks", []) or []):
            if isinstance(b, dict):
                yield path + (i, "blocks", j), b
        yield from _blocks(s.get("sections"), path + (i, "sections"))


def _texts(block, path):
    if isinstance(block.get("text"), str):
        yield path + ("text",), block["text"]
    for k, w in enumerate(block.get("who") or []):
        for n, action in enumerate(w.get("actions") or [] if isinstance(w, dict) else []):
            if isinstance(action, str):
                yield path + ("who", k, "actions", n), action


def check_typed(ck):
    for _rel, doc in ck.of_kind("procedure"):
        check_typed_file(ck, doc)


def check_typed_file(ck, doc):
    """One procedure file's typed numbers: its own text only (the preview's check reuses the
    answer for a file that did not change: ``macros.rules.incremental``)."""
    if isinstance(doc.data, dict):
        for bpath, block in _blocks(doc.data.get("sections"), ("sections",)):
            allowed = {_key(t.get("words", "")): n for n, t in enumerate(block.get("typed") or [])
                       if isinstance(t, dict)}
            used = set()
            for path, text in _texts(block, bpath):
                for kind, words in typed_numbers(text):
                    if _key(words) in allowed:
                        used.add(_key(words))
                    elif kind == "timescale":
                        ck.problem(doc, path, f"typed timescale '{words}': every timescale on a page comes from "
                                   "rules/timescales/<area>.yaml through its macro",
                                   "within {{ ts('national-assessment-complete') }} (or {{ ts('ID', 'words') }} "
                                   "working day); a quotation that is not a rule: list it under the block's "
                                   "typed: with words and why")
                    else:
                        ck.problem(doc, path, f"typed phone number '{words}': phone numbers come from "
                                   "rules/contacts/<area>.yaml through their macro",
                                   "{{ phone('coventry-ras') }} (add the number to the contact's phones: first)")
            for words, n in allowed.items():
                if words not in used:
                    ck.problem(doc, bpath + ("typed", n, "words"), f"'{words}' is listed as typed but is not "
                               "typed in this block's text: delete the entry (or fix its words)",
                               "typed: [{words: '7 days', why: 'the source compares two assessments; not a "
                               "timescale of the rules'}]")
