"""The one cache of loaded rules: rules/ (or another tree) loaded, validated and exported once.

The MkDocs hook reloads at each build (``mkdocs serve`` rebuilds when rules/ changes);
the page macros, the command line and the tests read what is cached. The tree is
rules/ unless ``root`` is given or ``PROCEDURES_RULES_DIR`` points elsewhere (the
tests build the site from small fixtures this way).
"""
from __future__ import annotations

import os
from pathlib import Path

from macros.browser.bundle import build_bundle
from macros.rules import RULES, Rules, load_rules

_loaded: dict[str, tuple[Rules, dict]] = {}


def _root(root=None) -> str:
    return str(Path(root or os.environ.get("PROCEDURES_RULES_DIR") or RULES).resolve())


def _load(key: str) -> tuple[Rules, dict]:
    rules = load_rules(Path(key))           # raises RulesInvalid with every problem
    _loaded[key] = (rules, build_bundle(rules))
    return _loaded[key]


def reload(root=None) -> Rules:
    """Load and validate the rules again (raises RulesInvalid); called by the hook at each build."""
    return _load(_root(root))[0]


def use(rules: Rules, root=None) -> None:
    """Hold ``rules`` (already checked: ``macros.rules.incremental``, the preview after a save) as the tree's."""
    _loaded[_root(root)] = (rules, build_bundle(rules))


def current(root=None) -> tuple[Rules, dict]:
    """``(rules, bundle)`` for the tree, loaded on first use."""
    key = _root(root)
    return _loaded.get(key) or _load(key)


def rules(root=None) -> Rules:
    return current(root)[0]


def bundle(root=None) -> dict:
    return current(root)[1]


def load_bundle(root=None) -> dict:
    """The bundle of rules/ (or ``root``): what the browser gets as JSON and the command line uses."""
    return bundle(root)
