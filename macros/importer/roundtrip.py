"""An import compared with a hand-made area: how much of the hand-made work the importer reproduces.

For one area of rules/ (the reference, typed by hand), its source document is imported
in memory (nothing is written) with the area's own id and prefix, then:

- **paragraphs**: every hand-made block (its text, or its "who does what" lists as
  lines) is *reproduced* when an imported block reads the same (both rendered as the
  page renders them, macros filled in, and compared as the faithfulness check compares:
  ignoring Markdown emphasis, list markers, quote styles and spacing), in the same
  order as the hand-made pages (the longest run in order counts; a block found out of
  order is a miss), and, when its citation is a number ("3.23", "52", "1.1a"), under the
  same id. Blocks the hand-made pages took from elsewhere (flow charts by title, boxes
  with a title) count like any other: they are what a person had to add.
- **timescales**: a hand-made rule is *found* when an imported candidate has the same
  amount, unit, direction and event (the step and the wording are a person's to decide).

:func:`measure` returns the figures and the misses; ``bench/bench_import.py`` prints them
for the five documents, and tests/test_import_roundtrip.py holds them at or above today's.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from macros.importer.pipeline import import_document
from macros.importer.structure import walk_blocks
from macros.rules import Rules
from macros.rules.faithful import SOURCES, normalise, render_plain, strip_number

NUMBERED_CITE = re.compile(r"^\d+(?:\.\d+)*[a-z]?$")


def _hand_blocks(proc: dict):
    def walk(sections):
        for s in sections:
            yield from s.get("blocks", [])
            yield from walk(s.get("sections", []))
    yield from walk(proc["sections"])


def block_text(rules: Rules, block: dict) -> str:
    if "text" in block:
        text = block["text"]
    else:
        text = "\n".join(w["actor"] + "\n" + "\n".join(w["actions"]) for w in block["who"])
    lines = [strip_number(normalise(line)) for line in render_plain(rules, text).split("\n")]
    return " ".join(line for line in lines if line)


def imported_rules(imp, root: Path) -> Rules:
    """A Rules holding only what the import found, for rendering its texts."""
    rules = Rules(root=root)
    rules.timescales = {imp.area: [c.rule() for c in imp.timescales]}
    rules.contacts = {imp.area: [c.rule() for c in imp.contacts]}
    return rules


def longest_in_order(values: list[int]) -> set[int]:
    """Positions (in ``values``) of one longest strictly increasing run."""
    tails, tails_at, back = [], [], [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(i)
        else:
            tails[k], tails_at[k] = v, i
        back[i] = tails_at[k - 1] if k else -1
    out, i = set(), tails_at[-1] if tails_at else -1
    while i != -1:
        out.add(i)
        i = back[i]
    return out


def measure(rules: Rules, area: str) -> dict:
    info = rules.areas[area]
    doc = info["documents"][0]
    source = SOURCES / doc["source_file"]
    imp = import_document(source, area, info["name"], info["prefix"], rules.events, rules.steps)
    mine = imported_rules(imp, rules.root)
    imported = []          # (normalised text, id)
    for page in imp.pages:
        for _section, b in walk_blocks(page.sections):
            imported.append((block_text(mine, {"text": b.text}), b.id))
    position: dict[str, list[int]] = {}
    for i, (text, _) in enumerate(imported):
        position.setdefault(text, []).append(i)
    hand = [b for proc in rules.procedures.get(area, []) for b in _hand_blocks(proc)]
    matched, misses = [], []
    used: set[int] = set()
    for b in hand:
        text = block_text(rules, b)
        at = next((i for i in position.get(text, []) if i not in used), None)
        if at is None:
            misses.append({"id": b["id"], "why": "text not reproduced", "text": text[:160]})
            continue
        numbered = NUMBERED_CITE.match(b["cite"])
        if numbered and imported[at][1] != b["id"]:
            misses.append({"id": b["id"], "why": f"imported as '{imported[at][1]}'", "text": text[:160]})
            continue
        used.add(at)
        matched.append((b["id"], at, text))
    in_order = longest_in_order([at for _, at, _ in matched])
    for k, (ident, _at, text) in enumerate(matched):
        if k not in in_order:
            misses.append({"id": ident, "why": "out of order", "text": text[:160]})
    found = {(c.amount, c.unit, c.direction, c.event) for c in imp.timescales}
    hand_ts = rules.timescales.get(area, [])
    ts_misses = [{"id": t["id"], "rule": f"{t['amount']} {t['unit']} {t['direction']} {t['event']}",
                  "notes": " ".join(str(t.get("notes", "")).split())[:200]}
                 for t in hand_ts if (t["amount"], t["unit"], t["direction"], t["event"]) not in found]
    reproduced = len(in_order)
    return {
        "area": area, "source": doc["source_file"], "seconds": round(imp.seconds, 3),
        "paragraphs": len(hand), "reproduced": reproduced,
        "paragraphs_pct": round(100 * reproduced / len(hand), 1) if hand else 100.0,
        "timescales": len(hand_ts), "found": len(hand_ts) - len(ts_misses),
        "timescales_pct": round(100 * (len(hand_ts) - len(ts_misses)) / len(hand_ts), 1) if hand_ts else 100.0,
        "paragraph_misses": misses, "timescale_misses": ts_misses,
    }
