"""Shared fixtures: the built site (the rules tree of the tests), and small sites built from fixture rules."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitebuild import REPO, mkdocs_build

FIXTURE_RULES = REPO / "tests" / "fixtures" / "rules"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from rules/, once per test session (build/test-site); from the tree that
    ``PROCEDURES_RULES_DIR`` names (tests/areas.py) into a folder of the session's own, so a run
    against another tree never overwrites the real site another run may be serving."""
    other = os.environ.get("PROCEDURES_RULES_DIR")
    # One site per pytest-xdist worker (build/test-site-gw0, ...): two workers never write one folder.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    dest = (tmp_path_factory.mktemp("test-site") if other
            else REPO / "build" / (f"test-site-{worker}" if worker else "test-site"))
    run = mkdocs_build(dest)
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    return dest


@pytest.fixture
def fixture_rules(tmp_path) -> Path:
    """A private copy of the small fixture rules tree, safe to edit."""
    target = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, target)
    return target
