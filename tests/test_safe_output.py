"""Safe whatever the input (issue 20): the allow-list on rule-derived HTML, the output folder, and
generated hostile strings in every text-bearing field of every kind of rule file.

The generated suite puts a hypothesis string into one field of the fixture tree, runs the real
loader, and for what it accepts renders what the build would write (page generation, the blocks'
Markdown through the site's extensions, the allow-list): each input is either refused with
file:line, never a traceback, or published as HTML that the allow-list finds nothing to remove.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.deployment import build_info
from macros.rules import RulesInvalid, load_rules, output
from macros.rules.ruletext import url_allowed
from macros.site import blocks, pages, sanitize

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "rules"
MKDOCS = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

# One text-bearing field of each kind of rule file: (file, the line as it is, the line with {v}).
FIELDS = [
    ("areas.yaml", "    name: Dudley\n", "    name: {v}\n"),
    ("areas.yaml", "        title: Frequently asked questions", "        title: {v}"),
    ("areas.yaml", "        publisher: Dudley", "        publisher: {v}"),
    ("procedures/dudley/referrals.yaml", "title: Referrals\n", "title: {v}\n"),
    ("procedures/dudley/referrals.yaml", "    title: \"1.5 Responsibility of Children's Social Care\"", "    title: {v}"),
    ("procedures/dudley/referrals.yaml", "          Children's Social Care must", "          {v}\n          must"),
    ("procedures/national/managing-cases.yaml", "              - convene an initial", "              - {v} convene an initial"),
    ("timescales/dudley.yaml", "    label: Nature of the response determined", "    label: {v}"),
    ("contacts/dudley.yaml", "    name: Duty access point", "    name: {v}"),
    ("contacts/dudley.yaml", "    address: [\"25 St James's Road\"]", "    address: [{v}]"),
    ("glossary/national.yaml", "    term: ICPC", "    term: {v}"),
    ("glossary/national.yaml", "    meaning: Initial child protection conference", "    meaning: {v}"),
    ("calendar/england-and-wales.yaml", "title: \"Good Friday\"}", "title: {v}}}"),
    ("thresholds/national.yaml", "    explanation: Nothing selected.", "    explanation: {v}"),
    ("events.yaml", None, None),          # placeholder replaced below when the fixture has a label
]
FIELDS = [f for f in FIELDS if f[1] is not None and f[1] in (FIXTURE / f[0]).read_text()]

PIECES = ["javascript:alert(1)", "java&#115;cript:x", "d&#97;ta:text/html,x", "//other.example/p.png",
          "https://other.example/p.png", "<script>x</script>", "<img src=x onerror=y>", "{{ 7*7 }}", "{% x %}",
          "[a](", "](", "![i](", "\n> [r]: ", "[r]", "\u202e", "\n", "\t", "&", "&#", "<", ">", "\"", "'", "`",
          "*", "_", "#", "- ", "1. ", "|", "\\", "Cafe\u0301", "mailto:a@b.example", "tel:0121", "{: .x }",
          "<!--", "-->", "&lt;", "%", "\x00", "\x07", "\u2028", "\ufeff"]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=6).map("".join)

_convert = blocks.converter(*blocks.extensions([e if isinstance(e, str) else next(iter(e)) for e in
                                                MKDOCS["markdown_extensions"]], {}))
_LINE = re.compile(r"^\S+:\d+ ", re.MULTILINE)


def _page_html(rules) -> list[str]:
    """What the build writes from these rules, without MkDocs: every generated page's Markdown
    converted (its macros left as text), and every block's HTML through the allow-list."""
    site = pages.generate(rules)
    out = []
    for text in site["pages"].values():
        out.append(_convert(text))
        out += [sanitize.clean(_convert(body)) for body in site["blocks"].bodies(text)]
    return out


@pytest.fixture(scope="module")
def tree():
    root = Path(tempfile.mkdtemp()) / "rules"
    shutil.copytree(FIXTURE, root)
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=hostile)
def test_a_hostile_string_in_any_field_is_refused_with_its_line_or_published_as_safe_text(tree, field, value):
    file, old, new = field
    path = tree / file
    original = (FIXTURE / file).read_text()
    path.write_text(original.replace(old, new.format(v=json.dumps(value, ensure_ascii=False)), 1))
    try:
        try:
            rules = load_rules(tree)
        except RulesInvalid as exc:
            assert exc.problems and all(_LINE.match(str(p)) for p in exc.problems), exc.report()
            return
        for html in _page_html(rules):
            assert sanitize.violations(html) == [], (value, html[:500])
    finally:
        path.write_text(original)


# -- the allow-list --------------------------------------------------------------------------------
@pytest.mark.parametrize("fragment", [
    '<a href="java&#115;cript:alert(1)">x</a>', '<a href="  JAVASCRIPT:alert(1)">x</a>',
    '<a href="d&#97;ta:text/html,x">x</a>', '<a href="vbscript:x">x</a>', '<a href="//other.example/">x</a>',
    '<a href="\\\\other.example/">x</a>', '<img src="https://other.example/p.png">', '<img src="//other.example/p.png">',
    '<img src="data:image/png;base64,AAAA">', '<p onclick="x()">x</p>', '<script>alert(1)</script>',
    '<iframe src="https://other.example/"></iframe>', '<a href="jav&#x09;ascript:x">x</a>',
    '<svg><a href="javascript:x">x</a></svg>', '<style>@import url(//other.example/x.css)</style>',
])
def test_the_allow_list_leaves_nothing_live_from_a_hostile_fragment(fragment):
    cleaned = sanitize.clean(fragment)
    assert sanitize.violations(cleaned) == []
    for url in re.findall(r'(?:href|src)="([^"]*)"', cleaned):
        assert url_allowed(url, "href"), cleaned
    assert "<script" not in cleaned and "<iframe" not in cleaned and "onclick" not in cleaned and "<style" not in cleaned


def test_the_allow_list_keeps_what_rule_text_may_publish():
    fragment = ('<p>Call <a href="tel:+441384000000">01384 000000</a>, <a href="mailto:duty@dudley.example">email</a>, '
                '<a href="https://www.gov.uk/x">GOV.UK</a>, <a href="../referrals/#dud-1-5">1.5</a>, '
                '<abbr title="Initial child protection conference">ICPC</abbr> <strong>b</strong> <em>i</em></p>'
                '<ul>\n<li>one</li>\n</ul>\n<img alt="chart" src="../assets/chart.png">')
    assert sanitize.clean(fragment) == fragment


def test_the_page_judge_names_what_a_page_may_not_hold():
    found = sanitize.violations('<p><a href="javascript:x">a</a><img src="//h.example/p.png"><object></object></p>')
    assert found == ["<a href='javascript:x'>: links may be relative paths, https, http, mailto or tel only",
                     "<img src='//h.example/p.png'>: images may come from the site itself only (a relative path)",
                     "tag <object>"]


# -- the output folder --------------------------------------------------------------------------
@pytest.mark.parametrize("rel", ["../x/index.html", "../../x", "/etc/passwd", "a/../../b", "a\\..\\b", "a\x00b", "", "."])
def test_no_build_step_writes_outside_its_output_folder(tmp_path, rel):
    out = tmp_path / "site"
    out.mkdir()
    with pytest.raises(output.OutsideOutput):
        output.write_text(out, rel, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"] and not any(out.iterdir())


def test_a_symbolic_link_out_of_the_output_folder_is_not_followed(tmp_path):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "assets").symlink_to(elsewhere)
    with pytest.raises(output.OutsideOutput):
        output.write_text(out, "assets/moved-ids.json", "{}")
    assert not any(elsewhere.iterdir())


def test_a_redirect_page_for_an_id_climbing_out_is_refused_where_it_is_written(tmp_path):
    """The loader refuses ``../../x`` first; were it bypassed, the writer refuses it too."""
    from macros.rules import moves
    rules = load_rules(FIXTURE)
    site = tmp_path / "a" / "site"
    site.mkdir(parents=True)
    moved = [{"id": "../../x", "moved_to": "dudley/referrals", "date": "2026-12-01", "reason": "r"}]
    with pytest.raises(moves.MovesInvalid, match="outside the output folder"):
        moves.write(site, rules, moved, lambda **page: "<p>redirect</p>")
    assert not (tmp_path / "x").exists() and not (tmp_path / "a" / "x").exists()


# -- build hygiene ---------------------------------------------------------------------------------
def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    site = tmp_path / "site"
    stale = [tmp_path / "site.tmp-abc123", tmp_path / "site.tmp-999999999-x", tmp_path / "site.old-999999999-y"]
    for folder in stale:
        (folder / "assets").mkdir(parents=True)
    running = tmp_path / f"site.tmp-{__import__('os').getpid()}-z"
    running.mkdir()
    assert sorted(build_info.remove_stale(site)) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name]
