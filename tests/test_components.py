"""The calculators' Jinja components (macros/site/templates/components/<name>/) and the pages built from them.

Every component folder holds ``template.html`` (a macro named after the folder), a ``README.md``
of its parameters and an ``example.yaml``; each example renders, is well-formed HTML, has the
ids and attributes it promises, every id it refers to (``for``, ``aria-*``, ``#`` links) is in
the fragment, and there is no inline script, style or event handler (the site's CSP).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from areas import each_area
from markupsafe import Markup

from macros.site.render import COMPONENTS, component, component_names, macro_name, render

REQUIRED = {"fieldset", "hint", "error-message", "error-summary", "date-input", "time-input", "select",
            "checkboxes", "button", "result-panel", "contact-card"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    """Well-formedness (every element closed, in order), ids, and the ids referred to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.refs: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for name in ("for", "aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (a.get(name) or "").split():
                self.refs.append((name, ref))
        if (a.get("href") or "").startswith("#"):
            self.refs.append(("href", a["href"][1:]))
        if tag == "script" or "style" in a or any(k.startswith("on") for k in a):
            self.problems.append(f"inline script, style or handler: <{tag} {attrs}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def close(self):
        super().close()
        if self.stack:
            self.problems.append(f"not closed: {self.stack}")


def check_html(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, checker.problems
    duplicates = {i for i in checker.ids if checker.ids.count(i) > 1}
    assert not duplicates, f"ids used twice: {duplicates}"
    return checker


def example(name: str) -> dict:
    return yaml.safe_load((COMPONENTS / name / "example.yaml").read_text(encoding="utf-8"))


def render_example(name: str) -> str:
    ex = example(name)
    params = dict(ex.get("params") or {})
    if "caller" in ex:
        body = Markup(ex["caller"])
        params["caller"] = lambda: body
    return str(component(name, **params))


def test_every_required_component_is_there_with_its_readme_and_example():
    names = set(component_names())
    assert REQUIRED <= names, f"missing components: {sorted(REQUIRED - names)}"
    for name in names:
        folder = COMPONENTS / name
        assert (folder / "README.md").is_file() and (folder / "example.yaml").is_file(), name
        source = (folder / "template.html").read_text(encoding="utf-8")
        assert f"{{% macro {macro_name(name)}(" in source, f"{name}/template.html must define the macro {macro_name(name)}"


@pytest.mark.parametrize("name", component_names())
def test_the_example_renders_well_formed_with_its_ids_and_attributes(name):
    html = render_example(name)
    ex = example(name)
    checker = check_html(html)
    for wanted in ex["expect"].get("ids", []):
        assert wanted in checker.ids, f"{name}: no id {wanted!r} in {html}"
    for text in ex["expect"].get("contains", []):
        assert text in html, f"{name}: {text!r} not in {html}"
    if not ex.get("markdown"):
        outside = set(ex["expect"].get("outside", []))   # ids elsewhere on the page (a summary's fields)
        missing = [(attr, ref) for attr, ref in checker.refs if ref not in checker.ids and ref not in outside]
        assert not missing, f"{name}: refers to ids not in the fragment: {missing}"


@pytest.mark.parametrize("name", component_names())
def test_the_readme_lists_every_parameter_of_the_macro(name):
    macro = getattr(__import__("macros.site.render", fromlist=["ENV"]).ENV.get_template(
        f"components/{name}/template.html").module, macro_name(name))
    readme = (COMPONENTS / name / "README.md").read_text(encoding="utf-8")
    for arg in macro.arguments:
        assert f"`{arg}`" in readme, f"{name}/README.md does not describe the parameter {arg!r}"


def test_values_are_escaped():
    html = str(component("button", text='<img src=x onerror="alert(1)">', attributes={"data-x": '"><script>'}))
    assert "<img" not in html and "<script" not in html and "&lt;img" in html


def test_an_undefined_value_is_an_error_not_a_gap():
    from jinja2 import UndefinedError
    with pytest.raises((UndefinedError, TypeError)):
        render("pages/threshold-checker.html", area="x")


# -- the pages made of them -------------------------------------------------------------------------
def test_the_deadline_form_pages_are_well_formed_and_every_reference_resolves(bundle):
    from macros.site.forms import render_deadline_form
    for html in (render_deadline_form(bundle, "calculators/deadlines/"),
                 render_deadline_form(bundle, "national/assessments/", "national", "referral", compact=True)):
        checker = check_html(html.replace("<template", "<div").replace("</template>", "</div>"))
        # The timeline's entry template uses tl-N- ids: the script renumbers them when it clones it.
        missing = [(a, r) for a, r in checker.refs if r not in checker.ids]
        assert not missing, missing
        for summary in ("dl-errors", "dlc-errors"):
            if f'id="{summary}"' in html:
                assert f'<h2 class="calc-error-summary__title" id="{summary}-title">There is a problem</h2>' in html


@pytest.fixture(scope="module")
def bundle():
    from areas import bundle
    return bundle()


@pytest.fixture(scope="module")
def rules():
    from areas import rules
    return rules()


@each_area
def test_the_threshold_checker_is_well_formed_and_uses_the_shared_components(bundle, rules, area):
    from macros.site.threshold_page import checker_data
    data = checker_data(bundle, area, rules.areas[area]["name"], lambda url: "/" + url)
    html = render("pages/threshold-checker.html", **data)
    checker = check_html(html)
    missing = [(a, r) for a, r in checker.refs if r not in checker.ids and r not in ("tc-flags", "tc-indicators")]
    assert not missing, f"{area}: {missing}"
    for needed in ("tc-errors", "tc-errors-title", "tc-result", "tc-result-title", "tc-check", "tc-status"):
        assert needed in checker.ids, f"{area}: no #{needed}"
    assert 'class="calc-button" id="tc-check"' in html
    assert not re.search(r'class="[^"]*\b(tc-|md-button)', html), "the old vocabulary is back"


# -- the form's HTML (macros/site/forms.py; moved here from test_web.py: build time, not run in Pyodide) --------
def test_the_form_html_has_no_inline_script_style_or_handler(bundle):
    import re

    from macros.site.forms import render_deadline_form
    for html in (render_deadline_form(bundle, "calculators/deadlines/"),
                 render_deadline_form(bundle, "national/assessments/", "national", "referral", compact=True)):
        assert "<script" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)
        assert "This calculator needs JavaScript" in html and "<noscript>" in html
        assert 'role="status"' in html and 'aria-live="polite"' in html
        assert "For example, 27 3 2026" in html and "not sent anywhere and not saved" in html


def test_the_compact_form_is_preset_and_offers_only_the_areas_events(bundle):
    from macros.site.forms import area_events, render_deadline_form
    html = render_deadline_form(bundle, "dudley/referral-and-assessment/", "dudley", "referral", compact=True)
    assert 'type="hidden" id="dlc-area" name="area" value="dudley"' in html
    assert '<option value="referral" selected>' in html
    assert 'href="../../calculators/deadlines/"' in html
    offered = {e for e, _, starts in area_events(bundle)["dudley"] if starts}
    from macros.site import (
        forms as D,  # D.list_events is tools.deadlines.list_events (this module stays out of Pyodide)
    )
    repeating = {e["id"] for e in D.list_events(bundle, "dudley") if D.next_from(bundle, "dudley", e["id"])[0]}
    assert "cp-review" in repeating      # a review just held gives the next one (national, inherited)
    assert offered == {e["id"] for e in D.list_events(bundle, "dudley") if e["timescales"]} | repeating
    # An event that only completes a step once is offered to the timeline, never to the single-event form.
    completing = {e["id"] for e in D.list_events(bundle, "dudley") if not e["timescales"]} - repeating
    assert completing and not completing & {o for o in offered}
    assert all(f'<option value="{e}"' not in html for e in completing)
    with pytest.raises(ValueError):
        render_deadline_form(bundle, "", "atlantis")
