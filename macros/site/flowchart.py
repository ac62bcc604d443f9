"""Flow charts from the rules: an area's events and the steps each starts, with their timescales,
laid out at build time as a static SVG (no diagram JavaScript at run time).

The chart is the area's effective timescales (its own, then inherited: ``tools.layers``)
grouped by the event that starts the clock, in the order of rules/events.yaml (contact,
referral, assessment, strategy discussion, section 47, ICPC, core group, reviews ...).
Each group is an event box followed by one box per step due after (or before) it, its
time limit in words (``tools.wording.rule_words``) and, where a step is completed by
another event of the chart (``met_by`` in events.yaml), "then: <that event>".

This module only computes plain data and coordinates; the SVG and the text equivalent
are written by ``macros/site/templates/flowchart/flow-chart.html`` with autoescaping, so no
rule text is markup.

>>> wrap("Strategy discussion or meeting held", 20)
['Strategy discussion', 'or meeting held']
"""
from __future__ import annotations

import textwrap

from tools.layers import effective_timescales
from tools.wording import capitalised, rule_words

WIDTH = 320          # the SVG's own width in CSS pixels: readable on a 320 px phone without zoom
MARGIN = 8
LINE = 16            # line height of the 13 px text
PAD = 8
GAP = 10
INDENT = 28          # steps sit right of the event's spine
CHARS_EVENT = 38
CHARS_STEP = 34


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def groups(bundle: dict, area: str) -> list[dict]:
    """``[{"event": {...}, "steps": [{"label", "limit", "then", "source", "layer"}]}]`` in event order."""
    rows = effective_timescales(bundle, area)
    events, steps = bundle["events"], bundle["steps"]
    shown = {t["event"] for t in rows}
    out = []
    for event_id, event in events.items():
        these = [t for t in rows if t["event"] == event_id]
        if not these:
            continue
        items = []
        for t in these:
            met_by = [e for e in steps.get(t["step"], {}).get("met_by", []) if e in shown and e != event_id]
            items.append({"label": t["label"], "limit": capitalised(rule_words(t, event)),
                          "then": [events[e]["label"] for e in met_by], "source": t["source"], "layer": t["layer"]})
        out.append({"event": event, "steps": items})
    return out


def layout(chart: list[dict]) -> dict:
    """Coordinates for the template: boxes stacked in one column, so nothing is wider than
    :data:`WIDTH`; under each event box a spine runs down to its last step, with a branch
    (an arrow) into each step box."""
    y, boxes, spines = MARGIN, [], []
    spine_x = MARGIN + 12
    for g in chart:
        lines = wrap(g["event"]["label"], CHARS_EVENT)
        h = PAD * 2 + LINE * len(lines)
        boxes.append({"kind": "event", "x": MARGIN, "y": y, "w": WIDTH - 2 * MARGIN, "h": h, "lines": lines,
                      "bold": len(lines), "branch": None})
        spine_top = y + h
        y += h + GAP
        branch_y = spine_top
        for s in g["steps"]:
            label = wrap(s["label"], CHARS_STEP)
            lines = label + wrap(s["limit"], CHARS_STEP) + [f"then: {t}" for t in s["then"]]
            h = PAD * 2 + LINE * len(lines)
            branch_y = y + h / 2
            boxes.append({"kind": "step", "x": MARGIN + INDENT, "y": y, "w": WIDTH - 2 * MARGIN - INDENT, "h": h,
                          "lines": lines, "bold": len(label),
                          "branch": {"x1": spine_x, "y": branch_y, "x2": MARGIN + INDENT}})
            y += h + GAP
        spines.append({"x": spine_x, "y1": spine_top, "y2": branch_y})
    return {"width": WIDTH, "height": y - GAP + MARGIN, "boxes": boxes, "spines": spines}
