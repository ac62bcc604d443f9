"""Source documents for the importer tests, made from the real source texts (no binary files in the repository).

:func:`word_document` writes a Word (.docx) file with python-docx the way a council's
document is made: numbered headings in "Heading N" styles, paragraphs typed with their
numbers ("3.23 Where ..."), bulleted lists in "List Bullet" styles. :func:`web_page`
writes the same document as a web page (h1-h6, p, ul/li).
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

from macros.importer.reading import read_units

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "rules" / "sources"


def word_document(source: Path, dest: Path) -> Path:
    import docx
    document = docx.Document()
    units, _ = read_units(source)
    for u in units:
        if u.kind == "heading":
            document.add_heading(u.text, level=min(max(u.level - 1, 1), 9) if u.level else 2)
        elif u.kind == "item":
            document.add_paragraph(u.text, style="List Bullet" if u.level == 0 else "List Bullet 2")
        else:
            document.add_paragraph(u.text)
    document.save(dest)
    return dest


def web_page(source: Path, dest: Path) -> Path:
    units, _ = read_units(source)
    out, depth = ["<!doctype html><html><head><title>x</title><script>var x = 1;</script></head><body>",
                  "<nav><a href='/'>Home</a></nav>"], 0
    for u in units:
        want = u.level + 1 if u.kind == "item" else 0
        while depth < want:
            out.append("<ul>")
            depth += 1
        while depth > want:
            out.append("</ul>")
            depth -= 1
        text = html.escape(u.text).replace("\n", "<br>")
        if u.kind == "heading":
            out.append(f"<h{u.level or 2}>{text}</h{u.level or 2}>")
        elif u.kind == "item":
            out.append(f"<li>{text}</li>")
        else:
            out.append(f"<p>{text}</p>")
    out.append("</ul>" * depth + "</body></html>")
    dest.write_text("\n".join(out), encoding="utf-8")
    return dest


def rules_copy(tmp_path: Path) -> Path:
    """A copy of rules/ to import into (the real rules/ is never written by a test)."""
    dest = tmp_path / "rules"
    shutil.copytree(REPO / "rules", dest)
    return dest
