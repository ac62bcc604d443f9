"""Levels of need ("Level 1" ... "Level 4" headings) and their indicators, for thresholds/<area>.yaml.

A section whose title starts "Level N" (N from 1 to 4) is a level: its first paragraph
(the text before any list) is the level's description. Each list item in the section is
an indicator of that level. The document's own grouping is kept as the indicator's
``dimension`` (the lead-in line of the list, "Health:" -> "Health", else the level's
title); the ``domain`` (developmental needs, parenting capacity, family and environment)
is proposed from words of the dimension ("parent", "care", "family", "housing", ...) and
is a person's decision: the whole file is a draft until reviewed. Tables flattened into
text (as the Coventry grid is) are not recognised as indicators.
"""
from __future__ import annotations

import re

from macros.importer.structure import slug

LEVEL = re.compile(r"^Level\s+(?P<n>[1-4])\b", re.I)
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

    def visit(sections):
        for s in sections:
            m = LEVEL.match(s.title)
            if m and s.blocks:
                n = int(m["n"])
                first = s.blocks[0].text.split("\n\n")[0].strip()
                levels.append({"level": n, "title": s.title, "text": first if not first.startswith("- ") else s.title,
                               "source": s.id})
                for b in s.blocks:
                    dimension = s.title
                    for line in b.text.split("\n"):
                        if line.strip() and not line.lstrip().startswith("- "):
                            dimension = line.strip().rstrip(":") or s.title
                        elif line.lstrip().startswith("- ") and "{{" not in line:
                            text = line.strip()[2:].strip()
                            ident = f"{prefix}-l{n}-{slug(text, 5)}"
                            k = 2
                            while ident in ids:
                                ident, k = f"{prefix}-l{n}-{slug(text, 5)}-{k}", k + 1
                            ids.add(ident)
                            indicators.append({"id": ident, "level": n, "domain": domain_of(dimension),
                                               "dimension": dimension[:80], "text": text, "source": b.id})
            visit(s.sections)

    for page in pages:
        visit(page.sections)
    if not levels:
        return None
    out = {"levels": levels}
    if indicators:
        out["indicators"] = indicators
    return out
