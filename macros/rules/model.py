"""What a loaded rules/ is: :class:`Rules` (plain data, indexed), :class:`Anchor`, :class:`RulesInvalid`.

Also the constants every check shares: where rules/ lives, the root area, the
immediate-protection pathway, the largest amount per unit and the forms of ``ts()``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from macros.rules.yamlsource import Problem
from tools.layers import chain

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"

# The largest amount each unit may have, and why: a bigger one is a typo (an extra digit),
# never a rule in the source documents (the longest is the 26-week care proceedings limit).
MAX_AMOUNT = {
    "working_days": 260,   # a year of working days (52 weeks x 5)
    "days": 366,           # a (leap) year
    "weeks": 104,          # two years
    "months": 36,          # three years
    "hours": 168,          # a week: anything longer is written in days in the sources
}
ROOT_AREA = "national"
IMMEDIATE = "immediate-protection"
TS_FORMS = ("full", "amount", "words", "unit", "every", "every_amount", "every_words")


class RulesInvalid(Exception):
    """rules/ has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in rules/")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines.append(f"\nrules/ has {len(self.problems)} {noun}; the site was not built. "
                     "See rules/README.md for the shape of each file.")
        return "\n".join(lines)


@dataclass
class Rules:
    """Everything in rules/, validated and indexed. Plain data, no behaviour."""

    root: Path
    areas: dict = field(default_factory=dict)          # id -> area
    documents: dict = field(default_factory=dict)      # id -> document (+ "area")
    events: dict = field(default_factory=dict)         # id -> event
    steps: dict = field(default_factory=dict)          # id -> step
    procedures: dict = field(default_factory=dict)     # area -> [procedure], by order
    parts: dict = field(default_factory=dict)          # area -> [part], by order (areas with parts only)
    anchors: dict = field(default_factory=dict)        # section/block id -> Anchor
    timescales: dict = field(default_factory=dict)     # area -> [timescale]
    contacts: dict = field(default_factory=dict)       # area -> [contact]
    thresholds: dict = field(default_factory=dict)     # area -> thresholds
    glossary: dict = field(default_factory=dict)       # area -> [term]
    calendar: dict = field(default_factory=dict)
    drafts: list = field(default_factory=list)         # (file, line, kind, id, what): `draft: true`, not yet reviewed

    def timescale(self, ts_id: str) -> dict:
        return self._by_id("timescales")[ts_id]

    def contact(self, contact_id: str) -> dict:
        return self._by_id("contacts")[contact_id]

    def _by_id(self, kind: str) -> dict:
        cache = self.__dict__.setdefault("_index", {})
        if kind not in cache:
            cache[kind] = {item["id"]: item for items in getattr(self, kind).values() for item in items}
        return cache[kind]

    def lineage(self, area: str) -> list[str]:
        """``coventry`` -> ``["coventry", "national"]`` (:func:`tools.layers.chain`)."""
        return chain(self.areas, area)


@dataclass(slots=True)   # one per section and paragraph: 150,000 in a 2,000-procedure manual
class Anchor:
    """A place on the site a link or a citation can point to."""

    id: str
    area: str
    page: str            # procedure id
    title: str           # heading, or "Paragraph 3.23"
    cite: str            # the document's own number or heading
    document: str
    kind: str            # section | paragraph | box | ...

    @property
    def url(self) -> str:
        """Site-relative address, e.g. ``peterborough/referrals/#pbo-3-23``."""
        return f"{self.area}/{self.page}/#{self.id}"


