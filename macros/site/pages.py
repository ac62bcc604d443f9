"""Generate the site's pages from rules/: a plain function from Rules to {path: Markdown}.

Nothing generated is written into docs/: the MkDocs hook (``macros/hooks.py``) adds
these pages to the build in memory. Keeping this a plain function means it could
also run as a pre-build step for another static site generator.

Every section heading and every paragraph carries the explicit id from rules/, so
partners' links (``/peterborough/referrals/#pbo-3-23``) survive any rewording.
Numbers in the text stay as macros (``{{ ts('...') }}``); mkdocs-macros renders
them from rules/ when the page is built. Every string from rules/ goes through
``macros.rules.ruletext`` (``md`` for Markdown, ``_esc`` for HTML): only re-emitted,
validated macro calls reach Jinja, and no tag from rules/ is live.
"""
from __future__ import annotations

import re
import textwrap

from macros.rules import Rules, ruletext
from macros.rules.ruletext import html as _esc
from macros.rules.ruletext import markdown as md
from macros.site import abbreviations, changes
from macros.site.blocks import Blocks
from macros.site.forms import area_fragment
from macros.site.render import render
from tools.wording import STATUS_LABELS


def area_pages(rules: Rules, area: str, blocks: Blocks) -> dict[str, str]:
    """All generated pages of one area, keyed by path under docs/ (their blocks kept in ``blocks``)."""
    pages = {f"{area}/index.md": area_index(rules, area)}
    for part in rules.parts.get(area, []):
        pages[part_path(area, part)] = part_page(rules, area, part)
    for proc in rules.procedures.get(area, []):
        pages[f"{area}/{proc['id']}.md"] = procedure_page(rules, area, proc, blocks)
    pages[f"{area}/timescales.md"] = timescales_page(rules, area)
    pages[f"{area}/flow-chart.md"] = flow_chart_page(rules, area)
    pages[f"{area}/contacts.md"] = contacts_page(rules, area)
    pages[f"{area}/threshold-checker.md"] = threshold_page(rules, area)
    pages[f"{area}/print.md"] = print_area_page(rules, area, blocks)
    return pages


def generate(rules: Rules) -> dict:
    """The whole generated site, without MkDocs:
    ``{"pages": {path: Markdown}, "nav": [...], "blocks": Blocks}``.

    The pages' paragraphs are placeholders whose blocks ``blocks`` holds (``macros.site.blocks``:
    they are converted to HTML once each, outside the page's Markdown). The MkDocs hook adds
    the pages and the navigation to the build and fills the placeholders in each page's HTML."""
    blocks = generate_blocks(rules)
    return {"pages": generate_pages(rules, blocks), "nav": nav(rules), "blocks": blocks}


def generate_blocks(rules: Rules) -> Blocks:
    """The store of the pages' blocks (``macros.site.blocks``), made from ``rules``."""
    return Blocks(lambda section, prefix: section_blocks(rules, section, prefix))


def generate_pages(rules: Rules, blocks: Blocks) -> dict[str, str]:
    """Every page generated from rules/, keyed by path under docs/."""
    pages = {}
    for area in rules.areas:
        pages.update(area_pages(rules, area, blocks))
    pages[changes.CHANGES_PAGE] = whats_changed_page(rules)
    return pages


def part_path(area: str, part: dict) -> str:
    """The overview page of a part: ``<area>/parts/<part>/index.md`` (an index, so the
    part's title in the navigation is its link: Material's ``navigation.indexes``)."""
    return f"{area}/parts/{part['id']}/index.md"


def part_procedures(rules: Rules, area: str, part_id: str) -> list[dict]:
    return [p for p in rules.procedures.get(area, []) if p.get("part") == part_id]


def nav(rules: Rules) -> list:
    """The navigation: areas, then procedures (in parts, where the area has parts); the
    hand-written pages around them.

    An area with parts gets one nested section per part, headed by the part's overview
    page. With ``navigation.prune`` Material then renders only the open part's
    procedures and the other parts' titles, so a page's HTML grows with its own part,
    not with the manual. An area without parts lists its procedures directly.
    """
    areas = []
    for area_id, area in rules.areas.items():
        entries = [{"Overview": f"{area_id}/index.md"}]
        if area_id in rules.parts:
            for part in rules.parts[area_id]:
                entries.append({_title(part["title"]): [part_path(area_id, part)]
                                + [{_title(p["title"]): f"{area_id}/{p['id']}.md"}
                                   for p in part_procedures(rules, area_id, part["id"])]})
        else:
            entries += [{_title(p["title"]): f"{area_id}/{p['id']}.md"} for p in rules.procedures.get(area_id, [])]
        entries += [{"Timescales": f"{area_id}/timescales.md"}, {"Flow chart": f"{area_id}/flow-chart.md"},
                    {"Contacts": f"{area_id}/contacts.md"},
                    {"Threshold checker": f"{area_id}/threshold-checker.md"}]
        areas.append({_title(area["name"]): entries})
    return [
        {"Home": "index.md"},
        {"How to use this site": "how-to-use.md"},
        {"Areas": areas},
        {"Calculators": [{"Deadline calculator": "calculators/deadlines.md"},
                         {"Threshold checker": "calculators/thresholds.md"},
                         {"How dates are counted": "calculators/how-dates-are-counted.md"}]},
        {"Compare areas": "compare.md"},
        {"What's changed": changes.CHANGES_PAGE},
        {"Glossary": "glossary.md"},
        {"About": ["about.md", "accessibility.md", "privacy.md", "linking.md", "add-your-partnership.md", "deploying.md"]},
    ]


# -- pieces ----------------------------------------------------------------------------------

def _title(s: str) -> str:
    """A title for the navigation and the page's <title>: no tag or template delimiter survives."""
    return ruletext.escape(s)


def front_matter(title: str, **meta) -> str:
    lines = ["---", f"title: {_yaml_str(_title(title))}"]
    # Every value is escaped like the title: theme templates print front matter unescaped.
    lines += [f"{k}: {_yaml_str(_title(str(v)))}" for k, v in meta.items() if v is not None]
    return "\n".join(lines + ["---", ""])


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document_panel(rules: Rules, document_id: str) -> str:
    """The source, date and status box every procedure page starts with."""
    d = rules.documents[document_id]
    status = STATUS_LABELS[d["status"]]
    date = d.get("date_note") or d.get("date") or "Undated."
    lines = [
        f'!!! {"warning" if d["status"] != "current" else "info"} "Source: {_md_escape(_title(d["title"]))}"',
        "",
        f"    **Published by** {md(d['publisher'])}. **Date:** {md(str(date))}",
        "",
        f"    **Status:** {status}." + (f" {md(d['status_note'])}" if d.get("status_note") else ""),
        "",
        "    This page reproduces the document faithfully. Check your partnership's current "
        "procedures before relying on it.",
        "",
    ]
    return "\n".join(lines)


def _md_escape(s: str) -> str:
    return s.replace('"', "'")


def area_title(rules: Rules, area: str, title: str) -> str:
    """A page title that names its area: ``Dudley: Frequently asked questions``.

    A title that already starts with the area's name is kept as it is
    ("Dudley: timescales" stays, never "Dudley: Dudley: timescales")."""
    name = rules.areas[area]["name"]
    return title if title.startswith(name) else f"{name}: {title}"


def area_meta(rules: Rules, area: str) -> dict:
    """Front-matter keys every generated page of an area carries (the breadcrumb and search read them)."""
    return {"area": area, "area_name": rules.areas[area]["name"]}


def procedure_page(rules: Rules, area: str, proc: dict, blocks: Blocks) -> str:
    """A procedure: its text first, then the timescales and the calculator for it.

    The top holds only the title, a one-line source note and a short list of links
    ("Timescales on this page", "Calculate the dates") to the panel after the text,
    so the first paragraph of the procedure is on the first screen."""
    title = area_title(rules, area, proc["title"])
    out = [front_matter(title, **area_meta(rules, area), procedure=proc["id"], short_title=proc["title"]),
           f"# {md(title)}", ""]
    out.append(document_line(rules, proc["document"]))
    out.append(draft_label(rules, area, proc))
    event = proc.get("start_event") or ""
    out.append(f"{{{{ page_tools('{area}', '{proc['id']}', '{event}') }}}}\n")
    for section in proc["sections"]:
        out.append(render_section(rules, section, 2, blocks))
    out.append(f"{{{{ timescales_panel('{area}', '{proc['id']}', '{event}') }}}}\n")
    out.append(f"## Review and amendments {{ #{changes.BOX_ID} }}\n")
    out.append(changes_box(rules, area, proc) + "\n")
    out.append("## About the source document { #page-source }\n")
    out.append(document_panel(rules, proc["document"]))
    return "\n".join(out)


def draft_label(rules: Rules, area: str, proc: dict) -> str:
    """"Draft: not yet reviewed" on a page that is a draft, of a draft area, or that shows a
    draft timescale or contact (``draft: true``, written by ``procedures import``). Empty otherwise."""
    drafts = {(kind, ident) for _f, _l, kind, ident, _w in rules.drafts}
    used = []
    for _path, text in ruletext.procedure_texts(proc):
        for m in ruletext.MACRO.finditer(text):
            args = ruletext.macro_args(m.group("args"))
            kind = "timescale" if m.group("name") == "ts" else "contact"
            if args and (kind, args[0]) in drafts and args[0] not in used:
                used.append(args[0])
    if not (("page", proc["id"]) in drafts or ("area", area) in drafts or used):
        return ""
    lines = ['!!! danger "Draft: not yet reviewed"', "",
             "    This page was imported from the source document by `procedures import` and a person has "
             "not yet checked it. Draft timescales are not used by the calculators.", ""]
    if used:
        lines += ["    Not yet reviewed: " + ", ".join(f"`{md(u)}`" for u in used) + ".", ""]
    return "\n".join(lines)


def changes_box(rules: Rules, area: str, proc: dict) -> str:
    """The page's dated box: last and next review ("not recorded", "not set" when the
    owner has recorded none) and its amendments log, newest first."""
    reviewed = proc.get("reviewed")
    if reviewed:
        reviewed = dict(reviewed, last_text=changes.record_date(reviewed["last"]),
                        next_text=changes.record_date(reviewed["next"]) if reviewed.get("next") else None)
    return render("changes/page-box.html", entries=changes.page_log(rules, area, proc), reviewed=reviewed,
                  changes_href="../../whats-changed/")


def whats_changed_page(rules: Rules) -> str:
    """The site-wide What's changed page: every entry newest first, and the feed."""
    base = "../"
    return "\n".join([front_matter("What's changed"), "# What's changed", "",
                      render("changes/whats-changed.html", entries=changes.site_log(rules), base=base,
                             feed_url=changes.FEED_FILE), ""])


def document_line(rules: Rules, document_id: str) -> str:
    """One line under the title: the source, its date and status; the full box is at the end."""
    d = rules.documents[document_id]
    date = d.get("date_note") or d.get("date") or "Undated."
    status = STATUS_LABELS[d["status"]]
    return (f'<p class="proc-source-line">From <cite>{_esc(d["title"])}</cite> ({_esc(d["publisher"])}). '
            f'{_esc(str(date))} Status: {_esc(status)}. '
            f'<a href="#page-source">About this document</a></p>\n')


def render_section(rules: Rules, section: dict, depth: int, blocks: Blocks, prefix: str = "") -> str:
    """A heading with its id, its blocks, its sub-sections; the glossary's abbreviations are
    marked up at their first occurrence in the section's text (``macros.site.abbreviations``).
    ``prefix`` goes before every id (the print view, which must not repeat the published ids)."""
    out = [f"{'#' * min(depth, 6)} {md(section['title'])} {{ #{prefix}{section['id']} }}", ""]
    cite = section["cite"].removeprefix("Heading:").strip()
    if cite and cite not in section["title"]:
        out.append(f'<p class="proc-cite">Source: {_cite_html(rules, section)}</p>\n')
    if section.get("blocks"):    # one placeholder for the section's blocks, made when the page is written (macros.site.blocks)
        out.append(blocks.add(section, prefix) + "\n")
    for sub in section.get("sections", []):
        out.append(render_section(rules, sub, depth + 1, blocks, prefix))
    return "\n".join(out)


def _cite_html(rules: Rules, item: dict) -> str:
    anchor = rules.anchors[item["id"]]
    return f"{_esc(rules.documents[anchor.document]['title'])}, {_esc(anchor.cite)}"



def section_blocks(rules: Rules, section: dict, prefix: str = "") -> list[dict]:
    """A section's own blocks as ``macros.site.blocks`` renders them; the glossary's abbreviations
    are marked at their first occurrence in the section (one ``seen`` set for its blocks)."""
    seen: set[str] = set()
    return [block_data(rules, b, seen, prefix) for b in section["blocks"]]


def block_data(rules: Rules, block: dict, seen: set[str] | None = None, prefix: str = "") -> dict:
    """A paragraph, box, footnote or "who does what" list, as ``macros.site.blocks`` renders it
    (``templates/pages/blocks.html``: wrapped so its id is linkable); its Markdown ``body``
    has the glossary's abbreviations marked and its validated macro calls kept."""
    kind = block.get("kind", "paragraph")
    anchor = rules.anchors[block["id"]]
    terms = abbreviations.terms_for(rules, anchor.area)
    seen = set() if seen is None else seen

    def text(raw: str) -> str:
        return abbreviations.mark(md(raw, macros=True), terms, seen)
    # Numbered paragraphs show their number (as printed in the document); others a pilcrow.
    label = anchor.cite if re.fullmatch(r"\d+(\.\d+)*[a-z]?", anchor.cite) else "\u00b6"
    where = f"paragraph {anchor.cite}" if label != "\u00b6" else anchor.cite
    note, body = "", []
    if title_only(block):
        body.append(f"The source gives this chart as a picture, which is not reproduced here. The "
                    f"[flow chart of {md(rules.areas[anchor.area]['name'])}'s events and steps]"
                    f"(flow-chart.md) is generated from this area's timescales.\n")
    elif kind == "flowchart":
        note = "The source gives this flow chart as a picture; its readable text follows."
    if "text" in block and not title_only(block):
        body.append(text(textwrap.dedent(block["text"]).strip()) + "\n")
    for group in block.get("who", []):
        body.append(f"**{md(group['actor'])}**\n")
        body.append("\n".join(f"- {text(a.strip())}" for a in group["actions"]) + "\n")
    return {"id": prefix + block["id"], "source_id": block["id"], "kind": kind, "label": label, "where": where,
            "title": block.get("title") or "", "note": note, "body": "\n".join(body)}


def area_index(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    title = f"{area['name']}: procedures overview"
    out = [front_matter(title, **area_meta(rules, area_id), short_title="Overview"), f"# {md(title)}", ""]
    if area["inherits"]:
        parent = md(rules.areas[area["inherits"]]["name"])
        out.append(f"{md(area['name'])}'s own rules apply first; where its documents give no rule for a step, "
                   f"the {parent} rule applies and is labelled as such.\n")
    out.append("## Source documents { #documents }\n")
    for d in area["documents"]:
        out.append(document_panel(rules, d["id"]))
    out.append("## Procedures { #procedures }\n")
    if area_id in rules.parts:
        for part in rules.parts[area_id]:
            count = len(part_procedures(rules, area_id, part["id"]))
            out.append(f"- [{md(part['title'])}](parts/{part['id']}/index.md): "
                       f"{count} procedure{'s' if count != 1 else ''}")
    else:
        for proc in rules.procedures.get(area_id, []):
            out.append(f"- [{md(proc['title'])}]({proc['id']}.md)")
    out.append("")
    out.append("## Tools and summaries { #tools }\n")
    out.append("- [Timescales](timescales.md): every time limit, with its source")
    out.append("- [Flow chart](flow-chart.md): the events and steps, generated from this area's timescales")
    out.append("- [Contacts](contacts.md)")
    out.append(f"- [Threshold checker](threshold-checker.md): from a concern to a pathway, for {md(area['name'])}")
    out.append(f"- [Deadline calculator](../calculators/deadlines.md{area_fragment(area_id)}): "
               f"due dates in working days, for {md(area['name'])}")
    out.append(f"- [Print this area](print.md): all of {md(area['name'])}'s procedures on one page, for printing")
    out.append("")
    return "\n".join(out)


def part_page(rules: Rules, area_id: str, part: dict) -> str:
    """A part's overview: its optional overview text, then its procedures in order."""
    area = rules.areas[area_id]
    out = [front_matter(f"{area['name']}: {part['title']}", **area_meta(rules, area_id), part=part["id"],
                        short_title=part["title"]),
           f"# {md(area['name'])}: {md(part['title'])}", ""]
    if part.get("overview"):
        out.append(md(textwrap.dedent(part["overview"]).strip()) + "\n")
    out.append(f"Part of the [{md(area['name'])}](../../index.md) procedures.\n")
    out.append("## Procedures in this part { #procedures }\n")
    for proc in part_procedures(rules, area_id, part["id"]):
        out.append(f"- [{md(proc['title'])}](../../{proc['id']}.md)")
    out.append("")
    return "\n".join(out)


def timescales_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    out = [front_matter(f"{area['name']}: timescales", **area_meta(rules, area_id), short_title="Timescales"),
           f"# {md(area['name'])}: timescales", ""]
    out.append("Every time limit that applies in this area, grouped by what starts the clock. "
               f"The [deadline calculator](../calculators/deadlines.md{area_fragment(area_id)}) counts them for a date; "
               "[How dates are counted](../calculators/how-dates-are-counted.md) explains the units.\n")
    out.append(f"{{{{ timescale_table('{area_id}') }}}}\n")
    return "\n".join(out)


def flow_chart_page(rules: Rules, area_id: str) -> str:
    """The area's flow chart: a static SVG generated from its timescales, and the same as a list."""
    area = rules.areas[area_id]
    title = f"{area['name']}: flow chart"
    return "\n".join([front_matter(title, **area_meta(rules, area_id), short_title="Flow chart"), f"# {md(title)}", "",
                      "What happens after each event, and within what time, drawn from the "
                      "[timescales of this area](timescales.md) when the site is built: the chart and the "
                      "list below it say the same. It is generated from this area's timescales, not copied "
                      "from a source document.", "",
                      f"{{{{ flow_chart('{area_id}') }}}}", ""])


def title_only(block: dict) -> bool:
    """A flow chart block whose text only repeats its title (the source's chart is a picture).

    >>> title_only({"kind": "flowchart", "title": "Figure 1: Flowchart", "text": "Figure 1: Flowchart.\\n"})
    True
    """
    if block.get("kind") != "flowchart" or "text" not in block:
        return False
    norm = lambda s: " ".join(s.split()).rstrip(".").lower()  # noqa: E731
    return norm(block["text"]) == norm(block.get("title", ""))


def contacts_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    out = [front_matter(f"{area['name']}: contacts", **area_meta(rules, area_id), short_title="Contacts"),
           f"# {md(area['name'])}: contacts", ""]
    contacts = rules.contacts.get(area_id, [])
    if not contacts:
        out.append(f"The {md(area['name'])} source document gives no contact details.\n")
    if area_id == "national" or not contacts:
        out.append("In an emergency, if a child is at immediate risk of harm, call the police on 999.\n")
    for c in contacts:
        out.append(f"## {md(c['name'])} {{ #{c['id']} }}\n")
        out.append(f"{{{{ contact('{c['id']}') }}}}\n")
    return "\n".join(out)


def threshold_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    title = f"{area['name']}: threshold checker"
    return "\n".join([front_matter(title, **area_meta(rules, area_id), short_title="Threshold checker"),
                       f"# {md(title)}", "",
                      f"{{{{ threshold_checker('{area_id}') }}}}", ""])


PRINT_PREFIX = "print-"


def print_area_page(rules: Rules, area_id: str, blocks: Blocks) -> str:
    """"Print this area": every procedure of the area, in order, on one page (``<area>/print/``).

    The text is rendered by the same :func:`render_section` as the procedure pages, so the
    two cannot differ; only the ids change: every id is prefixed ``print-`` (the section
    ``cov-referrals`` is ``print-cov-referrals`` here), so no published id appears twice on
    the site and a partner's link always lands on the procedure page. The page is kept out of
    the search index (``search: exclude`` for Material, no ``data-pagefind-body`` for Pagefind:
    macros/site/search.py skips it) and out of the navigation; ``rules/published-ids.txt`` is built
    from rules/, not pages, so it records none of the prefixed ids. Each procedure starts on
    a new sheet in print (print.css) with its source line; the calculators are not included.
    """
    area = rules.areas[area_id]
    title = f"{area['name']}: all procedures, for printing"
    meta = front_matter(title, **area_meta(rules, area_id), short_title="Print this area", print_view="true")
    meta = meta.removesuffix("---\n") + "search:\n  exclude: true\n---\n"     # Material's own index too
    out = [meta, f"# {md(title)}", ""]
    procs = rules.procedures.get(area_id, [])
    out.append(f'<p class="print-area-intro">Every {md(area["name"])} procedure published on this site '
               f'({len(procs)} in all), one after another. Use your browser\'s Print command; each procedure '
               'starts on a new page. Section links point to the procedure pages.</p>\n')
    out.append('<div class="print-area" markdown>\n')
    for proc in procs:
        out.append('<section class="print-area__procedure" markdown>\n')
        out.append(f"## {md(proc['title'])} {{ #{PRINT_PREFIX}{proc['id']} }}\n")
        d = rules.documents[proc["document"]]
        date = d.get("date_note") or d.get("date") or "Undated."
        out.append(f'<p class="proc-source-line">From <cite>{_esc(d["title"])}</cite> ({_esc(d["publisher"])}). '
                   f'{_esc(str(date))} Status: {_esc(STATUS_LABELS[d["status"]])}. '
                   f'Online: [{md(proc["title"])}]({proc["id"]}.md)</p>\n')
        for section in proc["sections"]:
            out.append(render_section(rules, section, 3, blocks, PRINT_PREFIX))
        out.append("</section>\n")
    out.append("</div>\n")
    return "\n".join(out)
