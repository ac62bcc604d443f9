"""The dependency groups of pyproject.toml as pip-compile inputs: ``python -m macros.deployment.lockfiles DIR``.

pip-compile reads requirement files, not PEP 735 groups, so ``make lock`` writes one
``DIR/<group>.in`` per group (included groups expanded) and compiles each into its
hashed lock file. :func:`groups` is also what the tests compare the lock files with.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def groups(pyproject: Path = PYPROJECT) -> dict[str, list[str]]:
    """``{"site": ["mkdocs==1.6.1", ...], "test": [... every site pin too]}``."""
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["dependency-groups"]

    def expand(name: str) -> list[str]:
        out: list[str] = []
        for item in declared[name]:
            out += expand(item["include-group"]) if isinstance(item, dict) else [item]
        return out

    return {name: expand(name) for name in declared}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "build/lock")
    out.mkdir(parents=True, exist_ok=True)
    for name, pins in groups().items():
        (out / f"{name}.in").write_text("\n".join(pins) + "\n", encoding="utf-8")
        print(f"{out / name}.in: {len(pins)} requirements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
