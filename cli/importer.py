"""``procedures import SOURCE --area ID --name NAME [--prefix P] [--rules DIR] [--json]``: a document becomes a draft area.

SOURCE is a .docx, .html, .md or .txt file. Writes the draft area into rules/ (or
--rules DIR), then checks it: prints what was imported, every item a person must
decide (with its sentence) and the faithfulness check. Exit status 0 when the draft
passes ``procedures check``, 1 when it was written but does not pass, 2 when nothing
was written (bad usage, unreadable source, a clash with an existing area).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from macros.importer import check_written, import_document, summary, write_area
from macros.importer.pipeline import ImportRefused
from macros.importer.reading import SourceError
from macros.importer.report import as_text
from macros.rules import RULES, RulesInvalid, load_rules
from macros.rules.model import ROOT_AREA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procedures import", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help=".docx, .html, .md or .txt")
    parser.add_argument("--area", required=True, help="new area id, e.g. barnsley")
    parser.add_argument("--name", required=True, help="the area's name as shown, e.g. Barnsley")
    parser.add_argument("--prefix", help="id prefix of its paragraphs (default: first 3 letters of the area)")
    parser.add_argument("--rules", type=Path, default=RULES, help="the rules folder (default rules/)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        rules = load_rules(args.rules)
    except RulesInvalid as exc:
        print(exc.report() + "\nprocedures import: fix rules/ first; nothing was written.", file=sys.stderr)
        return 2
    try:
        imp = import_document(args.source, args.area, args.name, args.prefix, rules.events, rules.steps,
                              rules.timescales.get(ROOT_AREA, []))   # the new area inherits the root's rules
        written = write_area(imp, args.rules)
    except (SourceError, ImportRefused) as exc:
        print(f"procedures import: {exc}", file=sys.stderr)
        return 2
    check = check_written(args.rules, args.area)
    data = summary(imp, written, check)
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else as_text(data))
    return 1 if check.get("problems") else 0


if __name__ == "__main__":
    sys.exit(main())
