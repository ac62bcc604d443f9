"""The Content-Security-Policy as a <meta> on every page, for a server that sends no headers (issue 20).

The policy is the header's (macros/deployment/headers.py, one list of directives) less
``frame-ancestors``, which a browser ignores in a <meta> (Chromium says so in the console):
framing is refused only by the header and X-Frame-Options. Served by a plain file server that
sends no security header at all, the policy still blocks an inline script, and the deadline
calculator still answers under it.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from macros.deployment import headers as h

from .deadlineform import ask, wait_answer

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def test_the_meta_policy_is_the_header_policy_without_frame_ancestors():
    header = [d.strip() for d in h.CSP.split(";")]
    meta = [d.strip() for d in h.CSP_META.split(";")]
    assert meta == [d for d in header if not d.startswith("frame-ancestors ")]
    assert any(d.startswith("frame-ancestors ") for d in header)


def test_every_built_page_carries_the_policy_before_any_script_or_stylesheet(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = META.findall(html)
        assert found == [h.CSP_META.replace("'", "&#39;")] or found == [h.CSP_META], f"{path}: {found}"
        at = META.search(html).start()
        first_script = html.find("<script")
        first_style = html.find('rel="stylesheet"')
        assert first_script == -1 or at < first_script, f"{path}: a script comes before the policy"
        assert first_style == -1 or at < first_style, f"{path}: a stylesheet comes before the policy"
        assert '<meta name="referrer" content="no-referrer">' in html, path


class NoHeaders(http.server.SimpleHTTPRequestHandler):
    """A server that sends the files and their types, and no security header."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def bare_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(NoHeaders, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_without_the_header_the_meta_policy_blocks_inline_script_and_the_calculator_answers(bare_url, make_context):
    page = make_context().new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    response = page.goto(bare_url + "calculators/deadlines/")
    assert "content-security-policy" not in response.headers
    page.evaluate("""() => { window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective)); }""")
    # An inline script, as injected rule text would be: refused by the <meta> policy.
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
        document.body.append(s); }""")
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("() => window.__ran") is None
    assert page.evaluate("() => window.__violations") == ["script-src-elem"]
    ask(page, "dudley", "referral", 23, 12, 2026)
    wait_answer(page, "2026-12-23", timeout=90000)
    ignored = [m for m in console if "frame-ancestors" in m]
    assert not ignored, ignored
