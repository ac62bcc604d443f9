"""The threshold checker page of an area: the form, and everything it asks, readable without JavaScript.

The page asks the immediate-danger question first (with what to do at once if the
answer is yes), then lists the area's red flags by group, then its levels-of-need
indicators by level, domain and dimension, each with its citation. What is
selectable, and in which order, comes from ``tools.thresholds.effective_rules``, so
the page and the engine can never disagree.

Without JavaScript the page is a complete reference (every box, every citation, and
the "act now" panel); nothing on it can be submitted, so nothing ticked can leave the
browser. With JavaScript  the boxes
become a checker: ``docs/javascripts/calculator/thresholds.mjs`` sends the area and the
ticked ids to ``tools.thresholds.check`` running in Pyodide in the calculators' Web Worker
(``client.mjs``) and renders the dict it returns.
"""
from __future__ import annotations

from html import escape

from macros.text import tel_href
from tools.thresholds import DISCLAIMER, DOMAIN_LABELS, PATHWAY_LABELS, check, effective_rules


def _groups(bundle: dict, area: str) -> list[tuple[str, dict, list]]:
    """``(layer, group, flags)`` of the area, immediate-protection groups first (the engine's order)."""
    e = effective_rules(bundle, area)
    return [(g["layer"], g, [f for f in e["flags"] if f["group"] == g["id"]]) for g in e["flag_groups"]]


def _search_text(*parts: str) -> str:
    """What the filter box matches: lower case, punctuation as spaces ("self-harm" -> "self harm")."""
    text = " ".join(parts).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def register(env, rules, bundle, html_href, rel):
    def cite(source: dict) -> str:
        return (f'<a class="tc-cite" href="{escape(html_href(source["url"]))}">'
                f'{escape(source["document"])}, {escape(source["section"])}</a>')

    def phone_links(contact: dict) -> str:
        return ", ".join(f'<a class="tc-tel" href="{escape(tel_href(p["number"]))}">{escape(p["number"])}</a>'
                         + (f' ({escape(p["label"])})' if p.get("label") and p["label"] != "Telephone" else "")
                         for p in contact.get("phones", []))

    def checkbox(kind: str, item: dict, extra_search: str = "", group_pathway: str = "") -> str:
        iid = f"tc-{item['id']}"
        includes = ""
        if item.get("includes"):
            includes = ('<ul class="tc-includes">' + "".join(f"<li>{escape(i)}</li>" for i in item["includes"])
                        + "</ul>")
        note = f' <span class="tc-level-note">({escape(item["level_note"])})</span>' if item.get("level_note") else ""
        if kind == "flag" and group_pathway and item["pathway"] != group_pathway:
            note += f' <strong class="tc-pathway-note">(leads to: {escape(PATHWAY_LABELS[item["pathway"]])})</strong>'
        search = _search_text(item["text"], " ".join(item.get("includes", [])), extra_search)
        data = f' data-pathway="{escape(item["pathway"])}"' if kind == "flag" else f' data-level="{item["level"]}"'
        return (f'<li class="tc-item" data-search="{escape(search)}">'
                f'<div class="tc-check"><input type="checkbox" id="{iid}" name="{kind}" value="{escape(item["id"])}"{data} autocomplete="off">'
                f'<label for="{iid}">{escape(item["text"])}{note}</label></div>'
                f'<span class="tc-source">{cite(item["source"])}</span>{includes}</li>')

    def act_now(area: str, danger_flags: list[dict]) -> str:
        """What to do at once when the child is in immediate danger: the engine's own answer."""
        result = check(bundle, area, flags=[danger_flags[0]["id"]])
        steps = "".join(
            f'<li>{escape(s["text"])}' + (f' <span class="tc-source">{cite(s["section"])}</span>' if s.get("section") else "")
            + "</li>" for s in result["next_steps"][1:])
        contacts = "".join(f'<li><strong>{escape(c["name"])}</strong>'
                           + (f': {phone_links(c)}' if c.get("phones") else ": the document gives no telephone number")
                           + "</li>" for c in result["contacts"][1:])
        return ('<div class="tc-act-now" id="tc-act-now" data-static="true">'
                '<h3 class="tc-act-now-title">If the child is in immediate danger: act now</h3>'
                f'<p class="tc-999">Call the police on <a class="tc-tel" href="{tel_href("999")}">999</a> '
                'if there is a risk to the life of the child or a likelihood of serious immediate harm.</p>'
                + (f'<p>Then contact:</p><ul class="tc-contacts">{contacts}</ul>' if contacts else "")
                + (f'<details class="tc-act-more"><summary>What the guidance says to do</summary><ol>{steps}</ol></details>'
                   if steps else "")
                + "</div>")

    @env.macro
    def threshold_checker(area: str) -> str:
        name = rules.areas[area]["name"]
        e = effective_rules(bundle, area)
        groups = _groups(bundle, area)
        danger = [(layer, g, fl) for layer, g, fl in groups if g["pathway"] == "immediate-protection"]
        others = [(layer, g, fl) for layer, g, fl in groups if g["pathway"] != "immediate-protection"]
        parts = [
            f'<div class="threshold-checker" id="threshold-checker" data-calculator="thresholds" '
            f'data-area="{escape(area)}">',
            '<p class="tc-privacy"><strong>Nothing you tick leaves this page or is stored.</strong> '
            'The checker runs in your browser. Do not enter names.</p>',
            '<p class="tc-nojs-note">Without JavaScript this page is the full list of what the area\'s '
            'documents say, with citations; the checker that suggests a pathway needs JavaScript.</p>',
            '<div class="tc-status" id="tc-status" role="status" aria-live="polite"></div>',
        ]
        nothing = check(bundle, area)
        if nothing["documents"]:
            old = any(d["status"] != "current" for d in nothing["documents"])
            parts.insert(2, f'<p class="tc-documents">{escape(nothing["documents_text"])}'
                         + (" Check that they are still your area's current procedures." if old else "") + "</p>")
        # 1. Immediate danger, always first.
        for n, (layer, group, flags) in enumerate(danger):
            parts.append(f'<fieldset class="tc-group tc-danger" id="tc-group-{escape(group["id"])}" '
                         f'data-pathway="immediate-protection">'
                         f'<legend class="tc-legend tc-legend--l">{escape(group["title"])}</legend>'
                         f'<p class="tc-hint">{"Tick if this applies" if len(flags) == 1 else "Tick any that apply"}. '
                         f'{_layer_words(layer, name)}: {cite(group["source"])}</p>'
                         '<ul class="tc-list">' + "".join(checkbox("flag", f) for f in flags) + "</ul>")
            if n == 0 and flags:
                parts.append(act_now(area, flags))
            parts.append("</fieldset>")
        # The filter, for everything below.
        total = len(e["indicators"]) + sum(len(fl) for _, _, fl in others)
        parts.append('<div class="tc-filter" hidden>'
                     '<label class="tc-label" for="tc-filter-input">Find a concern</label>'
                     f'<div class="tc-hint" id="tc-filter-hint">Type a word to show only the matching items '
                     f'of the {total} below, for example self-harm, housing or school. Ticked boxes stay ticked.</div>'
                     '<input class="tc-input" type="search" id="tc-filter-input" aria-describedby="tc-filter-hint" '
                     'aria-controls="tc-flags tc-indicators" autocomplete="off" spellcheck="false">'
                     '<p class="tc-filter-count" id="tc-filter-count" role="status" aria-live="polite"></p>'
                     '<p class="tc-skip-wrap"><a class="tc-skip" id="tc-skip" href="#tc-actions">'
                     'Skip the lists: go to \u201cCheck the pathway\u201d</a></p>'
                     '</div>')
        # 2. Red flags by group.
        if others:
            parts.append('<section class="tc-section" id="tc-flags" aria-labelledby="tc-flags-title">'
                         '<h2 class="tc-h2" id="tc-flags-title">Circumstances that decide a pathway on their own</h2>'
                         f'<p>{escape(name)}\'s lists: if any applies, the pathway is the one shown under the list\'s title.</p>')
            for layer, group, flags in others:
                parts.append(f'<fieldset class="tc-group" id="tc-group-{escape(group["id"])}" '
                             f'data-pathway="{escape(group["pathway"])}">'
                             f'<legend class="tc-legend">{escape(group["title"])}</legend>'
                             f'<p class="tc-hint">Leads to: <strong>{escape(PATHWAY_LABELS[group["pathway"]])}</strong>'
                             f'{_override_note(flags, group)}. {_layer_words(layer, name)}: {cite(group["source"])}</p>'
                             '<ul class="tc-list">'
                             + "".join(checkbox("flag", f, group["title"], group["pathway"]) for f in flags) + "</ul></fieldset>")
            parts.append('<p class="tc-no-match" hidden>No circumstance matches.</p></section>')
        # 3. Indicators by level, domain and dimension.
        if e["indicators"]:
            parts.append('<section class="tc-section" id="tc-indicators" aria-labelledby="tc-indicators-title">'
                         '<h2 class="tc-h2" id="tc-indicators-title">Levels of need: what have you seen?</h2>'
                         '<p>Tick every indicator that describes the child now. The highest level ticked is the '
                         'level of need.</p>')
            for level in sorted({i["level"] for i in e["indicators"]}):
                desc = next((lv for lv in e["levels"] if lv["level"] == level), None)
                count = sum(1 for i in e["indicators"] if i["level"] == level)
                parts.append(f'<details class="tc-level" id="tc-level-{level}" open>'
                             f'<summary class="tc-summary">Level {level} <span class="tc-count">({count} indicators)</span></summary>')
                if desc:
                    parts.append(f'<p class="tc-level-desc">{escape(desc["text"])} '
                                 f'<span class="tc-source">{cite(desc["source"])}</span></p>')
                for domain, dname in DOMAIN_LABELS.items():
                    items = [i for i in e["indicators"] if i["level"] == level and i["domain"] == domain]
                    if not items:
                        continue
                    parts.append(f'<fieldset class="tc-domain" id="tc-level-{level}-{domain}">'
                                 f'<legend class="tc-legend">{escape(dname)} (level {level})</legend>')
                    dims: dict = {}
                    for i in items:
                        dims.setdefault(i["dimension"], []).append(i)
                    for dim, its in dims.items():
                        parts.append(f'<div class="tc-dimension"><h3 class="tc-dimension-title">{escape(dim)}</h3>'
                                     '<ul class="tc-list">'
                                     + "".join(checkbox("indicator", i, f"{dim} {dname} level {level}") for i in its)
                                     + "</ul></div>")
                    parts.append("</fieldset>")
                parts.append("</details>")
            parts.append('<p class="tc-no-match" hidden>No indicator matches.</p></section>')
        # 4. Actions and the result.
        parts.append('<div class="tc-actions" id="tc-actions" hidden>'
                     '<button type="button" class="md-button md-button--primary tc-button" id="tc-check">'
                     'Check the pathway</button> '
                     '<button type="button" class="md-button tc-button" id="tc-clear">Clear all ticks</button>'
                     '<span class="tc-selected-count" id="tc-selected-count"></span></div>')
        parts.append('<section class="tc-result" id="tc-result" aria-labelledby="tc-result-title" hidden>'
                     '<h2 class="tc-h2" id="tc-result-title" tabindex="-1">Suggested pathway</h2>'
                     '<div class="tc-result-body" id="tc-result-body"></div>'
                     '<div class="tc-result-actions">'
                     '<button type="button" class="md-button tc-button" id="tc-copy">Copy summary</button> '
                     '<button type="button" class="md-button tc-button" id="tc-print">Print</button>'
                     '<span class="tc-copy-status" id="tc-copy-status" role="status" aria-live="polite"></span></div>'
                     f'<p class="tc-disclaimer">{escape(DISCLAIMER)}</p></section>')
        parts.append(f'<p class="tc-disclaimer tc-disclaimer--page">{escape(DISCLAIMER)}</p>')
        parts.append("</div>")
        return "\n".join(parts) + "\n"

    def _layer_words(layer: str, name: str) -> str:
        return "National guidance" if layer == "national" else "Source"

    def _override_note(flags: list[dict], group: dict) -> str:
        other = [f for f in flags if f["pathway"] != group["pathway"]]
        if not other:
            return ""
        return (f" (except those marked: {', '.join(sorted({PATHWAY_LABELS[f['pathway']] for f in other}))})")

    @env.macro
    def area_checker_list() -> str:
        return "\n".join(f"- [{a['name']}]({rel(a['id'] + '/threshold-checker.md')})" for a in rules.areas.values()) + "\n"
