"""A whole site built from rules full of strange but allowed text writes nothing live (issue 20).

Strings of the hostile classes that the loader accepts (text full of entities, any Unicode,
Markdown that looks like links and images, angle brackets, attribute-list and template look-
alikes) are put into text fields of every kind of rule file of the fixture tree, and the real
build (``mkdocs build --strict``, tests/sitebuild.py) runs on it. Then every HTML file it wrote
is parsed (html.parser, entities decoded as a browser decodes them) and every element that can
fetch or run something is judged against the allow-list:

- a link (``<a href>``, SVG ``href``/``xlink:href``) is a relative path or http, https,
  mailto or tel (``macros.rules.ruletext.url_allowed``);
- an image (``<img src>``, ``srcset``) and a stylesheet, icon or preload (``<link href>``)
  come from the site itself: a relative path to a file the build wrote;
- a script is the site's own: ``<script src>`` a relative path to a file the build wrote;
  an inline script holds none of the inserted strings (the theme's configuration only);
- no ``<iframe>``, ``<object>``, ``<embed>``, ``<frame>``, ``<applet>`` or ``<base>``, no
  event-handler attribute (``on...=``), and a form's ``action`` is absent or relative.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitebuild import mkdocs_build

from macros.rules import RulesInvalid, load_rules
from macros.rules.ruletext import character_problems, url_allowed

# Each string carries a marker (Qz0...Qz9) so that an inline script can be searched for it.
ACCEPTED = {
    "entities": "Qz0 Tom &amp; Jerry &lt;b&gt; &#60;script&#62;alert(1)&#60;/script&#62; &copy; &#x2603; &#0;",
    "unicode": "Qz1 Café naïve 日本語 עברית العربية 😀 Ω≈ç√ ﬁ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ẞ e\u0301",
    "link-looking": "Qz2 [the guidance](https://www.gov.uk/) and [write](mailto:duty@dudley.example) and [call](tel:999) (a typed phone number is refused: tests/test_typed_numbers.py)",
    "image-looking": "Qz3 ![a picture of nothing] and [not a link] (javascript:alert(1)) and ![x]",
    "angle brackets": "Qz4 3 < 5 > 2, <3, a -> b => c, >= 10, <= 7, << >> <=>",
    "template-looking": "Qz5 { not a macro } {x} ${x} %{x} #{x} \\{ \\} } % }",
    "attribute-list-looking": "Qz6 {: .note } {.x} { #y }",
    "quotes and code": "Qz7 \"double\" 'single' `code 3<4` *stars* _under_ | pipe \\ backslash % percent",
    "autolink-looking": "Qz8 https://www.gov.uk/ www.example.org duty@dudley.example mailto:duty@dudley.example",
    "scheme words": "Qz9 javascript: data: vbscript: are words here, not links",
}
MARKERS = [value.split()[0] for value in ACCEPTED.values()]

# (file, the line as it is, the line with {v}) for text fields of each kind of rule file.
FIELDS = [
    ("areas.yaml", "    name: Dudley\n", "    name: {v}\n"),
    ("areas.yaml", "        title: Frequently asked questions", "        title: {v}"),
    ("procedures/dudley/referrals.yaml", "    title: \"1.5 Responsibility of Children's Social Care\"",
     "    title: {v}"),
    ("procedures/dudley/referrals.yaml", "          Children's Social Care must", "          {v}\n\n          must"),
    ("procedures/national/managing-cases.yaml", "              - convene an initial",
     "              - {v}\n              - convene an initial"),
    ("timescales/dudley.yaml", "    label: Nature of the response determined", "    label: {v}"),
    ("contacts/dudley.yaml", "    name: Duty access point", "    name: {v}"),
    ("glossary/national.yaml", "    meaning: Initial child protection conference", "    meaning: {v}"),
    ("thresholds/national.yaml", "    explanation: Nothing selected.", "    explanation: {v}"),
    ("calendar/england-and-wales.yaml", "title: \"Good Friday\"}", "title: {v}}}"),
]
FETCHING_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}
OWN_FILE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


def insert(rules: Path) -> None:
    """Every accepted string into every field, in turn (the block text takes them all)."""
    values = list(ACCEPTED.values())
    for n, (file, old, new) in enumerate(FIELDS):
        path = rules / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the fixture no longer has {old!r} in {file}"
        if "{v}\n\n" in new:
            value = "\n\n          ".join(values)
            replacement = new.replace("{v}", value)
        else:
            # One-line fields (names, titles, labels) refuse Markdown link syntax at check
            # (ruletext.character_problems): they take the next string without it.
            plain = [v for v in values[n % len(values):] + values[:n % len(values)]
                     if not character_problems(v, one_line=True)]
            replacement = new.format(v=json.dumps(plain[0], ensure_ascii=False))
        path.write_text(text.replace(old, replacement, 1), encoding="utf-8")


class Judge(HTMLParser):
    def __init__(self, page: Path, site: Path):
        super().__init__(convert_charrefs=True)
        self.page, self.site = page, site
        self.found: list[str] = []
        self.in_script = False
        self.checked = 0

    def own_file(self, url: str) -> bool:
        """A URL naming a file the build wrote (query and fragment aside): relative to the page, or
        a root path of the local build (404.html, served at any depth, uses those)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("//", "\\")) or not parts.path:
            return False
        base = self.site if parts.path.startswith("/") else self.page.parent
        target = (base / unquote(parts.path).lstrip("/")).resolve()
        return (target.is_file() or (target / "index.html").is_file()) and self.site.resolve() in target.parents

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        where = f"{self.page.relative_to(self.site)}: <{tag}>"
        self.checked += 1
        if tag in FETCHING_TAGS:
            self.found.append(f"{where} is not allowed")
        for name, value in a.items():
            if name.startswith("on"):
                self.found.append(f"{where} has an event handler {name}={value[:60]!r}")
            if name in ("href", "xlink:href") and not url_allowed(value, "href"):
                self.found.append(f"{where} {name}={value[:80]!r} is not a relative, http(s), mailto or tel link")
            if name == "action" and (urlsplit(value).scheme or value.startswith("//")):
                self.found.append(f"{where} action={value[:80]!r} leaves the site")
        if tag == "img":
            for url in [a.get("src", "")] + [c.split()[0] for c in a.get("srcset", "").split(",") if c.strip()]:
                if not self.own_file(url):
                    self.found.append(f"{where} src={url[:80]!r} is not a file of the site")
        if tag == "link" and OWN_FILE_RELS & set(a.get("rel", "").split()) and not self.own_file(a.get("href", "")):
            self.found.append(f"{where} href={a.get('href', '')[:80]!r} is not a file of the site")
        if tag == "script":
            if "src" in a and not self.own_file(a["src"]):
                self.found.append(f"{where} src={a['src'][:80]!r} is not a script of the site")
            self.in_script = "src" not in a

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and any(m in data for m in MARKERS):
            self.found.append(f"{self.page.relative_to(self.site)}: an inline script holds rule text: {data[:120]!r}")


@pytest.mark.slow
def test_a_site_built_from_strange_but_allowed_text_writes_nothing_live(fixture_rules, tmp_path):
    insert(fixture_rules)
    try:
        load_rules(fixture_rules)
    except RulesInvalid as exc:   # the test is about accepted text: a refusal means a string to replace
        pytest.fail(f"the loader refuses a string this test expects to be accepted:\n{exc.report()}")
    site = tmp_path / "site"
    run = mkdocs_build(site, fixture_rules)
    assert run.returncode == 0, f"the build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"

    pages = sorted(site.rglob("*.html"))
    found, elements, shown = [], 0, "".join(p.read_text(encoding="utf-8") for p in pages)
    for page in pages:
        judge = Judge(page, site)
        judge.feed(page.read_text(encoding="utf-8"))
        judge.close()
        found += judge.found
        elements += judge.checked
    assert found == [], "\n".join(found[:40])
    assert len(pages) > 10 and elements > 1000
    # The strings were published (as text), not lost: every marker is on some page.
    assert all(m in shown for m in MARKERS), [m for m in MARKERS if m not in shown]


def test_the_judge_names_each_thing_a_written_page_may_not_hold(tmp_path):
    """The page judge of the build test, on a page holding one of each thing it refuses."""
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "javascripts" / "links.js").write_text("")
    page = tmp_path / "index.html"
    page.write_text('<script src="javascripts/links.js"></script><script>var c = "Qz4 3 < 5";</script>'
                    '<a href="java&#115;cript:alert(1)">x</a><a href="tel:01384">ok</a><img src="//other.example/p.png">'
                    '<img src="javascripts/links.js"><p onclick="x()">p</p><iframe src="x"></iframe>'
                    '<script src="https://other.example/x.js"></script><link rel="stylesheet" href="missing.css">'
                    '<form action="https://other.example/"></form>', encoding="utf-8")
    judge = Judge(page, tmp_path)
    judge.feed(page.read_text(encoding="utf-8"))
    assert judge.found == [
        "index.html: an inline script holds rule text: 'var c = \"Qz4 3 < 5\";'",
        "index.html: <a> href='javascript:alert(1)' is not a relative, http(s), mailto or tel link",
        "index.html: <img> src='//other.example/p.png' is not a file of the site",
        "index.html: <p> has an event handler onclick='x()'",
        "index.html: <iframe> is not allowed",
        "index.html: <script> src='https://other.example/x.js' is not a script of the site",
        "index.html: <link> href='missing.css' is not a file of the site",
        "index.html: <form> action='https://other.example/' leaves the site",
    ]
