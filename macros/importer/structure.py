"""Units (headings, paragraphs, list items) into pages, sections and blocks with ids and citations.

The rules of the split, in order of strength:

- **Numbers decide ids.** A heading "3. Referrals" is section ``<prefix>-3``, cited "3";
  "1.0 How is ..." is ``<prefix>-1-0``; a paragraph "3.23 Where ..." (or a number alone
  on the line before it, "52.") is block ``<prefix>-3-23`` cited "3.23", and the number
  leaves the text (the citation carries it, as on the hand-made pages). A paragraph
  "a) Anyone ..." in section 1.1 is ``<prefix>-1-1-a``, cited "1.1a".
- "Section One: ...", "Part 2 ...", "Chapter 3 ...", "Appendix 1 ..." headings are top
  sections (``<prefix>-section-one``, ``<prefix>-appendix-1``), cited by that name.
- Unnumbered headings are cited "Heading: <title>" and get ``<prefix>-<slug of the
  title>``; an unnumbered paragraph is ``<section id>-p<n>``, n its position among the
  section's blocks (1-based), cited as its section is.
- Numbered sections nest by their number (1.1 inside 1.0 or 1); an unnumbered heading
  inside a numbered section is its sub-section; otherwise the document's own heading
  levels (Markdown ``#``, HTML ``h1``-``h6``, Word "Heading N") decide.
- List items join the block before them as a Markdown list (nested 4 spaces a level), so
  "lead-in:" and its items stay one block, as in the source; items right after a
  heading start a block of their own.
- A paragraph "[4] Children return ..." is footnote 4: block ``<prefix>-fn-4`` cited
  "Footnote 4", ``kind: footnote``, the marker leaving the text (as a web page or a
  Word document saved as text writes its notes).
- A heading cannot interrupt a sentence: a "heading" right after a block whose text
  ends with a comma (a lead-in still running, "a) Anyone who ..., or ... ,") is read as
  a paragraph of that section (its emphasis kept), so the lettering around it stays.
- Pages: one per top section ("Section", "Part", "Chapter", "Appendix") when the document
  has them, otherwise one page for the whole document.

Ids are made unique by adding ``-2``, ``-3``; every such case is reported for a person
to decide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from macros.importer.reading import Unit

TOP = re.compile(r"^(?P<word>Section|Part|Chapter|Appendix)\s+(?P<n>[A-Za-z0-9]+)\b[:.\s-]*(?P<rest>.*)$", re.I)
NUMBERED_HEADING = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.?\s+(?P<rest>\S.*)$")
NUMBERED_PARA = re.compile(r"^(?P<num>\d+\.\d+(?:\.\d+)*)\.?\s+(?P<rest>\S.*)$", re.S)
FOOTNOTE = re.compile(r"^\[(?P<n>\d{1,3})\]\s+(?P<rest>\S.*)$", re.S)
LETTERED = re.compile(r"^(?P<letter>[a-z])\)\s+(?P<rest>\S.*)$", re.S)


def slug(text: str, words: int = 8) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(parts[:words]) or "section"


@dataclass
class Section:
    id: str
    title: str
    cite: str
    rank: int
    numbered: bool
    blocks: list = field(default_factory=list)
    sections: list = field(default_factory=list)


@dataclass
class Block:
    id: str
    cite: str
    text: str
    line: int
    open_list: bool = False
    kind: str = ""          # "footnote", or "" for a paragraph
    typed: list = field(default_factory=list)   # numbers left as typed: [{words, why}]


@dataclass
class Page:
    title: str
    sections: list = field(default_factory=list)


class Builder:
    def __init__(self, prefix: str, name: str):
        self.prefix = prefix
        self.name = name
        self.pages: list[Page] = []
        self.stack: list[Section] = []
        self.ids: set[str] = set()
        self.notes: list[str] = []
        self.pending_number: str | None = None
        self.title: str | None = None

    # ids -----------------------------------------------------------------
    def unique(self, ident: str, line: int) -> str:
        ident = re.sub(r"-+", "-", ident).strip("-")
        if ident not in self.ids:
            self.ids.add(ident)
            return ident
        n = 2
        while f"{ident}-{n}" in self.ids:
            n += 1
        self.notes.append(f"line {line}: id '{ident}' already used; this one is '{ident}-{n}' (check the numbering)")
        self.ids.add(f"{ident}-{n}")
        return f"{ident}-{n}"

    # sections ------------------------------------------------------------
    def page(self) -> Page:
        if not self.pages:
            self.pages.append(Page(self.title or self.name))
        return self.pages[-1]

    def heading(self, u: Unit):
        text = u.text.strip()
        last = self.stack[-1].blocks[-1] if self.stack and self.stack[-1].blocks else None
        if last is not None and last.text.rstrip().endswith(",") and not NUMBERED_HEADING.match(text) \
                and not TOP.match(text):
            self.paragraph(Unit("para", f"**{text}**", 0, u.line))
            return
        if not self.pages and not self.stack and u.level in (1, 2) and self.title is None and not TOP.match(text) \
                and not NUMBERED_HEADING.match(text):
            self.title = text   # the document's title: the page title, not a section
            return
        if m := TOP.match(text):
            rank, numbered = 1, True
            ident = f"{self.prefix}-{m['word'].lower()}-{m['n'].lower()}"
            cite = f"{m['word'].title()} {m['n']}"
        elif m := NUMBERED_HEADING.match(text):
            num = m["num"]
            parts = num.split(".")
            depth = 1 if len(parts) == 2 and parts[1] == "0" else len(parts)
            rank, numbered = 1 + depth, True
            ident, cite = f"{self.prefix}-{num.replace('.', '-')}", num
        else:
            inner = next((s for s in reversed(self.stack) if s.numbered), None)
            if inner is not None:
                rank = inner.rank + 1 if not self.stack[-1].numbered or self.stack[-1] is inner else self.stack[-1].rank
            else:
                rank = max(u.level, 2) if u.level else 2
            numbered = False
            ident, cite = f"{self.prefix}-{slug(text)}", f"Heading: {text}"
        section = Section(self.unique(ident, u.line), text, cite, rank, numbered)
        if rank == 1 and (self.stack or self.pages and self.pages[-1].sections):
            self.pages.append(Page(text))
            self.stack = []
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        (self.stack[-1].sections if self.stack else self.page().sections).append(section)
        self.stack.append(section)
        self.pending_number = None

    def current(self, line: int) -> Section:
        if not self.stack:
            text = self.title or self.name
            section = Section(self.unique(f"{self.prefix}-{slug(text)}", line), text, f"Heading: {text}", 2, False)
            self.page().sections.append(section)
            self.stack.append(section)
        return self.stack[-1]

    # blocks --------------------------------------------------------------
    def paragraph(self, u: Unit):
        text = u.text.strip()
        section = self.current(u.line)
        number = self.pending_number
        self.pending_number = None
        if number is None and (m := FOOTNOTE.match(text)):
            section.blocks.append(Block(self.unique(f"{self.prefix}-fn-{m['n']}", u.line), f"Footnote {m['n']}",
                                        m["rest"], u.line, kind="footnote"))
            return
        if number is None and (m := NUMBERED_PARA.match(text)):
            number, text = m["num"], m["rest"]
        if number is not None:
            ident, cite = f"{self.prefix}-{number.replace('.', '-')}", number
        elif m := LETTERED.match(text):
            base = section.cite if section.numbered else ""
            ident, cite = f"{section.id}-{m['letter']}", f"{base}{m['letter']}" if base else section.cite
        else:
            ident, cite = f"{section.id}-p{len(section.blocks) + 1}", section.cite
        section.blocks.append(Block(self.unique(ident, u.line), cite, text, u.line))

    def item(self, u: Unit):
        section = self.current(u.line)
        marker = f"{u.number}. " if u.number else "- "
        line = "    " * u.level + marker + u.text.strip().replace("\n", "\n" + "    " * u.level + " " * len(marker))
        if self.pending_number is not None:     # "2.1" then a list: the list is paragraph 2.1
            self.paragraph(Unit("para", "", 0, u.line))
            section.blocks[-1].text = line
            section.blocks[-1].open_list = True
            return
        if section.blocks:
            last = section.blocks[-1]
            last.text += ("\n" if last.open_list else "\n\n") + line
            last.open_list = True
        else:
            section.blocks.append(Block(self.unique(f"{section.id}-p1", u.line), section.cite, line, u.line, True))

    def feed(self, units: list[Unit]) -> list[Page]:
        for u in units:
            if u.kind == "heading":
                self.heading(u)
            elif u.kind == "number":
                self.pending_number = u.text
            elif u.kind == "item":
                self.item(u)
            else:
                self.paragraph(u)
                self.stack[-1].blocks[-1].open_list = False
        return [p for p in self.pages if p.sections]


def build_pages(units: list[Unit], prefix: str, name: str) -> tuple[list[Page], list[str], str | None]:
    """(pages, notes, document title or None)."""
    builder = Builder(prefix, name)
    pages = builder.feed(units)
    return pages, builder.notes, builder.title


def walk_blocks(sections):
    """Every block of a page, in order, with its section."""
    for s in sections:
        for b in s.blocks:
            yield s, b
        yield from walk_blocks(s.sections)
