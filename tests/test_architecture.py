"""The layout keeps its promises: tools/ is exactly what the browser runs, and nothing else.

A newcomer can trust the folders: tools/ is pure standard-library code with no I/O (it
runs in Pyodide), the command line and the build live on the CPython side, and the
browser zip holds only the modules the page runs.
"""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
# Modules that would let browser code read files, parse arguments or run programs.
FORBIDDEN_IN_TOOLS = {"macros", "cli", "argparse", "subprocess", "pathlib", "os", "shutil", "socket", "yaml"}

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="reads the source tree (CPython only)")


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (absolute imports; relative ones are tools' own)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value.split(".")[0])
    return names


def tools_modules() -> list[Path]:
    return sorted(p for p in TOOLS.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", tools_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_under_tools_imports_the_build_the_command_line_or_file_and_process_modules(path):
    bad = imported_modules(path) & FORBIDDEN_IN_TOOLS
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}: tools/ is the browser's code (no I/O)"


def test_the_guard_itself_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os.path\nfrom macros.rules import load_rules\nimportlib.import_module('argparse')\n")
    assert imported_modules(sample) >= {"os", "macros", "argparse"}


def test_the_browser_zip_is_built_from_an_explicit_list_that_names_every_module_of_tools():
    from macros.browser.pyodide_assets import BROWSER_MODULES
    on_disk = {p.relative_to(ROOT).as_posix() for p in tools_modules()}
    assert set(BROWSER_MODULES) == on_disk, "add the new module to BROWSER_MODULES (or move it out of tools/)"


def test_the_browser_zip_holds_only_those_modules():
    import io
    import zipfile

    from macros.browser.pyodide_assets import BROWSER_MODULES, tools_zip
    names = zipfile.ZipFile(io.BytesIO(tools_zip(ROOT))).namelist()
    assert sorted(names) == sorted(BROWSER_MODULES)


def test_the_old_homes_of_browser_code_are_gone():
    assert not (ROOT / "macros" / "webcalc").exists()
    assert not (TOOLS / "cli_bundle.py").exists() and not (TOOLS / "calendar_refresh.py").exists()


def test_macros_never_imports_the_command_line():
    for path in sorted((ROOT / "macros").rglob("*.py")):
        assert "cli" not in imported_modules(path), f"{path.relative_to(ROOT)} imports cli (cli -> macros only)"


def test_the_exported_bundle_validates_against_its_schema():
    import jsonschema

    from macros.state import load_bundle
    schema = json.loads((TOOLS / "bundle.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(load_bundle())]
    assert not errors, errors[:10]


def test_the_bundle_schema_refuses_a_bundle_with_a_misspelt_unit():
    import copy

    import jsonschema

    from macros.state import load_bundle
    schema = json.loads((TOOLS / "bundle.schema.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(load_bundle())
    broken["timescales"][0]["unit"] = "workdays"
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_the_lock_files_pin_exactly_the_dependency_groups_of_pyproject():
    from macros.deployment.lockfiles import groups

    def pins(name: str) -> set[str]:
        text = (ROOT / name).read_text(encoding="utf-8")
        return {line.split()[0].lower() for line in text.splitlines() if "==" in line and not line.startswith("#")}

    declared = groups()
    assert {p.lower() for p in declared["site"]} <= pins("requirements-site.txt")
    assert {p.lower() for p in declared["test"]} <= pins("requirements.txt")
    assert pins("requirements-site.txt") <= pins("requirements.txt"), "the site lock must agree with the full lock"
    assert not any(p.startswith(("pytest==", "playwright==", "hypothesis==")) for p in pins("requirements-site.txt"))
    for name in ("requirements.txt", "requirements-site.txt"):
        joined = (ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")   # one line per pin
        entries = [line for line in joined.splitlines() if "==" in line and not line.startswith("#")]
        unhashed = [e.split()[0] for e in entries if "--hash=sha256:" not in e]
        assert entries and not unhashed, f"{name}: pins without a hash: {unhashed}"


def test_the_tests_imaginary_world_has_the_shape_of_a_real_bundle():
    import jsonschema

    sys.path.insert(0, str(ROOT / "tests"))
    from bundles import world
    schema = json.loads((TOOLS / "bundle.schema.json").read_text(encoding="utf-8"))
    data = {k: v for k, v in world().items() if k != "_comment"}
    errors = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert not errors, errors[:10]
