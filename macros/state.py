"""The rules of the current build, loaded once and shared by the hook and the macros."""
from __future__ import annotations

import os

from .bundle import build_bundle
from .rules import RULES, Rules, load_rules

_current: dict = {}


def reload(root=None) -> Rules:
    """Load and validate rules/ (raises RulesInvalid); called by the hook at each build.

    ``PROCEDURES_RULES_DIR`` points the build at another rules tree (the tests build
    the site from small fixtures this way)."""
    rules = load_rules(root or os.environ.get("PROCEDURES_RULES_DIR") or RULES)
    _current["rules"] = rules
    _current["bundle"] = build_bundle(rules)
    return rules


def rules() -> Rules:
    if "rules" not in _current:
        reload()
    return _current["rules"]


def bundle() -> dict:
    if "bundle" not in _current:
        reload()
    return _current["bundle"]
