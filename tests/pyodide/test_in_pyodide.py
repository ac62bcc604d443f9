"""The tools/ test modules pass inside real Pyodide under Node, and a failing test fails that run.

Runs ``node tests/pyodide/run.mjs`` (see its header) as ``make test`` does. Needs
``node_modules/pyodide`` (``npm ci``) and the wheels in ``build/pyodide-wheels``
(``python tests/pyodide/fetch_wheels.py``; both are part of ``make setup``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "tests" / "pyodide" / "run.mjs"
WHEELS = REPO / "build" / "pyodide-wheels"

pytestmark = pytest.mark.pyodide


@pytest.fixture(scope="module")
def node() -> str:
    exe = shutil.which("node")
    assert exe, "Node.js is needed for the Pyodide tests: run `make setup`"
    assert (REPO / "node_modules" / "pyodide" / "pyodide.mjs").exists(), "run `make setup` (npm ci)"
    if not any(WHEELS.glob("pytest-*.whl")):
        sys.path.insert(0, str(REPO / "tests" / "pyodide"))
        import fetch_wheels
        assert fetch_wheels.main([]) == 0, "could not download the wheels (needs PyPI once)"
    return exe


@pytest.fixture(scope="module")
def bundle_file() -> Path:
    """The real rules as the browser gets them, for tests that cannot load rules/ inside Pyodide."""
    from macros.state import load_bundle
    path = REPO / "build" / "pyodide-bundle.json"
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f"pyodide-bundle-{os.getpid()}.tmp")
    tmp.write_text(json.dumps(load_bundle(), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)                      # atomic: another test run may be reading it
    return path


@pytest.fixture(scope="module")
def trimmed_stdlib() -> Path:
    """The standard library the site ships (macros/browser/stdlib.py), made as the build makes it: bytecode
    compiled by Pyodide (macros/browser/bytecode.py)."""
    path = REPO / "build" / f"pyodide-stdlib-{os.getpid()}.zip"
    from macros.browser import pyodide_assets
    assert pyodide_assets.write_trimmed_stdlib(path) == 0
    yield path
    path.unlink(missing_ok=True)


def run(node: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([node, str(RUNNER), *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def run_test_file(node: str, tmp_path: Path, name: str, text: str, *options: str) -> tuple[int, str]:
    """Run one test module written for the occasion inside Pyodide: (exit code, what it printed).
    The runner mounts the repository, so the module lives under build/ (ignored by git), in a
    folder of its own: other test runs in the same tree must not remove it under us."""
    folder = REPO / "build" / f"pyodide-{Path(name).stem}-{os.getpid()}-{tmp_path.name}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    try:
        result = run(node, *options, "--", f"build/{folder.name}/{name}", "-q")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result.returncode, result.stdout + result.stderr


def test_the_tools_test_modules_pass_inside_pyodide_with_the_trimmed_library(node, bundle_file, trimmed_stdlib):
    result = run(node, "--bundle", str(bundle_file), "--stdlib", str(trimmed_stdlib))
    report = (result.stdout + result.stderr)[-6000:]
    assert "Pyodide 314.0.8" in result.stdout, report
    assert result.returncode == 0, f"the tools tests failed inside Pyodide:\n{report}"
    assert " passed" in result.stdout, report
    assert "trimmed standard library: tools/ imported nothing outside it" in result.stdout, report


LEAK_TEST = '''
def test_code_under_tools_importing_outside_the_trimmed_library():
    # a frame whose file is under tools/, as a tools module importing wave would make
    exec(compile("import wave", "/repo/tools/not_a_real_module.py", "exec"), {})
'''


def test_a_tools_import_outside_the_trimmed_library_fails_the_run(node, tmp_path, trimmed_stdlib):
    code, out = run_test_file(node, tmp_path, "test_leak.py", LEAK_TEST, "--stdlib", str(trimmed_stdlib))
    assert code != 0, out[-3000:]
    assert "wave is not in the calculators' trimmed standard library" in out, out[-3000:]
    assert "not_a_real_module.py:1 imports wave" in out, out[-3000:]


TRACEBACK_TEST = '''
import json
import traceback

def test_an_error_through_the_shipped_library_is_formatted_with_its_message():
    try:
        json.loads("{")                 # raised inside json.decoder, bytecode of the shipped library
    except ValueError:
        text = traceback.format_exc()
    assert "json" in text and "JSONDecodeError: Expecting property name" in text, text
'''


def test_an_error_through_the_shipped_library_keeps_its_message(node, tmp_path, trimmed_stdlib):
    """The library ships without line numbers; a traceback through it must still be formatted
    (an empty location table made Python's traceback module fail and hide the error)."""
    code, out = run_test_file(node, tmp_path, "test_traceback.py", TRACEBACK_TEST, "--stdlib", str(trimmed_stdlib))
    assert code == 0 and "1 passed" in out, out[-3000:]


SELF_TEST = '''
import sys

def test_runs_inside_pyodide():
    assert sys.platform == "emscripten"

def test_deliberately_failing():
    assert 1 + 1 == 3, "this test must fail"
'''


def test_a_deliberately_failing_test_fails_the_pyodide_run(node, tmp_path):
    code, out = run_test_file(node, tmp_path, "test_selftest_fails.py", SELF_TEST)
    assert code == 1, f"expected pytest's exit code 1, got {code}:\n{out[-3000:]}"
    assert "1 failed, 1 passed" in out, out[-3000:]
    assert "this test must fail" in out
