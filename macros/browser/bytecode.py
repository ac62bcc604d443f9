"""The calculators' Python as bytecode, compiled at build time by Pyodide's own Python.

Without a memory snapshot (a first visit: see docs/javascripts/calculator/worker.mjs), the
browser's Python compiles every module it imports before it can answer: the standard library
modules the calculators load and the tools modules. Shipping bytecode skips that work, and the
standard library's bytecode is compiled with ``optimize=2`` (``python -OO``: no docstrings, no
asserts) and with a location table that says "no location" for every instruction (one byte
per 8 instead of lines and columns), which makes it smaller than its sources once compressed.
An empty table would be smaller still but breaks Python's traceback module ("generator raised
StopIteration" while formatting any error that passes through the library, hiding its message).

* the standard library zip (:mod:`macros.browser.stdlib`) holds only ``.pyc`` files;
* the tools zip keeps its sources and gets ``__pycache__/*.pyc`` beside them (compiled as they
  are, line tables kept): a traceback from a calculator still shows its source lines.

The bytecode has to be what the browser's Python reads (its version, magic number and cache tag),
so ``macros/browser/pyodide_compile.mjs`` makes it with Pyodide under Node (unchecked hash-based
``.pyc``, PEP 552: loaded without comparing them with a source file). The output is cached in
``build/pyodide-bytecode/``, keyed by the Pyodide files, both input zips and the script.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (HERE / "pyodide_compile.mjs", HERE / "pyodide_node.mjs")


class BytecodeError(RuntimeError):
    """The bytecode cannot be made; the message says why."""


def compiled(repo_root: Path, package: Path, pyodide_hashes: dict, stdlib_zip: bytes,
             tools_zip: bytes) -> tuple[bytes, bytes]:
    """``(stdlib zip of .pyc, tools zip with .pyc beside its sources)``, cached by content."""
    digest = hashlib.sha256(json.dumps(pyodide_hashes, sort_keys=True).encode())
    for part in (stdlib_zip, tools_zip, *(script.read_bytes() for script in SCRIPTS)):
        digest.update(hashlib.sha256(part).digest())
    key = digest.hexdigest()[:16]
    cache = Path(repo_root) / "build" / "pyodide-bytecode"
    out_stdlib, out_tools = cache / f"stdlib-{key}.zip", cache / f"tools-{key}.zip"
    if out_stdlib.exists() and out_tools.exists():
        return out_stdlib.read_bytes(), out_tools.read_bytes()
    node = shutil.which("node")
    if node is None:
        raise BytecodeError("Node.js is needed to compile the calculators' Python: run `make setup`.")
    cache.mkdir(parents=True, exist_ok=True)
    unique = f"{key}-{os.getpid()}"        # builds running at the same time share no temporary file
    paths = [cache / f"{name}-{unique}.tmp" for name in ("stdlib-in", "tools-in", "stdlib-out", "tools-out")]
    paths[0].write_bytes(stdlib_zip)
    paths[1].write_bytes(tools_zip)
    try:
        run = subprocess.run([node, str(SCRIPTS[0]), str(package), *map(str, paths)],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0 or not paths[2].exists() or not paths[3].exists():
            raise BytecodeError("Compiling the calculators' Python failed:\n" + (run.stdout + run.stderr)[-3000:])
        paths[2].replace(out_stdlib)
        paths[3].replace(out_tools)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    for pattern in ("stdlib-*.zip", "tools-*.zip"):
        for old in sorted(cache.glob(pattern), key=lambda p: p.stat().st_mtime)[:-4]:
            old.unlink(missing_ok=True)     # keep the last few (branches, fixture builds)
    return out_stdlib.read_bytes(), out_tools.read_bytes()
