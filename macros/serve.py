"""Serve the built site like the intranet server should: ``python -m macros.serve [--port 8000] [site]``.

Used by ``make serve`` and by the browser tests, so both see the same headers:
- the MIME types Pyodide needs (``.wasm`` as application/wasm, ``.mjs`` as text/javascript);
- a strict Content-Security-Policy: scripts, workers and connections from this site only
  (``'wasm-unsafe-eval'`` lets WebAssembly compile; nothing allows inline scripts);
- long caching for content-hashed calculator files, revalidation for everything else.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
       "connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".zip": "application/zip",
        ".ics": "text/calendar",
    }

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        immutable = "/assets/pyodide/" in self.path or "/assets/calculator/" in self.path and "manifest" not in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

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
