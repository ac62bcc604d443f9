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
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

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


def nginx_config(site: Path, tmp: Path, port: int) -> str:
    return f"""daemon off;
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
        include {DEPLOY / 'nginx.conf'};
    }}
}}
"""


def apache_config(site: Path, tmp: Path, port: int) -> str:
    modules = ["mpm_event", "authz_core", "mime", "dir", "headers", "deflate", "filter"]
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
    AllowOverride All
    Require all granted
</Directory>
"""


@contextlib.contextmanager
def running(kind: str, site: Path, tmp: Path):
    """Serve ``site`` with ``kind`` ('nginx' or 'apache') and the shipped config; yields the base URL."""
    site, tmp = Path(site).resolve(), Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    if kind == "nginx":
        if not Path(NGINX).exists():
            pytest.fail("Debian's nginx is needed: run `make setup` (apt-get install nginx)")
        conf = tmp / "nginx.conf"
        conf.write_text(nginx_config(site, tmp, port))
        cmd = [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
    else:
        if not Path(APACHE).exists():
            pytest.fail("Debian's apache2 is needed: run `make setup` (apt-get install apache2)")
        htaccess = site / ".htaccess"
        if not htaccess.exists() or htaccess.read_bytes() != (DEPLOY / "apache.htaccess").read_bytes():
            shutil.copyfile(DEPLOY / "apache.htaccess", htaccess)
        conf = tmp / "apache.conf"
        conf.write_text(apache_config(site, tmp, port))
        cmd = [APACHE, "-f", str(conf), "-DFOREGROUND"]
    check = subprocess.run(cmd + (["-t"]), capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"{kind} rejects the config:\n{check.stdout}{check.stderr}"
    log = open(tmp / f"{kind}.out", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"{kind} did not start:\n{(tmp / f'{kind}.out').read_text()}"
                            f"{(tmp / 'error.log').read_text() if (tmp / 'error.log').exists() else ''}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def get(url: str, gzip_ok: bool = True, method: str = "GET") -> Response:
    req = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())
