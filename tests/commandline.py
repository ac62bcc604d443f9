"""Run the real ``procedures`` console script (installed into .venv by ``make setup``) in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("procedures")


def procedures(*argv: str, timeout: int = 120, **env: str) -> subprocess.CompletedProcess:
    """``procedures ARGV...`` from the repository root; ``env`` adds environment variables."""
    assert SCRIPT.exists(), f"{SCRIPT} is missing: run `make setup` (it installs the project into .venv)"
    return subprocess.run([str(SCRIPT), *argv], cwd=ROOT, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=timeout)
