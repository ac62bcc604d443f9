"""The shipped configs in the real servers: Debian's nginx (deploy/nginx.conf) and Apache (deploy/apache.htaccess).

Each server runs in the foreground as root (``daemon off;`` / ``-DFOREGROUND``) on a free
127.0.0.1 port, with its pid, logs and temporary files in a temporary directory, from a small
wrapper config that includes the shipped file unchanged. ``make setup`` installs both servers
(apt). The helpers are shared with the browser smoke test (tests/browser/test_nginx_and_apache.py).
"""
from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from macros.deployment import headers as h
from macros.deployment import precompress

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
SERVERS = ("nginx", "apache")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Debian's libnginx-mod-http-brotli-static (make setup installs it): the shipped brotli snippet is
# included when the module is there, as docs/deploying.md tells a web team to do.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def nginx_config(site: Path, tmp: Path, port: int) -> str:
    brotli = BROTLI_MODULE.exists()
    load = f"load_module {BROTLI_MODULE};" if brotli else ""
    include = f"include {DEPLOY / 'nginx-brotli.conf'};" if brotli else ""
    return f"""{load}
daemon off;
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        {include}
        include {DEPLOY / 'nginx.conf'};
    }}
}}
"""


def apache_config(site: Path, tmp: Path, port: int) -> str:
    modules = ["mpm_event", "authz_core", "mime", "dir", "headers", "deflate", "filter", "rewrite"]
    loads = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules)
    return f"""ServerRoot {tmp}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {tmp}/apache.pid
DefaultRuntimeDir {tmp}
ErrorLog {tmp}/error.log
LogLevel warn
# No server-wide MIME types: the shipped .htaccess must name every type the site needs.
TypesConfig /dev/null
User nobody
Group nogroup
{loads}
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
DocumentRoot {site}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Files ".ht*">
    Require all denied
</Files>
<Directory {site}>
    Options SymLinksIfOwnerMatch
    AllowOverride All
    Require all granted
</Directory>
"""


@contextlib.contextmanager
def scratch_dir(prefix: str):
    """A temporary directory the servers' workers (``nobody`` for Apache) can read, under build/."""
    (REPO / "build").mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=REPO / "build"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def linked_copy(site: Path, target: Path) -> Path:
    """A copy of ``site`` made of hard links (instant; falls back to copying across file systems)."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(site, target, copy_function=link)
    for d in [target, *[p for p in target.rglob("*") if p.is_dir()]]:
        d.chmod(0o755)
    return target


@contextlib.contextmanager
def running(kind: str, site: Path, logs: dict | None = None):
    """Serve ``site`` with ``kind`` ('serve', 'nginx' or 'apache') and the shipped config; yields the base URL.

    For Apache the site is a hard-linked copy with deploy/apache.htaccess as its .htaccess, so
    the built site itself is never changed. For nginx, ``logs["access"]`` is set to the path of
    its access log (the combined format: request line, status, Referer, User-Agent)."""
    if kind == "serve":
        from macros.deployment.serve import make_server
        server = make_server(Path(site), "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()
        return
    with scratch_dir(f"{kind}-") as tmp:
        port = free_port()
        if kind == "nginx":
            if not Path(NGINX).exists():
                pytest.fail("Debian's nginx is needed: run `make setup` (apt-get install nginx)")
            conf = tmp / "nginx.conf"
            conf.write_text(nginx_config(Path(site).resolve(), tmp, port))
            if logs is not None:
                logs["access"] = tmp / "access.log"
            cmd = [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
        else:
            if not Path(APACHE).exists():
                pytest.fail("Debian's apache2 is needed: run `make setup` (apt-get install apache2)")
            copy = linked_copy(Path(site), tmp / "site")
            (copy / ".htaccess").unlink(missing_ok=True)
            shutil.copyfile(DEPLOY / "apache.htaccess", copy / ".htaccess")
            conf = tmp / "apache.conf"
            conf.write_text(apache_config(copy, tmp, port))
            cmd = [APACHE, "-f", str(conf), "-DFOREGROUND"]
        check = subprocess.run(cmd + ["-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, f"{kind} rejects the config:\n{check.stdout}{check.stderr}"
        out = tmp / f"{kind}.out"
        with open(out, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(OSError):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    error_log = tmp / "error.log"
                    pytest.fail(f"{kind} did not start:\n{out.read_text()}"
                                f"{error_log.read_text() if error_log.exists() else ''}")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
        warnings = [line for line in log.splitlines() if re.search(r"\[(\w+:)?(warn|crit|alert|emerg)\]", line)]
        assert not warnings, f"{kind} logged warnings: {warnings}"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def get(url: str, gzip_ok: bool = True, method: str = "GET", encodings: str | None = None) -> Response:
    accept = encodings or ("gzip" if gzip_ok else None)
    req = urllib.request.Request(url, method=method, headers={"Accept-Encoding": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


# -- the shipped configs, over HTTP, against a small site -----------------------------------------
NOT_FOUND = b"<!doctype html><title>Page not found</title><h1>Page not found</h1>" + b"<!-- padding -->" * 80
TEXT = ("export const answer = 42; // the calculators' glue, as long as a real module\n" * 60).encode()
WASM = b"\0asm\1\0\0\0" + bytes(range(256)) * 64


@pytest.fixture(scope="module")
def small_site():
    """One file of every kind the site has, where the real site has them."""
    with scratch_dir("small-site-") as root:
        files = {
            "index.html": b"<!doctype html><title>Home</title>" + TEXT,
            "404.html": NOT_FOUND,
            "area/page/index.html": b"<!doctype html><title>Page</title>" + TEXT,
            "assets/pyodide/1.0/pyodide.mjs": TEXT,
            "assets/pyodide/1.0/pyodide.asm.wasm": WASM,
            "assets/pyodide/1.0/deflated.zip": gzip.compress(bytes(range(256)) * 40),   # compresses no further
            "assets/calculator/stdlib-0123456789ab.zip": b"PK\3\4" + TEXT * 4,          # stored: compresses
            "pagefind/fragment/en_0123.pf_fragment": gzip.compress(TEXT),
            "assets/calculator/manifest.json": b'{"files": "' + b"x" * 2000 + b'"}',
            "assets/calculator/bundle-0123456789ab.json": b'{"rules": "' + b"y" * 2000 + b'"}',
            "assets/calculator/snapshot-0123456789ab.bin": gzip.compress(bytes(5000)),
            "javascripts/calculator/main.mjs": TEXT,
            "assets/stylesheets/main.css": b"body { color: black; }\n" * 100,
            "downloads/sample.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" * 50,
            ".htaccess": b"(a server config copied by mistake)",
            "empty-folder/.keep": b"",
        }
        for ext in h.MIME_TYPES:
            files.setdefault(f"types/file{ext}", b"x")
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.parent.chmod(0o755)
            path.write_bytes(data)
        precompress.precompress(root, cache=root.parent / f"{root.name}-cache")
        _small_site["root"] = root
        yield root
        shutil.rmtree(root.parent / f"{root.name}-cache", ignore_errors=True)


_small_site: dict = {}


def small_site_file(path: str) -> Path:
    file = _small_site["root"] / path
    return file / "index.html" if path.endswith("/") or not path else file


@pytest.fixture(scope="module", params=("serve", *SERVERS))
def server(request, small_site):
    with running(request.param, small_site) as url:
        yield request.param, url


def content_type(r: Response) -> str:
    return (r.headers.get("Content-Type") or "").split(";")[0].strip()


def body(r: Response) -> bytes:
    return gzip.decompress(r.body) if r.headers.get("Content-Encoding") == "gzip" else r.body


def test_every_kind_of_file_has_its_mime_type(server):
    kind, url = server
    for ext, mime in h.MIME_TYPES.items():
        r = get(url + f"types/file{ext}")
        assert (r.status, content_type(r)) == (200, mime), f"{kind}: file{ext}"
    for path in ("assets/pyodide/1.0/pyodide.mjs", "javascripts/calculator/main.mjs"):
        assert content_type(get(url + path)) == "text/javascript", f"{kind}: module workers need it"
    assert content_type(get(url + "assets/pyodide/1.0/pyodide.asm.wasm")) == "application/wasm"


def test_security_headers_on_pages_assets_and_errors(server):
    kind, url = server
    for path in ("", "area/page/", "assets/pyodide/1.0/pyodide.asm.wasm", "assets/calculator/manifest.json",
                 "no/such/page/", "assets/pyodide/1.0/missing.mjs"):
        r = get(url + path)
        for name, value in h.SECURITY_HEADERS.items():
            assert r.headers.get_all(name) == [value], f"{kind} /{path}: {name}"


@pytest.mark.parametrize("path, cache", [
    ("", h.CACHE_REVALIDATE),
    ("area/page/", h.CACHE_REVALIDATE),
    ("javascripts/calculator/main.mjs", h.CACHE_REVALIDATE),     # not content-hashed
    ("assets/pyodide/1.0/pyodide.mjs", h.CACHE_IMMUTABLE),
    ("assets/pyodide/1.0/pyodide.asm.wasm", h.CACHE_IMMUTABLE),
    ("assets/calculator/bundle-0123456789ab.json", h.CACHE_IMMUTABLE),
    ("assets/calculator/snapshot-0123456789ab.bin", h.CACHE_IMMUTABLE),
    ("assets/calculator/manifest.json", h.CACHE_REVALIDATE),     # names the hashed files
    ("no/such/page/", h.CACHE_REVALIDATE),
    ("assets/pyodide/1.0/missing.mjs", h.CACHE_REVALIDATE),      # a 404 is never cached for a year
])
def test_cache_control(server, path, cache):
    kind, url = server
    assert get(url + path).headers.get_all("Cache-Control") == [cache], f"{kind} /{path}"


def test_a_missing_page_gets_the_site_s_own_404_page(server):
    kind, url = server
    for path in ("no/such/page/", "assets/pyodide/1.0/missing.mjs"):
        r = get(url + path)
        assert (r.status, content_type(r), body(r)) == (404, "text/html", NOT_FOUND), f"{kind} /{path}"
    for path in (".htaccess", "empty-folder/"):     # never served, never listed: forbidden or not found
        r = get(url + path)
        assert r.status in (403, 404), f"{kind} /{path}: {r.status}"
        assert b"(a server config" not in body(r) and b"Index of" not in body(r) \
            and b"Directory listing" not in body(r), f"{kind} /{path}"


@pytest.mark.parametrize("path", ["", "assets/pyodide/1.0/pyodide.mjs", "assets/pyodide/1.0/pyodide.asm.wasm",
                                  "assets/calculator/bundle-0123456789ab.json", "assets/stylesheets/main.css",
                                  "downloads/sample.ics", "no/such/page/"])
def test_text_javascript_json_and_wasm_are_sent_gzipped(server, path):
    kind, url = server
    if kind == "serve":
        pytest.skip("the dev server does not compress")
    r = get(url + path)
    assert r.headers.get("Content-Encoding") == "gzip" or (kind == "apache" and r.status == 404), f"{kind} /{path}"
    assert "Accept-Encoding" in (r.headers.get("Vary") or "") or r.status == 404
    plain = get(url + path, gzip_ok=False)
    assert plain.headers.get("Content-Encoding") is None and body(r) == plain.body


@pytest.mark.parametrize("path", ["assets/pyodide/1.0/deflated.zip", "assets/calculator/snapshot-0123456789ab.bin",
                                  "pagefind/fragment/en_0123.pf_fragment"])
def test_already_compressed_files_are_sent_as_they_are(server, path):
    kind, url = server
    assert get(url + path, encodings="br, gzip").headers.get("Content-Encoding") is None, f"{kind} /{path}"


@pytest.mark.parametrize("path", ["assets/pyodide/1.0/pyodide.asm.wasm", "assets/calculator/stdlib-0123456789ab.zip",
                                  "area/page/", "assets/calculator/bundle-0123456789ab.json"])
def test_the_build_s_compressed_copies_are_sent_to_browsers_that_accept_them(server, path):
    """macros/deployment/precompress.py wrote name.br and name.gz (different bytes from what a server's
    own gzip would make): the servers send them, with the original's type, cache and security headers."""
    kind, url = server
    if kind == "serve":
        pytest.skip("the dev server does not compress")
    plain = get(url + path, gzip_ok=False)
    assert plain.headers.get("Content-Encoding") is None
    file = small_site_file(path)
    offered = [("gzip", ".gz")] + ([("br", ".br")] if kind != "nginx" or BROTLI_MODULE.exists() else [])
    for encoding, suffix in offered:
        r = get(url + path, encodings=encoding)
        assert r.headers.get("Content-Encoding") == encoding, f"{kind} /{path} {encoding}"
        assert r.body == file.with_name(file.name + suffix).read_bytes(), f"{kind} /{path}: not the build's copy"
        assert content_type(r) == content_type(plain), f"{kind} /{path} {encoding}"
        assert "Accept-Encoding" in (r.headers.get("Vary") or ""), f"{kind} /{path} {encoding}"
        assert r.headers.get_all("Cache-Control") == plain.headers.get_all("Cache-Control"), f"{kind} /{path}"
        for name, value in h.SECURITY_HEADERS.items():
            assert r.headers.get_all(name) == [value], f"{kind} /{path} {encoding}: {name}"
    r = get(url + path, encodings="br, gzip")
    assert r.headers.get("Content-Encoding") == offered[-1][0], f"{kind} /{path}: the smaller copy first"
