"""Offline after one visit: the service worker's list and stamp, written into the built site.

:func:`write` runs as the build's last step before pre-compression (after Pagefind's index). It
writes ``offline.json``, the site's own files the service worker (``docs/sw.js``) keeps:

* ``pages``: every page (``x/index.html`` listed as ``x/``, and ``404.html``);
* ``files``: what the pages and the calculators load: stylesheets, scripts, images, the search
  index (all of it, so that what a person searches for never decides what is stored), the
  calculators' runtime and the rules bundle, ``sitemap.xml`` and ``build-info.json``.

Left out: the pre-compressed copies (``.br``, ``.gz``; the browser stores what it decoded), the
memory snapshot (15 MB; the service worker keeps it only once the calculators fetched it:
``CONFIG.snapshot``), ``feed.xml``, ``sw.js`` and ``offline.json`` themselves. Every entry is
relative to the site's root, so the list works from a sub-folder.

It also stamps ``sw.js``'s ``CONFIG``: ``version`` is a sha256 over the list and every listed
file's bytes, so any change to what is kept makes the browser install the new worker on the next
visit online. ``SITE_OFFLINE=0`` builds the off switch: a worker that deletes its caches and
unregisters itself (and ``offline.mjs`` then registers nothing).

``python -m macros.deployment.offline SITE`` prints the list's size: files, bytes stored on the
device (decoded) and bytes on the wire (the brotli copy where the build wrote one).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

LIST_NAME = "offline.json"
WORKER_NAME = "sw.js"
SKIPPED_SUFFIXES = (".br", ".gz")
SKIPPED_NAMES = {WORKER_NAME, LIST_NAME, "feed.xml"}
CONFIG_LINE = re.compile(r"^const CONFIG = \{.*\};$", re.MULTILINE)


class OfflineError(RuntimeError):
    """The service worker cannot be stamped; the message says why."""


def enabled() -> bool:
    return os.environ.get("SITE_OFFLINE", "1").strip() != "0"


def _snapshot(site: Path) -> str:
    manifest = site / "assets" / "calculator" / "manifest.json"
    if not manifest.is_file():
        return ""
    return (json.loads(manifest.read_text(encoding="utf-8")).get("snapshot") or {}).get("url", "")


def listing(site: Path) -> dict:
    """``{"pages": [...], "files": [...]}``, sorted, relative to the site's root."""
    snapshot = _snapshot(site)
    pages, files = [], []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if path.name in SKIPPED_NAMES or rel.endswith(SKIPPED_SUFFIXES) or rel == snapshot:
            continue
        if rel.endswith(".html"):
            pages.append("./" if rel == "index.html" else rel.removesuffix("index.html"))
        else:
            files.append(rel)
    return {"pages": pages, "files": files}


def _file_of(site: Path, entry: str) -> Path:
    return site / (entry + "index.html" if entry.endswith("/") or entry == "./" else entry)


def version(site: Path, kept: dict) -> str:
    digest = hashlib.sha256(json.dumps(kept, sort_keys=True).encode())
    for entry in kept["pages"] + kept["files"]:
        digest.update(_file_of(site, entry).read_bytes())
    return digest.hexdigest()[:16]


def write(site: Path) -> dict:
    """Write ``offline.json`` and stamp ``sw.js``; returns the list."""
    site = Path(site)
    worker = site / WORKER_NAME
    if not worker.is_file():
        raise OfflineError(f"{worker} is missing: docs/{WORKER_NAME} is the service worker the build stamps")
    info_path = site / "build-info.json"
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
    kept = listing(site)
    on = enabled()
    config = {
        "version": version(site, kept) if on else "off",
        "enabled": on,
        "built_on": info.get("built_on", ""),
        "rules_version_short": info.get("rules_version_short", ""),
        "snapshot": _snapshot(site),
    }
    text = worker.read_text(encoding="utf-8")
    if len(CONFIG_LINE.findall(text)) != 1:
        raise OfflineError(f"{worker} must hold exactly one line 'const CONFIG = {{...}};' for the build to stamp")
    worker.write_text(CONFIG_LINE.sub(lambda _: f"const CONFIG = {json.dumps(config)};", text), encoding="utf-8")
    (site / LIST_NAME).write_text(json.dumps({**kept, "version": config["version"]}, indent=1) + "\n",
                                  encoding="utf-8")
    return kept


def size(site: Path) -> dict[str, int]:
    """What installing the worker costs: files, bytes stored (decoded), bytes on the wire (brotli where written)."""
    kept = json.loads((Path(site) / LIST_NAME).read_text(encoding="utf-8"))
    report = {}
    for part in ("pages", "files"):
        stored = wire = 0
        for entry in kept[part]:
            path = _file_of(Path(site), entry)
            stored += path.stat().st_size
            br = path.with_name(path.name + ".br")
            wire += br.stat().st_size if br.is_file() else path.stat().st_size
        report.update({f"{part}": len(kept[part]), f"{part}_stored": stored, f"{part}_wire": wire})
    return report


if __name__ == "__main__":  # pragma: no cover - a report for people
    print(size(Path(sys.argv[1] if len(sys.argv) > 1 else "site")))
