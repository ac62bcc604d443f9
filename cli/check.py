"""Check rules/ and print every problem: ``procedures check [RULES_DIR]`` (``make check``).

Exit status 0 when rules/ is valid, 1 when it has problems. Never a traceback.
"""
from __future__ import annotations

import datetime as dt
import sys

from macros.rules import RULES, RulesInvalid, load_rules
from macros.site.changes import overdue_reviews


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print("usage: procedures check [RULES_DIR]\n(validates rules/, or RULES_DIR, and prints every problem)")
        return 0
    root = argv[0] if argv else RULES
    try:
        rules = load_rules(root)
    except RulesInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    counts = {area: (sum(1 for _ in rules.anchors.values() if _.area == area),
                     len(rules.timescales.get(area, [])), len(rules.contacts.get(area, [])))
              for area in rules.areas}
    for area, (anchors, ts, contacts) in counts.items():
        print(f"{area:15} {anchors:4} sections and blocks, {ts:3} timescales, {contacts:3} contacts")
    print("rules/ is valid.")
    for message in overdue_reviews(rules, dt.date.today()):
        print(f"WARNING -  {message}")
    for file, line, kind, ident, what in rules.drafts:
        print(f"WARNING -  {file}:{line} draft {kind} '{ident}' not yet reviewed: {what[:200]}\n"
              f"    check it against the source, then `procedures review {ident}` (or delete the line `draft: true`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
