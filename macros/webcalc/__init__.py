"""The Python side of the calculators' Web Worker (shipped to the browser; never run by MkDocs).

The build zips this package as the top-level package ``webcalc`` next to ``tools/``
(see ``macros/pyodide_assets.py``); the worker (``docs/javascripts/calculator/worker.mjs``)
imports it and sends every request through :func:`call`. In CPython (tests) it is
``macros.webcalc``; nothing here imports anything from ``macros``.

Protocol (generic, so other calculators reuse it): the page asks for a **named
Python function** with JSON arguments and gets JSON back::

    call("tools.deadlines.list_events", '{"args": [{"$ref": "bundle"}, "dudley"]}')
    -> '{"ok": true, "result": [...]}'
    -> '{"ok": false, "error": {"type": "UnknownArea", "types": [...], "message": "..."}}'

``{"$ref": "bundle"}`` anywhere at the top level of ``args`` or ``kwargs`` stands for
the bundle exported from rules/ (loaded once with :func:`set_bundle`). Only
functions of ``tools.*`` and of this package can be called.
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
    return module == "tools" or module.startswith("tools.") or module == __name__ or module.startswith(__name__ + ".")


def _resolve(value):
    return bundle() if value == BUNDLE_REF else value


def _json_default(value):
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _short_name(name: str) -> str:
    """``tools.deadlines.deadlines_for`` or ``webcalc.deadline_form.calculate`` (either package name)."""
    if name.startswith("webcalc."):
        return __name__ + name[len("webcalc"):]
    return name


def call(name: str, request_json: str = "{}") -> str:
    """Call ``name`` (``"package.module.function"``) with ``{"args": [...], "kwargs": {...}}``.

    Always returns JSON text: ``{"ok": true, "result": ...}`` or
    ``{"ok": false, "error": {"type", "types", "message"}}``. Errors are returned,
    never raised, so the page can show a message in words.
    """
    try:
        request = json.loads(request_json or "{}")
        module_name, _, func_name = _short_name(name).rpartition(".")
        if not module_name or not _allowed(module_name) or func_name.startswith("_"):
            raise PermissionError(f"{name!r} cannot be called from the page: only public functions of tools.* "
                                  f"and webcalc.* can")
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
    for info in pkgutil.iter_modules(tools.__path__):
        if not info.name.startswith("_") and not info.name.startswith("test"):
            importlib.import_module(f"tools.{info.name}")
    importlib.import_module(__name__ + ".deadline_form")
