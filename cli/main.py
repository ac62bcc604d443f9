"""``procedures SUBCOMMAND ...``: one console script for the calculators and the rules tools.

    procedures deadlines --area coventry --event referral --at 2026-12-23 --json
    procedures thresholds --area coventry --flag cov-s47-non-mobile-injury --json
    procedures check                       # validate rules/ (make check)
    procedures refresh-calendar FILE       # bank holidays from a GOV.UK file on disk
    procedures ids [--write]               # the published-ids record (stable links)
    procedures import SOURCE --area ID --name NAME [--prefix P] [--json]   # a draft area
    procedures review ID [ID ...]          # mark draft items reviewed
    procedures faithful [AREA ...]         # nothing lost, nothing invented

Exit status: 0 ok, 1 rules/ invalid, 2 a bad question or usage.
"""
from __future__ import annotations

import importlib
import sys

# subcommand -> (module with main(argv) -> int, one line of help)
SUBCOMMANDS = {
    "deadlines": ("cli.deadlines", "every step due after an event, for one area"),
    "thresholds": ("cli.thresholds", "the suggested pathway for the concerns selected"),
    "check": ("cli.check", "validate rules/ and print every problem"),
    "refresh-calendar": ("macros.rules.calendar_refresh", "update the bank holidays from a GOV.UK file on disk"),
    "ids": ("cli.ids", "check (or --write) the record of published ids"),
    "import": ("cli.importer", "a .docx, .html, .md or .txt document becomes a draft area in rules/"),
    "review": ("cli.review", "mark a draft item (page, timescale, contact, area) reviewed"),
    "faithful": ("macros.rules.faithful", "compare an area's pages with its source document, line by line"),
}


def usage() -> str:
    width = max(map(len, SUBCOMMANDS))
    lines = ["usage: procedures SUBCOMMAND [options]", "", "subcommands:"]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in SUBCOMMANDS.items()]
    lines += ["", "procedures SUBCOMMAND --help shows a subcommand's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(usage(), file=sys.stderr)
        print(f"\nerror: unknown subcommand {name!r}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name][0])
    try:
        return module.main(rest)
    except SystemExit as exc:      # argparse's --help (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else 2
