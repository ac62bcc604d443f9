"""Timescale candidates found in paragraph text, each replaced in the text by its ``ts()`` macro.

What is found (case does not matter; amounts in digits or words, "one" to "twenty"):

- "within 7 working days of ...", "within one working day", "within 48 hours",
  "no later than", "no longer than", "not more than", "up to", "at least 2 working days"
  followed by "before" / "prior to" (direction ``before``), any other "N <unit> of / after /
  from / following" (direction ``after``);
- repeats: "every 6 weeks", "at intervals of (no more than) 6 months", "6-weekly",
  "6 weekly": a repeat in the same sentence as a first timescale becomes its
  ``recurrence``; on its own it is a rule whose first occurrence is one interval after
  the event (as the hand-made Peterborough and Coventry rules read);
- "whichever is sooner / earlier / later": both amounts are kept as candidates and the
  report says the rule needs an earliest-of (or latest-of) rule, which a person writes.

Units: "working day(s)" -> ``working_days``; "day(s)", "calendar days" -> ``days``;
"week(s)", "month(s)", "hour(s)" as named. The event (what starts the clock) and the
step (what is due) are proposed from the words of the sentence (after the amount for
the event, before it for the step), from the vocabulary of rules/events.yaml; when no
word matches, the proposal says "guessed" and the report lists it first.

The phrase is replaced so the page reads exactly as the source: "7 working days" ->
``{{ ts('id') }}``; "one working day" -> ``{{ ts('id', 'words') }} working day``;
"6 calendar days" -> ``{{ ts('id', 'amount') }} calendar days``; "every 6 weeks" ->
``every {{ ts('id', 'every') }}``; "6-weekly" -> ``{{ ts('id', 'every_amount') }}-weekly``.
A phrase whose wording the macros cannot reproduce ("One working day" with a capital)
stays typed and is reported. Amounts above the checker's limits are reported, not
imported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from macros.rules.model import MAX_AMOUNT
from macros.rules.text import amount_text, number_words

WORDS = {number_words(n): n for n in range(1, 21)}
NUM = r"(?P<amount>\d{1,3}|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
UNIT = r"(?P<unit>working[\s-]+days?|calendar\s+days?|days?|weeks?|months?|hours?)"
UNITS = {"working": "working_days", "calendar": "days", "weekly": "weeks", "monthly": "months", "day": "days", "days": "days", "week": "weeks",
         "weeks": "weeks", "month": "months", "months": "months", "hour": "hours", "hours": "hours"}

RECURRENCE = re.compile(r"(?:\bevery|\bintervals\s+of(?:\s+(?:no|not)\s+more\s+than)?|\bmaximum\s+intervals\s+of)\s+"
                        + NUM + r"\s+" + UNIT + r"|\b" + NUM.replace("amount", "amount2")
                        + r"[\s-](?P<unit2>weekly|monthly)\b", re.I)
BEFORE = re.compile(NUM + r"\s+" + UNIT + r"\s+(?:before|prior\s+to|in\s+advance\s+of)\b", re.I)
AFTER = re.compile(r"\b" + NUM + r"\s+" + UNIT + r"\b", re.I)
EITHER = re.compile(r"whichever\s+is\s+(?:the\s+)?(sooner|earlier|earliest|later|latest)", re.I)

# (pattern, event id): the first that matches the words after the amount wins.
EVENTS = [
    (r"strategy (?:discussion|meeting)", "strategy-discussion"),
    (r"review (?:child protection )?conference|review conference", "cp-review"),
    (r"initial (?:child protection )?conference|\bicpc\b|child protection conference|conference", "icpc"),
    (r"core group", "core-group"),
    (r"(?:completion|end|outcome) of (?:the )?(?:section 47|s\.?47)", "s47-completed"),
    (r"section 47|s\.?47", "s47-started"),
    (r"child in need (?:planning )?meeting|\bcin meeting", "cin-meeting"),
    (r"child in need review|\bcin review", "cin-review-held"),
    (r"child in need plan|\bcin plan|the plan", "cin-plan-started"),
    (r"(?:completion|end|outcome) of (?:the |an? )?(?:\w+ )*?assessment|assessment (?:is |was |being )?completed", "assessment-completed"),
    (r"referral", "referral"),
    (r"\bcontact\b", "contact"),
    (r"step(?:ped)?[ -]down", "step-down-decision"),
    (r"mov(?:ed|es|ing) (?:in)?to|transfer(?:red)? in", "move-in-notified"),
    (r"\bcaf\b|common assessment", "caf-recommended"),
    (r"curfew", "curfew-breach-reported"),
    (r"\bvisit", "child-visited"),
]
# (pattern, step id): the first that matches the words before the amount wins.
STEPS = [
    (r"initial assessment", "initial-assessment-complete"),
    (r"minutes.*circulat|circulat.*minutes", "strategy-minutes-circulated"),
    (r"minutes|record(?:ed)? the strategy", "strategy-minutes-recorded"),
    (r"core group", "core-group-meeting"),
    (r"review (?:child protection )?conference", "cp-review-conference"),
    (r"report.*parent|parent.*report", "conference-report-shared-with-parents"),
    (r"report", "conference-report-available"),
    (r"conference", "icpc-held"),
    (r"section 47|s\.?47|enquir", "s47-complete"),
    (r"child in need (?:planning )?meeting|\bcin meeting", "cin-meeting"),
    (r"review", "cin-review"),
    (r"visit", "visit"),
    (r"\bsee(?:n)? the child|child (?:is |must be |should be )?seen", "child-seen"),
    (r"assessment", "assessment-complete"),
    (r"acknowledg", "referral-acknowledged"),
    (r"feedback|inform(?:ed)? the referrer", "referrer-feedback"),
    (r"decision|decide|determine", "referral-decision"),
    (r"transfer", "transfer"),
    (r"\bcontact", "contact-outcome"),
]


@dataclass
class Candidate:
    id: str
    block: str
    sentence: str
    amount: int
    unit: str
    direction: str
    event: str
    step: str
    label: str
    recurrence: dict | None = None
    guessed: list = field(default_factory=list)
    phrase: str = ""
    replaced: list = field(default_factory=list)     # (macro text, the words it replaced)
    step_options: list = field(default_factory=list)  # every step the words could mean, best first
    event_named: bool = False     # the event is named right after the amount ("of the referral being received")
    alternatives: list = field(default_factory=list)

    def rule(self) -> dict:
        out = {"id": self.id, "step": self.step, "label": self.label, "event": self.event, "amount": self.amount,
               "unit": self.unit, "direction": self.direction}
        if self.recurrence:
            out["recurrence"] = self.recurrence
        out["source"] = self.block
        out["notes"] = f"Draft from the import: \"{self.sentence}\""
        if self.alternatives:
            out["alternatives"] = self.alternatives
            out["reading"] = ("Draft: the import found the same step and event more than once (see the "
                              "alternatives); the calculator uses this first reading until a person decides.")
        out["draft"] = True
        return out


def unit_of(text: str) -> str:
    return UNITS[text.lower().split()[0].split("-")[0]]


def amount_of(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


def sentence_at(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around text[start:end] (and where it starts), on one line."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("; ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end), text.find("; ", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    begin = left + 1 if left >= 0 else 0
    return " ".join(text[begin:right].replace("- ", "").split()).strip(), begin


def propose(table, text: str) -> str | None:
    low = text.lower()
    return next((ident for pattern, ident in table if re.search(pattern, low)), None)


def macro_for(phrase_amount: str, unit_text: str, ts_id: str, amount: int, unit: str, every: bool = False) -> str | None:
    """The macro text that renders exactly as "<phrase_amount> <unit_text>", or None."""
    full, amt, words = ("every", "every_amount", "every_words") if every else ("full", "amount", "words")
    def call(form):
        return (f"{{{{ ts('{ts_id}') }}}}" if form == "full" else f"{{{{ ts('{ts_id}', '{form}') }}}}")
    if phrase_amount.isdigit():
        if f"{phrase_amount} {unit_text}" == amount_text(amount, unit):
            return call(full)
        return f"{call(amt)} {unit_text}"
    if phrase_amount == number_words(amount):
        return f"{call(words)} {unit_text}"
    return None


class Finder:
    def __init__(self, area: str, events: set[str], steps: set[str]):
        self.area = area
        self.events = events
        self.steps = steps
        self.candidates: list[Candidate] = []
        self.kept_typed: list[str] = []
        self.ids: set[str] = set()

    def new_id(self, step: str) -> str:
        base = f"{self.area}-{step}"
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def in_block(self, block_id: str, text: str) -> str:
        """Find the candidates in one block's text; return the text with the macros."""
        spans: list[tuple[int, int, str]] = []      # (start, end, replacement) on the original text
        taken: list[tuple[int, int]] = []
        by_sentence: dict[int, Candidate] = {}

        def free(a, b):
            return all(b <= s or a >= e for s, e in taken)

        found = []
        for m in BEFORE.finditer(text):
            found.append((m, "before"))
        for m in AFTER.finditer(text):
            if not any(m.start() >= f.start() and m.end() <= f.end() for f, _ in found):
                found.append((m, "after"))
        recs = list(RECURRENCE.finditer(text))
        for m, direction in sorted(found, key=lambda x: x[0].start()):
            if any(r.start() <= m.start() < r.end() for r in recs):
                continue
            amount, unit = amount_of(m["amount"]), unit_of(m["unit"])
            sentence, begin = sentence_at(text, m.start(), m.end())
            if amount > MAX_AMOUNT.get(unit, 10**6) or (amount == 0 and unit != "days"):
                self.kept_typed.append(f"{block_id}: \"{m.group(0)}\" is beyond the checker's limits, left as typed")
                continue
            cand = self.candidate(block_id, text, m, sentence, amount, unit, direction)
            by_sentence.setdefault(begin, cand)
            self.replace(cand, m, spans, taken, free, every=False)
        for r in recs:
            amount_txt = r["amount"] or r["amount2"]
            unit_txt = r["unit"] or r["unit2"]
            amount = amount_of(amount_txt)
            unit = unit_of(unit_txt)
            if amount > MAX_AMOUNT.get(unit, 10**6):
                continue
            sentence, begin = sentence_at(text, r.start(), r.end())
            cand = by_sentence.get(begin)
            if cand is None or cand.recurrence:
                cand = self.candidate(block_id, text, r, sentence, amount, unit, "after")
            cand.recurrence = {"every": amount, "unit": unit}
            if r["amount2"]:      # "6-weekly": only the amount is a macro
                start, end = r.start("amount2"), r.end("amount2")
                if free(start, end) and amount_txt.isdigit():
                    macro = f"{{{{ ts('{cand.id}', 'every_amount') }}}}"
                    spans.append((start, end, macro))
                    taken.append((start, end))
                    cand.replaced.append((block_id, macro, amount_txt))
            else:
                self.replace(cand, r, spans, taken, free, every=True)
        for m in EITHER.finditer(text):
            sentence, _ = sentence_at(text, m.start(), m.end())
            for c in self.candidates:
                if c.block == block_id and c.sentence == sentence:
                    c.guessed.append(f"'whichever is {m.group(1).lower()}': one of two limits; needs an "
                                     "earliest-of / latest-of rule written by a person")
        out = text
        for start, end, new in sorted(spans, reverse=True):
            out = out[:start] + new + out[end:]
        return out

    def candidate(self, block_id, text, m, sentence, amount, unit, direction) -> Candidate:
        after_words = text[m.end():m.end() + 120].split(".")[0]
        before_words = text[max(0, m.start() - 160):m.start()]
        guessed = []
        named = propose(EVENTS, after_words)
        event = named or propose(EVENTS, sentence)
        if event not in self.events:
            event, _ = "referral", guessed.append("event guessed (no event named near the amount): 'referral'")
        step = propose(STEPS, before_words) or propose(STEPS, sentence)
        if step not in self.steps:
            step, _ = "referral-decision", guessed.append("step guessed: 'referral-decision'")
        label = " ".join(sentence.split()[:18]).rstrip(",;:") or sentence
        options = [i for p, i in STEPS if re.search(p, before_words.lower()) or re.search(p, sentence.lower())]
        cand = Candidate(self.new_id(step), block_id, sentence, amount, unit, direction, event, step, label,
                         guessed=guessed, phrase=m.group(0), step_options=options,
                         event_named=bool(named))
        self.candidates.append(cand)
        return cand

    def replace(self, cand, m, spans, taken, free, every):
        start, end = m.start("amount") if m["amount"] else m.start(), m.end("unit") if m["unit"] else m.end()
        if not free(start, end):
            return
        new = macro_for(m["amount"], m["unit"], cand.id, cand.recurrence["every"] if every else cand.amount,
                        cand.recurrence["unit"] if every else cand.unit, every)
        if new is None:
            self.kept_typed.append(f"{cand.block}: \"{m.group(0)}\" left as typed (the macros cannot write it "
                                   f"this way); write it with {{{{ ts('{cand.id}', 'words') }}}} by hand")
            return
        spans.append((start, end, new))
        taken.append((start, end))
        cand.replaced.append((cand.block, new, m.string[start:end]))

    def merge_clashes(self) -> list[tuple[str, str, str]]:
        """One rule per step and event (the checker's rule): a later candidate for the same
        step and event becomes an alternative of the first whose event is named right after its
        amount (then: named in its sentence; last: guessed), or takes another step its words can mean.
        Returns (block id, old text, new text) edits: the merged candidate's macros name the kept
        rule when it has the same amount, and go back to the typed words when it does not."""
        kept: dict[tuple, Candidate] = {}
        edits = []
        for c in sorted(self.candidates, key=lambda c: (bool(c.guessed), not c.event_named)):
            key = (c.step, c.event, c.direction)
            first = kept.setdefault(key, c)
            if first is c:
                continue
            free_step = next((o for o in c.step_options if (o, c.event, c.direction) not in kept), None)
            if free_step and (c.amount, c.unit) != (first.amount, first.unit):
                new_id = self.new_id(free_step)      # another reading of the same words, not a second rule
                edits += [(block, macro, macro.replace(f"'{c.id}'", f"'{new_id}'")) for block, macro, _ in c.replaced]
                c.id, c.step = new_id, free_step
                c.guessed.append(f"step '{free_step}' chosen because '{first.step}' from '{c.event}' is "
                                 f"already timed by {first.id}")
                kept[(c.step, c.event, c.direction)] = c
                continue
            note = f"Also found in {c.block}: \"{c.sentence}\""
            first.alternatives.append({"amount": c.amount, "unit": c.unit, "source": c.block, "note": note})
            for block, macro, words in c.replaced:
                same = c.amount == first.amount and (not c.recurrence or c.recurrence == first.recurrence)
                usable = same and ("'words'" in macro or "amount'" in macro or c.unit == first.unit) \
                    and ("'every" not in macro or first.recurrence)
                edits.append((block, macro, macro.replace(f"'{c.id}'", f"'{first.id}'") if usable else words))
            self.candidates.remove(c)
        return edits
