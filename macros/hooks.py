"""MkDocs hooks: validate rules/, add the generated pages and navigation, write calculator assets.

Registered in mkdocs.yml (``hooks:``). A problem in rules/ stops the build with the
full list of problems and no Python traceback.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import pages, search, state  # noqa: E402
from macros.rules import RulesInvalid  # noqa: E402

_generated: dict = {}


@event_priority(100)  # before mkdocs-macros, whose define_env reads the rules
def on_config(config):
    try:
        rules = state.reload()
    except RulesInvalid as exc:
        raise Abort("\n" + exc.report()) from None
    _generated.clear()
    _generated.update(pages.generate(rules))     # once per build: the nav now, the pages in on_files
    config["nav"] = _generated["nav"]
    return config


@event_priority(100)
def on_files(files, config):
    for path, content in _generated["pages"].items():
        if files.get_file_from_path(path) is not None:
            raise Abort(f"docs/{path} would hide the page generated from rules/; remove it from docs/")
        files.append(File.generated(config, path, content=content))
    return files


def on_post_build(config):
    # Search is English only, so Material's other-language stemmers (lunr/*) are never
    # loaded; they are dropped so the intranet copy holds only what it serves.
    lunr = Path(config["site_dir"]) / "assets" / "javascripts" / "lunr"
    if config["theme"]["language"] == "en" and lunr.is_dir():
        shutil.rmtree(lunr)
    # The calculators' runtime: Pyodide (checked against its sha256 list), tools/ and the rules bundle.
    from macros.pyodide_assets import write_calculator_assets
    write_calculator_assets(Path(config["site_dir"]), state.bundle(), Path(__file__).resolve().parent.parent)
    search.write_search_index(config, state.rules(), Path(__file__).resolve().parent.parent)
