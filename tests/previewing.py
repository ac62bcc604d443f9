"""A procedure owner's preview, for the preview tests: a copy of rules/, its site built in tmp_path
(the full build, as `make build`), the preview watching the copy and a server in front of it."""
from __future__ import annotations

import contextlib
import threading
import time

from importfixtures import rules_copy

from macros.deployment.preview import Preview
from macros.deployment.serve import make_server

PAGE = "procedures/dudley/referrals-and-assessment.yaml"
OLD = "Children's Social Care must accept a referral for Initial Assessment"


@contextlib.contextmanager
def served_preview(tmp_path, monkeypatch, prepared: bool = False):
    """``(rules, site, preview, base url)``; ``prepared``: once the in-memory build state the fast
    page needs is ready too (otherwise a first save may go to the full build)."""
    monkeypatch.setenv("CALCULATOR_SNAPSHOT", "0")
    rules = rules_copy(tmp_path)
    site = tmp_path / "site"
    preview = Preview(rules, site)
    preview.rebuild()
    assert preview.status()["error"] is None, preview.status()["error"]
    preview.start()
    end = time.monotonic() + 900
    while prepared and preview.renderer is None:
        assert time.monotonic() < end, "the in-memory build state was never prepared"
        time.sleep(0.2)
    server = make_server(site, port=0, preview=preview)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield rules, site, preview, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        preview.close()
        server.shutdown()
