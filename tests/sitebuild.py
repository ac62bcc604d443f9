"""Build the site the way `make build` does, for the tests (importable by name from any test folder)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
# The address a build without SITE_URL gives itself (mkdocs.yml: site_url: !ENV [SITE_URL, <this>]).
LOCAL_SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text().replace("!ENV", ""))["site_url"][-1]


def mkdocs_build(dest: Path, rules_dir: Path | None = None, site_url: str | None = None) -> subprocess.CompletedProcess:
    """Run the real build (strict) into ``dest``; ``rules_dir`` swaps in another rules tree;
    ``site_url`` the site's own address (``SITE_URL``; a SITE_URL in the tests' environment is
    never used: without ``site_url`` the build is the local one)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env.pop("SITE_URL", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    if rules_dir is not None:
        env["PROCEDURES_RULES_DIR"] = str(rules_dir)
    from macros.deployment.build_info import BUILDER  # here: the tools/ tests import this module inside Pyodide
    return subprocess.run([sys.executable, *BUILDER, "-d", str(dest)],
                          cwd=REPO, env=env, capture_output=True, text=True)
