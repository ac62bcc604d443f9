"""The ids partners may link to, recorded once published (``procedures ids`` records them: cli/ids.py).

``rules/published-ids.txt`` lists every section, paragraph, timescale, contact, event,
step, indicator and flag id the site has published. The tests fail if one of them
disappears (a partner's link would break) and remind you to record new ones with this
command. Removing an id on purpose (its paragraph was deleted) means deleting its line
from the file in the same change, where a reviewer will see it.
"""
from __future__ import annotations

from pathlib import Path

from macros.rules.model import RULES, Rules

FILE = RULES / "published-ids.txt"


def current_ids(rules: Rules) -> set[str]:
    ids = {f"anchor {a}" for a in rules.anchors}
    ids |= {f"timescale {t['id']}" for ts in rules.timescales.values() for t in ts}
    ids |= {f"contact {c['id']}" for cs in rules.contacts.values() for c in cs}
    ids |= {f"event {e}" for e in rules.events} | {f"step {s}" for s in rules.steps}
    ids |= {f"page {area}/{p['id']}" for area, ps in rules.procedures.items() for p in ps}
    for th in rules.thresholds.values():
        ids |= {f"indicator {i['id']}" for i in th.get("indicators", [])}
        ids |= {f"flag {f['id']}" for f in th.get("flags", [])}
    return ids


def recorded_ids(root: Path | str = RULES) -> set[str]:
    """The ids recorded in ``published-ids.txt`` of rules/ (or of the tree ``root``)."""
    listed = Path(root) / FILE.name
    if not listed.exists():
        return set()
    return {line.strip() for line in listed.read_text().splitlines() if line.strip() and not line.startswith("#")}
