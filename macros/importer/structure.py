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
  heading start a block of their own, and so does an ordered list ("1.", "2.") after a
  paragraph that ends with a full stop (a finished sentence is not its lead-in).
- A numbered paragraph runs on after its list: a plain paragraph after the list (with a
  sentence ending ".", "!" or "?", before the next number or heading) is its closing
  words and joins it. Edge cases: a footnote, a caption, a lettered or numbered
  paragraph, a line that is not a finished sentence (a heading-like line) or one that
  starts with a label ("Note: ...") stays a block of its own.
- In a section without a number, lettered paragraphs after a lead-in ending ":" (or
  ":-") are its items: "a) ...", a lone "and" or "or", "b) ..." join the lead-in's block
  (a letter has no number to be cited by). In a numbered section each letter is a block.
- A paragraph after a lettered one ("b) ...") is the letter's, until the next letter or
  heading: ``<letter id>-p2`` cited "1.1b".
- A paragraph holding a picture's words (``reading`` gives its caption as the unit's
  title: ``pagelines.figures``) is ``kind: flowchart`` titled by its caption.
- Labels ("Purpose:") and "who does what" lead-ins: :func:`is_label`,
  :func:`ends_label_part`, :func:`who_groups`.
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
CAPTION = re.compile(r"^(?:Figure|Flow ?chart|Diagram|Chart|Table|Illustration)\s+\d+[a-z]?\s*[:.\u2013-]\s*\S", re.I)
PREFIXED = re.compile(r"^[A-Z][\w ]{0,24}:\s")
WHO = re.compile(r"^[A-Z][^.:;!?]{0,80}\b(?:should|must|will|shall)(?: also)?:$")
NOT_A_NAME = {"the", "a", "an", "it", "this", "these", "that", "those", "they", "we", "you", "he", "she", "if",
              "where", "when", "which", "who", "what"}
LEAD_IN_END = {"to", "if", "that", "as", "include", "includes", "including", "are", "is", "be", "for", "of", "by",
               "from", "with", "where", "when", "which", "following", "either", "and", "or", "will", "should", "must"}
CONNECTORS = {"and", "or", "and/or", "and / or"}
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
    letter: list = field(default_factory=list)            # [id, cite, n] of the last "b)" paragraph


@dataclass
class Block:
    id: str
    cite: str
    text: str
    line: int
    open_list: bool = False
    kind: str = ""          # "footnote", or "" for a paragraph
    typed: list = field(default_factory=list)   # numbers left as typed: [{words, why}]
    numbered: bool = False  # its id and cite are the document's paragraph number
    who: bool = False       # several "who does what" lead-ins and their lists joined
    title: str = ""         # a label's words ("Purpose"), the block's title
    label: bool = False     # a label's part, still open to the paragraphs that follow
    letters: bool = False   # a lead-in holding its lettered items "a) ... b) ..."


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
        last = section.blocks[-1] if section.blocks else None
        if number is None and is_label(text) and (section.blocks or section.sections):
            section.blocks.append(Block(self.unique(f"{section.id}-{slug(text, 4)}", u.line), section.cite, "",
                                        u.line, title=text.rstrip(":").strip(), label=True))
            return
        if last is not None and last.label and number is None and not ends_label_part(last, text):
            last.text = f"{last.text}\n\n{text}" if last.text else text
            return
        if last is not None and last.label:
            last.label = False
        last = section.blocks[-1] if section.blocks else None
        if number is None and last is not None and last.open_list and last.numbered \
                and text.endswith((".", "!", "?")) and not PREFIXED.match(text) and not FOOTNOTE.match(text) and not NUMBERED_PARA.match(text) and not LETTERED.match(text) \
                and not CAPTION.match(text):
            last.text += "\n\n" + text       # a numbered paragraph's closing words after its list
            return
        if number is None and last is not None and not section.numbered and not last.numbered \
                and (LETTERED.match(text) or (last.letters and text.lower() in CONNECTORS)) \
                and (last.letters or last.text.rstrip().endswith((":", ":-"))):
            last.text += "\n\n" + text         # "a) ... and b) ... or c) ..." after a lead-in, unnumbered
            last.letters = True
            return
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
            section.letter = [ident, cite, 1]
        elif section.letter and not CAPTION.match(text):              # a paragraph after "b) ...": b's own, until the next letter or heading
            section.letter[2] += 1
            ident, cite = f"{section.letter[0]}-p{section.letter[2]}", section.letter[1]
        else:
            ident, cite = f"{section.id}-p{len(section.blocks) + 1}", section.cite
        section.blocks.append(Block(self.unique(ident, u.line), cite, text, u.line, numbered=number is not None,
                                    title=u.title, kind="flowchart" if u.title else ""))

    def item(self, u: Unit):
        section = self.current(u.line)
        marker = f"{u.number}. " if u.number else "- "
        line = "    " * u.level + marker + u.text.strip().replace("\n", "\n" + "    " * u.level + " " * len(marker))
        if self.pending_number is not None:     # "2.1" then a list: the list is paragraph 2.1
            self.paragraph(Unit("para", "", 0, u.line))
            section.blocks[-1].text = line
            section.blocks[-1].open_list = True
            return
        if section.blocks and u.number and not section.blocks[-1].open_list \
                and section.blocks[-1].text.rstrip().endswith("."):
            section.blocks.append(Block(self.unique(f"{section.id}-p{len(section.blocks) + 1}", u.line), section.cite,
                                        line, u.line, True))
        elif section.blocks:
            last = section.blocks[-1]
            last.text += (("\n" if last.open_list else "\n\n") if last.text else "") + line
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
                if self.stack[-1].blocks:
                    self.stack[-1].blocks[-1].open_list = False
        return [p for p in self.pages if p.sections]


def is_label(text: str) -> bool:
    """A label names the part of a section that follows it ("Purpose:", "Strategy discussion
    tasks:", "Action to be taken:"): one line of six words or fewer ending ":", that is a
    name, not the start of a sentence. So not when its first word is an article, a
    pronoun or a conjunction ("The Conference Chair:", "It sets out:", "If ...:"), not
    when it names who acts ("Social workers should:", see :data:`WHO`), and not when it
    ends on a word that leads into a list ("... is to:", "This includes:"). A label
    that is the first thing under its heading is the heading's own lead-in and stays a
    paragraph (the caller checks). The label becomes the title of the block that holds
    its part (see :func:`ends_label_part`), not a paragraph."""
    words = text.rstrip(":").split()
    if not text.endswith(":") or "\n" in text or not 1 <= len(words) <= 6 or WHO.match(text):
        return False
    return words[0].lower() not in NOT_A_NAME and words[-1].lower() not in LEAD_IN_END and text[0].isupper()


def ends_label_part(last: Block, text: str) -> bool:
    """A label's part holds every paragraph and list after the label as one block, until
    a heading, another label, a numbered or lettered paragraph, a caption, a footnote, a
    short lead-in of its own (eight words or fewer ending ":", e.g. "The police should:"
    after the part's list), or a paragraph that follows a list and is not a lead-in
    (the document's text going on after the part)."""
    if not last.text:
        return bool(CAPTION.match(text) or FOOTNOTE.match(text))
    short_lead_in = text.endswith(":") and len(text.split()) <= 8
    return bool(CAPTION.match(text) or FOOTNOTE.match(text) or LETTERED.match(text) or short_lead_in
                or (last.open_list and not text.endswith(":")))


def who_groups(sections, unique=lambda ident: ident) -> None:
    """Who does what: consecutive paragraphs of one section that are each a short lead-in
    (eight words or fewer, ending ":") and its list, at least one of them naming who acts
    ("Social workers should:", "The police must:"), are one block: the document's
    "who does what" (a lead-in such as "The Conference Chair:" joins its neighbours).
    A paragraph whose last sentence is such a lead-in ("... strategy discussion. Social
    workers, the police or NSPCC should:") is split there first: the sentences before
    it stay a paragraph of their own. Numbered paragraphs are never joined. A footnote
    between two lead-ins ("[20] Ministry of Justice ...") does not end the group: it
    follows the group, in its order."""
    for s in sections:
        blocks = []
        for b in s.blocks:
            head, sep, rest = b.text.partition("\n\n")
            cut = re.search(r"(?<=[.!?])\s+(?=[A-Z][^.!?]*:$)", head)
            if not b.numbered and sep and rest.lstrip().startswith("- ") and cut and WHO.match(head[cut.end():]):
                first = Block(b.id, b.cite, head[:cut.start()], b.line)
                b.text = head[cut.end():] + sep + rest
                b.id = unique(b.id + "-who")
                blocks.append(first)
            blocks.append(b)
        out, notes = [], []       # notes: footnotes met inside a group, placed after it
        for b in blocks:
            if b.kind == "footnote" and out and _lead_in_list(out[-1]) and not out[-1].numbered:
                notes.append(b)
                continue
            if _lead_in_list(b) and out and _lead_in_list(out[-1]) and not out[-1].numbered and not b.numbered \
                    and (WHO.match(_head(b)) or WHO.match(_head(out[-1])) or out[-1].who):
                out[-1].text += "\n\n" + b.text
                out[-1].who = True
                continue
            out += notes + [b]
            notes = []
        s.blocks = out + notes
        who_groups(s.sections, unique)


def _head(b) -> str:
    return b.text.partition("\n\n")[0]


def _lead_in_list(b) -> bool:
    head, sep, rest = b.text.partition("\n\n")
    return bool(sep) and head.endswith(":") and len(head.split()) <= 8 and rest.lstrip().startswith(("- ", "1. "))


def build_pages(units: list[Unit], prefix: str, name: str) -> tuple[list[Page], list[str], str | None]:
    """(pages, notes, document title or None)."""
    builder = Builder(prefix, name)
    pages = builder.feed(units)
    for page in pages:
        who_groups(page.sections, lambda ident: builder.unique(ident, 0))
    return pages, builder.notes, builder.title


def walk_blocks(sections):
    """Every block of a page, in order, with its section."""
    for s in sections:
        for b in s.blocks:
            yield s, b
        yield from walk_blocks(s.sections)
