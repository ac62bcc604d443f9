"""The deadline calculator's form (a macro): HTML only, no inline script, style or event handler.

``deadline_form(area=None, event=None, compact=False)`` renders

* the full calculator (``calculators/deadlines/``): area, event, GOV.UK date input,
  optional time, results, ``.ics`` download, deep link, print, and the case timeline;
* ``compact=True``: the small form on a procedure page, its area fixed to the page's
  and its event preset to the procedure's ``start_event``, with a link to the full
  calculator for the same question.

The form is ``hidden`` until ``docs/javascripts/calculator/deadlines.mjs`` runs (so a
browser without JavaScript never shows a form that cannot work); the ``<noscript>``
text says the calculator needs JavaScript and points to the timescale tables, which
the page shows from the same rules. Which events each area offers comes from
``tools.deadlines.list_events`` (the engine the worker runs), passed as a data attribute.
"""
from __future__ import annotations

import json
import posixpath
from html import escape

from tools.deadlines import list_events

CALCULATOR_PAGE = "calculators/deadlines/"


def _attr(value) -> str:
    return escape(str(value), quote=True)


def area_events(bundle: dict) -> dict:
    """``{area: [[event id, label], ...]}``: the events that start a deadline in each area."""
    return {area: [[e["id"], e["label"]] for e in list_events(bundle, area)] for area in bundle["areas"]}


def _options(pairs, selected) -> str:
    return "".join(f'<option value="{_attr(v)}"{" selected" if v == selected else ""}>{escape(label)}</option>'
                   for v, label in pairs)


def _error_summary(p: str) -> str:
    return (f'<div class="calc-error-summary" id="{p}-errors" tabindex="-1" hidden>'
            f'<div role="alert"><h2 class="calc-error-summary__title" id="{p}-errors-title">There is a problem</h2>'
            f'<ul class="calc-error-summary__list"></ul></div></div>')


def _date_input(p: str, legend: str) -> str:
    items = "".join(
        f'<div class="calc-date-item"><label class="calc-label calc-date-label" for="{p}-date-{part}">{title}</label>'
        f'<input class="calc-input calc-input--w{width}" id="{p}-date-{part}" name="{part}" type="text" '
        f'inputmode="numeric" autocomplete="off" spellcheck="false" data-part="{part}"></div>'
        for part, title, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)))
    return (f'<div class="calc-group" id="{p}-date-group" data-field="date">'
            f'<fieldset class="calc-fieldset" role="group" aria-describedby="{p}-date-hint">'
            f'<legend class="calc-legend">{escape(legend)}</legend>'
            f'<div class="calc-hint" id="{p}-date-hint">For example, 27 3 2026</div>'
            f'<p class="calc-error-message" id="{p}-date-error" hidden></p>'
            f'<div class="calc-date-input">{items}</div></fieldset></div>')


def _time_input(p: str, compact: bool = False) -> str:
    hint = "For example, 16:45" if compact else "24-hour clock, for example 16:45. Needed for rules counted in hours."
    return (f'<div class="calc-group" id="{p}-time-group" data-field="time">'
            f'<label class="calc-label" for="{p}-time">Time (optional)</label>'
            f'<div class="calc-hint" id="{p}-time-hint">{hint}</div>'
            f'<p class="calc-error-message" id="{p}-time-error" hidden></p>'
            f'<input class="calc-input calc-input--w5" id="{p}-time" name="time" type="text" inputmode="numeric" '
            f'autocomplete="off" spellcheck="false" aria-describedby="{p}-time-hint"></div>')


def _select(p: str, field: str, label: str, options: str, hint: str = "") -> str:
    described = f' aria-describedby="{p}-{field}-hint"' if hint else ""
    return (f'<div class="calc-group" id="{p}-{field}-group" data-field="{field}">'
            f'<label class="calc-label" for="{p}-{field}">{escape(label)}</label>'
            + (f'<div class="calc-hint" id="{p}-{field}-hint">{escape(hint)}</div>' if hint else "")
            + f'<p class="calc-error-message" id="{p}-{field}-error" hidden></p>'
            f'<select class="calc-select" id="{p}-{field}" name="{field}"{described}>{options}</select></div>')


PRIVACY = ("Private: what you enter stays in this browser tab. It is not sent anywhere and not saved. "
           "A link to an answer holds only the area, the event and the date and time.")


def _results(p: str, heading: str, level: int) -> str:
    return (f'<div class="calc-results" id="{p}-results" hidden>'
            f'<h{level} class="calc-results__title" id="{p}-results-title" tabindex="-1">{escape(heading)}</h{level}>'
            f'<p class="calc-results__summary" id="{p}-results-summary"></p>'
            f'<div class="calc-table-wrap" id="{p}-results-table"></div>'
            f'<div class="calc-actions">'
            f'<button type="button" class="calc-button calc-button--secondary" data-action="ics">'
            f'Download the deadlines for your calendar (.ics)</button>'
            f'<button type="button" class="calc-button calc-button--secondary" data-action="print">Print</button>'
            f'<a class="calc-link" data-role="link" href="./">Link to this answer</a>'
            f'</div></div>')


def render_deadline_form(bundle: dict, page_url: str = "", area: str | None = None, event: str | None = None,
                         compact: bool = False) -> str:
    """The HTML of the form (see the module docstring). ``page_url`` is the page's site-relative
    address (``"dudley/referral-and-assessment/"``), for the link to the full calculator."""
    areas = bundle["areas"]
    if area is not None and area not in areas:
        raise ValueError(f"deadline_form: unknown area {area!r}; areas: {', '.join(areas)}")
    chosen_area = area or ("national" if "national" in areas else next(iter(areas)))
    events = area_events(bundle)
    offered = events[chosen_area]
    if event is not None and event not in {e for e, _ in offered}:
        raise ValueError(f"deadline_form: no timescale in {chosen_area} starts from {event!r}; "
                         f"events: {', '.join(e for e, _ in offered)}")
    p = "dlc" if compact else "dl"
    full_href = posixpath.relpath(CALCULATOR_PAGE, page_url or ".") + "/"
    area_options = _options([(a, v["name"]) for a, v in areas.items()], chosen_area)
    event_options = _options(offered, event or (offered[0][0] if offered else None))
    data = _attr(json.dumps(events, separators=(",", ":"), ensure_ascii=False))
    out = [f'<div class="calc calc--deadlines{" calc--compact" if compact else ""}" id="{p}" '
           f'data-calculator="deadlines" data-prefix="{p}" data-compact="{str(compact).lower()}" '
           f'data-area-events="{data}" data-full-href="{_attr(full_href)}">']
    if compact:
        out.append(f'<h2 class="calc__title" id="{p}-title">Work out the deadlines</h2>')
    out.append('<noscript><p class="calc-nojs"><strong>This calculator needs JavaScript.</strong> '
               + ('The timescales above' if compact else 'The timescale tables below')
               + ' show the same rules for every area.</p></noscript>')
    label = "calculator" if not compact else "deadline calculator"
    out.append(f'<form class="calc-form" id="{p}-form" novalidate hidden aria-label="{label}">')
    out.append(_error_summary(p))
    if compact:
        out.append(f'<input type="hidden" id="{p}-area" name="area" value="{_attr(chosen_area)}">')
        out.append(f'<p class="calc-fixed">Area: <strong>{escape(areas[chosen_area]["name"])}</strong> '
                   f'(<a href="{_attr(full_href)}">another area</a>)</p>')
    else:
        out.append(_select(p, "area", "Area", area_options,
                           "Local rules apply first; national rules fill in the rest."))
    out.append(_select(p, "event", "What happened?", event_options, "The event that starts the clock."))
    out.append(_date_input(p, "When did it happen?"))
    out.append(_time_input(p, compact))
    out.append(f'<button type="submit" class="calc-button" id="{p}-submit">Calculate the deadlines</button>')
    out.append(f'<p class="calc-status" id="{p}-status" role="status" aria-live="polite"></p>')
    out.append(f'<p class="calc-privacy">{escape(PRIVACY)}</p>')
    out.append('</form>')
    out.append(_results(p, "Deadlines", 3 if compact else 2))
    if compact:
        out.append(f'<p class="calc-more" hidden><a class="calc-link" data-role="full-link" '
                   f'href="{_attr(full_href)}">Open the full calculator</a> for a case timeline and other areas.</p>')
    else:
        out.append(_timeline(bundle, chosen_area))
    out.append('</div>')
    return "".join(out)


def _timeline(bundle: dict, area: str) -> str:
    p = "tl"
    entry = (
        '<fieldset class="calc-fieldset calc-tl-entry" data-entry>'
        '<legend class="calc-legend">Event <span data-role="n">1</span></legend>'
        + _select("tl-N", "event", "What happened?", "")
        + _date_input("tl-N", "When did it happen?")
        + _time_input("tl-N")
        + '<button type="button" class="calc-button calc-button--secondary" data-action="remove">'
          'Remove event <span data-role="n">1</span></button></fieldset>')
    return (
        f'<section class="calc-timeline" id="{p}" aria-labelledby="{p}-title">'
        f'<h2 class="calc__title" id="{p}-title">Case timeline</h2>'
        f'<p>Enter the events of one case as they happen (for example the strategy discussion, then the '
        f'initial child protection conference). Every deadline that follows from them is worked out again, '
        f'soonest first, and anything overdue today is flagged. The area is the one chosen above.</p>'
        f'<form class="calc-form" id="{p}-form" novalidate hidden aria-label="case timeline">'
        + _error_summary(p)
        + f'<template id="{p}-entry-template">{entry}</template>'
        f'<div class="calc-tl-entries" id="{p}-entries"></div>'
        f'<div class="calc-actions">'
        f'<button type="button" class="calc-button calc-button--secondary" data-action="add">Add another event</button>'
        f'<button type="submit" class="calc-button" id="{p}-submit">Show the timeline</button></div>'
        f'<p class="calc-status" id="{p}-status" role="status" aria-live="polite"></p>'
        f'</form>'
        + _results(p, "Timeline", 3)
        + '</section>')


def register(env, rules, bundle) -> None:
    """Register the macros with mkdocs-macros (called from ``macros/main.py``)."""

    @env.macro
    def deadline_form(area: str | None = None, event: str | None = None, compact: bool = False) -> str:
        page_url = env.page.url if getattr(env, "page", None) else ""
        return render_deadline_form(bundle, page_url, area, event, compact)
