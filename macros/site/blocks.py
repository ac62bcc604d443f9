"""A procedure's paragraphs, rendered to HTML once each, outside the page's Markdown.

A procedure page is mostly its blocks: paragraphs, boxes, footnotes and "who does what"
lists, each a ``<div class="proc-block" id="...">`` around the block's Markdown. Written
into the page as ``<div markdown>``, every block made Python-Markdown parse the page's
raw HTML (``md_in_html``) and convert the whole page's text again for the area's print
view, which holds every procedure: at 500 procedures that was most of the build
(bench/bench_scale.py --profile). So page generation (``macros.site.pages``) writes a
placeholder comment for each section's blocks, ``<!--proc-blocks 17-->``, and keeps here
only where they are (the section and its id prefix, not the blocks' text: a
2,000-procedure manual has 120,000 blocks, and holding their Markdown and HTML from page
generation to the end of the build was a third of its memory). The MkDocs hook fills each
page's placeholders while that page is written (:meth:`Blocks.prepare` in ``on_page_context``,
:meth:`Fill.finish` then or, when a second process converts the Markdown while the theme is
rendered, in ``on_post_page``: ``macros.site.markdown_worker``), so a page's full HTML is held only
while it is written:

- the blocks' data is made from rules/ (``make``: ``macros.site.pages.section_blocks``);
- each block's macro calls are rendered for the page it is on (``macros.site.prerender``);
- its Markdown is converted by one Python-Markdown instance with the site's own
  extensions (mkdocs.yml), once per block and folder: the print view's copy of a
  paragraph reuses the procedure page's (blocks are kept for one folder at a time: the
  print view is written after its area's procedures);
- its ``.md`` links are made relative to the page (as MkDocs does for Markdown links)
  by :func:`resolve_links`; a link to a page the build does not have stops the build;
- its HTML passes the allow-list of ``macros.site.sanitize`` (nh3), once per conversion;
- the wrapper is ``templates/pages/blocks.html`` (one render per section's run of blocks).

Rule text cannot write the placeholder: a ``<!--`` in rules/ is refused by
``macros.rules.ruletext`` and escaped by it, so every placeholder is one page generation wrote.
Headings stay in the page's Markdown, so the table of contents and the permalinks are
MkDocs' own.

>>> make = lambda section, prefix: [dict(id=prefix + b["id"], source_id=b["id"], kind="paragraph", label="1.1",
...                                      where="paragraph 1.1", title="", note="", body=b["text"]) for b in section["blocks"]]
>>> store = Blocks(make)
>>> store.add({"blocks": [{"id": "x-1", "text": "Hello"}]})
'<!--proc-blocks 0-->'
>>> same = lambda text: text
>>> plan = store.prepare("<p>a</p>\\n<!--proc-blocks 0-->", same)
>>> plan.texts
['Hello']
>>> plan.finish(["<p>Hello</p>"], "<p>a</p>\\n<!--proc-blocks 0-->", same)
'<p>a</p>\\n<div class="proc-block proc-paragraph" id="x-1">\\n<p><a class="proc-anchor" href="#x-1" title="Link to this paragraph (paragraph 1.1)" aria-label="Link to paragraph 1.1">1.1</a></p>\\n<p>Hello</p>\\n</div>'
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

import markdown
from markupsafe import Markup

from macros.site import sanitize
from macros.site.render import ENV

PLACEHOLDER = re.compile(r"<!--proc-blocks (\d+)-->")
# A link Python-Markdown wrote from a Markdown link: a relative target naming a .md page.
_MD_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]*\.md)(#[^"]*)?"')


class Blocks:
    """Where every generated page's blocks are, by placeholder number: a section and the
    prefix of its ids on the page (``print-`` on the print view); ``make(section, prefix)``
    turns them into the blocks to render (``macros.site.pages.section_blocks``)."""

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

    def prepare(self, html: str, page_markdown: Callable[[str], str], scope: object = None) -> Fill:
        """The first half of filling ``html``'s placeholders: the blocks made and their Markdown
        rendered for the page (``page_markdown`` renders a block's macro calls); the returned
        :class:`Fill` says which texts still need converting (``texts``) and finishes the job
        with their HTML, possibly from another process (``macros.site.markdown_worker``).

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
        runs, todo = {}, {}
        for m in PLACEHOLDER.finditer(html):
            section, prefix = self._runs[int(m.group(1))]
            ids = [b["id"] for b in section["blocks"]]
            if not all(i in self._data for i in ids):
                self._data.update((block["source_id"], block) for block in self._make(section, prefix))
            items = [(i, page_markdown(self._data[i]["body"])) for i in ids]
            todo.update((key, None) for key in items if key not in self._html)
            runs[m.group(0)] = (prefix, items)
        return Fill(self, runs, list(todo))


class Fill:
    """A page's blocks, made and rendered to Markdown (:meth:`Blocks.prepare`), waiting for the
    HTML of ``texts``."""

    def __init__(self, store: Blocks, runs: dict, todo: list[tuple[str, str]]):
        self._store, self._runs, self._todo = store, runs, todo
        self.texts = [text for _, text in todo]

    def finish(self, converted: list[str], html: str, links: Callable[[str], str]) -> str:
        """``html`` (the page's Markdown output, or the whole written page: the placeholders
        are the same) with each placeholder replaced by its blocks; ``converted`` is the HTML
        of ``texts``, in order; ``links`` resolves the HTML's ``.md`` links for the page."""
        store = self._store
        # The one point a block's HTML is finalised from rule text: through the allow-list
        # (macros.site.sanitize), once per conversion; ``links`` then rewrites only ``.md``
        # hrefs into the build's own relative page addresses.
        store._html.update(zip(self._todo, map(sanitize.clean, converted), strict=True))

        def run(m: re.Match) -> str:
            prefix, items = self._runs[m.group(0)]
            return store._template.render(runs=[({**store._data[i], "id": prefix + i},
                                                 Markup(links(store._html[i, text]))) for i, text in items]).strip()
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


def extensions(site_extensions: list, site_configs: dict) -> tuple[list, dict]:
    """The Markdown extensions of blocks: the site's (mkdocs.yml ``markdown_extensions``) but the
    table of contents (a block holds no heading, and its headings would join no page's contents)."""
    names = [e for e in site_extensions if e != "toc"]
    return names, {k: v for k, v in site_configs.items() if k in names}


def converter(site_extensions: list, site_configs: dict) -> Callable[[str], str]:
    """Markdown -> HTML with the blocks' :func:`extensions`, one instance for the whole build."""
    names, configs = extensions(site_extensions, site_configs)
    md = markdown.Markdown(extensions=names, extension_configs=configs)

    def convert(text: str) -> str:
        return md.reset().convert(text)
    return convert
