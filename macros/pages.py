"""Generate the site's pages from rules/: a plain function from Rules to {path: Markdown}.

Nothing generated is written into docs/: the MkDocs hook (``macros/hooks.py``) adds
these pages to the build in memory. Keeping this a plain function means it could
also run as a pre-build step for another static site generator.

Every section heading and every paragraph carries the explicit id from rules/, so
partners' links (``/peterborough/referrals/#pbo-3-23``) survive any rewording.
Numbers in the text stay as macros (``{{ ts('...') }}``); mkdocs-macros renders
them from rules/ when the page is built.
"""
from __future__ import annotations

import re
import textwrap

from tools.wording import STATUS_LABELS

from .rules import Rules


def area_pages(rules: Rules, area: str) -> dict[str, str]:
    """All generated pages of one area, keyed by path under docs/."""
    pages = {f"{area}/index.md": area_index(rules, area)}
    for proc in rules.procedures.get(area, []):
        pages[f"{area}/{proc['id']}.md"] = procedure_page(rules, area, proc)
    pages[f"{area}/timescales.md"] = timescales_page(rules, area)
    pages[f"{area}/contacts.md"] = contacts_page(rules, area)
    pages[f"{area}/threshold-checker.md"] = threshold_page(rules, area)
    return pages


def generate(rules: Rules) -> dict:
    """The whole generated site, without MkDocs: ``{"pages": {path: Markdown}, "nav": [...]}``.

    The MkDocs hook adds both to the build; a pre-build step for another generator
    (Material's successor) could write the same pages to disk instead."""
    return {"pages": generate_pages(rules), "nav": nav(rules)}


def generate_pages(rules: Rules) -> dict[str, str]:
    """Every page generated from rules/, keyed by path under docs/."""
    pages = {}
    for area in rules.areas:
        pages.update(area_pages(rules, area))
    return pages


def nav(rules: Rules) -> list:
    """The navigation: areas, then procedures; the hand-written pages around them."""
    areas = []
    for area_id, area in rules.areas.items():
        entries = [{"Overview": f"{area_id}/index.md"}]
        entries += [{p["title"]: f"{area_id}/{p['id']}.md"} for p in rules.procedures.get(area_id, [])]
        entries += [{"Timescales": f"{area_id}/timescales.md"}, {"Contacts": f"{area_id}/contacts.md"},
                    {"Threshold checker": f"{area_id}/threshold-checker.md"}]
        areas.append({area["name"]: entries})
    return [
        {"Home": "index.md"},
        {"How to use this site": "how-to-use.md"},
        {"Areas": areas},
        {"Calculators": [{"Deadline calculator": "calculators/deadlines.md"},
                         {"Threshold checker": "calculators/thresholds.md"},
                         {"How dates are counted": "calculators/how-dates-are-counted.md"}]},
        {"Compare areas": "compare.md"},
        {"Glossary": "glossary.md"},
        {"About": ["about.md", "accessibility.md", "privacy.md", "deploying.md"]},
    ]


# -- pieces ----------------------------------------------------------------------------------

def front_matter(title: str, **meta) -> str:
    lines = ["---", f"title: {_yaml_str(title)}"]
    lines += [f"{k}: {_yaml_str(str(v))}" for k, v in meta.items() if v is not None]
    return "\n".join(lines + ["---", ""])


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document_panel(rules: Rules, document_id: str) -> str:
    """The source, date and status box every procedure page starts with."""
    d = rules.documents[document_id]
    status = STATUS_LABELS[d["status"]]
    date = d.get("date_note") or d.get("date") or "Undated."
    lines = [
        f'!!! {"warning" if d["status"] != "current" else "info"} "Source: {_md_escape(d["title"])}"',
        "",
        f"    **Published by** {d['publisher']}. **Date:** {date}",
        "",
        f"    **Status:** {status}." + (f" {d['status_note']}" if d.get("status_note") else ""),
        "",
        "    This page reproduces the document faithfully. Check your partnership's current "
        "procedures before relying on it.",
        "",
    ]
    return "\n".join(lines)


def _md_escape(s: str) -> str:
    return s.replace('"', "'")


def procedure_page(rules: Rules, area: str, proc: dict) -> str:
    out = [front_matter(proc["title"], area=area, procedure=proc["id"]), f"# {proc['title']}", ""]
    out.append(document_panel(rules, proc["document"]))
    out.append(f"{{{{ timescales_box('{area}', '{proc['id']}') }}}}\n")
    if proc.get("start_event"):
        out.append(f"{{{{ deadline_form(area='{area}', event='{proc['start_event']}', compact=True) }}}}\n")
    for section in proc["sections"]:
        out.append(render_section(rules, section, 2))
    return "\n".join(out)


def render_section(rules: Rules, section: dict, depth: int) -> str:
    out = [f"{'#' * min(depth, 6)} {section['title']} {{ #{section['id']} }}", ""]
    cite = section["cite"].removeprefix("Heading:").strip()
    if cite and cite not in section["title"]:
        out.append(f'<p class="proc-cite">Source: {_cite_html(rules, section)}</p>\n')
    for block in section.get("blocks", []):
        out.append(render_block(rules, block))
    for sub in section.get("sections", []):
        out.append(render_section(rules, sub, depth + 1))
    return "\n".join(out)


def _cite_html(rules: Rules, item: dict) -> str:
    anchor = rules.anchors[item["id"]]
    return f"{_esc(rules.documents[anchor.document]['title'])}, {_esc(anchor.cite)}"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_block(rules: Rules, block: dict) -> str:
    """A paragraph, box, footnote or "who does what" list, wrapped so its id is linkable."""
    kind = block.get("kind", "paragraph")
    anchor = rules.anchors[block["id"]]
    # Numbered paragraphs show their number (as printed in the document); others a pilcrow.
    label = anchor.cite if re.fullmatch(r"\d+(\.\d+)*[a-z]?", anchor.cite) else "\u00b6"
    where = f"paragraph {anchor.cite}" if label != "\u00b6" else anchor.cite
    body = []
    if block.get("title"):
        body.append(f'<p class="proc-block-title"><strong>{_esc(block["title"])}</strong></p>\n')
    if kind == "flowchart":
        body.append('<p class="proc-note">The source gives this flow chart as a picture; its readable text follows.</p>\n')
    if "text" in block:
        body.append(textwrap.dedent(block["text"]).strip() + "\n")
    for group in block.get("who", []):
        body.append(f"**{group['actor']}**\n")
        body.append("\n".join(f"- {a.strip()}" for a in group["actions"]) + "\n")
    return (
        f'<div class="proc-block proc-{kind}" id="{block["id"]}" markdown>\n'
        f'<a class="proc-anchor" href="#{block["id"]}" title="Link to this paragraph ({_esc(where)})" '
        f'aria-label="Link to {_esc(where)}">{_esc(label)}</a>\n\n'
        + "\n".join(body)
        + "\n</div>\n"
    )


def area_index(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    out = [front_matter(area["name"], area=area_id), f"# {area['name']}", ""]
    if area["inherits"]:
        parent = rules.areas[area["inherits"]]["name"]
        out.append(f"{area['name']}'s own rules apply first; where its documents give no rule for a step, "
                   f"the {parent} rule applies and is labelled as such.\n")
    out.append("## Source documents { #documents }\n")
    for d in area["documents"]:
        out.append(document_panel(rules, d["id"]))
    out.append("## Procedures { #procedures }\n")
    for proc in rules.procedures.get(area_id, []):
        out.append(f"- [{proc['title']}]({proc['id']}.md)")
    out.append("")
    out.append("## Tools and summaries { #tools }\n")
    out.append("- [Timescales](timescales.md): every time limit, with its source")
    out.append("- [Contacts](contacts.md)")
    out.append(f"- [Threshold checker](threshold-checker.md): from a concern to a pathway, for {area['name']}")
    out.append("- [Deadline calculator](../calculators/deadlines.md): due dates in working days")
    out.append("")
    return "\n".join(out)


def timescales_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    out = [front_matter(f"{area['name']}: timescales", area=area_id), f"# {area['name']}: timescales", ""]
    out.append("Every time limit that applies in this area, grouped by what starts the clock. "
               "The [deadline calculator](../calculators/deadlines.md) counts them for a date; "
               "[How dates are counted](../calculators/how-dates-are-counted.md) explains the units.\n")
    out.append(f"{{{{ timescale_table('{area_id}') }}}}\n")
    return "\n".join(out)


def contacts_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    out = [front_matter(f"{area['name']}: contacts", area=area_id), f"# {area['name']}: contacts", ""]
    contacts = rules.contacts.get(area_id, [])
    if not contacts:
        out.append(f"The {area['name']} source document gives no contact details.\n")
    if area_id == "national" or not contacts:
        out.append("In an emergency, if a child is at immediate risk of harm, call the police on 999.\n")
    for c in contacts:
        out.append(f"## {c['name']} {{ #{c['id']} }}\n")
        out.append(f"{{{{ contact('{c['id']}') }}}}\n")
    return "\n".join(out)


def threshold_page(rules: Rules, area_id: str) -> str:
    area = rules.areas[area_id]
    title = f"{area['name']}: threshold checker"
    return "\n".join([front_matter(title, area=area_id), f"# {title}", "",
                      f"{{{{ threshold_checker('{area_id}') }}}}", ""])
