"""The HTTP headers, MIME types, compression and caching the site needs: one list for every server.

``macros.deployment.serve`` (the dev server, ``make serve``, the browser tests) sends exactly these, and
``python -m macros.deployment.server_configs`` writes them into ``deploy/nginx.conf``, ``deploy/apache.htaccess``
and ``deploy/web.config`` (IIS). Change a value here, run ``python -m macros.deployment.server_configs``, commit
both: ``tests/test_deploy.py`` fails while the committed files differ from the generator's.

Why each one matters:

* ``.mjs`` must be ``text/javascript``: the calculators run in a *module* Web Worker, and a
  browser refuses to start one from ``application/octet-stream`` (what Debian's stock nginx
  ``mime.types`` sends for ``.mjs``). ``.wasm`` must be ``application/wasm`` for streaming
  compilation.
* The Content-Security-Policy allows scripts, workers and connections from the site only;
  ``'wasm-unsafe-eval'`` lets WebAssembly (Pyodide) compile; nothing allows inline scripts. Every
  page also carries it as a ``<meta>`` (``CSP_META``: all but ``frame-ancestors``, which a browser
  ignores there), with ``<meta name="referrer" content="no-referrer">``, for servers that send no headers.
* Calculator and Pyodide files are content-hashed or versioned in their path, so they can be
  cached for a year; pages and ``manifest.json`` (which names the hashed files) are revalidated.
"""
from __future__ import annotations

# -- security headers -------------------------------------------------------------------------
FRAME_ANCESTORS = "'self'"          # only the intranet itself may frame the site

CSP_DIRECTIVES: tuple[str, ...] = (
    "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'",
    "connect-src 'self'", "img-src 'self' data:", "style-src 'self' 'unsafe-inline'", "font-src 'self'",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", f"frame-ancestors {FRAME_ANCESTORS}",
)
CSP = "; ".join(CSP_DIRECTIVES)

# The same policy in every page's <meta http-equiv="Content-Security-Policy"> (docs/overrides/main.html,
# macros/site/templates/redirect.html), for a server that cannot send the header. A browser ignores
# frame-ancestors (and says so in the console) in a <meta> policy, so it is left out there: only the
# header and X-Frame-Options keep the site out of other sites' frames.
META_IGNORED_DIRECTIVES = ("frame-ancestors", "report-uri", "sandbox")
CSP_META = "; ".join(d for d in CSP_DIRECTIVES if d.split(" ", 1)[0] not in META_IGNORED_DIRECTIVES)

NOSNIFF = "nosniff"
REFERRER_POLICY = "no-referrer"
FRAME_OPTIONS = "SAMEORIGIN"        # frame-ancestors for browsers that predate CSP level 2

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": NOSNIFF,
    "Referrer-Policy": REFERRER_POLICY,
    "X-Frame-Options": FRAME_OPTIONS,
}

# -- MIME types -------------------------------------------------------------------------------
# Every kind of file the built site holds (tests/test_deploy.py checks the real build against
# this list), so each server config is complete on its own and does not depend on the
# server's own mime.types.
MIME_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".bin": "application/octet-stream",
    ".ics": "text/calendar",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    # Pagefind's search index (macros/site/search.py): binary chunks it fetches on demand, already
    # gzip-compressed by Pagefind (so not in the compressed types below).
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
}

# The extensions every server must get right for the calculators (checked in each config's test).
REQUIRED_TYPES = (".mjs", ".wasm", ".json", ".zip", ".ics")

# -- compression ------------------------------------------------------------------------------
# Compressed on the fly by the server: text, JavaScript, JSON and WebAssembly compress well
# (pyodide.asm.wasm: about 3x). Images, zips and the Pagefind chunks (already gzip) are not.
COMPRESSIBLE_TYPES: tuple[str, ...] = (
    "text/html", "text/css", "text/javascript", "text/plain", "text/calendar",
    "application/json", "application/xml", "application/wasm", "image/svg+xml",
)

# Compressed at build time, as name.br and name.gz (macros/deployment/precompress.py), which the
# servers send when the browser accepts them: the types above, and the calculators' zips (stored
# uncompressed for this: python's library 3.3 MB -> 0.62 MB brotli, 0.80 MB gzip) and memory
# snapshot. A file that does not shrink gets no copy (a deflated zip, Pagefind's chunks).
PRECOMPRESSED_TYPES: tuple[str, ...] = (*COMPRESSIBLE_TYPES, "application/zip", "application/octet-stream")
# A pre-compressed copy is written only when it saves at least this fraction of the file.
PRECOMPRESS_MIN_SAVING = 0.05
# The copies' suffixes and their Content-Encoding. A copy has the type of the file it compresses
# (``mime_type("x.js.br") == mime_type("x.js")``), and is sent in its place, never asked for by name.
ENCODINGS: dict[str, str] = {".br": "br", ".gz": "gzip"}

# Below this many bytes compressing costs more than it saves.
COMPRESS_MIN_BYTES = 1024

# -- caching ----------------------------------------------------------------------------------
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"

# Paths (from the site root) whose files never change once published: the calculator files
# carry a content hash in their name, Pyodide a version in its path.
IMMUTABLE_PREFIXES: tuple[str, ...] = ("/assets/calculator/", "/assets/pyodide/")
# ...except these, which name the hashed files and so must be revalidated.
REVALIDATE_PATHS: tuple[str, ...] = ("/assets/calculator/manifest.json",)

# -- errors -----------------------------------------------------------------------------------
NOT_FOUND_PAGE = "/404.html"        # Material builds it; served with status 404


def cache_control(path: str) -> str:
    """The Cache-Control for a URL path (query and fragment ignored)."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if any(path.endswith(p) for p in REVALIDATE_PATHS):
        return CACHE_REVALIDATE
    if any(p in path for p in IMMUTABLE_PREFIXES):
        return CACHE_IMMUTABLE
    return CACHE_REVALIDATE


def mime_type(path: str) -> str | None:
    """The Content-Type for a file name, or None when the site has no such kind of file."""
    name = path.rsplit("/", 1)[-1]
    for suffix in ENCODINGS:
        if name.endswith(suffix) and name.count(".") > 1:
            name = name[: -len(suffix)]          # a pre-compressed copy: the type of what it compresses
    dot = name.rfind(".")
    return MIME_TYPES.get(name[dot:].lower()) if dot >= 0 else None
