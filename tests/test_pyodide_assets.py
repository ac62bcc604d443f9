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
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"])
    calc = site / "assets" / "calculator"
    for key in ("tools", "bundle"):
        path = site / manifest[key]["url"]
        assert path.exists() and path.stat().st_size == manifest[key]["size"]
        assert A.sha256(path.read_bytes())[:12] in path.name
    assert json.loads((calc / "manifest.json").read_text()) == manifest
    assert manifest["snapshot"] is None
    assert all((site / url).exists() for url in manifest["prefetch"])
