"""deploy/: generated from macros/deployment/headers.py, committed, and complete for each server.

The servers themselves run the configs in tests/test_deploy_servers.py (nginx, Apache) and in
tests/browser/test_nginx_and_apache.py (the calculators through them). IIS cannot run here:
its web.config is checked as XML, entry by entry.
"""
from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros.deployment import headers as h
from macros.deployment import server_configs as deploy

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


def test_the_committed_configs_are_what_the_generator_makes():
    for name, text in deploy.generate().items():
        committed = (DEPLOY / name).read_text(encoding="utf-8")
        assert committed == text, f"deploy/{name} is out of date: run `.venv/bin/python -m macros.deployment.server_configs` and commit"
    assert deploy.main(["--check"]) == 0


def test_check_mode_reports_a_stale_file_and_writes_nothing(tmp_path, capsys):
    assert deploy.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "nginx.conf").write_text("# edited by hand\n")
    assert deploy.main(["--check", "--out", str(tmp_path)]) == 1
    assert "nginx.conf" in capsys.readouterr().err
    assert (tmp_path / "nginx.conf").read_text() == "# edited by hand\n"


def test_the_calculators_types_are_the_ones_browsers_need():
    assert h.MIME_TYPES[".mjs"] == "text/javascript"     # module workers refuse application/octet-stream
    assert h.MIME_TYPES[".wasm"] == "application/wasm"   # streaming compilation
    assert {".json", ".zip", ".ics"} <= set(h.MIME_TYPES)
    assert set(h.REQUIRED_TYPES) <= set(h.MIME_TYPES)
    for mime in ("text/javascript", "application/json", "application/wasm", "text/css", "text/html"):
        assert mime in h.COMPRESSIBLE_TYPES
    assert "'wasm-unsafe-eval'" in h.CSP and "'unsafe-inline'" not in h.CSP.split("script-src")[1].split(";")[0]
    assert f"frame-ancestors {h.FRAME_ANCESTORS}" in h.CSP


@pytest.mark.parametrize("path, cache", [
    ("/", h.CACHE_REVALIDATE), ("/coventry/referrals/", h.CACHE_REVALIDATE),
    ("/assets/pyodide/314.0.8/pyodide.asm.wasm", h.CACHE_IMMUTABLE),
    ("/assets/calculator/tools-31c7c118b959.zip", h.CACHE_IMMUTABLE),
    ("/assets/calculator/manifest.json", h.CACHE_REVALIDATE),
    ("/assets/calculator/manifest.json?v=2", h.CACHE_REVALIDATE),
    ("/javascripts/calculator/worker.mjs", h.CACHE_REVALIDATE),
])
def test_cache_rules(path, cache):
    assert h.cache_control(path) == cache


@pytest.mark.slow
def test_every_file_the_site_holds_has_a_mime_type(built_site):
    missing = sorted({p.suffix for p in built_site.rglob("*") if p.is_file() and h.mime_type(p.name) is None})
    assert not missing, f"add these to macros/deployment/headers.py MIME_TYPES: {missing}"
    assert (built_site / h.NOT_FOUND_PAGE.lstrip("/")).is_file(), "Material builds 404.html"
    for prefix in h.IMMUTABLE_PREFIXES:
        assert (built_site / prefix.strip("/")).is_dir(), prefix
    for path in h.REVALIDATE_PATHS:
        assert (built_site / path.strip("/")).is_file(), path


# -- nginx ------------------------------------------------------------------------------------
def nginx_locations(text: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r"^location ([^{]+?) \{\n(.*?)^\}", text, re.M | re.S)}


def test_nginx_every_location_sends_every_security_header():
    # add_header in a location drops the server-level ones, so each location must repeat them
    text = (DEPLOY / "nginx.conf").read_text()
    locations = nginx_locations(text)
    assert {"/", "^~ /assets/calculator/", "^~ /assets/pyodide/", "= /assets/calculator/manifest.json"} <= set(locations)
    for where, block in locations.items():
        if "return 404" in block:
            continue
        for name, value in h.SECURITY_HEADERS.items():
            assert f'add_header {name} "{value}" always;' in block, f"location {where}: {name}"
        assert block.count("add_header Cache-Control") == 1
    assert 'add_header Cache-Control "public, max-age=31536000, immutable" always;' in locations["^~ /assets/pyodide/"]
    assert 'add_header Cache-Control "no-cache" always;' in locations["= /assets/calculator/manifest.json"]
    assert "error_page 404 /404.html;" in text


def test_nginx_types_and_gzip():
    text = (DEPLOY / "nginx.conf").read_text()
    types = re.search(r"^types \{\n(.*?)^\}", text, re.M | re.S)[1]
    declared = {ext: line.split()[0] for line in types.splitlines() for ext in line.rstrip(";").split()[1:]}
    assert declared == {ext.lstrip("."): mime for ext, mime in h.MIME_TYPES.items()}
    gzip_types = re.search(r"^gzip_types (.*);$", text, re.M)[1].split()
    assert set(gzip_types) == set(h.COMPRESSIBLE_TYPES) - {"text/html"}   # nginx always compresses text/html
    assert re.search(r"^gzip on;$", text, re.M)
    assert re.search(r"^gzip_static on;$", text, re.M)         # the build's name.gz copies, no module needed
    brotli = (DEPLOY / "nginx-brotli.conf").read_text()
    assert [x for x in brotli.splitlines() if x and not x.startswith("#")] == ["brotli_static on;"]
    assert "brotli" not in re.sub(r"#.*", "", text)              # nginx.conf works without the module


def test_a_compressed_copy_has_the_type_of_the_file_it_compresses():
    assert h.mime_type("assets/pyodide/1/pyodide.asm.wasm.br") == "application/wasm"
    assert h.mime_type("index.html.gz") == "text/html"
    assert h.mime_type("assets/calculator/stdlib-0123.zip.br") == "application/zip"
    assert h.mime_type("archive.gz") is None and h.mime_type(".br") is None
    assert set(h.COMPRESSIBLE_TYPES) <= set(h.PRECOMPRESSED_TYPES)


# -- Apache (also run for real in tests/test_deploy_servers.py) --------------------------------
def test_apache_htaccess_directives():
    text = (DEPLOY / "apache.htaccess").read_text()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    known = ("Options", "DirectoryIndex", "ErrorDocument", "AddType", "<IfModule", "</IfModule>",
             "AddOutputFilterByType", "Header", "AddEncoding", "RewriteEngine", "RewriteCond", "RewriteRule",
             "<FilesMatch", "</FilesMatch>")
    assert all(line.startswith(known) for line in lines), [x for x in lines if not x.startswith(known)]
    for ext, mime in h.MIME_TYPES.items():
        assert any(re.fullmatch(rf"AddType {re.escape(mime)}( \.\w+)*", x) and ext in x.split()[2:] for x in lines), ext
    assert f"AddOutputFilterByType DEFLATE {' '.join(h.COMPRESSIBLE_TYPES)}" in lines
    for name, value in h.SECURITY_HEADERS.items():
        assert f'Header always set {name} "{value}"' in lines
    assert f"ErrorDocument 404 {h.NOT_FOUND_PAGE}" in lines
    assert "Options -Indexes" in lines
    for ext, encoding in h.ENCODINGS.items():
        assert f"AddEncoding {encoding} {ext}" in lines
        assert f"RewriteCond %{{REQUEST_FILENAME}}{ext} -s" in lines


# -- IIS --------------------------------------------------------------------------------------
def test_iis_web_config_parses_and_holds_every_header_and_mime_type():
    root = ET.parse(DEPLOY / "web.config").getroot()
    assert root.tag == "configuration"
    web = root.find("system.webServer")
    maps = {m.get("fileExtension"): m.get("mimeType") for m in web.iterfind("staticContent/mimeMap")}
    assert maps == h.MIME_TYPES
    removed = {r.get("fileExtension") for r in web.iterfind("staticContent/remove")}
    assert removed == set(h.MIME_TYPES)          # IIS refuses a duplicate mimeMap: remove each first
    custom = {a.get("name"): a.get("value") for a in web.iterfind("httpProtocol/customHeaders/add")}
    assert custom == {**h.SECURITY_HEADERS, "Cache-Control": h.CACHE_REVALIDATE}
    compression = web.find("urlCompression")
    assert compression is not None and compression.get("doStaticCompression") == "true"
    error = web.find("httpErrors/error[@statusCode='404']")
    assert error.get("path") == h.NOT_FOUND_PAGE and error.get("responseMode") == "ExecuteURL"
    assert web.find("directoryBrowse").get("enabled") == "false"
    locations = {}
    for loc in root.iterfind("location"):
        adds = {a.get("name"): a.get("value") for a in loc.iterfind("system.webServer/httpProtocol/customHeaders/add")}
        assert [r.get("name") for r in loc.iterfind("system.webServer/httpProtocol/customHeaders/remove")] == ["Cache-Control"]
        locations[loc.get("path")] = adds["Cache-Control"]
    assert locations == {**{p.strip("/"): h.CACHE_IMMUTABLE for p in h.IMMUTABLE_PREFIXES},
                         **{p.strip("/"): h.CACHE_REVALIDATE for p in h.REVALIDATE_PATHS}}
    # httpCompression is server-level only in IIS: the file tells the administrator what to run
    comment = (DEPLOY / "web.config").read_text().split("-->", 1)[0]
    for mime in h.COMPRESSIBLE_TYPES:
        assert f"staticTypes.[mimeType='{mime}',enabled='true']" in comment


# -- the dev server ---------------------------------------------------------------------------
@pytest.mark.slow
def test_the_dev_server_answers_a_missing_page_with_the_site_s_404_page(built_site):
    from macros.deployment.serve import make_server
    server = make_server(built_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for path in ("/no/such/page/", "/assets/pyodide/no-such-file.mjs", "/assets/"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(base + path, timeout=10)
            assert err.value.code == 404
            assert err.value.read() == (built_site / "404.html").read_bytes()
            assert err.value.headers["Content-Type"] == "text/html"
            assert err.value.headers["Content-Security-Policy"] == h.CSP
            assert err.value.headers["Cache-Control"] == h.CACHE_REVALIDATE
        head = urllib.request.Request(base + "/no/such/page/", method="HEAD")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(head, timeout=10)
        assert err.value.code == 404 and err.value.read() == b""
    finally:
        server.shutdown()
        server.server_close()


def test_the_deploying_page_gives_the_headers_and_types_the_configs_send():
    page = (REPO / "docs" / "deploying.md").read_text(encoding="utf-8")
    for name, value in h.SECURITY_HEADERS.items():
        assert f"| `{name}` | `{value}` |" in page, name
    for ext in h.REQUIRED_TYPES:
        assert f"| `{ext}` | `{h.MIME_TYPES[ext]}` |" in page, ext
    for value in (h.CACHE_IMMUTABLE, h.CACHE_REVALIDATE, *h.IMMUTABLE_PREFIXES):
        assert value in page
    for name in deploy.FILES:
        assert f"deploy/{name}" in page


# -- a site in a sub-folder of another site (--prefix; run for real in tests/browser/test_sub_folder.py) --
def test_nginx_in_a_sub_folder_keeps_everything_inside_the_folder_s_location():
    text = deploy.nginx("/procedures/")
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert body[0] == "location ^~ /procedures/ {" and body[-1] == "}"
    assert all(line.startswith("    ") for line in body[1:-1]), "every directive is inside the folder's location"
    inner = "\n".join(line[4:] for line in body[1:-1]) + "\n"
    locations = nginx_locations(inner)
    assert set(locations) == {"~ /\\.", "^~ /procedures/assets/calculator/", "^~ /procedures/assets/pyodide/",
                              "= /procedures/assets/calculator/manifest.json"}
    for where, block in locations.items():
        if "return 404" in block:
            continue
        for name, value in h.SECURITY_HEADERS.items():
            assert f'add_header {name} "{value}" always;' in block, f"location {where}: {name}"
    outside = re.sub(r"^location .*?^\}\n", "", inner, flags=re.M | re.S)
    for name, value in h.SECURITY_HEADERS.items():       # the pages themselves
        assert f'add_header {name} "{value}" always;' in outside
    assert "error_page 404 /procedures/404.html;" in outside
    assert re.search(r"^types \{$", outside, re.M)


def test_apache_and_iis_in_a_sub_folder_serve_the_folder_s_404_page():
    apache = deploy.apache("/procedures/")
    assert "ErrorDocument 404 /procedures/404.html" in apache.splitlines()
    assert apache.replace("/procedures/404.html", "/404.html").split("Options -Indexes")[1] == \
        deploy.apache().split("Options -Indexes")[1], "only the 404 page's address differs from the root's"
    root = ET.fromstring(deploy.iis("/a/b/").split("?>", 1)[1])
    assert root.find("system.webServer/httpErrors/error[@statusCode='404']").get("path") == "/a/b/404.html"
    # <location path> is relative to the IIS application, so it is the same in a sub-folder.
    assert [loc.get("path") for loc in root.iterfind("location")] == \
        [loc.get("path") for loc in ET.parse(DEPLOY / "web.config").getroot().iterfind("location")]


def test_configs_for_a_sub_folder_need_a_place_to_go_and_never_overwrite_deploy(tmp_path, capsys):
    with pytest.raises(SystemExit):
        deploy.main(["--prefix", "/procedures/"])
    assert "give --out DIR" in capsys.readouterr().err
    assert deploy.main(["--prefix", "procedures", "--out", str(tmp_path)]) == 0
    assert "location ^~ /procedures/ {" in (tmp_path / "nginx.conf").read_text()
    assert deploy.main(["--check"]) == 0


def test_the_dev_server_serves_a_sub_folder_and_nothing_outside_it(tmp_path):
    from macros.deployment.serve import make_server
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "404.html").write_text("not found page")
    (tmp_path / "national").mkdir()
    (tmp_path / "national" / "index.html").write_text("national")
    server = make_server(tmp_path, "127.0.0.1", 0, prefix="/procedures/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        for path, body in (("/procedures/", b"home"), ("/procedures/national/", b"national")):
            with urllib.request.urlopen(base + path, timeout=10) as r:
                assert r.read() == body and r.headers["Content-Security-Policy"] == h.CSP
        for path in ("/", "/national/", "/procedures/no-such-page/", "/procedure/"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(base + path, timeout=10)
            assert err.value.code == 404 and err.value.read() == b"not found page", path
        with pytest.raises(urllib.error.HTTPError) as err:
            opener.open(base + "/procedures", timeout=10)
        assert err.value.code == 301 and err.value.headers["Location"] == "/procedures/"
    finally:
        server.shutdown()
        server.server_close()
