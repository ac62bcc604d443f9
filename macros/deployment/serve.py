"""Serve the built site like the intranet server should: ``python -m macros.deployment.serve [--port 8000] [site]``.

Used by ``make serve`` and by the browser tests, so both see the same headers. They come
from ``macros/deployment/headers.py``, the list the shipped nginx, Apache and IIS configs are generated
from (``python -m macros.deployment.server_configs``):
- the MIME types Pyodide needs (``.wasm`` as application/wasm, ``.mjs`` as text/javascript);
- a strict Content-Security-Policy: scripts, workers and connections from this site only
  (``'wasm-unsafe-eval'`` lets WebAssembly compile; nothing allows inline scripts);
- long caching for content-hashed calculator files, revalidation for everything else;
- the site's own ``404.html`` (status 404) for a missing page, and no directory listings.

``--prefix /procedures/`` serves the site from that sub-folder, as an intranet server would
(the site built with ``SITE_URL=http://127.0.0.1:8000/procedures/``); ``make serve
SITE_URL=...`` passes the folder of ``SITE_URL``. Anything outside the folder is not found,
so a link that escapes it shows up at once.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from macros.deployment import headers


class Handler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path):
        return headers.mime_type(str(path)) or super().guess_type(path)

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def end_headers(self):
        for name, value in headers.SECURITY_HEADERS.items():
            self.send_header(name, value)
        ok = getattr(self, "_status", 200) < 400
        fresh = ok and not getattr(self, "_preview", False)
        self.send_header("Cache-Control", headers.cache_control(self.path) if fresh else headers.CACHE_REVALIDATE)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / headers.NOT_FOUND_PAGE.lstrip("/")
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):  # preview on save (``--watch``): the reload script, its status, the error page
        preview = getattr(self.server, "preview", None)
        path = unquote(self.path.split("?", 1)[0])
        if preview is not None and path.startswith(self.server.prefix):
            from macros.deployment.preview import answer
            rel = path[len(self.server.prefix):]
            query = self.path.split("?", 1)[1] if "?" in self.path else ""
            found = answer(preview, rel, Path(self.translate_path(self.path)), self.server.prefix, query)
            if found is not None:
                code, kind, body = found
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self._preview = True
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass              # a page reloaded while its status request waited: nothing to answer
                return
        super().do_GET()

    def send_head(self):  # hidden files (.htaccess, .git) are never served, as in the shipped configs
        path = unquote(self.path.split("?", 1)[0])
        if any(part.startswith(".") for part in path.split("/")):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        prefix = self.server.prefix
        if not path.startswith(prefix):
            if path == prefix.rstrip("/"):          # /procedures -> /procedures/
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", prefix)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def translate_path(self, path):  # the site's files are under the prefix
        prefix = self.server.prefix
        if path.startswith(prefix):
            path = "/" + path[len(prefix):]
        return super().translate_path(path)

    def list_directory(self, path):  # like nginx and Apache as configured: no listings
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def log_message(self, format, *args):  # quiet unless asked
        if self.server.verbose:
            super().log_message(format, *args)


def prefix_of(value: str | None) -> str:
    """The folder a site is served from, ``/`` or ``/a/b/``: from ``--prefix`` or the path of a SITE_URL."""
    path = urlsplit(value or "/").path or "/"
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False, prefix: str = "/",
                preview=None):
    """``preview``: a started :class:`macros.deployment.preview.Preview` (``--watch``), or None."""
    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose
    server.prefix = prefix_of(prefix)
    server.preview = preview
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefix", default=os.environ.get("SITE_URL") or "/",
                        help="the sub-folder to serve the site from, such as /procedures/ "
                             "(default: the folder of $SITE_URL, else /)")
    parser.add_argument("--watch", metavar="RULES_DIR",
                        help="preview on save: rebuild when a file in RULES_DIR changes, reload the open page, "
                             "show the check's message instead of a stale site (macros/deployment/preview.py)")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"{site}/index.html not found: run `make build` first.", file=sys.stderr)
        return 2
    preview = None
    if args.watch:
        from macros.deployment.preview import Preview
        preview = Preview(Path(args.watch), site).start()
        print(f"Watching {args.watch}/: a saved procedure's page is rendered at once and the open page reloads; "
              "the rest of the site is rebuilt in the background (macros/deployment/preview.py)")
    server = make_server(site, args.host, args.port, verbose=True, prefix=args.prefix, preview=preview)
    print(f"Serving {site} at http://{args.host}:{args.port}{server.prefix} (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
