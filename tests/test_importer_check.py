"""Each of the five source documents, imported into a scratch copy of rules/, passes `procedures check` at once."""
from __future__ import annotations

import json

import pytest
from importfixtures import SOURCES, rules_copy

from cli.main import main as procedures

DOCUMENTS = sorted(p.name for p in SOURCES.glob("0*_*.txt"))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_an_imported_source_document_passes_the_check_right_after_the_import(tmp_path, capsys, name):
    rules_dir = rules_copy(tmp_path)
    status = procedures(["import", str(SOURCES / name), "--area", "fenland", "--name", "Fenland", "--prefix", "fen",
                         "--rules", str(rules_dir), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0, report["check"]["problems"]
    assert report["check"]["problems"] == []
    assert procedures(["check", str(rules_dir)]) == 0, capsys.readouterr().out[-2000:]


def test_there_are_five_source_documents_to_import():
    assert len(DOCUMENTS) == 5
