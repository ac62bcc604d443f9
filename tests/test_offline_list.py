"""macros/deployment/offline.py: the service worker's list and stamp, on a small built-site tree."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.deployment import headers, offline

REPO = Path(__file__).resolve().parents[1]


def make_site(root: Path) -> Path:
    files = {
        "index.html": "<h1>home</h1>", "404.html": "missing", "coventry/index.html": "<h1>c</h1>",
        "coventry/index.html.br": "x", "coventry/index.html.gz": "x", "feed.xml": "<feed/>",
        "build-info.json": json.dumps({"built_on": "1 January 2026", "rules_version_short": "1a2b3c4d"}),
        "assets/calculator/manifest.json": json.dumps({"snapshot": {"url": "assets/calculator/snapshot-ab.bin"}}),
        "assets/calculator/snapshot-ab.bin": "big", "assets/calculator/bundle-cd.json": "{}",
        "pagefind/index/en_1.pf_index": "i", "sw.js": (REPO / "docs" / "sw.js").read_text(encoding="utf-8"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def config(site: Path) -> dict:
    line = re.search(r"^const CONFIG = (\{.*\});$", (site / "sw.js").read_text(encoding="utf-8"), re.M)
    return json.loads(line.group(1))


def test_the_list_holds_pages_and_files_but_no_copies_snapshot_or_itself(tmp_path):
    site = make_site(tmp_path)
    kept = offline.write(site)
    assert kept["pages"] == ["404.html", "coventry/", "./"]
    assert kept["files"] == ["assets/calculator/bundle-cd.json", "assets/calculator/manifest.json",
                             "build-info.json", "pagefind/index/en_1.pf_index"]
    stamp = config(site)
    assert stamp["enabled"] is True and stamp["snapshot"] == "assets/calculator/snapshot-ab.bin"
    assert (stamp["built_on"], stamp["rules_version_short"]) == ("1 January 2026", "1a2b3c4d")
    assert json.loads((site / "offline.json").read_text())["version"] == stamp["version"]
    assert offline.size(site)["pages"] == 3


def test_a_changed_file_changes_the_version_and_the_stamp_can_be_redone(tmp_path):
    site = make_site(tmp_path)
    offline.write(site)
    before = config(site)["version"]
    offline.write(site)
    assert config(site)["version"] == before                     # same build, same version
    (site / "coventry" / "index.html").write_text("<h1>changed</h1>", encoding="utf-8")
    offline.write(site)
    assert config(site)["version"] != before


def test_site_offline_0_builds_the_off_switch(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_OFFLINE", "0")
    site = make_site(tmp_path)
    offline.write(site)
    assert config(site)["enabled"] is False


def test_a_worker_without_its_config_line_is_refused(tmp_path):
    site = make_site(tmp_path)
    (site / "sw.js").write_text("self.addEventListener('fetch', () => {});\n", encoding="utf-8")
    with pytest.raises(offline.OfflineError, match="const CONFIG"):
        offline.write(site)


def test_the_worker_and_its_list_are_revalidated():
    for path in ("/sw.js", "/offline.json", "/procedures/sw.js"):
        assert headers.cache_control(path) == headers.CACHE_REVALIDATE
