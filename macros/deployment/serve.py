"""Serve the built site like the intranet server should: ``python -m macros.deployment.serve [--port 8000] [site]``.

Used by ``make serve`` and by the browser tests, so both see the same headers. They come
from ``macros/deployment/headers.py``, the list the shipped nginx, Apache and IIS configs are generated
from (``python -m macros.deployment.server_configs``):
- the MIME types Pyodide needs (``.wasm`` as application/wasm, ``.mjs`` as text/javascript);
- a strict Content-Security-Policy: scripts, workers and connections from this site only
  (``'wasm-unsafe-eval'`` lets WebAssembly compile; nothing allows inline scripts);
- long caching for content-hashed calculator files, revalidation for everything else;
- the site's own ``404.html`` (status 404) for a missing page, and no directory listings.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote

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
        self.send_header("Cache-Control", headers.cache_control(self.path) if ok else headers.CACHE_REVALIDATE)
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

    def send_head(self):  # hidden files (.htaccess, .git) are never served, as in the shipped configs
        if any(part.startswith(".") for part in unquote(self.path.split("?", 1)[0]).split("/")):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def list_directory(self, path):  # like nginx and Apache as configured: no listings
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def log_message(self, format, *args):  # quiet unless asked
        if self.server.verbose:
            super().log_message(format, *args)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False):
    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"{site}/index.html not found: run `make build` first.", file=sys.stderr)
        return 2
    server = make_server(site, args.host, args.port, verbose=True)
    print(f"Serving {site} at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
