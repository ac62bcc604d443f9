"""The threshold checker's command line (the acceptance contract):

    procedures thresholds --area AREA --list [--json]
    procedures thresholds --area AREA [--indicator ID ...] [--flag ID ...] [--json]

Every error goes to stderr with exit status 2 (1 when rules/ itself cannot be loaded).
Most tests call ``main(argv, bundle=...)`` with the small example bundle; a few run the
real ``procedures thresholds`` on rules/ in a subprocess (not inside Pyodide).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bundles import world

from cli import thresholds as cli_thresholds
from tools import threshold_answer
from tools import thresholds as th

REPO = Path(__file__).resolve().parent.parent
IN_PYODIDE = sys.platform == "emscripten"


def run(capsys, *argv, bundle=None):
    code = cli_thresholds.main(list(argv), bundle=world() if bundle is None else bundle)
    out, err = capsys.readouterr()
    return code, out, err


# -- success and JSON shapes ------------------------------------------------------------------------
def test_list_json_prints_indicators_and_flags_with_their_keys(capsys):
    code, out, err = run(capsys, "--area", "shire", "--list", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"indicators", "flags"}
    assert [i["id"] for i in data["indicators"]] == ["sh-l2-school", "sh-l3-housing"]
    assert {"id", "text", "level", "domain", "dimension"} <= set(data["indicators"][0])
    assert data["flags"][0] == {"id": "wt-immediate-danger", "text": "Risk to life or of serious immediate harm",
                                "pathway": "immediate-protection", "group": "wt-immediate", "layer": "national",
                                "source": data["flags"][0]["source"]}
    assert [(f["id"], f["layer"]) for f in data["flags"][1:]] == [("sh-flag-fgm", "shire"),
                                                                   ("wt-harm-suspected", "national")]


def test_list_text_shows_each_id_with_the_option_that_selects_it(capsys):
    code, out, err = run(capsys, "--area", "shire", "--list")
    assert code == 0 and err == ""
    assert "Is the child in immediate danger? [immediate-protection]" in out
    assert "--flag sh-flag-fgm" in out and "--indicator sh-l3-housing" in out
    assert "Level 2\n  Education\n    --indicator sh-l2-school" in out


def test_check_json_prints_the_result_with_the_contract_keys(capsys):
    code, out, err = run(capsys, "--area", "shire", "--indicator", "sh-l2-school", "--flag", "sh-flag-fgm", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    for key in ("area", "level", "pathway", "reasons", "next_steps", "contacts"):
        assert key in data
    assert (data["area"], data["level"], data["pathway"]) == ("shire", 2, "child-protection")
    assert all({"text", "source"} <= set(r) for r in data["reasons"])
    assert data["reasons"][0] == {"text": "Female genital mutilation", "source": data["reasons"][0]["source"],
                                  "kind": "flag", "id": "sh-flag-fgm", "group_title": "Section 47",
                                  "layer": "shire", "inherited": False}
    assert data["contacts"][0]["phones"] == [{"number": "01234 567890"}]
    assert data == th.check(world(), "shire", ["sh-l2-school"], ["sh-flag-fgm"])


def test_check_with_nothing_selected_is_an_error_never_universal_services(capsys):
    code, out, err = run(capsys, "--area", "shire", "--json")
    assert (code, out) == (2, "") and "Select at least one concern" in err


def test_an_empty_flag_or_indicator_id_is_an_error(capsys):
    for option in ("--flag", "--indicator"):
        code, out, err = run(capsys, "--area", "shire", option, "", "--json")
        assert (code, out) == (2, "") and "empty" in err


def test_ids_may_be_repeated_options_or_several_after_one_option(capsys):
    a = run(capsys, "--area", "shire", "--indicator", "sh-l2-school", "--indicator", "sh-l3-housing", "--json")
    b = run(capsys, "--area", "shire", "--indicator", "sh-l2-school", "sh-l3-housing", "--json")
    assert a[0] == b[0] == 0 and json.loads(a[1]) == json.loads(b[1])
    assert json.loads(a[1])["level"] == 3


def test_check_text_is_readable(capsys):
    code, out, err = run(capsys, "--area", "shire", "--flag", "wt-immediate-danger")
    assert code == 0 and err == ""
    assert out.startswith("Shire: Immediate protection: act now\nLevel of need: no indicator selected\n")
    assert "What to do now:\n  1. If there is a risk to the life of the child" in out
    assert "Who to contact:\n  - Police (emergency): 999 (Emergency)\n  - Shire front door: 01234 567890" in out
    assert "Source: Doc, wt-52 (x/#wt-52)" in out
    assert threshold_answer.DISCLAIMER in out


# -- errors: stderr, exit status 2 ------------------------------------------------------------------
def test_no_area_is_an_error_naming_the_areas(capsys):
    code, out, err = run(capsys, "--indicator", "sh-l2-school")
    assert (code, out) == (2, "")
    assert "error: --area needed: one of national, fenshire, shire, vale" in err


def test_unknown_area_is_an_error_naming_the_areas(capsys):
    code, out, err = run(capsys, "--area", "shyre", "--list")
    assert (code, out) == (2, "")
    assert err == "error: Unknown area 'shyre': choose one of national, fenshire, shire, vale.\n"
    code, out, err = run(capsys, "--area", "shyre", "--flag", "x")
    assert code == 2 and "Unknown area 'shyre'" in err


def test_unknown_indicator_is_an_error_naming_the_valid_ones(capsys):
    code, out, err = run(capsys, "--area", "shire", "--indicator", "sh-l2-schol")
    assert (code, out) == (2, "")
    assert err == ("error: Unknown indicator 'sh-l2-schol' for Shire. Did you mean 'sh-l2-school'? "
                   "Shire has 2 indicators: sh-l2-school, sh-l3-housing.\n")


def test_unknown_flag_is_an_error_naming_the_valid_ones(capsys):
    code, out, err = run(capsys, "--area", "shire", "--flag", "fgm")
    assert (code, out) == (2, "")
    assert "Unknown flag 'fgm' for Shire. Did you mean 'sh-flag-fgm'? Shire has 3 flags: " \
           "wt-immediate-danger, sh-flag-fgm, wt-harm-suspected." in err


def test_an_indicator_given_as_a_flag_is_an_error_saying_which_option_to_use(capsys):
    code, out, err = run(capsys, "--area", "shire", "--flag", "sh-l2-school")
    assert code == 2 and "select it as an indicator (--indicator sh-l2-school)" in err


def test_another_area_s_id_is_an_error_saying_whose_it_is(capsys):
    code, out, err = run(capsys, "--area", "vale", "--indicator", "sh-l2-school")
    assert code == 2 and "It belongs to Shire, not Vale. Vale has no indicators." in err


def test_list_with_a_selection_is_an_error(capsys):
    code, out, err = run(capsys, "--area", "shire", "--list", "--flag", "sh-flag-fgm")
    assert (code, out) == (2, "")
    assert "error: --list cannot be combined with --indicator or --flag" in err


@pytest.mark.parametrize("argv", [["--area", "shire", "--colour"], ["--area", "shire", "--indicator"],
                                  ["--area"]])
def test_bad_options_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as e:
        cli_thresholds.main(argv, bundle=world())
    out, err = capsys.readouterr()
    assert e.value.code == 2 and out == "" and "usage: procedures thresholds" in err


def test_rules_that_cannot_answer_are_an_error(capsys):
    b = world()
    b["thresholds"]["shire"]["rules"] = [b["thresholds"]["shire"]["rules"][2]]   # level 3 only, no otherwise
    code, out, err = run(capsys, "--area", "shire", "--indicator", "sh-l2-school", bundle=b)
    assert (code, out) == (2, "") and "No decision rule of Shire matched" in err


def test_invalid_rules_are_reported_with_exit_status_1(capsys, monkeypatch, tmp_path):
    pytest.importorskip("macros.browser.bundle", reason="macros/ (build time) is not importable here")
    import shutil
    from pathlib import Path
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "fixtures" / "rules", rules)
    th_file = rules / "thresholds" / "national.yaml"
    th_file.write_text(th_file.read_text().replace("when: {otherwise: true}", "when: {otherwise: false}"))
    monkeypatch.setenv("PROCEDURES_RULES_DIR", str(rules))
    code = cli_thresholds.main(["--area", "coventry", "--list"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("Cannot load rules/:\n")
    assert "thresholds/national.yaml:" in err and "rules[1].when.otherwise: false must be true" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("module", [th, threshold_answer], ids=lambda m: m.__name__)
def test_the_engine_module_does_not_import_macros(module):
    source = Path(module.__file__).read_text(encoding="utf-8")
    top = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any("macros" in line for line in top)


# -- the real command on rules/ ---------------------------------------------------------------------
needs_subprocess = pytest.mark.skipif(IN_PYODIDE, reason="no subprocesses inside Pyodide")


def cli(*argv):
    from commandline import procedures
    return procedures("thresholds", *argv, timeout=300)


@needs_subprocess
def test_the_real_command_lists_coventry_and_checks_a_section_47_flag():
    run_list = cli("--area", "coventry", "--list", "--json")
    assert run_list.returncode == 0, run_list.stderr
    items = json.loads(run_list.stdout)
    assert len(items["indicators"]) >= 200 and items["flags"][0]["id"] == "wt-immediate-danger"
    run_check = cli("--area", "coventry", "--flag", "cov-s47-injury-non-mobile",
                    "--indicator", "cov-l2-health-low-level-self", "--json")
    assert run_check.returncode == 0, run_check.stderr
    data = json.loads(run_check.stdout)
    assert (data["pathway"], data["level"]) == ("child-protection", 2)
    assert "024 76 78 8555" in [p["number"] for c in data["contacts"] for p in c["phones"]]


@needs_subprocess
def test_the_real_command_fails_with_status_2_and_a_message_on_stderr():
    r = cli("--area", "coventry", "--indicator", "self-harm")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: Unknown indicator 'self-harm' for Coventry. Did you mean ")
    assert "Coventry has " in r.stderr and " indicators; list them with" in r.stderr
    r = cli("--area", "atlantis", "--list")
    assert r.returncode == 2 and "Unknown area 'atlantis': choose one of national" in r.stderr
