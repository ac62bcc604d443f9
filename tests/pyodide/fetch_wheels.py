"""Download what the Pyodide test runner installs inside Pyodide: pure-Python wheels and PyYAML's source.

    python tests/pyodide/fetch_wheels.py [--dest build/pyodide-wheels]

Versions are the ones pinned in requirements.txt (the same as the CPython test run).
Wheels are ``py3-none-any`` (``pip download --no-deps --only-binary=:all: --platform any
--python-version 3.14``); PyYAML has no pure-Python wheel, so its sdist is downloaded and
run from its pure-Python ``lib/yaml`` (without the C extension, as ``yaml.SafeLoader``).
``tzdata`` gives ``zoneinfo`` the Europe/London rules inside Pyodide.

Needs PyPI once; afterwards a no-op (the files are cached in build/, which is gitignored).
Exit status 0 when every file is present.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WHEELS = ["pytest", "pluggy", "iniconfig", "packaging", "pygments", "sortedcontainers", "attrs"]
# Not from requirements.txt: tzdata only Pyodide needs; hypothesis releases after 6.155.7 ship a
# compiled extension (no py3-none-any wheel), so inside Pyodide the last pure-Python release runs.
EXTRA = {"tzdata": "2025.2", "hypothesis": "6.155.7"}
SDISTS = ["pyyaml"]


def pins(requirements: Path = REPO / "requirements.txt") -> dict[str, str]:
    out = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)", line)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def present(dest: Path, name: str, version: str, sdist: bool = False) -> bool:
    stem = f"{_norm(name)}-{version}"
    return any(p.name.lower().startswith(stem) and (p.suffix == ".gz" if sdist else p.suffix == ".whl")
               for p in dest.iterdir())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dest", default=str(REPO / "build" / "pyodide-wheels"))
    args = ap.parse_args(argv)
    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    versions = {**pins(), **EXTRA}
    wanted_wheels = [(n, versions[n]) for n in WHEELS + list(EXTRA)]
    wanted_sdists = [(n, versions[n]) for n in SDISTS]
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--dest", str(dest)]
    missing = [f"{n}=={v}" for n, v in wanted_wheels if not present(dest, n, v)]
    if missing:
        subprocess.run(pip + ["--only-binary=:all:", "--platform", "any", "--python-version", "3.14",
                              "--implementation", "py", *missing], check=True)
    missing = [f"{n}=={v}" for n, v in wanted_sdists if not present(dest, n, v, sdist=True)]
    if missing:
        subprocess.run(pip + ["--no-binary=:all:", *missing], check=True)
    for n, v in wanted_wheels:
        if not present(dest, n, v):
            print(f"missing wheel {n}=={v} in {dest}", file=sys.stderr)
            return 1
    print(f"Pyodide test wheels ready in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
