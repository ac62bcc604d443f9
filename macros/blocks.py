"""A procedure's paragraphs, rendered to HTML once each, outside the page's Markdown.

A procedure page is mostly its blocks: paragraphs, boxes, footnotes and "who does what"
lists, each a ``<div class="proc-block" id="...">`` around the block's Markdown. Written
into the page as ``<div markdown>``, every block made Python-Markdown parse the page's
raw HTML (``md_in_html``) and convert the whole page's text again for the area's print
view, which holds every procedure: at 500 procedures that was most of the build
(bench/bench_scale.py --profile). So page generation (``macros.pages``) writes a
placeholder comment for each section's blocks, ``<!--proc-blocks 17-->``, and keeps here
only where they are (the section and its id prefix, not the blocks' text: a
2,000-procedure manual has 120,000 blocks, and holding their Markdown and HTML from page
generation to the end of the build was a third of its memory). The MkDocs hook fills each
page's placeholders while that page is written (``on_page_context``, then puts the short
form back after ``on_post_page``), so a page's full HTML is held only while it is written:

- the blocks' data is made from rules/ (``make``: ``macros.pages.section_blocks``);
- each block's macro calls are rendered for the page it is on (``macros.prerender``);
- its Markdown is converted by one Python-Markdown instance with the site's own
  extensions (mkdocs.yml), once per block and folder: the print view's copy of a
  paragraph reuses the procedure page's (blocks are kept for one folder at a time: the
  print view is written after its area's procedures);
- its ``.md`` links are made relative to the page (as MkDocs does for Markdown links)
  by :func:`resolve_links`; a link to a page the build does not have stops the build;
- the wrapper is ``templates/pages/blocks.html`` (one render per section's run of blocks).

Rule text cannot write the placeholder: a ``<!--`` in rules/ is refused by
``macros.ruletext`` and escaped by it, so every placeholder is one page generation wrote.
Headings stay in the page's Markdown, so the table of contents and the permalinks are
MkDocs' own.

>>> make = lambda section, prefix: [dict(id=prefix + b["id"], source_id=b["id"], kind="paragraph", label="1.1",
...                                      where="paragraph 1.1", title="", note="", body=b["text"]) for b in section["blocks"]]
>>> store = Blocks(make)
>>> store.add({"blocks": [{"id": "x-1", "text": "Hello"}]})
'<!--proc-blocks 0-->'
>>> same = lambda text: text
>>> store.fill("<p>a</p>\\n<!--proc-blocks 0-->", same, lambda text: "<p>" + text + "</p>", same)
'<p>a</p>\\n<div class="proc-block proc-paragraph" id="x-1">\\n<p><a class="proc-anchor" href="#x-1" title="Link to this paragraph (paragraph 1.1)" aria-label="Link to paragraph 1.1">1.1</a></p>\\n<p>Hello</p>\\n</div>'
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

import markdown
from markupsafe import Markup

from .render import ENV

PLACEHOLDER = re.compile(r"<!--proc-blocks (\d+)-->")
# A link Python-Markdown wrote from a Markdown link: a relative target naming a .md page.
_MD_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]*\.md)(#[^"]*)?"')


class Blocks:
    """Where every generated page's blocks are, by placeholder number: a section and the
    prefix of its ids on the page (``print-`` on the print view); ``make(section, prefix)``
    turns them into the blocks to render (``macros.pages.section_blocks``)."""

    def __init__(self, make: Callable[[dict, str], list[dict]]) -> None:
        self._make = make
        self._runs: list[tuple[dict, str]] = []
        self._data: dict[str, dict] = {}                  # source id -> block, one folder at a time
        self._html: dict[tuple[str, str], str] = {}       # (source id, Markdown) -> HTML, one folder at a time
        self._scope: object = None
        self._template = ENV.get_template("pages/blocks.html")

    def add(self, section: dict, prefix: str = "") -> str:
        """Keep a section's run of blocks and return their one placeholder: one raw HTML line
        for Python-Markdown, not one per block. ``make`` gives each block the keys ``id``
        (the wrapper's id on this page), ``source_id`` (its id in rules/), ``kind``,
        ``label``, ``where``, ``title``, ``note`` (plain text) and ``body`` (Markdown, with
        validated macro calls)."""
        self._runs.append((section, prefix))
        return f"<!--proc-blocks {len(self._runs) - 1}-->"

    def bodies(self, html: str) -> list[str]:
        """The Markdown of the blocks whose placeholders ``html`` holds (for tests and checks)."""
        return [b["body"] for m in PLACEHOLDER.finditer(html) for b in self._blocks(m)]

    def ids(self, html: str) -> set[str]:
        """The ids of the blocks whose placeholders ``html`` holds: the anchors they add to the
        page (MkDocs checks links to a page's anchors against the ids its Markdown produced)."""
        return {prefix + b["id"] for m in PLACEHOLDER.finditer(html)
                for section, prefix in [self._runs[int(m.group(1))]] for b in section["blocks"]}

    def _blocks(self, m: re.Match) -> list[dict]:
        return self._make(*self._runs[int(m.group(1))])

    def fill(self, html: str, page_markdown: Callable[[str], str], convert: Callable[[str], str],
             links: Callable[[str], str], scope: object = None) -> str:
        """``html`` with every placeholder replaced by its blocks' HTML.

        For the page being built: ``page_markdown`` renders a block's macro calls,
        ``convert`` turns Markdown into HTML and ``links`` resolves the HTML's ``.md`` links.
        Within one ``scope`` (the page's folder) a block is made once (its data does not
        depend on the page, only its id's prefix does) and its Markdown converted once per
        text: the area's print view, in the same folder as its procedures, reuses their
        blocks, and a paragraph whose macros write the same links on both pages their
        conversion (a link to its own page is written "./" there, so that one differs). One
        folder's blocks are kept at a time, so the build never holds a whole manual's HTML."""
        if scope != self._scope:
            self._data.clear()
            self._html.clear()
            self._scope = scope

        def html_of(source_id: str) -> Markup:
            text = page_markdown(self._data[source_id]["body"])
            if (source_id, text) not in self._html:
                self._html[source_id, text] = convert(text)
            return Markup(links(self._html[source_id, text]))

        def run(m: re.Match) -> str:
            section, prefix = self._runs[int(m.group(1))]
            ids = [b["id"] for b in section["blocks"]]
            if not all(i in self._data for i in ids):
                self._data.update((block["source_id"], block) for block in self._make(section, prefix))
            return self._template.render(runs=[({**self._data[i], "id": prefix + i}, html_of(i)) for i in ids]).strip()
        return PLACEHOLDER.sub(run, html)


def resolve_links(html: str, src_uri: str, url_of: Callable[[str], str | None]) -> str:
    """``href="other.md#x"`` -> the built page's address relative to the page at ``src_uri``.

    ``url_of(path)`` gives the relative URL of a page of the build (``docs/``-relative path),
    or None when the build has no such page, which raises ``LookupError`` naming both.

    >>> resolve_links('<a href="referrals.md#pbo-3-2">x</a>', "pbo/print.md", lambda p: "../referrals/")
    '<a href="../referrals/#pbo-3-2">x</a>'
    >>> resolve_links('<a href="https://www.gov.uk/x.md">x</a>', "pbo/print.md", lambda p: None)
    '<a href="https://www.gov.uk/x.md">x</a>'
    """
    here = posixpath.dirname(src_uri)

    def one(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(here, m.group(1)))
        url = url_of(target)
        if url is None:
            raise LookupError(f"{src_uri}: a paragraph links to {m.group(1)}, which is not a page of the site")
        return f'href="{url}{m.group(2) or ""}"'
    return _MD_HREF.sub(one, html)


def converter(extensions: list, extension_configs: dict) -> Callable[[str], str]:
    """Markdown -> HTML with the site's extensions (mkdocs.yml ``markdown_extensions``),
    one instance for the whole build. The table of contents is left out: a block holds no
    heading, and its headings would otherwise join no page's contents."""
    names = [e for e in extensions if e != "toc"]
    md = markdown.Markdown(extensions=names, extension_configs={k: v for k, v in extension_configs.items() if k in names})

    def convert(text: str) -> str:
        return md.reset().convert(text)
    return convert
