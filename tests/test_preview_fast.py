"""Preview on save, the fast path: the one page rendered from memory is the page the full build writes.

An owner saves a paragraph of a procedure; the preview checks only what changed
(macros/rules/incremental.py), renders that procedure's page from the build state it
keeps in memory (macros/deployment/preview_render.py) and rebuilds the rest in the
background (macros/deployment/preview.py). These tests do what the owner does, on a copy
of rules/ and a site built in tmp_path by the full build:

- the fast page equals the full build's page for the same edit, once what the full build
  legitimately writes differently everywhere (the build's time and rules version in the
  footer) is set aside;
- the scoped check gives what ``procedures check`` gives, for a good and a broken edit;
- an edit to anything but a procedure's text (areas, timescales, contacts, events, a
  procedure's title) is left to the full build;
- a broken edit shows the check's problems in every page, and the next good save clears it;
- saves in quick succession are one change.
"""
from __future__ import annotations

import difflib
import re
import time

import pytest
from importfixtures import rules_copy

from macros.deployment.preview import Preview, answer
from macros.rules import RulesInvalid, load_rules
from macros.rules.incremental import Incremental

PAGE = "procedures/dudley/referrals-and-assessment.yaml"
OLD = "Children's Social Care must accept a referral for Initial Assessment"
# What every full build writes anew on every page: when it was built (the footer, the print stamp)
# and the rules version; the fast page keeps the values of the state it was rendered from.
BUILD_STAMP = re.compile(r'datetime="\d{4}-\d\d-\d\dT[^"]*"|data-rules-version="[0-9a-f]+"|rules version <code>[0-9a-f]+</code>')


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} does not hold {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_of(site, rules_file: str):
    area, stem = rules_file.split("/")[1], rules_file.rsplit("/", 1)[1][:-5]
    return site / area / stem / "index.html"


def normalised(html: str) -> str:
    """The page without what every full build writes anew: the build's time and rules version."""
    return BUILD_STAMP.sub("", html)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of rules/, its site built in full, and the preview's in-memory build state prepared."""
    tmp = tmp_path_factory.mktemp("preview-fast")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CALCULATOR_SNAPSHOT", "0")
        rules = rules_copy(tmp)
        preview = Preview(rules, tmp / "site")
        preview.rebuild()
        assert preview.status()["error"] is None, preview.status()["error"]
        preview._prepare()
        assert preview.renderer is not None
        yield preview
        preview.close()


def test_the_page_rendered_from_memory_is_the_page_the_full_build_writes(built, tmp_path, monkeypatch):
    monkeypatch.setenv("CALCULATOR_SNAPSHOT", "0")
    preview = built
    before = page_of(preview.site, PAGE).read_text(encoding="utf-8")
    edit(preview.rules / PAGE, OLD, "Fast preview edit: " + OLD)
    try:
        rules = preview.checker.check()
        assert preview._fast(rules, {PAGE}) == ["dudley/referrals-and-assessment/"]
        fast = page_of(preview.site, PAGE).read_text(encoding="utf-8")
        assert "Fast preview edit: " + OLD in fast
        # The same edit, built in full into another folder.
        full_site = tmp_path / "site"
        other = Preview(preview.rules, full_site, fast=False)
        other.rebuild()
        assert other.status()["error"] is None, other.status()["error"]
        full = page_of(full_site, PAGE).read_text(encoding="utf-8")
        differences = "".join(difflib.unified_diff(normalised(full).splitlines(True), normalised(fast).splitlines(True),
                                                   "full build", "fast page", n=1))
        assert not differences, differences[:3000]
        assert len(BUILD_STAMP.findall(fast)) == len(BUILD_STAMP.findall(full)) >= 3
        assert normalised(before) != normalised(fast)         # the comparison sees the edit
    finally:
        edit(preview.rules / PAGE, "Fast preview edit: " + OLD, OLD)


def test_the_scoped_check_finds_what_procedures_check_finds(built):
    rules_dir = built.rules
    checker = Incremental(rules_dir)
    checker.check()
    edit(rules_dir / PAGE, OLD, "Call 45 working days. " + OLD)
    try:
        with pytest.raises(RulesInvalid) as scoped:
            checker.check()
        assert checker.files_read == 1
        with pytest.raises(RulesInvalid) as full:
            load_rules(rules_dir)
        assert scoped.value.report() == full.value.report()
        assert "typed timescale '45 working days'" in scoped.value.report()
    finally:
        edit(rules_dir / PAGE, "Call 45 working days. ", "")
    good = checker.check()
    assert checker.files_read == 1
    assert good.procedures == load_rules(rules_dir).procedures


@pytest.mark.parametrize("changed, old, new", [
    ("areas.yaml", "name: Dudley", "name: Dudley Borough"),
    ("timescales/dudley.yaml", "area: dudley", "area: dudley\n# a comment"),
    ("contacts/dudley.yaml", "area: dudley", "area: dudley\n# a comment"),
    ("events.yaml", "events:", "# a comment\nevents:"),
])
def test_an_edit_to_anything_but_a_procedure_is_left_to_the_full_build(built, changed, old, new):
    path = built.rules / changed
    original = path.read_text(encoding="utf-8")
    edit(path, old, new)
    try:
        rules = built.checker.check()
        assert built._fast(rules, {changed}) is None
        assert built._fast(rules, {changed, PAGE}) is None
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_changed_title_is_left_to_the_full_build(built):
    path = built.rules / PAGE
    original = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", original, re.M).group(1)
    edit(path, f"title: {title}", f"title: {title} (renamed)")
    try:
        assert built._fast(built.checker.check(), {PAGE}) is None      # the navigation changed
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_broken_edit_shows_the_checks_problems_in_every_page_and_the_fix_clears_them(built):
    preview = built
    site = preview.site
    page = page_of(site, PAGE)
    rel = page.parent.relative_to(site).as_posix() + "/"
    edit(preview.rules / PAGE, OLD, "Call 45 working days. " + OLD)
    try:
        preview.on_save({PAGE})
        status = preview.status()
        assert status["error"] and not status["updating"]
        problem = next(p for p in status["problems"] if "45 working days" in p["message"])
        assert problem["file"].endswith("referrals-and-assessment.yaml") and problem["line"] > 1
        assert problem["example"]
        for where in (rel, ""):
            code, kind, body = answer(preview, where, site / where, "/")
            shown = body.decode("utf-8")
            assert code == 200 and kind.startswith("text/html")
            assert "rules/ has a problem" in shown and "typed timescale &#39;45 working days&#39;" in shown
            assert f"line {problem['line']}" in shown and "referrals-and-assessment.yaml" in shown
            assert "For example:" in shown
    finally:
        edit(preview.rules / PAGE, "Call 45 working days. ", "")
    preview.on_save({PAGE})
    try:
        status = preview.status()
        assert status["error"] is None and status["fast"] == [rel] and status["updating"]
        shown = answer(preview, rel, site / rel, "/")[2].decode("utf-8")
        assert "rules/ has a problem" not in shown and OLD in shown
        # While the rest of the site is rebuilt, every page says so.
        assert re.search(r'<div class="preview-updating" role="status">Updating: the rest of the site', shown)
    finally:
        preview._cancel()


def test_saves_in_quick_succession_are_one_change(tmp_path):
    rules = tmp_path / "rules"
    (rules / "procedures" / "a").mkdir(parents=True)
    seen = []

    class Watching(Preview):
        def on_save(self, changed):
            seen.append(changed)

    preview = Watching(rules, tmp_path / "site", fast=False, interval=0.2).start()
    try:
        time.sleep(0.5)
        for n in range(5):                              # an editor's save, then four more, 0.1 s apart
            (rules / "procedures" / "a" / "x.yaml").write_text(f"id: x\n# {n}\n" + "x" * n)
            time.sleep(0.1)
        (rules / "areas.yaml").write_text("areas: []\n")
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        preview.close()
    assert seen == [{"procedures/a/x.yaml", "areas.yaml"}]


def test_a_save_cancels_the_background_build_and_builds_again(built):
    preview = built
    edit(preview.rules / PAGE, OLD, "Second edit: " + OLD)
    try:
        preview.on_save({PAGE})
        first, _ = preview._job
        assert preview.status()["updating"]
        started = time.monotonic()
        while first["process"] is None:                 # the build starts a moment after the fast page
            assert time.monotonic() - started < 60, "the background build never started"
            time.sleep(0.1)
        assert time.monotonic() - started > 1.0
        preview.on_save({PAGE})                         # saved again while the rest is rebuilt
        assert first["process"].poll() is not None and first["process"].returncode < 0
        assert preview._job is not None and preview.status()["updating"]
        done = time.monotonic() + 900
        while preview.status()["updating"]:
            assert time.monotonic() < done, "the background build never finished"
            time.sleep(0.2)
        assert preview.status()["error"] is None
        assert "Second edit: " in page_of(preview.site, PAGE).read_text(encoding="utf-8")
        assert not list(preview.site.parent.glob(f"{preview.site.name}.preview-next*"))
    finally:
        edit(preview.rules / PAGE, "Second edit: ", "")



def test_a_fix_the_fast_page_cannot_show_clears_the_problems_at_once(built):
    preview = built
    path = preview.rules / "timescales/dudley.yaml"
    original = path.read_text(encoding="utf-8")
    edit(path, "unit: working_days", "unit: workdays")
    try:
        preview.on_save({"timescales/dudley.yaml"})
        assert "workdays" in preview.status()["error"]
    finally:
        path.write_text(original, encoding="utf-8")
    preview.on_save({"timescales/dudley.yaml"})
    try:
        status = preview.status()
        assert status["error"] is None and status["updating"]      # the site as it was, and the line
        shown = answer(preview, "", preview.site, "/")[2].decode("utf-8")
        assert "rules/ has a problem" not in shown and 'class="preview-updating" role="status">' in shown
    finally:
        preview._cancel()
