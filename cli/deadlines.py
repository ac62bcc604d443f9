"""``procedures deadlines``: every step due after an event, for one area (table or JSON).

    procedures deadlines --area coventry --event referral --at 2026-12-23 [--today DATE] [--json]
    procedures deadlines --area national --timeline strategy-discussion=2026-11-03 icpc=2026-11-17 \
        [--today 2026-12-02] [--json]
    procedures deadlines --list [--area AREA] [--json]

With ``--timeline`` the JSON is exactly :func:`tools.timeline.timeline`: ``{"area", "today",
"events", "deadlines": [...], "notes"}``. Every occurrence given is kept: an event given three
times is three occurrences, and each occurrence of a repeating step is matched in order, the
next one counted from the latest real one.

Without it, the JSON is exactly what :func:`tools.deadlines.deadlines_for` returns (with the
next occurrence of every repeating step the event completes). Both have the one row shape of
``tools/output.schema.json`` (the page's worker calls the same functions). Exit status 0 ok,
1 rules/ invalid, 2 a bad question (a date or time that does not exist included).
"""
from __future__ import annotations

import argparse
import json
import sys

from tools.deadlines import deadlines_for, list_payload
from tools.duedates import DEFAULT_OCCURRENCES, REFRESH_HINT, DeadlineError, OutOfCoverage, parse_at
from tools.timeline import timeline
from tools.wording import amount_words, cite, compact_date, on_when

from .bundle import load_or_report

PROG = "procedures deadlines"


_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def _nth(n: int | None) -> str:
    if not n:
        return ""
    return f" ({_ORDINAL.get(n, f'{n}th') if n % 100 not in (11, 12, 13) else f'{n}th'})"


def _state(row: dict) -> str:
    return {"done": " DONE", "overdue": " OVERDUE", "not-recorded": " NOT RECORDED HERE",
            "conditional": " IF"}.get(row.get("status"), "")


def _row_lines(row: dict, bundle: dict, width: int) -> list[str]:
    due = compact_date(row["due"]) if row["due"] else "not calculated"
    pad = " " * width
    repeating = row.get("recurrence") or row.get("repeat_of")
    head = due + _state(row)
    step = f"{row['label']}{_nth(row.get('occurrence')) if repeating else ''}"
    # A state too long for the column ("Thu 5 Nov 2026 NOT RECORDED HERE") puts the step on its own line.
    lines = [f"{head:<{width}}{step}"] if len(head) < width else [head, pad + step]
    layer = bundle["areas"].get(row["layer"], {}).get("name", row["layer"])
    source = cite(row["source"])
    if row.get("applies_if"):
        cond = row["applies_if"]
        lines.append(f"{pad}{cond['text']} ({cite(cond['source']) or cond['label']})"
                     + ("" if row.get("condition_met") else ": applies only then"))
    lines.append(f"{pad}{row['rule']}")
    if row.get("parts"):      # whichever is sooner / later: each part's own date, and the one taken
        lines.append(pad + "; ".join(f"{amount_words(p['amount'], p['unit'])}: {compact_date(p['due'])}"
                                     + (" (taken)" if p["chosen"] else "") for p in row["parts"]))
    if row.get("latest_working_day"):
        lines.append(f"{pad}latest working day: {compact_date(row['latest_working_day'])}")
    if row.get("status") == "not-recorded":
        lines.append(f"{pad}not recorded here: {row['not_recorded']}")
    if row.get("status") == "done":
        lines.append(f"{pad}done {compact_date(row['done_at'])}: {row['timeliness']}")
    if row.get("from_event") and row.get("from_at"):
        lines.append(f"{pad}from: {bundle['events'][row['from_event']]['label']}, {compact_date(row['from_at'])}")
    lines.append(f"{pad}{'National' if row['layer'] == 'national' else layer} rule"
                 f"{'; source: ' + source if source else ''}")
    if row["notes"]:
        lines.append(f"{pad}Note: {row['notes']}")
    for w in row["warnings"]:
        lines.append(f"{pad}! {w}")
    if row["error"]:
        lines.append(f"{pad}! {row['error']}")
    for occ in row["occurrences"]:
        lwd = f" (latest working day: {compact_date(occ['latest_working_day'])})" if occ.get("latest_working_day") else ""
        lines.append(f"{pad}then {compact_date(occ['due'])}{lwd}" if occ["due"] else f"{pad}then: {occ['error']}")
        for w in occ["warnings"]:
            lines.append(f"{pad}  ! {w}")
    return lines


def history_lines(result: dict) -> list[str]:
    """A timeline's done steps as a reviewing manager reads them: in the order they were done,
    each occurrence with its own due date and how late it was."""
    done = sorted((r for r in result["deadlines"] if r.get("status") == "done"),
                  key=lambda r: (r["done_at"], r["label"]))
    if not done:
        return []
    lines = ["History (done, in order):"]
    for r in done:
        due = f"due {compact_date(r['due'])}" if r["due"] else "due date not counted here"
        nth = _nth(r.get("occurrence")) if r.get("recurrence") or r.get("repeat_of") else ""
        lines.append(f"  {compact_date(r['done_at']):<22}{r['label']}{nth}: "
                     f"{due}, {r['timeliness']}")
    return lines + [""]


def format_table(result: dict, bundle: dict) -> str:
    """The readable (non-JSON) form of a :func:`tools.deadlines.deadlines_for` or
    :func:`tools.timeline.timeline` result."""
    area = bundle["areas"][result["area"]]
    if "event" in result:
        ev = bundle["events"][result["event"]]
        lines = [f"{area.get('name', result['area'])}: deadlines from \"{ev.get('label', result['event'])}\" "
                 f"{on_when(parse_at(result['at']))}", ""]
    else:
        entered = "; ".join(f"{e['label']} {compact_date(e['at'])}" for e in result["events"])
        lines = [f"{area.get('name', result['area'])}: case timeline ({entered})"
                 + (f", today {compact_date(result['today'])}" if result.get("today") else ""), ""]
        lines += history_lines(result)
    if not result["deadlines"]:
        lines.append("No timescale in this area starts from this event.")
    width = 26
    lines.append(f"{'Due':<{width}}Step")
    lines.append(f"{'-' * (width - 2):<{width}}{'-' * 40}")
    for row in result["deadlines"]:
        lines += _row_lines(row, bundle, width)
    for note in result.get("notes") or []:
        lines.append(f"Note: {note}")
    if any(row.get("error") and "Not calculated" in row["error"] and "bank holidays after" in row["error"]
           for row in result["deadlines"]):
        lines.append(REFRESH_HINT)
    cal = bundle["calendar"]
    lines += ["", f"Bank holidays: England and Wales, {cal['covers_from']} to {cal['covers_to']}."]
    return "\n".join(lines)


def format_list(payload: dict) -> str:
    """The readable form of ``--list``: each area and the events that start its deadlines."""
    lines = []
    for a in payload["areas"]:
        lines.append(f"{a['id']}: {a['name']}" + (f" (inherits {a['inherits']})" if a["inherits"] else ""))
        for e in a["events"]:
            n = len(e["timescales"])
            lines.append(f"    {e['id']:<24} {e['label']} ({n} deadline{'s' if n != 1 else ''})")
        if not a["events"]:
            lines.append("    (no timescales)")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Children's social care deadlines: every step due after an event, for one area.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"""Examples:
  {PROG} --area dudley --event referral --at 2026-12-23
  {PROG} --area national --event cp-review --at 2027-02-15      (the next review, from one just held)
  {PROG} --area national --timeline icpc=2026-11-20 cp-review=2027-02-15 cp-review=2027-08-20 --today 2027-09-01

JSON output (--json): one documented contract for single events and timelines,
tools/output.schema.json (JSON Schema; row "status" is done, due, overdue, not-recorded
or conditional). Times are UK clock time; a time that did not happen (01:00-01:59 on the
last Sunday of March) is an error (exit 2); in the repeated hour on the last Sunday of
October the first (BST) is used unless the time is written "01:30 GMT".
Exit status: 0 ok, 1 rules/ invalid, 2 a bad question.""")
    p.add_argument("--area", help="area id (see --list)")
    p.add_argument("--event", help="event id (see --list --area AREA)")
    p.add_argument("--at", help="when the event happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UK time)")
    p.add_argument("--timeline", nargs="+", metavar="EVENT=AT",
                   help="a case timeline: every event so far as EVENT=AT; give a repeating event once per "
                        "occurrence (cp-review=2027-02-15 cp-review=2027-08-20): every occurrence is kept")
    p.add_argument("--today", help="flag deadlines overdue against this date (YYYY-MM-DD[THH:MM])")
    p.add_argument("--occurrences", type=int, default=DEFAULT_OCCURRENCES,
                   help="how many further occurrences of a repeating rule to show (default 3)")
    p.add_argument("--list", action="store_true", help="list the areas and the events that start their deadlines")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def main(argv: list[str] | None = None, bundle: dict | None = None) -> int:
    """Returns the exit status (0 ok, 1 rules/ invalid, 2 bad question).

    ``bundle`` is for tests; by default it comes from rules/ (:func:`cli.bundle.load_or_report`).
    """
    p = parser()
    args = p.parse_args(argv)
    if args.timeline is not None:
        return _timeline(args, bundle)
    if not args.list and not (args.area and args.event and args.at):
        missing = [f"--{k}" for k in ("area", "event", "at") if not getattr(args, k)]
        p.print_usage(sys.stderr)
        print(f"error: {', '.join(missing)} needed (or --list to see areas and events)", file=sys.stderr)
        return 2
    if args.occurrences < 0:
        print("error: --occurrences must be 0 or more", file=sys.stderr)
        return 2
    if bundle is None:
        bundle = load_or_report()
        if bundle is None:
            return 1
    try:
        if args.list:
            payload = list_payload(bundle, args.area)
            print(json.dumps(payload, indent=2, ensure_ascii=False) if args.json else format_list(payload))
            return 0
        result = deadlines_for(bundle, args.area, args.event, args.at, today=args.today,
                               occurrences=args.occurrences)
    except DeadlineError as exc:
        print(f"error: {exc}" + (f" {REFRESH_HINT}" if isinstance(exc, OutOfCoverage) else ""), file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_table(result, bundle))
    return 0


def _timeline(args, bundle) -> int:
    """``--timeline EVENT=AT ...``: :func:`tools.timeline.timeline` as JSON or a table."""
    if not args.area:
        print("error: --area needed with --timeline", file=sys.stderr)
        return 2
    pairs = []
    for item in args.timeline:
        event, sep, at = item.partition("=")
        if not sep or not event or not at:
            print(f"error: --timeline takes EVENT=AT, for example strategy-discussion=2026-11-03 (got {item!r})",
                  file=sys.stderr)
            return 2
        pairs.append((event.strip(), at.strip()))
    if bundle is None:
        bundle = load_or_report()
        if bundle is None:
            return 1
    try:
        result = timeline(bundle, args.area, pairs, today=args.today, occurrences=args.occurrences)
    except DeadlineError as exc:
        print(f"error: {exc}" + (f" {REFRESH_HINT}" if isinstance(exc, OutOfCoverage) else ""), file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_table(result, bundle))
    return 0
