"""Check that the site says what the source documents say: ``python -m macros.rules.faithful [AREA]``.

Two questions, per area:

1. **Nothing invented**: every line of every paragraph, rendered as the page renders
   it (timescales, phone numbers and addresses filled in from rules/), must occur in
   the area's source document, word for word (ignoring bullets, Markdown emphasis,
   quote styles and spacing).
2. **Nothing lost**: every line of the source document must occur somewhere in the
   area's rules (paragraphs, headings, box titles, contacts, indicators, flags), unless
   it is listed, with a reason, in ``tests/cases/faithful_ignore.yaml`` (navigation
   junk such as "Click here to return to the top of this page.").
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from macros.rules import Rules, RulesInvalid, load_rules
from macros.rules.ruletext import MACRO, macro_args, procedure_texts
from macros.rules.text import ts_text

SOURCES = Path(__file__).resolve().parents[2] / "rules" / "sources"

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                         "\u00a0": " ", "\u2022": " ", "\u2026": "..."})


def normalise(text: str) -> str:
    """Reduce text to its words and punctuation, so layout differences do not count."""
    text = text.translate(_QUOTES)
    text = re.sub(r"<[^>]+>", " ", text)            # stray HTML in the sources
    text = re.sub(r"\\([\[\]*_#])", r"\1", text)      # Markdown escapes
    text = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", text)  # emphasis markers
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+\.)\s+(?=\S)", " ", text)       # list markers
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def strip_number(line: str) -> str:
    """The site keeps paragraph numbers in citations, not in the text: "3.23 Where ..." -> "Where ..."."""
    return re.sub(r"^\d+(?:\.\d+)*\.?\s+(?=[A-Z(\"'])", "", line)


def render_plain(rules: Rules, text: str) -> str:
    """Fill in the macros the way a reader sees them (cards and grids, which are blocks, drop out)."""
    def sub(m):
        name, args = m.group("name"), macro_args(m.group("args"))
        if name == "ts":
            return ts_text(rules.timescale(args[0]), args[1] if len(args) > 1 else "full")
        if name == "phone":
            return rules.contact(args[0])["phones"][(args[1] if len(args) > 1 else 1) - 1]["number"]
        if name == "email":
            return rules.contact(args[0])["emails"][(args[1] if len(args) > 1 else 1) - 1]
        if name == "address":
            return ", ".join(rules.contact(args[0])["address"])
        if name == "link":
            return args[1] if len(args) > 1 else rules.anchors[args[0]].title
        return "\n"  # contact cards, flag lists, grids: rendered from data that is checked on its own
    return MACRO.sub(sub, text)


def rendered_lines(rules: Rules, area: str) -> list[tuple[str, str]]:
    """(where, line) for every line of text the area's pages show from its procedures."""
    out = []
    for proc in rules.procedures.get(area, []):
        for path, text in procedure_texts(proc):
            where = f"{proc['id']}:{'.'.join(map(str, path))}"
            for line in render_plain(rules, text).split("\n"):
                line = normalise(line)
                if line:
                    out.append((where, line))
    return out


def known_pieces(rules: Rules, area: str) -> list[str]:
    """Everything the area's rules hold, normalised, one piece per value."""
    parts = [line for _, line in rendered_lines(rules, area)]

    def walk(sections):
        for s in sections:
            parts.append(s["title"])
            parts.extend(b.get("title", "") for b in s.get("blocks", []))
            parts.extend(w["actor"] for b in s.get("blocks", []) for w in b.get("who", []))
            walk(s.get("sections", []))
    for proc in rules.procedures.get(area, []):
        parts.append(proc["title"])
        walk(proc["sections"])
    for c in rules.contacts.get(area, []):
        parts += [c["name"], *c.get("address", []), *(p["number"] for p in c.get("phones", [])),
                  *c.get("emails", []), *c.get("web", [])]
    th = rules.thresholds.get(area, {})
    parts += [lv["text"] for lv in th.get("levels", [])]
    parts += [i["text"] for i in th.get("indicators", [])]
    parts += [f["text"] for f in th.get("flags", [])] + [inc for f in th.get("flags", []) for inc in f.get("includes", [])]
    parts += [f.get("level_note", "") for f in th.get("flags", [])]
    parts += [f["title"] for f in th.get("flag_groups", [])] + [i["dimension"] for i in th.get("indicators", [])]
    if th.get("indicators"):  # the grid's domain headings, as the source prints them
        parts += ["Child's Developmental Needs", "Parenting Capacity", "Family and Environmental Factors"]
    return [n for n in (normalise(p) for p in parts if p) if n]


def source_text(rules: Rules, area: str) -> str:
    """The area's source documents, from the ``sources/`` folder of the tree the rules were loaded
    from (rules/sources/ for a test tree without one, as the loader's check of ``source_file``)."""
    folder = rules.root / "sources"
    if not folder.is_dir():
        folder = SOURCES
    return "\n".join((folder / d["source_file"]).read_text(encoding="utf-8") for d in rules.areas[area]["documents"])


def invented(rules: Rules, area: str, ignore: list[str] = ()) -> list[str]:
    """Lines on the site that the source document does not contain."""
    src = normalise(source_text(rules, area))
    return [f"{where}: {line}" for where, line in rendered_lines(rules, area)
            if line not in src and line not in [normalise(i) for i in ignore]]


def lost(rules: Rules, area: str, ignore: list[str] = ()) -> list[str]:
    """Source lines (of 3 words or more) whose words are not on the site.

    A flattened table row holds many items on one line, so a line counts as kept when,
    after removing every piece of text the rules hold, fewer than 3 words are left
    (labels such as "Health, e.g." or "Level 3/4.")."""
    pieces = sorted(set(known_pieces(rules, area)), key=len, reverse=True)
    known = " \n ".join(pieces)
    ignored = [normalise(i) for i in ignore]
    out = []
    for n, raw in enumerate(source_text(rules, area).split("\n"), 1):
        line = strip_number(normalise(raw))
        if len(line.split()) < 3 or line in known or any(i and i in line for i in ignored):
            continue
        left = line
        for piece in pieces:
            if len(piece) > 3 and piece in left:
                left = left.replace(piece, " ")
        if len(re.findall(r"[A-Za-z]{2,}", left)) < 3:
            continue
        out.append(f"line {n}: {line[:160]} [not found: {' '.join(left.split())[:200]}]")
    return out


IGNORE = Path(__file__).resolve().parents[2] / "tests" / "cases" / "faithful_ignore.yaml"


def load_ignore() -> dict:
    """The reasoned exceptions: {area: {not_on_site: [{text, why}], not_in_source: [{text, why}]}}."""
    import yaml
    return yaml.safe_load(IGNORE.read_text()) if IGNORE.exists() else {}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        rules = load_rules()
    except RulesInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    areas = argv or list(rules.areas)
    status = 0
    for area in areas:
        ignore = load_ignore().get(area, {})
        bad = invented(rules, area, [i["text"] for i in ignore.get("not_in_source", [])])
        missing = lost(rules, area, [i["text"] for i in ignore.get("not_on_site", [])])
        print(f"== {area}: {len(bad)} line(s) not in the source, {len(missing)} source line(s) not on the site")
        for line in bad:
            print("  NOT IN SOURCE ", line)
        for line in missing:
            print("  NOT ON SITE   ", line)
        status |= bool(bad or missing)
    return status


if __name__ == "__main__":
    sys.exit(main())
