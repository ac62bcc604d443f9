"""Flow charts from the rules: one per area, a static SVG generated from the area's timescales
(accessible: role="img", <title>, <desc>, a text list beside it, 320 px wide), linked from the
overview; title-only flow chart blocks link to it; glossary abbreviations marked up as <abbr>."""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

if sys.platform == "emscripten":    # build-time code (macros/): not part of the browser's tools tests
    pytest.skip("the flow charts are generated at build time (CPython only)", allow_module_level=True)

from areas import each_area  # noqa: E402
from areas import rules as load_tree  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402

from macros import state  # noqa: E402
from macros.rules import load_rules  # noqa: E402
from macros.site import abbreviations, pages
from tools.layers import effective_timescales  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    figure = html.split('<figure class="flow-chart"', 1)[1]
    return ET.fromstring(re.search(r"<svg .*?</svg>", figure, re.S).group(0))


def _chart_page(site, area: str) -> str:
    return (site / area / "flow-chart" / "index.html").read_text(encoding="utf-8")


@each_area
def test_every_area_has_a_static_accessible_flow_chart_of_its_events_and_steps(built_site, area):
    rules, bundle = load_tree(), state.bundle()
    html = _chart_page(built_site, area)
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "flow-chart-title flow-chart-desc"
    assert svg.find(f"{SVG}title").text.startswith(rules.areas[area]["name"])
    assert svg.find(f"{SVG}desc").text.strip()
    assert int(svg.get("width")) <= 320, "readable on a 320 px phone"
    assert not svg.findall(f".//{SVG}script") and "mermaid" not in html.lower()
    assert "generated from this area&#39;s timescales" in html or "generated from this area's timescales" in html
    assert 'role="region"' in html and 'tabindex="0"' in html
    drawn = " ".join(t.text or "" for t in svg.iter(f"{SVG}tspan"))
    listed = html.split('id="flow-chart-text"', 1)[1]
    for t in effective_timescales(bundle, area):
        first_word = t["label"].split()[0]
        assert first_word in drawn, f"{area}: {t['label']} is not drawn"
        assert t["label"].replace("'", "&#39;") in listed or t["label"] in listed, f"{area}: {t['label']} not listed"


def test_the_chart_follows_the_procedure_referral_before_assessment_and_strategy_before_icpc(built_site):
    svg = _svg(_chart_page(built_site, "national"))
    events = [" ".join(tspan.text for tspan in text.iter(f"{SVG}tspan"))
              for text in svg.iter(f"{SVG}text") if text.get("class") == "fc-event-text"]
    assert events.index("Referral received") < events.index("Strategy discussion or meeting held") \
        < events.index("Initial child protection conference")


@each_area
def test_the_area_overview_links_its_flow_chart_and_the_nav_lists_it(built_site, area):
    overview = (built_site / area / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="flow-chart/">Flow chart</a>: the events and steps, generated from this '
                     r"area(&#39;|')s timescales", overview), area


def test_a_flow_chart_block_that_is_only_a_title_links_to_the_generated_chart(built_site):
    rules = load_rules()
    found = 0
    for area, procs in rules.procedures.items():
        for proc in procs:
            html = (built_site / area / proc["id"] / "index.html").read_text(encoding="utf-8")
            for block_id in re.findall(r'<div class="proc-block proc-flowchart" id="([^"]+)"', html):
                block = html.split(f'id="{block_id}"', 1)[1].split("</div>", 1)[0]
                if "The source gives this chart as a picture" in block:
                    found += 1
                    assert '<a href="../flow-chart/">' in block
                    assert block.count("Flow chart 1:") <= 1 and block.count("Figure 1:") <= 1
    assert found >= 7          # national flow charts 1-5, Peterborough figure 1, Worcestershire's triangle


def test_title_only_is_decided_by_the_text_repeating_the_title():
    assert pages.title_only({"kind": "flowchart", "title": "Figure 1: X", "text": "Figure 1: X.\n"})
    assert not pages.title_only({"kind": "flowchart", "title": "Figure 2: X", "text": "Step one\n\nStep two\n"})
    assert not pages.title_only({"kind": "box", "title": "X", "text": "X"})


def test_chart_text_from_rules_is_escaped_and_the_svg_stays_well_formed(fixture_rules, tmp_path):
    ts = fixture_rules / "timescales" / "dudley.yaml"
    ts.write_text(ts.read_text().replace("label: Nature of the response determined",
                                         'label: "Response & next steps determined (R&A, \\"duty\\")"', 1))
    run = mkdocs_build(tmp_path / "site", fixture_rules)
    assert run.returncode == 0, run.stderr
    html = _chart_page(tmp_path / "site", "dudley")
    svg = _svg(html)
    drawn = " ".join(t.text or "" for t in svg.iter(f"{SVG}tspan"))
    assert "Response & next steps" in drawn and "&amp;" in html


class _Abbrs(HTMLParser):
    """Every <abbr> with the tags it sits in."""

    def __init__(self):
        super().__init__()
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "abbr":
            self.found.append((dict(attrs).get("title"), list(self.stack)))
        elif tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag != "abbr" and tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def test_glossary_abbreviations_are_marked_up_with_their_expansion_never_in_links_or_headings(built_site):
    rules = load_rules()
    html = (built_site / "national" / "managing-individual-cases" / "index.html").read_text(encoding="utf-8")
    parser = _Abbrs()
    parser.feed(html)
    assert parser.found, "no abbreviation marked up on the national page"
    terms = abbreviations.terms_for(rules, "national")
    for title, stack in parser.found:
        assert "a" not in stack and not {"h1", "h2", "h3", "h4", "h5", "h6"} & set(stack)
        assert title in {t.replace("&", "&") for t in terms.values()}
    assert re.search(r'<abbr title="Emergency Protection Order[^"]*">EPO</abbr>', html)


def test_the_abbreviation_markup_leaves_macros_links_code_and_headings_alone():
    terms = {"ICPC": "Initial child protection conference", "R&A": "Referral and Assessment"}
    seen: set[str] = set()
    text = "# ICPC heading\n{{ ts('national-icpc') }} [an ICPC](x.md#icpc) `ICPC` R&A, ICPCs and ICPC."
    out = abbreviations.mark(text, terms, seen)
    assert out.startswith("# ICPC heading\n{{ ts('national-icpc') }} [an ICPC](x.md#icpc) `ICPC` ")
    assert '<abbr title="Referral and Assessment">R&amp;A</abbr>' in out
    assert out.endswith('<abbr title="Initial child protection conference">ICPC</abbr>s and ICPC.')
    assert abbreviations.mark("ICPC again", terms, seen) == "ICPC again", "once per section"
    assert abbreviations.abbreviation("CAF (Common Assessment Framework)") == "CAF"
    assert abbreviations.abbreviation("Core group") is None
