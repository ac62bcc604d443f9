"""`procedures import`: a partnership's document becomes a draft area that passes `procedures check`.

Each test imports into a copy of rules/ in tmp_path, from documents made from the real
source texts (tests/importfixtures.py), and reads the result as an owner would: the
report, `procedures check`, the faithfulness check, the files written.
"""
from __future__ import annotations

import json

import pytest
import yaml
from importfixtures import SOURCES, rules_copy, web_page, word_document

from cli.main import main as procedures
from macros.browser.bundle import build_bundle
from macros.importer.contacts import ContactFinder
from macros.importer.timescales import Finder
from macros.rules import load_rules
from macros.rules.faithful import invented, lost

PETERBOROUGH = SOURCES / "002_029777469eac5fcb.txt"
DUDLEY = SOURCES / "000_c3a8e56ffa9df0d9.txt"
EVENTS = {e["id"]: e for e in yaml.safe_load((SOURCES.parent / "events.yaml").read_text())["events"]}
STEPS = {s["id"]: s for s in yaml.safe_load((SOURCES.parent / "events.yaml").read_text())["steps"]}


def run_import(capsys, source, rules, area="fenland", prefix="fen"):
    status = procedures(["import", str(source), "--area", area, "--name", "Fenland", "--prefix", prefix,
                         "--rules", str(rules), "--json"])
    return status, json.loads(capsys.readouterr().out)


def block_ids(rules, area):
    out = []

    def walk(sections):
        for s in sections:
            out.extend(b["id"] for b in s.get("blocks", []))
            walk(s.get("sections", []))
    for proc in rules.procedures[area]:
        walk(proc["sections"])
    return out


def test_a_word_document_becomes_a_draft_area_that_passes_check(tmp_path, capsys):
    rules_dir = rules_copy(tmp_path)
    source = word_document(PETERBOROUGH, tmp_path / "Fenland CIN procedures.docx")
    status, report = run_import(capsys, source, rules_dir)
    assert status == 0, report["check"]
    assert report["check"]["problems"] == []
    assert report["check"]["not_in_source"] == []          # nothing invented
    rules = load_rules(rules_dir)
    ids = block_ids(rules, "fenland")
    assert {"fen-3-23", "fen-5-9", "fen-9-1"} <= set(ids)   # ids from the document's numbering
    assert (rules_dir / "sources" / "fenland-fenland-cin-procedures.docx").is_file()   # the original kept
    # every paragraph of the Word path is the paragraph of the text path
    text_rules = rules_copy(tmp_path / "t")
    run_import(capsys, PETERBOROUGH, text_rules)
    assert ids == block_ids(load_rules(text_rules), "fenland")
    # procedures check passes and lists every draft still to review
    assert procedures(["check", str(rules_dir)]) == 0
    out = capsys.readouterr().out
    timescales = rules.timescales["fenland"]
    assert timescales and all(t["draft"] for t in timescales)
    for t in timescales:
        assert f"draft timescale '{t['id']}' not yet reviewed" in out


def test_the_report_gives_each_timescale_with_its_sentence_and_the_paragraph_its_macro(tmp_path, capsys):
    rules_dir = rules_copy(tmp_path)
    _, report = run_import(capsys, PETERBOROUGH, rules_dir)
    decision = next(d for d in report["decisions"] if d["kind"] == "timescale"
                    and "within one working day of the referral being received" in d["sentence"])
    assert decision["where"] == "fen-3-5"
    assert decision["proposal"].startswith("1 working_days after 'referral'")
    text = (rules_dir / "procedures" / "fenland" / "referrals-into-childrens-social-care.yaml").read_text()
    assert f"within {{{{ ts('{decision['id']}', 'words') }}}} working day of the referral" in text


def test_a_web_page_imports_like_the_text(tmp_path, capsys):
    rules_dir = rules_copy(tmp_path)
    status, report = run_import(capsys, web_page(DUDLEY, tmp_path / "faq.html"), rules_dir)
    assert status == 0
    rules = load_rules(rules_dir)
    assert invented(rules, "fenland") == [] and lost(rules, "fenland") == []
    assert {"fen-1-1-a", "fen-1-5-p1"} <= set(block_ids(rules, "fenland"))


def test_drafts_are_not_used_by_the_calculators_and_review_makes_them_rules(tmp_path, capsys):
    rules_dir = rules_copy(tmp_path)
    run_import(capsys, DUDLEY, rules_dir)
    rules = load_rules(rules_dir)
    ids = [t["id"] for t in rules.timescales["fenland"]]
    bundled = {t["id"] for t in build_bundle(rules)["timescales"]}
    assert ids and not bundled & set(ids)
    assert procedures(["review", ids[0], "--rules", str(rules_dir)]) == 0
    rules = load_rules(rules_dir)
    assert ids[0] in {t["id"] for t in build_bundle(rules)["timescales"]}
    assert ids[0] not in {i for _f, _l, _k, i, _w in rules.drafts}
    assert procedures(["review", "no-such-draft", "--rules", str(rules_dir)]) == 2


def test_an_import_never_overwrites_an_area(tmp_path, capsys):
    rules_dir = rules_copy(tmp_path)
    before = (rules_dir / "areas.yaml").read_text()
    assert procedures(["import", str(DUDLEY), "--area", "dudley", "--name", "Dudley", "--rules", str(rules_dir)]) == 2
    assert "already has an area 'dudley'" in capsys.readouterr().err
    assert procedures(["import", str(DUDLEY), "--area", "newarea", "--name", "N", "--prefix", "dud",
                       "--rules", str(rules_dir)]) == 2
    assert (rules_dir / "areas.yaml").read_text() == before
    assert procedures(["import", str(tmp_path / "x.pdf"), "--area", "n", "--name", "N", "--rules", str(rules_dir)]) == 2
    assert "cannot import a '.pdf' file" in capsys.readouterr().err


@pytest.mark.parametrize("sentence, amount, unit, direction, event, macro", [
    ("A decision must be made within one working day of the referral being received.",
     1, "working_days", "after", "referral", "within {{ ts('x-referral-decision', 'words') }} working day"),
    ("The conference must be held within 15 working days of the strategy discussion.",
     15, "working_days", "after", "strategy-discussion", "within {{ ts('x-icpc-held') }} of"),
    ("The report must be shared with parents at least 2 working days before the conference.",
     2, "working_days", "before", "icpc", "at least {{ ts('x-conference-report-shared-with-parents') }} before"),
    ("Visits should be made within 48 hours of the referral.", 48, "hours", "after", "referral", "{{ ts("),
])
def test_timescale_phrases_become_candidates_and_macros(sentence, amount, unit, direction, event, macro):
    finder = Finder("x", EVENTS, STEPS)
    text = finder.in_block("x-1", sentence)
    c = finder.candidates[0]
    assert (c.amount, c.unit, c.direction, c.event) == (amount, unit, direction, event)
    assert macro in text and c.sentence == sentence


def test_a_repeat_is_the_recurrence_of_the_first_timescale_in_its_sentence():
    finder = Finder("x", EVENTS, STEPS)
    text = finder.in_block("x-1", "The first review conference within 3 months of the initial conference, then "
                                  "at intervals of no more than 6 months.")
    (c,) = finder.candidates
    assert (c.amount, c.unit, c.recurrence) == (3, "months", {"every": 6, "unit": "months"})
    assert "intervals of no more than {{ ts('x-cp-review-conference', 'every') }}" in text


def test_whichever_is_sooner_is_left_to_a_person():
    finder = Finder("x", EVENTS, STEPS)
    finder.in_block("x-1", "The plan is reviewed 3 months or 20 working days after birth, whichever is sooner.")
    assert len(finder.candidates) == 2
    assert all("whichever is sooner" in " ".join(c.guessed) for c in finder.candidates)


def test_phone_numbers_emails_and_postal_addresses_become_contacts():
    finder = ContactFinder("x")
    text = finder.in_block("x-1", "Contacts", "NW Worcs - 01562 757867\nor e-mail duty@example.gov.uk\n"
                                              "South Street, Hillfields, Coventry, CV1 5EJ")
    assert text == ("NW Worcs - {{ phone('x-nw-worcs') }}\nor e-mail {{ email('x-nw-worcs') }}\n"
                    "{{ address('x-contacts') }}")
    worcs, address = finder.contacts
    assert worcs.phones == ["01562 757867"] and worcs.emails == ["duty@example.gov.uk"]
    assert address.address == ["South Street", "Hillfields", "Coventry", "CV1 5EJ"]


def test_a_contact_card_printed_as_a_list_is_one_contact_named_by_its_heading_with_labelled_lines():
    finder = ContactFinder("x")
    text = finder.in_block("x-4-1-p1", "4.1 Children's Advice and Support Hub",
                           "- Town Hall, Market Place, Fenmoor, FM1 1AA\n- Telephone: 01632 960123\n"
                           "- E-mail: hub@fenmoor.example")
    assert text == ("- {{ address('x-childrens-advice-and-support-hub') }}\n"
                    "- Telephone: {{ phone('x-childrens-advice-and-support-hub') }}\n"
                    "- E-mail: {{ email('x-childrens-advice-and-support-hub') }}")
    (hub,) = finder.contacts
    assert hub.rule()["name"] == "Children's Advice and Support Hub"
    assert hub.rule()["phones"] == [{"number": "01632 960123", "label": "Telephone"}]
    assert hub.address == ["Town Hall", "Market Place", "Fenmoor", "FM1 1AA"] and hub.emails == ["hub@fenmoor.example"]


def test_a_labelled_number_in_another_block_starts_its_own_contact_named_by_its_section():
    finder = ContactFinder("x")
    finder.in_block("x-1", "Hub", "Hub - 01632 960123")
    finder.in_block("x-2", "2. Out of hours team", "Telephone: 01632 960999")
    hub, ooh = finder.contacts
    assert (hub.name, ooh.name) == ("Hub", "Out of hours team") and ooh.phones == ["01632 960999"]


@pytest.mark.slow
def test_the_site_builds_with_a_draft_area_and_its_pages_say_draft(tmp_path, capsys):
    from sitebuild import mkdocs_build
    rules_dir = rules_copy(tmp_path)
    status, _ = run_import(capsys, word_document(DUDLEY, tmp_path / "faq.docx"), rules_dir)
    assert status == 0
    built = mkdocs_build(tmp_path / "site", rules_dir)
    assert built.returncode == 0, built.stderr[-3000:]
    page = (tmp_path / "site" / "fenland" / "frequently-asked-questions" / "index.html").read_text()
    assert "Draft: not yet reviewed" in page
    assert "Draft: not yet reviewed" not in (tmp_path / "site" / "dudley" / "referrals-and-assessment" / "index.html").read_text()


def test_a_footnote_is_a_footnote_block_numbered_by_its_marker_and_a_heading_cannot_cut_a_sentence():
    from macros.importer.reading import read_text
    from macros.importer.structure import build_pages, walk_blocks
    text = ("# 1.1 When to refer\n\na) Anyone who has concerns about a risk to a child in terms of either harm,\n\n"
            "#### **Must refer without delay**\n\n- the criteria may be met\n\n"
            "b) Anyone else should complete an assessment.\n\n[4] Children return home under many circumstances.\n")
    units, _ = read_text(text)
    pages, _, _ = build_pages(units, "fen", "Fenland")
    blocks = [b for p in pages for _s, b in walk_blocks(p.sections)]
    assert [(b.id, b.cite, b.kind) for b in blocks] == [
        ("fen-1-1-a", "1.1a", ""), ("fen-1-1-a-p2", "1.1a", ""), ("fen-1-1-b", "1.1b", ""),
        ("fen-fn-4", "Footnote 4", "footnote")]
    assert blocks[1].text == "**Must refer without delay**\n\n- the criteria may be met"
    assert blocks[3].text == "Children return home under many circumstances."


def test_ways_to_reach_one_team_listed_by_channel_are_one_contact_with_each_number_labelled():
    finder = ContactFinder("x")
    text = finder.in_block("x-3-p2", "3. Referral pathways", "- By Telephone: 01632 960000\n- By Fax - 01632 960001\n"
                           "- By e-mail - duty@fenmoor.example\n- By post - Social Care, PO BOX 585, Fenmoor, FM4 9AD\n"
                           "- By Minicom - 01632 960002")
    (team,) = finder.contacts
    assert team.name == "Referral pathways"
    assert team.rule()["phones"] == [{"number": "01632 960000", "label": "Telephone"},
                                     {"number": "01632 960001", "label": "Fax"},
                                     {"number": "01632 960002", "label": "Minicom"}]
    assert team.address == ["Social Care", "PO BOX 585", "Fenmoor", "FM4 9AD"]
    assert "- By post - {{ address('x-referral-pathways') }}" in text
    assert "- By Minicom - {{ phone('x-referral-pathways', 3) }}" in text


def test_an_address_followed_by_a_labelled_number_on_one_line_is_split_into_both():
    finder = ContactFinder("x")
    text = finder.in_block("x-9", "Contacts", "South Street, Hillfields, Coventry, CV1 5EJ Telephone \u2013 024 76 78 8555")
    (c,) = finder.contacts
    assert c.address == ["South Street", "Hillfields", "Coventry", "CV1 5EJ"] and c.labels == {"024 76 78 8555": "Telephone"}
    assert text == "{{ address('x-contacts') }} Telephone \u2013 {{ phone('x-contacts') }}"


def test_a_document_the_importer_was_never_tuned_on_imports_as_its_hand_made_area(tmp_path, capsys):
    """The sixth area (tests/fixtures/sixth-area: Fenmoor's own short document, typed by hand) as a
    Word document: its three hand-made timescales come back with their steps, events and ids, and
    its contact card as the hand-made contact."""
    fixture = SOURCES.parent.parent / "tests" / "fixtures" / "sixth-area"
    rules_dir = rules_copy(tmp_path)
    source = word_document(next((fixture / "rules" / "sources").glob("*.txt")), tmp_path / "fenmoor.docx")
    status, report = run_import(capsys, source, rules_dir, area="fenmoor", prefix="fmr")
    assert status == 0, report["check"]
    found = yaml.safe_load((rules_dir / "timescales" / "fenmoor.yaml").read_text())["timescales"]
    hand = yaml.safe_load((fixture / "rules" / "timescales" / "fenmoor.yaml").read_text())["timescales"]
    shape = ("step", "event", "amount", "unit", "direction", "source")
    assert {tuple(t[k] for k in shape) for t in hand} <= {tuple(t[k] for k in shape) for t in found}
    assert {"fenmoor-referral-decision", "fenmoor-strategy-minutes-circulated", "fenmoor-icpc-held"} <= \
        {t["id"] for t in found}                              # no "-2" left by a candidate merged away
    (contact,) = yaml.safe_load((rules_dir / "contacts" / "fenmoor.yaml").read_text())["contacts"]
    (made,) = yaml.safe_load((fixture / "rules" / "contacts" / "fenmoor.yaml").read_text())["contacts"]
    assert [contact[k] for k in ("name", "address", "phones", "emails")] == \
        [made[k] for k in ("name", "address", "phones", "emails")]



def test_the_bundle_counts_each_areas_draft_timescales_for_the_calculators_warning(tmp_path, capsys):
    """The calculators never use a draft; the bundle says how many an area has, so an answer for
    the area can say so above its dates (tests/test_web.py: the warning itself)."""
    rules_dir = rules_copy(tmp_path)
    status, _ = run_import(capsys, word_document(DUDLEY, tmp_path / "faq.docx"), rules_dir)
    assert status == 0
    rules = load_rules(rules_dir)
    bundle = build_bundle(rules)
    assert bundle["areas"]["fenland"]["drafts"] == sum(1 for t in rules.timescales["fenland"] if t.get("draft")) >= 1
    assert bundle["areas"]["dudley"]["drafts"] == 0
    assert not any(t["area"] == "fenland" for t in bundle["timescales"])
