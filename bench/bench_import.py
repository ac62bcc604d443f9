"""Import round trips (``make bench``): each of the five source documents imported again and compared with its hand-made area.

    python bench/bench_import.py [AREA ...] [--json] [--misses]

Per document: the share of hand-made paragraphs the import reproduces (text, order, ids
from the numbering; target 95%), the share of hand-made timescales it finds (amount,
unit, direction, event; target 90%) and the time the import takes. ``--misses`` lists
every paragraph and timescale missed, with why. How each figure is counted:
macros/importer/roundtrip.py.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from macros.importer.roundtrip import measure  # noqa: E402
from macros.rules import load_rules  # noqa: E402


def main(argv: list[str]) -> int:
    as_json, show = "--json" in argv, "--misses" in argv
    rules = load_rules()
    areas = [a for a in argv if not a.startswith("--")] or list(rules.areas)
    results = [measure(rules, area) for area in areas]
    if as_json:
        print(json.dumps(results if show else [{k: v for k, v in r.items() if not k.endswith("misses")}
                                               for r in results], indent=2))
        return 0
    print(f"{'area':15} {'source':26} {'paragraphs':>18} {'timescales':>15} {'import s':>9}")
    for r in results:
        print(f"{r['area']:15} {r['source']:26} {r['reproduced']:4}/{r['paragraphs']:<4} {r['paragraphs_pct']:5.1f}%"
              f"   {r['found']:3}/{r['timescales']:<3} {r['timescales_pct']:5.1f}% {r['seconds']:9.3f}"
              f"   ({r['explained']} of the misses explained)")
        if show:
            for m in sorted(r["paragraph_misses"], key=lambda m: bool(m["explained"])):
                why = f"{m['why']}; EXPLAINED, {m['explained']}" if m["explained"] else m["why"]
                print(f"    PARAGRAPH {m['id']}: {why}: {m['text'][:90]}")
            for m in r["timescale_misses"]:
                print(f"    TIMESCALE {m['id']}: {m['rule']}: {m['why']}\n        (hand-made notes: {m['notes'][:110]})")
    print("targets: paragraphs >= 95%, timescales >= 90%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
