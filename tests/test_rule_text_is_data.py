"""Rule text is data, never code: a template payload in any field is refused and runs nothing,
and a tag that slipped past the check would still reach the page escaped."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sitebuild import REPO, mkdocs_build
from test_rules_loader import broken_tree

from macros.rules import load_rules
from macros.site import pages

FIELDS = {   # field -> (file, old text, new text with the payload)
    "a procedure title": ("procedures/dudley/referrals.yaml", "title: Referrals", 'title: "{p}"'),
    "a section cite": ("procedures/dudley/referrals.yaml", '    cite: "1.5"\n    blocks', '    cite: "{p}"\n    blocks'),
    "a paragraph": ("procedures/dudley/referrals.yaml", "          Children's Social Care must", "          {p} must"),
    "a glossary meaning": ("glossary/national.yaml", "meaning: Initial child protection conference", 'meaning: "{p}"'),
    "a contact name": ("contacts/dudley.yaml", "name: Duty access point", 'name: "{p}"'),
    "a timescale label": ("timescales/dudley.yaml", "label: Nature of the response determined", 'label: "{p}"'),
}


def payload(marker) -> str:
    return "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"


@pytest.mark.parametrize("field", list(FIELDS))
def test_the_globals_payload_is_refused_by_procedures_check_and_runs_nothing(field, tmp_path):
    marker = tmp_path / "PWNED"
    file, old, new = FIELDS[field]
    tree = broken_tree(tmp_path, {"file": file, "edit": {"old": old, "new": new.format(p=payload(marker))}})
    run = subprocess.run([sys.executable, "-m", "cli.check", str(tree)], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 1
    assert "rule text is data, never code" in run.stderr
    assert f"{file.split('/')[-1]}:" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not marker.exists()


def test_the_build_refuses_the_payload_prints_the_report_and_runs_nothing(tmp_path):
    marker = tmp_path / "PWNED"
    tree = broken_tree(tmp_path, {"file": "procedures/dudley/referrals.yaml",
                                  "edit": {"old": "title: Referrals", "new": f'title: "{payload(marker)}"'}})
    run = mkdocs_build(tmp_path / "site", tree)
    assert run.returncode != 0
    assert "referrals.yaml:3 title:" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr + run.stdout
    assert not marker.exists()


def test_a_payload_past_the_validator_reaches_the_page_escaped(tmp_path):
    """Second line of defence: bypass the loader's check, generate the pages, and no
    template delimiter or live tag from rules/ is left in the Markdown handed to Jinja."""
    rules = load_rules(REPO / "tests" / "fixtures" / "rules")
    proc = rules.procedures["dudley"][0]
    evil = "<script>alert(1)</script> {{ cycler.__init__ }} {% raw %} <img src=x onerror=alert(1)>"
    proc["title"] = evil
    proc["sections"][0]["title"] = evil
    proc["sections"][0]["blocks"][0]["text"] = evil + " {{ ts('dudley-response-decided') }}"
    site = pages.generate(rules)
    # The page's Markdown and its blocks' Markdown (macros.site.blocks renders those into the page).
    page = site["pages"]["dudley/referrals.md"]
    page += "\n".join(site["blocks"].bodies(page))
    assert "<script" not in page and "<img" not in page
    assert "cycler" in page and "{{ cycler" not in page and "{% raw" not in page
    assert "{{ ts('dudley-response-decided') }}" in page        # the validated macro survives
