"""The command line: ``procedures deadlines`` (the acceptance-check contract).

In-process tests call ``cli.deadlines.main(argv, bundle=fixture)``; subprocess tests run the
real console script from the repository root against rules/ (through ``macros.state.load_bundle``).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

from cli import deadlines as D  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ROW_KEYS = set(json.loads((Path(__file__).resolve().parents[1] / "tools" / "output.schema.json")
               .read_text(encoding="utf-8"))["$defs"]["row"]["required"])


from areas import each_area  # noqa: E402
from bundles import world  # noqa: E402

BUNDLE = world()


def run(capsys, *argv):
    status = D.main(list(argv), bundle=BUNDLE)
    out, err = capsys.readouterr()
    return status, out, err


# -- in process ----------------------------------------------------------------------------------
def test_json_output_is_the_engine_result(capsys):
    status, out, err = run(capsys, "--area", "fenshire", "--event", "referral", "--at", "2026-12-23T16:45", "--json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert data == D.deadlines_for(BUNDLE, "fenshire", "referral", "2026-12-23T16:45")
    assert set(data) == {"area", "event", "at", "deadlines", "notes"}
    assert all(set(row) == ROW_KEYS for row in data["deadlines"])
    assert data["deadlines"][0]["due"] == "2026-12-24T16:45"


def test_the_table_shows_each_due_date_with_its_rule_source_and_warnings(capsys):
    status, out, err = run(capsys, "--area", "national", "--event", "icpc", "--at", "2026-11-30", "--today", "2026-12-01")
    assert status == 0 and err == ""
    assert 'England (national guidance): deadlines from "Initial child protection conference" on Monday 30 November 2026' in out
    assert "Thu 26 Nov 2026 NOT RECORDED HERE" in out   # past, but nothing here could record it
    assert "not recorded here: No event records when the report was shared with parents." in out
    assert "Mon 14 Dec 2026" in out and "then Mon 25 Jan 2027" in out
    assert "2 working days before initial child protection conference" in out
    assert "National rule; source: Working Together 2015, chapter 1, paragraph 63" in out
    assert "February 2027 has no 30th" in out
    assert "Bank holidays: England and Wales, 2013-01-01 to 2028-12-31." in out


def test_table_shows_refused_rows(capsys):
    status, out, _ = run(capsys, "--area", "fenshire", "--event", "referral", "--at", "2026-12-23")
    assert status == 0
    assert "not calculated" in out and "Enter the time" in out


def test_table_for_an_event_without_deadlines(capsys):
    status, out, _ = run(capsys, "--area", "national", "--event", "cin-plan-started", "--at", "2026-12-01")
    assert status == 0 and "No timescale in this area starts from this event." in out


def test_a_meeting_just_held_gives_the_next_one(capsys):
    status, out, _ = run(capsys, "--area", "national", "--event", "core-group", "--at", "2026-12-01")
    assert status == 0
    assert "Tue 12 Jan 2027" in out and "6 weeks after core group meeting held on Tuesday 1 December 2026" in out


def test_a_time_that_did_not_happen_is_an_error(capsys):
    status, out, err = run(capsys, "--area", "national", "--event", "icpc", "--at", "2027-03-28T01:30", "--json")
    assert (status, out) == (2, "")
    assert "01:30 on Sunday 28 March 2027 did not happen in the UK" in err
    status, out, err = run(capsys, "--area", "national", "--timeline", "icpc=2027-03-28T01:30")
    assert status == 2 and "Initial child protection conference: 01:30 on Sunday 28 March 2027" in err


def test_a_repeated_hour_says_which_one_it_took(capsys):
    status, out, _ = run(capsys, "--area", "national", "--event", "icpc", "--at", "2027-10-31T01:30", "--json")
    assert status == 0
    assert any("the first one, 01:30 BST, is used" in n for n in json.loads(out)["notes"])
    status, out, _ = run(capsys, "--area", "national", "--event", "icpc", "--at", "2027-10-31T01:30 GMT", "--json")
    data = json.loads(out)
    assert data["at"] == "2027-10-31T01:30 GMT"
    assert any("the second one, 01:30 GMT, is used" in n for n in data["notes"])


def test_occurrences_option(capsys):
    status, out, _ = run(capsys, "--area", "national", "--event", "icpc", "--at", "2026-11-30", "--occurrences", "1",
                         "--json")
    rows = {r["id"]: r for r in json.loads(out)["deadlines"]}
    assert [o["due"] for o in rows["national-core-group-first"]["occurrences"]] == ["2027-01-25"]


def test_the_listing_shows_each_area_and_the_events_that_start_its_deadlines(capsys):
    status, out, err = run(capsys, "--list")
    assert status == 0 and err == ""
    assert "national: England (national guidance)" in out and "fenshire: Fenshire (inherits national)" in out
    assert "referral" in out and "(3 deadlines)" in out
    status, out, _ = run(capsys, "--list", "--area", "fenshire", "--json")
    data = json.loads(out)
    assert [a["id"] for a in data["areas"]] == ["fenshire"]
    assert data["areas"][0]["events"][0]["id"] == "referral"


# -- every error path: exit status 2, message on stderr, nothing on stdout ---------------------------
@pytest.mark.parametrize("argv, message", [
    (["--area", "narnia", "--event", "referral", "--at", "2026-12-23"],
     "Unknown area 'narnia'. Valid areas: national (England (national guidance)); fenshire (Fenshire); shire (Shire); vale (Vale)."),
    (["--area", "fenshire", "--event", "birthday", "--at", "2026-12-23"], "Unknown event 'birthday'"),
    (["--area", "fenshire", "--event", "birthday", "--at", "2026-12-23"], "referral (Referral received)"),
    (["--area", "national", "--event", "referral", "--at", "2026-02-30"], "2026-02-30 is not a real date"),
    (["--area", "national", "--event", "referral", "--at", "2026-12-23T25:00"], "25:00 is not a real time"),
    (["--area", "national", "--event", "referral", "--at", "2026-12-23T4pm"], "Enter the time as HH:MM"),
    (["--area", "national", "--event", "referral", "--at", "23/12/2026"], "Enter the date as YYYY-MM-DD"),
    (["--area", "national", "--event", "referral", "--at", "2029-01-02"],
     "Tuesday 2 January 2029, is outside the bank holiday calendar"),
    (["--area", "national", "--event", "referral", "--at", "2012-12-31"], "is outside the bank holiday calendar"),
    (["--area", "national", "--event", "referral", "--at", "2026-12-23", "--today", "yesterday"],
     "Enter the date as YYYY-MM-DD"),
    (["--list", "--area", "narnia"], "Unknown area 'narnia'"),
    (["--area", "national", "--event", "referral"], "--at needed"),
    ([], "--area, --event, --at needed (or --list"),
    (["--area", "national", "--event", "referral", "--at", "2026-12-23", "--occurrences", "-1"],
     "--occurrences must be 0 or more"),
])
def test_every_bad_question_exits_2_with_a_message_on_stderr(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert message in err


def test_argparse_errors_also_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        D.main(["--bogus"], bundle=BUNDLE)
    assert info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_rules_that_fail_to_load_exit_1(capsys, monkeypatch, tmp_path):
    pytest.importorskip("macros.browser.bundle", reason="macros/ (build time) is not importable here")
    import shutil
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "tests" / "fixtures" / "rules", rules)
    areas = rules / "areas.yaml"
    areas.write_text(areas.read_text().replace("    name: Dudley\n", "", 1))
    monkeypatch.setenv("PROCEDURES_RULES_DIR", str(rules))
    assert D.main(["--list"]) == 1
    assert "missing required key 'name'" in capsys.readouterr().err


# -- the real command ------------------------------------------------------------------------------
needs_loader = pytest.mark.skipif(
    sys.platform == "emscripten", reason="no subprocesses in Pyodide (the in-process CLI tests above still run)")


def cli(*argv):
    from commandline import procedures
    return procedures("deadlines", *argv)


@needs_loader
def test_subprocess_list_json_names_every_area():
    proc = cli("--list", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "national" in [a["id"] for a in data["areas"]]


@needs_loader
@each_area
def test_subprocess_every_event_of_every_area_as_json(area):
    listing = json.loads(cli("--list", "--area", area, "--json").stdout)
    assert [a["id"] for a in listing["areas"]] == [area]
    for event in listing["areas"][0]["events"][:1]:   # every timescale is checked in-process (test_deadlines)
        proc = cli("--area", area, "--event", event["id"], "--at", "2026-12-23T16:45", "--json")
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert data["area"] == area and data["at"] == "2026-12-23T16:45"
        assert len([r for r in data["deadlines"] if not r["repeat_of"]]) == len(event["timescales"])
        for row in data["deadlines"]:
            assert set(row) == ROW_KEYS
            assert row["error"] is None, row
            assert row["direction"] in ("after", "before")
            assert set(row["source"]) == {"document", "section", "url"}


@needs_loader
def test_the_real_command_prints_a_table_ending_with_the_calendar_coverage():
    proc = cli("--area", "national", "--event", "referral", "--at", "2026-12-23")
    assert proc.returncode == 0, proc.stderr
    assert "Bank holidays: England and Wales" in proc.stdout


@needs_loader
@pytest.mark.parametrize("argv, message", [
    (["--area", "narnia", "--event", "referral", "--at", "2026-12-23"], "Valid areas: national"),
    (["--area", "national", "--event", "birthday", "--at", "2026-12-23"], "Unknown event 'birthday'"),
    (["--area", "national", "--event", "referral", "--at", "2026-02-30"], "2026-02-30 is not a real date"),
    (["--area", "national", "--event", "referral", "--at", "2099-01-01"], "outside the bank holiday calendar"),
])
def test_subprocess_error_paths(argv, message):
    proc = cli(*argv)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert message in proc.stderr
