"""A source document read into a flat list of :class:`Unit`: headings, paragraphs and list items, in order.

Every format ends in the same list, so the rest of the importer never knows whether
the document was Word, a web page, Markdown or plain text:

- ``.txt`` and ``.md``: one unit per line (a line ending in two spaces or a line
  continuing a list item without a marker joins the previous unit with a line break);
  ``#`` headings are headings; ``-``, ``*``, ``+`` and ``•`` start list items (the
  indentation gives the depth, 2 or 4 spaces a level); a line holding only a number
  (``52.`` or ``2.1``) numbers the paragraph that follows it; a short line with no
  closing punctuation, standing alone between blank lines, is a heading
  (see :func:`looks_like_heading`). Contents lines (``1. Introduction ..... 3``) are
  left out and reported.
- ``.html``: ``h1``-``h6``, ``p``, ``li`` (depth from nested ``ul``/``ol``), ``td``
  cells as paragraphs; ``script``, ``style``, ``nav``, ``header`` and ``footer`` are
  skipped (stdlib :mod:`html.parser`).
- ``.docx``: python-docx; ``Heading N`` and ``Title`` styles are headings,
  ``List ...`` styles and paragraphs with Word numbering are list items (``ilvl`` is the
  depth), table cells are paragraphs. Word's automatic numbers are not in the text
  python-docx reads, so a document numbered by Word (not typed) imports without its
  paragraph numbers: the report says so.

Bold wrapping (``**...**``) is removed from headings; paragraph text is kept as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

FORMATS = (".docx", ".html", ".htm", ".md", ".txt")


@dataclass
class Unit:
    kind: str               # "heading" | "para" | "item" | "number" (a number alone on its line)
    text: str
    level: int = 0          # heading level (1 = top) or list depth (0 = top)
    line: int = 0           # where in the source (line, or paragraph index for Word)
    number: int = 0         # an ordered list item's number ("2." -> 2), 0 for a bullet
    title: str = ""         # a picture's caption, when the unit holds the picture's words
    notes: list = field(default_factory=list)


class SourceError(ValueError):
    """The source cannot be read; the message says why and what is accepted."""


def read_units(path: Path) -> tuple[list[Unit], list[str]]:
    """(units, notes): the document's units in order and what was left out or is worth knowing."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SourceError(f"{path}: cannot import a '{suffix or 'no suffix'}' file; give a "
                          f"{', '.join(FORMATS)} file (Save As in Word: .docx; in a browser: Save page as .html)")
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    if suffix == ".docx":
        return read_docx(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if suffix in (".html", ".htm"):
        return read_html(text)
    return read_text(text)


BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+\u2022\u25aa\u25cf\u2013o])[ \t]+(?P<text>\S.*)$")
MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
NUMBER_ALONE = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)*)\.?\s*$")
CONTENTS_LINE = re.compile(r"\.{4,}\s*\d+\s*$")


def unbold(text: str) -> str:
    text = text.strip()
    while len(text) > 4 and text.startswith("**") and text.endswith("**"):
        text = text[2:-2].strip()
    return text


def looks_like_heading(text: str) -> bool:
    """A plain-text heading: 1 to 14 words, starts with a capital or a number, no closing
    '.', ',', ';' or ':' (a question mark is allowed: "What is an Initial Assessment?"),
    and not a sentence fragment starting in lower case."""
    words = text.split()
    if not 1 <= len(words) <= 14 or text.rstrip()[-1] in ".,;:" or text.startswith(("(", "[", "<", "\"", "'")):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    return not re.search(r"https?://|www\.|@", text)


NAVIGATION = re.compile(r"^(?:click here to )?(?:return|go|back|jump) to (?:the )?top(?: of (?:this|the) page)?\.?$", re.I)
LINK_WORDS = re.compile(r"^click here to (?:view|see|read|open|download)\s+(?P<rest>\S.*)$", re.I)
ORDERED = re.compile(r"^\s*(?P<n>\d{1,2})[.)]\s+(?P<text>\S.*)$")
LETTER_MARK = re.compile(r"^(?:[a-z]|[ivx]+)[.)]\s|^\((?:[a-z]|[ivx]+)\)\s")
ECHO = re.compile(r"^(?P<words>[A-Z][^:.]{2,40}:)\s+(?P=words)\s")
WEB_ONLY = re.compile(r"^<(?:https?://|www\.)[^>\s]+>$")
EMPTY_ITEM = re.compile(r"^\s*[-*+\u2022\u25aa\u25cf]\s*$")
CLOSING = re.compile(r"[.!?:;]\)?[\"'\u201d\u2019]?$")


def read_text(text: str) -> tuple[list[Unit], list[str]]:
    """Lines into units (the rules are in the module's docstring), and, in this order:

    - a table saved as text (tab-separated rows, cells in HTML) is read as a table
      (:mod:`macros.importer.tables`);
    - a contents list is left out (:func:`contents_lines`), as are a web page's links
      back to its top ("Click here to return to the top of this page."): both reported;
    - "Click here to view Figure 1: ..." keeps the words of what it links to
      ("Figure 1: ..."): "click here to view" is the link's wording, not the document's;
    - a caption ("Figure 2: ...", "Flow chart 4: ...", "Table 1 - ...") is a paragraph,
      never a heading, and a paragraph repeating the one right before it word for word (a
      picture's caption and its title) is kept once (reported);
    - lines "1. ...", "2. ..." numbered in sequence (the next line, with no blank line
      between, is "2." after "1.", or the last unit was item "1.") are an ordered list;
    - a line starting in lower case right after a paragraph or item that ends without
      closing punctuation continues it with a space, even across a blank line (a
      sentence broken in conversion: "... tool for early" / "intervention. It ..."), and
      such a broken line is never a heading however short (a line starting with a
      letter's mark, "b) ..." or "(ii) ...", is not a broken line); a line holding only a web
      address ("<http://...>") between the two halves does not stop the join;
    - a running header or footer is left out (:func:`running_headers`);
    - a line holding only a list marker ("- ") is an empty item: left out (reported), so
      the list after it stays with its lead-in;
    - short lines (six words or fewer, no closing full stop) right after a lead-in ending
      ":" are the lead-in's lines (a list typed without markers: "NW Worcs - 01562 ..."),
      kept in its paragraph one to a line, never headings;
    - the document's last line is never a heading (nothing is under it): a paragraph.
    """
    from macros.importer.pagelines import CAPTION, contents_lines, figures, running_headers
    from macros.importer.tables import is_header, is_row, table_units
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    units: list[Unit] = []
    notes: list[str] = []
    contents = contents_lines(lines)
    headers = running_headers(lines)
    if headers:
        notes.append(f"left out {len(headers)} line(s) repeating a running header or footer: "
                     + "; ".join(sorted({lines[i].strip()[:40] for i in headers})))
    if contents:
        notes.append(f"lines {min(contents) + 1}-{max(contents) + 1}: left out a contents list "
                     f"({len(contents)} lines that repeat the headings)")

    def blank(i: int) -> bool:
        return i < 0 or i >= len(lines) or not lines[i].strip()

    def following(i: int, past_web: bool = False) -> str | None:
        return next((lines[k] for k in range(i + 1, len(lines))
                     if lines[k].strip() and not (past_web and WEB_ONLY.match(lines[k].strip()))), None)

    resume = 0
    for i, raw in enumerate(lines):
        if i < resume:
            continue
        line = raw.rstrip()
        n = i + 1
        if not line.strip() or i in contents or i in headers:
            continue
        if is_row(raw.rstrip(" \r\n")) or is_header(line, following(i)):
            table, resume, table_notes = table_units(lines, i, Unit, looks_like_heading)
            units.extend(table)
            notes.extend(table_notes)
            continue
        if CONTENTS_LINE.search(line):
            notes.append(f"line {n}: left out a contents line: {line.strip()[:80]}")
            continue
        if EMPTY_ITEM.match(line):
            notes.append(f"line {n}: left out an empty list item (a marker with no text)")
            continue
        if NAVIGATION.match(line.strip()):
            notes.append(f"line {n}: left out a link to the top of the page: {line.strip()[:80]}")
            continue
        if m := LINK_WORDS.match(line.strip()):
            notes.append(f"line {n}: kept the words of a link without \"click here to ...\": {line.strip()[:80]}")
            line = m["rest"]
        if m := ECHO.match(line.strip()):
            notes.append(f"line {n}: \"{m['words']}\" written twice at the start of a paragraph: kept once")
            line = line.strip()[len(m["words"]) + 1:].strip()
        prev_hard_break = i > 0 and lines[i - 1].endswith("  ") and lines[i - 1].strip()
        in_bold = i > 0 and lines[i - 1].strip() and units and units[-1].kind == "para" \
            and units[-1].text.count("**") % 2 == 1
        prev_hard_break = prev_hard_break or in_bold
        if prev_hard_break and units and units[-1].kind in ("para", "item"):
            units[-1].text += "\n" + line.strip()
            continue
        last = units[-1] if units else None
        broken = next((u for u in reversed(units) if not WEB_ONLY.match(u.text)), None)
        if broken is not None and broken.kind in ("para", "item") and line.strip()[:1].islower() \
                and not CLOSING.search(broken.text) and not BULLET.match(line) and not LETTER_MARK.match(line.strip()):
            broken.text += " " + line.strip()
            continue
        if last is not None and last.kind in ("para", "heading") and line.strip() == last.text.strip():
            notes.append(f"line {n}: left out a paragraph repeating the one before it: {line.strip()[:80]}")
            last.line = n
            continue
        ordered = ORDERED.match(line)
        if ordered and not MD_HEADING.match(line) and not NUMBER_ALONE.match(line):
            k = int(ordered["n"])
            nxt = ORDERED.match(lines[i + 1]) if not blank(i + 1) else None
            if (nxt and int(nxt["n"]) == k + 1) or (last is not None and last.kind == "item" and last.number == k - 1
                                                   and k > 1):
                units.append(Unit("item", ordered["text"].strip(), 0, n, number=k))
                continue
        if m := MD_HEADING.match(line):
            units.append(Unit("heading", unbold(m["text"]), len(m["hashes"]), n))
        elif m := NUMBER_ALONE.match(line):
            units.append(Unit("number", m["num"], 0, n))
        elif m := BULLET.match(line):
            indent = len(m["indent"].expandtabs(4))
            units.append(Unit("item", m["text"].strip(), indent // 4 if indent >= 4 else 0, n))
        else:
            stripped = unbold(line) if line.strip().startswith("**") and line.strip().endswith("**") else line.strip()
            alone = blank(i - 1) and blank(i + 1)
            after_number = units and units[-1].kind == "number"
            numbered_title = re.match(r"^\d+\.\s+\S", stripped) and len(stripped.split()) <= 12
            nxt = following(i, past_web=True)
            goes_on = nxt is not None and nxt.strip()[:1].islower() and not BULLET.match(nxt) \
                and not CLOSING.search(stripped)
            if last is not None and last.kind == "para" and last.text.split("\n\n")[0].endswith(":") \
                    and _short_line(stripped) and _lines_after_lead_in(lines, last.line, i):
                last.text += "\n\n" + stripped
                continue
            if (alone or numbered_title) and not after_number and looks_like_heading(stripped) \
                    and not _numbered_sentence(stripped) and not CAPTION.match(stripped) and not goes_on \
                    and nxt is not None:
                units.append(Unit("heading", stripped, 0, n))
            else:
                units.append(Unit("para", line.strip(), 0, n))
    return figures(units, notes), notes


def _short_line(text: str) -> bool:
    return len(text.split()) <= 6 and not text.endswith((".", ":"))


def _lines_after_lead_in(lines: list[str], lead_line: int, i: int) -> bool:
    """Every non-blank line between the lead-in (1-based ``lead_line``) and line ``i`` is a short line."""
    return all(_short_line(x.strip()) for x in lines[lead_line:i] if x.strip())


def _numbered_sentence(text: str) -> bool:
    """"3.23 Where a ..." is a numbered paragraph, even if short."""
    return bool(re.match(r"^\d+\.\d+(?:\.\d+)*\s", text)) and len(text.split()) > 10


class _HTML(HTMLParser):
    SKIP = {"head", "script", "style", "nav", "header", "footer", "noscript", "template"}
    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "div", "caption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.units: list[Unit] = []
        self.skip = 0
        self.lists = 0
        self.current: list[str] | None = None
        self.kind = "para"
        self.level = 0
        self.emphasis = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists += 1
        elif tag == "br" and self.current is not None:
            self.current.append("\n")
        elif tag in ("strong", "b") and self.current is not None:
            self.current.append("**")
        elif tag in self.BLOCK:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.kind, self.level = "heading", int(tag[1])
            elif tag == "li":
                self.kind, self.level = "item", max(self.lists - 1, 0)
            else:
                self.kind, self.level = "para", 0
            self.current = []

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists = max(self.lists - 1, 0)
        elif tag in ("strong", "b") and self.current is not None:
            self.current.append("**")
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.current is None:
            if not data.strip():
                return
            self.current, self.kind, self.level = [], "para", 0
        self.current.append(data)

    def flush(self):
        if self.current is None:
            return
        text = "".join(self.current)
        text = "\n".join(" ".join(part.split()) for part in text.split("\n")).strip()
        text = re.sub(r"\*\*\s*\*\*", "", text)
        if self.kind == "heading":
            text = unbold(text)
        if text and text != "**":
            self.units.append(Unit(self.kind, text, self.level, len(self.units) + 1))
        self.current = None


def read_html(text: str) -> tuple[list[Unit], list[str]]:
    parser = _HTML()
    parser.feed(text)
    parser.close()
    parser.flush()
    return _split_numbers(parser.units), []


def _split_numbers(units: list[Unit]) -> list[Unit]:
    """A paragraph holding only "52." numbers the next one, as in plain text."""
    out = []
    for u in units:
        if u.kind == "para" and NUMBER_ALONE.match(u.text):
            out.append(Unit("number", NUMBER_ALONE.match(u.text)["num"], 0, u.line))
        else:
            out.append(u)
    return out


def read_docx(path: Path) -> tuple[list[Unit], list[str]]:
    try:
        import docx  # python-docx
        from docx.oxml.ns import qn
    except ImportError as exc:  # pragma: no cover - the lock installs it
        raise SourceError("reading .docx needs python-docx: run `make setup` (it is in requirements.txt)") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a damaged file
        raise SourceError(f"{path}: not a readable Word (.docx) file ({exc.__class__.__name__}: {exc})") from exc
    units: list[Unit] = []
    notes: list[str] = []
    auto_numbered = 0
    body = document.element.body
    for index, child in enumerate(body.iterchildren(), 1):
        if child.tag == qn("w:p"):
            para = docx.text.paragraph.Paragraph(child, document)
            unit, numbered = _docx_paragraph(para, index)
            auto_numbered += numbered
            if unit:
                units.append(unit)
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        unit, _ = _docx_paragraph(para, index)
                        if unit:
                            units.append(unit)
    if auto_numbered:
        notes.append(f"{auto_numbered} paragraph(s) use Word's automatic numbering, which is not part of "
                     "their text: they were imported as list items; type the numbers or add the ids by hand")
    return _split_numbers(units), notes


def _docx_paragraph(para, index: int) -> tuple[Unit | None, int]:
    text = "".join(f"**{r.text}**" if r.bold and r.text.strip() else r.text for r in para.runs)
    text = re.sub(r"\*\*(\s*)\*\*", r"\1", text).replace("\t", " ")
    text = "\n".join(part.strip() for part in text.split("\n")).strip()
    if not text:
        return None, 0
    style = (para.style.name if para.style is not None else "") or ""
    numbered = para._p.pPr is not None and para._p.pPr.numPr is not None
    if style == "Title" or style.startswith("Heading"):
        digits = re.findall(r"\d+", style)
        return Unit("heading", unbold(text), int(digits[0]) if digits else 1, index), 0
    if style.startswith("List") or numbered:
        depth = 0
        if numbered and para._p.pPr.numPr.ilvl is not None:
            depth = int(para._p.pPr.numPr.ilvl.val)
        elif digits := re.findall(r"\d+", style):
            depth = int(digits[0]) - 1
        return Unit("item", text, depth, index), int(numbered and not style.startswith("List Bullet"))
    return Unit("para", text, 0, index), 0
