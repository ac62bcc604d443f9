"""Write the calculators' browser runtime into the built site (called from the MkDocs ``on_post_build`` hook).

:func:`write_calculator_assets` puts, under the site directory:

* ``assets/pyodide/<version>/``: only the Pyodide runtime files the worker loads
  (``pyodide.mjs``, ``pyodide.asm.mjs``, ``pyodide.asm.wasm``), copied from
  ``node_modules/pyodide`` (installed by ``make setup`` from package-lock.json) after checking
  each file's sha256 against the checked-in list ``macros/browser/pyodide-sha256.txt``
  (``python_stdlib.zip`` too, which is read but not served). No lock file and no packages: the
  worker never calls ``loadPackage`` or micropip;
* ``assets/calculator/stdlib-<hash>.zip``: the standard library trimmed to the files the
  calculators load (:mod:`macros.browser.stdlib`: 150 of 559 modules), as ``-OO`` bytecode
  without line tables (:mod:`macros.browser.bytecode`; 0.58 MB brotli, 0.62 MB as sources, 2.5 MB
  for the whole library), which the worker passes as ``loadPyodide({stdLibURL})``;
* ``assets/calculator/tools-<hash>.zip``: the ``tools/`` package, exactly the modules
  of :data:`BROWSER_MODULES` (the engines and the worker's door, ``tools.web``), each with its
  bytecode beside it (``__pycache__``, made by :mod:`macros.browser.bytecode`);
* ``assets/calculator/bundle-<hash>.json``: the bundle exported from rules/;
* ``assets/calculator/snapshot-<hash>.bin``: a Pyodide memory snapshot taken with
  every tools module already imported, over the trimmed library (made with Node by
  ``macros/browser/pyodide_snapshot.mjs``, cached in ``build/pyodide-snapshots/``). Restoring it
  skips Python's start-up. Stored with its all-zero pages left out and otherwise as it is: the
  build writes its brotli and gzip copies (``macros/deployment/precompress.py``) and the server
  sends those (``CALCULATOR_SNAPSHOT_GZIP=1`` gzips the file itself, for a server that cannot).
  When the worker uses it is decided by measurement: see ``worker.mjs`` and bench/bench_load.py;
* ``assets/calculator/manifest.json``: the hashed names, sizes and Pyodide's lock
  ``info``, which the worker and the prefetcher read (the only file that is not
  content-addressed; every other file can be cached forever).

Set ``CALCULATOR_SNAPSHOT=0`` to build without the snapshot (the worker then starts
Python from scratch).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

from macros.browser import bytecode, stdlib
from macros.rules import output

HERE = Path(__file__).resolve().parent
SHA_LIST = HERE / "pyodide-sha256.txt"
SNAPSHOT_SCRIPT = HERE / "pyodide_snapshot.mjs"
# Exactly what the browser runs: every module of tools/, named one by one so that adding a
# module is a decision (tests/test_pyodide_assets.py checks this list against tools/).
BROWSER_MODULES = (
    "tools/__init__.py",
    "tools/deadlines.py",
    "tools/duedates.py",
    "tools/ics.py",
    "tools/layers.py",
    "tools/threshold_answer.py",
    "tools/thresholds.py",
    "tools/timeline.py",
    "tools/ukclock.py",
    "tools/wording.py",
    "tools/workingdays.py",
    "tools/web/__init__.py",
    "tools/web/deadline_form.py",
)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PAGE = 4096
SNAPSHOT_MAGIC = b"PSN1"
# The package's files the site serves. python_stdlib.zip is checked but not served: the worker
# loads the trimmed library (macros/browser/stdlib.py) instead.
SHIPPED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


class CalculatorAssetsError(RuntimeError):
    """The runtime cannot be written; the message says what to do."""


def _abort(message: str):
    try:
        from mkdocs.exceptions import Abort
    except ImportError:  # pragma: no cover - used outside MkDocs
        raise CalculatorAssetsError(message) from None
    raise Abort("\n" + message)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_sha_list(path: Path = SHA_LIST) -> tuple[str, dict[str, str]]:
    """``(version, {file name: sha256})`` from ``macros/browser/pyodide-sha256.txt``."""
    version, files = None, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if key == "version":
            version = value.strip()
        else:
            files[value.strip().lstrip("*")] = key
    if not version or not files:
        raise CalculatorAssetsError(f"{path} has no 'version' line or no files")
    return version, files


def check_pyodide(repo_root: Path) -> tuple[str, Path, dict[str, bytes]]:
    """Read and verify the runtime files: ``(version, package dir, {name: bytes})``."""
    version, expected = read_sha_list()
    package = repo_root / "node_modules" / "pyodide"
    if not (package / "package.json").exists():
        _abort(f"node_modules/pyodide is missing: the calculators need Pyodide {version} from npm. "
               f"Run `make setup` (it runs `npm ci`).")
    installed = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    if installed != version:
        _abort(f"node_modules/pyodide is version {installed}, macros/browser/pyodide-sha256.txt expects {version}. "
               f"Run `make setup` (npm ci installs the version pinned in package-lock.json).")
    data, problems = {}, []
    for name, digest in expected.items():
        path = package / name
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        content = path.read_bytes()
        if sha256(content) != digest:
            problems.append(f"{name}: sha256 {sha256(content)}, expected {digest}")
        data[name] = content
    if problems:
        _abort("The Pyodide files in node_modules/pyodide do not match macros/browser/pyodide-sha256.txt:\n  "
               + "\n  ".join(problems) + "\nRun `make setup` to reinstall them (npm ci). If the version was "
               "changed on purpose, update macros/browser/pyodide-sha256.txt with sha256sum.")
    return version, package, data


def _zip_entry(zf: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED       # the server compresses the whole file (brotli, gzip)
    info.external_attr = 0o644 << 16
    zf.writestr(info, content)


def python_files(repo_root: Path) -> dict[str, bytes]:
    """``{archive name: bytes}`` for :data:`BROWSER_MODULES`, read from ``repo_root``."""
    return {name: (repo_root / name).read_bytes() for name in BROWSER_MODULES}


def tools_zip(repo_root: Path) -> bytes:
    """A byte-for-byte reproducible zip of :func:`python_files` (same input, same hash)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in sorted(python_files(repo_root).items()):
            _zip_entry(zf, name, content)
    return buf.getvalue()


def bundle_json(bundle: dict) -> bytes:
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- the memory snapshot ------------------------------------------------------------------------
def pack_snapshot(raw: bytes, compress: bool | None = None) -> bytes:
    """Leave out all-zero pages: ``PSN1 | total u32 | runs u32 | (offset u32, length u32)* | data``,
    gzip-compressed only when ``compress`` (default: no; ``CALCULATOR_SNAPSHOT_GZIP=1``). The build's
    brotli copy is smaller than gzip (and the browser decodes it as it arrives), so by default the
    file is left for the server to send compressed.

    >>> raw = b"\\0" * 8192 + b"x" * 10 + b"\\0" * 5000
    >>> unpack_snapshot(pack_snapshot(raw)) == raw == unpack_snapshot(pack_snapshot(raw, compress=True))
    True
    """
    runs, i, n = [], 0, len(raw)
    zero = bytes(PAGE)
    while i < n:
        if raw[i:i + PAGE] == zero[: min(PAGE, n - i)]:
            i += PAGE
            continue
        j = i
        while j < n and raw[j:j + PAGE] != zero[: min(PAGE, n - j)]:
            j += PAGE
        runs.append((i, min(j, n) - i))
        i = j
    header = SNAPSHOT_MAGIC + struct.pack("<II", n, len(runs)) + b"".join(struct.pack("<II", a, b) for a, b in runs)
    body = b"".join(raw[a:a + b] for a, b in runs)
    if compress is None:
        compress = os.environ.get("CALCULATOR_SNAPSHOT_GZIP", "0") == "1"
    return gzip.compress(header + body, compresslevel=6, mtime=0) if compress else header + body


def unpack_snapshot(packed: bytes) -> bytes:
    """The inverse of :func:`pack_snapshot` (the worker does the same in JavaScript)."""
    data = gzip.decompress(packed) if packed[:2] == b"\x1f\x8b" else packed
    if data[:4] != SNAPSHOT_MAGIC:
        raise ValueError("not a packed snapshot")
    total, count = struct.unpack_from("<II", data, 4)
    out = bytearray(total)
    pos = 12 + 8 * count
    for k in range(count):
        offset, length = struct.unpack_from("<II", data, 12 + 8 * k)
        out[offset:offset + length] = data[pos:pos + length]
        pos += length
    return bytes(out)


def make_snapshot(repo_root: Path, package: Path, pyodide_hashes: dict, zip_bytes: bytes,
                  stdlib_zip: bytes) -> bytes | None:
    """The packed snapshot for this Pyodide and these Python files (cached in build/pyodide-snapshots/)."""
    if os.environ.get("CALCULATOR_SNAPSHOT", "1") == "0":
        return None
    node = shutil.which("node")
    if node is None:
        _abort("Node.js is needed to build the calculators (it makes Pyodide's memory snapshot): "
               "run `make setup`, or build with CALCULATOR_SNAPSHOT=0.")
    gz = os.environ.get("CALCULATOR_SNAPSHOT_GZIP", "0") == "1"
    key = sha256(json.dumps(pyodide_hashes, sort_keys=True).encode() + zip_bytes + stdlib_zip
                 + SNAPSHOT_SCRIPT.read_bytes() + (b"gz" if gz else b"raw"))[:16]
    cache = repo_root / "build" / "pyodide-snapshots"
    cached = cache / f"snapshot-{key}.bin"
    if cached.exists():
        return cached.read_bytes()
    cache.mkdir(parents=True, exist_ok=True)
    unique = f"{key}-{os.getpid()}"          # builds running at the same time do not share temporary files
    zip_path = cache / f"tools-{unique}.zip"
    raw_path = cache / f"raw-{unique}.bin"
    stdlib_path = cache / f"stdlib-{unique}.zip"
    zip_path.write_bytes(zip_bytes)
    stdlib_path.write_bytes(stdlib_zip)
    try:
        run = subprocess.run([node, str(SNAPSHOT_SCRIPT), str(package), str(zip_path), str(raw_path),
                              str(stdlib_path)],
                             capture_output=True, text=True, timeout=300)
        if run.returncode != 0 or not raw_path.exists():
            _abort("Making the Pyodide memory snapshot failed (build with CALCULATOR_SNAPSHOT=0 to skip it):\n"
                   + (run.stdout + run.stderr)[-3000:])
        packed = pack_snapshot(raw_path.read_bytes(), compress=gz)
    finally:
        zip_path.unlink(missing_ok=True)
        raw_path.unlink(missing_ok=True)
        stdlib_path.unlink(missing_ok=True)
    tmp = cache / f"snapshot-{unique}.tmp"
    tmp.write_bytes(packed)
    tmp.replace(cached)
    for old in sorted(cache.glob("snapshot-*.bin"), key=lambda p: p.stat().st_mtime)[:-4]:
        old.unlink(missing_ok=True)     # keep the last few (branches, fixture builds)
    return packed


# -- the hook's entry point ---------------------------------------------------------------------
def _hashed(directory: Path, stem: str, suffix: str, content: bytes) -> str:
    name = f"{stem}-{sha256(content)[:12]}{suffix}"
    output.write_bytes(directory, name, content)
    return name


def write_calculator_assets(site_dir, bundle: dict, repo_root) -> dict:
    """Write the runtime into ``site_dir`` (see the module docstring); returns the manifest."""
    site_dir, repo_root = Path(site_dir), Path(repo_root)
    version, package, files = check_pyodide(repo_root)
    target = site_dir / "assets" / "pyodide" / version
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, content in files.items():
        if name in SHIPPED:
            output.write_bytes(target, name, content)
    lock = json.loads((package / "pyodide-lock.json").read_text(encoding="utf-8"))

    calc = site_dir / "assets" / "calculator"
    if calc.exists():
        shutil.rmtree(calc)
    calc.mkdir(parents=True)
    zip_bytes = tools_zip(repo_root)
    bundle_bytes = bundle_json(bundle)
    bundle_name = _hashed(calc, "bundle", ".json", bundle_bytes)
    hashes = {name: sha256(content) for name, content in files.items()}
    try:
        stdlib_bytes, _stdlib_files = stdlib.build(repo_root, package, zip_bytes, bundle_bytes)
        # Both shipped as bytecode made by Pyodide's own Python (macros/browser/bytecode.py); the
        # library was listed from sources above, with the tools zip as it is in the repository.
        stdlib_bytes, zip_bytes = bytecode.compiled(repo_root, package, hashes, stdlib_bytes, zip_bytes)
    except (stdlib.StdlibError, bytecode.BytecodeError) as exc:
        _abort(str(exc))
    tools_name = _hashed(calc, "tools", ".zip", zip_bytes)
    stdlib_name = _hashed(calc, "stdlib", ".zip", stdlib_bytes)
    snapshot = make_snapshot(repo_root, package, hashes, zip_bytes, stdlib_bytes)
    snapshot_name = _hashed(calc, "snapshot", ".bin", snapshot) if snapshot else None

    base = f"assets/pyodide/{version}/"
    manifest = {
        "version": 1,
        "pyodide": {"version": version, "base": base, "lock_info": lock["info"],
                    "files": {name: len(files[name]) for name in SHIPPED},
                    "stdlib": {"url": f"assets/calculator/{stdlib_name}", "size": len(stdlib_bytes)}},
        "tools": {"url": f"assets/calculator/{tools_name}", "size": len(zip_bytes)},
        "bundle": {"url": f"assets/calculator/{bundle_name}", "size": len(bundle_bytes)},
        "snapshot": ({"url": f"assets/calculator/{snapshot_name}", "size": len(snapshot),
                      "encoding": "gzip" if snapshot[:2] == b"\x1f\x8b" else "identity"} if snapshot else None),
    }
    manifest["prefetch"] = (
        [base + name for name in SHIPPED]
        + [manifest["pyodide"]["stdlib"]["url"], manifest["tools"]["url"], manifest["bundle"]["url"]]
        + ([manifest["snapshot"]["url"]] if snapshot else [])
    )
    output.write_text(calc, "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest


# -- the trimmed standard library on its own (for the tests inside Pyodide) ---------------------
def write_trimmed_stdlib(out: Path, rules_root=None, show_list: bool = False, compiled: bool = True) -> int:
    """Write the trimmed standard library the build would ship (:mod:`macros.browser.stdlib`) to
    ``out``, made from this checkout's Pyodide package, tools zip and rules bundle: compiled to
    bytecode as shipped, or its sources (``compiled=False``, ``--sources``)."""
    import sys

    from macros.browser.bundle import build_bundle
    from macros.rules import RULES, load_rules
    repo = Path(__file__).resolve().parents[2]
    _version, package, package_files = check_pyodide(repo)
    bundle = build_bundle(load_rules(rules_root or os.environ.get("PROCEDURES_RULES_DIR") or RULES))
    zip_bytes = tools_zip(repo)
    data, files = stdlib.build(repo, package, zip_bytes, bundle_json(bundle))
    if compiled:                 # as shipped: bytecode (macros/browser/bytecode.py)
        hashes = {name: sha256(content) for name, content in package_files.items()}
        data, _tools = bytecode.compiled(repo, package, hashes, data, zip_bytes)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    if show_list:
        print("\n".join(files))
    print(f"{out}: {len(files)} files, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    import argparse
    import sys
    ap = argparse.ArgumentParser(description="python -m macros.browser.pyodide_assets stdlib OUT.zip [--list]")
    ap.add_argument("what", choices=["stdlib"])
    ap.add_argument("out", type=Path, help="where to write the trimmed python_stdlib zip")
    ap.add_argument("--list", action="store_true", help="also print the files it holds")
    ap.add_argument("--sources", action="store_true", help="the .py sources, not the shipped bytecode")
    args = ap.parse_args()
    sys.exit(write_trimmed_stdlib(args.out, show_list=args.list, compiled=not args.sources))
