"""Writing a generated page: its paragraphs (blocks) and compact calculator put into their places.

A generated page reaches MkDocs with placeholders (``macros.site.blocks``); as the page is
written, :func:`fill` renders its blocks and compact calculator into them, so a 2,000-procedure
manual holds placeholders, not its whole text. On a large manual a second process converts
the blocks' Markdown (:mod:`macros.site.markdown_worker`) while the theme is rendered: the
HTML is then put in by :func:`written`, when the page is written. The MkDocs hooks
(``macros/hooks.py``) call these with the build's shared state (``generated``).

May raise ``mkdocs.exceptions.Abort`` with the page's problem; never a traceback.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from mkdocs.exceptions import Abort

from macros.site import blocks, forms, markdown_worker, prerender

# From this many procedure files on, the blocks' Markdown is converted by a second process
# while this one renders the theme (macros/site/markdown_worker.py); below it, starting the
# process costs more than it saves.
WORKER_FROM_PROCEDURES = 200
_worker: list = []                       # the running worker, if any


def use_worker(rules_dir: Path) -> bool:
    """``PROCEDURES_MARKDOWN_WORKER=1`` always, ``0`` never; otherwise from
    ``WORKER_FROM_PROCEDURES`` procedure files on, on a machine with a second core."""
    setting = os.environ.get("PROCEDURES_MARKDOWN_WORKER", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    if setting:
        raise Abort(f"PROCEDURES_MARKDOWN_WORKER must be 0 (never), 1 (always) or unset (large manuals), not {setting!r}")
    return (os.cpu_count() or 1) > 1 and sum(1 for _ in (rules_dir / "procedures").glob("*/*.yaml")) >= WORKER_FROM_PROCEDURES


def stop_worker() -> None:
    while _worker:
        _worker.pop().close()


def start_worker(config, rules_dir: Path) -> None:
    """Start the Markdown worker for this build if the manual is large enough (:func:`use_worker`)."""
    stop_worker()
    if use_worker(rules_dir):
        try:
            _worker.append(markdown_worker.Worker.start(*blocks.extensions(config["markdown_extensions"],
                                                                            config["mdx_configs"])))
        except markdown_worker.WorkerGone:
            pass                                  # the blocks are converted here, as for a small site


def finish(generated: dict, waiting: tuple, html: str) -> str:
    """``html`` with a page's blocks and compact calculator in their places (``on_page_context``)."""
    plan, links, compact_form, submitted = waiting
    converted = None
    if submitted:
        try:
            converted = _worker[0].result()
        except (markdown_worker.WorkerGone, IndexError):
            stop_worker()                       # the rest of the build converts here
    if converted is None:
        converted = [generated["convert"](text) for text in plan.texts]
    try:
        return forms.COMPACT.sub(compact_form, plan.finish(converted, html, links))
    except (LookupError, ValueError, prerender.PrerenderError) as exc:
        raise Abort(str(exc)) from None


def written(generated: dict, output: str, page) -> str:
    """The page as written: blocks the worker converted put in, Pagefind's marks added, and the
    page's blocks let go (``on_post_page``)."""
    # The page's blocks, whose Markdown the worker converted while the theme was rendered.
    waiting = generated.get("waiting", {}).pop(page.file.src_uri, None)
    if waiting is not None:
        output = finish(generated, waiting, output)
    # Pagefind's marks (the article, the area, the glossary line per section: macros/site/search.py).
    shape = generated.get("shape")
    output = shape(page.file.dest_uri, output) if shape else output
    # The page is written: its blocks' HTML is let go until the end of the build (on_page_context).
    short = generated.get("unfilled", {}).pop(page.file.src_uri, None)
    if short is not None:
        page.content = short
    return output


def fill(generated: dict, page, config) -> None:
    """A generated page's blocks (``macros.site.blocks``) and compact calculator (``macros.site.forms.COMPACT``)
    rendered into their placeholders as the page is written. Every page's HTML is held from its
    conversion to the end of the build; with the blocks only in the page being written, a
    2,000-procedure manual holds placeholders, not its whole text.

    With the Markdown worker, the blocks' Markdown goes to it now and their HTML is put into
    the written page in ``on_post_page``, the theme being rendered meanwhile; without it, the
    blocks are put into the page's HTML now (``on_post_page`` puts the short form back)."""
    html = page.content or ""
    if blocks.PLACEHOLDER.search(html) is None and forms.COMPACT.search(html) is None:
        return
    plugin, files = config.plugins["macros"], generated["files"]
    compact = generated.setdefault("compact", {})

    def compact_form(m) -> str:
        # One rendering per area, event and folder: the form's links are relative to the page.
        key = (m.group(1), m.group(2), posixpath.dirname(page.url.rstrip("/")))
        if key not in compact:
            with prerender.for_page(plugin, page):
                compact[key] = plugin.macros["deadline_form"](area=m.group(1), event=m.group(2), compact=True)
        return compact[key]

    def url_of(path: str) -> str | None:
        target = files.get_file_from_path(path)
        return None if target is None else target.url_relative_to(page.file)

    def page_markdown(body: str) -> str:
        with prerender.for_page(plugin, page):
            return prerender.render_fragment(body, plugin.macros, page.file.src_uri)

    def links(html: str) -> str:
        return blocks.resolve_links(html, page.file.src_uri, url_of)
    try:
        plan = generated["blocks"].prepare(html, page_markdown,
                                            scope=(posixpath.dirname(page.file.src_uri),
                                                   posixpath.dirname(page.url.rstrip("/"))))
    except (LookupError, ValueError, prerender.PrerenderError) as exc:
        raise Abort(str(exc)) from None
    if _worker:
        submitted = False
        if plan.texts:
            try:
                _worker[0].submit(plan.texts)
                submitted = True
            except markdown_worker.WorkerGone:
                stop_worker()
        generated.setdefault("waiting", {})[page.file.src_uri] = (plan, links, compact_form, submitted)
        return
    generated.setdefault("unfilled", {})[page.file.src_uri] = html
    page.content = finish(generated, (plan, links, compact_form, False), html)
