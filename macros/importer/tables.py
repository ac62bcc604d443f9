"""Tables in a plain-text source (a Word or web table saved as text) read back as tables.

A table saved as text keeps one line per row, its cells separated by tabs, each cell
often still in the page's HTML (``<p>...</p>``, ``<ul> • ... • ...``). Read line by
line, such a row is one paragraph of tags and bullets run together; read as a table it
is what a person would type from it:

- **A row** is a line with a tab whose cells hold HTML (``<p>``, ``<ul``) or bullets
  ("•"). Its first cell, when it is short (eight words or fewer, no list), names the
  row: a heading (the row's part of the page). Every other cell is one block: each
  ``<p>`` a paragraph, each ``•`` a list item ("- "), in the cell's order. An empty cell
  gives no block. Edge case: a first cell holding a list or many words is content, as
  in a grid (a levels-of-need grid: "Health, e.g. • Physically well • ..."): every
  cell of such a row is a block and the row has no heading; the first line of text
  after such a row ends the table (a grid's cells are not cut into the text after it).
- **A header row** is a line of two or more short cells (five words or fewer, no tags,
  no closing full stop or colon: "1 Child's Developmental Needs:" heads a grid's
  cells, it does not name a column) right before the first row: the column names. It is left out
  (the report says so): the blocks are in the columns' order under each row.
- **A row continued**: a row whose first cell is empty continues the row above, cell by
  cell (a Word row split over a page). A cut sentence ("... interventions to" then
  "manage / minimise risk to child.") is joined with a space; otherwise the cell's text
  is added after the column's text as a new paragraph. Edge case: a continued cell that
  starts with a short title ("Prepare Parents", four words or fewer, no closing
  punctuation) is a part of its own, titled by it, under the same row.
- **Text between rows** (a cell's lists flattened out of the table when the page was
  saved): it belongs to the row above. After the last row (no row in the next 120
  lines) the table ends at a heading-like line, or at a paragraph once a list was read. Paragraphs, lead-ins ending ":" and the lists after a lead-in join the
  row's first text column; a list with no lead-in (right after another list or after a
  paragraph that does not end with ":") joins the row's last column (in such tables the
  last column is the one of lists). Edge case: a list right after a row whose first text
  column was cut in the middle of its list (no closing tag) continues that column.
- Cells of a grid (rows whose cells are themselves headed lists, as a levels-of-need
  grid is) are read the same way; a person decides whether they become indicators.

:func:`table_units` returns the units for ``reading.read_text`` and the line to go on from.
"""
from __future__ import annotations

import re

ROW_MARK = re.compile(r"<p\b|<ul\b|\u2022")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
P_TAG = re.compile(r"<p\b[^>]*>(.*?)(?:</p>|$)", re.S)
SHORT_TITLE = re.compile(r"^[A-Z][^.:;,!?]{0,40}$")
LIST_LINE = re.compile(r"^\s*(?:[-*+\u2022])(?:\s+(?P<text>\S.*))?$")
NEAR = 120                 # lines: text between rows further apart than this is not the table's
CLOSED = re.compile(r"[.!?:;)\"'\u201d]\s*$")


def is_row(line: str) -> bool:
    return "\t" in line and bool(ROW_MARK.search(line))


def is_header(line: str, following: str | None) -> bool:
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    return (len(cells) >= 2 and following is not None and is_row(following) and not TAG.search(line)
            and all(len(c.split()) <= 5 and not c.endswith((".", ":")) for c in cells))


def names_row(cell: str) -> bool:
    """A first cell names its row when it is short (eight words or fewer) and holds no list."""
    return len(_words(cell).split()) <= 8 and "\u2022" not in cell and "<ul" not in cell


def _words(text: str) -> str:
    return " ".join(TAG.sub(" ", text).split())


def cell_parts(cell: str) -> list[str]:
    """A cell's paragraphs and list items, in order: ["text", "- item", ...]."""
    out: list[str] = []
    for chunk in re.split(r"(<p\b[^>]*>.*?(?:</p>|$))", cell, flags=re.S):
        if not chunk.strip():
            continue
        if chunk.lstrip().startswith("<p"):
            inner = P_TAG.match(chunk.strip())
            text = _words(inner.group(1) if inner else chunk)
            if "\u2022" in text:
                out.extend(_bullets(text))
            elif text:
                out.append(text)
        else:
            out.extend(_bullets(_words(chunk)))
    return out


def _bullets(text: str) -> list[str]:
    pieces = [p.strip() for p in text.split("\u2022")]
    out = [pieces[0]] if pieces[0] else []
    return out + [f"- {p}" for p in pieces[1:] if p]


def join_parts(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if not out:
            out = p
        elif p.startswith("- ") and out.split("\n")[-1].startswith("- "):
            out += "\n" + p
        else:
            out += "\n\n" + p
    return out


def _add(column: list[str], parts: list[str]) -> None:
    """Parts added to a column; a cut sentence continues with a space."""
    if column and parts and not parts[0].startswith("- ") and not column[-1].startswith("- ") \
            and not CLOSED.search(column[-1]) and parts[0][:1].islower():
        column[-1] += " " + parts[0]
        parts = parts[1:]
    column.extend(parts)


class _Row:
    def __init__(self, title: str, line: int, columns: int):
        self.title, self.line = title, line
        self.columns: list[list[str]] = [[] for _ in range(max(columns - 1, 1))]
        self.parts: list[_Row] = []          # titled parts of a continued row
        self.cut = False                     # the first text column ended inside its list


def _cells(line: str) -> list[str]:
    return line.rstrip("\n").split("\t")


def table_units(lines: list[str], start: int, unit, looks_like_heading) -> tuple[list, int, list[str]]:
    """(units, index of the first line after the table, notes) for the table starting at ``lines[start]``.

    ``unit(kind, text, level, line)`` makes a reading Unit; ``looks_like_heading(text)``
    tells a heading-like line (which ends the text between rows)."""
    notes: list[str] = []
    i = start
    header = None
    if not is_row(lines[i]):
        header = [c.strip() for c in _cells(lines[i]) if c.strip()]
        notes.append(f"line {i + 1}: table columns {', '.join(header)}: left out as words; each row's "
                     "cells follow its heading in this order")
        i += 1
    rows: list[_Row] = []
    width = len(header) if header else 0
    pending: list[str] = []          # plain lines after a row, read as paragraphs and lists
    while i < len(lines):
        line = lines[i].rstrip(" \r\n")      # a row's last cell may be empty: its tab stays
        if is_row(line):
            _overflow(rows, pending)
            pending = []
            cells = _cells(line)
            width = max(width, len(cells))
            first = _words(cells[0])
            if first and names_row(cells[0]):
                row = _Row(first, i + 1, width)
                rows.append(row)
                _fill(row, cells[1:])
            elif first or not rows:             # a grid's row: every cell is content
                row = _Row("", i + 1, width + 1)
                rows.append(row)
                _fill(row, cells)
            else:
                _continue(rows[-1], cells[1:], i + 1, width)
            i += 1
            continue
        stripped = line.strip()
        if stripped and rows and not rows[-1].title and not LIST_LINE.match(line):
            break               # a grid's row has no cell cut short: the text after it is the document's
        nxt = next((k for k in range(i, min(i + NEAR, len(lines))) if is_row(lines[k])), None)
        if nxt is None and stripped and not LIST_LINE.match(line) \
                and (looks_like_heading(stripped) or any(LIST_LINE.match(x) for x in pending)):
            break
        pending.append(line)
        i += 1
    _overflow(rows, pending)
    units = []
    for row in rows:
        if row.title:
            units.append(unit("heading", row.title, 0, row.line))
        for column in row.columns:
            if column:
                units.append(unit("para", join_parts(column), 0, row.line))
        for part in row.parts:
            units.append(unit("heading", part.title, 0, part.line))
            for column in part.columns:
                if column:
                    units.append(unit("para", join_parts(column), 0, part.line))
    return units, i, notes


def _fill(row: _Row, cells: list[str]) -> None:
    for k, cell in enumerate(cells[:len(row.columns)]):
        parts = cell_parts(cell)
        _add(row.columns[k], parts)
    if cells:
        text_col = cells[0]
        row.cut = "\u2022" in text_col and not re.search(r"</(?:p|ul)>\s*$", text_col.strip())


def _continue(row: _Row, cells: list[str], line: int, width: int) -> None:
    target = row.parts[-1] if row.parts else row
    first = cell_parts(cells[0]) if cells else []
    if first and SHORT_TITLE.match(first[0]) and len(first[0].split()) <= 4 and len(first) > 1:
        part = _Row(first[0], line, width)
        row.parts.append(part)
        _add(part.columns[0], first[1:])
        for k, cell in enumerate(cells[1:len(part.columns)], 1):
            _add(part.columns[k], cell_parts(cell))
        return
    for k, cell in enumerate(cells[:len(target.columns)]):
        _add(target.columns[k], cell_parts(cell))
    target.cut = False


def _overflow(rows: list[_Row], pending: list[str]) -> None:
    """Plain lines between rows into the row above (see the module's rules)."""
    if not rows or not pending:
        return
    row = rows[-1].parts[-1] if rows[-1].parts else rows[-1]
    first, last = row.columns[0], row.columns[-1]
    paragraphs: list[list[str]] = []
    for line in pending:
        if not line.strip():
            paragraphs.append([])
            continue
        if not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line)
    target = first if row.cut else None
    lead_in = False
    for para in (p for p in paragraphs if p):
        if LIST_LINE.match(para[0]):
            items = [f"- {m['text'].strip()}" for x in para if (m := LIST_LINE.match(x)) and m["text"]]
            dest = target if target is not None else (first if lead_in else last)
            dest.extend(items)
            target, lead_in = None, False
        else:
            text = " ".join(x.strip() for x in para)
            _add(first, [text])
            target = None
            lead_in = text.endswith(":")
    row.cut = False
