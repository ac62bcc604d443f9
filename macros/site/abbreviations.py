"""The glossary's abbreviations marked up where procedure text uses them: ``<abbr title="...">``.

Build time, on the Markdown a block's text becomes after :func:`macros.rules.ruletext.markdown`
(so every ``<`` from rules/ is already ``&lt;`` and the only tags are the ones added here).
The first occurrence of each term in a section is marked; later ones are left plain.

Never inside: a macro call (``{{ ts('...') }}``), a Markdown link or its target, inline
code, a bare address, an HTML entity or tag, or a heading line. Terms are the area's
glossary and the ones it inherits (its own first); only abbreviations are marked
(``ICPC``, ``SoS``, ``R&A``, or the ``CAF`` of "CAF (Common Assessment Framework)"),
never phrases ("Core group"). Matching is case-sensitive on word boundaries, and a
plural "s" stays outside the mark-up: "LSCBs" becomes ``<abbr ...>LSCB</abbr>s``.

>>> terms = {"ICPC": "Initial child protection conference"}
>>> mark("An ICPC within {{ ts('x') }}; [ICPC](a.md#icpc) and ICPC.", terms, set())
'An <abbr title="Initial child protection conference">ICPC</abbr> within {{ ts(\\'x\\') }}; [ICPC](a.md#icpc) and ICPC.'
"""
from __future__ import annotations

import re
from functools import lru_cache

from macros.rules.ruletext import html as _esc

_ABBR = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z&]{2,6}$")
_LEADING = re.compile(r"^([A-Z][A-Za-z&]{1,5}) \(.+\)$")
_PROTECTED = re.compile(
    r"\{\{.*?\}\}"                       # a macro call
    r"|!?\[[^\]]*\]\([^)]*\)"            # a Markdown link or image, text and target
    r"|`[^`]*`"                          # inline code
    r"|&#?[A-Za-z0-9]+;"                 # an entity (&lt; &#123;)
    r"|<[^>]*>"                          # a tag or an autolink
    r"|https?://\S+|\S+@\S+"             # a bare address
    r"|^[ \t]*#[^\n]*",                      # a heading line
    re.MULTILINE | re.DOTALL)


def abbreviation(term: str) -> str | None:
    """``"ICPC"`` -> ``"ICPC"``; ``"CAF (Common Assessment Framework)"`` -> ``"CAF"``; ``"Core group"`` -> None."""
    if _ABBR.match(term):
        return term
    m = _LEADING.match(term)
    return m.group(1) if m and _ABBR.match(m.group(1)) else None


def terms_for(rules, area: str) -> dict[str, str]:
    """Abbreviation -> expansion for ``area``: its own glossary first, then the inherited ones.

    Computed once per area and rules load (every block of a page asks for it)."""
    cache = rules.__dict__.setdefault("_abbreviations", {})
    if area not in cache:
        cache[area] = _terms(rules, area)
    return cache[area]


def _terms(rules, area: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for layer in rules.lineage(area):
        for t in rules.glossary.get(layer, []):
            abbr = abbreviation(t["term"])
            if abbr and abbr not in out:
                out[abbr] = " ".join(t["meaning"].split()).rstrip(".")
    return out


def mark(text: str, terms: dict[str, str], seen: set[str]) -> str:
    """``text`` with the first occurrence of each term not in ``seen`` marked up (``seen`` grows)."""
    if not terms:
        return text
    word = _word(tuple(terms))

    def in_plain(segment: str) -> str:
        def one(m: re.Match) -> str:
            term = m.group(1)
            if term in seen:
                return term
            seen.add(term)
            return f'<abbr title="{_esc(terms[term])}">{term.replace("&", "&amp;")}</abbr>'
        return word.sub(one, segment)

    out, pos = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(in_plain(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(in_plain(text[pos:]))
    return "".join(out)


@lru_cache(maxsize=64)
def _word(terms: tuple[str, ...]) -> re.Pattern:
    """One pattern for all of an area's terms, longest first, compiled once per area."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w&/-])({alternatives})(?=s?(?![\w&]))")
