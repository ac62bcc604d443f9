"""``procedures thresholds``: the suggested pathway for the concerns selected (text or JSON).

    procedures thresholds --area AREA --list [--json]
    procedures thresholds --area AREA [--indicator ID ...] [--flag ID ...] [--json]

The JSON is exactly what :func:`tools.thresholds.check` returns (the page's worker calls
the same function). Exit status 0 ok, 1 rules/ invalid, 2 a bad question.
"""
from __future__ import annotations

import argparse
import json
import sys

from tools.thresholds import ThresholdError, check, effective_rules, list_items
from tools.wording import cite, phone_text

from .bundle import load_or_report

PROG = "procedures thresholds"


def format_result(result: dict) -> str:
    """The command line's readable answer."""
    out = [f"{result['area_name']}: {result['pathway_label']}",
           f"Level of need: {'level ' + str(result['level']) if result['level'] is not None else 'no indicator selected'}",
           "", result["pathway_words"], "", "Why:"]
    for r in result["reasons"]:
        label = {"flag": "Selected", "indicator": f"Selected (level {r.get('level')})",
                 "link": "Also a child-protection trigger"}.get(r.get("kind"), "Rule")
        if r.get("inherited") and r.get("kind") in ("flag", "rule"):
            label += " (national guidance)"
        out.append(f"  - {label}: {r['text']}")
        out.append(f"    Source: {cite(r['source'])} ({r['source'].get('url', '')})")
    if result["next_steps"]:
        out += ["", "What to do now:"]
        for n, s in enumerate(result["next_steps"], 1):
            out.append(f"  {n}. {s['text']}")
            if s.get("section"):
                out.append(f"     See: {cite(s['section'])} ({s['section'].get('url', '')})")
    if result["contacts"]:
        out += ["", "Who to contact:"]
        for c in result["contacts"]:
            out.append(f"  - {phone_text(c)}")
            if c.get("address"):
                out.append(f"    {', '.join(c['address'])}")
    if result.get("documents_text"):
        out += ["", result["documents_text"]]
    out += ["", result["disclaimer"]]
    return "\n".join(out)


def format_list(bundle: dict, area: str, items: dict) -> str:
    """The command line's readable list of everything selectable."""
    e = effective_rules(bundle, area)
    out = [f"{bundle['areas'][area].get('name', area)}: {len(items['flags'])} flags, {len(items['indicators'])} indicators", ""]
    for g in e["flag_groups"]:
        national = " (national guidance)" if g["layer"] != e["layers"]["flags"] else ""
        out.append(f"{g['title']} [{g['pathway']}]{national}")
        out += [f"  --flag {f['id']}\n      {f['text']}" for f in items["flags"] if f["group"] == g["id"]]
        out.append("")
    if e["hidden"]:
        out.append("National concerns not asked here:")
        out += [f"  {h['flag']}: {h['reason']} ({cite(h['source'])})" for h in e["hidden"]]
        out.append("")
    for level in sorted({i["level"] for i in items["indicators"]}):
        out.append(f"Level {level}")
        dim = None
        for i in items["indicators"]:
            if i["level"] != level:
                continue
            if i["dimension"] != dim:
                dim = i["dimension"]
                out.append(f"  {dim}")
            out.append(f"    --indicator {i['id']}\n        {i['text']}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- an example for the docstrings and the tests ----------------------------------------------------
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Children's social care threshold checker: the suggested pathway for the concerns "
                    "selected, with reasons, next steps and contacts. It supports, and does not replace, "
                    "professional judgement.",
        epilog=f"Examples: {PROG} --area coventry --list | "
               f"{PROG} --area coventry --flag cov-s47-injury-non-mobile --json. "
               "JSON output (--json): the documented contract tools/output.schema.json (JSON Schema, "
               "$defs/thresholds; --list --json: $defs/threshold_listing).")
    p.add_argument("--area", help="area id, for example coventry")
    p.add_argument("--indicator", action="extend", nargs="+", default=[], metavar="ID",
                   help="an indicator id (repeat, or give several); see --list")
    p.add_argument("--flag", action="extend", nargs="+", default=[], metavar="ID",
                   help="a red flag id (repeat, or give several); see --list")
    p.add_argument("--list", action="store_true", help="list the indicators and flags of the area")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return p


def main(argv: list[str] | None = None, bundle: dict | None = None) -> int:
    """Command-line entry point; returns the exit status (0 ok, 1 rules/ invalid, 2 bad question).

    ``bundle`` is for tests; by default it comes from rules/ (:func:`cli.bundle.load_or_report`).
    """
    p = parser()
    args = p.parse_args(argv)
    if bundle is None:
        bundle = load_or_report()
        if bundle is None:
            return 1
    if not args.area:
        p.print_usage(sys.stderr)
        print(f"error: --area needed: one of {', '.join(bundle.get('areas', {}))}", file=sys.stderr)
        return 2
    if args.list and (args.indicator or args.flag):
        p.print_usage(sys.stderr)
        print("error: --list cannot be combined with --indicator or --flag", file=sys.stderr)
        return 2
    try:
        if args.list:
            items = list_items(bundle, args.area)
            print(json.dumps(items, indent=2, ensure_ascii=False) if args.json
                  else format_list(bundle, args.area, items), end="\n" if args.json else "")
            return 0
        result = check(bundle, args.area, indicators=args.indicator, flags=args.flag)
    except ThresholdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_result(result))
    return 0
