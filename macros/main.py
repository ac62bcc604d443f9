"""Page macros (mkdocs-macros): every number, contact and cross-link on a page comes from rules/.

Registered by ``define_env``; the hook (``hooks.py``) has already loaded and
validated rules/ and the bundle. An unknown id raises, and mkdocs-macros is set to
fail the build (``on_error_fail``), so a page can never show a stale or missing value.
"""
from __future__ import annotations

import posixpath
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402
from macros.bundle import cite_text, short_title  # noqa: E402
from macros.forms import compact_placeholder  # noqa: E402
from macros.render import render_markdown  # noqa: E402
from macros.ruletext import markdown as md  # noqa: E402
from macros.text import amount_text, rule_words, tel_href, ts_text  # noqa: E402
from tools.layers import effective_timescales  # noqa: E402
from tools.threshold_answer import DOMAIN_LABELS  # noqa: E402
from tools.wording import cite, layer_name  # noqa: E402


def define_env(env):
    rules = state.rules()
    bundle = state.bundle()
    events = bundle["events"]

    def here() -> str:
        return env.page.file.src_uri if env.page else "index.md"

    def rel(target_md: str, fragment: str = "") -> str:
        """A relative Markdown link target from the current page, so MkDocs validates it."""
        path = posixpath.relpath(target_md, posixpath.dirname(here()) or ".")
        return path + (f"#{fragment}" if fragment else "")

    def html_href(url: str) -> str:
        """A relative href for raw HTML (which MkDocs does not rewrite): from the page's
        built address to ``url`` (site-relative, e.g. ``coventry/levels-of-need/#cov-10``)."""
        page, _, fragment = url.partition("#")
        base = env.page.url if env.page else ""
        path = posixpath.relpath(page or ".", base or ".")
        path = "./" if path == "." else path + ("/" if page.endswith("/") else "")
        return path + (f"#{fragment}" if fragment else "")

    def anchor_link(anchor_id: str, text: str | None = None) -> str:
        a = rules.anchors[anchor_id]
        return f"[{md(text or a.title)}]({rel(f'{a.area}/{a.page}.md', a.id)})"

    def cite_link(source: dict, text: str | None = None) -> str:
        """A Markdown link to a cited section, titled "Document, section" unless ``text`` is given."""
        target = rel(source["url"].split("/#")[0] + ".md", source["id"])
        return f"[{md(text or cite(source))}]({target})"

    @env.macro
    def ts(ts_id: str, form: str = "full") -> str:
        return ts_text(rules.timescale(ts_id), form)

    @env.macro
    def phone(contact_id: str, index: int = 1) -> str:
        p = rules.contact(contact_id)["phones"][index - 1]
        return f'<a href="{tel_href(p["number"])}">{escape(p["number"])}</a>'

    @env.macro
    def address(contact_id: str) -> str:
        return escape(", ".join(rules.contact(contact_id)["address"]))

    @env.macro
    def email(contact_id: str, index: int = 1) -> str:
        e = rules.contact(contact_id)["emails"][index - 1]
        return f'<a href="mailto:{escape(e)}">{escape(e)}</a>'

    @env.macro
    def contact(contact_id: str) -> str:
        """A contact card (``macros/templates/components/contact-card``): Markdown with a checked source link."""
        c = rules.contact(contact_id)
        a = rules.anchors[c["source"]]
        return render_markdown("pages/contact.html", card=dict(
            name=c["name"], address=c.get("address", []),
            phones=[{"label": p.get("label", "Telephone"), "number": p["number"], "href": tel_href(p["number"])}
                    for p in c.get("phones", [])],
            emails=c.get("emails", []), web=c.get("web", []), hours=c.get("hours"), notes=c.get("notes"),
            source={"text": _cite_of(c["source"]), "href": rel(f"{a.area}/{a.page}.md", a.id)}))

    def _cite_of(anchor_id: str) -> str:
        a = rules.anchors[anchor_id]
        d = rules.documents[a.document]
        return f"{short_title(d)}, {cite_text(a, d)}"

    @env.macro
    def link(anchor_id: str, text: str | None = None) -> str:
        return anchor_link(anchor_id, text)

    @env.macro
    def flags(group_id: str) -> str:
        area, th = next((a, th) for a, th in bundle["thresholds"].items() if any(g["id"] == group_id for g in th["flag_groups"]))
        lines = [""]
        for f in th["flags"]:
            if f["group"] != group_id:
                continue
            note = f" ({f['level_note']})" if f["level_note"] else ""
            lines.append(f"- {md(f['text'])}{md(note)}")
            lines += [f"    - {md(inc)}" for inc in f["includes"]]
        return "\n".join(lines) + "\n"

    @env.macro
    def grid(area: str, level: int) -> str:
        th = bundle["thresholds"][area]
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

    @env.macro
    def timescales_box(area: str, page: str) -> str:
        own = _own_timescales(area, page)
        if not own:
            return ""
        lines = ['!!! abstract "Timescales on this page"', "",
                 "    | What is due | Time limit | Source |", "    |---|---|---|"]
        for t in own:
            lines.append(f"    | {md(t['label'])} | {rule_words(t, events)}{' (see note)' if t['alternatives'] else ''} | "
                         f"{cite_link(t['source'])} |")
        lines += ["", f"    All timescales for this area: {anchor_page_link(area, 'timescales')}."
                  " [Calculate the dates](" + rel("calculators/deadlines.md") + f"?area={area})", ""]
        return "\n".join(lines) + "\n"

    # Which timescales each page cites (its source or one of its alternatives' sources), in the
    # bundle's order: indexed once, not scanned per page (three times per procedure page).
    by_page: dict[tuple[str, str], list] = {}
    for t in bundle["timescales"]:
        pages = {rules.anchors[t["source"]["id"]].page} | {rules.anchors[a["source"]["id"]].page for a in t["alternatives"]}
        for p in pages:
            by_page.setdefault((t["area"], p), []).append(t)

    def _own_timescales(area: str, page: str) -> list:
        return by_page.get((area, page), [])

    @env.macro
    def page_tools(area: str, page: str, event: str = "") -> str:
        """The short list at the top of a procedure page: where its timescales and calculator are
        (after the text, so the text comes first). Empty when the page has neither."""
        own = _own_timescales(area, page)
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

    @env.macro
    def timescales_panel(area: str, page: str, event: str = "") -> str:
        """After the procedure text: the timescales box and the compact calculator, under one heading."""
        own = _own_timescales(area, page)
        if not own and not event:
            return ""
        out = ["## Timescales and dates for this procedure { #page-timescales }", ""]
        if own:
            out.append(timescales_box(area, page))
        if event:     # the form itself is put in as the page is written (macros.forms.COMPACT)
            out.append(f'<div id="page-calculator" class="page-calculator">\n{compact_placeholder(area, event)}\n</div>\n')
        return "\n".join(out) + "\n"

    @env.macro
    def flow_chart(area: str) -> str:
        """The area's flow chart, generated from its timescales (``macros/flowchart.py``): a static
        SVG with role="img", <title> and <desc>, and its text equivalent with cited sources."""
        from macros import flowchart
        from macros.render import render
        chart = flowchart.groups(bundle, area)
        for g in chart:
            for s in g["steps"]:
                s["href"] = html_href(s["source"]["url"])
                s["cite"] = cite(s["source"])
                s["layer_name"] = layer_name(rules.areas, s["layer"]) if s["layer"] != area else ""
        name = rules.areas[area]["name"]
        n = sum(len(g["steps"]) for g in chart)
        description = (f"{len(chart)} events that start a clock in {name}, each followed by the steps due "
                       f"after it ({n} in all) with their time limits, in the order a case usually follows.")
        return render("flowchart/flow-chart.html", chart=chart, drawing=flowchart.layout(chart),
                      title=f"{name}: flow chart of events and steps", description=description) + "\n"

    @env.macro
    def moves_summary() -> str:
        """The moves recorded in rules/moved-ids.yaml, for the "Linking to these procedures" page."""
        from macros import moves
        found = moves.entries(rules.root)
        if not found:
            return "No paragraph or page has moved since the site was first published."
        items = "".join(f"\n- {escape(m['date'])}: `{escape(m['id'])}` moved to `{escape(m['moved_to'])}`. "
                        f"{escape(m['reason'])}" for m in found)
        return f"Moves recorded so far:\n{items}\n"

    def anchor_page_link(area: str, page: str) -> str:
        return f"[{md(rules.areas[area]['name'])} timescales]({rel(f'{area}/{page}.md')})"

    @env.macro
    def timescale_table(area: str, heading_level: int = 2) -> str:
        rows = effective_timescales(bundle, area)
        out = []
        for event_id, event in events.items():
            these = [t for t in rows if t["event"] == event_id]
            if not these:
                continue
            out.append(f"{'#' * heading_level} {md(event['label'])} {{ #{area}-from-{event_id} }}\n")
            out.append(f"{md(event['description'])}\n")
            out.append("| What is due | Time limit | Rule from | Source | Notes |\n|---|---|---|---|---|")
            for t in these:
                layer = layer_name(rules.areas, t["layer"])
                out.append(f"| {md(t['label'])} | {md(rule_words(t, events))} | {md(layer)} | {cite_link(t['source'])} | "
                           f"{_notes(t)} |")
            out.append("")
        return "\n".join(out) + "\n"

    def _notes(t: dict) -> str:
        parts = [md(t["notes"])] if t["notes"] else []
        for a in t["alternatives"]:
            parts.append(f"Other reading: {amount_text(a['amount'], a['unit'])} ({cite_link(a['source'])}): {md(a['note'])}")
        if t["reading"]:
            parts.append(f"**The calculator uses {amount_text(t['amount'], t['unit'])}.** {md(t['reading'])}")
        return "<br>".join(p.replace("|", "\\|").replace("\n", " ") for p in parts)

    @env.macro
    def compare_table() -> str:
        areas = list(rules.areas)
        keys = []
        for t in bundle["timescales"]:
            key = (t["step"], t["event"], t["direction"])
            if key not in keys:
                keys.append(key)
        order = list(events)  # rows grouped by what starts the clock, in the vocabulary's order
        keys.sort(key=lambda k: (order.index(k[1]), k[2] == "after"))
        head = "| Step | From | " + " | ".join(md(rules.areas[a]["name"]) for a in areas) + " |"
        out = [head, "|" + "---|" * (len(areas) + 2)]
        effective = {a: effective_timescales(bundle, a) for a in areas}  # once per area, not per row
        for step, event, direction in keys:
            cells = []
            for a in areas:
                found = [t for t in effective[a] if (t["step"], t["event"], t["direction"]) == (step, event, direction)]
                cells.append("<br>".join(
                    cite_link(t["source"], amount_text(t["amount"], t["unit"])
                              + (" " + direction if direction == "before" else "")
                              + (", then every " + amount_text(t["recurrence"]["every"], t["recurrence"]["unit"])
                                 if t["recurrence"] else ""))
                    + (" (national)" if t["layer"] != a and a != "national" else "")
                    + (" (ambiguous)" if t["alternatives"] else "")
                    for t in found) or "-")
            out.append(f"| {md(bundle['steps'][step]['label'])} | {md(events[event]['label'])} | " + " | ".join(cells) + " |")
        return "\n".join(out) + "\n"

    @env.macro
    def glossary_table() -> str:
        out = []
        for area in rules.areas:  # national first, then the local areas
            terms = rules.glossary.get(area, [])
            if not terms:
                continue
            out.append(f"## {md(rules.areas[area]['name'])} {{ #glossary-{area} }}\n")
            out.append("| Term | Meaning |\n|---|---|")
            for t in sorted(terms, key=lambda t: t["term"].lower()):
                src = f" ({anchor_link(t['source'], _cite_of(t['source']))})" if t.get("source") else ""
                out.append(f"| <span id=\"term-{area}-{t['id']}\">{md(t['term'])}</span> | {md(t['meaning'])}{src} |")
            out.append("")
        return "\n".join(out) + "\n"

    @env.macro
    def area_list() -> str:
        out = []
        for a in rules.areas.values():
            docs = "; ".join(f"{md(d['title'])} ({d.get('date') or 'undated'})" for d in a["documents"])
            out.append(f"- [{md(a['name'])}]({rel(a['id'] + '/index.md')}): {docs}")
        return "\n".join(out) + "\n"

    @env.macro
    def area_ids() -> list:
        return list(rules.areas)

    @env.macro
    def area_name(area: str) -> str:
        return rules.areas[area]["name"]

    @env.macro
    def counting_rules() -> str:
        """The "How dates are counted" section of tools/duedates.py's docstring, then the
        "Which deadlines an event starts" section of tools/deadlines.py's (the layers), as
        Markdown: the page states exactly what the code does, from one text."""
        from tools import deadlines, duedates

        def section(doc: str, heading: str) -> str:
            start = doc.index(f"{heading}\n{'=' * len(heading)}\n")
            body = doc[start:].split("\n", 2)[2]          # drop the heading and its underline
            return body.split("Public API")[0].strip()
        body = (section(duedates.__doc__, "How dates are counted") + "\n\n"
                + section(deadlines.__doc__, "Which deadlines an event starts"))
        return body.replace("``", "`") + "\n"

    @env.macro
    def calendar_coverage() -> str:
        cal = bundle["calendar"]
        return f"{cal['covers_from']} to {cal['covers_to']}"

    # Calculator forms and the threshold checker UI live in their own modules.
    from macros import forms, threshold_page
    forms.register(env, rules, bundle)
    threshold_page.register(env, rules, bundle, html_href, rel)
