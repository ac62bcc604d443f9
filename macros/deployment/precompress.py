"""Pre-compressed copies of the built site's files: ``name.br`` (brotli, quality 11) and ``name.gz`` (gzip -9).

The server configs (``macros/deployment/server_configs.py``) send them in place of the file
to a browser that accepts the encoding: nginx with ``brotli_static`` (Debian's
``libnginx-mod-http-brotli-static``) and ``gzip_static``, Apache with mod_rewrite and mod_mime,
IIS with URL Rewrite. A server without them still compresses on the fly (gzip), as before.

Why at build time: brotli at quality 11 is 20-25 % smaller than gzip on the calculators'
runtime (pyodide.asm.wasm 9.6 MB -> 2.74 MB brotli / 3.59 MB gzip; the trimmed standard
library 3.3 MB -> 0.62 / 0.80 MB) but far too slow to run per request (about a minute for the
wasm on 2 cores). Brotli is Node's (``zlib.brotliCompress``; Node is already needed to build),
gzip Python's. Both are cached by content in ``build/precompressed/``, so a rebuild only
compresses what changed.

Which files: every file of a type in ``headers.PRECOMPRESSED_TYPES`` of at least
``headers.COMPRESS_MIN_BYTES``, and only when the copy saves at least
``headers.PRECOMPRESS_MIN_SAVING`` (Pagefind's index chunks, already gzip, are left alone).

    python -m macros.deployment.precompress SITE
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from macros.deployment import headers as h

REPO = Path(__file__).resolve().parents[2]
BROTLI_SCRIPT = """
const fs = require("node:fs"), zlib = require("node:zlib");
const jobs = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const C = zlib.constants;
Promise.all(jobs.map(([src, dst]) => new Promise((resolve, reject) => {
  const data = fs.readFileSync(src);
  zlib.brotliCompress(data, { params: { [C.BROTLI_PARAM_QUALITY]: 11, [C.BROTLI_PARAM_LGWIN]: 24,
                                        [C.BROTLI_PARAM_SIZE_HINT]: data.length } }, (err, out) => {
    if (err) return reject(err);
    fs.writeFileSync(dst + ".tmp", out);
    fs.renameSync(dst + ".tmp", dst);
    resolve();
  });
}))).catch((err) => { console.error(String(err)); process.exit(1); });
"""


def candidates(site: Path) -> list[Path]:
    """The files worth compressing: known compressible type, big enough, not a compressed copy."""
    out = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz") or path.stat().st_size < h.COMPRESS_MIN_BYTES:
            continue
        if h.mime_type(path.name) in h.PRECOMPRESSED_TYPES:
            out.append(path)
    return out


def _brotli(jobs: list[tuple[Path, Path]]) -> None:
    if not jobs:
        return
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed to pre-compress the site with brotli: run `make setup`")
    listing = jobs[0][1].parent / f"jobs-{os.getpid()}.json"
    listing.write_text(json.dumps([[str(a), str(b)] for a, b in jobs]), encoding="utf-8")
    try:
        run = subprocess.run([node, "-e", BROTLI_SCRIPT, str(listing)], capture_output=True, text=True,
                             timeout=1800)
    finally:
        listing.unlink(missing_ok=True)
    if run.returncode != 0:
        raise RuntimeError("brotli pre-compression failed:\n" + (run.stdout + run.stderr)[-2000:])


def precompress(site: Path, cache: Path | None = None) -> dict[str, int]:
    """Write ``.br`` and ``.gz`` beside each candidate; returns ``{"files", "br", "gz"}`` counts."""
    site = Path(site)
    cache = Path(cache or REPO / "build" / "precompressed")
    cache.mkdir(parents=True, exist_ok=True)
    files = candidates(site)
    keys = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    missing, seen = [], set()
    for path, key in keys.items():
        if not (cache / f"{key}.br").exists() and key not in seen:
            seen.add(key)
            missing.append((path, cache / f"{key}.br"))
    # Big files first, and in batches: Node compresses a batch in parallel (libuv's threads).
    missing.sort(key=lambda job: -job[0].stat().st_size)
    for start in range(0, len(missing), 64):
        _brotli(missing[start:start + 64])
    counts = {"files": len(files), "br": 0, "gz": 0}
    for path, key in keys.items():
        size = path.stat().st_size
        limit = size * (1 - h.PRECOMPRESS_MIN_SAVING)
        brotli = (cache / f"{key}.br").read_bytes()
        if len(brotli) <= limit:
            path.with_name(path.name + ".br").write_bytes(brotli)
            counts["br"] += 1
        gz_cached = cache / f"{key}.gz"
        if not gz_cached.exists():
            tmp = gz_cached.with_name(f"{key}.gz.{os.getpid()}.tmp")
            tmp.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
            tmp.replace(gz_cached)
        packed = gz_cached.read_bytes()
        if len(packed) <= limit:
            path.with_name(path.name + ".gz").write_bytes(packed)
            counts["gz"] += 1
    prune_cache(cache)
    return counts


def prune_cache(cache: Path, keep_bytes: int = 400_000_000) -> None:
    """Drop the oldest cached copies beyond ``keep_bytes`` (branches and fixture builds share it)."""
    entries = sorted(cache.glob("*.*"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for path in entries:
        total += path.stat().st_size
        if total > keep_bytes:
            path.unlink(missing_ok=True)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    print(precompress(Path(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
