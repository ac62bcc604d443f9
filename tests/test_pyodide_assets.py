"""The calculators' runtime files written into the built site (macros/browser/pyodide_assets.py)."""
from __future__ import annotations

import json
import shutil
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from macros.browser import pyodide_assets as A

REPO = Path(__file__).resolve().parent.parent


def test_the_sha256_list_pins_the_package_json_version():
    version, files = A.read_sha_list()
    package = json.loads((REPO / "package.json").read_text())
    assert package["dependencies"]["pyodide"] == version
    assert set(files) == {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"}
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == version


def test_the_tools_zip_holds_only_python_sources_and_is_reproducible():
    first, second = A.tools_zip(REPO), A.tools_zip(REPO)
    assert first == second
    names = zipfile.ZipFile(BytesIO(first)).namelist()
    assert "tools/deadlines.py" in names and "tools/web/__init__.py" in names and "tools/web/deadline_form.py" in names
    assert all(n.endswith(".py") for n in names)
    assert not any("test" in Path(n).name or "__pycache__" in n for n in names)


def test_a_packed_snapshot_unpacks_to_the_same_bytes():
    raw = bytes(4096 * 3) + b"python" * 1000 + bytes(10000) + b"x"
    for compress in (True, False):
        packed = A.pack_snapshot(raw, compress=compress)
        assert A.unpack_snapshot(packed) == raw
        assert (packed[:2] == b"\x1f\x8b") is compress


def _fake_repo(tmp_path: Path, tamper: bool = False) -> Path:
    repo = tmp_path / "repo"
    (repo / "node_modules").mkdir(parents=True)
    shutil.copytree(REPO / "node_modules" / "pyodide", repo / "node_modules" / "pyodide")
    shutil.copytree(REPO / "tools", repo / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    if tamper:
        with open(repo / "node_modules" / "pyodide" / "pyodide.mjs", "a") as f:
            f.write("// changed\n")
    return repo


@pytest.mark.skipif(not (REPO / "node_modules" / "pyodide").exists(), reason="needs `make setup` (npm ci)")
def test_a_changed_runtime_file_stops_the_build(tmp_path):
    repo = _fake_repo(tmp_path, tamper=True)
    with pytest.raises(BaseException) as err:
        A.check_pyodide(repo)
    assert "pyodide.mjs: sha256" in str(err.value) and "make setup" in str(err.value)


def test_missing_node_modules_says_run_make_setup(tmp_path):
    with pytest.raises(BaseException) as err:
        A.check_pyodide(tmp_path)
    assert "make setup" in str(err.value)


@pytest.mark.skipif(not (REPO / "node_modules" / "pyodide").exists(), reason="needs `make setup` (npm ci)")
def test_the_site_gets_only_the_runtime_files_and_hashed_names(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCULATOR_SNAPSHOT", "0")          # the snapshot itself is exercised by the browser tests
    site = tmp_path / "site"
    manifest = A.write_calculator_assets(site, {"version": 1, "areas": {}}, REPO)
    version = manifest["pyodide"]["version"]
    assert sorted(p.name for p in (site / "assets" / "pyodide" / version).iterdir()) == sorted(
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"])    # the full python_stdlib.zip is not served
    calc = site / "assets" / "calculator"
    for entry in (manifest["tools"], manifest["bundle"], manifest["pyodide"]["stdlib"]):
        path = site / entry["url"]
        assert path.exists() and path.stat().st_size == entry["size"]
        assert A.sha256(path.read_bytes())[:12] in path.name
    with zipfile.ZipFile(site / manifest["pyodide"]["stdlib"]["url"]) as zf:
        names = zf.namelist()            # bytecode only (macros/browser/bytecode.py), no sources
        assert {"json/__init__.pyc", "datetime.pyc", "_pyodide/_base.pyc"} <= set(names)
        assert "csv.pyc" not in names and "unittest/__init__.pyc" not in names
        assert not [n for n in names if n.endswith(".py")]
        assert all(_unchecked_hash_pyc(zf.read(n)) for n in names if n.endswith(".pyc"))
    with zipfile.ZipFile(site / manifest["tools"]["url"]) as zf:
        names = set(zf.namelist())       # the sources (tracebacks show them) and their bytecode beside them
        sources = {n for n in names if n.endswith(".py")}
        assert sources == set(A.BROWSER_MODULES)
        for source in sources:
            folder, _, module = source.rpartition("/")
            cached = [n for n in names if n.startswith(f"{folder}/__pycache__/{module[:-3]}.") and n.endswith(".pyc")]
            assert len(cached) == 1, source
            assert _unchecked_hash_pyc(zf.read(cached[0]))
    for key in ("tools", "bundle"):
        path = site / manifest[key]["url"]
        assert path.exists() and path.stat().st_size == manifest[key]["size"]
        assert A.sha256(path.read_bytes())[:12] in path.name
    assert json.loads((calc / "manifest.json").read_text()) == manifest
    assert manifest["snapshot"] is None
    assert all((site / url).exists() for url in manifest["prefetch"])


def _unchecked_hash_pyc(data: bytes) -> bool:
    """A .pyc Python loads without comparing it with a source (PEP 552 flags: hash-based, unchecked)."""
    return int.from_bytes(data[4:8], "little") == 0b01


# -- the trimmed standard library and the build's compressed copies ------------------------------
def _zip(entries: dict[str, bytes]) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_the_trimmed_library_holds_exactly_the_listed_files_stored_and_reproducibly():
    from macros.browser import stdlib
    full = _zip({"a.py": b"A = 1\n", "pkg/__init__.py": b"", "pkg/sub/__init__.py": b"", "pkg/sub/m.py": b"M = 2\n",
                 "pkg/other.py": b"O = 3\n", "unused.py": b"U = 4\n"})
    trimmed = stdlib.trimmed_zip(full, ["pkg/sub/m.py", "a.py", "pkg/__init__.py", "pkg/sub/__init__.py"])
    assert trimmed == stdlib.trimmed_zip(full, ["a.py", "pkg/sub/m.py", "pkg/sub/__init__.py", "pkg/__init__.py"])
    with zipfile.ZipFile(BytesIO(trimmed)) as zf:
        assert sorted(zf.namelist()) == ["a.py", "pkg/__init__.py", "pkg/sub/__init__.py", "pkg/sub/m.py"]
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}   # the server compresses it whole
        assert zf.read("pkg/sub/m.py") == b"M = 2\n"
    with pytest.raises(stdlib.StdlibError, match="missing.py"):
        stdlib.trimmed_zip(full, ["a.py", "missing.py"])


def test_precompressed_copies_decompress_to_the_file_and_are_written_only_when_they_help(tmp_path):
    import gzip
    import random
    import subprocess

    from macros.deployment import headers as h
    from macros.deployment import precompress
    site = tmp_path / "site"
    (site / "js").mkdir(parents=True)
    text = b"export const answer = 42; // the calculators' glue\n" * 200
    (site / "js" / "main.mjs").write_bytes(text)
    (site / "tiny.css").write_bytes(b"p{}" * 10)                            # under COMPRESS_MIN_BYTES
    (site / "deflated.zip").write_bytes(random.Random(1).randbytes(4096))    # does not shrink
    (site / "photo.png").write_bytes(bytes(range(256)) * 64)                # not a compressed type
    counts = precompress.precompress(site, cache=tmp_path / "cache")
    assert counts == {"files": 2, "br": 1, "gz": 1}
    assert gzip.decompress((site / "js" / "main.mjs.gz").read_bytes()) == text
    node = shutil.which("node")
    if node:                                                                 # Node's own brotli decoder
        out = subprocess.run([node, "-e", "process.stdout.write(require('zlib').brotliDecompressSync("
                              "require('fs').readFileSync(process.argv[1])))", str(site / "js" / "main.mjs.br")],
                             capture_output=True, check=True)
        assert out.stdout == text
    assert not any(site.glob("tiny.css.*")) and not any(site.glob("deflated.zip.*")) \
        and not any(site.glob("photo.png.*"))
    assert h.mime_type("js/main.mjs.br") == h.mime_type("js/main.mjs") == "text/javascript"
    again = precompress.precompress(site, cache=tmp_path / "cache")          # copies are never compressed again
    assert again == counts
