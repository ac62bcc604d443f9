"""Procedure pages in Chromium: the text first, the area named, Copy link, old links landing on the new place."""
from __future__ import annotations

import shutil
import threading

import pytest
from areas import each_area
from areas import rules as load_tree
from sitebuild import REPO, mkdocs_build


@each_area
def test_the_first_paragraph_of_every_procedure_page_is_on_the_first_screen_on_a_desktop(page, base_url, area):
    late = {}
    for p in load_tree().procedures.get(area, []):
        path = f"{area}/{p['id']}/"
        page.goto(base_url + path)
        y = page.eval_on_selector("article .proc-block", "e => e.getBoundingClientRect().top + scrollY")
        if y > 900 - 60:                            # 1280x900: the paragraph's first line is visible
            late[path] = round(y)
    assert not late, f"first paragraph below the first screen (y in CSS px): {late}"


@each_area
def test_every_procedure_page_names_its_area_in_the_title_the_heading_and_a_breadcrumb_on_a_phone(
        make_context, base_url, area):
    rules = load_tree()
    pg = make_context().new_page()
    pg.set_viewport_size({"width": 375, "height": 667})
    name = rules.areas[area]["name"]
    for p in rules.procedures.get(area, []):
        pg.goto(f"{base_url}{area}/{p['id']}/")
        assert pg.title().startswith(f"{name}: {p['title']}")
        assert pg.inner_text("article h1").startswith(f"{name}: ")
        crumb = pg.locator('nav[aria-label="Breadcrumb"]')
        assert crumb.is_visible()
        assert crumb.locator("a").all_inner_texts() == ["Home", name]
        assert crumb.locator('[aria-current="page"]').inner_text() == p["title"]


def test_copy_link_is_a_keyboard_button_that_copies_the_full_address_and_says_link_copied(make_context, base_url):
    ctx = make_context(permissions=["clipboard-read", "clipboard-write"])
    pg = ctx.new_page()
    pg.goto(base_url + "peterborough/referrals/")
    button = pg.locator('#pbo-3-6 > button.copy-link')
    assert button.inner_text().startswith("Copy link")
    button.focus()
    pg.keyboard.press("Enter")
    pg.wait_for_function("document.getElementById('copy-link-status').textContent === 'Link copied'")
    assert pg.get_attribute("#copy-link-status", "aria-live") == "polite"
    assert pg.evaluate("navigator.clipboard.readText()") == base_url + "peterborough/referrals/#pbo-3-6"
    assert pg.locator("article h2[id] button.copy-link").count() > 0


@pytest.fixture(scope="module")
def moved_base_url(tmp_path_factory):
    from macros.deployment.serve import make_server
    tmp = tmp_path_factory.mktemp("moved-browser")
    rules = tmp / "rules"
    shutil.copytree(REPO / "rules", rules)
    proc = rules / "procedures" / "peterborough" / "referrals.yaml"
    proc.write_text(proc.read_text().replace("- id: pbo-3-6\n", "- id: pbo-3-6x\n"))
    (rules / "moved-ids.yaml").write_text((rules / "moved-ids.yaml").read_text().replace("\n[]\n", (
        "\n- {id: pbo-3-6, moved_to: pbo-3-6x, date: 2027-01-15, reason: Renumbered.}\n"
        "- {id: peterborough/old-referrals, moved_to: peterborough/referrals, date: 2027-01-15, reason: Renamed.}\n")))
    run = mkdocs_build(tmp / "site", rules)
    assert run.returncode == 0, run.stderr
    server = make_server(tmp / "site", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_old_page_address_and_an_old_id_land_on_the_new_place_under_the_csp(page, moved_base_url):
    page.goto(moved_base_url + "peterborough/referrals/#pbo-3-6")
    page.wait_for_url("**/peterborough/referrals/#pbo-3-6x")
    page.goto(moved_base_url + "peterborough/old-referrals/#pbo-3-6")
    page.wait_for_url("**/peterborough/referrals/#pbo-3-6x")
    page.goto(moved_base_url + "peterborough/old-referrals/#pbo-3-5")
    page.wait_for_url("**/peterborough/referrals/#pbo-3-5")
