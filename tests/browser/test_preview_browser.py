"""Preview on save in Chromium: the open page reloads by itself with the saved words, says while the
rest of the site is rebuilt, and shows the check's problems for a broken save.

A procedure owner's afternoon, on a copy of rules/ and its site built in tmp_path: the page of
a Dudley procedure is open; they save a paragraph, then a mistake, then the fix. The page
is never reloaded by the test: only the preview's script (macros/deployment/preview_assets/reload.js)
does it, under the site's Content-Security-Policy. ``PREVIEW_SHOTS=folder`` keeps the
screenshots (the "updating" line and the problems page) for a person to look at.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from previewing import OLD, PAGE, served_preview

SHOWN = "w => document.body && document.body.innerText.includes(w)"


def shot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("PREVIEW_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{path} is nearly empty"
    return path


def test_the_open_page_follows_each_save(browser, tmp_path, monkeypatch):
    with served_preview(tmp_path, monkeypatch, prepared=True) as (rules, _site, preview, base):
        url = base + "dudley/referrals-and-assessment/"
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        path = rules / PAGE
        try:
            page.goto(url)
            assert page.locator(".preview-updating").is_hidden()
            # A saved paragraph: the page reloads by itself and shows it, the "updating" line with it.
            path.write_text(path.read_text(encoding="utf-8").replace(OLD, "Saved in the preview: " + OLD), encoding="utf-8")
            page.wait_for_function(SHOWN, arg="Saved in the preview: ", timeout=600_000)
            assert preview.status()["fast"] == ["dudley/referrals-and-assessment/"]
            line = page.locator(".preview-updating")
            if preview.status()["updating"]:
                line.wait_for(state="visible", timeout=10_000)
                assert "Updating: the rest of the site is being rebuilt" in line.inner_text()
                page.locator(".proc-block").first.scroll_into_view_if_needed()
                shot(page, tmp_path, "preview-updating.png")
                while preview.status()["updating"]:         # the line stays as long as the server says so
                    assert line.is_visible()
                    time.sleep(0.5)
            # The background build done: the page reloads once more, without the line.
            line.wait_for(state="hidden", timeout=600_000)
            page.wait_for_function(SHOWN, arg="Saved in the preview: ", timeout=60_000)
            # A broken save: the page shows the check's problem instead of the site.
            path.write_text(path.read_text(encoding="utf-8").replace("Saved in the preview: ", "Call 45 working days. "),
                            encoding="utf-8")
            page.wait_for_function(SHOWN, arg="rules/ has a problem", timeout=600_000)
            text = page.locator("main").inner_text()
            assert "typed timescale '45 working days'" in text and "referrals-and-assessment.yaml" in text
            assert "For example:" in text and "Saved in the preview" not in text
            shot(page, tmp_path, "preview-problem.png")
            # The fix: the page comes back by itself.
            path.write_text(path.read_text(encoding="utf-8").replace("Call 45 working days. ", ""), encoding="utf-8")
            page.wait_for_function(SHOWN, arg=OLD, timeout=600_000)
            assert "rules/ has a problem" not in page.locator("body").inner_text()
            assert errors == [], errors
        finally:
            context.close()
