"""The Python side of the calculators' Web Worker: the one door from the page into ``tools``.

The worker (``docs/javascripts/calculator/worker.mjs``) imports ``tools.web`` and sends
every request through :func:`call`; the tests import the very same package in CPython.

Protocol (generic, so other calculators reuse it): the page asks for a **named
Python function** with JSON arguments and gets JSON back::

    call("tools.deadlines.list_events", '{"args": [{"$ref": "bundle"}, "dudley"]}')
    -> '{"ok": true, "result": [...]}'
    -> '{"ok": false, "error": {"type": "UnknownArea", "types": [...], "message": "..."}}'

``{"$ref": "bundle"}`` anywhere at the top level of ``args`` or ``kwargs`` stands for
the bundle exported from rules/ (loaded once with :func:`set_bundle`). Only public
functions of ``tools.*`` modules can be called.
"""
from __future__ import annotations

import datetime as _dt
import importlib
import json

_state: dict = {"bundle": None}
BUNDLE_REF = {"$ref": "bundle"}


def set_bundle(text: str) -> int:
    """Load the bundle (JSON text, as the build writes it); returns the number of timescales."""
    _state["bundle"] = json.loads(text)
    return len(_state["bundle"].get("timescales", []))


def bundle() -> dict:
    if _state["bundle"] is None:
        raise RuntimeError("the bundle is not loaded: call set_bundle() first")
    return _state["bundle"]


def _allowed(module: str) -> bool:
    return module.startswith("tools.") and not any(part.startswith("_") for part in module.split("."))


def _resolve(value):
    return bundle() if value == BUNDLE_REF else value


def _json_default(value):
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def call(name: str, request_json: str = "{}") -> str:
    """Call ``name`` (``"package.module.function"``) with ``{"args": [...], "kwargs": {...}}``.

    Always returns JSON text: ``{"ok": true, "result": ...}`` or
    ``{"ok": false, "error": {"type", "types", "message"}}``. Errors are returned,
    never raised, so the page can show a message in words.
    """
    try:
        request = json.loads(request_json or "{}")
        module_name, _, func_name = str(name).rpartition(".")
        if not module_name or not _allowed(module_name) or func_name.startswith("_"):
            raise PermissionError(f"{name!r} cannot be called from the page: only public functions of tools.* can")
        func = getattr(importlib.import_module(module_name), func_name)
        args = [_resolve(a) for a in request.get("args", [])]
        kwargs = {k: _resolve(v) for k, v in request.get("kwargs", {}).items()}
        result = func(*args, **kwargs)
        return json.dumps({"ok": True, "result": result}, default=_json_default, ensure_ascii=False)
    except Exception as exc:  # the page shows the message; the type tells it what kind of problem
        return json.dumps({"ok": False, "error": {
            "type": type(exc).__name__,
            "types": [c.__name__ for c in type(exc).__mro__],
            "message": str(exc)}}, ensure_ascii=False)


def warm_up() -> None:
    """Import every module the calculators use (before a memory snapshot is taken)."""
    import pkgutil

    import tools
    for info in pkgutil.walk_packages(tools.__path__, "tools."):
        importlib.import_module(info.name)
