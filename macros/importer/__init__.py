"""Bring your own procedures: a partnership's document (.docx, .html, .md, .txt) becomes a draft area in rules/.

Job: read a source document, split it into pages, sections and paragraphs with ids and
citations from its own numbering, find the timescales, contacts and levels of need in
its text (each replaced in the text by its macro), and write it all into rules/ exactly
where a hand-made area lives, every rule marked ``draft: true`` until a person reviews
it (``procedures review``). Then report what needs a person's decision and check the
result with the same checker and faithfulness check as every area.

==================  ================================================================
``reading.py``      a source file into a flat list of headings, paragraphs, list items
``pagelines.py``    contents lists, running headers and pictures' words in plain text
``tables.py``       a table saved as text (tab-separated rows, HTML cells) read as a table
``structure.py``    those units into pages, sections and blocks with ids and cites
``timescales.py``   timescale candidates in text, replaced by ``ts()`` macros
``contacts.py``     phones, e-mails and postal addresses, replaced by macros
``levels.py``       levels of need and their indicators (thresholds)
``pipeline.py``     one import start to finish, and the files it writes
``report.py``       what was imported and what needs a person's decision
``review.py``       marking a draft item reviewed (``procedures review ID``)
``roundtrip.py``    an import compared with a hand-made area (``bench/bench_import.py``)
==================  ================================================================

May import: the standard library, PyYAML, python-docx and ``macros.rules``;
nothing imports this package but ``cli`` (and its tests and bench).
"""
from __future__ import annotations

from pathlib import Path

from macros.importer.pipeline import Imported, import_document, write_area
from macros.importer.report import summary


def check_written(rules_dir: Path, area: str) -> dict:
    """The written area through the checker and the faithfulness check: {problems, not_in_source, not_on_site}."""
    from macros.rules import RulesInvalid, load_rules
    from macros.rules.faithful import invented, lost
    try:
        rules = load_rules(rules_dir)
    except RulesInvalid as exc:
        return {"problems": [str(p) for p in exc.problems]}
    return {"problems": [], "not_in_source": invented(rules, area), "not_on_site": lost(rules, area)}


__all__ = ["Imported", "check_written", "import_document", "summary", "write_area"]
