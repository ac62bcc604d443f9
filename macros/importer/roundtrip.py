"""An import compared with a hand-made area: how much of the hand-made work the importer reproduces.

For one area of rules/ (the reference, typed by hand), its source document is imported
in memory (nothing is written) with the area's own id and prefix, inheriting the
timescales of the areas it inherits (as ``procedures import`` gives a new area the root
area's: the root area itself inherits none), then:

- **paragraphs**: every hand-made block (its text, or its "who does what" lists as
  lines) is *reproduced* when an imported block reads the same (both rendered as the
  page renders them, macros filled in, and compared as the faithfulness check compares:
  ignoring Markdown emphasis, list markers, quote styles and spacing), in the same
  order as the hand-made pages (the longest run in order counts; a block found out of
  order is a miss), and, when its citation is a number ("3.23", "52", "1.1a"), under the
  same id. A paragraph without a number of its own (its cite is its section's) has no
  id from the numbering: its id is a name a person chose, and only its text and order
  count. Blocks the hand-made pages took from elsewhere (flow charts by title, boxes
  with a title) count like any other: they are what a person had to add.
- **explained differences**: a missed block where the hand-made area deliberately differs
  from the document is said so, computed from the two texts, never listed by hand:
  *joined* (the hand-made block is several consecutive imported paragraphs, e.g. a "who
  does what" block built from several lead-ins and their lists), *split* (it is part of
  one imported paragraph), *card* (no text of its own: a grid or contact card rendered
  from the rules), *written by hand* (most of its five-word runs are not in the
  source: a note on a diagram given by title only), *placed* (a box, flow chart or footnote the hand-made
  page puts elsewhere than the document). They stay misses in the figure; the report
  counts them apart (``explained``) so the misses left are the importer's own.
- **timescales**: a hand-made rule is *found* when an imported candidate has the same
  amount, unit, direction and event (the step and the wording are a person's to decide);
  a miss says what the import found instead (:func:`macros.importer.timescales.why_missed`).

:func:`measure` returns the figures and the misses; ``bench/bench_import.py`` prints them
for the five documents, and tests/test_import_roundtrip.py holds them at or above today's.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from macros.importer.pipeline import import_document
from macros.importer.structure import walk_blocks
from macros.importer.timescales import why_missed
from macros.rules import Rules
from macros.rules.faithful import SOURCES, normalise, render_plain, strip_number

BULLETS = re.compile(r"[\u2022\u25aa\u25cf]")
RULES_LIST = re.compile(r"\{\{\s*flags\([^)]*\)\s*\}\}")
NUMBERED_CITE = re.compile(r"^\d+(?:\.\d+)*[a-z]?$")


def _hand_blocks(proc: dict, with_section: bool = False):
    def walk(sections):
        for s in sections:
            for b in s.get("blocks", []):
                yield (s, b) if with_section else b
            yield from walk(s.get("sections", []))
    yield from walk(proc["sections"])


def explain(text: str, imported: list[str], source: str) -> str | None:
    """Why a missed hand-made block differs from the document on purpose, or None (see above)."""
    if not text:
        return "card: no text of its own (a grid or card rendered from the rules)"
    words = text.split()
    runs = [" ".join(words[i:i + 5]) for i in range(max(len(words) - 4, 1))]
    if sum(r in source for r in runs) < len(runs) / 2:     # most of its five-word runs are not in the source
        return "written by hand: most of its words are not in the source"
    for i, first in enumerate(imported):
        if first and text.startswith(first) and len(first) < len(text):
            joined, n = first, 1
            for nxt in imported[i + 1:]:
                if not nxt:
                    continue
                joined, n = joined + " " + nxt, n + 1
                if joined == text:
                    return f"joined: the hand-made block is {n} consecutive imported paragraphs"
                if not text.startswith(joined):
                    break
    if any(text in whole and len(text) < len(whole) for whole in imported):
        return "split: the hand-made block is part of one imported paragraph"
    return None


def named(hand_id: str, imported_id: str, cite: str) -> str | None:
    """A hand-made id that is the numbering's id plus a name a person chose ("dud-1-1-a" +
    "-must-refer" for a second paragraph of 1.1a, which the import calls "dud-1-1-a-p2"):
    the numbering gives the part both share, the rest is a person's."""
    shared = hand_id.split("-")
    theirs = imported_id.split("-")
    k = 0
    while k < min(len(shared), len(theirs)) and shared[k] == theirs[k]:
        k += 1
    base = "-".join(shared[:k])
    number = re.sub(r"(\d)([a-z])$", r"\1-\2", cite.replace(".", "-"))
    if k and base.endswith(number) and len(shared) > k and not re.fullmatch(r"p\d+", shared[k]):
        return (f"named: both ids are '{base}' from the numbering ({cite}); the hand-made id adds "
                f"'-{'-'.join(shared[k:])}', a name a person chose")
    return None


def read_otherwise(text: str, read_as: dict[str, str]) -> str | None:
    """A hand-made paragraph holding words the import read as a title: the document's title
    (a title page the hand-made page keeps as text), a heading (a short line standing
    alone, which the hand-made page keeps as a paragraph), or a label with its part
    ("References:" and its list, which the hand-made page keeps as one text). Both are
    readings of the same lines; the import's is one rule for every document."""
    for words, what in sorted(read_as.items(), key=lambda kv: -len(kv[0])):
        if words and (text == words or (len(words.split()) >= 3 and words in text)):
            return f"read otherwise: the import reads \"{words[:60]}\" as {what}; the hand-made page keeps it as text"
    return None


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
    inherited = [t for parent in rules.lineage(area)[1:] for t in rules.timescales.get(parent, [])]
    imp = import_document(source, area, info["name"], info["prefix"], rules.events, rules.steps, inherited)
    mine = imported_rules(imp, rules.root)
    imported = []          # (normalised text, id)
    read_as: dict[str, str] = {normalise(imp.title): "the document's title"}   # words the import made titles
    for page in imp.pages:
        for section, b in walk_blocks(page.sections):
            imported.append((block_text(mine, {"text": b.text}), b.id))
            read_as.setdefault(normalise(section.title), "a heading")
            if b.title:
                read_as[normalise(b.title) + ": " + imported[-1][0]] = "the label of its part (the block's title)"
    position: dict[str, list[int]] = {}
    for i, (text, _) in enumerate(imported):
        position.setdefault(text, []).append(i)
    hand_at = [sb for proc in rules.procedures.get(area, []) for sb in _hand_blocks(proc, True)]
    hand = [b for _s, b in hand_at]
    source = normalise(BULLETS.sub(" ", source.read_text(encoding="utf-8-sig")))
    texts = [t for t, _ in imported]
    matched, misses = [], []
    used: set[int] = set()
    for section, b in hand_at:
        text = block_text(rules, b)
        at = next((i for i in position.get(text, []) if i not in used), None)
        if at is None:
            drawn = RULES_LIST.search(b.get("text", ""))
            why = (f"drawn from the rules: part of the block is the list {drawn.group(0)} renders from the "
                   "thresholds, its items worded and ordered as a person decided") if drawn else None
            misses.append({"id": b["id"], "why": "text not reproduced", "text": text[:160],
                           "explained": why or explain(text, texts, source) or read_otherwise(text, read_as)})
            continue
        numbered = NUMBERED_CITE.match(b["cite"]) and b["cite"] != section.get("cite")
        if numbered and imported[at][1] != b["id"]:
            misses.append({"id": b["id"], "why": f"imported as '{imported[at][1]}'", "text": text[:160],
                           "explained": named(b["id"], imported[at][1], b["cite"])})
            continue
        used.add(at)
        matched.append((b["id"], at, text))
    in_order = longest_in_order([at for _, at, _ in matched])
    kinds = {b["id"]: b.get("kind", "") for b in hand}
    for k, (ident, _at, text) in enumerate(matched):
        if k not in in_order:
            placed = kinds[ident] in ("box", "flowchart", "footnote")
            misses.append({"id": ident, "why": "out of order", "text": text[:160],
                           "explained": f"placed: the hand-made page puts this {kinds[ident]} elsewhere than "
                                        "the document" if placed else None})
    found = {(c.amount, c.unit, c.direction, c.event) for c in imp.timescales}
    hand_ts = rules.timescales.get(area, [])
    ts_misses = [{"id": t["id"], "rule": f"{t['amount']} {t['unit']} {t['direction']} {t['event']}",
                  "notes": " ".join(str(t.get("notes", "")).split())[:200], "why": why_missed(t, imp.timescales)}
                 for t in hand_ts if (t["amount"], t["unit"], t["direction"], t["event"]) not in found]
    reproduced = len(in_order)
    return {
        "area": area, "source": doc["source_file"], "seconds": round(imp.seconds, 3),
        "paragraphs": len(hand), "reproduced": reproduced,
        "paragraphs_pct": round(100 * reproduced / len(hand), 1) if hand else 100.0,
        "timescales": len(hand_ts), "found": len(hand_ts) - len(ts_misses),
        "timescales_pct": round(100 * (len(hand_ts) - len(ts_misses)) / len(hand_ts), 1) if hand_ts else 100.0,
        "explained": sum(1 for m in misses if m["explained"]),
        "paragraph_misses": misses, "timescale_misses": ts_misses,
    }
