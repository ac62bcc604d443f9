"""What the search index is told about a paragraph and a page (macros/site/search.py): a paragraph
that states a timescale, a definition or a contact is weighted and carries its kind's words; the
pages are of the kinds the box weighs by what a query asks (docs/javascripts/search.mjs)."""
from __future__ import annotations

from macros.site.search import STATED_WEIGHT, mark_paragraphs, page_kind, states


def test_a_paragraph_states_a_timescale_a_definition_or_a_contact():
    assert states("<p>4.26 Assessments must be completed within 35 working days of the decision.</p>") == ["timescale"]
    assert states("<p>a review conference within 3 months of the initial conference</p>") == ["timescale"]
    assert states('<p>The Children Act 1989 states that a child shall be "in need" if: ...</p>') == ["definition"]
    assert states("<p>The definition of a child in need is taken from the Children Act.</p>") == ["definition"]
    assert states('<p>By Telephone: <a href="tel:+448456072000">0845 607 2000</a></p>') == ["contact"]
    assert states('<div class="contact-card"><p>25 St James&#39;s Road</p></div>') == ["contact"]
    assert states("<p>Social workers should record the reasons.</p>") == []


def test_only_the_stating_paragraphs_are_weighted_and_carry_their_kinds_words_inside_them():
    body = ('<h2 id="s">S</h2><div class="proc-block proc-paragraph" id="a"><p>within 15 working days</p>'
            '<div class="note"><p>inner</p></div></div>'
            '<div class="proc-block proc-paragraph" id="b"><p>nothing stated here</p></div>')
    out = mark_paragraphs(body)
    marked, plain = out.split('id="b"')
    assert f'id="a" data-pagefind-weight="{STATED_WEIGHT}">' in marked
    assert ('<p>inner</p></div><span class="search-terms" hidden aria-hidden="true">timescale · time limit · deadline'
            '</span></div><div class="proc-block') in out
    assert "data-pagefind-weight" not in plain and "search-terms" not in plain


def test_page_kinds():
    procs = {"referrals"}
    assert page_kind("peterborough", ("peterborough", "referrals", "index.html"), procs) == "procedure"
    assert page_kind("peterborough", ("peterborough", "contacts", "index.html"), procs) == "contacts"
    assert page_kind("peterborough", ("peterborough", "timescales", "index.html"), procs) == "tables"
    assert page_kind(None, ("compare", "index.html"), set()) == "tables"
    assert page_kind(None, ("calculators", "deadlines", "index.html"), set()) == "tables"
    assert page_kind(None, ("glossary", "index.html"), set()) == "glossary"
    assert page_kind(None, ("about", "index.html"), set()) == "other"
