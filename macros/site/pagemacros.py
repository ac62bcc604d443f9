"""The page macros: every number, contact and cross-link on a page comes from rules/.

Each macro is a plain function of a :class:`Page` (the rules, the bundle and the page
being rendered) and its arguments, with its docstring; :data:`MACROS` lists them, and
:func:`register` hands them to mkdocs-macros (``macros/main.py`` only calls it). The
MkDocs hook has already loaded and validated rules/ and the bundle. An unknown id raises,
and mkdocs-macros is set to fail the build (``on_error_fail``), so a page can never show
a stale or missing value.

Links are written as relative Markdown links (``Page.rel``) so MkDocs checks them, except
in raw HTML, which MkDocs does not rewrite (``Page.html_href``).
"""
from __future__ import annotations

import functools
import posixpath
from html import escape

from macros.browser.bundle import cite_text, short_title
from macros.rules import moves, owner_guide
from macros.rules.ruletext import markdown as md
from macros.rules.text import amount_text, rule_words, tel_href, ts_text
from macros.site import flowchart
from macros.site.forms import area_events, area_fragment, compact_placeholder, render_deadline_form
from macros.site.render import render, render_markdown
from macros.site.threshold_page import checker_data
from tools.layers import effective_timescales
from tools.threshold_answer import DOMAIN_LABELS
from tools.wording import cite, layer_name, record_date


class Page:
    """What every macro may read: the rules, the bundle, and the page being rendered."""

    def __init__(self, rules, bundle, current_page):
        self.rules = rules
        self.bundle = bundle
        self.events = bundle["events"]
        self._current = current_page              # () -> the mkdocs Page being rendered, or None
        self.deadline_events = area_events(bundle)  # once per build, not once per procedure page
        # Which timescales each page cites (its source or one of its alternatives' sources), in the
        # bundle's order: indexed once, not scanned per page (three times per procedure page).
        self.by_page: dict[tuple[str, str], list] = {}
        for t in bundle["timescales"]:
            pages = ({rules.anchors[t["source"]["id"]].page}
                     | {rules.anchors[a["source"]["id"]].page for a in t["alternatives"]})
            for p in pages:
                self.by_page.setdefault((t["area"], p), []).append(t)

    @property
    def page(self):
        return self._current()

    def here(self) -> str:
        return self.page.file.src_uri if self.page else "index.md"

    def url(self) -> str:
        return self.page.url if self.page else ""

    def rel(self, target_md: str, fragment: str = "") -> str:
        """A relative Markdown link target from the current page, so MkDocs validates it."""
        path = posixpath.relpath(target_md, posixpath.dirname(self.here()) or ".")
        return path + (f"#{fragment}" if fragment else "")

    def html_href(self, url: str) -> str:
        """A relative href for raw HTML (which MkDocs does not rewrite): from the page's
        built address to ``url`` (site-relative, e.g. ``coventry/levels-of-need/#cov-10``)."""
        page, _, fragment = url.partition("#")
        path = posixpath.relpath(page or ".", self.url() or ".")
        path = "./" if path == "." else path + ("/" if page.endswith("/") else "")
        return path + (f"#{fragment}" if fragment else "")

    def anchor_link(self, anchor_id: str, text: str | None = None) -> str:
        a = self.rules.anchors[anchor_id]
        return f"[{md(text or a.title)}]({self.rel(f'{a.area}/{a.page}.md', a.id)})"

    def cite_link(self, source: dict, text: str | None = None) -> str:
        """A Markdown link to a cited section, titled "Document, section" unless ``text`` is given."""
        target = self.rel(source["url"].split("/#")[0] + ".md", source["id"])
        return f"[{md(text or cite(source))}]({target})"

    def cite_of(self, anchor_id: str) -> str:
        """"Short title, section" of an anchor, as a citation reads."""
        a = self.rules.anchors[anchor_id]
        d = self.rules.documents[a.document]
        return f"{short_title(d)}, {cite_text(a, d)}"

    def own_timescales(self, area: str, page: str) -> list:
        return self.by_page.get((area, page), [])

    def timescales_page_link(self, area: str, page: str) -> str:
        return f"[{md(self.rules.areas[area]['name'])} timescales]({self.rel(f'{area}/{page}.md')})"


# -- values in a sentence ------------------------------------------------------------------

def ts(p: Page, ts_id: str, form: str = "full") -> str:
    """A timescale in words, in one of its forms (``rules/README.md``): ``{{ ts('national-icpc', 'words') }}``."""
    return ts_text(p.rules.timescale(ts_id), form)


def phone(p: Page, contact_id: str, index: int = 1) -> str:
    """A contact's telephone number (the ``index``-th, from 1) as a ``tel:`` link."""
    number = p.rules.contact(contact_id)["phones"][index - 1]["number"]
    return f'<a href="{tel_href(number)}">{escape(number)}</a>'


def address(p: Page, contact_id: str) -> str:
    """A contact's postal address on one line."""
    return escape(", ".join(p.rules.contact(contact_id)["address"]))


def email(p: Page, contact_id: str, index: int = 1) -> str:
    """A contact's email address (the ``index``-th, from 1) as a ``mailto:`` link."""
    e = p.rules.contact(contact_id)["emails"][index - 1]
    return f'<a href="mailto:{escape(e)}">{escape(e)}</a>'


def contact(p: Page, contact_id: str) -> str:
    """A contact card (``macros/site/templates/components/contact-card``): Markdown with a checked source link."""
    c = p.rules.contact(contact_id)
    a = p.rules.anchors[c["source"]]
    return render_markdown("pages/contact.html", card=dict(
        name=c["name"], address=c.get("address", []),
        phones=[{"label": ph.get("label", "Telephone"), "number": ph["number"], "href": tel_href(ph["number"])}
                for ph in c.get("phones", [])],
        emails=c.get("emails", []), web=c.get("web", []), hours=c.get("hours"), notes=c.get("notes"),
        source={"text": p.cite_of(c["source"]), "href": p.rel(f"{a.area}/{a.page}.md", a.id)}))


def link(p: Page, anchor_id: str, text: str | None = None) -> str:
    """A link to a section or paragraph, titled with its heading (or ``text``)."""
    return p.anchor_link(anchor_id, text)


# -- levels of need ------------------------------------------------------------------------

def flags(p: Page, group_id: str) -> str:
    """The concerns of a flag group as a list (with what each includes), as the area's document lists them."""
    _area, th = next((a, th) for a, th in p.bundle["thresholds"].items()
                     if any(g["id"] == group_id for g in th["flag_groups"]))
    lines = [""]
    for f in th["flags"]:
        if f["group"] != group_id:
            continue
        note = f" ({f['level_note']})" if f["level_note"] else ""
        lines.append(f"- {md(f['text'])}{md(note)}")
        lines += [f"    - {md(inc)}" for inc in f["includes"]]
    return "\n".join(lines) + "\n"


def grid(p: Page, area: str, level: int) -> str:
    """One level of an area's levels-of-need grid: its description, then its indicators by domain and dimension."""
    th = p.bundle["thresholds"][area]
    out = [""]
    for lv in th["levels"]:
        if lv["level"] == level:
            out.append(f"**{escape(lv['title'])}**: {md(lv['text'])}\n")
    for domain, name in DOMAIN_LABELS.items():
        items = [i for i in th["indicators"] if i["level"] == level and i["domain"] == domain]
        if not items:
            continue
        out.append(f'<p class="grid-domain"><strong>{escape(name)}</strong></p>\n')
        dims: dict[str, list] = {}
        for i in items:
            dims.setdefault(i["dimension"], []).append(i)
        for dim, its in dims.items():
            out.append(f"- **{md(dim)}**")
            out += [f"    - {md(i['text'])}" for i in its]
        out.append("")
    return "\n".join(out) + "\n"


def threshold_checker(p: Page, area: str) -> str:
    """An area's threshold checker: every question, readable and usable without JavaScript."""
    data = checker_data(p.bundle, area, p.rules.areas[area]["name"], p.html_href)
    return render("pages/threshold-checker.html", **data) + "\n"


def area_checker_list(p: Page) -> str:
    """A list of links to every area's threshold checker."""
    return "\n".join(f"- [{a['name']}]({p.rel(a['id'] + '/threshold-checker.md')})"
                     for a in p.rules.areas.values()) + "\n"


# -- timescales on a procedure page --------------------------------------------------------

def timescales_box(p: Page, area: str, page: str) -> str:
    """The "Timescales on this page" box: each time limit the page cites, with its source."""
    own = p.own_timescales(area, page)
    if not own:
        return ""
    lines = ['!!! abstract "Timescales on this page"', "",
             "    | What is due | Time limit | Source |", "    |---|---|---|"]
    for t in own:
        lines.append(f"    | {md(t['label'])} | {rule_words(t, p.events)}{' (see note)' if t['alternatives'] else ''} | "
                     f"{p.cite_link(t['source'])} |")
    lines += ["", f"    All timescales for this area: {p.timescales_page_link(area, 'timescales')}."
              " [Calculate the dates](" + p.rel("calculators/deadlines.md") + area_fragment(area) + ")", ""]
    return "\n".join(lines) + "\n"


def page_tools(p: Page, area: str, page: str, event: str = "") -> str:
    """The short list at the top of a procedure page: where its timescales and calculator are
    (after the text, so the text comes first). Empty when the page has neither."""
    own = p.own_timescales(area, page)
    items = []
    if own:
        n = len(own)
        items.append(f"[Timescales on this page ({n} time limit{'s' if n != 1 else ''})](#page-timescales)")
    if event:
        items.append("[Calculate the dates](#page-calculator)")
    if not items:
        return ""
    return ('<nav class="page-tools" aria-label="Timescales and calculator on this page" markdown>\n\n'
            + "\n".join(f"- {i}" for i in items) + "\n\n</nav>\n")


def timescales_panel(p: Page, area: str, page: str, event: str = "") -> str:
    """After the procedure text: the timescales box and the compact calculator, under one heading."""
    own = p.own_timescales(area, page)
    if not own and not event:
        return ""
    out = ["## Timescales and dates for this procedure { #page-timescales }", ""]
    if own:
        out.append(timescales_box(p, area, page))
    if event:     # the form itself is put in as the page is written (macros.site.forms.COMPACT)
        out.append(f'<div id="page-calculator" class="page-calculator">\n{compact_placeholder(area, event)}\n</div>\n')
    return "\n".join(out) + "\n"


def deadline_form(p: Page, area: str | None = None, event: str | None = None, compact: bool = False) -> str:
    """The deadline calculator's form (``macros/site/forms.py``): full, or compact on a procedure page."""
    return render_deadline_form(p.bundle, p.url(), area, event, compact, p.deadline_events)


# -- whole tables --------------------------------------------------------------------------

def flow_chart(p: Page, area: str) -> str:
    """The area's flow chart, generated from its timescales (``macros/site/flowchart.py``): a static
    SVG with role="img", <title> and <desc>, and its text equivalent with cited sources."""
    chart = flowchart.groups(p.bundle, area)
    for g in chart:
        for s in g["steps"]:
            s["href"] = p.html_href(s["source"]["url"])
            s["cite"] = cite(s["source"])
            s["layer_name"] = layer_name(p.rules.areas, s["layer"]) if s["layer"] != area else ""
    name = p.rules.areas[area]["name"]
    n = sum(len(g["steps"]) for g in chart)
    description = (f"{len(chart)} events that start a clock in {name}, each followed by the steps due "
                   f"after it ({n} in all) with their time limits, in the order a case usually follows.")
    return render("flowchart/flow-chart.html", chart=chart, drawing=flowchart.layout(chart),
                  title=f"{name}: flow chart of events and steps", description=description) + "\n"


def moves_summary(p: Page) -> str:
    """The moves recorded in rules/moved-ids.yaml, for the "Linking to these procedures" page."""
    found = moves.entries(p.rules.root)
    if not found:
        return "No paragraph or page has moved since the site was first published."
    items = "".join(f"\n- {escape(m['date'])}: `{escape(m['id'])}` moved to `{escape(m['moved_to'])}`. "
                    f"{escape(m['reason'])}" for m in found)
    return f"Moves recorded so far:\n{items}\n"


def _notes(p: Page, t: dict) -> str:
    parts = [md(t["notes"])] if t["notes"] else []
    for a in t["alternatives"]:
        parts.append(f"Other reading: {amount_text(a['amount'], a['unit'])} ({p.cite_link(a['source'])}): {md(a['note'])}")
    if t["reading"]:
        parts.append(f"**The calculator uses {amount_text(t['amount'], t['unit'])}.** {md(t['reading'])}")
    return "<br>".join(part.replace("|", "\\|").replace("\n", " ") for part in parts)


def timescale_table(p: Page, area: str, heading_level: int = 2) -> str:
    """Every timescale of an area (its own and inherited), grouped by the event that starts the clock."""
    rows = effective_timescales(p.bundle, area)
    out = []
    for event_id, event in p.events.items():
        these = [t for t in rows if t["event"] == event_id]
        if not these:
            continue
        out.append(f"{'#' * heading_level} {md(event['label'])} {{ #{area}-from-{event_id} }}\n")
        out.append(f"{md(event['description'])}\n")
        out.append("| What is due | Time limit | Rule from | Source | Notes |\n|---|---|---|---|---|")
        for t in these:
            layer = layer_name(p.rules.areas, t["layer"])
            limit = md(rule_words(t, p.events))
            if t.get("applies_if"):     # a conditional step: its condition, cited, beside the time limit
                cond = t["applies_if"]
                limit += f"<br>**If {md(cond['text'].rstrip('.'))}**: only then ({p.cite_link(cond['source'])})"
            out.append(f"| {md(t['label'])} | {limit} | {md(layer)} | {p.cite_link(t['source'])} | "
                       f"{_notes(p, t)} |")
        out.append("")
    return "\n".join(out) + "\n"


def compare_table(p: Page) -> str:
    """Each step's time limit in every area side by side, rows grouped by what starts the clock."""
    areas = list(p.rules.areas)
    keys = []
    for t in p.bundle["timescales"]:
        key = (t["step"], t["event"], t["direction"])
        if key not in keys:
            keys.append(key)
    order = list(p.events)  # rows grouped by what starts the clock, in the vocabulary's order
    keys.sort(key=lambda k: (order.index(k[1]), k[2] == "after"))
    head = "| Step | From | " + " | ".join(md(p.rules.areas[a]["name"]) for a in areas) + " |"
    out = [head, "|" + "---|" * (len(areas) + 2)]
    effective = {a: effective_timescales(p.bundle, a) for a in areas}  # once per area, not per row
    for step, event, direction in keys:
        cells = []
        for a in areas:
            found = [t for t in effective[a] if (t["step"], t["event"], t["direction"]) == (step, event, direction)]
            cells.append("<br>".join(
                p.cite_link(t["source"], " or ".join(amount_text(x["amount"], x["unit"]) for x in [t] + t.get("or", []))
                            + (f", whichever is {t['whichever']}" if t.get("or") else "")
                            + (" " + direction if direction == "before" else "")
                            + (", then every " + amount_text(t["recurrence"]["every"], t["recurrence"]["unit"])
                               if t["recurrence"] else ""))
                + (" (national)" if t["layer"] != a and a != "national" else "")
                + (" (ambiguous)" if t["alternatives"] else "")
                for t in found) or "-")
        out.append(f"| {md(p.bundle['steps'][step]['label'])} | {md(p.events[event]['label'])} | "
                   + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def glossary_table(p: Page) -> str:
    """Every area's glossary (national first), terms in alphabetical order, each cited."""
    out = []
    for area in p.rules.areas:
        terms = p.rules.glossary.get(area, [])
        if not terms:
            continue
        out.append(f"## {md(p.rules.areas[area]['name'])} {{ #glossary-{area} }}\n")
        out.append("| Term | Meaning |\n|---|---|")
        for t in sorted(terms, key=lambda t: t["term"].lower()):
            src = f" ({p.anchor_link(t['source'], p.cite_of(t['source']))})" if t.get("source") else ""
            out.append(f"| <span id=\"term-{area}-{t['id']}\">{md(t['term'])}</span> | {md(t['meaning'])}{src} |")
        out.append("")
    return "\n".join(out) + "\n"


# -- areas and the calendar ----------------------------------------------------------------

def area_list(p: Page) -> str:
    """Each area, linked to its overview, with the documents it publishes and their dates."""
    out = []
    for a in p.rules.areas.values():
        docs = "; ".join(f"{md(d['title'])} ({record_date(str(d['date'])) if d.get('date') else 'undated'})"
                         for d in a["documents"])
        out.append(f"- [{md(a['name'])}]({p.rel(a['id'] + '/index.md')}): {docs}")
    return "\n".join(out) + "\n"


def area_ids(p: Page) -> list:
    """The areas' ids, national first (for loops in hand-written pages)."""
    return list(p.rules.areas)


def area_name(p: Page, area: str) -> str:
    """An area's name as its document gives it."""
    return p.rules.areas[area]["name"]


def counting_rules(p: Page) -> str:
    """The "How dates are counted" section of tools/duedates.py's docstring, then the
    "Which deadlines an event starts" section of tools/deadlines.py's (the layers), as
    Markdown: the page states exactly what the code does, from one text.

    Those sections are written for practitioners and maintainers alike (plain words, dates as
    a person writes them); what only a maintainer needs (the units' keys, the calendar file, the
    fields of a refused answer) follows under "For maintainers" and is not printed. A section
    ends at that heading or at "Public API", whichever comes first."""
    from tools import deadlines, duedates

    def section(doc: str, heading: str) -> str:
        start = doc.index(f"{heading}\n{'=' * len(heading)}\n")
        body = doc[start:].split("\n", 2)[2]          # drop the heading and its underline
        for end in ("For maintainers\n", "Public API"):
            body = body.split(end)[0]
        return body.strip()
    body = (section(duedates.__doc__, "How dates are counted") + "\n\n"
            + section(deadlines.__doc__, "Which deadlines an event starts"))
    return body.replace("``", "`") + "\n"


def calendar_coverage(p: Page) -> str:
    """The first and last day the bank holiday calendar covers, in words ("1 January 2013 to
    31 December 2028")."""
    cal = p.bundle["calendar"]
    return f"{record_date(cal['covers_from'])} to {record_date(cal['covers_to'])}"


def rule_file_rules(p: Page) -> str:
    """What a rule file may hold, for the "Add your partnership" page: the same text as the section of
    rules/README.md, written from the loader's own limits (:mod:`macros.rules.owner_guide`)."""
    return owner_guide.markdown()


MACROS = [ts, phone, address, email, contact, link, flags, grid, threshold_checker, area_checker_list,
          timescales_box, page_tools, timescales_panel, deadline_form, flow_chart, moves_summary,
          timescale_table, compare_table, glossary_table, area_list, area_ids, area_name, counting_rules,
          calendar_coverage, rule_file_rules]


def register(env, rules, bundle) -> Page:
    """Give every macro of :data:`MACROS` to mkdocs-macros, bound to this build's rules and bundle."""
    page = Page(rules, bundle, lambda: getattr(env, "page", None))
    for macro in MACROS:
        env.macro(functools.update_wrapper(functools.partial(macro, page), macro), macro.__name__)
    return page
