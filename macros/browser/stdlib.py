"""The calculators' Python standard library: only the files they load, in a zip of its own.

Pyodide's ``python_stdlib.zip`` holds the whole library (559 modules, 2.5 MB). The
calculators load about a quarter of them: :func:`loaded_files` asks Pyodide itself, by
running ``macros/browser/pyodide_stdlib.mjs`` under Node (the worker's start-up, every tools
module, then the calls both calculators make, their error paths included), and
:func:`trimmed_zip` copies exactly those entries out of the package's zip. The worker loads it
with ``loadPyodide({stdLibURL})``.

The zip is *stored* (not deflated): the server sends it brotli- or gzip-compressed as a whole
(pre-compressed at build, see :mod:`macros.deployment.precompress`), which compresses better
than file by file.

Nothing is guessed: ``tests/pyodide`` runs every ``tools/`` test module inside Pyodide against
this trimmed library (``python -m macros.browser.pyodide_assets stdlib OUT.zip`` writes it), and fails when a
tools module imports anything the library leaves out.

    python -m macros.browser.pyodide_assets stdlib OUT.zip [--list]
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIST_SCRIPT = HERE / "pyodide_stdlib.mjs"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class StdlibError(RuntimeError):
    """The trimmed library cannot be made; the message says why."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def loaded_files(repo_root: Path, package: Path, tools_zip: bytes, bundle_json: bytes) -> list[str]:
    """The ``python_stdlib.zip`` entries Python loads for the calculators (cached in build/pyodide-stdlib/)."""
    full = (package / "python_stdlib.zip").read_bytes()
    key = _sha(_sha(full).encode() + tools_zip + bundle_json + LIST_SCRIPT.read_bytes())[:16]
    cache = repo_root / "build" / "pyodide-stdlib"
    cached = cache / f"files-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    node = shutil.which("node")
    if node is None:
        raise StdlibError("Node.js is needed to find the standard library modules the calculators load: "
                          "run `make setup`.")
    cache.mkdir(parents=True, exist_ok=True)
    unique = f"{key}-{os.getpid()}"
    paths = {name: cache / f"{name}-{unique}" for name in ("tools.zip", "bundle.json", "out.json")}
    paths["tools.zip"].write_bytes(tools_zip)
    paths["bundle.json"].write_bytes(bundle_json)
    try:
        run = subprocess.run([node, str(LIST_SCRIPT), str(package), *(str(paths[n]) for n in paths)],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0 or not paths["out.json"].exists():
            raise StdlibError("Listing the standard library the calculators load failed:\n"
                              + (run.stdout + run.stderr)[-3000:])
        files = json.loads(paths["out.json"].read_text(encoding="utf-8"))
    finally:
        for path in paths.values():
            path.unlink(missing_ok=True)
    tmp = cache / f"files-{unique}.tmp"
    tmp.write_text(json.dumps(files), encoding="utf-8")
    tmp.replace(cached)
    for old in sorted(cache.glob("files-*.json"), key=lambda p: p.stat().st_mtime)[:-4]:
        old.unlink(missing_ok=True)
    return files


def trimmed_zip(full_zip: bytes, files: list[str]) -> bytes:
    """A reproducible, uncompressed zip of ``files`` (and their package folders) from ``full_zip``."""
    wanted = set(files)
    folders = {name.rsplit("/", 1)[0] + "/" for name in wanted if "/" in name}
    for folder in list(folders):                   # every parent folder, for nested packages
        parts = folder.rstrip("/").split("/")
        folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full_zip)) as src, zipfile.ZipFile(out, "w") as dst:
        present = set(src.namelist())
        missing = sorted(wanted - present)
        if missing:
            raise StdlibError(f"not in python_stdlib.zip: {', '.join(missing)}")
        for name in sorted(wanted | (folders & present)):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else 0o644 << 16
            dst.writestr(info, b"" if name.endswith("/") else src.read(name))
    return out.getvalue()


def build(repo_root: Path, package: Path, tools_zip: bytes, bundle_json: bytes) -> tuple[bytes, list[str]]:
    """``(trimmed zip, its files)`` for this Pyodide package, tools zip and bundle."""
    files = loaded_files(repo_root, package, tools_zip, bundle_json)
    return trimmed_zip((package / "python_stdlib.zip").read_bytes(), files), files
