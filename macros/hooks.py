"""MkDocs hooks: validate rules/, add the generated pages and navigation, write calculator assets.

Registered in mkdocs.yml (``hooks:``). A problem in rules/ stops the build with the
full list of problems and no Python traceback.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402
from macros.rules import RulesInvalid  # noqa: E402
from macros.site import blocks, forms, markdown_worker, pages, prerender, search

_generated: dict = {}
_build_info: dict = {}


@event_priority(100)  # before mkdocs-macros, whose define_env reads the rules
def on_config(config):
    # What this build is, first: it asks git, and a child process started later, from a process
    # holding the whole manual, briefly counts that memory twice (bench/bench_scale.py's peak).
    from macros.deployment import build_info
    _build_info.clear()
    _build_info.update(build_info.compute())
    # The Markdown worker too, while this process is small (macros/site/markdown_worker.py).
    _stop_worker()
    if _search_engine(config) != "lunr" and _use_worker(build_info.rules_dir()):
        try:
            _worker.append(markdown_worker.Worker.start(*blocks.extensions(config["markdown_extensions"],
                                                                            config["mdx_configs"])))
        except markdown_worker.WorkerGone:
            pass                                  # the blocks are converted here, as for a small site
    try:
        rules = state.reload()
    except RulesInvalid as exc:
        raise Abort("\n" + exc.report()) from None
    _warn_overdue_reviews(rules)
    _generated.clear()
    _generated.update(pages.generate(rules))     # once per build: the nav now, the pages in on_files
    config["nav"] = _generated["nav"]
    if _search_engine(config) != "lunr":
        _skip_lunr_index(config.plugins)
    _generated["shape"] = search.page_shaper(rules) if _search_engine(config) == "pagefind" else None
    return config


def _search_engine(config) -> str:
    return config["extra"].get("search_engine", "pagefind")


# From this many procedure files on, the blocks' Markdown is converted by a second process
# while this one renders the theme (macros/site/markdown_worker.py); below it, starting the
# process costs more than it saves.
WORKER_FROM_PROCEDURES = 200
_worker: list = []                       # the running worker, if any


def _use_worker(rules_dir: Path) -> bool:
    """``PROCEDURES_MARKDOWN_WORKER=1`` always, ``0`` never; otherwise from
    ``WORKER_FROM_PROCEDURES`` procedure files on, on a machine with a second core."""
    setting = os.environ.get("PROCEDURES_MARKDOWN_WORKER", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    if setting:
        raise Abort(f"PROCEDURES_MARKDOWN_WORKER must be 0 (never), 1 (always) or unset (large manuals), not {setting!r}")
    return (os.cpu_count() or 1) > 1 and sum(1 for _ in (rules_dir / "procedures").glob("*/*.yaml")) >= WORKER_FROM_PROCEDURES


def _stop_worker() -> None:
    while _worker:
        _worker.pop().close()


def on_post_page(output, page, config):
    # The page's blocks, whose Markdown the worker converted while the theme was rendered.
    waiting = _generated.get("waiting", {}).pop(page.file.src_uri, None)
    if waiting is not None:
        output = _finish(waiting, output)
    # Pagefind's marks (the article, the area, the glossary line per section: macros/site/search.py).
    shape = _generated.get("shape")
    output = shape(page.file.dest_uri, output) if shape else output
    # The page is written: its blocks' HTML is let go until the end of the build (on_page_context).
    short = _generated.get("unfilled", {}).pop(page.file.src_uri, None)
    if short is not None:
        page.content = short
    return output


def _finish(waiting: tuple, html: str) -> str:
    """``html`` with a page's blocks and compact calculator in their places (``on_page_context``)."""
    plan, links, compact_form, submitted = waiting
    converted = None
    if submitted:
        try:
            converted = _worker[0].result()
        except (markdown_worker.WorkerGone, IndexError):
            _stop_worker()                       # the rest of the build converts here
    if converted is None:
        converted = [_generated["convert"](text) for text in plan.texts]
    try:
        return forms.COMPACT.sub(compact_form, plan.finish(converted, html, links))
    except (LookupError, ValueError, prerender.PrerenderError) as exc:
        raise Abort(str(exc)) from None


def _skip_lunr_index(plugins) -> None:
    """Material's search plugin stays (its header button and dialog hold the Pagefind box:
    docs/overrides/partials/search.html), but it no longer indexes every page for lunr, whose
    index nothing reads (macros/site/search.py deleted it after the build): its per-page and
    post-build handlers are taken out of this build's events."""
    search_plugin = plugins.get("material/search") or plugins.get("search")
    if search_plugin is None:
        return
    for event in ("page_context", "post_build"):
        plugins.events[event] = [m for m in plugins.events[event] if getattr(m, "__self__", None) is not search_plugin]


@event_priority(100)
def on_files(files, config):
    generated = {}
    for path, content in _generated["pages"].items():
        if files.get_file_from_path(path) is not None:
            raise Abort(f"docs/{path} would hide the page generated from rules/; remove it from docs/")
        generated[path] = File.generated(config, path, content=content)
        files.append(generated[path])
    # Their macro calls rendered now, in Python, so mkdocs-macros does not compile each as a template.
    try:
        final = prerender.render_pages(config.plugins["macros"], _generated["pages"], lambda p: generated[p].url)
    except prerender.PrerenderError as exc:
        raise Abort(str(exc)) from None
    for path, text in final.items():
        generated[path].content_string = text
    _generated["pages"] = {}
    _generated["convert"] = blocks.converter(config["markdown_extensions"], config["mdx_configs"])
    _generated["files"] = files
    return files


def on_page_content(html, page, config, files):
    """The anchors of a generated page's blocks (``macros.site.blocks``), for MkDocs' link checks:
    the blocks themselves are written into the page when it is written (``on_page_context``).
    A generated page's Markdown is not read again once converted: it is let go (twice held,
    as the file's content and the page's text, it was a tenth of a large build's memory)."""
    if blocks.PLACEHOLDER.search(html) is not None:
        page.present_anchor_ids = (page.present_anchor_ids or set()) | _generated["blocks"].ids(html)
    if page.file.src_uri == forms.CALCULATOR_PAGE.rstrip("/") + ".md":
        # "#area=dudley" on the deadline calculator chooses the area (forms.area_fragment): a link to it
        # from an area's pages is checked like any anchor, so a misspelt area fails the build.
        page.present_anchor_ids = (page.present_anchor_ids or set()) | {
            forms.area_fragment(area)[1:] for area in state.rules().areas}
    if page.file.generated_by is not None:
        page.file.content_string = ""
        page.markdown = ""
    return html


@event_priority(100)  # before any plugin (Material's search, under lunr) reads the page's HTML
def on_page_context(context, page, config, nav):
    """A generated page's blocks (``macros.site.blocks``) and compact calculator (``macros.site.forms.COMPACT``)
    rendered into their placeholders as the page is written. Every page's HTML is held from its
    conversion to the end of the build; with the blocks only in the page being written, a
    2,000-procedure manual holds placeholders, not its whole text.

    With the Markdown worker, the blocks' Markdown goes to it now and their HTML is put into
    the written page in ``on_post_page``, the theme being rendered meanwhile; without it, the
    blocks are put into the page's HTML now (``on_post_page`` puts the short form back)."""
    html = page.content or ""
    if blocks.PLACEHOLDER.search(html) is None and forms.COMPACT.search(html) is None:
        return context
    plugin, files = config.plugins["macros"], _generated["files"]
    compact = _generated.setdefault("compact", {})

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
        plan = _generated["blocks"].prepare(html, page_markdown,
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
                _stop_worker()
        _generated.setdefault("waiting", {})[page.file.src_uri] = (plan, links, compact_form, submitted)
        return context
    _generated.setdefault("unfilled", {})[page.file.src_uri] = html
    page.content = _finish((plan, links, compact_form, False), html)
    return context


def on_env(env, config, files):
    # What this build is (time, commit, rules version; worked out in on_config): the footer of
    # every page shows it (docs/overrides/partials/footer.html) and on_post_build writes it to
    # build-info.json.
    from macros.deployment import build_info
    env.globals["build_info"] = dict(_build_info, footer=build_info.footer_text(_build_info))
    # The Content-Security-Policy as a <meta> on every page (docs/overrides/main.html), from the one
    # list every server sends (macros/deployment/headers.py).
    from macros.deployment.headers import CSP_META
    env.globals["csp_meta"] = CSP_META
    return env


def on_post_build(config):
    # Search is English only, so Material's other-language stemmers (lunr/*) are never
    # loaded; they are dropped so the intranet copy holds only what it serves.
    lunr = Path(config["site_dir"]) / "assets" / "javascripts" / "lunr"
    if config["theme"]["language"] == "en" and lunr.is_dir():
        shutil.rmtree(lunr)
    # Old links keep working: the fragment map and a redirect page per renamed page (rules/moved-ids.yaml).
    _write_moves(Path(config["site_dir"]))
    # What's changed, for partners' feed readers (Atom 1.0, absolute links from site_url).
    _write_feed(config)
    # The calculators' runtime: Pyodide (checked against its sha256 list), tools/ and the rules bundle.
    from macros.browser.pyodide_assets import write_calculator_assets
    write_calculator_assets(Path(config["site_dir"]), state.bundle(), Path(__file__).resolve().parent.parent)
    _stop_worker()
    if _search_engine(config) == "pagefind" and not os.environ.get(search.DEFERRED):
        search.write_search_index(Path(config["site_dir"]), Path(__file__).resolve().parent.parent)
    from macros.deployment import build_info
    build_info.write(Path(config["site_dir"]), _build_info or build_info.compute())


def _warn_overdue_reviews(rules) -> None:
    """A review date that has passed is a visible warning, never a failure: the pages are still
    right, only the owner's review is late. Logged outside the ``mkdocs`` logger, which
    ``--strict`` counts, and printed like MkDocs' own warnings."""
    import datetime as dt
    import logging

    from macros.site import changes
    log = logging.getLogger("procedures.reviews")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    for message in changes.overdue_reviews(rules, dt.date.today()):
        log.warning(message)


def _write_feed(config) -> None:
    from macros.site import changes
    from macros.site.render import render_text
    context = changes.feed_context(state.rules(), config["site_url"] or "http://127.0.0.1:8000/", config["site_name"])
    (Path(config["site_dir"]) / changes.FEED_FILE).write_text(render_text("changes/feed.xml", **context), encoding="utf-8")


def _write_moves(site_dir: Path) -> None:
    from macros.deployment.headers import CSP_META
    from macros.rules import moves
    from macros.site.render import render_text
    rules = state.rules()
    try:
        moves.write(site_dir, rules, moves.entries(rules.root),
                    lambda **page: render_text("redirect.html", csp_meta=CSP_META, **page))
    except moves.MovesInvalid as exc:
        raise Abort(str(exc)) from None
