"""MkDocs hooks: validate rules/, add the generated pages and navigation, write calculator assets.

Registered in mkdocs.yml (``hooks:``). A problem in rules/ stops the build with the
full list of problems and no Python traceback.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402
from macros.rules import RulesInvalid  # noqa: E402
from macros.site import blocks, changes, forms, pages, prerender, sanitize, search, writing  # noqa: E402

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
    writing.stop_worker()
    if _search_engine(config) != "lunr":
        writing.start_worker(config, build_info.rules_dir())
    try:
        rules = state.reload()
    except RulesInvalid as exc:
        raise Abort("\n" + exc.report()) from None
    changes.warn_overdue_reviews(rules)
    _generated.clear()
    _generated.update(pages.generate(rules))     # once per build: the nav now, the pages in on_files
    config["nav"] = _generated["nav"]
    if _search_engine(config) != "lunr":
        search.skip_lunr_index(config.plugins)
    _generated["shape"] = search.page_shaper(rules) if _search_engine(config) == "pagefind" else None
    return config


def _search_engine(config) -> str:
    return config["extra"].get("search_engine", "pagefind")


def on_post_page(output, page, config):
    return writing.written(_generated, output, page)


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
    # Every page's content against the one allow-list (macros.site.sanitize): a link or an image
    # the rule-text checker let through stops the build instead of being published.
    found = sanitize.violations(html)
    if found:
        raise Abort(f"{page.file.src_uri}: the page holds HTML outside the allow-list (macros/site/sanitize.py): "
                    + "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else ""))
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
    """A generated page's blocks and compact calculator rendered into their placeholders as the
    page is written (``macros.site.writing``)."""
    writing.fill(_generated, page, config)
    return context


def on_env(env, config, files):
    # What this build is (time, commit, rules version; worked out in on_config): the footer of
    # every page shows it (docs/overrides/partials/footer.html) and on_post_build writes it to
    # build-info.json.
    from macros.deployment import build_info, offline
    env.globals["build_info"] = dict(_build_info, footer=build_info.footer_text(_build_info), offline=offline.enabled())
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
    changes.write_feed(state.rules(), config)
    # The calculators' runtime: Pyodide (checked against its sha256 list), tools/ and the rules bundle.
    from macros.browser.pyodide_assets import write_calculator_assets
    write_calculator_assets(Path(config["site_dir"]), state.bundle(), Path(__file__).resolve().parent.parent)
    # No other host named in vendored code (Material, Pyodide) and no source maps.
    from macros.site import vendored
    vendored.clean(Path(config["site_dir"]))
    writing.stop_worker()
    if _search_engine(config) == "pagefind" and not os.environ.get(search.DEFERRED):
        search.write_search_index(Path(config["site_dir"]), Path(__file__).resolve().parent.parent)
    from macros.deployment import build_info
    build_info.write(Path(config["site_dir"]), _build_info or build_info.compute())
    if not os.environ.get(search.DEFERRED):    # `mkdocs build` on its own: the build's last step
        from macros.deployment import offline, precompress
        offline.write(Path(config["site_dir"]))   # the service worker's list, once every file is written
        precompress.precompress(Path(config["site_dir"]))


def use_rules(rules, config) -> None:
    """The preview's one-page render (macros/deployment/preview_render.py): this build's state bound to
    ``rules``, checked after a save, as ``on_config`` binds it at each build: the cache, the page
    macros (as macros/main.py registers them), the blocks, the compact calculators, the search marks."""
    from macros.site import pagemacros
    state.use(rules)
    pagemacros.register(config.plugins["macros"], rules, state.bundle())
    _generated["blocks"] = pages.generate_blocks(rules)
    _generated.pop("compact", None)
    if _generated.get("shape") is not None:
        _generated["shape"] = search.page_shaper(rules)


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
