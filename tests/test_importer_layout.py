"""How the importer reads a document's layout: tables, lists, labels, captions and the lines a page adds.

Each test is one rule of macros/importer/reading.py, tables.py or structure.py, on a few
lines of text written the way the five source documents write them.
"""
from __future__ import annotations

from macros.importer.reading import read_text
from macros.importer.roundtrip import named
from macros.importer.structure import build_pages, walk_blocks


def blocks(text: str):
    units, notes = read_text(text)
    pages, _, _ = build_pages(units, "fen", "Fenland")
    return [(s, b) for p in pages for s, b in walk_blocks(p.sections)], notes


def texts(text: str) -> list[str]:
    return [b.text for _s, b in blocks(text)[0]]


TABLE = (
    "# Guide\n\n"
    "Intervention\tDescriptor\tPractice standards\n"
    "Referral\t<p>When there is a request for service.</p> <p>Anonymous callers count.</p>\t"
    "<ul style=\"x\"> \u2022 Confirmed in writing. \u2022 Recorded on ICS.\n"
    "<p>Strategy Meeting</p>\t<p>The plan will include interventions to</p>\t<ul> \u2022 Clear date for review\n"
    "\t<p>manage / minimise risk to child.</p>\t<ul> \u2022 Minutes signed\n"
    "\n"
    "The purpose of the meeting is to:\n\n"
    "- Share information\n"
    "- Plan the enquiry\n\n"
    "- Social workers are familiar with the family\n\n"
    "\t<p>Prepare Parents</p> <p>Represent their views accurately.</p>\t<ul> \u2022 Leaflet given\n"
)


def test_a_table_saved_as_text_becomes_a_heading_per_row_and_a_block_per_cell_without_its_column_names():
    found, notes = blocks(TABLE)
    titles = [s.title for s, _b in found]
    assert titles[:2] == ["Referral", "Referral"]
    assert found[0][1].text == "When there is a request for service.\n\nAnonymous callers count."
    assert found[1][1].text == "- Confirmed in writing.\n- Recorded on ICS."
    assert not any("Practice standards" in b.text for _s, b in found)
    assert any("table columns Intervention, Descriptor, Practice standards" in n for n in notes)


def test_a_continued_row_finishes_a_cut_sentence_and_the_text_between_rows_goes_to_its_columns():
    found, _ = blocks(TABLE)
    strategy = [b.text for s, b in found if s.title == "Strategy Meeting"]
    assert strategy[0] == ("The plan will include interventions to manage / minimise risk to child.\n\n"
                           "The purpose of the meeting is to:\n\n- Share information\n- Plan the enquiry")
    # a list with no lead-in of its own belongs to the last column (the practice standards)
    assert strategy[1] == "- Clear date for review\n- Minutes signed\n- Social workers are familiar with the family"


def test_a_continued_row_that_starts_with_a_short_title_is_a_part_of_its_own():
    found, _ = blocks(TABLE)
    parts = [(s.title, b.text) for s, b in found if s.title == "Prepare Parents"]
    assert parts == [("Prepare Parents", "Represent their views accurately."), ("Prepare Parents", "- Leaflet given")]


def test_a_list_in_a_cell_cut_by_the_conversion_goes_on_in_the_lines_after_the_row():
    text = ("Intervention\tDescriptor\tStandards\n"
            "Section 47\t<p>Indicated where:</p> <ul> \u2022 A clear allegation\t<ul> \u2022 Checks made\n\n"
            "- Repeat of neglect\n\n"
            "When there is no explanation.\n\n"
            "- Each child spoken to\n\n"
            "Core Groups\t<p>Enable pooling.</p>\t<ul> \u2022 Keyworker named\n")
    found = texts(text)
    assert found[0] == "Indicated where:\n\n- A clear allegation\n- Repeat of neglect\n\nWhen there is no explanation."
    assert found[1] == "- Checks made\n- Each child spoken to"


def test_a_contents_list_is_left_out_when_its_lines_come_again_as_the_documents_headings():
    text = "Contents\n\nEarly help\nFlow chart 1: Referral\n\nEarly help\n\nProviding help early works.\n\n" \
           "Flow chart 1: Referral\n"
    units, notes = read_text(text)
    assert [(u.kind, u.text) for u in units] == [("heading", "Contents"), ("heading", "Early help"),
                                                 ("para", "Providing help early works."),
                                                 ("para", "Flow chart 1: Referral")]
    assert any("contents list" in n for n in notes)


def test_a_link_to_the_top_is_left_out_and_click_here_to_view_keeps_only_what_it_links_to():
    units, notes = read_text("Early help\n\nHelp works.\n\nClick here to return to the top of this page.\n\n"
                             "Click here to view Appendix 2: Deciding when to refer.\n")
    assert [u.text for u in units] == ["Early help", "Help works.", "Appendix 2: Deciding when to refer."]
    assert len(notes) == 2


def test_a_caption_is_a_paragraph_never_a_heading_and_a_repeated_caption_is_kept_once():
    units, notes = read_text("Help works.\n\nFlow chart 2: Immediate protection\n\n\nFlow chart 2: Immediate protection\n\n"
                             "Strategy discussion\n\nWhenever there is cause.\n")
    assert [(u.kind, u.text) for u in units] == [("para", "Help works."), ("para", "Flow chart 2: Immediate protection"),
                                                 ("heading", "Strategy discussion"), ("para", "Whenever there is cause.")]
    assert any("repeating the one before it" in n for n in notes)


def test_lines_numbered_in_sequence_are_an_ordered_list_and_a_finished_sentence_is_not_its_lead_in():
    found = texts("# 1.7 Outcomes\n\nThere are 4 possible outcomes.\n\n1. There is harm.\n2. The child is not in need,"
                  " refer for any\n\nfurther assistance they require.\n\n3. The child is in need.\n")
    assert found == ["There are 4 possible outcomes.",
                     "1. There is harm.\n2. The child is not in need, refer for any further assistance they require.\n"
                     "3. The child is in need."]


def test_a_sentence_broken_over_a_blank_line_or_a_web_address_is_one_paragraph_but_a_letter_starts_its_own():
    assert texts("# CAF\n\nThe framework is an important tool for early\n\nintervention. It helps.\n") == [
        "The framework is an important tool for early intervention. It helps."]
    assert texts("# Guide\n\nServices has a\n\n<http://example.org/x.htm>\n\nguide to thresholds.\n")[0] == \
        "Services has a guide to thresholds."
    assert texts("# 1.1 When\n\na) Anyone with concerns about either\n\n- harm, or\n- neglect\n\nb) Anyone else.\n") == [
        "a) Anyone with concerns about either\n\n- harm, or\n- neglect", "b) Anyone else."]


def test_an_empty_list_item_is_left_out_so_the_list_stays_with_its_lead_in():
    assert texts("# 5. Need\n\nA child is in need if:\n\n- \n- S/he is disabled.\n - Health is impaired.\n") == [
        "A child is in need if:\n\n- S/he is disabled.\n- Health is impaired."]


def test_short_lines_after_a_lead_in_are_its_lines_not_headings():
    assert texts("# CAF\n\nContact your coordinator directly:\n\nNW Worcs - 01562 757867\n\n"
                 "South Worcs - 01905 765787\n\nChildren in need and children at risk of harm today\n\nText.\n") == [
        "Contact your coordinator directly:\n\nNW Worcs - 01562 757867\n\nSouth Worcs - 01905 765787", "Text."]


def test_a_running_header_printed_on_every_page_is_left_out_after_its_first_time():
    units, notes = read_text("Children in Need\n\nMay 2008\n\nIntro text here.\n\nChildren in Need\n\nMay 2008\n\n"
                             "More text.\n\nChildren in Need\n\nMay 2008\n\nEnd text.\n")
    assert [u.text for u in units] == ["Children in Need", "May 2008", "Intro text here.", "More text.", "End text."]
    assert any("running header" in n for n in notes)


def test_the_last_line_of_a_document_is_never_a_heading():
    units, _ = read_text("Services\n\nSome text.\n\nFramework for Assessment Triangle\n")
    assert (units[-1].kind, units[-1].text) == ("para", "Framework for Assessment Triangle")


LABELS = ("# Strategy discussion\n\nWhenever there is cause.\n\nPurpose:\n\nTo plan rapid action.\n\n"
          "Strategy discussion attendees:\n\nThey may include:\n\n- the referrer;\n- the school.\n\n"
          "All attendees should be senior.\n\nAction to be taken:\n\nThe family must be told.\n\n"
          "Social care should see the child.\n\nSocial workers should:\n\n- convene it.\n\n"
          "The Conference Chair:\n\n- is accountable.\n\nThe police should:\n\n- investigate.\n")


def test_a_label_names_a_block_holding_its_part_until_the_document_goes_on():
    found, _ = blocks(LABELS)
    assert [(b.title, b.text) for _s, b in found] == [
        ("", "Whenever there is cause."),
        ("Purpose", "To plan rapid action."),
        ("Strategy discussion attendees", "They may include:\n\n- the referrer;\n- the school."),
        ("", "All attendees should be senior."),
        ("Action to be taken", "The family must be told.\n\nSocial care should see the child."),
        ("", "Social workers should:\n\n- convene it.\n\nThe Conference Chair:\n\n- is accountable.\n\n"
             "The police should:\n\n- investigate.")]
    assert found[1][1].id == "fen-strategy-discussion-purpose"


def test_a_label_first_under_its_heading_is_the_headings_lead_in_and_names_are_not_labels():
    assert texts("# References\n\nReferences:\n\n- Children Act 2004\n") == ["References:\n\n- Children Act 2004"]
    assert texts("# Who\n\nText.\n\nIt sets out:\n\n- the circumstances\n")[1] == "It sets out:\n\n- the circumstances"


def test_a_who_does_what_lead_in_at_the_end_of_a_paragraph_is_split_from_the_sentences_before_it():
    assert texts("# Multi-agency working\n\nPlanned action follows a discussion. Social workers, the police or NSPCC "
                 "should:\n\n- initiate a discussion;\n- see the child.\n") == [
        "Planned action follows a discussion.",
        "Social workers, the police or NSPCC should:\n\n- initiate a discussion;\n- see the child."]


def test_a_numbered_paragraph_keeps_its_closing_sentence_after_its_list_but_not_a_note():
    found = texts("# Thresholds\n\n18.\n\nThe LSCB should publish:\n\n- the process;\n- the criteria.\n\n"
                  "LSCBs with secure establishments should take account.\n\n19.\n\nAnyone can refer.\n")
    assert found == ["The LSCB should publish:\n\n- the process;\n- the criteria.\n\n"
                     "LSCBs with secure establishments should take account.", "Anyone can refer."]
    found = texts("# Closure\n\n10.9 The Social Worker will ensure that:\n\n- a summary is done;\n"
                  "Note: The survey should be sent out.\n")
    assert found == ["The Social Worker will ensure that:\n\n- a summary is done;", "Note: The survey should be sent out."]


def test_a_paragraph_after_a_lettered_one_takes_the_letters_id_and_citation():
    found, _ = blocks("# 1.1 When\n\nb) Anyone else should complete an assessment.\n\nThey should follow the process.\n")
    assert [(b.id, b.cite) for _s, b in found] == [("fen-1-1-b", "1.1b"), ("fen-1-1-b-p2", "1.1b")]


def test_a_miss_whose_hand_made_id_adds_a_name_to_the_numbering_is_explained_as_named():
    assert named("dud-1-1-a-must-refer", "dud-1-1-a-p2", "1.1a").startswith("named: both ids are 'dud-1-1-a'")
    assert named("dud-1-1-b", "dud-1-1-p4", "1.1b") is None


def test_the_words_of_a_picture_right_above_its_caption_are_its_block_and_the_caption_its_title():
    found, _ = blocks("# Step down\n\nText.\n\n  De-escalation from Referral to CAF\n  De-escalation from Care to CAF\n"
                      "  Figure 2: Stepping down\n\nMore text.\n")
    picture = found[1][1]
    assert (picture.kind, picture.title, picture.text) == (
        "flowchart", "Figure 2: Stepping down", "De-escalation from Referral to CAF\n\nDe-escalation from Care to CAF")


def test_box_labels_glued_under_a_caption_are_split_one_box_to_an_item():
    found, _ = blocks("# Returning home\n\nText.\n\nFlow chart 6: Returning home\nSee flow chart 4 on strategySee flow "
                      "chart 4 on strategySee flow chart 2 on protection See flow chart 5\n")
    picture = found[1][1]
    assert picture.title == "Flow chart 6: Returning home"
    assert picture.text.split("\n") == ["- See flow chart 4 on strategy", "- See flow chart 4 on strategy",
                                        "- See flow chart 2 on protection", "- See flow chart 5"]


def test_bold_words_running_over_two_lines_are_one_paragraph():
    assert texts("# End\n\nText.\n\n**January 2013\nVersion 12**\n") == ["Text.", "**January 2013\nVersion 12**"]


def test_a_paragraph_that_opens_with_its_label_twice_keeps_it_once():
    units, notes = read_text("Related information: Related information: For guidance see Chapter 4.\n")
    assert units[0].text == "Related information: For guidance see Chapter 4."
    assert notes


def test_a_footnote_inside_who_does_what_follows_the_whole_group():
    found, _ = blocks("# Initiating enquiries\n\nText.\n\nSocial workers should:\n\n- follow the guidance.[20]\n"
                      "[20] Achieving Best Evidence (2011).\n\nThe police should:\n\n- investigate.\n")
    assert [(b.kind, b.text) for _s, b in found] == [
        ("", "Text."),
        ("", "Social workers should:\n\n- follow the guidance.[20]\n\nThe police should:\n\n- investigate."),
        ("footnote", "Achieving Best Evidence (2011).")]


def test_lettered_items_after_a_lead_in_without_a_number_stay_in_its_block_with_their_and_and_or():
    assert texts("# Eligibility\n\nA child is in need if:-\n\na) s/he is unlikely to achieve health;\n\nand\n\n"
                 "b) s/he is disabled.\n\nOther text.\n") == [
        "A child is in need if:-\n\na) s/he is unlikely to achieve health;\n\nand\n\nb) s/he is disabled.", "Other text."]


def test_a_miss_the_hand_made_page_draws_from_the_thresholds_is_explained_not_counted_as_the_importers():
    from macros.importer.roundtrip import measure
    from macros.rules import load_rules
    misses = {m["id"]: m for m in measure(load_rules(), "coventry")["paragraph_misses"]}
    assert misses["cov-guide-s47-descriptor"]["explained"].startswith("drawn from the rules: part of the block is "
                                                                     "the list {{ flags('cov-s47-indicated') }}")


def test_a_miss_whose_words_the_import_made_a_heading_or_a_label_is_explained_as_read_otherwise():
    from macros.importer.roundtrip import read_otherwise
    read_as = {"Promoting Well-being": "a heading", "References: Children Act 2004": "the label of its part"}
    assert read_otherwise("Promoting Well-being", read_as).startswith(
        "read otherwise: the import reads \"Promoting Well-being\" as a heading")
    assert read_otherwise("References: Children Act 2004", read_as).endswith("keeps it as text")
    assert read_otherwise("Something the import never saw", read_as) is None


def test_a_grid_row_whose_first_cell_is_a_list_gives_a_block_per_cell_and_no_heading():
    found, _ = blocks("# Level 1\n\nLEVEL 1 These children make good progress.\n\n1 Child's Developmental Needs:\t\t\n"
                      "<p>Health, e.g.</p> <ul> \u2022 Physically well \u2022 Adequate diet\t<p>Identity, e.g.</p> <ul> "
                      "\u2022 Positive sense of self\t\n")
    assert [(s.title, b.text) for s, b in found] == [
        ("Level 1", "LEVEL 1 These children make good progress."),
        ("Level 1", "1 Child's Developmental Needs:"),
        ("Level 1", "Health, e.g.\n\n- Physically well\n- Adequate diet"),
        ("Level 1", "Identity, e.g.\n\n- Positive sense of self")]


def test_a_short_line_repeated_but_not_on_the_first_page_is_the_documents_text():
    text = "Title\n\n" + "".join(f"Intro sentence {n} of the first page.\n\n" for n in range(15)) + "".join(f"Case {n} of a family in need.\n\nLevel 3\n\n" for n in range(4))
    units, _ = read_text(text)
    assert [u.text for u in units].count("Level 3") == 4


def test_a_level_paragraph_and_the_grid_after_it_give_a_level_with_its_indicators():
    from macros.importer.levels import find_levels
    units, _ = read_text("# Thresholds\n\nLEVEL 1 These are children who make good progress in all areas.\n\n"
                         "<p>Health, e.g.</p> <ul> \u2022 Physically well\t<p>Basic Care</p> <ul> \u2022 Fed and clothed\n\n"
                         "LEVEL 2 These are children whose needs require some extra support.\n\n"
                         "<p>Health, e.g.</p> <ul> \u2022 Defaulting on checks\t\n\n"
                         "# Cases\n\nA family at risk.\n\n# Level 3\n\nCase one.\n\n# Level 3\n\nCase two.\n")
    pages, _, _ = build_pages(units, "fen", "Fenland")
    found = find_levels(pages, "fen")
    assert [(lv["level"], lv["text"]) for lv in found["levels"]] == [
        (1, "These are children who make good progress in all areas."),
        (2, "These are children whose needs require some extra support.")]
    assert [(i["level"], i["dimension"], i["domain"], i["text"]) for i in found["indicators"]] == [
        (1, "Health, e.g.", "developmental-needs", "Physically well"),
        (1, "Basic Care", "parenting-capacity", "Fed and clothed"),
        (2, "Health, e.g.", "developmental-needs", "Defaulting on checks")]
