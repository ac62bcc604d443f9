"""Shared fixtures: the built site (real rules), and small sites built from fixture rules."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_RULES = REPO / "tests" / "fixtures" / "rules"


def mkdocs_build(dest: Path, rules_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real build (strict) into ``dest``; ``rules_dir`` swaps in another rules tree."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    if rules_dir is not None:
        env["PROCEDURES_RULES_DIR"] = str(rules_dir)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=REPO, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built from rules/, once per test session (build/test-site)."""
    dest = REPO / "build" / "test-site"
    run = mkdocs_build(dest)
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    return dest


@pytest.fixture
def fixture_rules(tmp_path) -> Path:
    """A private copy of the small fixture rules tree, safe to edit."""
    target = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, target)
    return target
