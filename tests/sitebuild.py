"""Build the site the way `make build` does, for the tests (importable by name from any test folder)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def mkdocs_build(dest: Path, rules_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real build (strict) into ``dest``; ``rules_dir`` swaps in another rules tree."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    if rules_dir is not None:
        env["PROCEDURES_RULES_DIR"] = str(rules_dir)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=REPO, env=env, capture_output=True, text=True)
