"""The blocks' Markdown converted by a second process (macros/site/markdown_worker.py) while the
build renders the theme: the site is the same either way, and a worker that stops leaves the
build to convert the Markdown itself."""
from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from macros.site import blocks
from macros.site.markdown_worker import Worker, WorkerGone
from tests.sitebuild import mkdocs_build

REPO = Path(__file__).resolve().parent.parent


def test_the_worker_converts_as_the_build_itself_would():
    names, configs = blocks.extensions(["attr_list", "md_in_html", "admonition", "tables", "toc"], {})
    texts = ["A **child** in need (see [1.2](referrals.md#pbo-1-2)).", "- one\n- two", "| a |\n|---|\n| b |",
             '<abbr title="Initial child protection conference">ICPC</abbr> within 15 working days']
    here = blocks.converter(["attr_list", "md_in_html", "admonition", "tables", "toc"], {})
    worker = Worker.start(names, configs)
    try:
        worker.submit(texts)
        worker.submit(texts[:1])
        assert worker.result() == [here(t) for t in texts]
        assert worker.result() == [here(texts[0])]
    finally:
        worker.close()


def test_a_worker_that_stopped_is_reported_not_waited_for():
    worker = Worker.start(["tables"], {})
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(WorkerGone):
        worker.submit(["text"])
        worker.result()
    worker.close()


def test_the_site_built_with_the_worker_is_the_site_built_without(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    monkeypatch.setenv("CALCULATOR_SNAPSHOT", "0")
    sites = {}
    for setting in ("0", "1"):
        monkeypatch.setenv("PROCEDURES_MARKDOWN_WORKER", setting)
        run = mkdocs_build(tmp_path / setting)
        assert run.returncode == 0, run.stderr[-3000:]
        sites[setting] = tmp_path / setting
    pages = sorted(p.relative_to(sites["0"]) for p in sites["0"].rglob("*.html"))
    assert len(pages) > 40
    different = [str(p) for p in pages if not filecmp.cmp(sites["0"] / p, sites["1"] / p, shallow=False)]
    assert different == []


def test_a_bad_worker_setting_stops_the_build_with_its_meaning(tmp_path, monkeypatch):
    monkeypatch.setenv("PROCEDURES_MARKDOWN_WORKER", "yes")
    run = mkdocs_build(tmp_path / "site")
    assert run.returncode != 0
    assert "PROCEDURES_MARKDOWN_WORKER must be 0 (never), 1 (always) or unset" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
