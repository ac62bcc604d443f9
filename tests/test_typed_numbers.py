"""`procedures check` refuses timescales and phone numbers typed into procedure text (macros/rules/checks/typed.py).

Each test edits one block of a copy of rules/ as an owner would and reads what
`procedures check` prints: the file and line, the typed words, and the macro to use.
"""
from __future__ import annotations

import pytest
from importfixtures import rules_copy

from cli.main import main as procedures
from macros.rules.checks.typed import typed_numbers

PAGE = "procedures/dudley/referrals-and-assessment.yaml"
ANCHOR = "Children's Social Care must accept a referral for Initial Assessment"


def edit(rules, old, new):
    path = rules / PAGE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new.split("\n")[-1] in line)


def check(rules, capsys):
    status = procedures(["check", str(rules)])
    out = capsys.readouterr()
    return status, out.out + out.err


@pytest.mark.parametrize("typed, macro", [
    ("within 15 working days", "{{ ts('"),
    ("45 working days", "{{ ts('"),
    ("one working day", "{{ ts('"),
    ("on 024 7678 8555", "{{ phone('"),
    ("on +44 1905 768054", "{{ phone('"),
])
def test_a_typed_timescale_or_phone_is_refused_with_file_line_and_the_macro(tmp_path, capsys, typed, macro):
    rules = rules_copy(tmp_path)
    line = edit(rules, ANCHOR, f"Call them {typed}. {ANCHOR}")
    status, out = check(rules, capsys)
    assert status == 1
    # the line of the block's `text: |` key, the line before the typed words
    assert f"rules/{PAGE}:{line - 1} " in out
    words = typed.removeprefix("within ").removeprefix("on ")
    assert f"'{words}'" in out and macro in out


def test_a_typed_number_kept_with_words_and_why_passes_and_a_stale_one_is_refused(tmp_path, capsys):
    rules = rules_copy(tmp_path)
    edit(rules, ANCHOR, f"Quoted: 10 days. {ANCHOR}")
    path = rules / PAGE
    text = path.read_text(encoding="utf-8")
    at = text.index("Quoted: 10 days.")
    block_start = text.rindex("text: |", 0, at)
    indent = text[text.rindex("\n", 0, block_start) + 1:block_start]
    allow = f"typed:\n{indent}  - words: \"10 days\"\n{indent}    why: \"The source quotes it; not a rule.\"\n{indent}"
    path.write_text(text[:block_start] + allow + text[block_start:], encoding="utf-8")
    status, out = check(rules, capsys)
    assert status == 0, out
    path.write_text(path.read_text(encoding="utf-8").replace("Quoted: 10 days. ", ""), encoding="utf-8")
    status, out = check(rules, capsys)
    assert status == 1 and "'10 days' is listed as typed but is not typed in this block's text" in out


def test_years_hyphenated_periods_and_macros_are_not_typed_numbers():
    assert typed_numbers("In 2013, within a 12-month period, {{ ts('x') }} of 10 days' notice") == [
        ("timescale", "10 days")]
    assert typed_numbers("case 2013/0123 4567 on 01/02/2013") == []


def test_the_real_areas_pass_the_check(capsys):
    status = procedures(["check"])
    assert status == 0, capsys.readouterr().err
