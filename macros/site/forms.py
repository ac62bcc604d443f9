"""The deadline calculator's form (a macro): data for its templates; HTML only, no inline script, style or handler.

``deadline_form(area=None, event=None, compact=False)`` renders

* the full calculator (``calculators/deadlines/``): area, event, GOV.UK date input,
  optional time, results, ``.ics`` download, deep link, print, and the case timeline;
* ``compact=True``: the small form on a procedure page, its area fixed to the page's
  and its event preset to the procedure's ``start_event``, with a link to the full
  calculator for the same question (``#area=`` in the fragment: the area kept).

The form's ``method="dialog"`` submits nothing anywhere (outside a dialog such a submission does
nothing at all): even a form shown without JavaScript could not put what was typed into an
address a server sees. The form is ``hidden`` until ``docs/javascripts/calculator/deadlines.mjs`` runs (so a
browser without JavaScript never shows a form that cannot work); the ``<noscript>``
text says the calculator needs JavaScript and points to the timescale tables, which
the page shows from the same rules. Which events each area offers comes from
``tools.deadlines.list_events`` (the engine the worker runs), passed as a data attribute.
"""
from __future__ import annotations

import json
import posixpath
import re

from macros.site.render import render
from tools.deadlines import list_events, next_from

CALCULATOR_PAGE = "calculators/deadlines/"

def area_fragment(area: str) -> str:
    """``#area=dudley``: the full calculator opened with this area chosen. In the fragment, like every
    answer's link (``tools.web.deadline_form``), because a browser never sends a fragment to a server."""
    return f"#area={area}"


PRIVACY = ("Private: what you enter stays in this browser tab. It is not sent anywhere and not saved. "
           "A link to an answer holds only the area, the event and the date and time.")


# A procedure page's compact calculator is the same HTML on every procedure page of an area
# with the same event (its links are relative to the page's folder). Page generation writes
# this placeholder (``timescales_panel``, macros/site/pagemacros.py); the build renders the form once per
# area, event and folder and puts it in each page as the page is written (macros/hooks.py), so
# Python-Markdown never parses the form: it was a quarter of a procedure page's conversion.
COMPACT = re.compile(r"<!--proc-compact-calculator ([a-z0-9-]+) ([a-z0-9-]+)-->")


def compact_placeholder(area: str, event: str) -> str:
    """``<!--proc-compact-calculator dudley strategy-discussion-->`` (ids as rules/ writes them)."""
    text = f"<!--proc-compact-calculator {area} {event}-->"
    if not COMPACT.fullmatch(text):
        raise ValueError(f"deadline_form: {area!r} / {event!r} are not an area and an event id")
    return text


def area_events(bundle: dict) -> dict:
    """``{area: [[event id, label, starts], ...]}``: the events of each area's deadlines. ``starts`` is
    1 for an event that starts a deadline or completes a repeating step (a review conference just
    held gives the next one: the single-event form offers only those) and 0 for one that only
    completes a step once (the case timeline offers both)."""
    return {area: [[e["id"], e["label"], 1 if e["timescales"] or next_from(bundle, area, e["id"])[0] else 0]
                   for e in list_events(bundle, area)]
            for area in bundle["areas"]}


def render_deadline_form(bundle: dict, page_url: str = "", area: str | None = None, event: str | None = None,
                         compact: bool = False, events: dict | None = None) -> str:
    """The HTML of the form (see the module docstring). ``page_url`` is the page's site-relative
    address (``"dudley/referral-and-assessment/"``), for the link to the full calculator;
    ``events`` is :func:`area_events` of the bundle, when the caller has it already.
    The markup is ``macros/site/templates/pages/deadline-form.html`` (and ``timeline.html``).

    The compact form's area is fixed, so it carries only that area's events: a procedure
    page does not grow with the number of areas."""
    areas = bundle["areas"]
    if area is not None and area not in areas:
        raise ValueError(f"deadline_form: unknown area {area!r}; areas: {', '.join(areas)}")
    chosen_area = area or ("national" if "national" in areas else next(iter(areas)))
    events = area_events(bundle) if events is None else events
    offered = [(e, label) for e, label, starts in events[chosen_area] if starts]
    if event is not None and event not in {e for e, _ in offered}:
        raise ValueError(f"deadline_form: no timescale in {chosen_area} starts from {event!r}; "
                         f"events: {', '.join(e for e, _ in offered)}")
    return render(
        "pages/deadline-form.html",
        prefix="dlc" if compact else "dl",
        compact=compact,
        area=chosen_area,
        area_name=areas[chosen_area]["name"],
        area_options=[(a, v["name"]) for a, v in areas.items()],
        event_options=offered,
        event=event or (offered[0][0] if offered else None),
        area_events_json=json.dumps({chosen_area: events[chosen_area]} if compact else events,
                                    separators=(",", ":"), ensure_ascii=False),
        full_href=posixpath.relpath(CALCULATOR_PAGE, page_url or ".") + "/",
        area_href=posixpath.relpath(CALCULATOR_PAGE, page_url or ".") + "/" + area_fragment(chosen_area),
        privacy=PRIVACY,
    )
