"""Lines a document's pages add around its text, and pictures saved as text: rules for ``reading.read_text``.

A document saved as plain text keeps what its pages printed around the text (a contents
list, a running header on every page) and the words of its pictures (a flow chart's
boxes, run together). Each function here is one rule, stated in its docstring.
"""
from __future__ import annotations

import re
from dataclasses import replace

CONTENTS = re.compile(r"^(?:table of )?contents:?$", re.I)
CONTENTS_LINE = re.compile(r"\.{4,}\s*\d+\s*$")
CAPTION = re.compile(r"^(?:Figure|Flow ?chart|Diagram|Chart|Table|Illustration)\s+\d+[a-z]?\s*[:.\u2013-]\s*\S", re.I)


def contents_lines(lines: list[str]) -> set[int]:
    """A contents list: the lines after a line "Contents" (or "Table of contents") that
    each appear again, word for word, as a line further down the document (the headings
    they list). The list ends at the first line that does not; blank lines do not end
    it. Edge case: contents lines with page numbers ("Introduction ..... 3") are left
    out by their own rule (``CONTENTS_LINE``)."""
    out: set[int] = set()
    stripped = [x.strip() for x in lines]
    for i, line in enumerate(stripped):
        if not CONTENTS.match(line):
            continue
        k = i + 1
        while k < len(lines):
            if stripped[k] and not CONTENTS_LINE.search(lines[k]):
                if stripped[k] not in stripped[k + 1:]:
                    break
                out.add(k)
            k += 1
    return out


def running_headers(lines: list[str]) -> set[int]:
    """A page's running header or footer, printed again on every page of the document:
    a line of the document's first page (its first 15 lines with text) that is printed
    again, standing alone between blank lines, two or more times further on, and is short
    (six words or fewer, not ending ":"). Its first time is kept (it is often the title
    or the date); the later ones are left out. Edge cases: a line ending ":" ("Purpose:",
    "The police should:") is a label or a lead-in however often it comes; a short line
    that repeats but is not on the first page ("Level 3" after each case of a list) is
    the document's text."""
    first_page = [i for i, raw in enumerate(lines) if raw.strip()][:15]
    seen: dict[str, list[int]] = {}
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text or len(text.split()) > 6 or text.endswith(":"):
            continue
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if i in first_page or (alone and text in seen):
            seen.setdefault(text, []).append(i)
    return {i for at in seen.values() if len(at) >= 3 for i in at[1:]}


def figures(units: list, notes: list[str]) -> list:
    """A caption and the words of its picture (a flow chart saved as text keeps its boxes'
    words on the lines right before or right after its caption, with no blank line
    between): one paragraph, the caption its title (``Unit.title``), the words its text,
    one to a line. Edge cases: a caption standing alone keeps its words as its text;
    words glued together where the page had boxes ("...strategy discussionSee flow chart
    4 ...") are split where the line's opening words come again (three times or more),
    one box to a list item."""
    out: list = []
    for u in units:
        if u.kind == "para" and CAPTION.match(u.text) and "\n" not in u.text:
            words: list = []
            k = len(out)
            while k and out[k - 1].kind in ("para", "heading") and out[k - 1].line == (words[0].line if words else u.line) - 1 \
                    and len(out[k - 1].text.split()) <= 12 and not CAPTION.match(out[k - 1].text):
                words.insert(0, out[k - 1])
                k -= 1
            if words:
                out[k:] = [replace(words[0], kind="para", text="\n\n".join(w.text for w in words), title=u.text)]
                notes.append(f"line {u.line}: the words above the caption \"{u.text[:60]}\" are its picture's")
                continue
        if u.kind == "para" and out and out[-1].kind == "para" and CAPTION.match(out[-1].text) \
                and not out[-1].title and u.line == out[-1].line + 1:
            out[-1] = replace(u, text=_boxes(u.text), title=out[-1].text)
            continue
        out.append(u)
    return out


def _boxes(text: str) -> str:
    opening = " ".join(text.split()[:3])
    if len(opening.split()) == 3 and text.count(opening) >= 3:
        parts = [p.strip() for p in text.split(opening) if p.strip()]
        return "\n".join(f"- {opening} {p}" for p in parts)
    return text
