"""The threshold checker page of an area: the form, and everything it asks, readable without JavaScript.

The page lists the immediate-danger question first, then the area's red flags by
group, then its levels-of-need indicators by domain and dimension, each with its
citation. Without JavaScript it is a complete reference; with JavaScript the
boxes become a checker that runs tools/thresholds.py in the browser.
"""
from __future__ import annotations

from html import escape

DOMAIN_WORDS = {
    "developmental-needs": "Child's developmental needs",
    "parenting-capacity": "Parenting capacity",
    "family-environment": "Family and environmental factors",
}


def _groups(bundle: dict, area: str) -> list[tuple[str, dict, list]]:
    """Flag groups of the area's layers, national (immediate danger) first."""
    out = []
    lineage = []
    a = area
    while a:
        lineage.append(a)
        a = bundle["areas"][a]["inherits"]
    for layer in reversed(lineage):
        th = bundle["thresholds"].get(layer)
        if not th:
            continue
        for g in th["flag_groups"]:
            if layer != area and g["pathway"] != "immediate-protection":
                continue  # an area's own criteria replace the national ones, except the 999 question
            out.append((layer, g, [f for f in th["flags"] if f["group"] == g["id"]]))
    return out


def register(env, rules, bundle, html_href, rel):
    def cite(source: dict) -> str:
        return f'<a class="tc-cite" href="{escape(html_href(source["url"]))}">{escape(source["document"])}, {escape(source["section"])}</a>'

    def checkbox(kind: str, item: dict, extra: str = "") -> str:
        iid = f"tc-{item['id']}"
        includes = ""
        if item.get("includes"):
            includes = "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in item["includes"]) + "</ul>"
        note = f' <span class="tc-level-note">({escape(item["level_note"])})</span>' if item.get("level_note") else ""
        return (f'<li class="tc-item" data-search="{escape(item["text"].lower())}">'
                f'<input type="checkbox" id="{iid}" name="{kind}" value="{escape(item["id"])}"{extra}>'
                f'<label for="{iid}">{escape(item["text"])}{note}</label> {cite(item["source"])}{includes}</li>')

    @env.macro
    def threshold_checker(area: str) -> str:
        name = rules.areas[area]["name"]
        th = bundle["thresholds"].get(area, {"indicators": [], "levels": []})
        parts = [f'<form class="threshold-checker" id="threshold-checker" data-area="{area}" novalidate>',
                 '<p class="calc-privacy">Nothing you tick leaves this page or is stored. Do not enter names.</p>',
                 '<div class="calc-status" role="status" aria-live="polite"></div>']
        for layer, group, flags in _groups(bundle, area):
            danger = group["pathway"] == "immediate-protection"
            parts.append(f'<fieldset class="tc-group{" tc-danger" if danger else ""}" id="tc-group-{group["id"]}">'
                         f'<legend>{escape(group["title"])}</legend>'
                         f'<p class="tc-source">{escape("National guidance" if layer == "national" else name)}: {cite(group["source"])}</p>'
                         f'<ul class="tc-list">' + "".join(checkbox("flag", f) for f in flags) + "</ul></fieldset>")
        if th["indicators"]:
            parts.append('<fieldset class="tc-indicators" id="tc-indicators"><legend>Levels of need: what have you seen?</legend>'
                         '<div class="tc-filter"><label for="tc-filter-input">Filter the indicators</label>'
                         '<div class="tc-hint" id="tc-filter-hint">For example, self-harm, housing, school</div>'
                         '<input type="search" id="tc-filter-input" aria-describedby="tc-filter-hint" autocomplete="off"></div>')
            for level in sorted({i["level"] for i in th["indicators"]}):
                desc = next((lv for lv in th["levels"] if lv["level"] == level), None)
                parts.append(f'<details class="tc-level" id="tc-level-{level}" open><summary>Level {level}</summary>')
                if desc:
                    parts.append(f'<p>{escape(desc["text"])} {cite(desc["source"])}</p>')
                for domain, dname in DOMAIN_WORDS.items():
                    items = [i for i in th["indicators"] if i["level"] == level and i["domain"] == domain]
                    if not items:
                        continue
                    parts.append(f'<h3 class="tc-domain">{escape(dname)} (level {level})</h3>')
                    dims: dict = {}
                    for i in items:
                        dims.setdefault(i["dimension"], []).append(i)
                    for dim, its in dims.items():
                        parts.append(f'<h4 class="tc-dimension">{escape(dim)}</h4><ul class="tc-list">'
                                     + "".join(checkbox("indicator", i) for i in its) + "</ul>")
                parts.append("</details>")
            parts.append("</fieldset>")
        parts.append('<div class="tc-actions"><button type="submit" class="md-button md-button--primary">Check the pathway</button></div>')
        parts.append('<div class="tc-result" id="tc-result" tabindex="-1" aria-live="polite"></div>')
        parts.append('<p class="calc-nojs-note">The checker needs JavaScript to suggest a pathway. Without it, this page is '
                     'the full list of what the area\'s document says, with citations.</p>')
        parts.append("</form>")
        return "\n".join(parts) + "\n"

    @env.macro
    def area_checker_list() -> str:
        return "\n".join(f"- [{a['name']}]({rel(a['id'] + '/threshold-checker.md')})" for a in rules.areas.values()) + "\n"

