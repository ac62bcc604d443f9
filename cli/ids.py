"""``procedures ids``: record every id published now in rules/published-ids.txt (never removes one)."""
from __future__ import annotations

import sys

from macros.rules import RULES, RulesInvalid, load_rules
from macros.rules.published_ids import FILE, current_ids, recorded_ids


def main(argv: list[str] | None = None) -> int:
    """``procedures ids``: add every id published now to rules/published-ids.txt (never removes one)."""
    if argv:
        print("usage: procedures ids\n(records the ids published now in rules/published-ids.txt)", file=sys.stderr)
        return 0 if argv[0] in ("-h", "--help") else 2
    try:
        rules = load_rules()
    except RulesInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    ids = current_ids(rules) | recorded_ids()
    FILE.write_text("# Published ids: never remove a line unless its paragraph or rule was deleted on purpose.\n"
                    "# Regenerate with: .venv/bin/procedures ids\n" + "\n".join(sorted(ids)) + "\n")
    print(f"{FILE.relative_to(RULES.parent)}: {len(ids)} ids")
    return 0


if __name__ == "__main__":
    sys.exit(main())
