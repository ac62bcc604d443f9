"""Which rules apply in an area: its own, then those of the area it inherits.

A local area inherits the national rules unless it overrides one. A local
timescale overrides every inherited timescale with the same ``step``; anything the
area does not override still applies and keeps its ``layer`` (the area it comes from).

>>> bundle = {"areas": {"national": {"inherits": None}, "dudley": {"inherits": "national"}},
...           "timescales": [{"id": "n1", "area": "national", "step": "a"},
...                          {"id": "n2", "area": "national", "step": "b"},
...                          {"id": "d1", "area": "dudley", "step": "a"}]}
>>> [(t["id"], t["layer"]) for t in effective_timescales(bundle, "dudley")]
[('d1', 'dudley'), ('n2', 'national')]
"""
from __future__ import annotations


def chain(areas: dict, area: str) -> list[str]:
    """``"coventry"`` -> ``["coventry", "national"]``: the area, then what it inherits, in turn.

    ``areas`` maps an area id to a dict with ``inherits`` (an area id or None), as in the
    bundle and in rules/areas.yaml. A loop (an area inheriting itself) stops at the repeat.

    >>> chain({"national": {"inherits": None}, "dudley": {"inherits": "national"}}, "dudley")
    ['dudley', 'national']
    """
    out: list[str] = []
    while area and area not in out:
        out.append(area)
        area = areas[area].get("inherits")
    return out


def lineage(bundle: dict, area: str) -> list[str]:
    """:func:`chain` over the bundle's areas."""
    return chain(bundle["areas"], area)


def effective_timescales(bundle: dict, area: str) -> list[dict]:
    """The area's timescales, each a copy with ``layer`` set; own first, then inherited."""
    result: list[dict] = []
    steps: set[str] = set()
    for layer in lineage(bundle, area):
        own = [t for t in bundle["timescales"] if t["area"] == layer and t["step"] not in steps]
        result += [dict(t, layer=layer) for t in own]
        steps |= {t["step"] for t in own}
    return result
