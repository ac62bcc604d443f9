"""Timescale candidates found in paragraph text, each replaced in the text by its ``ts()`` macro.

What counts as an amount, a unit, a direction and a repeat: macros/importer/units.py.
Which event starts the clock and which step is due: macros/importer/vocabulary.py scores
the words around the amount against rules/events.yaml. The rules of this module:

- **sentences**: a sentence ends at ". " before a capital or a digit, at a line break, at
  "; " and at a bullet ("•"): a row of a table flattened into one paragraph ("• ICPC held
  within 15 working days • Report available 1 working day before ICPC") is read bullet by
  bullet. "e.g. a series" does not end a sentence (a small letter follows).
- **the event**, from the narrowest text that names one (see :meth:`Finder.windows`): the
  words right after the amount ("of the referral being received", "from the point of
  referral", "before ICPC"; they end at a comma, a bracket, "and", "or", "unless", or
  "to commence / start / begin / initiate": what a meeting is held to start is not the
  clock), then the words before the amount in its clause, then the sentence, then what
  the paragraph is about (the first cell of its table row, see :func:`row_subjects`), the
  section's title (the whole paragraph only breaks ties). Outside the words right after
  the amount, an event that completes the step, or is of its kind, cannot start it ("An
  Initial Assessment is completed within 7 days", "ICPC held within 15 working days"), nor
  do the words of the act that is due ("make a decision") name an event (details:
  :meth:`Finder.event_for`). When nothing names an event, the event of the inherited
  (national) rule for the same step is proposed, and failing that the referral, marked
  "guessed"; the report lists both first.
- **the step** is scored the same way from the words before the amount (back to the
  previous amount in the sentence) and the amount's own words ("within a 12-month
  period"), then the words after it, the sentence and the table row's first cell; the
  paragraph and the section's title only break ties.
- **repeats**: "every 6 weeks", "6-weekly", "on a 3 monthly basis": a repeat in the same
  sentence as a first timescale becomes its ``recurrence``; on its own it is a rule whose
  first occurrence is one interval after the event (as the hand-made Peterborough and
  Coventry rules read). A repeat whose start is not named runs from the start of the plan
  it belongs to (of the kind its paragraph names), and the report says so.
- **decisions taken at a meeting**: an event that is a decision taken at another event
  (its label begins with that event's name and says "decided": "Child in Need meeting
  decided to step back to CAF/TAC") is proposed as the meeting, with the decision named as
  the rule's condition for a person to add (``applies_if``).
- "whichever is sooner / earlier / later": both amounts are kept as candidates and the
  report says the rule needs an earliest-of (or latest-of) rule, which a person writes.
- "by end of day": 0 days after the event; the words stay as typed (no number).
- conditions ("for three months or more", "less than 7 days before"): left typed and
  reported (:func:`macros.importer.units.is_condition`).

The phrase is replaced so the page reads exactly as the source: "7 working days" ->
``{{ ts('id') }}``; "one working day" -> ``{{ ts('id', 'words') }} working day``;
"6 calendar days" -> ``{{ ts('id', 'amount') }} calendar days``; "every 6 weeks" ->
``every {{ ts('id', 'every') }}``; "6-weekly" -> ``{{ ts('id', 'every_amount') }}-weekly``;
"24hours" -> ``{{ ts('id', 'amount') }}hours``. A phrase whose wording the macros cannot
reproduce ("One working day" with a capital) stays typed and is reported. Amounts above
the checker's limits are reported, not imported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from macros.importer.units import EITHER, RECURRENCE, SAME_DAY, amount_of, amounts_in, is_condition, unit_of
from macros.importer.vocabulary import Vocabulary
from macros.rules.model import MAX_AMOUNT
from macros.rules.text import amount_text, number_words

SENTENCE_END = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[A-Z0-9\"'(*])|\n|;\s|\u2022|\s-\s(?=[A-Z])")
PHRASE = re.compile(r"^\s*(?:of|from|following|after|before|prior\s+to|in\s+advance\s+of|since)\b(.*?)"
                    r"(?=[,;:.()\[\]\u2022\n]|\s(?:and|or|unless|which|but|if|so\s+that)\s"
                    r"|\sto\s+(?:commence|start|begin|initiate|undertake)|$)", re.I)
CLAUSE = re.compile(r"[,;:(\u2022]|\s-\s")
CELL = re.compile(r"<[^<>]*>")
PLAN = 99      # the event of a repeat read as the start of its plan (no window named one)
CLEAR = 0.5     # the score at which the words right after an amount name their event on their own


def row_subjects(units) -> list[tuple[int, str]]:
    """(line, subject) from a document's table rows read as text: a line whose cells are
    separated by tabs is a row, and its first cell, when short (eight words or fewer, no
    full stop), is what the row is about ("Initial Child Protection Conferences"). The
    subject holds for the lines after it (a row continued without its first cell, or its
    lists written out) until the next row's subject or the next heading (subject "").
    Word and web tables are read cell by cell and have no subjects here."""
    out = []
    for u in units:
        if u.kind == "heading":
            out.append((u.line, ""))
        elif "\t" in u.text:
            first = " ".join(CELL.sub(" ", u.text.split("\t")[0]).split())
            if first and len(first.split()) <= 8 and not first.endswith("."):
                out.append((u.line, first))
    return out


def sentence_at(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence around text[start:end] on one line, and where it starts and ends in ``text``."""
    begin, stop = 0, len(text)
    for m in SENTENCE_END.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            stop = m.start()
            break
    words = text[begin:stop].split()
    if words and words[0] in ("-", "*", "+"):
        words = words[1:]
    return " ".join(words).strip(), begin, stop


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


def macro_for(phrase_amount: str, sep: str, unit_text: str, ts_id: str, amount: int, unit: str,
              every: bool = False) -> str | None:
    """The macro text that renders exactly as "<phrase_amount><sep><unit_text>", or None."""
    full, amt, words = ("every", "every_amount", "every_words") if every else ("full", "amount", "words")

    def call(form):
        return f"{{{{ ts('{ts_id}') }}}}" if form == "full" else f"{{{{ ts('{ts_id}', '{form}') }}}}"
    if phrase_amount.isdigit():
        if sep == " " and f"{phrase_amount} {unit_text}" == amount_text(amount, unit):
            return call(full)
        return f"{call(amt)}{sep}{unit_text}"
    if phrase_amount == number_words(amount):
        return f"{call(words)}{sep}{unit_text}"
    return None


class Finder:
    """The timescale candidates of one import. ``inherited``: the timescales the new area
    inherits (the root area's): when the document names no event for an amount, the event
    of the inherited rule for the same step is proposed (a local rule overrides the inherited
    rule for its step, and "ICPC held within 15 working days" keeps the national framework's
    start, the strategy discussion), and the report says so."""

    def __init__(self, area: str, events, steps, inherited: list | None = None):
        events = events if isinstance(events, dict) else {e: {"label": e.replace("-", " ")} for e in events}
        steps = steps if isinstance(steps, dict) else {s: {"label": s.replace("-", " ")} for s in steps}
        self.area = area
        self.events = set(events)
        self.steps = set(steps)
        self.vocabulary = Vocabulary(events, steps)
        self.candidates: list[Candidate] = []
        self.kept_typed: list[str] = []
        self.ids: set[str] = set()
        self.subjects: list[tuple[int, str]] = []
        self.inherited: dict[str, dict] = {}
        for t in inherited or []:
            self.inherited.setdefault(t["step"], t)

    def read(self, units) -> None:
        """Before the blocks: the document's table rows (:func:`row_subjects`) and the
        abbreviations it defines (:meth:`Vocabulary.learn`)."""
        self.subjects = row_subjects(units)
        self.vocabulary.learn("\n".join(u.text for u in units))

    def subject_at(self, line: int) -> str:
        """The subject of the table row a paragraph starting on ``line`` belongs to ("" if none)."""
        found = ""
        for at, subject in self.subjects:
            if at > line:
                break
            found = subject
        return found

    def new_id(self, step: str) -> str:
        base = f"{self.area}-{step}"
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def in_block(self, block_id: str, text: str, subject: str = "", title: str = "") -> str:
        """Find the candidates in one block's text; return the text with the macros. ``subject``:
        what the paragraph is about (its table row's first cell); ``title``: its section's."""
        spans: list[tuple[int, int, str]] = []      # (start, end, replacement) on the original text
        taken: list[tuple[int, int]] = []
        by_sentence: dict[int, Candidate] = {}
        context = (subject, text, title)

        def free(a, b):
            return all(b <= s or a >= e for s, e in taken)

        found = amounts_in(text)
        for i, (m, direction) in enumerate(found):
            amount, unit = amount_of(m["amount"]), unit_of(m["unit"])
            sentence, begin, stop = sentence_at(text, m.start(), m.end())
            if amount > MAX_AMOUNT.get(unit, 10**6):
                self.kept_typed.append(f"{block_id}: \"{m.group(0)}\" is beyond the checker's limits, left as typed")
                continue
            if is_condition(text, m):
                self.kept_typed.append(f"{block_id}: \"{m.group(0)}\" in \"{sentence}\" says when something applies, "
                                       "not when it is due: left as typed (a person decides whether it is a rule)")
                continue
            prev_end = max([begin] + [f.end() for f, _ in found[:i] if f.end() <= m.start() and f.end() > begin])
            next_start = min([stop] + [f.start() for f, _ in found[i + 1:] if f.start() < stop])
            cand = self.candidate(block_id, m, sentence, amount, unit, direction,
                                  (text[prev_end:m.start()], text[m.end():next_start]), context)
            by_sentence.setdefault(begin, cand)
            self.replace(cand, m, spans, taken, free, every=False)
        for m in SAME_DAY.finditer(text):
            sentence, begin, stop = sentence_at(text, m.start(), m.end())
            self.candidate(block_id, m, sentence, 0, "days", "after", (text[begin:m.start()], text[m.end():stop]),
                           context).guessed.append(f"\"{m.group(0)}\" read as 0 days (the same day); the words stay "
                                                   "as typed")
        for r in RECURRENCE.finditer(text):
            amount_txt = r["amount"] or r["amount2"]
            unit_txt = r["unit"] or r["unit2"]
            amount = amount_of(amount_txt)
            unit = unit_of(unit_txt)
            if amount > MAX_AMOUNT.get(unit, 10**6):
                continue
            sentence, begin, stop = sentence_at(text, r.start(), r.end())
            cand = by_sentence.get(begin)
            if cand is None or cand.recurrence:
                cand = self.candidate(block_id, r, sentence, amount, unit, "after",
                                      (text[begin:r.start()], text[r.end():stop]), context, repeat=True)
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
            sentence, _, _ = sentence_at(text, m.start(), m.end())
            for c in self.candidates:
                if c.block == block_id and c.sentence == sentence:
                    c.guessed.append(f"'whichever is {m.group(1).lower()}': one of two limits; needs an "
                                     "earliest-of / latest-of rule written by a person")
        out = text
        for start, end, new in sorted(spans, reverse=True):
            out = out[:start] + new + out[end:]
        return out

    def windows(self, before: str, after: str, sentence: str, context: tuple, direction: str):
        """(the words right after the amount, the event's windows, the step's windows, the texts
        that only break ties), narrowest first (see the module's docstring). After "N days
        before" the words that follow are the event with no "of" needed."""
        phrase_m = PHRASE.match(("of " if direction == "before" else "") + after)
        phrase = phrase_m.group(1) if phrase_m else ""
        rest = after[max(phrase_m.end() - (3 if direction == "before" else 0), 0):] if phrase_m else after
        clause = CLAUSE.split(before)[-1]
        subject, block, title = context
        events = [clause, before + " " + rest, sentence, subject, title]
        steps = [clause, before, rest, sentence, subject]
        return phrase, events, steps, [block, title]

    def candidate(self, block_id, m, sentence, amount, unit, direction, around, context,
                  repeat: bool = False) -> Candidate:
        voc = self.vocabulary
        phrase, event_windows, step_windows, ties = self.windows(around[0], around[1], sentence, context, direction)
        step_windows[0] += " " + m.group(0)     # "within a 12-month period": the words of the amount say what it is
        guessed = []
        step, _ = voc.best(step_windows, steps=True, ties=ties)
        step_named = step is not None
        if step is None:
            step = "referral-decision"
            guessed.append("step guessed: 'referral-decision'")
        event, at, named = self.event_for(phrase, event_windows, ties, step, repeat)
        if event is None and step in self.inherited and step_named:
            rule = self.inherited[step]
            event = rule["event"]
            guessed.append(f"no event named: '{event}' proposed from the inherited rule {rule['id']} for the same "
                           f"step ({rule['amount']} {rule['unit']} {rule['direction']} '{event}')")
        if event is None:
            event = "referral"
            guessed.append("event guessed (no event named near the amount): 'referral'")
        elif at == PLAN:
            guessed.append(f"a repeat whose start is not named: read as running from the start of its plan ('{event}')")
        elif at >= 3:
            guessed.append(f"event '{event}' read from what the paragraph is about, not from its sentence")
        if event in voc.decided_at:
            guessed.append(f"'{event}' is a decision taken at '{voc.decided_at[event]}': the clock starts at "
                           f"the meeting; add applies_if: {{event: {event}}} if the rule holds only after it")
            event = voc.decided_at[event]
        label = " ".join(sentence.split()[:18]).rstrip(",;:") or sentence
        options = voc.ranked(step_windows + ties, steps=True)
        cand = Candidate(self.new_id(step), block_id, sentence, amount, unit, direction, event, step, label,
                         guessed=guessed, phrase=m.group(0), step_options=options, event_named=named)
        self.candidates.append(cand)
        return cand

    def event_for(self, phrase: str, windows: list, ties: list, step: str, repeat: bool):
        """(event, the window that named it, whether it was named right after the amount):

        - the words right after the amount decide when they name an event clearly (a score of
          at least :data:`CLEAR`: "of being notified of the move", "before ICPC");
        - when they name one only by its head word ("before the conference": which one?), the
          event is one of those, the windows breaking the tie (else the first listed);
        - otherwise the windows decide, each naming an event only by its head word; never an
          event that completes the step, nor one of the same kind (sharing its head word:
          "ICPC held within 15 working days" names what is due, not what starts the clock),
          except the start of what the step completes ("Completed within 15 working days"
          of a Section 47 Enquiry: from the enquiry's start); the words of the act that is
          due ("make a decision" when the step is to decide) name no event there;
        - a repeat whose windows name no event adds "plan agreed" to each window (it runs from
          the start of its plan), and says so.
        """
        voc = self.vocabulary
        scores = voc.scores(phrase)
        event, at = voc.best([phrase])
        windows = [voc.without_act(w, step) for w in windows]
        if event is not None and scores[event] >= CLEAR:
            return event, at, True
        plan = [w + " plan agreed" for w in windows] if repeat else windows
        headed = set(voc.scores(phrase, heads=True))
        if headed:
            others = set(voc.heads) - headed
            found, at = voc.best(plan, exclude=others, ties=ties, heads=True)
            return (found, at, True) if found else (voc.best([phrase], exclude=others)[0], 0, True)
        found, at = voc.best(windows, exclude=voc.same_kind(step), ties=ties, heads=True)
        if found is None and repeat:      # of the kind of plan any window names ("Child Protection Plan")
            others = voc.other_kinds(voc.kinds_named(" ".join(windows)))
            found, at = voc.best(plan, exclude=voc.same_kind(step) | others, ties=ties, heads=True)
            at = PLAN if found else at
        return found, at, False

    def replace(self, cand, m, spans, taken, free, every):
        start, end = m.start("amount") if m["amount"] else m.start(), m.end("unit") if m["unit"] else m.end()
        if not free(start, end):
            return
        new = macro_for(m["amount"], m["sep"] or "", m["unit"], cand.id,
                        cand.recurrence["every"] if every else cand.amount,
                        cand.recurrence["unit"] if every else cand.unit, every)
        if new is None:
            self.kept_typed.append(f"{cand.block}: \"{m.group(0)}\" left as typed (the macros cannot write it "
                                   f"this way); write it with {{{{ ts('{cand.id}', 'words') }}}} by hand")
            return
        spans.append((start, end, new))
        taken.append((start, end))
        cand.replaced.append((cand.block, new, m.string[start:end]))

    def tidy_ids(self) -> dict[str, str]:
        """After :meth:`merge_clashes`: a candidate numbered ("-2") only because a candidate merged
        or moved to another step held its step's plain id gets the plain id back
        (``fenmoor-referral-decision-2`` -> ``fenmoor-referral-decision``). Returns {old: new};
        the caller renames the quoted ids in the blocks' macros."""
        used = {c.id for c in self.candidates}
        renamed = {}
        for c in self.candidates:
            base = f"{self.area}-{c.step}"
            if c.id != base and base not in used:
                used.discard(c.id)
                used.add(base)
                renamed[c.id], c.id = base, base
        self.ids = (self.ids - set(renamed)) | used
        return renamed

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


def why_missed(rule: dict, candidates: list[Candidate]) -> str:
    """Why an import did not find a hand-made rule (amount, unit, direction, event), from what
    it found instead: a candidate with the same amount, unit and direction but another event
    (the one whose sentence the rule's label and notes share most words with)
    (and whether that event was named or guessed: a document that names no event for the
    amount leaves the choice to a person), one kept as another rule's alternative, or none."""
    same = [c for c in candidates if (c.amount, c.unit, c.direction) == (rule["amount"], rule["unit"],
                                                                         rule["direction"])]
    if same:      # the one whose sentence the hand-made rule's label and notes quote most
        quoted = set(str(rule.get("label", "") + " " + str(rule.get("notes", ""))).lower().split())
        c = max(same, key=lambda c: len(set(c.sentence.lower().split()) & quoted))
        how = "; ".join(g for g in c.guessed if "event" in g) or "an event named in its sentence"
        return (f"found as {c.amount} {c.unit} {c.direction} '{c.event}' in {c.block} (\"{c.sentence[:80]}\"): "
                f"{how}; the hand-made rule counts from '{rule['event']}'")
    alternative = next((c for c in candidates for a in c.alternatives
                        if (a["amount"], a["unit"]) == (rule["amount"], rule["unit"])), None)
    if alternative:
        return f"kept as an alternative of {alternative.id} (same step and event), not as a rule of its own"
    return f"no {rule['amount']} {rule['unit']} {rule['direction']} found in the document's text"
