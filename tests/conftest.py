"""Shared fixtures: the built site (real rules), and small sites built from fixture rules."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitebuild import REPO, mkdocs_build

FIXTURE_RULES = REPO / "tests" / "fixtures" / "rules"


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
