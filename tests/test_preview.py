"""Preview on save (macros/deployment/preview.py): a served site follows rules/ edits, and a broken edit shows the check's message.

(tests/test_preview_fast.py: the page rendered from memory against the full build's.)

One real server on a copy of rules/ and a site built in tmp_path (the full build, as
`make build`), edited as an owner edits: save a paragraph, read the page again; save a
broken file, read the page again.
"""
from __future__ import annotations

import json
import time
import urllib.request

from previewing import OLD, PAGE, served_preview

from macros.deployment.preview import SCRIPT, STATUS


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def shown_within(url, words, limit=900):
    """The page at ``url`` once it holds ``words`` (the preview answers a save by itself)."""
    end = time.monotonic() + limit
    while words not in (page := get(url)):
        assert time.monotonic() < end, f"{url} never showed {words!r}"
        time.sleep(0.2)
    return page


def settled(preview, limit=900):
    end = time.monotonic() + limit
    while preview.status()["updating"]:
        assert time.monotonic() < end, "the background build never finished"
        time.sleep(0.2)


def test_a_saved_edit_shows_on_the_page_and_a_broken_one_shows_the_checks_message(tmp_path, monkeypatch):
    with served_preview(tmp_path, monkeypatch) as (rules, site, preview, base):
        index = get(base)
        assert f'src="/{SCRIPT}"' in index and 'class="preview-updating" role="status" hidden' in index
        version, preview.long_poll = preview.status()["version"], 1.5
        started = time.monotonic()       # the status is a long poll: it answers when something changes
        assert json.loads(get(base + f"{STATUS}?version={version}&updating=0"))["version"] == version
        assert time.monotonic() - started > 1
        page = next(p for p in site.rglob("index.html") if OLD in p.read_text(encoding="utf-8"))
        url = base + str(page.parent.relative_to(site)) + "/"
        assert "Preview edit" not in get(url)
        path = rules / PAGE
        path.write_text(path.read_text(encoding="utf-8").replace(OLD, "Preview edit: " + OLD), encoding="utf-8")
        shown_within(url, "Preview edit: ")
        settled(preview)
        assert "Preview edit: " in get(url) and preview.status()["error"] is None
        path.write_text(path.read_text(encoding="utf-8").replace("Preview edit: ", "Call 45 working days. "),
                        encoding="utf-8")
        shown = shown_within(url, "rules/ has a problem")
        assert "typed timescale &#39;45 working days&#39;" in shown
        assert "referrals-and-assessment.yaml" in shown
