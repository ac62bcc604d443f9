"""Levels of need ("Level 1" ... "Level 4" headings) and their indicators, for thresholds/<area>.yaml.

A section whose title starts "Level N" (N from 1 to 4) is a level: its first paragraph
(the text before any list) is the level's description. Each list item in the section is
an indicator of that level. The document's own grouping is kept as the indicator's
``dimension`` (the lead-in line of the list, "Health:" -> "Health", else the level's
title); the ``domain`` (developmental needs, parenting capacity, family and environment)
is proposed from words of the dimension ("parent", "care", "family", "housing", ...) and
is a person's decision: the whole file is a draft until reviewed.

Edge cases: a paragraph "LEVEL 2 These are children ..." (the word in capitals, its
number, then a sentence) is a level too, its sentence the description, and the list
items of the paragraphs after it (a grid read as a table: "Health, e.g." and its
list), up to the next such paragraph or the end of its section, are its indicators.
A "Level N" title used by more than one section rates each of those parts (the note
"Level 3" after each case of a list) and is not a level of its own.
"""
from __future__ import annotations

import re

from macros.importer.structure import slug

LEVEL = re.compile(r"^Level\s+(?P<n>[1-4])\b", re.I)
LEVEL_PARAGRAPH = re.compile(r"^LEVEL\s+(?P<n>[1-4])\s+(?P<text>[A-Z][^\n]{20,})$")
PARENTING = re.compile(r"parent|carer|guidance|boundar|stimulat|warmth|basic care|safety", re.I)
FAMILY = re.compile(r"famil|housing|employ|income|communit|social integration|environment", re.I)


def domain_of(dimension: str) -> str:
    if PARENTING.search(dimension):
        return "parenting-capacity"
    if FAMILY.search(dimension):
        return "family-environment"
    return "developmental-needs"


def find_levels(pages, prefix: str) -> dict | None:
    levels, indicators, ids = [], [], set()
    titled = [s for page in pages for s in _sections(page.sections) if LEVEL.match(s.title) and s.blocks]
    numbers = [int(LEVEL.match(s.title)["n"]) for s in titled]

    def add_indicators(n, blocks, default):
        for b in blocks:
            dimension = default
            for line in b.text.split("\n"):
                if line.strip() and not line.lstrip().startswith("- "):
                    dimension = line.strip().rstrip(":") or default
                elif line.lstrip().startswith("- ") and "{{" not in line:
                    text = line.strip()[2:].strip()
                    ident = f"{prefix}-l{n}-{slug(text, 5)}"
                    k = 2
                    while ident in ids:
                        ident, k = f"{prefix}-l{n}-{slug(text, 5)}-{k}", k + 1
                    ids.add(ident)
                    indicators.append({"id": ident, "level": n, "domain": domain_of(dimension),
                                       "dimension": dimension[:80], "text": text, "source": b.id})

    for s, n in zip(titled, numbers, strict=True):
        if numbers.count(n) > 1:
            continue            # the same "Level 3" over several parts rates each of them: not a level's own part
        first = s.blocks[0].text.split("\n\n")[0].strip()
        levels.append({"level": n, "title": s.title, "text": first if not first.startswith("- ") else s.title,
                       "source": s.id})
        add_indicators(n, s.blocks, s.title)
    for page in pages:
        for s in _sections(page.sections):
            opened = None
            for k, b in enumerate(s.blocks):
                m = LEVEL_PARAGRAPH.match(b.text)
                if m:
                    if opened:
                        add_indicators(opened[0], s.blocks[opened[1]:k], f"Level {opened[0]}")
                    n = int(m["n"])
                    levels.append({"level": n, "title": f"Level {n}", "text": m["text"].strip(), "source": b.id})
                    opened = (n, k + 1)
            if opened:
                add_indicators(opened[0], s.blocks[opened[1]:], f"Level {opened[0]}")
    if not levels:
        return None
    out = {"levels": levels}
    if indicators:
        out["indicators"] = indicators
    return out


def _sections(sections):
    for s in sections:
        yield s
        yield from _sections(s.sections)
