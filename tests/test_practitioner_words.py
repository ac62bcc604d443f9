"""Practitioner pages speak to practitioners: no maintainer vocabulary, no ISO dates, no missing values.

Every page a practitioner or partner reads is scanned as built (the text of its article, as a
person reads it, code spans included): the rules' field names (``covers_from``,
``working_days``), the rules' files (``rules/...``, ``.yaml``), a programmer's missing value
(``null``, ``undefined``, ``[object Object]``) and ISO dates (``2026-12-07``, ``2015-03``) must not
appear. Dates are written as a person writes them ("7 December 2026", "March 2015").

The pages written for those who run the site (:data:`MAINTAINER_PAGES`) are the only exception.
The calculators' answers, which are not in the built HTML, are read on screen by
tests/browser/test_journeys.py with the same :data:`MAINTAINER_WORDS`.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# docs/deploying.md: for whoever installs the site; docs/add-your-partnership.md: for the procedure
# owner who adds an area, whose subject is the rule files themselves (their names, keys and what
# they may hold, from macros/rules/owner_guide.py).
MAINTAINER_PAGES = {"deploying", "add-your-partnership"}

MAINTAINER_WORDS = re.compile(
    r"covers_(?:from|to)"                  # the calendar's fields
    r"|\brules/|\.ya?ml\b"                # the rules' files
    r"|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b"      # any snake_case key (working_days, due_text, ...)
    r"|\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]"
    r"|\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-\d\d)?\b")   # ISO dates and months


class _ArticleText(HTMLParser):
    """The text of a page's <article>, without scripts, styles and templates (not shown)."""

    def __init__(self):
        super().__init__()
        self.depth = self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "article"
        self.skip += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self.depth -= tag == "article"
        self.skip -= tag in ("script", "style", "template")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def practitioner_pages(site):
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        top = rel.split("/")[0]
        if top in MAINTAINER_PAGES or top in ("assets", "pagefind"):
            continue
        yield rel or "home", page


def test_every_practitioner_page_is_free_of_maintainer_words_iso_dates_and_missing_values(built_site):
    found = {}
    pages = 0
    for rel, page in practitioner_pages(built_site):
        pages += 1
        text = article_text(page.read_text(encoding="utf-8"))
        hits = sorted({m.group(0) for m in MAINTAINER_WORDS.finditer(text)})
        if hits:
            found[rel] = hits
    assert pages > 40, f"only {pages} pages scanned: is the site built?"
    assert not found, f"maintainer words, ISO dates or missing values on practitioner pages: {found}"


def test_how_dates_are_counted_states_the_calendar_period_in_words_and_keeps_the_rules_from_the_code(built_site):
    from tools import duedates
    text = article_text((built_site / "calculators" / "how-dates-are-counted" / "index.html").read_text())
    assert "Bank holidays are the England and Wales bank holidays published by GOV.UK, known from 1 January 2013 to" in text
    # One source: the page's rules are the docstring's practitioner section, word for word.
    assert "Wednesday 23 December 2026 + 1 working day = Thursday 24 December 2026" in text
    assert "Nothing is ever guessed." in text
    # What maintainers need stays in the docstring and off the page.
    assert "covers_from" in duedates.__doc__ and "For maintainers" not in text


def test_the_scan_would_catch_what_practitioners_were_shown_before():
    for before in ("The bank holiday list covers covers_from to covers_to",
                   "(from rules/calendar/england-and-wales.yaml)", "due is null",
                   "Overdue is judged against today, 2026-12-07 01:49 (UK time).",
                   "Working Together 2015, ch. 1 (2015-03, superseded)", "Working days (working_days)"):
        assert MAINTAINER_WORDS.search(before), before
    for fine in ("Monday 7 December 2026", "March 2015", "01:49 on Monday 7 December 2026 (UK time)",
                 "0845 607 2000", "section 47", "2013 to 2028"):
        assert not MAINTAINER_WORDS.search(fine), fine
