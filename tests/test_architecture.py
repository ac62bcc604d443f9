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


# -- the rooms of macros/ and their arrows ---------------------------------------------------
# Which rooms each room may import (besides itself, tools/ and third-party libraries). The
# rooms are the packages of macros/ (their docstrings say the same); the top modules
# (hooks, main, state) may import any room; cli/ any room; nothing in macros/ imports cli.
ROOMS = {
    "macros.rules": set(),
    "macros.browser": {"macros.rules"},
    "macros.site": {"macros.rules", "macros.browser"},
    "macros.deployment": {"macros.rules", "macros.browser", "macros.site"},
    "macros.importer": {"macros.rules"},
}
MAX_LINES = 500


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of macros/, tools/ and cli/ by dotted name."""
    out = {}
    for top in ("macros", "tools", "cli"):
        for path in sorted((root / top).rglob("*.py")):
            if "__pycache__" not in path.parts:
                out[_module_name(path, root)] = path
    return out


def project_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules ``path`` (module ``name``) imports, at any depth of the file (a
    function-level import is still an arrow). ``from package import submodule`` counts as the
    submodule; relative imports are resolved against ``name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()

    def add(module: str, names: list[str]):
        for n in names:
            if f"{module}.{n}" in known:
                found.add(f"{module}.{n}")
            elif module in known:
                found.add(module)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                while parts and ".".join(parts) not in known:
                    parts.pop()
                if parts:
                    found.add(".".join(parts))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            add(module, [a.name for a in node.names])
    found.discard(name)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = project_modules(root)
    known = set(modules)
    return {name: project_imports(path, name, known) for name, path in modules.items()}


def room_of(module: str) -> str | None:
    return next((room for room in ROOMS if module == room or module.startswith(room + ".")), None)


def arrow_problems(graph: dict[str, set[str]]) -> list[str]:
    """Every import that points the wrong way between rooms, and every module of macros/ that imports cli."""
    problems = []
    for module, targets in sorted(graph.items()):
        room = room_of(module)
        for target in sorted(targets):
            if module.startswith("macros") and target.startswith("cli"):
                problems.append(f"{module} imports {target}: cli -> macros only")
            if room is None:
                continue
            other = room_of(target)
            if target.startswith("macros") and other is None and target != "macros":
                problems.append(f"{module} imports {target}: a room never imports the top (hooks, main, state)")
            elif other and other != room and other not in ROOMS[room]:
                problems.append(f"{module} ({room}) imports {target} ({other}): not an allowed arrow")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles between modules (Tarjan's strongly connected components of more than one
    module, or a module importing itself). A package's ``__init__`` re-exporting its own
    submodules is not a cycle: arrows from a submodule to its own package are left out."""
    def own_package(a: str, b: str) -> bool:
        return a.startswith(b + ".")

    edges = {m: {t for t in ts if t in graph and not own_package(m, t)} for m, ts in graph.items()}
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_each_room_of_macros_imports_only_the_rooms_it_may():
    assert not arrow_problems(import_graph())


def test_no_import_cycle_anywhere_in_macros_tools_or_cli():
    assert not cycles(import_graph())


def test_every_room_opens_with_a_docstring_saying_its_job_and_what_it_may_import():
    for room in ROOMS:
        init = ROOT / Path(*room.split(".")) / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{init.relative_to(ROOT)}: say what the room may import"


def test_every_folder_of_macros_is_a_room_or_a_folder_of_one():
    folders = {p.name for p in (ROOT / "macros").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {room.split(".")[1] for room in ROOMS}, "a new package of macros/ needs its arrows in ROOMS"


@pytest.mark.parametrize("path", sorted(project_modules().values()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_is_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


def test_the_arrow_and_cycle_guards_themselves_see_a_wrong_arrow_and_a_cycle(tmp_path):
    """The guards above, on a small tree that breaks each rule once."""
    files = {
        "macros/__init__.py": "",
        "macros/state.py": "",
        "macros/rules/__init__.py": "from macros.rules.checker import load\n",
        "macros/rules/checker.py": "from macros.rules import published\n",
        "macros/rules/published.py": "def f():\n    from macros.rules.checker import load\n",   # a cycle
        "macros/rules/bad.py": "from macros.site import pages\nimport macros.state\n",           # wrong arrows
        "macros/site/__init__.py": "",
        "macros/site/pages.py": "from macros.rules import checker\nfrom ..browser import bundle\n",  # allowed
        "macros/browser/__init__.py": "",
        "macros/browser/bundle.py": "import cli\n",                                               # macros -> cli
        "macros/deployment/__init__.py": "",
        "tools/__init__.py": "",
        "cli/__init__.py": "",
        "cli/main.py": "from macros.site import pages\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    graph = import_graph(tmp_path)
    assert graph["macros.site.pages"] == {"macros.rules.checker", "macros.browser.bundle"}
    problems = arrow_problems(graph)
    assert any("macros.rules.bad (macros.rules) imports macros.site.pages" in p for p in problems)
    assert any("macros.rules.bad imports macros.state" in p for p in problems)
    assert any("macros.browser.bundle imports cli:" in p for p in problems)
    assert not any(p.startswith("macros.site.pages") for p in problems)
    assert cycles(graph) == [["macros.rules.checker", "macros.rules.published"]]
