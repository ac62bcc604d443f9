"""Links that never break: every published id still resolves in the built site, directly or by a
recorded move (rules/moved-ids.yaml), and a recorded move lands the old address on the new place."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sitebuild import REPO, mkdocs_build

from macros.rules import load_rules, moves
from macros.rules.published_ids import recorded_ids


def _ids_on(page: Path) -> set[str]:
    import re
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_every_published_paragraph_section_page_and_contact_still_resolves_in_the_built_site(built_site):
    rules = load_rules()
    moved = moves.resolve(rules, moves.entries(rules.root))
    pages: dict[Path, set[str]] = {}
    missing, checked = [], 0
    for line in sorted(recorded_ids()):
        kind, _, ident = line.partition(" ")
        if kind == "anchor":
            url = rules.anchors[ident].url if ident in rules.anchors else moved["fragments"].get(ident)
        elif kind == "page":
            url = f"{ident}/" if (built_site / ident / "index.html").exists() else moved["pages"].get(ident)
        elif kind == "contact":
            c = next((area for area, cs in rules.contacts.items() if any(x["id"] == ident for x in cs)), None)
            url = f"{c}/contacts/#{ident}" if c else None
        else:
            continue                       # timescales, events, steps, flags: ids of data, not of places
        checked += 1
        if url is None:
            missing.append(line)
            continue
        path, _, frag = url.partition("#")
        html = built_site / path / "index.html"
        if not html.exists() or (frag and frag not in pages.setdefault(html, _ids_on(html))):
            missing.append(f"{line} -> {url}")
    assert checked > 600
    assert not missing, f"{len(missing)} published ids no longer resolve: {missing[:10]}"


def test_an_unknown_move_target_is_an_error_naming_the_file_and_a_valid_example():
    rules = load_rules()
    with pytest.raises(moves.MovesInvalid, match=r"rules/moved-ids.yaml, entry id: pbo-old.*A valid entry"):
        moves.resolve(rules, [{"id": "pbo-old", "moved_to": "pbo-no-such", "date": "2027-01-15", "reason": "x"}])


def test_a_move_of_an_id_still_on_the_site_is_refused():
    rules = load_rules()
    with pytest.raises(moves.MovesInvalid, match="still on the site"):
        moves.resolve(rules, [{"id": "pbo-3-6", "moved_to": "pbo-3-5", "date": "2027-01-15", "reason": "x"}])


def test_chained_moves_land_on_the_last_place():
    rules = load_rules()
    found = moves.resolve(rules, [
        {"id": "pbo-a", "moved_to": "pbo-b", "date": "2027-01-15", "reason": "renumbered"},
        {"id": "pbo-b", "moved_to": "peterborough/referrals#pbo-3-5", "date": "2027-02-01", "reason": "renumbered"},
        {"id": "peterborough/old-referrals", "moved_to": "peterborough/referrals", "date": "2027-02-01",
         "reason": "renamed"}])
    assert found == {"fragments": {"pbo-a": "peterborough/referrals/#pbo-3-5",
                                   "pbo-b": "peterborough/referrals/#pbo-3-5"},
                     "pages": {"peterborough/old-referrals": "peterborough/referrals/"}}


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory) -> Path:
    """The real rules with paragraph pbo-3-6 renumbered pbo-3-6x and a renamed page recorded."""
    tmp = tmp_path_factory.mktemp("moved")
    rules = tmp / "rules"
    shutil.copytree(REPO / "rules", rules)
    proc = rules / "procedures" / "peterborough" / "referrals.yaml"
    proc.write_text(proc.read_text().replace("- id: pbo-3-6\n", "- id: pbo-3-6x\n"))
    moved = rules / "moved-ids.yaml"
    moved.write_text(moved.read_text().replace("\n[]\n", (
        "\n"
        "- {id: pbo-3-6, moved_to: pbo-3-6x, date: 2027-01-15, reason: Renumbered in a new edition.}\n"
        "- {id: peterborough/old-referrals, moved_to: peterborough/referrals, date: 2027-01-15,"
        " reason: Page renamed.}\n")))
    run = mkdocs_build(tmp / "site", rules)
    assert run.returncode == 0, run.stderr
    return tmp / "site"


def test_a_recorded_move_writes_the_fragment_map_and_a_redirect_page_for_the_old_address(moved_site):
    found = json.loads((moved_site / "assets" / "moved-ids.json").read_text())
    assert found["fragments"] == {"pbo-3-6": "peterborough/referrals/#pbo-3-6x"}
    redirect = (moved_site / "peterborough" / "old-referrals" / "index.html").read_text()
    assert '<noscript><meta http-equiv="refresh" content="0; url=../../peterborough/referrals/"></noscript>' in redirect
    assert "<script>" not in redirect and 'src="../../javascripts/links.js"' in redirect
