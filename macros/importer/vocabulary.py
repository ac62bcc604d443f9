"""The shared vocabulary (rules/events.yaml) matched against a document's own words.

A document never names an event by its id: it says "of the referral being received",
"from the point of referral", "of being notified of the move", "of the decision to
de-escalate", "before ICPC". :class:`Vocabulary` scores every event (and every step) by
the words of its ``label`` and ``phrase`` that a piece of text contains. Nothing here
names a document or an area; the rules:

- **words** are compared by their stem ("conferences", "conference" -> "conferenc";
  "completed", "completion" -> "complet"), after the general synonyms of
  :data:`SYNONYMS` (plain English for the same act: "notified" = "told", "convened" =
  "held", "de-escalate" = "step down", "commence" = "start"). Words that say nothing
  about which event is meant ("the", "of", "is", ...) are left out.
- **abbreviations** are read as their words: the initials of two or more consecutive
  words of a label, phrase or description ("Initial child protection conference" ->
  ICPC, "Child in Need" -> CIN, "child protection" -> CP), an abbreviation a
  description defines ("Common Assessment Framework (CAF)"), one the document defines
  the same way ("Initial Child Protection Conference (ICPC)"), and "s47"/"s.47" for
  "section 47". Only a word written in capitals is read as an abbreviation.
- **weight**: a word in the labels of many events ("child", "meeting") says less than a
  word in one ("strategy", "curfew"): each word weighs 1 / (the number of events (or
  steps) whose words hold it). An event's score is the sum of the weights of its words
  the text holds.
- **head words**: outside the words right after an amount, an event is named only where
  its head word is written (:func:`heads_of`: "the curfew breach is reported" -> breach),
  so "An Initial Assessment" does not name the initial child protection conference.
- **kinds**: names several labels share ("child protection", "Child in Need", "section 47
  enquiry") and those behind the abbreviations a document writes; a text that names one
  kind does not name an event of another ("Child Protection Plan" is not the Child in
  Need plan; :meth:`Vocabulary.scores`).
- **windows**: :meth:`Vocabulary.best` is given the texts around an amount from the
  narrowest (the words right after it: "of X", "from X", "before X") to the widest (the
  section's title); each is worth a tenth of the one before, so a narrower window
  decides and a wider one only breaks its ties; the whole paragraph only breaks ties. A
  tie left is won by the event listed first in events.yaml (earlier in a case's life).
- **decisions taken at a meeting** (:func:`decided_at`) and **what cannot start a step's
  clock** (:meth:`Vocabulary.same_kind`, :meth:`Vocabulary.without_act`): see there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

STOP = set("""a an the of or and to in on at by for from with is are be been being was were as its it their
this that these those any each all who whom which what when where will should must may can could would
has have had not no than then there his her they them he she we our your after before into within s
""".split())

# General English: different words for the same act or thing (never a document's own list).
SYNONYMS = {
    "notified": "told", "notify": "tell", "informed": "told", "inform": "tell", "tell": "tell", "told": "told",
    "convene": "held", "convened": "held", "meet": "meeting", "meets": "meeting", "hold": "held",
    "place": "held", "de-escalate": "step down", "de-escalation": "step down", "step-down": "step down",
    "commence": "start", "commences": "start", "commenced": "start", "initiated": "start", "initiate": "start",
    "begin": "start", "began": "start", "started": "start", "starts": "start",
    "conclude": "complete", "concluded": "complete", "conclusion": "complete", "end": "complete",
    "outcome": "complete", "completion": "complete", "completed": "complete",
    "decide": "decision", "decided": "decision", "decides": "decision", "decisions": "decision",
    "receipt": "receive", "received": "receive", "receiving": "receive",
    "move": "moved", "moves": "moved", "moving": "moved", "relocate": "moved",
    "enquiries": "enquiry", "inquiry": "enquiry", "investigation": "enquiry",
    "meetings": "meeting", "discussions": "discussion", "period": "window",
}
SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "e", "y")
ASIDE = re.compile(r"\([^()]*\)")     # "(close or progress to referral)": an aside, not what the step is
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DEFINED = re.compile(r"((?:\b[A-Z][\w']*\s+(?:(?:of|in|the|and|for|to)\s+)*){2,7})\(([A-Z]{2,6})\)")


def stem(word: str) -> str:
    """A word's stem: lower case, a synonym read as its plain word, then one common ending off
    ("conferences" -> "conferenc", "completed" -> "complet", "stepped" -> "step"; a stem of
    fewer than four letters stays whole: "need", "plan")."""
    word = SYNONYMS.get(word, word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            return word[:-1] if suffix in ("ed", "ing") and word[-1] == word[-2] and word[-1] not in "aeiouls" else word
    return word


def words_of(text: str) -> list[str]:
    """The stems of the words of ``text`` that can tell events apart (see :data:`STOP`)."""
    out = []
    for w in WORD.findall(text.lower()):
        for part in SYNONYMS.get(w, w.replace("-", " ")).split():
            if part not in STOP:
                out.append(stem(part))
    return out


def initials(words: list[str]) -> list[tuple[str, str]]:
    """(ABBREVIATION, words) for every run of two or more consecutive words: the first letters
    of all of them ("Child in Need" -> CIN) and of all but the small words ("Team Around the
    Child" -> TAC)."""
    out = []
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            run = words[i:j]
            if not run[0][0].isalpha() or not run[-1][0].isalpha() or run[0].lower() in STOP or run[-1].lower() in STOP:
                continue
            phrase = " ".join(run)
            out.append(("".join(w[0] for w in run).upper(), phrase))
            out.append(("".join(w[0] for w in run if w.lower() not in STOP).upper(), phrase))
    return out


PARTICIPLE = re.compile(r"\s+(?:held|received|completed|started|agreed|reported|reviewed|moved)$", re.I)


def decided_at(events: dict) -> dict[str, str]:
    """{decision event: the event it is taken at}: an event whose label begins with another
    event's name (its label without "held", "received", ...) followed by "decided" or
    "decision" ("Child in Need meeting decided to step back" is taken at "Child in Need
    meeting held")."""
    names = {k: PARTICIPLE.sub("", v.get("label", "")).lower() for k, v in events.items()}
    out = {}
    for k, v in events.items():
        label = v.get("label", "").lower()
        for other, name in names.items():
            if other != k and name and re.match(re.escape(name) + r"\s+(?:decided|decision)\b", label):
                out[k] = other
    return out


NOUN_END = re.compile(r"\s+(?:is|has|was|are|to|of|starts?|held|received|completed|started|agreed|reported|"
                      r"reviewed|visited|moved)\b.*$", re.I)


def heads_of(event: dict, expand=lambda t: t) -> set[str]:
    """The words an event is named by (its head nouns): the last word of its ``phrase`` up to
    a verb or "to"/"of" ("the curfew breach is reported" -> breach, "the decision to step
    down" -> decision, "the CAF is agreed" -> framework, CAF read in words), and of each
    alternative of a label with "or" ("Strategy discussion or meeting held" -> discussion,
    meeting). "the child" would name every event, so a phrase whose noun is a person names
    none (then the label's last noun is used: "Child visited" -> the phrase "the visit")."""
    out = set()
    texts = [event.get("phrase", "")]
    label = event.get("label", "")
    if " or " in label:
        texts += label.split(" or ")
    for text in texts:
        noun = NOUN_END.sub("", expand(text)).split()
        if noun:
            out.update(words_of(noun[-1]))
    return out


def shared_names(labels: list[str]) -> set[str]:
    """Names of two to five words (first and last not a small word, last not "held", "agreed",
    ...) found in the labels of two or more events: the kinds of events ("child protection", "child in need", "section 47
    enquiry")."""
    seen: dict[str, int] = {}
    for label in labels:
        words = re.findall(r"[a-z0-9]+", label)
        runs = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, min(i + 6, len(words) + 1))
                if words[i] not in STOP and words[j - 1] not in STOP and not PARTICIPLE.search(" " + words[j - 1])}
        for run in runs:
            seen[run] = seen.get(run, 0) + 1
    return {run for run, n in seen.items() if n >= 2}


@dataclass
class Entry:
    id: str
    words: set
    order: int


class Vocabulary:
    def __init__(self, events: dict, steps: dict | None = None):
        self.memo: dict[tuple, dict] = {}
        self.kinds: set[str] = set()
        self._kind_of: dict | None = None
        self.abbreviations: dict[str, str] = {"S47": "section 47", "S.47": "section 47"}
        texts = [e.get("label", "") + " " + e.get("phrase", "") for e in events.values()]
        texts += [s.get("label", "") for s in (steps or {}).values()]
        for e in events.values():
            self.learn(e.get("description", ""))
        for text in texts:
            for short, long in initials(re.findall(r"[A-Za-z0-9]+", text.split("(")[0])):
                if len(short) >= 2:
                    self.abbreviations.setdefault(short, long)
        self.events = self._entries({k: v.get("label", "") + " " + v.get("phrase", "") for k, v in events.items()})
        self.steps = self._entries({k: ASIDE.sub(" ", v.get("label", "")) for k, v in (steps or {}).items()})
        self.met_by = {k: set(v.get("met_by") or []) for k, v in (steps or {}).items()}
        self.labels = ({k: v.get("label", k) for k, v in events.items()},
                       {k: v.get("label", k) for k, v in (steps or {}).items()})
        self.decided_at = decided_at(events)
        self.heads = {k: heads_of(v, self.expand) for k, v in events.items()}
        self.event_texts = {k: self.expand(v.get("label", "") + " " + v.get("phrase", "")).lower()
                            for k, v in events.items()}
        self.kinds |= shared_names([self.expand(v.get("label", "")).lower() for v in events.values()])
        self._kind_of = None

    def same_kind(self, step: str) -> set[str]:
        """The events that cannot start ``step``'s clock outside the words after its amount: those
        that complete it (its ``met_by``) and those of the same kind (sharing a head word with
        one of them), except an event whose label says it "started" (the start of what the
        step completes)."""
        done = self.met_by.get(step, set())
        kinds = set().union(*(self.heads.get(e, set()) for e in done)) if done else set()
        return done | {e for e, h in self.heads.items() if h & kinds and " started" not in self.label(e) + " "}

    def without_act(self, text: str, step: str) -> str:
        """``text`` without the words of the act that is due where they are also an event's head
        word: the first word of the step's label ("Decide the type of response ...": "make a
        decision" names the step, not a decision event; "Child protection plan reviewed"
        starts with no act)."""
        label = self.label(step, steps=True).split()
        act = set(words_of(label[0])) & set().union(*self.heads.values()) if label else set()
        return " ".join(w for w in text.split() if not set(words_of(w)) & act) if act else text

    def label(self, ident: str, steps: bool = False) -> str:
        return self.labels[steps].get(ident, ident)

    def _entries(self, texts: dict) -> tuple[list[Entry], dict]:
        entries = [Entry(k, set(words_of(self.expand(t))), i) for i, (k, t) in enumerate(texts.items())]
        count: dict[str, int] = {}
        for e in entries:
            for w in e.words:
                count[w] = count.get(w, 0) + 1
        return entries, {w: 1 / n for w, n in count.items()}

    def learn(self, document: str) -> None:
        """Abbreviations the document defines: "Initial Child Protection Conference (ICPC)" (the
        capitals must be the initials of the words before the bracket, small words allowed).
        The names behind the abbreviations the document writes ("CP", "CIN") are *kinds*, as
        are the names several events' labels share (:func:`shared_names`): see :meth:`scores`."""
        written = set(re.findall(r"\b[A-Z]{2,6}\b", document))
        for long, short in DEFINED.findall(document):
            words = long.split()
            for short2, phrase in initials(words):
                if short2 == short and phrase.split()[-1] == words[-1]:
                    self.abbreviations[short] = phrase
                    self.memo.clear()
                    break
        self.kinds |= {self.abbreviations[w].lower() for w in written if w in self.abbreviations
                       and len(self.abbreviations[w].split()) > 1}
        self.memo.clear()
        self._kind_of = None

    def expand(self, text: str) -> str:
        """``text`` with its abbreviations in words ("before ICPC" -> "before initial child
        protection conference"); "CAF/TAC" is two abbreviations."""
        def one(m):
            return self.abbreviations.get(m.group(0).upper(), m.group(0)) if m.group(0).isupper() or \
                m.group(0).lower() in ("s47", "s.47") else m.group(0)
        return re.sub(r"\b[A-Za-z]\.?[A-Za-z0-9]+\b", one, text)

    def scores(self, text: str, steps: bool = False, heads: bool = False) -> dict[str, float]:
        """{id: score} for every event (or step) ``text`` names; with ``heads``, only events whose
        head word (:func:`heads_of`) the text holds, and not an event of another kind than the
        text names ("Child Protection Plan" does not name the Child in Need plan: the kinds are
        the names behind the abbreviations the document writes, "child protection", "Child in
        Need"; an event whose words name no kind can be named by any text)."""
        key = (text, steps, heads)
        if key in self.memo:
            return self.memo[key]
        entries, weight = self.steps if steps else self.events
        expanded = self.expand(text)
        have = set(words_of(expanded))
        others = self.other_kinds(self.kinds_named(text)) if heads and not steps else set()
        out = self.memo[key] = {}
        for e in entries:
            if heads and not steps and not self.heads.get(e.id, set()) & have:
                continue
            if e.id in others:
                continue
            score = sum(weight[w] for w in e.words & have)
            if score:
                out[e.id] = score
        return out

    def kinds_named(self, text: str) -> set[str]:
        """The kinds (see :meth:`learn`) ``text`` names."""
        low = self.expand(text).lower()
        return {k for k in self.kinds if k in low}

    def other_kinds(self, named: set[str]) -> set[str]:
        """The events of another kind than ``named`` (none when nothing is named)."""
        if not named:
            return set()
        if self._kind_of is None:
            self._kind_of = {k: self.kinds_named(t) for k, t in self.event_texts.items()}
        return {e for e, kinds in self._kind_of.items() if kinds and not kinds & named}

    def ranked(self, windows: list[str], steps: bool = False) -> list[str]:
        """Every event (or step) the windows name, best first."""
        total: dict[str, float] = {}
        for i, window in enumerate(windows):
            for ident, score in self.scores(window, steps).items():
                total[ident] = total.get(ident, 0) + score / 10 ** i
        return sorted(total, key=lambda k: -total[k])

    def best(self, windows: list[str], steps: bool = False, exclude: set = frozenset(),
             ties: list[str] = (), heads: bool = False) -> tuple[str | None, int]:
        """The event (or step) the windows name, narrowest first, and the index of the window that
        first named it (``None`` and -1 when none does). Each window is worth a tenth of the one
        before. ``exclude``: ids that cannot be the answer (an event that completes the step
        cannot also start it). ``ties``: wider texts that only break ties between the ids the
        windows named (the whole paragraph: too wide to name an event on its own). ``heads``:
        an event counts only where its head word is written (:func:`heads_of`)."""
        total: dict[str, float] = {}
        first_at: dict[str, int] = {}
        for i, window in enumerate(list(windows) + list(ties)):
            for ident, score in self.scores(window, steps, heads).items():
                if ident in exclude or (i >= len(windows) and ident not in first_at):
                    continue
                total[ident] = total.get(ident, 0) + score / 10 ** i
                first_at.setdefault(ident, i)
        if not total:
            return None, -1
        order = {e.id: e.order for e in (self.steps if steps else self.events)[0]}
        ident = max(total, key=lambda k: (round(total[k], 12), -order[k]))
        return ident, first_at[ident]
