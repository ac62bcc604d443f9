"""Moved ids and renamed pages (rules/moved-ids.yaml): old links still land on the new place.

An entry ``{id, moved_to, date, reason}`` says that an old paragraph or section id, or an
old page ``area/page``, now lives at ``moved_to``: an id (``pbo-3-24``), a page
(``peterborough/referrals``) or both (``peterborough/referrals#pbo-3-24``). Moves may
chain (a -> b -> c): each old id lands on the last place. The build then writes

* ``assets/moved-ids.json``: ``{"fragments": {old id: url}, "pages": {old page: url}}``,
  site-relative URLs such as ``peterborough/referrals/#pbo-3-24``; javascripts/links.js
  follows it when a page is opened at a #id the page no longer has;
* a redirect page at each old page address (a meta refresh, and links.js, which keeps
  the #fragment and maps it if it moved too).

Examples::

    resolve(rules, [{"id": "pbo-3-23", "moved_to": "pbo-3-24", ...}])["fragments"]
    == {"pbo-3-23": "peterborough/referrals/#pbo-3-24"}

An unknown target, a loop, or an old id that is still published on the site is an error
naming the file, the entry and a valid example.
"""
from __future__ import annotations

import json
from pathlib import Path

from macros.rules import output, yamlsource
from macros.rules.model import Rules

FILE = "moved-ids.yaml"
EXAMPLE = "- {id: pbo-3-23, moved_to: pbo-3-24, date: 2027-01-15, reason: Renumbered in the 2027 edition.}"


class MovesInvalid(ValueError):
    pass


def entries(root: Path) -> list[dict]:
    """The entries of rules/moved-ids.yaml (a plain list, validated by the rules loader:
    macros/rules/checks/moved_ids.py); none if absent."""
    path = Path(root) / FILE
    if not path.exists():
        return []
    text, problems = yamlsource.decode(path.read_bytes(), f"rules/{FILE}")
    doc, more = yamlsource.read(text, f"rules/{FILE}") if text is not None else (None, [])
    problems += more
    if problems or doc is None:
        raise MovesInvalid("\n".join(str(p) for p in problems))
    return list(doc.data or []) if isinstance(doc.data, list) else []   # the loader reports a non-list


def _pages(rules: Rules) -> set[str]:
    return {f"{area}/{p['id']}" for area, ps in rules.procedures.items() for p in ps}


def resolve(rules: Rules, moved: list[dict], report=None) -> dict:
    """``{"fragments": {old id: url}, "pages": {old page: url}}`` (see the module docstring).

    Without ``report``, the first entry that does not resolve raises :class:`MovesInvalid`
    (the build); with it (the rules checker), ``report(entry, message)`` is called for every
    such entry and the entry left out."""
    by_id = {m["id"]: m for m in moved}
    pages = _pages(rules)

    def target(entry: dict, seen: tuple = ()) -> str:
        where = f"rules/{FILE}, entry id: {entry['id']}"
        if entry["id"] in seen:
            raise MovesInvalid(f"{where}: the moves loop ({' -> '.join(seen + (entry['id'],))})")
        to = entry["moved_to"]
        page, _, frag = to.partition("#")
        if "/" not in page:                       # a bare id
            page, frag = "", page
        if frag and frag in rules.anchors:
            a = rules.anchors[frag]
            if page and page != f"{a.area}/{a.page}":
                raise MovesInvalid(f"{where}: moved_to {to!r}: #{frag} is on {a.area}/{a.page}, not {page}")
            return a.url
        if frag and frag in by_id:
            return target(by_id[frag], seen + (entry["id"],))
        if not frag and page in pages:
            return f"{page}/"
        if not frag and page in by_id:
            return target(by_id[page], seen + (entry["id"],))
        raise MovesInvalid(f"{where}: moved_to {to!r} is neither a published id nor a page of the site. "
                           f"A valid entry: {EXAMPLE}")

    out: dict = {"fragments": {}, "pages": {}}
    for m in moved:
        old = m["id"]
        try:
            if old in rules.anchors or old in pages:
                raise MovesInvalid(f"rules/{FILE}, entry id: {old}: {old} is still on the site; "
                                   "record a move only once the old id or page is gone")
            out["pages" if "/" in old else "fragments"][old] = target(m)
        except MovesInvalid as exc:
            if report is None:
                raise
            report(m, str(exc).split(": ", 2)[-1] if str(exc).startswith(f"rules/{FILE}, entry id") else str(exc))
    return out


def write(site_dir: Path, rules: Rules, moved: list[dict], render_redirect) -> dict:
    """Write assets/moved-ids.json and one redirect page per renamed page; returns the map."""
    site_dir = Path(site_dir)
    found = resolve(rules, moved)
    output.write_text(site_dir, "assets/moved-ids.json", json.dumps(found, indent=1, sort_keys=True))
    for old, url in found["pages"].items():
        try:
            page = output.inside(site_dir, f"{old}/index.html")
        except output.OutsideOutput as exc:
            raise MovesInvalid(f"rules/{FILE}, entry id: {old}: {exc}") from None
        if page.exists():
            raise MovesInvalid(f"rules/{FILE}, entry id: {old}: a page is still built at {old}/")
        depth = "../" * (old.count("/") + 1)
        output.write_text(site_dir, f"{old}/index.html", render_redirect(target=depth + url, base=depth, old=old))
    return found
