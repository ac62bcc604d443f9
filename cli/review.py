"""``procedures review ID [ID ...] [--all AREA] [--rules DIR]``: mark draft items reviewed (deletes their ``draft: true``).

Review first: read each draft against its sentence (``procedures check`` lists them),
correct it, then run this. Exit status 0 when every id was a draft, 2 otherwise.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.importer.review import review
from macros.rules import RULES, RulesInvalid, load_rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procedures review", description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="timescale, contact, page or area ids")
    parser.add_argument("--all", metavar="AREA", help="every draft of this area")
    parser.add_argument("--rules", type=Path, default=RULES, help="the rules folder (default rules/)")
    args = parser.parse_args(argv)
    if not args.ids and not args.all:
        parser.error("give the ids to mark reviewed, or --all AREA")
    try:
        rules = load_rules(args.rules)
    except RulesInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    done, problems = review(rules, args.ids, args.all)
    for line in done:
        print(line)
    for line in problems:
        print(f"procedures review: {line}", file=sys.stderr)
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
