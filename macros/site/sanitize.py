"""One allow-list on the HTML the build writes from rule text: tags, attributes and URLs.

Rule text is refused at ``procedures check`` when it holds anything this allow-list would
remove (``macros.rules.ruletext``); this module is the second line, applied where each piece
of rule-derived HTML is finalised, so that even a loader bypassed or a checker mistaken
publishes nothing live:

- :func:`clean` rewrites a fragment with nh3 (Ammonia, an HTML5 parser: entities are decoded
  before anything is judged, so ``java&#115;cript:`` is ``javascript:``). Used on every
  block of every procedure page (``macros.site.blocks``: the Markdown of a paragraph's
  ``text`` and ``who`` actions, with its macros' output), the one place rule text may hold
  links and images;
- :func:`violations` judges a whole page's content (every page: its headings, tables and
  lists come from one-line rule fields, and the hand-written pages' macros from rules/)
  against the same allow-list, with the page generator's own vocabulary (forms, the flow
  charts' SVG, ARIA attributes) added; the MkDocs hook stops the build on any violation
  rather than rewrite the page (the site's own HTML is then written byte for byte);
- :func:`url_allowed` (``macros.rules.ruletext``, so that the rule-text checker applies the
  same rule at ``procedures check``) is the URL rule both use.

The URL rule: a link (``href``) may be a relative path (``../referrals/#pbo-3-2``,
``#x``, ``./``), or use ``https:``, ``http:``, ``mailto:`` or ``tel:``; an image (``src``)
only a relative path (the site itself). A network-path reference (``//other.example``)
or a root path from another authority is never allowed; nor is a backslash (browsers
read ``\\\\other.example`` as ``//other.example``) or a control character.

What it costs (``python bench/bench_sanitize.py --procedures 500 2000 --rounds 2``: the
synthetic sites built the way ``make build`` builds them, twice with the allow-list and twice
without, alternating; 2 cores shared with other sessions, load average 2.3 before and 7.9
after, so CPU seconds are the figure and wall times are within the load's noise):

===========  ================================  ==========================  ======================
procedures   ``clean`` (nh3), CPU              ``violations`` (pages), CPU  build CPU on / off
===========  ================================  ==========================  ======================
500          0.19 s for 15,356 blocks (1.0%)   0.40 s for 602 pages         18.7 s / 18.4 s
2,000        0.91 s for 60,056 blocks (1.2%)   1.37 s for 2,219 pages       73.0 s / 70.8 s
===========  ================================  ==========================  ======================

About 15 microseconds a block for nh3; the two together are 3.1% of the build's CPU at both
sizes, which the builds without them confirm (+0.3 s and +2.3 s of CPU). Wall clock: 26.4 s
on, 26.9 s off at 500; 151 s on, 173 s off at 2,000 (the load rose during the run). An earlier
run under load 13-19 gave the same in-build shares (3.1% and 3.2%).

>>> clean('<p><a href="java&#115;cript:alert(1)">x</a><img src="//other.example/p.png" alt="p"></p>')
'<p><a>x</a><img alt="p"></p>'
>>> clean('<p>Call <a href="tel:+441384000000">01384 000000</a></p><script>x</script>')
'<p>Call <a href="tel:+441384000000">01384 000000</a></p>'
>>> url_allowed("../referrals/#pbo-3-2", "href"), url_allowed("https://www.gov.uk/", "src")
(True, False)
>>> violations('<p onclick="x()"><a href="d&#97;ta:text/html,x">y</a></p>')[0]
'attribute onclick on <p>'
>>> violations('<p onclick="x()"><a href="d&#97;ta:text/html,x">y</a></p>')[1]
"<a href='data:text/html,x'>: links may be relative paths, https, http, mailto or tel only"
"""
from __future__ import annotations

import html
from html.parser import HTMLParser

import nh3

from macros.rules.ruletext import url_allowed

LINK_SCHEMES = frozenset({"https", "http", "mailto", "tel"})

# What Python-Markdown writes from a block's Markdown with the site's extensions (attr_list,
# admonition, tables, md_in_html), and what the page macros a block may call write (ts,
# contact cards, phone, email, link, flags, the threshold grid, the glossary's abbreviations).
RULE_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "cite",
    "dl", "dt", "dd", "sup", "sub", "del", "ins", "time",
})
RULE_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "aria-label"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"align"}, "th": {"align"},
    "time": {"datetime"},
}

# The page generator's and the hand-written pages' own vocabulary (templates in
# macros/site/templates/, docs/): judged on whole pages only, never allowed in a block.
PAGE_TAGS = RULE_TAGS | frozenset({
    "article", "button", "defs", "desc", "details", "fieldset", "figcaption", "figure", "form", "input", "label",
    "legend", "line", "marker", "nav", "noscript", "option", "path", "rect", "section", "select", "summary", "svg",
    "template", "text", "title", "tspan", "small", "caption", "colgroup", "col", "kbd", "mark", "b", "i", "u", "s", "q", "tfoot",
})
PAGE_ATTRIBUTES = {
    "*": RULE_ATTRIBUTES["*"] | {"hidden", "role", "tabindex", "lang", "dir", "open"},
    **{tag: set(attrs) for tag, attrs in RULE_ATTRIBUTES.items() if tag != "*"},
    "a": RULE_ATTRIBUTES["a"] | {"type"}, "button": {"type"},
    "form": {"novalidate", "method"},   # method="dialog": a no-JS submission sends nothing (privacy page)
    "label": {"for"}, "option": {"value", "selected"},
    "input": {"type", "name", "value", "inputmode", "autocomplete", "spellcheck", "checked", "min", "max", "step",
              "pattern", "required", "disabled", "size", "maxlength"},
    "select": {"name"},
    "svg": {"xmlns", "width", "height", "viewbox", "focusable"},
    "marker": {"viewbox", "refx", "refy", "markerwidth", "markerheight", "orient"},
    "line": {"x1", "y1", "x2", "y2", "marker-end"}, "rect": {"x", "y", "width", "height", "rx"},
    "text": {"x", "y", "text-anchor"}, "tspan": {"x", "dy", "font-weight"}, "path": {"d"},
    "td": {"align", "colspan", "rowspan"}, "th": {"align", "colspan", "rowspan", "scope"},
}
GENERIC_PREFIXES = ("data-", "aria-")
URL_ATTRIBUTES = frozenset({"href", "src"})

def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not url_allowed(value, attribute):
        return None
    return value


_CLEANER = nh3.Cleaner(tags=set(RULE_TAGS), attributes={k: set(v) for k, v in RULE_ATTRIBUTES.items()},
                       url_schemes=set(LINK_SCHEMES), attribute_filter=_filter, link_rel=None,
                       strip_comments=True, clean_content_tags={"script", "style"})


def clean(fragment: str) -> str:
    """``fragment`` with everything outside the rule text allow-list removed (nh3): tags not
    allowed are unwrapped (their text kept), ``<script>`` and ``<style>`` dropped with their
    content, attributes not allowed and URLs not allowed removed. Text is re-serialised by
    the HTML5 parser (``<br />`` is written ``<br>``, ``&#123;`` is written ``{``)."""
    return _CLEANER.clean(fragment)


class _Judge(HTMLParser):
    """Every tag, attribute and URL of a page against :data:`PAGE_TAGS`/:data:`PAGE_ATTRIBUTES`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in PAGE_TAGS:
            self.found.append(f"tag <{tag}>")
            return
        allowed = PAGE_ATTRIBUTES["*"] | PAGE_ATTRIBUTES.get(tag, set())
        for name, value in attrs:          # html.parser has decoded the value's entities
            if name not in allowed and not name.startswith(GENERIC_PREFIXES):
                self.found.append(f"attribute {name} on <{tag}>")
            elif name in URL_ATTRIBUTES and not url_allowed(value or "", name):
                rule = ("links may be relative paths, https, http, mailto or tel only" if name == "href"
                        else "images may come from the site itself only (a relative path)")
                self.found.append(f"<{tag} {name}={html.escape(value or '', quote=False)!r}>: {rule}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        if not data.startswith("proc-blocks ") and not data.startswith("proc-compact"):
            self.found.append("an HTML comment")

    def handle_pi(self, data):
        self.found.append("a processing instruction")


def violations(page_html: str) -> list[str]:
    """What in ``page_html`` (a page's content, as MkDocs converted it) is outside the
    page allow-list; empty when the page may be written as it is."""
    judge = _Judge()
    judge.feed(page_html)
    judge.close()
    return judge.found
