"""What a rule file may hold, as owners read it (rules/README.md and the "Add your partnership"
page), is written from the checks themselves (macros/rules/owner_guide.py): the README's section
is the generated text, and the valid example it gives of rules/moved-ids.yaml is one the real
loader accepts."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros.rules import RulesInvalid, load_rules, owner_guide, ruletext, yamlsource
from macros.rules.model import MAX_AMOUNT

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_section_is_the_generated_text():
    readme = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    assert owner_guide.readme_section(readme) == owner_guide.markdown(), (
        "rules/README.md differs from the checks: run python -m macros.rules.owner_guide --write")


def test_the_add_your_partnership_page_shows_the_same_text():
    page = (ROOT / "docs" / "add-your-partnership.md").read_text(encoding="utf-8")
    assert "{{ rule_file_rules() }}" in page


def test_the_text_states_the_limits_the_loader_checks_with():
    text = owner_guide.markdown()
    assert f"at most {yamlsource.MAX_DIGITS} digits" in text
    assert f"{MAX_AMOUNT['working_days']} working days" in text
    assert all(f"`{field}`" in text for field in ruletext.MULTILINE)
    assert all(f"`{scheme}:`" in text for scheme in ruletext.SAFE_SCHEMES)
    assert "CRLF" in text and "`1:30`" in text and "`0x7`" in text and "`45.0`" in text
    # Every character range the loader refuses is named, and a character of each is refused.
    for first, last, _ in ruletext.FORBIDDEN_CHARACTERS:
        assert f"U+{ord(first):04X} to U+{ord(last):04X}" in text
        assert ruletext.character_problems(f"Referrals{last}", one_line=False)


@pytest.mark.parametrize("kept", [False, True], ids=["without the move recorded", "with the README's example"])
def test_the_moved_ids_example_lets_a_merged_paragraph_go(tmp_path, kept):
    """pbo-3-23 merged into pbo-3-24: its old id leaves the page (and the timescales that cite
    it follow), so the published id would break a partner's link unless the README's example
    entry records the move."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for rel in ("procedures/peterborough/referrals.yaml", "timescales/peterborough.yaml"):
        path = rules / rel
        path.write_text(re.sub(r"(id|source): pbo-3-23$", r"\1: pbo-3-23-merged",
                               path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    if kept:
        (rules / "moved-ids.yaml").write_text(owner_guide.moved_ids_example() + "\n", encoding="utf-8")
        load_rules(rules)
    else:
        with pytest.raises(RulesInvalid) as info:
            load_rules(rules)
        assert [p.message[:45] for p in info.value.problems] == ["published id 'anchor pbo-3-23' is no longer i"]
