"""What's changed: each page's amendments log, the site-wide list, the Atom feed, overdue reviews.

The log of a procedure is ``amendments:`` in its rules/procedures file (oldest first;
``kind: first-published`` is the site's first publication of the page, dated by the
commit that added the file), started by the source document's own date from
rules/areas.yaml (a "source document published" entry; an undated document has none,
its date note says so instead). Nothing here invents a review: ``reviewed:`` is absent
until a page's owner records one, and a missing next review reads "not set".

>>> entry_date_iso("2015-03")
'2015-03-01'
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from macros.rules import Rules, output
from tools.wording import STATUS_LABELS, record_date  # noqa: F401 (record_date: used by pages)

CHANGES_PAGE = "whats-changed.md"
FEED_FILE = "feed.xml"
BOX_ID = "page-changes"


@dataclass(frozen=True)
class Change:
    """One dated entry of the log, for the page box, the What's changed page and the feed."""

    id: str              # stable: the What's changed page's anchor and the feed entry's id
    date: str            # as recorded: 2026-11-23, or 2015-03 for a document dated by month
    title: str
    summary: str
    source: str
    area: str
    area_name: str
    url: str             # site-relative, with the section's fragment
    sections: tuple = ()

    @property
    def date_text(self) -> str:
        return record_date(self.date)

    @property
    def updated(self) -> str:
        """RFC 3339, as Atom wants it (midnight UTC of the day recorded)."""
        return f"{entry_date_iso(self.date)}T00:00:00Z"


def entry_date_iso(date: str) -> str:
    """A month-only date is the first of its month."""
    return date if len(date) == 10 else f"{date}-01"


def source_change(rules: Rules, document_id: str) -> Change | None:
    """The source document's publication, from areas.yaml; ``None`` when it is undated."""
    d = rules.documents[document_id]
    if not d.get("date"):
        return None
    area = d["area"]
    return Change(id=f"source-{document_id}", date=str(d["date"]), title=f"Source document published: {d['title']}",
                  summary=f"{d['publisher']} published the document. Status now: {STATUS_LABELS[d['status']]}.",
                  source=d.get("date_note") or str(d["date"]), area=area, area_name=rules.areas[area]["name"],
                  url=f"{area}/#documents")


def page_changes(rules: Rules, area: str, proc: dict) -> list[Change]:
    """The page's amendments, oldest first (without the source document's entry)."""
    out = []
    for i, a in enumerate(proc.get("amendments", []), 1):
        sections = tuple(a["sections"])
        url = f"{area}/{proc['id']}/#{sections[0] if sections else BOX_ID}"
        out.append(Change(id=f"change-{area}-{proc['id']}-{i}", date=a["date"],
                          title=f"{rules.areas[area]['name']}: {proc['title']}", summary=a["summary"],
                          source=a["source"], area=area, area_name=rules.areas[area]["name"], url=url,
                          sections=sections))
    return out


def page_log(rules: Rules, area: str, proc: dict) -> list[Change]:
    """What the page's dated box lists, newest first: its amendments and its document's publication."""
    entries = page_changes(rules, area, proc)
    source = source_change(rules, proc["document"])
    return newest_first(entries + ([source] if source else []))


def site_log(rules: Rules) -> list[Change]:
    """Every entry of the site, newest first; each source document once."""
    entries, seen = [], set()
    for area, procs in rules.procedures.items():
        for proc in procs:
            entries += page_changes(rules, area, proc)
            if proc["document"] not in seen:
                seen.add(proc["document"])
                source = source_change(rules, proc["document"])
                entries += [source] if source else []
    return newest_first(entries)


def newest_first(entries: list[Change]) -> list[Change]:
    """By date, newest first; on one date in the order of the manual (stable sort)."""
    return sorted(entries, key=lambda c: entry_date_iso(c.date), reverse=True)


def overdue_reviews(rules: Rules, today: dt.date) -> list[str]:
    """One warning per page whose next review date has passed (before ``today``).

    >>> # a page reviewed 2025-01-10 with next review 2026-01-10, built on 2026-03-01:
    >>> # "rules/procedures/dudley/referrals.yaml: the next review of Dudley: Referrals was due on 2026-01-10 ..."
    """
    out = []
    for area, procs in rules.procedures.items():
        for proc in procs:
            nxt = (proc.get("reviewed") or {}).get("next")
            if nxt and dt.date.fromisoformat(nxt) < today:
                out.append(f"rules/procedures/{area}/{proc['id']}.yaml: the next review of "
                           f"{rules.areas[area]['name']}: {proc['title']} was due on {nxt} "
                           f"({(today - dt.date.fromisoformat(nxt)).days} days before this build on {today.isoformat()}); "
                           "review the page and record it in reviewed: {last, next, by}")
    return out


def feed_context(rules: Rules, site_url: str, site_name: str) -> dict:
    """The Atom feed's data: absolute URLs from ``site_url`` (mkdocs.yml)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    entries = site_log(rules)
    return {
        "id": base + FEED_FILE,
        "title": f"{site_name}: what's changed",
        "feed_url": base + FEED_FILE,
        "alternate": base + "whats-changed/",
        "updated": entries[0].updated if entries else "1970-01-01T00:00:00Z",
        "author": site_name,
        "entries": [dict(id=f"{base}whats-changed/#{c.id}", title=c.title, updated=c.updated, link=base + c.url,
                         summary=f"{c.date_text}: {c.summary} Source: {c.source}") for c in entries],
    }


def warn_overdue_reviews(rules) -> None:
    """A review date that has passed is a visible warning, never a failure: the pages are still
    right, only the owner's review is late. Logged outside the ``mkdocs`` logger, which
    ``--strict`` counts, and printed like MkDocs' own warnings."""
    import datetime as dt
    import logging

    log = logging.getLogger("procedures.reviews")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    for message in overdue_reviews(rules, dt.date.today()):
        log.warning(message)


def write_feed(rules, config) -> None:
    """The Atom feed of what's changed (``feed.xml``), absolute links from the site's address."""
    from macros.site.render import render_text
    context = feed_context(rules, config["site_url"] or "http://127.0.0.1:8000/", config["site_name"])
    output.write_text(config["site_dir"], FEED_FILE, render_text("changes/feed.xml", **context))
