"""Vendored files cleaned in the built site: no other host named in code, no source maps.

Material's bundle, its search worker and Pyodide's loader carry addresses of other hosts that
this site never uses (tests/browser count every request and none goes there), but a council's
security review greps the files for hosts. The build rewrites them here, as Pagefind's dummy
base is rewritten in :func:`macros.site.search.trim_pagefind`:

* Material's ``bundle.*.min.js``: loaders for a ResizeObserver polyfill and Mermaid from
  ``unpkg.com`` (every supported browser has ResizeObserver; the site has no Mermaid diagram:
  tests/test_site_build.py) and repository statistics from ``api.github.com`` (only with
  ``repo_url``, which the site does not set);
* Material's search worker: a console warning naming a short link (Material's lunr search is
  not the site's search; the worker stays because the theme references it);
* Pyodide's ``pyodide.mjs``: its default ``cdnUrl`` on ``cdn.jsdelivr.net``, used only without
  ``packageBaseUrl``, which the worker always sets (and it never loads a package).

Each address becomes a path on this site that does not exist (``__not-shipped__/``): were any
code path ever to use one, the browser would ask this site and get a 404, never another host.

Source maps (``*.map``) are deleted with the ``sourceMappingURL`` comments that point at them:
they hold the libraries' full sources (comments with more hosts) and nobody debugs the
intranet copy (the sources are in node_modules and the theme's package).

Licence banners keep their authors' addresses (Font Awesome's in Material's icons, clipboard.js
and lunr in comments): attribution is part of those licences. tests/test_site_build.py scans
every built file and allows only those, XML namespace names and the site's own address.
"""
from __future__ import annotations

import re
from pathlib import Path

NOT_SHIPPED = "./__not-shipped__/"

# (file glob under the site, regular expression, replacement)
REWRITES: tuple[tuple[str, str, str], ...] = (
    ("assets/javascripts/bundle.*.min.js", r"https://unpkg\.com/", NOT_SHIPPED),
    ("assets/javascripts/bundle.*.min.js", r"https://api\.github\.com/", NOT_SHIPPED),
    ("assets/javascripts/workers/search.*.min.js", r" \\u2013 see https://bit\.ly/\w+", ""),
    ("assets/pyodide/*/pyodide.mjs", r"https://cdn\.jsdelivr\.net/", NOT_SHIPPED),
)
SOURCE_MAP_COMMENT = re.compile(r"\n?(//[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)\s*$")
MAPPED = (".js", ".mjs", ".css")


def clean(site: Path) -> dict[str, int]:
    """Rewrite the vendored files and drop source maps in ``site``; returns counts for the log."""
    site = Path(site)
    counts = {"rewritten": 0, "maps": 0}
    for pattern, old, new in REWRITES:
        for path in site.glob(pattern):
            text = path.read_text(encoding="utf-8")
            changed, n = re.subn(old, new, text)
            if n:
                path.write_text(changed, encoding="utf-8")
                counts["rewritten"] += n
    for path in site.rglob("*.map"):
        path.unlink()
        counts["maps"] += 1
    for path in site.rglob("*"):
        if path.suffix in MAPPED and path.is_file():
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            stripped = SOURCE_MAP_COMMENT.sub("", text)
            if stripped != text:
                path.write_text(stripped + "\n", encoding="utf-8", errors="surrogateescape")
    return counts
