"""Preview on save, the fast path: the ONE procedure page that changed, rendered from in-memory build state.

A full build of a 2,000-procedure manual takes about a minute; an owner who saves a
paragraph wants to see it at once. :class:`PageRenderer` keeps what a build knows in
memory (MkDocs' configuration with this project's hooks and mkdocs-macros run, the
files, the navigation, the theme's Jinja environment), prepared once, in this process,
the way ``properdocs build`` prepares it (``properdocs/commands/build.py``: ``on_config``,
``on_files``, the navigation, ``on_env``), without reading or writing a single page.

:meth:`PageRenderer.render` then takes the new, checked :class:`macros.rules.Rules`
(``macros.rules.incremental``) and one procedure file, and:

- binds the build's state to the new rules (``use_rules`` of ``macros/hooks.py``: the rules
  cache, the page macros as ``macros/main.py`` registers them, a new block store);
- generates that procedure's page Markdown (``macros.site.pages.procedure_page``) and
  renders its macro calls (``macros.site.prerender``), as ``on_files`` does for every page;
- converts and writes it through MkDocs' own page steps (``_populate_page`` and
  ``_build_page``: the hooks' ``on_page_content``, ``on_page_context`` and
  ``on_post_page``, the theme's templates), into a scratch folder; the file then
  replaces the served one in one rename (a reader never sees half a page), and the
  served page's stale ``.br`` and ``.gz`` copies are removed.

Only a page already in the navigation can be rendered this way: a new procedure, a
changed title or part, a renamed area, an edit to anything but a procedure file (areas,
events, timescales, contacts, thresholds, glossary, calendar) returns None and the
preview runs the full build (``macros/deployment/preview.py``). Whatever the fast page
cannot show (the search index, the changes feed, the print view and the pages that quote
the edited paragraph) the full build that follows catches up.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

import properdocs.replacement  # noqa: F401  (mkdocs.* imports are ProperDocs, as under `python -m properdocs`)

from macros.deployment.build_info import REPO

_SETTINGS = {"PROCEDURES_MARKDOWN_WORKER": "0"}   # one page: no second process to convert its blocks


@contextlib.contextmanager
def _environment(rules_dir: Path):
    """The build's environment (as ``atomic_build`` gives its child): the rules tree and no worker."""
    saved = {k: os.environ.get(k) for k in ("PROCEDURES_RULES_DIR", *_SETTINGS)}
    os.environ.update(_SETTINGS, PROCEDURES_RULES_DIR=str(Path(rules_dir).resolve()))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class PageRenderer:
    """What a build knows, kept in memory, to render one procedure page at a time."""

    def __init__(self, rules_dir: Path, site: Path, config_file: Path = REPO / "mkdocs.yml"):
        self.rules_dir, self.site, self.config_file = Path(rules_dir), Path(site), Path(config_file)
        self.scratch = Path(tempfile.mkdtemp(prefix="preview-page-"))
        self.config = None

    def prepare(self) -> None:
        """Configuration, hooks, files, navigation and theme, as a build prepares them (seconds on
        a large manual: the rules are loaded and every page generated once)."""
        from properdocs.commands.build import _populate_page, get_navigation, set_exclusions
        from properdocs.config import load_config
        from properdocs.structure.files import get_files
        with _environment(self.rules_dir), _quiet():
            config = load_config(str(self.config_file), site_dir=str(self.scratch), strict=True)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            # The hand-written pages read and converted (a few): their titles are the navigation's.
            for file in files.documentation_pages():
                if file.generated_by is None and file.page is not None:
                    _populate_page(file.page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.hooks = next(iter(config["hooks"].values()))
        self.nav_entries = config["nav"]           # the navigation generated from rules/ (macros/hooks.py)

    def close(self) -> None:
        """The scratch folder removed (the renderer is replaced, or the preview stops)."""
        shutil.rmtree(self.scratch, ignore_errors=True)

    def warm(self, rules) -> None:
        """Render one procedure's page without serving it: the templates compiled and the modules
        loaded now, so that the first save is as quick as the next ones."""
        first = next((f"procedures/{area}/{procs[0]['id']}.yaml" for area, procs in rules.procedures.items()
                      if procs), None)
        if first:
            self.render(rules, first, serve=False)

    def render(self, rules, rel: str, serve: bool = True) -> Path | None:
        """Write the page of procedure file ``rel`` (``procedures/<area>/<file>.yaml``) from ``rules``
        into the served site; its path, or None when only the full build can show the change.
        (``serve=False``: rendered into the scratch folder only.)"""
        if self.config is None or not rel.startswith("procedures/"):
            return None
        from properdocs.commands.build import _build_page, _populate_page

        from macros.site import pages, prerender
        area, stem = rel.split("/")[1], rel.rsplit("/", 1)[1][:-5]     # a procedure's id is its file name
        proc = next((p for p in rules.procedures.get(area, []) if p["id"] == stem), None)
        path = f"{area}/{stem}.md"
        file = self.files.get_file_from_path(path)
        if proc is None or file is None or file.page is None or pages.nav(rules) != self.nav_entries:
            return None                     # a new page, or the navigation changed: the full build
        with _environment(self.rules_dir), _quiet():
            self.hooks.use_rules(rules, self.config)       # the build's state bound to the checked rules
            markdown = pages.procedure_page(rules, area, proc, self.hooks._generated["blocks"])
            file.content_string = prerender.render_pages(self.config.plugins["macros"], {path: markdown},
                                                         lambda p: self.files.get_file_from_path(p).url)[path]
            page = file.page
            _populate_page(page, self.config, self.files)
            _build_page(page, self.config, self.files.documentation_pages(), self.nav, self.env)
        written = self.scratch / file.dest_uri
        target = self.site / file.dest_uri
        if not written.is_file() or not target.parent.is_dir():
            return None
        if not serve:
            return written
        os.replace(written, target)
        for stale in (target.with_name(target.name + ".br"), target.with_name(target.name + ".gz")):
            stale.unlink(missing_ok=True)
        return target


@contextlib.contextmanager
def _quiet():
    """MkDocs logs and prints nothing into the server's console for a one-page render."""
    logger = logging.getLogger("properdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)
