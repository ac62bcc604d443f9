"""The mkdocs-macros entry (``module_name: macros/main`` in mkdocs.yml): registers the page macros.

The macros themselves are plain functions in ``macros/site/pagemacros.py``; this only hands
them the rules and bundle the hook (``hooks.py``) has already loaded and validated.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402
from macros.site import pagemacros  # noqa: E402


def define_env(env):
    pagemacros.register(env, state.rules(), state.bundle())
