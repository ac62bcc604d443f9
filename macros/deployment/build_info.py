"""What a build is, and the atomic build that records it: ``python -m macros.deployment.build_info build [site]``.

* :func:`compute` says when the site was built (UTC; ``SOURCE_DATE_EPOCH`` fixes it, so two
  builds of the same commit are identical), from which git commit ("unknown" outside a git
  checkout) and from which rules: the "rules version" is a sha256 over the sorted file paths
  and bytes of ``rules/``. The MkDocs hook puts it in every page's footer ("Built on 2 December
  2026 from rules version 1a2b3c4d") and writes it to ``site/build-info.json``.
* :func:`atomic_build` (``make build``) builds into ``site.tmp-XXXX`` next to the target and
  swaps it in only when the build succeeded; a failed build leaves the previous site as it was
  and prints the build's report. The temporary folders of a build that was killed part-way
  (named with its process id) are removed by the next build (:func:`remove_stale`).
* :func:`site_url` reads the site's own address, ``SITE_URL`` (``make build
  SITE_URL=https://host/path/``): canonical links, ``sitemap.xml`` (which Material's instant
  navigation reads), ``feed.xml``. It must be an absolute ``http(s)://`` address without a
  query or fragment; a missing final ``/`` is added (``https://host/procedures`` serves the
  site from the ``procedures/`` folder). Unset or empty, the build is local
  (``http://127.0.0.1:8000/``, what ``make serve`` serves) and says so when it finishes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from macros.rules import output
from macros.site import search

REPO = Path(__file__).resolve().parents[2]
FILE_NAME = "build-info.json"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def rules_dir() -> Path:
    """The rules tree of this build (``PROCEDURES_RULES_DIR`` or rules/), as the loader picks it."""
    return Path(os.environ.get("PROCEDURES_RULES_DIR") or REPO / "rules")


def rules_version(root: Path | None = None) -> str:
    """sha256 over every file of ``root``: its path (relative, with /), a NUL, its size, a NUL, its bytes."""
    root = Path(root or rules_dir())
    digest = hashlib.sha256()
    files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file()
                   and "__pycache__" not in p.parts)
    for rel, path in files:
        data = path.read_bytes()
        digest.update(rel.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        digest.update(data)
    return digest.hexdigest()


def git_commit(repo: Path = REPO) -> str:
    """The commit of ``repo``'s checkout, or "unknown" (no git, not a checkout, git failing)."""
    try:
        run = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "HEAD"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = run.stdout.strip()
    return commit if run.returncode == 0 and len(commit) >= 40 else "unknown"


def build_time() -> dt.datetime:
    """Now, in UTC, to the second; or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise SystemExit(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def compute(repo: Path = REPO, rules: Path | None = None) -> dict:
    when = build_time()
    version = rules_version(rules)
    return {
        "built_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "built_on": f"{when.day} {MONTHS[when.month - 1]} {when.year}",
        "git_commit": git_commit(repo),
        "rules_version": version,
        "rules_version_short": version[:8],
    }


def site_url(value: str | None) -> str | None:
    """``SITE_URL`` checked and ending in ``/``; None when unset or empty (a local build).

    >>> site_url("https://intranet.example/procedures")
    'https://intranet.example/procedures/'
    """
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or any(c.isspace() for c in value):
        raise ValueError(f"SITE_URL must be the address the site is served from, such as "
                         f"https://intranet.example/procedures/ (http or https, a host name, an optional "
                         f"folder, no ?query or #fragment), not {value!r}")
    return value if value.endswith("/") else value + "/"


LOCAL_NOTE = ("Its links are local ({url}): canonical links, sitemap.xml and feed.xml point at this "
              "machine. To publish it, build with the address it is served from: "
              "make build SITE_URL=https://your-intranet-host/folder/ (docs/deploying.md).")


def footer_text(info: dict) -> str:
    return f"Built on {info['built_on']} from rules version {info['rules_version_short']}"


def write(site_dir: Path, info: dict) -> Path:
    return output.write_text(site_dir, FILE_NAME, json.dumps(info, indent=2, sort_keys=True) + "\n")


# -- the atomic build -------------------------------------------------------------------------
# The build command: ProperDocs, the maintained fork of MkDocs 1.6.1 (MkDocs itself is no longer
# maintained). Measured on this site with SOURCE_DATE_EPOCH fixed: every built file is identical to
# MkDocs 1.6.1's apart from the generator tag ("mkdocs-ProperDocs 1.6.7") and the offline list's
# version, which hashes the pages. mkdocs-material and mkdocs-macros still import the `mkdocs` API.
BUILDER = ["-m", "properdocs", "build", "--strict"]


def atomic_build(site: Path, python: str = sys.executable) -> int:
    """``properdocs build --strict`` (:data:`BUILDER`) into a temporary directory next to ``site``, then the search
    index (Pagefind, once MkDocs has exited, so the two never hold memory at the same time),
    swapped in when both succeed."""
    try:
        address = site_url(os.environ.get("SITE_URL"))
    except ValueError as exc:
        print(f"{exc}\n\nThe build failed: {site} was left as it was.", file=sys.stderr)
        return 2
    site = Path(site).absolute()
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(site)
    tmp = Path(tempfile.mkdtemp(prefix=f"{site.name}.tmp-{os.getpid()}-", dir=site.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", **{search.DEFERRED: "1"})
    env.pop("SITE_URL", None)
    if address:
        env["SITE_URL"] = address
    try:
        run = subprocess.run([python, *BUILDER, "--quiet", "-d", str(tmp)],
                             cwd=REPO, env=env, capture_output=True, text=True)
        complete = run.returncode == 0 and (tmp / "index.html").is_file() and (tmp / FILE_NAME).is_file()
        if not complete:
            report = (run.stdout + run.stderr).strip() or f"mkdocs exited with status {run.returncode}"
            if run.returncode == 0:
                report += f"\nthe build wrote no index.html or {FILE_NAME}"
            print(f"{report}\n\nThe build failed: {site} was left as it was.", file=sys.stderr)
            return run.returncode or 1
        if run.stdout.strip() or run.stderr.strip():
            print((run.stdout + run.stderr).strip(), file=sys.stderr)
        if os.environ.get("SEARCH_ENGINE", "pagefind") == "pagefind":   # mkdocs.yml extra.search_engine
            try:
                search.write_search_index(tmp, REPO)
            except RuntimeError as exc:
                print(f"{exc}\n\nThe build failed: {site} was left as it was.", file=sys.stderr)
                return 1
        from macros.deployment import offline, precompress
        offline.write(tmp)                     # the service worker's list (macros/deployment/offline.py)
        precompress.precompress(tmp)           # name.br and name.gz beside each compressible file
        tmp.chmod(0o755)                       # mkdtemp makes it 0700; servers read it as another user
        old = None
        if site.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{site.name}.old-{os.getpid()}-", dir=site.parent))
            old.rmdir()
            site.rename(old)
        tmp.rename(site)                       # from here on the new site is in place
        tmp = old                              # ...and the old one is what to clean up
        info = json.loads((site / FILE_NAME).read_text(encoding="utf-8"))
        print(f"{site.name}/ is ready. {footer_text(info)}, commit {info['git_commit'][:12]}.")
        print(f"It is built for {address}." if address else LOCAL_NOTE.format(url=local_site_url()))
        return 0
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove_stale(site: Path) -> list[Path]:
    """Remove what killed builds left next to ``site``: ``site.tmp-<pid>-*`` and ``site.old-<pid>-*``
    folders whose build process is gone (and any without a process id, from before ids were
    written). A folder of a build still running (its process alive) is left alone. Returns
    what was removed.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); (d / "site.tmp-999999999-ab").mkdir()
    >>> (d / f"site.tmp-{os.getpid()}-cd").mkdir(); [p.name for p in remove_stale(d / "site")]
    ['site.tmp-999999999-ab']
    """
    removed = []
    for kind in ("tmp", "old"):
        for folder in Path(site).parent.glob(f"{Path(site).name}.{kind}-*"):
            pid = folder.name[len(Path(site).name) + len(kind) + 2:].split("-", 1)[0]
            if folder.is_dir() and not (pid.isdigit() and _alive(int(pid))):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True          # exists but not ours, or cannot tell: leave it
    return True


def local_site_url() -> str:
    """The address of a build without SITE_URL: the default in mkdocs.yml (``!ENV [SITE_URL, ...]``)."""
    import re
    found = re.search(r"^site_url:\s*!ENV\s*\[\s*SITE_URL\s*,\s*([^\]\s]+)\s*\]", (REPO / "mkdocs.yml").read_text(), re.M)
    return found.group(1) if found else "http://127.0.0.1:8000/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the site atomically (what `make build` runs)")
    build.add_argument("site", nargs="?", default="site", type=Path)
    sub.add_parser("show", help="print this checkout's build info as JSON")
    args = parser.parse_args(argv)
    if args.command == "build":
        return atomic_build(args.site)
    print(json.dumps(compute(), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
